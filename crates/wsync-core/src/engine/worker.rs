//! One folder's worker: its triggers, the single running sync, the queue
//! of coalesced requests, pause, holds (blocked, needs login) and backoff.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::backoff;
use super::record::{open_conflict_count, sync_recorded};
use super::watch::watch_folder;
use super::{EngineEvent, FolderState, FolderStatus, Progress, Shared, Trigger, WorkerCmd};
use crate::cancel::CancelToken;
use crate::config::FolderConfig;
use crate::events::{Direction, EventSink, SyncEvent};
use crate::filter::Excludes;
use crate::report::{SyncReport, SyncResult};
use crate::state;
use crate::sync::{is_conflict_copy, SyncOptions};

struct Pending {
    opts: SyncOptions,
    trigger: Trigger,
    replies: Vec<oneshot::Sender<SyncReport>>,
}

struct Running {
    handle: JoinHandle<SyncReport>,
    cancel: CancelToken,
    written: Arc<Mutex<HashSet<String>>>,
    replies: Vec<oneshot::Sender<SyncReport>>,
}

/// Why timed and watched syncs wait for the person.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hold {
    Blocked,
    NeedsLogin,
}

pub(crate) struct Worker {
    folder: FolderConfig,
    shared: Arc<Shared>,
    rx: mpsc::UnboundedReceiver<WorkerCmd>,
}

/// Forwards a run's events to the engine's subscribers and notes which
/// local files the run itself wrote, so that the watcher ignores them.
struct RunSink {
    shared: Arc<Shared>,
    folder: String,
    written: Arc<Mutex<HashSet<String>>>,
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
                let updated = self.shared.status.lock().ok().and_then(|mut m| {
                    let s = m.get_mut(&self.folder)?;
                    s.progress = Some(Progress {
                        bytes: *bytes,
                        total_bytes: *total_bytes,
                        files_done: *files_done,
                        files_total: *files_total,
                        eta_seconds: *eta_seconds,
                        current: current.clone(),
                    });
                    Some(s.clone())
                });
                if let Some(status) = updated {
                    let _ = self.shared.events.send(EngineEvent::Folder { status });
                }
            }
            _ => {}
        }
        let _ = self.shared.events.send(EngineEvent::Sync { event });
    }
}

fn paused_report(folder: &str) -> SyncReport {
    let mut r = SyncReport::new(folder);
    r.result = SyncResult::Failed;
    r.error = Some(format!("folder \"{folder}\" is paused; resume it with `wsync resume {folder}`"));
    r.error_code = Some("paused".into());
    r
}

fn wall_clock(at: Instant) -> String {
    let now = Instant::now();
    let t = if at > now { SystemTime::now() + (at - now) } else { SystemTime::now() };
    chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339()
}

async fn sleep_opt(at: Option<Instant>) {
    match at {
        Some(t) => tokio::time::sleep_until(t).await,
        None => std::future::pending().await,
    }
}

impl Worker {
    pub fn new(folder: FolderConfig, shared: Arc<Shared>, rx: mpsc::UnboundedReceiver<WorkerCmd>) -> Worker {
        Worker { folder, shared, rx }
    }

    fn queue(pending: &mut Vec<Pending>, opts: SyncOptions, trigger: Trigger, reply: Option<oneshot::Sender<SyncReport>>) {
        // Requests with the same options share one run.
        if let Some(p) = pending.iter_mut().find(|p| p.opts == opts) {
            p.replies.extend(reply);
            if trigger == Trigger::Manual {
                p.trigger = Trigger::Manual;
            }
            return;
        }
        pending.push(Pending { opts, trigger, replies: reply.into_iter().collect() });
    }

