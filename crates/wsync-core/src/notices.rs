//! Which desktop notifications the engine's events deserve, for any shell
//! that shows them (the tray app through freedesktop notifications).
//!
//! - Coalesced: at most one per folder per kind per minute; file changes
//!   from the cloud are batched ("12 files updated in Workspace").
//! - Kinds: conflicts found (action "Resolve"), needs login ("Log in"),
//!   blocked by a safety guard ("Review"), failing several times in a row,
//!   first sync of a folder done, files updated. Routine successful syncs
//!   notify nothing.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::events::Direction;
use crate::report::{SyncReport, SyncResult};
use crate::status::{display_name, FolderState, FolderStatus};

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
    pub fn key(self) -> &'static str {
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

/// What a notification's button does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Resolve,
    Review,
    Login,
    OpenFolder,
    OpenApp,
}

impl Action {
    pub fn key(self) -> &'static str {
        match self {
            Action::Resolve => "resolve",
            Action::Review => "review",
            Action::Login => "login",
            Action::OpenFolder => "open-folder",
            Action::OpenApp => "open",
        }
    }

    pub fn parse(key: &str) -> Option<Action> {
        [Action::Resolve, Action::Review, Action::Login, Action::OpenFolder, Action::OpenApp].into_iter().find(|a| a.key() == key)
    }
}

/// One notification to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub folder: String,
    pub kind: Kind,
    pub summary: String,
    pub body: String,
    /// (action, button label); the first is also the default action.
    pub actions: Vec<(Action, &'static str)>,
}

/// The notification state of one shell.
#[derive(Default)]
pub struct Notices {
    last: HashMap<(String, Kind), Instant>,
    previous: HashMap<String, (FolderState, u32)>,
    pending_files: HashMap<String, u64>,
}

impl Notices {
    /// May a notice of `kind` for `folder` be shown now? (Notes it if so.)
    fn admit(&mut self, folder: &str, kind: Kind, now: Instant) -> bool {
        let key = (folder.to_string(), kind);
        match self.last.get(&key) {
            Some(t) if now.duration_since(*t) < WINDOW => false,
            _ => {
                self.last.insert(key, now);
                true
            }
        }
    }

