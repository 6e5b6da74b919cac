//! Runs, their file changes and blocked episodes.

use chrono::{SecondsFormat, Utc};
use rusqlite::{params, OptionalExtension};

use super::records::{change_from_row, run_from_row, CHANGE_COLUMNS, RUN_COLUMNS};
use super::{clamp_limit, journal_error, now, to_db, BlockedRecord, ChangeRecord, Journal, RunRecord};
use crate::error::Result;
use crate::events::{Direction, FileAction};
use crate::report::{SyncReport, SyncResult};

/// One changed file, as the engine hands it over for recording.
#[derive(Debug, Clone)]
pub struct ChangeInput {
    pub path: String,
    pub direction: Direction,
    pub action: FileAction,
    pub size: Option<i64>,
}

impl Journal {
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
                    report.result,
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
                    params![folder, b.reason.key(), b.message, run_id],
                )
                .map_err(self.fail("record a blocked sync"))?;
            if changed == 0 {
                tx.execute(
                    "INSERT INTO blocked (folder, reason, message, started_at, run_id) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![folder, b.reason.key(), b.message, at, run_id],
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
            .and_then(|mut st| st.execute(params![run_id, folder, path, direction, action, size, now()]))
            .map(|_| ())
            .map_err(self.fail("record a changed file"))
    }


    /// Record many changed files of run `run_id` in one transaction.
    pub fn record_changes(&self, run_id: i64, folder: &str, changes: &[ChangeInput]) -> Result<()> {
        if changes.is_empty() {
            return Ok(());
        }
        let tx = self.write_tx("record changed files")?;
        {
            let mut st = tx
                .prepare_cached(
                    "INSERT INTO changes (run_id, folder, path, direction, action, size, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(self.fail("record changed files"))?;
            let at = now();
            for c in changes {
                st.execute(params![run_id, folder, c.path, c.direction, c.action, c.size, at]).map_err(self.fail("record changed files"))?;
            }
        }
        tx.commit().map_err(self.fail("record changed files"))
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
