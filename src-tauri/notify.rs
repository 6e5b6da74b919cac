//! Desktop notifications (freedesktop, through notify-rust on blocking
//! threads), with actions that open the right page.
//!
//! - Coalesced: at most one per folder per kind per minute; file changes
//!   from the cloud are batched ("12 files updated in Workspace").
//! - Kinds: conflicts found (action "Resolve"), needs login ("Log in"),
//!   blocked by a safety guard ("Review"), failing several times in a row,
//!   first sync of a folder done, files updated. Routine successful syncs
//!   notify nothing.
//! - Muted by the app setting `notifications`.
//! - No notification server: the app goes on and logs it once.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use tauri::AppHandle;
use wsync_core::engine::{EngineHandle, FolderState, FolderStatus};
use wsync_core::events::Direction;
use wsync_core::report::{SyncReport, SyncResult};

use crate::views::display_name;

/// Failures in a row before "sync is failing" is shown.
pub const FAILING_AFTER: u32 = 3;
const WINDOW: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Conflicts,
    NeedsLogin,
    Blocked,
    Failing,
    FirstSync,
    FilesUpdated,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::Conflicts => "conflicts",
            Kind::NeedsLogin => "needs-login",
            Kind::Blocked => "blocked",
            Kind::Failing => "failing",
            Kind::FirstSync => "first-sync",
            Kind::FilesUpdated => "files-updated",
        }
    }
}

#[derive(Default)]
struct Notifier {
    last: Mutex<HashMap<(String, Kind), Instant>>,
    previous: Mutex<HashMap<String, (FolderState, u32)>>,
    pending_files: Mutex<HashMap<String, u64>>,
    flush_scheduled: Mutex<HashMap<String, bool>>,
    unavailable_logged: AtomicBool,
}

fn notifier() -> &'static Notifier {
    static N: OnceLock<Notifier> = OnceLock::new();
    N.get_or_init(Notifier::default)
}

/// Decide whether a notification of `kind` for `folder` may be shown now
/// (and note it), or is coalesced with one shown less than a minute ago.
fn admit(folder: &str, kind: Kind, now: Instant) -> bool {
    let mut last = notifier().last.lock().unwrap_or_else(|e| e.into_inner());
    let key = (folder.to_string(), kind);
    match last.get(&key) {
        Some(t) if now.duration_since(*t) < WINDOW => false,
        _ => {
            last.insert(key, now);
            true
        }
    }
}

fn until_admitted(folder: &str, kind: Kind) -> Duration {
    let last = notifier().last.lock().unwrap_or_else(|e| e.into_inner());
    match last.get(&(folder.to_string(), kind)) {
        Some(t) => WINDOW.saturating_sub(t.elapsed()),
        None => Duration::ZERO,
    }
}

/// A folder's status changed: needs login, blocked, failing.
pub fn on_status(app: &AppHandle, handle: &EngineHandle, s: &FolderStatus) {
    let before = {
        let mut prev = notifier().previous.lock().unwrap_or_else(|e| e.into_inner());
        prev.insert(s.id.clone(), (s.state, s.consecutive_failures))
    };
    let (was, failures_before) = before.unwrap_or((FolderState::Idle, 0));
    let name = display_name(&s.id);
    let provider = handle.folder(&s.id).map(crate::views::provider_name).unwrap_or_else(|| "the cloud".into());
    if s.state == FolderState::NeedsLogin && was != FolderState::NeedsLogin {
        show(
            app,
            &s.id,
            Kind::NeedsLogin,
            &format!("{name} needs you to log in"),
            &format!("The login to {provider} is missing or has expired; syncing waits until you log in again."),
            &[("login", "Log in")],
        );
    }
    if s.state == FolderState::Blocked && was != FolderState::Blocked {
        let why = s
            .last_report
            .as_ref()
            .and_then(|r| r.blocked.as_ref())
            .map(|b| b.message.clone())
            .unwrap_or_else(|| "A safety guard stopped the sync; nothing was deleted.".into());
        show(app, &s.id, Kind::Blocked, &format!("{name}: sync is waiting for you"), &why, &[("review", "Review")]);
    }
    if s.consecutive_failures >= FAILING_AFTER && failures_before < FAILING_AFTER {
        let err = s.last_report.as_ref().and_then(|r| r.error.clone()).unwrap_or_default();
        show(
            app,
            &s.id,
            Kind::Failing,
            &format!("{name} is not syncing"),
            &format!("The last {} syncs failed: {err}", s.consecutive_failures),
            &[("open", "Open Workspace Sync")],
        );
    }
}

pub fn on_file_changed(_app: &AppHandle, folder: &str, path: &str, direction: Direction) {
    // Conflict copies are told by the conflict notification.
    if direction == Direction::ToLocal && !wsync_core::sync::is_conflict_copy(path) {
        let mut p = notifier().pending_files.lock().unwrap_or_else(|e| e.into_inner());
        *p.entry(folder.to_string()).or_default() += 1;
    }
}

