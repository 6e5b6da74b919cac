//! The journal: the sync history kept in an SQLite file (rusqlite with its
//! bundled SQLite). It holds every run of every folder (trigger, times,
//! result, counts, error), the files each run changed, the conflicts and how
//! they were settled, and the episodes in which a safety guard blocked a
//! folder. The file is in WAL mode so that the CLI can read while the daemon
//! writes; its schema grows through numbered migrations (`PRAGMA
//! user_version`), and [`Journal::prune`] keeps it bounded.
//!
//! All times are RFC 3339 UTC strings of one fixed width
//! (`2026-11-25T14:32:07.123Z`), so that they sort as text.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, Row, Transaction, TransactionBehavior};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::events::{Direction, FileAction};
use crate::report::{SyncReport, SyncResult};

/// Marks the file as ours in the SQLite header (`PRAGMA application_id`): "wsyj".
const APPLICATION_ID: i64 = 0x7773_796a;

/// The schema, one step per version: `MIGRATIONS[n]` takes the file from
/// `user_version` n to n + 1. Append new steps; never edit a released one.
const MIGRATIONS: &[&str] = &[
    // 1: the initial schema.
    "
    CREATE TABLE runs (
        id                INTEGER PRIMARY KEY,
        folder            TEXT NOT NULL,
        trigger_name      TEXT NOT NULL,
        started_at        TEXT NOT NULL,
        finished_at       TEXT,
        result            TEXT,
        to_local_copied   INTEGER NOT NULL DEFAULT 0,
        to_local_deleted  INTEGER NOT NULL DEFAULT 0,
        to_remote_copied  INTEGER NOT NULL DEFAULT 0,
        to_remote_deleted INTEGER NOT NULL DEFAULT 0,
        error             TEXT,
        duration_ms       INTEGER
    );
    CREATE INDEX runs_folder_started ON runs (folder, started_at);
    CREATE INDEX runs_started ON runs (started_at);

    CREATE TABLE changes (
        id        INTEGER PRIMARY KEY,
        run_id    INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        folder    TEXT NOT NULL,
        path      TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('toLocal', 'toRemote')),
        action    TEXT NOT NULL CHECK (action IN ('copied', 'deleted')),
        size      INTEGER,
        at        TEXT NOT NULL
    );
    CREATE INDEX changes_folder_at ON changes (folder, at);
    CREATE INDEX changes_at ON changes (at);
    CREATE INDEX changes_run ON changes (run_id);

    CREATE TABLE conflicts (
        id           INTEGER PRIMARY KEY,
        folder       TEXT NOT NULL,
        path         TEXT NOT NULL,
        local_copy   TEXT NOT NULL,
        remote_copy  TEXT NOT NULL,
        local_size   INTEGER,
        local_mtime  TEXT,
        remote_size  INTEGER,
        remote_mtime TEXT,
        policy       TEXT NOT NULL,
        found_at     TEXT NOT NULL,
        resolved_at  TEXT,
        resolution   TEXT
    );
    CREATE UNIQUE INDEX conflicts_open_unique
        ON conflicts (folder, path, local_copy, remote_copy) WHERE resolved_at IS NULL;
    CREATE INDEX conflicts_folder_found ON conflicts (folder, found_at);

    CREATE TABLE blocked (
        id         INTEGER PRIMARY KEY,
        folder     TEXT NOT NULL,
        reason     TEXT NOT NULL,
        message    TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at   TEXT,
        run_id     INTEGER REFERENCES runs (id) ON DELETE SET NULL
    );
    CREATE UNIQUE INDEX blocked_one_open ON blocked (folder) WHERE ended_at IS NULL;
    CREATE INDEX blocked_folder_started ON blocked (folder, started_at);
    ",
];

/// The sync history of all folders, in one SQLite file.
pub struct Journal {
    conn: Connection,
    path: PathBuf,
}

/// A conflict as the engine found it, to be recorded.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ConflictInfo {
    pub path: String,
    pub local_copy: String,
    pub remote_copy: String,
    pub local_size: Option<u64>,
    pub local_mtime: Option<String>,
    pub remote_size: Option<u64>,
    pub remote_mtime: Option<String>,
    pub policy: String,
}

/// A recorded conflict, open or settled.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ConflictRecord {
    pub id: i64,
    pub folder: String,
    pub path: String,
    pub local_copy: String,
    pub remote_copy: String,
    pub local_size: Option<u64>,
    pub local_mtime: Option<String>,
    pub remote_size: Option<u64>,
    pub remote_mtime: Option<String>,
    pub policy: String,
    pub found_at: String,
    pub resolved_at: Option<String>,
    pub resolution: Option<String>,
}

/// One sync of one folder; `finished_at`/`result` are `None` while it runs (or if it crashed).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RunRecord {
    pub id: i64,
    pub folder: String,
    pub trigger: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub result: Option<String>,
    pub to_local_copied: u64,
    pub to_local_deleted: u64,
    pub to_remote_copied: u64,
    pub to_remote_deleted: u64,
    pub error: Option<String>,
    pub duration_ms: Option<u64>,
}

