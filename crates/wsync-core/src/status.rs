//! One typed model of a folder's status for every surface: the engine's
//! live [`FolderStatus`] (sent over the host protocol), the [`FolderView`]
//! that the window, `wsync status --json` and the tray read (the folder's
//! settings joined with its live status), and the pure functions that turn
//! them into the tray's status line and icon.

use serde::{Deserialize, Serialize};

use crate::config::{FolderConfig, SyncDirection};
use crate::error::{Fix, Surface};
use crate::human::ago;
use crate::remote::provider_name;
use crate::report::{BlockedReason, SyncReport, SyncResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum FolderState {
    Idle,
    Syncing,
    Paused,
    Conflicts,
    NeedsLogin,
    Blocked,
    Error,
    Offline,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Progress {
    pub bytes: u64,
    pub total_bytes: u64,
    pub files_done: u64,
    pub files_total: u64,
    #[ts(optional)]
    pub eta_seconds: Option<f64>,
    pub current: Vec<String>,
}

/// A folder as the engine sees it right now.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FolderStatus {
    pub id: String,
    pub state: FolderState,
    pub paused: bool,
    pub syncing: bool,
    pub last_report: Option<SyncReport>,
    pub next_sync: Option<String>,
    pub progress: Option<Progress>,
    pub conflicts: usize,
    pub consecutive_failures: u32,
}

/// What a safety guard stopped, in the words of one surface.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BlockedView {
    pub reason: BlockedReason,
    pub message: String,
    pub fix: String,
    pub actions: Vec<Fix>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub would_delete: Option<u64>,
    pub files: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub confirm_token: Option<String>,
}

/// A folder's settings joined with its live status.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FolderView {
    pub id: String,
    /// "Workspace" for `workspace`.
    pub name: String,
    pub provider: String,
    pub provider_name: String,
    pub local_path: String,
    pub remote_path: String,
    pub direction: SyncDirection,
    pub state: FolderState,
    pub paused: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_sync: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_result: Option<SyncResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub next_sync: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub progress: Option<Progress>,
    pub conflicts: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub blocked: Option<BlockedView>,
}

/// "workspace" → "Workspace", "my-notes" → "My notes".
pub fn display_name(id: &str) -> String {
    let text = id.replace('-', " ");
    let mut c = text.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// When the folder last synced successfully: the live report, else the
/// saved state.
pub fn last_success(status: Option<&FolderStatus>, id: &str) -> Option<String> {
    let from_report = status
        .and_then(|s| s.last_report.as_ref())
        .filter(|r| matches!(r.result, SyncResult::Ok | SyncResult::Conflicts) && !r.dry_run && !r.finished_at.is_empty())
        .map(|r| r.finished_at.clone());
    from_report.or_else(|| crate::state::load(id).ok().and_then(|s| s.last_success))
}

impl FolderView {
    /// The view of `cfg`, from the engine's live status when there is one
    /// (else from the saved state), in the words of `surface`.
    pub fn build(cfg: &FolderConfig, status: Option<&FolderStatus>, surface: Surface) -> FolderView {
        let saved = crate::state::load(&cfg.id).ok();
        let report = status.and_then(|s| s.last_report.as_ref()).or(saved.as_ref().and_then(|s| s.last_report.as_ref()));
        let state = status.map(|s| s.state).unwrap_or(if saved.as_ref().map(|s| s.paused).unwrap_or(false) {
            FolderState::Paused
        } else {
            FolderState::Idle
        });
        let blocked = match state {
            FolderState::Blocked => report.and_then(|r| r.blocked.as_ref()).map(|b| BlockedView {
                reason: b.reason,
                message: b.message.clone(),
                fix: if surface == Surface::App { b.fix_for_app() } else { b.fix.clone() },
                actions: b.actions.clone(),
                would_delete: b.would_delete,
                files: b.files.clone(),
                confirm_token: b.confirm_token.clone(),
            }),
            _ => None,
        };
        FolderView {
            id: cfg.id.clone(),
            name: display_name(&cfg.id),
            provider: cfg.provider.key().to_string(),
            provider_name: provider_name(cfg),
            local_path: cfg.local_path.clone(),
            remote_path: cfg.remote_path.clone(),
            direction: cfg.direction,
            state,
            paused: status.map(|s| s.paused).unwrap_or(state == FolderState::Paused),
            last_sync: last_success(status, &cfg.id),
            last_result: report.map(|r| r.result),
            last_error: report.filter(|r| r.result == SyncResult::Failed).and_then(|r| r.error_for(surface)),
            next_sync: status.and_then(|s| s.next_sync.clone()),
            progress: status.and_then(|s| s.progress.clone()),
            conflicts: status.map(|s| s.conflicts).unwrap_or(0),
            blocked,
        }
    }

    /// The tray's line for this folder ("Workspace: synced 2 min ago").
    pub fn status_line(&self, live: bool, consecutive_failures: u32) -> String {
        if !live {
            return format!("{}: starting…", self.name);
        }
        let text = match self.state {
            FolderState::Syncing => match &self.progress {
                Some(p) if p.files_total > 0 || p.total_bytes > 0 => {
                    let pct = if p.total_bytes > 0 { (p.bytes.min(p.total_bytes) * 100 / p.total_bytes) as u32 } else { 0 };
                    format!("syncing {} of {} files, {pct}%", p.files_done.min(p.files_total), p.files_total)
                }
                _ => "syncing…".into(),
            },
            FolderState::Paused => "paused".into(),
            FolderState::NeedsLogin => "needs login".into(),
            FolderState::Blocked => "blocked, deletions wait for you".into(),
            FolderState::Conflicts if self.conflicts == 1 => "1 conflict".into(),
            FolderState::Conflicts => format!("{} conflicts", self.conflicts),
            FolderState::Offline => "offline, retrying".into(),
            FolderState::Error if consecutive_failures > 1 => format!("sync failed {consecutive_failures} times, retrying"),
            FolderState::Error => "sync failed, retrying".into(),
            FolderState::Idle => match &self.last_sync {
                Some(t) => format!("synced {}", ago(t)),
                None => "waiting for the first sync".into(),
            },
        };
        format!("{}: {text}", self.name)
    }
}

/// The five looks of the tray icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IconState {
    Idle,
    Syncing,
    Paused,
    Attention,
    Error,
}

