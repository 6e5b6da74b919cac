//! The sync engine: a small event loop of workers, one per folder, that
//! decides when each folder syncs (start-up, its interval, local changes,
//! "sync now", resume, retries), never runs two syncs of one folder at once,
//! coalesces requests that arrive during a sync into one follow-up run,
//! backs off after failures, and publishes typed events.
//!
//! The set of workers follows the config: [`Engine::apply`] starts workers
//! for added folders, lets removed ones finish their running sync and stop,
//! and restarts changed ones alone. [`hosting`] runs it for the tray app and
//! `wsync daemon`; the CLI talks to the host over a local socket ([`host`]).

mod backoff;
pub mod host;
pub mod hosting;
pub mod record;
mod watch;
mod worker;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio::task::JoinSet;

pub use record::{open_conflict_count, sync_recorded};

pub use crate::status::{FolderState, FolderStatus, Progress};
use crate::config::FolderConfig;
use crate::error::{Error, Result};
use crate::events::SyncEvent;
use crate::journal::Journal;
use crate::report::SyncReport;
use crate::sync::{Context, SyncOptions};

/// Why a sync started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trigger {
    Startup,
    Interval,
    Watch,
    Manual,
    Resume,
    Retry,
}

impl Trigger {
    pub fn key(self) -> &'static str {
        match self {
            Trigger::Startup => "startup",
            Trigger::Interval => "interval",
            Trigger::Watch => "watch",
            Trigger::Manual => "manual",
            Trigger::Resume => "resume",
            Trigger::Retry => "retry",
        }
    }
}

/// What the engine publishes.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum EngineEvent {
    Folder { status: FolderStatus },
    /// A folder left the engine (removed from the config).
    Removed { folder: String },
    Sync { event: SyncEvent },
}

/// Timing knobs (defaults: 0.4 s quiet period, 10 s longest wait under
/// constant churn, 5 s first retry).
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub quiet: Duration,
    pub max_wait: Duration,
    pub retry_base: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        let ms = |var: &str, default: u64| {
            Duration::from_millis(std::env::var(var).ok().and_then(|v| v.parse().ok()).unwrap_or(default))
        };
        Timing { quiet: ms("WSYNC_QUIET_MS", 400), max_wait: ms("WSYNC_MAX_WAIT_MS", 10_000), retry_base: ms("WSYNC_RETRY_BASE_MS", 5000) }
    }
}

pub(crate) enum WorkerCmd {
    Sync { opts: SyncOptions, trigger: Trigger, reply: Option<oneshot::Sender<SyncReport>> },
    Pause,
    Resume,
    /// Stop now: a running sync is interrupted gracefully.
    Stop,
    /// The folder left the config (`removed`) or changed: finish the
    /// running sync, then stop; `done` fires when the worker has ended.
    Retire { done: oneshot::Sender<()>, removed: bool },
}

/// A running worker as the engine addresses it.
struct Slot {
    folder: FolderConfig,
    tx: mpsc::UnboundedSender<WorkerCmd>,
}

pub(crate) struct Shared {
    pub ctx: Context,
    pub journal: Mutex<Journal>,
    pub events: broadcast::Sender<EngineEvent>,
    pub status: Mutex<BTreeMap<String, FolderStatus>>,
    pub timing: Timing,
    slots: RwLock<BTreeMap<String, Slot>>,
}

impl Shared {
    /// Publish a folder's status, only when it changed.
    pub fn publish_status(&self, status: FolderStatus) {
        if let Ok(mut map) = self.status.lock() {
            if map.get(&status.id) == Some(&status) {
                return;
            }
            map.insert(status.id.clone(), status.clone());
        }
        let _ = self.events.send(EngineEvent::Folder { status });
    }

    fn forget_status(&self, folder: &str) {
        if let Ok(mut map) = self.status.lock() {
            map.remove(folder);
        }
        let _ = self.events.send(EngineEvent::Removed { folder: folder.to_string() });
    }
}

/// A handle to a running engine; cheap to clone.
#[derive(Clone)]
pub struct EngineHandle {
    shared: Arc<Shared>,
}

/// What applying a config changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReloadSummary {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
    pub unchanged: Vec<String>,
}

pub struct Engine {
    handle: EngineHandle,
    tasks: JoinSet<()>,
}

impl Engine {
    /// Start one worker per folder. Must be called inside a tokio runtime.
    pub fn start(folders: &[FolderConfig], ctx: Context, journal: Journal, timing: Timing) -> Engine {
        let (events, _) = broadcast::channel(1024);
        let shared = Arc::new(Shared {
            ctx,
            journal: Mutex::new(journal),
            events,
            status: Mutex::new(BTreeMap::new()),
            timing,
            slots: RwLock::new(BTreeMap::new()),
        });
        if let Ok(j) = shared.journal.lock() {
            let _ = j.prune(90, 100_000);
        }
        let mut engine = Engine { handle: EngineHandle { shared }, tasks: JoinSet::new() };
        engine.apply(folders);
        engine
    }

    pub fn handle(&self) -> EngineHandle {
        self.handle.clone()
    }

    fn spawn(&mut self, folder: FolderConfig, after: Option<oneshot::Receiver<()>>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let shared = self.handle.shared.clone();
        if let Ok(mut slots) = shared.slots.write() {
            slots.insert(folder.id.clone(), Slot { folder: folder.clone(), tx });
        }
        let w = worker::Worker::new(folder, shared, rx);
        self.tasks.spawn(async move {
            // A changed folder's new worker waits for the old one to end.
            if let Some(done) = after {
                let _ = done.await;
            }
            w.run().await;
        });
    }