/// One file a sync copied or deleted.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ChangeRecord {
    pub folder: String,
    pub path: String,
    pub direction: Direction,
    pub action: FileAction,
    pub size: Option<i64>,
    pub at: String,
}

/// An open episode in which a safety guard blocks a folder.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BlockedRecord {
    pub folder: String,
    pub reason: String,
    pub message: String,
    pub started_at: String,
}

/// Now, as the journal writes times.
fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn direction_key(d: Direction) -> &'static str {
    match d {
        Direction::ToLocal => "toLocal",
        Direction::ToRemote => "toRemote",
    }
}

fn action_key(a: FileAction) -> &'static str {
    match a {
        FileAction::Copied => "copied",
        FileAction::Deleted => "deleted",
    }
}

fn result_key(r: SyncResult) -> &'static str {
    match r {
        SyncResult::Ok => "ok",
        SyncResult::Conflicts => "conflicts",
        SyncResult::Blocked => "blocked",
        SyncResult::Failed => "failed",
    }
}

/// A count for an INTEGER column (SQLite integers are signed).
fn to_db(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn clamp_limit(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A text value of column `idx` that is not one the journal writes.
fn bad_text(idx: usize, what: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        idx,
        rusqlite::types::Type::Text,
        format!("unknown {what} \"{value}\"").into(),
    )
}

fn get_u64(row: &Row<'_>, idx: usize) -> rusqlite::Result<u64> {
    let v: i64 = row.get(idx)?;
    u64::try_from(v).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(idx, v))
}

fn get_opt_u64(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<u64>> {
    match row.get::<_, Option<i64>>(idx)? {
        None => Ok(None),
        Some(v) => u64::try_from(v).map(Some).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(idx, v)),
    }
}

const RUN_COLUMNS: &str = "id, folder, trigger_name, started_at, finished_at, result, to_local_copied, \
     to_local_deleted, to_remote_copied, to_remote_deleted, error, duration_ms";

fn run_from_row(row: &Row<'_>) -> rusqlite::Result<RunRecord> {
    Ok(RunRecord {
        id: row.get(0)?,
        folder: row.get(1)?,
        trigger: row.get(2)?,
        started_at: row.get(3)?,
        finished_at: row.get(4)?,
        result: row.get(5)?,
        to_local_copied: get_u64(row, 6)?,
        to_local_deleted: get_u64(row, 7)?,
        to_remote_copied: get_u64(row, 8)?,
        to_remote_deleted: get_u64(row, 9)?,
        error: row.get(10)?,
        duration_ms: get_opt_u64(row, 11)?,
    })
}

const CHANGE_COLUMNS: &str = "folder, path, direction, action, size, at";

fn change_from_row(row: &Row<'_>) -> rusqlite::Result<ChangeRecord> {
    let direction: String = row.get(2)?;
    let direction = match direction.as_str() {
        "toLocal" => Direction::ToLocal,
        "toRemote" => Direction::ToRemote,
        other => return Err(bad_text(2, "direction", other)),
    };
    let action: String = row.get(3)?;
    let action = match action.as_str() {
        "copied" => FileAction::Copied,
        "deleted" => FileAction::Deleted,
        other => return Err(bad_text(3, "action", other)),
    };
    Ok(ChangeRecord { folder: row.get(0)?, path: row.get(1)?, direction, action, size: row.get(4)?, at: row.get(5)? })
}

const CONFLICT_COLUMNS: &str = "id, folder, path, local_copy, remote_copy, local_size, local_mtime, \
     remote_size, remote_mtime, policy, found_at, resolved_at, resolution";

fn conflict_from_row(row: &Row<'_>) -> rusqlite::Result<ConflictRecord> {
    Ok(ConflictRecord {
        id: row.get(0)?,
        folder: row.get(1)?,
        path: row.get(2)?,
        local_copy: row.get(3)?,
        remote_copy: row.get(4)?,
        local_size: get_opt_u64(row, 5)?,
        local_mtime: row.get(6)?,
        remote_size: get_opt_u64(row, 7)?,
        remote_mtime: row.get(8)?,
        policy: row.get(9)?,
        found_at: row.get(10)?,
        resolved_at: row.get(11)?,
        resolution: row.get(12)?,
    })
}

/// A typed error for a failed journal operation on `path`, with the fix
/// when the file itself is damaged or not a journal.
fn db_error(path: &Path, what: &str, e: rusqlite::Error) -> Error {
    let damaged = matches!(e.sqlite_error_code(), Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt));
    let context = if damaged {
        format!("the journal {} is damaged or not an SQLite file (move it aside to start a new, empty history)", path.display())
    } else {
        format!("journal {}: could not {what}", path.display())
    };
    Error::io(context, std::io::Error::other(e))
}

/// A journal error that is not SQLite's (a foreign file, a missing row).
fn journal_error(path: &Path, kind: std::io::ErrorKind, message: String) -> Error {
    Error::io(format!("journal {}", path.display()), std::io::Error::new(kind, message))
}

