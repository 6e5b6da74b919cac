//! The event sink of one running sync: forwards the sync's events to the
//! engine's subscribers, keeps the folder's progress in its live status,
//! and notes which local files the run itself wrote so that the watcher
//! ignores them.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use super::super::{EngineEvent, Progress, Shared};
use crate::events::{Direction, EventSink, SyncEvent};

pub(super) struct RunSink {
    pub shared: Arc<Shared>,
    pub folder: String,
    pub written: Arc<Mutex<HashSet<String>>>,
}

impl EventSink for RunSink {
    fn emit(&self, event: SyncEvent) {
        match &event {
            SyncEvent::FileChanged { path, direction: Direction::ToLocal, .. } => {
                if let Ok(mut w) = self.written.lock() {
                    w.insert(path.clone());
                }
            }
            SyncEvent::Progress { bytes, total_bytes, files_done, files_total, eta_seconds, current, .. } => {
                let status = self.shared.status.lock().ok().and_then(|m| m.get(&self.folder).cloned());
                if let Some(mut status) = status {
                    status.progress = Some(Progress {
                        bytes: *bytes,
                        total_bytes: *total_bytes,
                        files_done: *files_done,
                        files_total: *files_total,
                        eta_seconds: *eta_seconds,
                        current: current.clone(),
                    });
                    // Published only when the figures moved.
                    self.shared.publish_status(status);
                }
            }
            _ => {}
        }
        let _ = self.shared.events.send(EngineEvent::Sync { event });
    }
}
