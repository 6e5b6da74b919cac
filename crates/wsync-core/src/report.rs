//! The outcome of one sync of one folder, as `wsync sync --json` prints it
//! and as the state file keeps it.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Fix, Surface};

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum SyncResult {
    Ok,
    Conflicts,
    Blocked,
    Failed,
}

impl SyncResult {
    pub fn key(self) -> &'static str {
        match self {
            SyncResult::Ok => "ok",
            SyncResult::Conflicts => "conflicts",
            SyncResult::Blocked => "blocked",
            SyncResult::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[ts(export)]
pub struct Counts {
    pub copied: u64,
    pub deleted: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConflictReport {
    /// The file's name before the conflict.
    pub path: String,
    /// Where this computer's version now lies (relative to the folder).
    pub local_copy: String,
    /// Where the cloud's version now lies.
    pub remote_copy: String,
}

/// Which safety guard stopped a sync.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum BlockedReason {
    /// More than `maxDeletePercent` of the files were deleted on one side.
    TooManyDeletes,
    /// Every file on one side changed (clock, mount or account problem).
    AllChanged,
    /// The cloud folder is gone although it held files.
    RemoteMissing,
    /// The cloud folder is empty although it held files.
    RemoteEmpty,
    /// The folder on this computer is empty although it held files.
    LocalEmpty,
    /// The records of the last sync are missing.
    ListingsLost,
    /// bisync stopped on an error that needs a fresh merge.
    Critical,
}

impl BlockedReason {
    pub fn key(self) -> &'static str {
        match self {
            BlockedReason::TooManyDeletes => "too-many-deletes",
            BlockedReason::AllChanged => "all-changed",
            BlockedReason::RemoteMissing => "remote-missing",
            BlockedReason::RemoteEmpty => "remote-empty",
            BlockedReason::LocalEmpty => "local-empty",
            BlockedReason::ListingsLost => "listings-lost",
            BlockedReason::Critical => "critical",
        }
    }
}

/// Why a safety guard stopped the sync; nothing was deleted.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BlockedReport {
    pub reason: BlockedReason,
    /// The explanation in plain words, with the numbers.
    pub message: String,
    /// How to go on, as terminal commands.
    pub fix: String,
    /// The ways on the program offers (the window shows them as buttons).
    #[serde(default)]
    pub actions: Vec<Fix>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub would_delete: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub total: Option<u64>,
    /// The files that going ahead would delete (at most the first 1,000).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// Identifies the exact set of deletions shown: a confirmation that
    /// carries it applies to that set only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub confirm_token: Option<String>,
}

impl BlockedReport {
    /// The way on in the window's words.
    pub fn fix_for_app(&self) -> String {
        // Every way out, not only the first: a deletion block can be
        // confirmed or settled with "Keep everything".
        if self.actions.is_empty() {
            return self.fix.clone();
        }
        let ways: Vec<String> = self.actions.iter().map(|f| f.app()).collect();
        ways.join("; or ")
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncReport {
    pub folder: String,
    pub result: SyncResult,
    pub to_local: Counts,
    pub to_remote: Counts,
    pub conflicts: Vec<ConflictReport>,
    pub duration_ms: u64,
    /// The error in the terminal's words (problem and fix).
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<ErrorCode>,
    /// The problem alone and the program-offered fix, for other surfaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_problem: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_fix: Option<Fix>,
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
            error_problem: None,
            error_fix: None,
            blocked: None,
            dry_run: false,
            first_sync: false,
            finished_at: String::new(),
        }
    }

    /// Mark the run failed with `e` (messages redacted).
    pub fn fail(&mut self, e: &Error) {
        self.result = SyncResult::Failed;
        self.error = Some(e.message_for(Surface::Cli));
        self.error_code = Some(e.code());
        self.error_fix = e.fix().cloned();
        self.error_problem = match e {
            Error::Coded { problem, fix: Some(_), .. } => Some(crate::redact::redact(problem)),
            _ => None,
        };
    }

    /// A failed report of `folder` with `e`.
    pub fn failed(folder: &str, e: &Error) -> SyncReport {
        let mut r = SyncReport::new(folder);
        r.fail(e);
        r
    }

    /// The error in the words of `surface`.
    pub fn error_for(&self, surface: Surface) -> Option<String> {
        match (surface, &self.error_problem, &self.error_fix) {
            (Surface::App, Some(p), Some(f)) => Some(format!("{p}; {}", f.app())),
            _ => self.error.clone(),
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

/// One log line per finished sync (the daemon's and the app's logs).
pub fn summary_line(r: &SyncReport) -> String {
    let counts = format!(
        "↓{} copied {} deleted, ↑{} copied {} deleted",
        r.to_local.copied, r.to_local.deleted, r.to_remote.copied, r.to_remote.deleted
    );
    match r.result {
        SyncResult::Ok => format!("{}: sync ok ({counts}) in {} ms", r.folder, r.duration_ms),
        SyncResult::Conflicts => format!("{}: sync done with {} conflict(s) ({counts})", r.folder, r.conflicts.len()),
        SyncResult::Blocked => format!(
            "{}: sync blocked: {}",
            r.folder,
            r.blocked.as_ref().map(|b| b.message.as_str()).unwrap_or("a safety guard stopped it")
        ),
        SyncResult::Failed => format!("{}: sync failed: {}", r.folder, r.error.as_deref().unwrap_or("unknown error")),
    }
}