impl Journal {
    /// Open (or create) the journal at `path` and bring its schema up to date.
    pub fn open(path: &Path) -> Result<Journal> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            if !parent.is_dir() {
                use std::os::unix::fs::DirBuilderExt;
                std::fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(parent)
                    .map_err(|e| Error::io(format!("cannot create {} for the journal", parent.display()), e))?;
            }
        }
        let fail = |what: &'static str| move |e: rusqlite::Error| db_error(path, what, e);
        let conn = Connection::open(path).map_err(fail("open it"))?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(fail("set its busy timeout"))?;
        // The first statement that reads the file: a foreign or damaged file
        // fails here. A file system without shared memory (some network
        // mounts) keeps the rollback journal; the history works all the same.
        let _mode: String =
            conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(fail("switch it to WAL mode"))?;
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA journal_size_limit = 4194304;")
            .map_err(fail("set its options"))?;
        let journal = Journal { conn, path: path.to_path_buf() };
        journal.migrate()?;
        Ok(journal)
    }

    /// Open the journal at its usual place, `$XDG_STATE_HOME/workspace-sync/journal.sqlite3`.
    pub fn open_default() -> Result<Journal> {
        Journal::open(&crate::paths::state_dir().join("journal.sqlite3"))
    }

    /// The file this journal lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn fail<'a>(&'a self, what: &'a str) -> impl FnOnce(rusqlite::Error) -> Error + 'a {
        move |e| db_error(&self.path, what, e)
    }

    /// A write transaction that takes the lock at once (no upgrade deadlocks
    /// between the daemon and the CLI).
    fn write_tx(&self, what: &str) -> Result<Transaction<'_>> {
        Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate).map_err(self.fail(what))
    }

    /// Apply the migrations this file has not seen yet, each in its own transaction.
    fn migrate(&self) -> Result<()> {
        let latest = MIGRATIONS.len() as i64;
        loop {
            let tx = self.write_tx("lock it to update its schema")?;
            let version: i64 =
                tx.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(self.fail("read its schema version"))?;
            let app_id: i64 =
                tx.pragma_query_value(None, "application_id", |r| r.get(0)).map_err(self.fail("read its header"))?;
            if version == 0 {
                let tables: i64 = tx
                    .query_row("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'", [], |r| r.get(0))
                    .map_err(self.fail("list its tables"))?;
                if tables > 0 || (app_id != 0 && app_id != APPLICATION_ID) {
                    return Err(self.foreign());
                }
            } else if app_id != APPLICATION_ID {
                return Err(self.foreign());
            }
            if version > latest {
                return Err(journal_error(
                    &self.path,
                    std::io::ErrorKind::Unsupported,
                    format!(
                        "it was written by a newer Workspace Sync (schema {version}, this one knows up to {latest}); update Workspace Sync"
                    ),
                ));
            }
            if version < 0 {
                return Err(self.foreign());
            }
            if version == latest {
                return tx.commit().map_err(self.fail("finish opening it"));
            }
            let step = MIGRATIONS[version as usize];
            let what = format!("update its schema to version {}", version + 1);
            tx.execute_batch(step).map_err(|e| db_error(&self.path, &what, e))?;
            tx.pragma_update(None, "application_id", APPLICATION_ID).map_err(|e| db_error(&self.path, &what, e))?;
            tx.pragma_update(None, "user_version", version + 1).map_err(|e| db_error(&self.path, &what, e))?;
            tx.commit().map_err(|e| db_error(&self.path, &what, e))?;
        }
    }

    fn foreign(&self) -> Error {
        journal_error(
            &self.path,
            std::io::ErrorKind::InvalidData,
            "this SQLite file is not a Workspace Sync journal; move it aside and a new one is started".into(),
        )
    }

    /// Record the start of a sync of `folder` (trigger: startup, interval, watch, manual, resume, retry, ...); returns the run id.
    pub fn start_run(&self, folder: &str, trigger: &str) -> Result<i64> {
        self.conn
            .prepare_cached("INSERT INTO runs (folder, trigger_name, started_at) VALUES (?1, ?2, ?3)")
            .and_then(|mut st| st.insert(params![folder, trigger, now()]))
            .map_err(self.fail("record the start of a sync"))
    }

    /// Record how run `run_id` ended, and open or close the folder's blocked episode accordingly.
    pub fn finish_run(&self, run_id: i64, report: &SyncReport) -> Result<()> {
        let at = now();
        let tx = self.write_tx("record the end of a sync")?;
        let updated = tx
            .execute(
                "UPDATE runs SET finished_at = ?2, result = ?3, to_local_copied = ?4, to_local_deleted = ?5, \
                 to_remote_copied = ?6, to_remote_deleted = ?7, error = ?8, duration_ms = ?9 WHERE id = ?1",
                params![
                    run_id,
                    at,
                    result_key(report.result),
                    to_db(report.to_local.copied),
                    to_db(report.to_local.deleted),
                    to_db(report.to_remote.copied),
                    to_db(report.to_remote.deleted),
                    report.error,
                    to_db(report.duration_ms),
                ],
            )
            .map_err(self.fail("record the end of a sync"))?;
        if updated == 0 {
            return Err(journal_error(&self.path, std::io::ErrorKind::NotFound, format!("no run {run_id} to finish")));
        }
        let folder: String = tx
            .query_row("SELECT folder FROM runs WHERE id = ?1", [run_id], |r| r.get(0))
            .map_err(self.fail("record the end of a sync"))?;
        if let Some(b) = &report.blocked {
            // One open episode per folder: a later block updates its reason, not its start.
            let changed = tx
                .execute(
                    "UPDATE blocked SET reason = ?2, message = ?3, run_id = ?4 WHERE folder = ?1 AND ended_at IS NULL",
                    params![folder, b.reason, b.message, run_id],
                )
                .map_err(self.fail("record a blocked sync"))?;
            if changed == 0 {
                tx.execute(
                    "INSERT INTO blocked (folder, reason, message, started_at, run_id) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![folder, b.reason, b.message, at, run_id],
                )
                .map_err(self.fail("record a blocked sync"))?;
            }
        } else if matches!(report.result, SyncResult::Ok | SyncResult::Conflicts) {
            tx.execute("UPDATE blocked SET ended_at = ?2 WHERE folder = ?1 AND ended_at IS NULL", params![folder, at])
                .map_err(self.fail("close a blocked episode"))?;
        }
        tx.commit().map_err(self.fail("record the end of a sync"))
    }

    /// Record one file that run `run_id` copied or deleted (`size` in bytes, if known).
    pub fn record_change(
        &self,
        run_id: i64,
        folder: &str,
        path: &str,
        direction: Direction,
        action: FileAction,
        size: Option<i64>,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO changes (run_id, folder, path, direction, action, size, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .and_then(|mut st| st.execute(params![run_id, folder, path, direction_key(direction), action_key(action), size, now()]))
            .map(|_| ())
            .map_err(self.fail("record a changed file"))
    }

    /// Record a conflict of `folder`; returns its id (the existing one if the same conflict is still open).
    pub fn record_conflict(&self, folder: &str, c: &ConflictInfo) -> Result<i64> {
        let tx = self.write_tx("record a conflict")?;
        let existing: Option<i64> = tx
            .query_row(
                "SELECT id FROM conflicts WHERE folder = ?1 AND path = ?2 AND local_copy = ?3 AND remote_copy = ?4 \
                 AND resolved_at IS NULL",
                params![folder, c.path, c.local_copy, c.remote_copy],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.fail("look up a conflict"))?;
        let id = match existing {
            Some(id) => id,
            None => {
                tx.execute(
                    "INSERT INTO conflicts (folder, path, local_copy, remote_copy, local_size, local_mtime, remote_size, \
                     remote_mtime, policy, found_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    params![
                        folder,
                        c.path,
                        c.local_copy,
                        c.remote_copy,
                        c.local_size.map(to_db),
                        c.local_mtime,
                        c.remote_size.map(to_db),
                        c.remote_mtime,
                        c.policy,
                        now(),
                    ],
                )
                .map_err(self.fail("record a conflict"))?;
                tx.last_insert_rowid()
            }
        };
        tx.commit().map_err(self.fail("record a conflict"))?;
        Ok(id)
    }

    /// The unresolved conflicts of one folder (or all), oldest first.
    pub fn open_conflicts(&self, folder: Option<&str>) -> Result<Vec<ConflictRecord>> {
        let sql = format!(
            "SELECT {CONFLICT_COLUMNS} FROM conflicts WHERE resolved_at IS NULL AND (?1 IS NULL OR folder = ?1) \
             ORDER BY found_at, id"
        );
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut st| st.query_map([folder], conflict_from_row)?.collect())
            .map_err(self.fail("read the open conflicts"))
    }

    /// One conflict by id, open or settled.
    pub fn conflict(&self, id: i64) -> Result<Option<ConflictRecord>> {
        let sql = format!("SELECT {CONFLICT_COLUMNS} FROM conflicts WHERE id = ?1");
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut st| st.query_row([id], conflict_from_row).optional())
            .map_err(self.fail("read a conflict"))
    }

    /// Mark conflict `id` settled (resolution: local, remote, both, gone, ...); a settled one keeps its first resolution.
    pub fn resolve_conflict(&self, id: i64, resolution: &str) -> Result<()> {
        let tx = self.write_tx("settle a conflict")?;
        let exists: Option<i64> = tx
            .query_row("SELECT id FROM conflicts WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(self.fail("settle a conflict"))?;
        if exists.is_none() {
            return Err(journal_error(&self.path, std::io::ErrorKind::NotFound, format!("no conflict {id}")));
        }
        tx.execute(
            "UPDATE conflicts SET resolved_at = ?2, resolution = ?3 WHERE id = ?1 AND resolved_at IS NULL",
            params![id, now(), resolution],
        )
        .map_err(self.fail("settle a conflict"))?;
        tx.commit().map_err(self.fail("settle a conflict"))
    }

    /// The latest `limit` runs of one folder (or all), newest first.
    pub fn runs(&self, folder: Option<&str>, limit: usize) -> Result<Vec<RunRecord>> {
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM runs WHERE (?1 IS NULL OR folder = ?1) ORDER BY started_at DESC, id DESC LIMIT ?2"
        );
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut st| st.query_map(params![folder, clamp_limit(limit)], run_from_row)?.collect())
            .map_err(self.fail("read the runs"))
    }

    /// The latest `limit` file changes of one folder (or all), newest first.
    pub fn activity(&self, folder: Option<&str>, limit: usize) -> Result<Vec<ChangeRecord>> {
        let sql = format!(
            "SELECT {CHANGE_COLUMNS} FROM changes WHERE (?1 IS NULL OR folder = ?1) ORDER BY at DESC, id DESC LIMIT ?2"
        );
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut st| st.query_map(params![folder, clamp_limit(limit)], change_from_row)?.collect())
            .map_err(self.fail("read the recent changes"))
    }

    /// The folder's blocked episode, if one is open.
    pub fn open_blocked(&self, folder: &str) -> Result<Option<BlockedRecord>> {
        self.conn
            .prepare_cached("SELECT folder, reason, message, started_at FROM blocked WHERE folder = ?1 AND ended_at IS NULL")
            .and_then(|mut st| {
                st.query_row([folder], |r| {
                    Ok(BlockedRecord { folder: r.get(0)?, reason: r.get(1)?, message: r.get(2)?, started_at: r.get(3)? })
                })
                .optional()
            })
            .map_err(self.fail("read the blocked state"))
    }

    /// Delete history older than `max_age_days` (never open conflicts or
    /// blocked episodes), then keep at most `max_changes` changes and as many
    /// runs; returns how many rows were deleted.
    pub fn prune(&self, max_age_days: u32, max_changes: usize) -> Result<usize> {
        // A cutoff before the calendar starts deletes nothing by age.
        let cutoff = chrono::TimeDelta::try_days(i64::from(max_age_days))
            .and_then(|d| Utc::now().checked_sub_signed(d))
            .map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true))
            .unwrap_or_default();
        let keep = clamp_limit(max_changes);
        let tx = self.write_tx("prune the history")?;
        let mut deleted = 0;
        let steps: [(&str, &[&dyn rusqlite::ToSql]); 6] = [
            ("DELETE FROM changes WHERE at < ?1", &[&cutoff]),
            (
                "DELETE FROM changes WHERE id IN (SELECT id FROM changes ORDER BY at DESC, id DESC LIMIT -1 OFFSET ?1)",
                &[&keep],
            ),
            // A run whose changes are still kept stays with them.
            (
                "DELETE FROM runs WHERE started_at < ?1 AND NOT EXISTS (SELECT 1 FROM changes WHERE run_id = runs.id)",
                &[&cutoff],
            ),
            (
                "DELETE FROM runs WHERE id IN (SELECT id FROM runs ORDER BY started_at DESC, id DESC LIMIT -1 OFFSET ?1) \
                 AND NOT EXISTS (SELECT 1 FROM changes WHERE run_id = runs.id)",
                &[&keep],
            ),
            ("DELETE FROM conflicts WHERE resolved_at IS NOT NULL AND resolved_at < ?1", &[&cutoff]),
            ("DELETE FROM blocked WHERE ended_at IS NOT NULL AND ended_at < ?1", &[&cutoff]),
        ];
        for (sql, args) in steps {
            deleted += tx.execute(sql, args).map_err(self.fail("prune the history"))?;
        }
        tx.commit().map_err(self.fail("prune the history"))?;
        Ok(deleted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{BlockedReport, Counts};

    fn open_tmp() -> (tempfile::TempDir, Journal) {
        let dir = tempfile::tempdir().expect("tempdir");
        let j = Journal::open(&dir.path().join("state/journal.sqlite3")).expect("open");
        (dir, j)
    }

    fn user_version(j: &Journal) -> i64 {
        j.conn.pragma_query_value(None, "user_version", |r| r.get(0)).expect("user_version")
    }

    fn conflict_info(path: &str) -> ConflictInfo {
        ConflictInfo {
            path: path.into(),
            local_copy: format!("{path}.conflict-local"),
            remote_copy: format!("{path}.conflict-remote"),
            local_size: Some(10),
            local_mtime: Some("2026-11-25T14:32:00+00:00".into()),
            remote_size: None,
            remote_mtime: None,
            policy: "ask".into(),
        }
    }

    fn blocked_report(folder: &str, reason: &str) -> SyncReport {
        let mut r = SyncReport::new(folder);
        r.result = SyncResult::Blocked;
        r.blocked = Some(BlockedReport {
            reason: reason.into(),
            message: format!("{reason} happened"),
            fix: "wsync sync --confirm-deletes".into(),
            would_delete: Some(9),
            total: Some(10),
            files: Vec::new(),
        });
        r
    }

    /// Move every stored time of a table back by `days`.
    fn age(j: &Journal, table: &str, column: &str, days: u32) {
        let t = (Utc::now() - chrono::TimeDelta::days(i64::from(days))).to_rfc3339_opts(SecondsFormat::Millis, true);
        j.conn.execute(&format!("UPDATE {table} SET {column} = ?1"), [t]).expect("age");
    }

    #[test]
    fn journal_is_send() {
        fn assert_send<T: Send>() {}
        assert_send::<Journal>();
    }

    #[test]
    fn open_reopen_and_migrations_are_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/journal.sqlite3");
        let j = Journal::open(&path).unwrap();
        assert_eq!(user_version(&j), MIGRATIONS.len() as i64);
        let id = j.start_run("ws", "manual").unwrap();
        drop(j);
        let j = Journal::open(&path).unwrap();
        assert_eq!(user_version(&j), MIGRATIONS.len() as i64);
        let runs = j.runs(None, 10).unwrap();
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].id, id);
        let app: i64 = j.conn.pragma_query_value(None, "application_id", |r| r.get(0)).unwrap();
        assert_eq!(app, APPLICATION_ID);
        let fk: i64 = j.conn.pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
        assert_eq!(fk, 1);
        // Two handles at once (daemon and CLI) work.
        let k = Journal::open(&path).unwrap();
        assert_eq!(k.runs(Some("ws"), 10).unwrap().len(), 1);
    }

    #[test]
    fn wal_mode_is_on() {
        let (_d, j) = open_tmp();
        let mode: String = j.conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn garbage_file_gives_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite3");
        std::fs::write(&path, vec![b'x'; 8192]).unwrap();
        let err = Journal::open(&path).err().expect("must fail");
        let msg = err.to_string();
        assert!(msg.contains(&path.display().to_string()), "{msg}");
        assert!(msg.contains("move it aside"), "{msg}");
        assert_eq!(err.code(), "io");
    }

    #[test]
    fn foreign_sqlite_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        let c = Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE runs (x); INSERT INTO runs VALUES (1);").unwrap();
        drop(c);
        let msg = Journal::open(&path).err().expect("must fail").to_string();
        assert!(msg.contains("not a Workspace Sync journal") && msg.contains("other.db"), "{msg}");
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite3");
        let j = Journal::open(&path).unwrap();
        j.conn.pragma_update(None, "user_version", 99).unwrap();
        drop(j);
        let msg = Journal::open(&path).err().expect("must fail").to_string();
        assert!(msg.contains("newer Workspace Sync"), "{msg}");
    }

    #[test]
    fn run_with_changes_and_finish() {
        let (_d, j) = open_tmp();
        let id = j.start_run("ws", "interval").unwrap();
        j.record_change(id, "ws", "notes.md", Direction::ToRemote, FileAction::Copied, Some(42)).unwrap();
        j.record_change(id, "ws", "old.txt", Direction::ToLocal, FileAction::Deleted, None).unwrap();
        let running = &j.runs(Some("ws"), 5).unwrap()[0];
        assert_eq!(running.finished_at, None);
        assert_eq!(running.result, None);

        let mut report = SyncReport::new("ws");
        report.to_remote = Counts { copied: 1, deleted: 0 };
        report.to_local = Counts { copied: 0, deleted: 1 };
        report.duration_ms = 1234;
        j.finish_run(id, &report).unwrap();
        let run = &j.runs(Some("ws"), 5).unwrap()[0];
        assert_eq!(run.id, id);
        assert_eq!(run.trigger, "interval");
        assert_eq!(run.result.as_deref(), Some("ok"));
        assert_eq!((run.to_local_copied, run.to_local_deleted), (0, 1));
        assert_eq!((run.to_remote_copied, run.to_remote_deleted), (1, 0));
        assert_eq!(run.duration_ms, Some(1234));
        assert!(run.finished_at.is_some());
        assert!(run.error.is_none());

        let acts = j.activity(Some("ws"), 10).unwrap();
        assert_eq!(acts.len(), 2);
        assert_eq!(acts[0].path, "old.txt");
        assert_eq!((acts[0].direction, acts[0].action, acts[0].size), (Direction::ToLocal, FileAction::Deleted, None));
        assert_eq!((acts[1].direction, acts[1].action, acts[1].size), (Direction::ToRemote, FileAction::Copied, Some(42)));

        let json = serde_json::to_value(&acts[1]).unwrap();
        assert_eq!(json["direction"], "toRemote");
        assert_eq!(json["action"], "copied");
        assert!(json.get("at").is_some());
        let json = serde_json::to_value(run).unwrap();
        assert_eq!(json["toRemoteCopied"], 1);
        assert_eq!(json["startedAt"], run.started_at.as_str());

        let mut failed = SyncReport::new("ws");
        failed.result = SyncResult::Failed;
        failed.error = Some("remote unreachable".into());
        let id2 = j.start_run("ws", "retry").unwrap();
        j.finish_run(id2, &failed).unwrap();
        let runs = j.runs(Some("ws"), 5).unwrap();
        assert_eq!(runs[0].id, id2);
        assert_eq!(runs[0].result.as_deref(), Some("failed"));
        assert_eq!(runs[0].error.as_deref(), Some("remote unreachable"));
        assert_eq!(j.runs(Some("ws"), 1).unwrap().len(), 1);

        assert!(j.finish_run(9999, &report).is_err());
        assert!(j.record_change(9999, "ws", "x", Direction::ToLocal, FileAction::Copied, None).is_err());
    }

    #[test]
    fn activity_is_newest_first_and_filters_by_folder() {
        let (_d, j) = open_tmp();
        let a = j.start_run("a", "watch").unwrap();
        let b = j.start_run("b", "watch").unwrap();
        for i in 0..5 {
            j.record_change(a, "a", &format!("a{i}"), Direction::ToRemote, FileAction::Copied, Some(i)).unwrap();
            j.record_change(b, "b", &format!("b{i}"), Direction::ToLocal, FileAction::Copied, None).unwrap();
        }
        let all: Vec<String> = j.activity(None, 100).unwrap().into_iter().map(|c| c.path).collect();
        assert_eq!(all, ["b4", "a4", "b3", "a3", "b2", "a2", "b1", "a1", "b0", "a0"]);
        let only_a: Vec<String> = j.activity(Some("a"), 3).unwrap().into_iter().map(|c| c.path).collect();
        assert_eq!(only_a, ["a4", "a3", "a2"]);
        assert!(j.activity(Some("nope"), 10).unwrap().is_empty());
        assert_eq!(j.runs(Some("b"), 10).unwrap().len(), 1);
        assert_eq!(j.runs(None, 10).unwrap().len(), 2);
    }

    #[test]
    fn conflicts_dedupe_and_resolve() {
        let (_d, j) = open_tmp();
        let c = conflict_info("notes.md");
        let id = j.record_conflict("ws", &c).unwrap();
        assert_eq!(j.record_conflict("ws", &c).unwrap(), id, "same open conflict is not duplicated");
        let other_folder = j.record_conflict("other", &c).unwrap();
        assert_ne!(other_folder, id);
        let second = j.record_conflict("ws", &conflict_info("todo.md")).unwrap();

        let open = j.open_conflicts(Some("ws")).unwrap();
        assert_eq!(open.iter().map(|c| c.id).collect::<Vec<_>>(), [id, second]);
        assert_eq!(open[0].local_size, Some(10));
        assert_eq!(open[0].remote_size, None);
        assert_eq!(open[0].policy, "ask");
        assert_eq!(j.open_conflicts(None).unwrap().len(), 3);

        j.resolve_conflict(id, "local").unwrap();
        let rec = j.conflict(id).unwrap().unwrap();
        assert_eq!(rec.resolution.as_deref(), Some("local"));
        assert!(rec.resolved_at.is_some());
        // Settled once: a second resolution does not overwrite it.
        j.resolve_conflict(id, "gone").unwrap();
        assert_eq!(j.conflict(id).unwrap().unwrap().resolution.as_deref(), Some("local"));
        assert_eq!(j.open_conflicts(Some("ws")).unwrap().len(), 1);
        // The same conflict again after it was settled is a new one.
        let again = j.record_conflict("ws", &c).unwrap();
        assert_ne!(again, id);
        assert!(j.conflict(424242).unwrap().is_none());
        assert!(j.resolve_conflict(424242, "local").is_err());
        let json = serde_json::to_value(&rec).unwrap();
        assert_eq!(json["localCopy"], "notes.md.conflict-local");
    }

    #[test]
    fn blocked_episode_opens_and_closes() {
        let (_d, j) = open_tmp();
        assert!(j.open_blocked("ws").unwrap().is_none());
        let r1 = j.start_run("ws", "interval").unwrap();
        j.finish_run(r1, &blocked_report("ws", "too-many-deletes")).unwrap();
        let b = j.open_blocked("ws").unwrap().expect("open episode");
        assert_eq!(b.reason, "too-many-deletes");
        assert_eq!(b.message, "too-many-deletes happened");

        // Blocked again: same episode, same start, latest reason.
        let r2 = j.start_run("ws", "interval").unwrap();
        j.finish_run(r2, &blocked_report("ws", "remote-missing")).unwrap();
        let b2 = j.open_blocked("ws").unwrap().unwrap();
        assert_eq!(b2.started_at, b.started_at);
        assert_eq!(b2.reason, "remote-missing");
        let count: i64 = j.conn.query_row("SELECT count(*) FROM blocked", [], |r| r.get(0)).unwrap();
        assert_eq!(count, 1);

        // A failure neither opens nor closes it; another folder is untouched.
        let r3 = j.start_run("ws", "retry").unwrap();
        let mut failed = SyncReport::new("ws");
        failed.result = SyncResult::Failed;
        j.finish_run(r3, &failed).unwrap();
        assert!(j.open_blocked("ws").unwrap().is_some());
        assert!(j.open_blocked("other").unwrap().is_none());

        // A sync that went through closes it.
        let r4 = j.start_run("ws", "manual").unwrap();
        let mut done = SyncReport::new("ws");
        done.result = SyncResult::Conflicts;
        j.finish_run(r4, &done).unwrap();
        assert!(j.open_blocked("ws").unwrap().is_none());

        // And the next block opens a new episode.
        let r5 = j.start_run("ws", "interval").unwrap();
        j.finish_run(r5, &blocked_report("ws", "all-changed")).unwrap();
        assert_eq!(j.open_blocked("ws").unwrap().unwrap().reason, "all-changed");
        let count: i64 = j.conn.query_row("SELECT count(*) FROM blocked", [], |r| r.get(0)).unwrap();
        assert_eq!(count, 2);
    }

    #[test]
    fn prune_bounds_age_and_count() {
        let (_d, j) = open_tmp();
        // Old history: a run with 3 changes, a settled and an open conflict, a closed and an open episode.
        let old = j.start_run("ws", "interval").unwrap();
        for i in 0..3 {
            j.record_change(old, "ws", &format!("old{i}"), Direction::ToRemote, FileAction::Copied, None).unwrap();
        }
        let settled = j.record_conflict("ws", &conflict_info("a.md")).unwrap();
        j.resolve_conflict(settled, "remote").unwrap();
        let open = j.record_conflict("ws", &conflict_info("b.md")).unwrap();
        let r = j.start_run("x", "interval").unwrap();
        j.finish_run(r, &blocked_report("x", "too-many-deletes")).unwrap();
        let r = j.start_run("x", "interval").unwrap();
        j.finish_run(r, &SyncReport::new("x")).unwrap();
        let r = j.start_run("y", "interval").unwrap();
        j.finish_run(r, &blocked_report("y", "remote-missing")).unwrap();
        age(&j, "runs", "started_at", 100);
        age(&j, "changes", "at", 100);
        age(&j, "conflicts", "found_at", 100);
        j.conn.execute("UPDATE conflicts SET resolved_at = ?1 WHERE resolved_at IS NOT NULL", [&j.conflict(open).unwrap().unwrap().found_at]).unwrap();
        age(&j, "blocked", "started_at", 100);
        j.conn.execute("UPDATE blocked SET ended_at = started_at WHERE ended_at IS NOT NULL", []).unwrap();

        // Recent history: 10 changes in one run.
        let new = j.start_run("ws", "watch").unwrap();
        for i in 0..10 {
            j.record_change(new, "ws", &format!("new{i}"), Direction::ToLocal, FileAction::Copied, None).unwrap();
        }

        // By age: 3 changes, 4 runs, 1 settled conflict, 1 closed episode.
        assert_eq!(j.prune(90, 1000).unwrap(), 3 + 4 + 1 + 1);
        assert_eq!(j.activity(None, 100).unwrap().len(), 10);
        assert_eq!(j.runs(None, 100).unwrap().iter().map(|r| r.id).collect::<Vec<_>>(), [new]);
        assert_eq!(j.open_conflicts(None).unwrap().len(), 1, "open conflicts are never pruned");
        assert!(j.conflict(settled).unwrap().is_none());
        assert!(j.open_blocked("y").unwrap().is_some(), "open episodes are never pruned");
        assert_eq!(j.prune(90, 1000).unwrap(), 0, "nothing more to prune");

        // By count: the newest 4 changes stay, and their run with them.
        assert_eq!(j.prune(90, 4).unwrap(), 6);
        let left: Vec<String> = j.activity(None, 100).unwrap().into_iter().map(|c| c.path).collect();
        assert_eq!(left, ["new9", "new8", "new7", "new6"]);
        assert_eq!(j.runs(None, 100).unwrap().len(), 1);

        // Runs are bounded by the same count.
        for _ in 0..5 {
            j.start_run("z", "interval").unwrap();
        }
        assert_eq!(j.prune(90, 4).unwrap(), 1, "the oldest run without kept changes goes");
        assert_eq!(j.runs(None, 100).unwrap().len(), 5);
        assert!(j.runs(None, 100).unwrap().iter().any(|r| r.id == new), "a run with kept changes stays");
        // Everything settled goes; the open conflict and the open episode stay.
        assert_eq!(j.prune(0, 0).unwrap(), 4 + 5);
        assert_eq!(j.open_conflicts(None).unwrap().len(), 1);
        assert!(j.open_blocked("y").unwrap().is_some());
    }

    #[test]
    fn bad_stored_values_are_errors_not_panics() {
        let (_d, j) = open_tmp();
        let id = j.start_run("ws", "manual").unwrap();
        j.conn.execute("UPDATE runs SET to_local_copied = -1 WHERE id = ?1", [id]).unwrap();
        assert!(j.runs(None, 10).is_err());
        j.conn.execute_batch("PRAGMA ignore_check_constraints = ON").unwrap();
        j.conn
            .execute(
                "INSERT INTO changes (run_id, folder, path, direction, action, at) VALUES (?1, 'ws', 'p', 'sideways', 'copied', 'x')",
                [id],
            )
            .unwrap();
        let msg = j.activity(None, 10).err().unwrap().to_string();
        assert!(msg.contains("sideways"), "{msg}");
    }
}
