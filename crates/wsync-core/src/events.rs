//! Typed events that a sync emits while it runs, through a sink that knows
//! nothing of who listens (the CLI draws a progress bar, the daemon logs,
//! the tray app forwards them to its window).

use serde::{Deserialize, Serialize};

use crate::report::SyncReport;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Direction {
    /// From the cloud to this computer.
    ToLocal,
    /// From this computer to the cloud.
    ToRemote,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum FileAction {
    Copied,
    Deleted,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SyncEvent {
    #[serde(rename_all = "camelCase")]
    Started { folder: String, first_sync: bool, dry_run: bool },
    /// A step of the sync ("Comparing both sides", "Copying files").
    #[serde(rename_all = "camelCase")]
    Phase { folder: String, phase: String },
    #[serde(rename_all = "camelCase")]
    Progress {
        folder: String,
        bytes: u64,
        total_bytes: u64,
        files_done: u64,
        files_total: u64,
        speed: f64,
        eta_seconds: Option<f64>,
        current: Vec<String>,
    },
    #[serde(rename_all = "camelCase")]
    FileChanged {
        folder: String,
        path: String,
        direction: Direction,
        action: FileAction,
        /// The file's size in bytes, when rclone said.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        size: Option<i64>,
    },
    #[serde(rename_all = "camelCase")]
    ConflictFound { folder: String, path: String, local_copy: String, remote_copy: String },
    #[serde(rename_all = "camelCase")]
    Warning { folder: String, message: String },
    #[serde(rename_all = "camelCase")]
    Finished { report: SyncReport },
}

/// Receives events. Implementations must be cheap: they are called on the
/// thread that reads rclone's log.
pub trait EventSink: Send + Sync {
    fn emit(&self, event: SyncEvent);
}

/// A sink that drops everything.
pub struct NullSink;

impl EventSink for NullSink {
    fn emit(&self, _event: SyncEvent) {}
}

impl<F: Fn(SyncEvent) + Send + Sync> EventSink for F {
    fn emit(&self, event: SyncEvent) {
        self(event)
    }
}