    pub async fn run(mut self) {
        let id = self.folder.id.clone();
        let timing = self.shared.timing;
        let saved = state::load(&id);
        let mut paused = saved.paused;
        let mut last_report = saved.last_report.clone();
        let interval = (self.folder.interval > 0).then(|| Duration::from_secs(self.folder.interval));

        let (wtx, mut wrx) = mpsc::unbounded_channel::<String>();
        let _watcher = if self.folder.watch {
            match watch_folder(&self.folder.local_dir(), Excludes::new(&self.folder.exclude), wtx) {
                Ok(w) => Some(w),
                Err(e) => {
                    let _ = self.shared.events.send(EngineEvent::Sync { event: SyncEvent::Warning { folder: id.clone(), message: e.to_string() } });
                    None
                }
            }
        } else {
            drop(wtx);
            None
        };

        let mut pending: Vec<Pending> = Vec::new();
        if !paused {
            Self::queue(&mut pending, SyncOptions::default(), Trigger::Startup, None);
        }
        let mut running: Option<Running> = None;
        let mut hold: Option<Hold> = None;
        let mut failures: u32 = 0;
        let mut retry_at: Option<Instant> = None;
        let mut next_interval: Option<Instant> = interval.map(|d| Instant::now() + d);
        let mut burst: Option<(Instant, Instant)> = None;
        let mut changed_during_run: HashSet<String> = HashSet::new();
        let mut stopping = false;
        let mut last_prune: Option<Instant> = None;

        loop {
            // Kept versions older than the folder's limit go, once a day.
            if running.is_none() && last_prune.map(|t| t.elapsed() > Duration::from_secs(86_400)).unwrap_or(true) {
                last_prune = Some(Instant::now());
                let (fid, days) = (id.clone(), self.folder.keep_versions_days);
                tokio::task::spawn_blocking(move || crate::versions::prune(&fid, days));
            }
            if running.is_none() && !paused && !stopping {
                // Held folders run only what the person asked for.
                let pos = pending.iter().position(|p| hold.is_none() || p.trigger == Trigger::Manual || p.trigger == Trigger::Resume);
                if let Some(i) = pos {
                    let p = pending.remove(i);
                    if hold.is_some() {
                        pending.retain(|q| q.trigger == Trigger::Manual || !q.replies.is_empty());
                    }
                    running = Some(self.start(p));
                } else if hold.is_some() {
                    pending.clear();
                }
            }
            self.publish(paused, running.is_some(), &last_report, hold, failures, next_interval.into_iter().chain(retry_at).min());
            if stopping && running.is_none() {
                break;
            }
            let watch_deadline = burst.map(|(first, last)| (last + timing.quiet).min(first + timing.max_wait));
            tokio::select! {
                cmd = self.rx.recv() => match cmd {
                    None | Some(WorkerCmd::Stop) => {
                        stopping = true;
                        if let Some(r) = &running {
                            r.cancel.cancel();
                        }
                        for p in pending.drain(..) {
                            for reply in p.replies {
                                let mut r = SyncReport::new(&id);
                                r.result = SyncResult::Failed;
                                r.error = Some("the sync engine is stopping".into());
                                r.error_code = Some("interrupted".into());
                                let _ = reply.send(r);
                            }
                        }
                    }
                    Some(WorkerCmd::Sync { opts, trigger, reply }) => {
                        if paused {
                            if let Some(reply) = reply {
                                let _ = reply.send(paused_report(&id));
                            }
                        } else {
                            Self::queue(&mut pending, opts, trigger, reply);
                        }
                    }
                    Some(WorkerCmd::Pause) => {
                        paused = true;
                        self.save_paused(true);
                        // A sync in progress stops gracefully; listings stay valid.
                        if let Some(r) = &running {
                            r.cancel.cancel();
                        }
                        for p in pending.drain(..) {
                            for reply in p.replies {
                                let _ = reply.send(paused_report(&id));
                            }
                        }
                    }
                    Some(WorkerCmd::Resume) => {
                        if paused {
                            paused = false;
                            self.save_paused(false);
                        }
                        hold = None;
                        Self::queue(&mut pending, SyncOptions::default(), Trigger::Resume, None);
                    }
                },
                Some(path) = wrx.recv() => {
                    if running.is_some() {
                        changed_during_run.insert(path);
                    } else {
                        let now = Instant::now();
                        burst = Some(match burst { Some((first, _)) => (first, now), None => (now, now) });
                    }
                }
                _ = sleep_opt(watch_deadline) => {
                    burst = None;
                    Self::queue(&mut pending, SyncOptions::default(), Trigger::Watch, None);
                }
                _ = sleep_opt(next_interval) => {
                    next_interval = interval.map(|d| Instant::now() + d);
                    Self::queue(&mut pending, SyncOptions::default(), Trigger::Interval, None);
                }
                _ = sleep_opt(retry_at) => {
                    retry_at = None;
                    Self::queue(&mut pending, SyncOptions::default(), Trigger::Retry, None);
                }
                res = async { match running.as_mut() { Some(r) => (&mut r.handle).await, None => std::future::pending().await } } => {
                    let Some(run) = running.take() else { continue };
                    let report = res.unwrap_or_else(|e| {
                        let mut r = SyncReport::new(&id);
                        r.result = SyncResult::Failed;
                        r.error = Some(format!("the sync stopped unexpectedly: {e}"));
                        r
                    });
                    for reply in run.replies {
                        let _ = reply.send(report.clone());
                    }
                    let manual_dry_run = report.dry_run;
                    if !manual_dry_run {
                        match report.result {
                            SyncResult::Ok | SyncResult::Conflicts => {
                                failures = 0;
                                retry_at = None;
                                hold = None;
                            }
                            SyncResult::Blocked => hold = Some(Hold::Blocked),
                            SyncResult::Failed => match report.error_code.as_deref() {
                                Some("needs-login") => hold = Some(Hold::NeedsLogin),
                                Some("interrupted") | Some("paused") => {}
                                _ => {
                                    failures += 1;
                                    let limited = backoff::is_rate_limited(report.error.as_deref().unwrap_or(""));
                                    retry_at = Some(Instant::now() + backoff::delay(failures, limited, timing.retry_base));
                                }
                            },
                        }
                        last_report = Some(report);
                        next_interval = interval.map(|d| Instant::now() + d);
                    }
                    // Local changes made while it ran, other than its own writes.
                    let own = run.written.lock().map(|w| w.clone()).unwrap_or_default();
                    let others = changed_during_run.drain().filter(|p| !own.contains(p) && !is_conflict_copy(p)).count();
                    if others > 0 {
                        let now = Instant::now();
                        burst = Some((now, now));
                    }
                }
            }
        }
    }

