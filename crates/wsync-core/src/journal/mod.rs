//! The journal: the sync history kept in an SQLite file (rusqlite with its
//! bundled SQLite). It holds every run of every folder (trigger, times,
//! result, counts, error), the files each run changed, the conflicts and how
//! they were settled, and the episodes in which a safety guard blocked a
//! folder. The file is in WAL mode so that the CLI can read while the daemon
//! writes; its schema grows through numbered migrations (`PRAGMA
//! user_version`), and [`Journal::prune`] keeps it bounded.
//!
//! All times are RFC 3339 UTC strings of one fixed width

mod conflicts;
mod records;
mod runs;
mod schema;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use rusqlite::{Connection, ErrorCode, Transaction, TransactionBehavior};

pub use records::{BlockedRecord, ChangeRecord, ConflictInfo, ConflictRecord, RunRecord};
pub use runs::ChangeInput;
use schema::{APPLICATION_ID, MIGRATIONS};

use crate::error::{Error, Result};

/// The sync history of all folders, in one SQLite file.
pub struct Journal {
    pub(super) conn: Connection,
    path: PathBuf,
}

/// Now, as the journal writes times.
pub(super) fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A count for an INTEGER column (SQLite integers are signed).
pub(super) fn to_db(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub(super) fn clamp_limit(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A typed error for a failed journal operation on `path`, with the fix
/// when the file itself is damaged or not a journal.
pub(super) fn db_error(path: &Path, what: &str, e: rusqlite::Error) -> Error {
    let damaged = matches!(e.sqlite_error_code(), Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt));
    let context = if damaged {
        format!("the journal {} is damaged or not an SQLite file (move it aside to start a new, empty history)", path.display())
    } else {
        format!("journal {}: could not {what}", path.display())
    };
    Error::io(context, std::io::Error::other(e))
}

/// A journal error that is not SQLite's (a foreign file, a missing row).
pub(super) fn journal_error(path: &Path, kind: std::io::ErrorKind, message: String) -> Error {
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

    pub(super) fn fail<'a>(&'a self, what: &'a str) -> impl FnOnce(rusqlite::Error) -> Error + 'a {
        move |e| db_error(&self.path, what, e)
    }

    /// A write transaction that takes the lock at once (no upgrade deadlocks
    /// between the daemon and the CLI).
    pub(super) fn write_tx(&self, what: &str) -> Result<Transaction<'_>> {
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


    /// Forget a removed folder's history: its runs, changes, conflicts and
    /// blocked episodes. Returns how many rows went.
    pub fn forget_folder(&self, folder: &str) -> Result<usize> {
        let tx = self.write_tx("forget a folder's history")?;
        let mut n = 0;
        for sql in [
            "DELETE FROM changes WHERE folder = ?1",
            "DELETE FROM runs WHERE folder = ?1",
            "DELETE FROM conflicts WHERE folder = ?1",
            "DELETE FROM blocked WHERE folder = ?1",
        ] {
            n += tx.execute(sql, [folder]).map_err(self.fail("forget a folder's history"))?;
        }
        tx.commit().map_err(self.fail("forget a folder's history"))?;
        Ok(n)
    }
}
