//! A worker's live status as the engine publishes it: derived from what the
//! worker knows (paused, running, holds, failures, the last report, the
//! next timed sync) and the folder's open conflicts, which are counted only
//! when they can have changed (after a sync), never on every loop turn.

use std::time::SystemTime;

use tokio::time::Instant;

use super::Hold;
use crate::error::ErrorCode;
use crate::report::{SyncReport, SyncResult};
use crate::status::{FolderState, FolderStatus};

/// What the worker loop knows when it publishes.
pub(super) struct Facts<'a> {
    pub id: &'a str,
    pub paused: bool,
    pub syncing: bool,
    pub last: &'a Option<SyncReport>,
    pub hold: Option<Hold>,
    pub failures: u32,
    pub next: Option<Instant>,
    pub conflicts: usize,
    pub progress: Option<crate::status::Progress>,
}

fn wall_clock(at: Instant) -> String {
    let now = Instant::now();
    let t = if at > now { SystemTime::now() + (at - now) } else { SystemTime::now() };
    // Whole seconds: a status that differs only in the sub-second part of
    // the next sync is the same status.
    chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub(super) fn compute(f: Facts<'_>) -> FolderStatus {
    let failed = f.last.as_ref().filter(|r| r.result == SyncResult::Failed && r.error_code != Some(ErrorCode::Interrupted));
    let state = if f.syncing {
        FolderState::Syncing
    } else if f.paused {
        FolderState::Paused
    } else if f.hold == Some(Hold::NeedsLogin) {
        FolderState::NeedsLogin
    } else if f.hold == Some(Hold::Blocked) {
        FolderState::Blocked
    } else if let Some(r) = failed {
        if r.error_code == Some(ErrorCode::Offline) {
            FolderState::Offline
        } else {
            FolderState::Error
        }
    } else if f.conflicts > 0 {
        FolderState::Conflicts
    } else {
        FolderState::Idle
    };
    FolderStatus {
        id: f.id.to_string(),
        state,
        paused: f.paused,
        syncing: f.syncing,
        last_report: f.last.clone(),
        next_sync: if f.paused || f.hold.is_some() { None } else { f.next.map(wall_clock) },
        progress: if f.syncing { f.progress } else { None },
        conflicts: f.conflicts,
        consecutive_failures: f.failures,
    }
}
