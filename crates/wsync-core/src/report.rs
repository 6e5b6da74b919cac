//! The outcome of one sync of one folder, as `wsync sync --json` prints it
//! and as the state file keeps it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SyncResult {
    Ok,
    Conflicts,
    Blocked,
    Failed,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Counts {
    pub copied: u64,
    pub deleted: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ConflictReport {
    /// The file's name before the conflict.
    pub path: String,
    /// Where this computer's version now lies (relative to the folder).
    pub local_copy: String,
    /// Where the cloud's version now lies.
    pub remote_copy: String,
}

/// Why a safety guard stopped the sync; nothing was deleted.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BlockedReport {
    /// too-many-deletes | all-changed | remote-missing | listings-lost | critical
    pub reason: String,
    /// The explanation in plain words, with the numbers.
    pub message: String,
    /// How to go on.
    pub fix: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub would_delete: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    /// The files that going ahead would delete (at most the first 1,000).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    pub folder: String,
    pub result: SyncResult,
    pub to_local: Counts,
    pub to_remote: Counts,
    pub conflicts: Vec<ConflictReport>,
    pub duration_ms: u64,
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<BlockedReport>,
    #[serde(default)]
    pub dry_run: bool,
    #[serde(default)]
    pub first_sync: bool,
    /// When the sync finished (RFC 3339).
    #[serde(default)]
    pub finished_at: String,
}

impl SyncReport {
    pub fn new(folder: &str) -> Self {
        SyncReport {
            folder: folder.to_string(),
            result: SyncResult::Ok,
            to_local: Counts::default(),
            to_remote: Counts::default(),
            conflicts: Vec::new(),
            duration_ms: 0,
            error: None,
            error_code: None,
            blocked: None,
            dry_run: false,
            first_sync: false,
            finished_at: String::new(),
        }
    }

    /// The CLI's exit code for this result: 0 ok, 3 conflicts, 4 blocked, 1 failed.
    pub fn exit_code(&self) -> i32 {
        match self.result {
            SyncResult::Ok => 0,
            SyncResult::Conflicts => 3,
            SyncResult::Blocked => 4,
            SyncResult::Failed => 1,
        }
    }
}
