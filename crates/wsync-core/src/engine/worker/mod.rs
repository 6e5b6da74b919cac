//! One folder's worker: its triggers, the single running sync, the queue
//! of coalesced requests, pause, holds (blocked, needs login) and backoff.
//! Local changes are collected as a burst and acted on once, with the
//! changed paths handed to the sync as a hint (the fast path for saves).

mod sink;
mod status;

use std::collections::{BTreeSet, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::backoff;
use super::record::{open_conflict_count, sync_recorded};
use super::watch::watch_folder;
use super::{EngineEvent, Shared, Trigger, WorkerCmd};
use crate::cancel::CancelToken;
use crate::config::FolderConfig;
use crate::error::{Error, ErrorCode, Fix, Retry};
use crate::events::SyncEvent;
use crate::filter::Excludes;
use crate::report::{SyncReport, SyncResult};
use crate::state;
use crate::sync::{is_conflict_copy, SyncOptions};

/// Most changed paths a burst carries as a hint; more means a full sync.
const MAX_HINTED_PATHS: usize = 64;

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
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Hold {
    Blocked,
    NeedsLogin,
}

/// Local changes seen since the last sync started.
#[derive(Default)]
struct Burst {
    first: Option<Instant>,
    last: Option<Instant>,
    paths: BTreeSet<String>,
    overflow: bool,
}

impl Burst {
    fn add(&mut self, path: String) {
        let now = Instant::now();
        self.first.get_or_insert(now);
        self.last = Some(now);
        if self.paths.len() < MAX_HINTED_PATHS {
            self.paths.insert(path);
        } else {
            self.overflow = true;
        }
    }

    fn deadline(&self, quiet: Duration, max_wait: Duration) -> Option<Instant> {
        Some((self.last? + quiet).min(self.first? + max_wait))
    }

    /// The sync this burst asks for: the changed paths as a hint, or a full
    /// sync when there were too many.
    fn take(&mut self) -> SyncOptions {
        let b = std::mem::take(self);
        SyncOptions { changed: if b.overflow { Vec::new() } else { b.paths.into_iter().collect() }, ..SyncOptions::default() }
    }
}

pub(crate) struct Worker {
    folder: FolderConfig,
    shared: Arc<Shared>,
    rx: mpsc::UnboundedReceiver<WorkerCmd>,
    conflicts: usize,
}

fn stopped_report(folder: &str, why: &str) -> SyncReport {
    SyncReport::failed(folder, &Error::coded(ErrorCode::Interrupted, why))
}

fn paused_report(folder: &str) -> SyncReport {
    SyncReport::failed(
        folder,
        &Error::fixable(ErrorCode::Paused, format!("folder \"{folder}\" is paused"), Fix::Resume { folder: folder.to_string() }),
    )
}

async fn sleep_opt(at: Option<Instant>) {
    match at {
        Some(t) => tokio::time::sleep_until(t).await,
        None => std::future::pending().await,
    }
}

/// Queue a request; requests that one run can serve share it. A full sync
/// serves a hinted one (the hint is dropped); hinted ones merge their paths.
fn queue(pending: &mut Vec<Pending>, opts: SyncOptions, trigger: Trigger, reply: Option<oneshot::Sender<SyncReport>>) {
    let same_kind = |p: &SyncOptions| SyncOptions { changed: Vec::new(), ..p.clone() } == SyncOptions { changed: Vec::new(), ..opts.clone() };
    if let Some(p) = pending.iter_mut().find(|p| same_kind(&p.opts)) {
        if p.opts.changed.is_empty() || opts.changed.is_empty() {
            p.opts.changed.clear();
        } else {
            let mut all: BTreeSet<String> = p.opts.changed.drain(..).collect();
            all.extend(opts.changed);
            p.opts.changed = if all.len() > MAX_HINTED_PATHS { Vec::new() } else { all.into_iter().collect() };
        }
        p.replies.extend(reply);
        if trigger == Trigger::Manual {
            p.trigger = Trigger::Manual;
        }
        return;
    }
    pending.push(Pending { opts, trigger, replies: reply.into_iter().collect() });
}

impl Worker {
    pub fn new(folder: FolderConfig, shared: Arc<Shared>, rx: mpsc::UnboundedReceiver<WorkerCmd>) -> Worker {
        Worker { folder, shared, rx, conflicts: 0 }
    }

    fn warn(&self, message: String) {
        let _ = self.shared.events.send(EngineEvent::Sync { event: SyncEvent::Warning { folder: self.folder.id.clone(), message } });
    }

    pub async fn run(mut self) {
        let id = self.folder.id.clone();
        let timing = self.shared.timing;
        let saved = match state::load(&id) {
            Ok(s) => s,
            Err(e) => {
                // A damaged state file: nothing runs until the person fixes it.
                self.warn(e.to_string());
                let mut s = state::FolderState { paused: true, ..Default::default() };
                s.last_report = Some(SyncReport::failed(&id, &e));
                s
            }
        };
        let mut paused = saved.paused;
        let mut last_report = saved.last_report.clone();
        self.conflicts = open_conflict_count(&self.shared.journal, &id);
        let interval = (self.folder.interval > 0).then(|| Duration::from_secs(self.folder.interval));

        let (wtx, mut wrx) = mpsc::unbounded_channel::<String>();
        let _watcher = if self.folder.watch {
            match watch_folder(&self.folder.local_dir(), Excludes::new(&self.folder.exclude), wtx) {
                Ok(w) => Some(w),
                Err(e) => {
                    self.warn(e.to_string());
                    None
                }
            }
        } else {
            drop(wtx);
            None
        };

        let mut pending: Vec<Pending> = Vec::new();
        if !paused {
            queue(&mut pending, SyncOptions::default(), Trigger::Startup, None);
        }
        let mut running: Option<Running> = None;
        let mut hold: Option<Hold> = None;
        let mut failures: u32 = 0;
        let mut retry_at: Option<Instant> = None;
        let mut next_interval: Option<Instant> = interval.map(|d| Instant::now() + d);
        let mut burst = Burst::default();
        let mut changed_during_run: HashSet<String> = HashSet::new();
        let mut stopping = false;
        let mut retired: Option<(oneshot::Sender<()>, bool)> = None;
        let mut last_prune: Option<Instant> = None;

        loop {
            // Kept versions older than the folder's limit go, once a day.
            if running.is_none() && last_prune.map(|t| t.elapsed() > Duration::from_secs(86_400)).unwrap_or(true) {
                last_prune = Some(Instant::now());
                let (ctx_shared, folder) = (self.shared.clone(), self.folder.clone());
                tokio::task::spawn_blocking(move || crate::versions::prune_folder(&ctx_shared.ctx.rclone, &ctx_shared.ctx.secrets, &folder));
            }
            if running.is_none() && !paused && !stopping && retired.is_none() {
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
            let progress = if running.is_some() {
                self.shared.status.lock().ok().and_then(|m| m.get(&id).and_then(|s| s.progress.clone()))
            } else {
                None
            };
            self.shared.publish_status(status::compute(status::Facts {
                id: &id,
                paused,
                syncing: running.is_some(),
                last: &last_report,
                hold,
                failures,
                next: next_interval.into_iter().chain(retry_at).min(),
                conflicts: self.conflicts,
                progress,
            }));
            if (stopping || retired.is_some()) && running.is_none() {
                break;
            }
            let watch_deadline = burst.deadline(timing.quiet, timing.max_wait);
            tokio::select! {
                cmd = self.rx.recv() => match cmd {
                    None | Some(WorkerCmd::Stop) => {
                        stopping = true;
                        if let Some(r) = &running {
                            r.cancel.cancel();
                        }
                        for p in pending.drain(..) {
                            for reply in p.replies {
                                let _ = reply.send(stopped_report(&id, "the sync engine is stopping"));
                            }
                        }
                    }
                    Some(WorkerCmd::Retire { done, removed }) => {
                        // The running sync ends on its own; nothing new starts.
                        retired = Some((done, removed));
                        for p in pending.drain(..) {
                            for reply in p.replies {
                                let _ = reply.send(stopped_report(&id, "the folder's settings changed; sync it again"));
                            }
                        }
                    }
                    Some(WorkerCmd::Sync { opts, trigger, reply }) => {
                        if paused {
                            if let Some(reply) = reply {
                                let _ = reply.send(paused_report(&id));
                            }
                        } else {
                            queue(&mut pending, opts, trigger, reply);
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
                        queue(&mut pending, SyncOptions::default(), Trigger::Resume, None);
                    }
                },
                Some(path) = wrx.recv() => {
                    if running.is_some() {
                        changed_during_run.insert(path);
                    } else {
                        burst.add(path);
                    }
                }
                _ = sleep_opt(watch_deadline) => {
                    queue(&mut pending, burst.take(), Trigger::Watch, None);
                }
                _ = sleep_opt(next_interval) => {
                    next_interval = interval.map(|d| Instant::now() + d);
                    queue(&mut pending, SyncOptions::default(), Trigger::Interval, None);
                }
                _ = sleep_opt(retry_at) => {
                    retry_at = None;
                    queue(&mut pending, SyncOptions::default(), Trigger::Retry, None);
                }
                res = async { match running.as_mut() { Some(r) => (&mut r.handle).await, None => std::future::pending().await } } => {
                    let Some(run) = running.take() else { continue };
                    let report = res.unwrap_or_else(|e| SyncReport::failed(&id, &Error::Busy(format!("the sync stopped unexpectedly: {e}"))));
                    for reply in run.replies {
                        let _ = reply.send(report.clone());
                    }
                    if !report.dry_run {
                        match report.result {
                            SyncResult::Ok | SyncResult::Conflicts => {
                                failures = 0;
                                retry_at = None;
                                hold = None;
                            }
                            SyncResult::Blocked => hold = Some(Hold::Blocked),
                            SyncResult::Failed => match report.error_code.map(ErrorCode::retry).unwrap_or(Retry::Backoff) {
                                Retry::WaitForPerson => hold = Some(Hold::NeedsLogin),
                                Retry::No => {}
                                r => {
                                    failures += 1;
                                    retry_at = Some(Instant::now() + backoff::delay(failures, r == Retry::SlowBackoff, timing.retry_base));
                                }
                            },
                        }
                        last_report = Some(report);
                        next_interval = interval.map(|d| Instant::now() + d);
                    }
                    self.conflicts = open_conflict_count(&self.shared.journal, &id);
                    // Local changes made while it ran, other than its own writes.
                    let own = run.written.lock().map(|w| w.clone()).unwrap_or_default();
                    for p in changed_during_run.drain().filter(|p| !own.contains(p) && !is_conflict_copy(p)) {
                        burst.add(p);
                    }
                }
            }
        }
        if let Some((done, removed)) = retired {
            if removed {
                self.shared.forget_status(&id);
            }
            let _ = done.send(());
        }
    }

    fn start(&self, p: Pending) -> Running {
        let cancel = CancelToken::new();
        let written = Arc::new(Mutex::new(HashSet::new()));
        let sink = sink::RunSink { shared: self.shared.clone(), folder: self.folder.id.clone(), written: written.clone() };
        let shared = self.shared.clone();
        let folder = self.folder.clone();
        let c = cancel.clone();
        let (opts, trigger) = (p.opts, p.trigger);
        let handle = tokio::task::spawn_blocking(move || sync_recorded(&shared.ctx, &shared.journal, &folder, opts, trigger.key(), &sink, &c));
        Running { handle, cancel, written, replies: p.replies }
    }

    fn save_paused(&self, paused: bool) {
        if let Err(e) = state::update(&self.folder.id, |st| st.paused = paused) {
            self.warn(format!("could not save the pause switch: {e}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_sync_serves_a_hinted_one_and_hints_merge() {
        let mut p = Vec::new();
        let hinted = |paths: &[&str]| SyncOptions { changed: paths.iter().map(|s| s.to_string()).collect(), ..Default::default() };
        queue(&mut p, hinted(&["a"]), Trigger::Watch, None);
        queue(&mut p, hinted(&["b"]), Trigger::Watch, None);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].opts.changed, ["a", "b"]);
        queue(&mut p, SyncOptions::default(), Trigger::Interval, None);
        assert_eq!(p.len(), 1);
        assert!(p[0].opts.changed.is_empty(), "the full sync covers the hinted paths");
        queue(&mut p, hinted(&["c"]), Trigger::Watch, None);
        assert!(p[0].opts.changed.is_empty());
    }
}