    /// Make the workers match `folders`: other folders' syncs go on
    /// untouched.
    pub fn apply(&mut self, folders: &[FolderConfig]) -> ReloadSummary {
        // Reap workers that ended (retired ones).
        while self.tasks.try_join_next().is_some() {}
        let mut summary = ReloadSummary::default();
        let current: BTreeMap<String, FolderConfig> = self
            .handle
            .shared
            .slots
            .read()
            .map(|s| s.iter().map(|(k, v)| (k.clone(), v.folder.clone())).collect())
            .unwrap_or_default();
        for (id, _) in current.iter().filter(|(id, _)| !folders.iter().any(|f| &f.id == *id)) {
            let slot = self.handle.shared.slots.write().ok().and_then(|mut s| s.remove(id));
            if let Some(slot) = slot {
                let (done, _) = oneshot::channel();
                let _ = slot.tx.send(WorkerCmd::Retire { done, removed: true });
            }
            summary.removed.push(id.clone());
        }
        for f in folders {
            match current.get(&f.id) {
                None => {
                    self.spawn(f.clone(), None);
                    summary.added.push(f.id.clone());
                }
                Some(old) if old != f => {
                    let (done, wait) = oneshot::channel();
                    let old_tx = self.handle.shared.slots.read().ok().and_then(|s| s.get(&f.id).map(|slot| slot.tx.clone()));
                    match old_tx {
                        Some(tx) if tx.send(WorkerCmd::Retire { done, removed: false }).is_ok() => self.spawn(f.clone(), Some(wait)),
                        _ => self.spawn(f.clone(), None),
                    }
                    summary.changed.push(f.id.clone());
                }
                Some(_) => summary.unchanged.push(f.id.clone()),
            }
        }
        summary
    }

    /// Stop every worker: running syncs are interrupted gracefully (rclone
    /// gets SIGINT and leaves its listings valid), then the workers end.
    pub async fn shutdown(mut self) {
        let txs: Vec<_> =
            self.handle.shared.slots.write().map(|mut s| std::mem::take(&mut *s).into_values().map(|v| v.tx).collect()).unwrap_or_default();
        for tx in txs {
            let _ = tx.send(WorkerCmd::Stop);
        }
        while self.tasks.join_next().await.is_some() {}
    }
}

impl EngineHandle {
    fn targets(&self, folder: Option<&str>) -> Result<Vec<mpsc::UnboundedSender<WorkerCmd>>> {
        let slots = self.shared.slots.read().map_err(|_| Error::Busy("the sync engine is unavailable".into()))?;
        match folder {
            Some(id) => match slots.get(id) {
                Some(s) => Ok(vec![s.tx.clone()]),
                None => Err(Error::UnknownFolder {
                    id: id.to_string(),
                    config: "the running engine's config".into(),
                    known: {
                        let k: Vec<String> = slots.keys().cloned().collect();
                        if k.is_empty() { "none".into() } else { k.join(", ") }
                    },
                }),
            },
            None => Ok(slots.values().map(|s| s.tx.clone()).collect()),
        }
    }

    /// The folders the engine runs, in config order of their ids.
    pub fn folders(&self) -> Vec<FolderConfig> {
        self.shared.slots.read().map(|s| s.values().map(|v| v.folder.clone()).collect()).unwrap_or_default()
    }

    pub fn folder(&self, id: &str) -> Option<FolderConfig> {
        self.shared.slots.read().ok().and_then(|s| s.get(id).map(|v| v.folder.clone()))
    }

    /// Sync and wait for the results (a request during a running sync is
    /// served by one follow-up run).
    pub async fn sync(&self, folder: Option<&str>, opts: SyncOptions) -> Result<Vec<SyncReport>> {
        let mut waits = Vec::new();
        for tx in self.targets(folder)? {
            let (rtx, rrx) = oneshot::channel();
            let _ = tx.send(WorkerCmd::Sync { opts: opts.clone(), trigger: Trigger::Manual, reply: Some(rtx) });
            waits.push(rrx);
        }
        let mut reports = Vec::new();
        for w in waits {
            if let Ok(r) = w.await {
                reports.push(r);
            }
        }
        Ok(reports)
    }

    /// Ask for a sync without waiting (the tray's "Sync now").
    pub fn request_sync(&self, folder: Option<&str>) -> Result<()> {
        for tx in self.targets(folder)? {
            let _ = tx.send(WorkerCmd::Sync { opts: SyncOptions::default(), trigger: Trigger::Manual, reply: None });
        }
        Ok(())
    }

    pub fn pause(&self, folder: Option<&str>) -> Result<()> {
        for tx in self.targets(folder)? {
            let _ = tx.send(WorkerCmd::Pause);
        }
        Ok(())
    }

    pub fn resume(&self, folder: Option<&str>) -> Result<()> {
        for tx in self.targets(folder)? {
            let _ = tx.send(WorkerCmd::Resume);
        }
        Ok(())
    }

    pub fn status(&self) -> Vec<FolderStatus> {
        self.shared.status.lock().map(|m| m.values().cloned().collect()).unwrap_or_default()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<EngineEvent> {
        self.shared.events.subscribe()
    }

    pub fn journal(&self) -> &Mutex<Journal> {
        &self.shared.journal
    }

    pub fn context(&self) -> &Context {
        &self.shared.ctx
    }
}