impl IconState {
    pub fn key(self) -> &'static str {
        match self {
            IconState::Idle => "idle",
            IconState::Syncing => "syncing",
            IconState::Paused => "paused",
            IconState::Attention => "attention",
            IconState::Error => "error",
        }
    }

    /// The icon for a set of folder states (`problem`: the engine is not running).
    pub fn of(statuses: &[FolderStatus], problem: bool) -> IconState {
        let any = |f: &dyn Fn(&FolderStatus) -> bool| statuses.iter().any(f);
        if problem || any(&|s| matches!(s.state, FolderState::Error | FolderState::Offline)) {
            IconState::Error
        } else if any(&|s| matches!(s.state, FolderState::Conflicts | FolderState::NeedsLogin | FolderState::Blocked) || s.conflicts > 0) {
            IconState::Attention
        } else if any(&|s| s.state == FolderState::Syncing) {
            IconState::Syncing
        } else if !statuses.is_empty() && statuses.iter().all(|s| s.state == FolderState::Paused) {
            IconState::Paused
        } else {
            IconState::Idle
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(state: FolderState) -> FolderStatus {
        FolderStatus {
            id: "workspace".into(),
            state,
            paused: state == FolderState::Paused,
            syncing: state == FolderState::Syncing,
            last_report: None,
            next_sync: None,
            progress: None,
            conflicts: 0,
            consecutive_failures: 0,
        }
    }

    #[test]
    fn lines_and_icons() {
        let f = FolderConfig::new("workspace", "/tmp/x", crate::config::Provider::Local, "");
        let mut s = status(FolderState::Syncing);
        s.progress = Some(Progress { bytes: 41, total_bytes: 100, files_done: 3, files_total: 12, eta_seconds: None, current: vec![] });
        let v = FolderView::build(&f, Some(&s), Surface::App);
        assert_eq!(v.status_line(true, 0), "Workspace: syncing 3 of 12 files, 41%");
        let mut c = status(FolderState::Conflicts);
        c.conflicts = 2;
        assert_eq!(FolderView::build(&f, Some(&c), Surface::App).status_line(true, 0), "Workspace: 2 conflicts");
        assert_eq!(IconState::of(&[c], false), IconState::Attention);
        assert_eq!(IconState::of(&[status(FolderState::Paused)], false), IconState::Paused);
        assert_eq!(IconState::of(&[status(FolderState::Offline)], false), IconState::Error);
        assert_eq!(IconState::of(&[status(FolderState::Idle)], true), IconState::Error);
        assert_eq!(IconState::of(&[status(FolderState::Syncing)], false), IconState::Syncing);
        assert_eq!(IconState::of(&[], false), IconState::Idle);
        assert_eq!(display_name("my-notes"), "My notes");
    }
}
