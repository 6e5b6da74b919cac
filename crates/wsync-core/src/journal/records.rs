//! What the journal holds, as typed records, and how rows become them.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::Row;
use serde::{Deserialize, Serialize};

use crate::events::{Direction, FileAction};
use crate::report::SyncResult;

/// A conflict as the engine found it, to be recorded.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
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
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
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
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RunRecord {
    pub id: i64,
    pub folder: String,
    pub trigger: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub result: Option<SyncResult>,
    pub to_local_copied: u64,
    pub to_local_deleted: u64,
    pub to_remote_copied: u64,
    pub to_remote_deleted: u64,
    pub error: Option<String>,
    pub duration_ms: Option<u64>,
}

/// One file a sync copied or deleted (the window's activity items).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[ts(export)]
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
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BlockedRecord {
    pub folder: String,
    pub reason: String,
    pub message: String,
    pub started_at: String,
}

/// The typed columns: each enum is written as its stable key and read back
/// through the same table, so the journal never holds a stray spelling.
macro_rules! text_column {
    ($ty:ty, $what:literal, { $($variant:path => $key:literal),+ $(,)? }) => {
        impl ToSql for $ty {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(match self { $($variant => $key),+ }))
            }
        }
        impl FromSql for $ty {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                match value.as_str()? {
                    $($key => Ok($variant),)+
                    other => Err(FromSqlError::Other(format!("unknown {} \"{other}\"", $what).into())),
                }
            }
        }
    };
}

text_column!(Direction, "direction", { Direction::ToLocal => "toLocal", Direction::ToRemote => "toRemote" });
text_column!(FileAction, "action", { FileAction::Copied => "copied", FileAction::Deleted => "deleted" });
text_column!(SyncResult, "result", {
    SyncResult::Ok => "ok",
    SyncResult::Conflicts => "conflicts",
    SyncResult::Blocked => "blocked",
    SyncResult::Failed => "failed",
});

/// A text value of column `idx` that is not one the journal writes.

pub(super) fn get_u64(row: &Row<'_>, idx: usize) -> rusqlite::Result<u64> {
    let v: i64 = row.get(idx)?;
    u64::try_from(v).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(idx, v))
}

pub(super) fn get_opt_u64(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<u64>> {
    match row.get::<_, Option<i64>>(idx)? {
        None => Ok(None),
        Some(v) => u64::try_from(v).map(Some).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(idx, v)),
    }
}

pub(super) const RUN_COLUMNS: &str = "id, folder, trigger_name, started_at, finished_at, result, to_local_copied, \
     to_local_deleted, to_remote_copied, to_remote_deleted, error, duration_ms";

pub(super) fn run_from_row(row: &Row<'_>) -> rusqlite::Result<RunRecord> {
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

pub(super) const CHANGE_COLUMNS: &str = "folder, path, direction, action, size, at";

pub(super) fn change_from_row(row: &Row<'_>) -> rusqlite::Result<ChangeRecord> {
    Ok(ChangeRecord { folder: row.get(0)?, path: row.get(1)?, direction: row.get(2)?, action: row.get(3)?, size: row.get(4)?, at: row.get(5)? })
}

pub(super) const CONFLICT_COLUMNS: &str = "id, folder, path, local_copy, remote_copy, local_size, local_mtime, \
     remote_size, remote_mtime, policy, found_at, resolved_at, resolution";

pub(super) fn conflict_from_row(row: &Row<'_>) -> rusqlite::Result<ConflictRecord> {
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
