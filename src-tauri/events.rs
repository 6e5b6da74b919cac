//! Engine events → the window (docs/ipc.md events), the tray and the
//! notifications.

use tauri::{AppHandle, Emitter};
use tokio::sync::broadcast::error::RecvError;
use wsync_core::engine::{EngineEvent, EngineHandle};
use wsync_core::events::SyncEvent;

use crate::info;
use crate::views::{folder_view, ActivityItem, ConflictsChanged};

pub fn forward(app: AppHandle, handle: EngineHandle) -> tauri::async_runtime::JoinHandle<()> {
    let mut rx = handle.subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            let ev = match rx.recv().await {
                Ok(ev) => ev,
                Err(RecvError::Lagged(n)) => {
                    info!("events: {n} engine events skipped (the app was busy)");
                    crate::tray::refresh(&app);
                    continue;
                }
                Err(RecvError::Closed) => break,
            };
            on_event(&app, &handle, ev);
        }
    })
}

fn on_event(app: &AppHandle, handle: &EngineHandle, ev: EngineEvent) {
    match ev {
        EngineEvent::Folder { status } => {
            if let Some(cfg) = handle.folder(&status.id) {
                let _ = app.emit("engine://folder", folder_view(cfg, Some(&status)));
            }
            crate::notify::on_status(app, handle, &status);
            crate::tray::refresh(app);
        }
        EngineEvent::Sync { event } => match event {
            SyncEvent::FileChanged { folder, path, direction, action } => {
                let size = handle
                    .folder(&folder)
                    .and_then(|f| std::fs::metadata(f.local_dir().join(&path)).ok())
                    .map(|m| m.len() as i64);
                crate::notify::on_file_changed(app, &folder, &path, direction);
                let item = ActivityItem { folder, path, direction, action, at: chrono::Utc::now().to_rfc3339(), size };
                let _ = app.emit("engine://activity", item);
            }
            SyncEvent::ConflictFound { folder, .. } => {
                let _ = app.emit("engine://conflicts", ConflictsChanged { folder });
            }
            SyncEvent::Finished { report } => {
                info!("{}", summary(&report));
                if !report.conflicts.is_empty() {
                    let _ = app.emit("engine://conflicts", ConflictsChanged { folder: report.folder.clone() });
                }
                crate::notify::on_finished(app, handle, &report);
            }
            SyncEvent::Warning { folder, message } => info!("{folder}: warning: {message}"),
            SyncEvent::Started { folder, first_sync, .. } => {
                info!("{folder}: sync started{}", if first_sync { " (first sync)" } else { "" })
            }
            SyncEvent::Phase { .. } | SyncEvent::Progress { .. } => {}
        },
    }
}

/// One log line per finished sync.
pub fn summary(r: &wsync_core::report::SyncReport) -> String {
    use wsync_core::report::SyncResult;
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
