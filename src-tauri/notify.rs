//! Desktop notifications: the core decides which notices the engine's
//! events deserve (`wsync_core::notices`); this shows them through
//! freedesktop notifications (notify-rust, on threads of their own, since
//! a notification waits for its action) and routes their buttons to the
//! app's actions. Muted by the app setting `notifications`; without a
//! notification server the app goes on and says so once in its log.

use std::sync::atomic::Ordering;

use tauri::AppHandle;
use wsync_core::notices::{Action, Notice};
use wsync_core::report::SyncReport;

use crate::app_state::state;

/// A sync finished: its notices, and the batched downloads later if they
/// wait for their minute.
pub fn on_finished(app: &AppHandle, report: &SyncReport) {
    let (notices, later) = state(app).notices.lock().map(|mut n| n.on_finished(report)).unwrap_or_default();
    show_all(app, notices);
    if let Some(wait) = later {
        let (app, folder) = (app.clone(), report.folder.clone());
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(wait).await;
            let (notice, _) = state(&app).notices.lock().map(|mut n| n.flush_files(&folder)).unwrap_or_default();
            show_all(&app, notice.into_iter().collect());
        });
    }
}

pub fn show_all(app: &AppHandle, notices: Vec<Notice>) {
    for n in notices {
        show(app, n);
    }
}

fn show(app: &AppHandle, notice: Notice) {
    let enabled = state(app).settings.lock().map(|s| s.notifications).unwrap_or(true);
    if !enabled {
        tracing::info!("notification muted ({} {}): {}", notice.kind.key(), notice.folder, notice.summary);
        return;
    }
    let app = app.clone();
    let spawned = std::thread::Builder::new().name("notification".into()).spawn(move || {
        let mut n = notify_rust::Notification::new();
        n.appname("Workspace Sync").summary(&notice.summary).body(&notice.body).icon("workspace-sync");
        if let Some((_, label)) = notice.actions.first() {
            n.action("default", label);
        }
        for (action, label) in &notice.actions {
            n.action(action.key(), label);
        }
        match n.show() {
            Ok(handle) => {
                state(&app).notify_unavailable.store(false, Ordering::SeqCst);
                let labels: Vec<&str> = notice.actions.iter().map(|a| a.1).collect();
                tracing::info!("notification shown ({} {}): {} [{}]", notice.kind.key(), notice.folder, notice.summary, labels.join(", "));
                let default = notice.actions.first().map(|a| a.0);
                handle.wait_for_action(|key| {
                    let action = if key == "default" { default } else { Action::parse(key) };
                    if let Some(action) = action.filter(|_| key != "__closed") {
                        tracing::info!("notification action \"{}\" ({})", action.key(), notice.folder);
                        on_action(&app, &notice.folder, action);
                    }
                });
            }
            Err(e) => {
                if !state(&app).notify_unavailable.swap(true, Ordering::SeqCst) {
                    tracing::warn!("notifications are unavailable ({e}); the app goes on without them");
                }
            }
        }
    });
    if let Err(e) = spawned {
        tracing::warn!("cannot start a notification thread: {e}");
    }
}

fn on_action(app: &AppHandle, folder: &str, action: Action) {
    match action {
        Action::Resolve => crate::actions::navigate(app, "conflicts", Some(folder)),
        Action::Review => crate::actions::navigate(app, "blocked", Some(folder)),
        Action::Login => crate::actions::login(app, folder),
        Action::OpenFolder => {
            if let Err(e) = crate::actions::open_folder(app, folder, None) {
                tracing::warn!("{}", e.message);
            }
        }
        Action::OpenApp => crate::actions::navigate(app, "status", None),
    }
}
