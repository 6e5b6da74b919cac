//! Engine events → the window (docs/ipc.md events), the tray and the
//! notifications.

use tauri::{AppHandle, Emitter};
use tokio::sync::broadcast::error::RecvError;
use wsync_core::engine::{EngineEvent, EngineHandle};
use wsync_core::error::Surface;
use wsync_core::events::SyncEvent;
use wsync_core::journal::ChangeRecord;
use wsync_core::remote::provider_name;
use wsync_core::status::FolderView;

use crate::app_state::state;

#[derive(Debug, Clone, serde::Serialize)]
pub struct ConflictsChanged {
    pub folder: String,
}

pub fn forward(app: AppHandle, handle: EngineHandle) -> tauri::async_runtime::JoinHandle<()> {
    let mut rx = handle.subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            let ev = match rx.recv().await {
                Ok(ev) => ev,
                Err(RecvError::Lagged(n)) => {
                    tracing::info!("events: {n} engine events skipped (the app was busy)");
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
                let _ = app.emit("engine://folder", FolderView::build(&cfg, Some(&status), Surface::App));
                let notices = state(app).notices.lock().map(|mut n| n.on_status(&status, &provider_name(&cfg))).unwrap_or_default();
                crate::notify::show_all(app, notices);
            }
            crate::tray::refresh(app);
        }
        EngineEvent::Removed { folder } => {
            tracing::info!("{folder}: removed from the engine");
            crate::tray::refresh(app);
        }
        EngineEvent::Sync { event } => match event {
            SyncEvent::FileChanged { folder, path, direction, action, size } => {
                if let Ok(mut n) = state(app).notices.lock() {
                    n.on_file_changed(&folder, &path, direction);
                }
                let item = ChangeRecord { folder, path, direction, action, at: chrono::Utc::now().to_rfc3339(), size };
                let _ = app.emit("engine://activity", item);
            }
            SyncEvent::ConflictFound { folder, .. } => {
                let _ = app.emit("engine://conflicts", ConflictsChanged { folder });
            }
            SyncEvent::Finished { report } => {
                tracing::info!("{}", wsync_core::report::summary_line(&report));
                if !report.conflicts.is_empty() {
                    let _ = app.emit("engine://conflicts", ConflictsChanged { folder: report.folder.clone() });
                }
                crate::notify::on_finished(app, &report);
            }
            SyncEvent::Warning { folder, message } => tracing::warn!("{folder}: {message}"),
            SyncEvent::Started { folder, first_sync, .. } => {
                tracing::info!("{folder}: sync started{}", if first_sync { " (first sync)" } else { "" })
            }
            SyncEvent::Phase { .. } | SyncEvent::Progress { .. } => {}
        },
    }
}