    fn start(&self, p: Pending) -> Running {
        let cancel = CancelToken::new();
        let written = Arc::new(Mutex::new(HashSet::new()));
        let sink = RunSink { shared: self.shared.clone(), folder: self.folder.id.clone(), written: written.clone() };
        let shared = self.shared.clone();
        let folder = self.folder.clone();
        let c = cancel.clone();
        let (opts, trigger) = (p.opts, p.trigger);
        let handle = tokio::task::spawn_blocking(move || sync_recorded(&shared.ctx, &shared.journal, &folder, opts, trigger.key(), &sink, &c));
        Running { handle, cancel, written, replies: p.replies }
    }

    fn save_paused(&self, paused: bool) {
        let mut st = state::load(&self.folder.id);
        st.paused = paused;
        let _ = state::save(&self.folder.id, &st);
    }

    fn publish(&self, paused: bool, syncing: bool, last: &Option<SyncReport>, hold: Option<Hold>, failures: u32, next: Option<Instant>) {
        let conflicts = open_conflict_count(&self.shared.journal, &self.folder.id);
        let failed = last.as_ref().filter(|r| r.result == SyncResult::Failed && r.error_code.as_deref() != Some("interrupted"));
        let state = if syncing {
            FolderState::Syncing
        } else if paused {
            FolderState::Paused
        } else if hold == Some(Hold::NeedsLogin) {
            FolderState::NeedsLogin
        } else if hold == Some(Hold::Blocked) {
            FolderState::Blocked
        } else if let Some(r) = failed {
            let offline = r.error.as_deref().map(|e| e.contains("cannot reach")).unwrap_or(false);
            if offline {
                FolderState::Offline
            } else {
                FolderState::Error
            }
        } else if conflicts > 0 {
            FolderState::Conflicts
        } else {
            FolderState::Idle
        };
        let previous_progress = self.shared.status.lock().ok().and_then(|m| m.get(&self.folder.id).and_then(|s| s.progress.clone()));
        let status = FolderStatus {
            id: self.folder.id.clone(),
            state,
            paused,
            syncing,
            last_report: last.clone(),
            next_sync: if paused || hold.is_some() { None } else { next.map(wall_clock) },
            progress: if syncing { previous_progress } else { None },
            conflicts,
            consecutive_failures: failures,
        };
        self.shared.publish_status(status);
    }
}