/// A sync finished: conflicts, first sync, files updated (batched).
pub fn on_finished(app: &AppHandle, _handle: &EngineHandle, r: &SyncReport) {
    if r.dry_run {
        return;
    }
    let name = display_name(&r.folder);
    if !r.conflicts.is_empty() {
        let n = r.conflicts.len();
        let body = if n == 1 {
            format!("{} changed on this computer and in the cloud. Both versions are kept; choose which one wins.", r.conflicts[0].path)
        } else {
            format!("{n} files changed on this computer and in the cloud. Both versions of each are kept; choose which ones win.")
        };
        let summary = if n == 1 { format!("A conflict in {name}") } else { format!("{n} conflicts in {name}") };
        show(app, &r.folder, Kind::Conflicts, &summary, &body, &[("resolve", "Resolve")]);
    }
    let ok = matches!(r.result, SyncResult::Ok | SyncResult::Conflicts);
    if r.first_sync && ok {
        // The first sync's own downloads are part of this message.
        notifier().pending_files.lock().unwrap_or_else(|e| e.into_inner()).remove(&r.folder);
        show(
            app,
            &r.folder,
            Kind::FirstSync,
            &format!("{name} is in sync"),
            "The first sync is done; from now on changes on either side are synced.",
            &[("open-folder", "Open folder")],
        );
        return;
    }
    flush_files(app, &r.folder);
}

fn flush_files(app: &AppHandle, folder: &str) {
    let n = notifier().pending_files.lock().unwrap_or_else(|e| e.into_inner()).get(folder).copied().unwrap_or(0);
    if n == 0 {
        return;
    }
    let wait = until_admitted(folder, Kind::FilesUpdated);
    if !wait.is_zero() {
        // Shown once the minute is over, with whatever came in meanwhile.
        let mut sched = notifier().flush_scheduled.lock().unwrap_or_else(|e| e.into_inner());
        if !sched.get(folder).copied().unwrap_or(false) {
            sched.insert(folder.to_string(), true);
            let (app, folder) = (app.clone(), folder.to_string());
            tauri::async_runtime::spawn(async move {
                tokio::time::sleep(wait + Duration::from_millis(50)).await;
                notifier().flush_scheduled.lock().unwrap_or_else(|e| e.into_inner()).insert(folder.clone(), false);
                flush_files(&app, &folder);
            });
        }
        return;
    }
    notifier().pending_files.lock().unwrap_or_else(|e| e.into_inner()).remove(folder);
    let name = display_name(folder);
    let summary = if n == 1 { format!("1 file updated in {name}") } else { format!("{n} files updated in {name}") };
    show(app, folder, Kind::FilesUpdated, &summary, "Changes from the cloud arrived on this computer.", &[("open-folder", "Open folder")]);
}

/// Show a notification (coalesced, unless muted). Its actions are served
/// on a thread of its own until it closes.
pub fn show(app: &AppHandle, folder: &str, kind: Kind, summary: &str, body: &str, actions: &[(&'static str, &'static str)]) {
    let enabled = crate::app_state::state(app).settings.lock().map(|s| s.notifications).unwrap_or(true);
    if !enabled {
        info!("notification muted ({} {folder}): {summary}", kind.key());
        return;
    }
    if kind != Kind::FilesUpdated && !admit(folder, kind, Instant::now()) {
        info!("notification coalesced ({} {folder}): {summary}", kind.key());
        return;
    }
    if kind == Kind::FilesUpdated {
        notifier().last.lock().unwrap_or_else(|e| e.into_inner()).insert((folder.to_string(), kind), Instant::now());
    }
    let (app, folder, summary, body) = (app.clone(), folder.to_string(), summary.to_string(), body.to_string());
    let actions: Vec<(&'static str, &'static str)> = actions.to_vec();
    let spawned = std::thread::Builder::new().name("notification".into()).spawn(move || {
        let mut n = notify_rust::Notification::new();
        n.appname("Workspace Sync").summary(&summary).body(&body).icon("workspace-sync");
        if let Some((_, label)) = actions.first() {
            n.action("default", label);
        }
        for (key, label) in &actions {
            n.action(key, label);
        }
        match n.show() {
            Ok(handle) => {
                notifier().unavailable_logged.store(false, Ordering::SeqCst);
                info!("notification shown ({} {folder}): {summary} [{}]", kind.key(), actions.iter().map(|a| a.1).collect::<Vec<_>>().join(", "));
                let default = actions.first().map(|a| a.0).unwrap_or("");
                handle.wait_for_action(|action| {
                    let key = if action == "default" { default } else { action };
                    if action != "__closed" && !key.is_empty() {
                        info!("notification action \"{key}\" ({folder})");
                        on_action(&app, &folder, key);
                    }
                });
            }
            Err(e) => {
                if !notifier().unavailable_logged.swap(true, Ordering::SeqCst) {
                    warn!("notifications are unavailable ({e}); the app goes on without them");
                }
            }
        }
    });
    if let Err(e) = spawned {
        warn!("cannot start a notification thread: {e}");
    }
}

fn on_action(app: &AppHandle, folder: &str, key: &str) {
    match key {
        "resolve" => crate::window::open(app, "conflicts", Some(folder)),
        "review" => crate::window::open(app, "blocked", Some(folder)),
        "login" => crate::setup_flow::login_from_tray(app, folder),
        "open-folder" => crate::commands::open_folder(app, folder, None).unwrap_or_else(|e| warn!("{}", e.message)),
        _ => crate::window::open(app, "status", None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_per_folder_and_kind_per_minute() {
        let t0 = Instant::now();
        assert!(admit("t-a", Kind::Conflicts, t0));
        assert!(!admit("t-a", Kind::Conflicts, t0 + Duration::from_secs(30)));
        assert!(admit("t-a", Kind::Blocked, t0 + Duration::from_secs(30)));
        assert!(admit("t-b", Kind::Conflicts, t0 + Duration::from_secs(30)));
        assert!(admit("t-a", Kind::Conflicts, t0 + Duration::from_secs(61)));
    }
}
