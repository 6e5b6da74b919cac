//! Conflicts and how the person settled them.

use rusqlite::{params, OptionalExtension};

use super::records::{conflict_from_row, CONFLICT_COLUMNS};
use super::{journal_error, now, to_db, ConflictInfo, ConflictRecord, Journal};
use crate::error::Result;

impl Journal {
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

}
