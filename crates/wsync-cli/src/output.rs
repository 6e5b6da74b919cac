//! How the CLI shows a sync: a progress bar on a terminal, plain lines
//! otherwise, and a one-paragraph summary per folder.

use std::io::IsTerminal;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};
use wsync_core::events::{Direction, EventSink, SyncEvent};
use wsync_core::report::{SyncReport, SyncResult};

/// Events to stderr: a bar on a terminal, else phases and warnings as lines.
pub struct TerminalSink {
    bar: Option<ProgressBar>,
    quiet: bool,
    verbose_files: Mutex<u64>,
}

impl TerminalSink {
    pub fn new(quiet: bool) -> Self {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let b = ProgressBar::new(0);
            b.set_style(
                ProgressStyle::with_template("{prefix:.bold} {bar:30} {bytes}/{total_bytes} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            b
        });
        TerminalSink { bar, quiet, verbose_files: Mutex::new(0) }
    }

    fn line(&self, text: &str) {
        if self.quiet {
            return;
        }
        match &self.bar {
            Some(b) => b.println(text),
            None => eprintln!("{text}"),
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl EventSink for TerminalSink {
    fn emit(&self, event: SyncEvent) {
        match event {
            SyncEvent::Started { folder, first_sync, dry_run } => {
                if let Some(b) = &self.bar {
                    b.set_prefix(folder.clone());
                }
                let what = if first_sync { "first sync (merging both sides)" } else { "syncing" };
                let dry = if dry_run { ", dry run" } else { "" };
                self.line(&format!("{folder}: {what}{dry}"));
            }
            SyncEvent::Phase { phase, .. } => {
                if let Some(b) = &self.bar {
                    b.set_message(phase);
                }
            }
            SyncEvent::Progress { bytes, total_bytes, files_done, files_total, eta_seconds, current, .. } => {
                if let Some(b) = &self.bar {
                    b.set_length(total_bytes);
                    b.set_position(bytes);
                    let eta = eta_seconds.map(|s| format!(", {s:.0}s left")).unwrap_or_default();
                    let cur = current.first().map(|c| format!(" {c}")).unwrap_or_default();
                    b.set_message(format!("{files_done}/{files_total} files{eta}{cur}"));
                }
            }
            SyncEvent::FileChanged { path, direction, action, .. } => {
                if let Ok(mut n) = self.verbose_files.lock() {
                    *n += 1;
                }
                if std::env::var_os("WSYNC_VERBOSE").is_some() {
                    let arrow = if direction == Direction::ToLocal { "↓" } else { "↑" };
                    self.line(&format!("  {arrow} {action:?} {path}"));
                }
            }
            SyncEvent::ConflictFound { path, local_copy, remote_copy, .. } => {
                self.line(&format!("  conflict: {path} changed on both sides; this computer's version is {local_copy}, the cloud's is {remote_copy}"));
            }
            SyncEvent::Warning { folder, message } => self.line(&format!("{folder}: warning: {message}")),
            SyncEvent::Finished { .. } => {}
        }
    }
}

/// A human summary of one report.
pub fn summary(r: &SyncReport) -> String {
    let secs = r.duration_ms as f64 / 1000.0;
    let dry = if r.dry_run { " (dry run: nothing was changed)" } else { "" };
    let counts = format!(
        "↓ {} copied, {} deleted on this computer; ↑ {} copied, {} deleted in the cloud",
        r.to_local.copied, r.to_local.deleted, r.to_remote.copied, r.to_remote.deleted
    );
    match r.result {
        SyncResult::Ok => format!("{}: in sync{dry} ({counts}) in {secs:.1}s", r.folder),
        SyncResult::Conflicts => {
            let mut s = format!("{}: synced with {} conflict(s){dry} ({counts}); both versions are kept:", r.folder, r.conflicts.len());
            for c in &r.conflicts {
                s.push_str(&format!("\n  {}: this computer's version is {}, the cloud's is {}", c.path, c.local_copy, c.remote_copy));
            }
            s
        }
        SyncResult::Blocked => match &r.blocked {
            Some(b) => format!("{}: blocked, nothing was deleted: {}\n  to go on: {}", r.folder, b.message, b.fix),
            None => format!("{}: blocked by a safety guard; nothing was deleted", r.folder),
        },
        SyncResult::Failed => format!("{}: failed: {}", r.folder, r.error.as_deref().unwrap_or("unknown error")),
    }
}
