//! `wsync daemon`: timed syncs of every folder until SIGTERM/SIGINT, then a
//! graceful stop (rclone gets SIGINT and leaves bisync's listings valid).

use std::time::{Duration, Instant};

use anyhow::Result;
use wsync_core::cancel::CancelToken;
use wsync_core::sync::{sync_folder, SyncOptions};

use crate::output::{summary, TerminalSink};

pub fn run(config: Option<&std::path::Path>) -> Result<i32> {
    let loaded = super::load_config(config)?;
    let ctx = super::context()?;
    let cancel = CancelToken::new();
    crate::signals::cancel_on_signal(cancel.clone())?;
    let sink = TerminalSink::new(true);
    let folders = &loaded.config.folders;
    log(&format!("daemon started: {} folder(s), rclone {}", folders.len(), ctx.rclone.version));
    // Every folder syncs at start-up, then on its interval (0: start-up only).
    let now = Instant::now();
    let mut due: Vec<Option<Instant>> = folders.iter().map(|_| Some(now)).collect();
    while !cancel.is_cancelled() {
        for (i, f) in folders.iter().enumerate() {
            if cancel.is_cancelled() {
                break;
            }
            if due[i].map(|t| t <= Instant::now()).unwrap_or(false) {
                let report = sync_folder(&ctx, f, SyncOptions::default(), &sink, &cancel);
                log(&summary(&report));
                due[i] = (f.interval > 0).then(|| Instant::now() + Duration::from_secs(f.interval));
                // Retrying a dead login only repeats the failure: wait for the person.
                if report.error_code.as_deref() == Some("needs-login") {
                    log(&format!("{}: paused until you log in again with `wsync login {}` (then restart the daemon)", f.id, f.id));
                    due[i] = None;
                }
            }
        }
        // Sleep in short steps so that a signal stops the daemon at once.
        let next = due.iter().flatten().min().copied();
        let until = next.unwrap_or_else(|| Instant::now() + Duration::from_secs(3600));
        while !cancel.is_cancelled() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    log("daemon stopped");
    Ok(0)
}

fn log(text: &str) {
    let now = chrono::Local::now().format("%Y-%m-%d %H:%M:%S");
    for line in text.lines() {
        eprintln!("{now} {}", wsync_core::redact::redact(line));
    }
}
