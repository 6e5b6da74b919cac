//! The sync engine: a small event loop of workers, one per folder, that
//! decides when each folder syncs (start-up, its interval, local changes,
//! "sync now", resume, retries), never runs two syncs of one folder at once,
//! coalesces requests that arrive during a sync into one follow-up run,
//! backs off after failures, and publishes typed events.
//!
//! The tray app and `wsync daemon` host it; the CLI talks to the host over
//! a local socket (see `host`).

mod backoff;
pub mod host;
pub mod record;
mod watch;
mod worker;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio::task::JoinSet;

pub use backoff::is_rate_limited;
pub use record::{open_conflict_count, sync_recorded};

use crate::config::{FolderConfig, LoadedConfig};
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
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

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub bytes: u64,
    pub total_bytes: u64,
    pub files_done: u64,
    pub files_total: u64,
    pub eta_seconds: Option<f64>,
    pub current: Vec<String>,
}

/// A folder as the engine sees it right now.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
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

/// What the engine publishes.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum EngineEvent {
    Folder { status: FolderStatus },
    Sync { event: SyncEvent },
}

/// Timing knobs (defaults: 1 s quiet period, 10 s longest wait under
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
        Timing { quiet: ms("WSYNC_QUIET_MS", 1000), max_wait: ms("WSYNC_MAX_WAIT_MS", 10_000), retry_base: ms("WSYNC_RETRY_BASE_MS", 5000) }
    }
}

pub(crate) enum WorkerCmd {
    Sync { opts: SyncOptions, trigger: Trigger, reply: Option<oneshot::Sender<SyncReport>> },
    Pause,
    Resume,
    Stop,
}

pub(crate) struct Shared {
    pub ctx: Context,
    pub journal: Mutex<Journal>,
    pub events: broadcast::Sender<EngineEvent>,
    pub status: Mutex<BTreeMap<String, FolderStatus>>,
    pub timing: Timing,
}

impl Shared {
    pub fn publish_status(&self, status: FolderStatus) {
        if let Ok(mut map) = self.status.lock() {
            map.insert(status.id.clone(), status.clone());
        }
        let _ = self.events.send(EngineEvent::Folder { status });
    }
}

/// A handle to a running engine; cheap to clone.
#[derive(Clone)]
pub struct EngineHandle {
    shared: Arc<Shared>,
    workers: Arc<BTreeMap<String, mpsc::UnboundedSender<WorkerCmd>>>,
    folders: Arc<Vec<FolderConfig>>,
}

pub struct Engine {
    handle: EngineHandle,
    tasks: JoinSet<()>,
}

impl Engine {
    /// Start one worker per folder. Must be called inside a tokio runtime.
    pub fn start(config: &LoadedConfig, ctx: Context, journal: Journal, timing: Timing) -> Result<Engine> {
        let (events, _) = broadcast::channel(1024);
        let shared = Arc::new(Shared { ctx, journal: Mutex::new(journal), events, status: Mutex::new(BTreeMap::new()), timing });
        if let Ok(j) = shared.journal.lock() {
            let _ = j.prune(90, 100_000);
        }
        let mut tasks = JoinSet::new();
        let mut workers = BTreeMap::new();
        for folder in &config.config.folders {
            let (tx, rx) = mpsc::unbounded_channel();
            workers.insert(folder.id.clone(), tx);
            let w = worker::Worker::new(folder.clone(), shared.clone(), rx);
            tasks.spawn(w.run());
        }
        let handle = EngineHandle { shared, workers: Arc::new(workers), folders: Arc::new(config.config.folders.clone()) };
        Ok(Engine { handle, tasks })
    }

    pub fn handle(&self) -> EngineHandle {
        self.handle.clone()
    }

    /// Stop every worker: running syncs are interrupted gracefully (rclone
    /// gets SIGINT and leaves its listings valid), then the workers end.
    pub async fn shutdown(mut self) {
        for tx in self.handle.workers.values() {
            let _ = tx.send(WorkerCmd::Stop);
        }
        while self.tasks.join_next().await.is_some() {}
    }
}

impl EngineHandle {
    fn targets(&self, folder: Option<&str>) -> Result<Vec<(&String, &mpsc::UnboundedSender<WorkerCmd>)>> {
        match folder {
            Some(id) => match self.workers.get_key_value(id) {
                Some(kv) => Ok(vec![kv]),
                None => Err(Error::UnknownFolder {
                    id: id.to_string(),
                    config: "the running engine's config".into(),
                    known: self.workers.keys().cloned().collect::<Vec<_>>().join(", "),
                }),
            },
            None => Ok(self.workers.iter().collect()),
        }
    }

    pub fn folders(&self) -> &[FolderConfig] {
        &self.folders
    }

    pub fn folder(&self, id: &str) -> Option<&FolderConfig> {
        self.folders.iter().find(|f| f.id == id)
    }

    /// Sync and wait for the results (a request during a running sync is
    /// served by one follow-up run).
    pub async fn sync(&self, folder: Option<&str>, opts: SyncOptions) -> Result<Vec<SyncReport>> {
        let mut waits = Vec::new();
        for (_, tx) in self.targets(folder)? {
            let (rtx, rrx) = oneshot::channel();
            let _ = tx.send(WorkerCmd::Sync { opts, trigger: Trigger::Manual, reply: Some(rtx) });
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
        for (_, tx) in self.targets(folder)? {
            let _ = tx.send(WorkerCmd::Sync { opts: SyncOptions::default(), trigger: Trigger::Manual, reply: None });
        }
        Ok(())
    }

    pub fn pause(&self, folder: Option<&str>) -> Result<()> {
        for (_, tx) in self.targets(folder)? {
            let _ = tx.send(WorkerCmd::Pause);
        }
        Ok(())
    }

    pub fn resume(&self, folder: Option<&str>) -> Result<()> {
        for (_, tx) in self.targets(folder)? {
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