    fn notice(&mut self, folder: &str, kind: Kind, summary: String, body: String, actions: Vec<(Action, &'static str)>) -> Option<Notice> {
        if !self.admit(folder, kind, Instant::now()) {
            tracing::info!("notification coalesced ({} {folder}): {summary}", kind.key());
            return None;
        }
        Some(Notice { folder: folder.to_string(), kind, summary, body, actions })
    }

    /// A folder's status changed: needs login, blocked, failing.
    pub fn on_status(&mut self, s: &FolderStatus, provider: &str) -> Vec<Notice> {
        let (was, failures_before) = self.previous.insert(s.id.clone(), (s.state, s.consecutive_failures)).unwrap_or((FolderState::Idle, 0));
        let name = display_name(&s.id);
        let mut out = Vec::new();
        if s.state == FolderState::NeedsLogin && was != FolderState::NeedsLogin {
            out.extend(self.notice(
                &s.id,
                Kind::NeedsLogin,
                format!("{name} needs you to log in"),
                format!("The login to {provider} is missing or has expired; syncing waits until you log in again."),
                vec![(Action::Login, "Log in")],
            ));
        }
        if s.state == FolderState::Blocked && was != FolderState::Blocked {
            let why = s
                .last_report
                .as_ref()
                .and_then(|r| r.blocked.as_ref())
                .map(|b| b.message.clone())
                .unwrap_or_else(|| "A safety guard stopped the sync; nothing was deleted.".into());
            out.extend(self.notice(&s.id, Kind::Blocked, format!("{name}: sync is waiting for you"), why, vec![(Action::Review, "Review")]));
        }
        if s.consecutive_failures >= FAILING_AFTER && failures_before < FAILING_AFTER {
            let err = s.last_report.as_ref().and_then(|r| r.error_for(crate::error::Surface::App)).unwrap_or_default();
            out.extend(self.notice(
                &s.id,
                Kind::Failing,
                format!("{name} is not syncing"),
                format!("The last {} syncs failed: {err}", s.consecutive_failures),
                vec![(Action::OpenApp, "Open Workspace Sync")],
            ));
        }
        out
    }

    /// A file changed; downloads are counted for a batched notice.
    pub fn on_file_changed(&mut self, folder: &str, path: &str, direction: Direction) {
        // Conflict copies are told by the conflict notice.
        if direction == Direction::ToLocal && !crate::sync::is_conflict_copy(path) {
            *self.pending_files.entry(folder.to_string()).or_default() += 1;
        }
    }

    /// A sync finished: conflicts, first sync, files updated. Returns the
    /// notices, and when to call [`Notices::flush_files`] again if batched
    /// downloads wait for the minute to pass.
    pub fn on_finished(&mut self, r: &SyncReport) -> (Vec<Notice>, Option<Duration>) {
        if r.dry_run {
            return (Vec::new(), None);
        }
        let name = display_name(&r.folder);
        let mut out = Vec::new();
        if !r.conflicts.is_empty() {
            let n = r.conflicts.len();
            let body = if n == 1 {
                format!("{} changed on this computer and in the cloud. Both versions are kept; choose which one wins.", r.conflicts[0].path)
            } else {
                format!("{n} files changed on this computer and in the cloud. Both versions of each are kept; choose which ones win.")
            };
            let summary = if n == 1 { format!("A conflict in {name}") } else { format!("{n} conflicts in {name}") };
            out.extend(self.notice(&r.folder, Kind::Conflicts, summary, body, vec![(Action::Resolve, "Resolve")]));
        }
        if r.first_sync && matches!(r.result, SyncResult::Ok | SyncResult::Conflicts) {
            // The first sync's own downloads are part of this message.
            self.pending_files.remove(&r.folder);
            out.extend(self.notice(
                &r.folder,
                Kind::FirstSync,
                format!("{name} is in sync"),
                "The first sync is done; from now on changes on either side are synced.".into(),
                vec![(Action::OpenFolder, "Open folder")],
            ));
            return (out, None);
        }
        let (files, later) = self.flush_files(&r.folder);
        out.extend(files);
        (out, later)
    }

    /// The batched "files updated" notice, if its minute has passed; else
    /// how long until it has.
    pub fn flush_files(&mut self, folder: &str) -> (Option<Notice>, Option<Duration>) {
        let n = self.pending_files.get(folder).copied().unwrap_or(0);
        if n == 0 {
            return (None, None);
        }
        let wait = self.last.get(&(folder.to_string(), Kind::FilesUpdated)).map(|t| WINDOW.saturating_sub(t.elapsed())).unwrap_or_default();
        if !wait.is_zero() {
            return (None, Some(wait + Duration::from_millis(50)));
        }
        self.pending_files.remove(folder);
        let name = display_name(folder);
        let summary = if n == 1 { format!("1 file updated in {name}") } else { format!("{n} files updated in {name}") };
        let notice = self.notice(folder, Kind::FilesUpdated, summary, "Changes from the cloud arrived on this computer.".into(), vec![(Action::OpenFolder, "Open folder")]);
        (notice, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_per_folder_and_kind_per_minute() {
        let mut n = Notices::default();
        let t0 = Instant::now();
        assert!(n.admit("t-a", Kind::Conflicts, t0));
        assert!(!n.admit("t-a", Kind::Conflicts, t0 + Duration::from_secs(30)));
        assert!(n.admit("t-a", Kind::Blocked, t0 + Duration::from_secs(30)));
        assert!(n.admit("t-b", Kind::Conflicts, t0 + Duration::from_secs(30)));
        assert!(n.admit("t-a", Kind::Conflicts, t0 + Duration::from_secs(61)));
    }

    #[test]
    fn downloads_are_batched() {
        let mut n = Notices::default();
        for i in 0..3 {
            n.on_file_changed("ws", &format!("f{i}.txt"), Direction::ToLocal);
        }
        n.on_file_changed("ws", "up.txt", Direction::ToRemote);
        let (notices, later) = n.on_finished(&SyncReport::new("ws"));
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].summary, "3 files updated in Ws");
        assert!(later.is_none());
        n.on_file_changed("ws", "g.txt", Direction::ToLocal);
        let (notices, later) = n.on_finished(&SyncReport::new("ws"));
        assert!(notices.is_empty() && later.is_some(), "the next batch waits for the minute");
    }
}
