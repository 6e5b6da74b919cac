//! Hosting the engine: what `wsync daemon` and the tray app both run. The
//! host starts the engine with the config on disk, serves the control
//! socket, and follows the config: it watches config.json (and takes
//! `reload` requests), so that added folders start, removed ones stop after
//! their running sync, and changed ones restart alone, without touching the
//! other folders' syncs. A config that fails to load keeps the engine on
//! the last good one, and the problem is reported.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};
use tokio::sync::{mpsc, oneshot};

use super::host::{self, HostRole};
use super::{Engine, EngineHandle, ReloadSummary, Timing};
use crate::config::{self, LoadedConfig};
use crate::error::Result;
use crate::journal::Journal;
use crate::sync::Context;

/// A change of config.json is acted on once it has been quiet this long.
const CONFIG_QUIET: Duration = Duration::from_millis(300);

struct Inner {
    config_path: PathBuf,
    engine: tokio::sync::Mutex<Option<Engine>>,
    handle: EngineHandle,
    problem: RwLock<Option<String>>,
    loaded: RwLock<Option<LoadedConfig>>,
}

/// A running host; see the module docs.
pub struct Host {
    inner: Arc<Inner>,
    stop_serve: Option<oneshot::Sender<()>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    _watcher: Option<notify::RecommendedWatcher>,
}

impl Inner {
    async fn reload(&self) -> Result<ReloadSummary> {
        let loaded = match config::load_or_empty(&self.config_path) {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!("config not applied: {e}");
                self.set_problem(Some(e.to_string()));
                return Err(e);
            }
        };
        for w in &loaded.warnings {
            tracing::warn!("config: {w}");
        }
        self.set_problem(None);
        let mut engine = self.engine.lock().await;
        let Some(engine) = engine.as_mut() else { return Ok(ReloadSummary::default()) };
        let summary = engine.apply(&loaded.config.folders);
        if summary != (ReloadSummary { unchanged: summary.unchanged.clone(), ..Default::default() }) {
            tracing::info!(
                "config applied: added {:?}, removed {:?}, changed {:?}",
                summary.added,
                summary.removed,
                summary.changed
            );
        }
        if let Ok(mut g) = self.loaded.write() {
            *g = Some(loaded);
        }
        Ok(summary)
    }

    fn set_problem(&self, p: Option<String>) {
        if let Ok(mut g) = self.problem.write() {
            *g = p;
        }
    }
}

/// Watch the config file's folder (an atomic save replaces the file) and
/// send a tick for every change of the file itself.
fn watch_config(path: &Path, tx: mpsc::UnboundedSender<()>) -> Option<notify::RecommendedWatcher> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
    let _ = crate::paths::create_private_dir(&dir);
    let name = path.file_name()?.to_os_string();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return;
        }
        if event.paths.iter().any(|p| p.file_name() == Some(name.as_os_str())) {
            let _ = tx.send(());
        }
    })
    .ok()?;
    watcher.watch(&dir, RecursiveMode::NonRecursive).ok()?;
    Some(watcher)
}

impl Host {
    /// Start hosting. Must be called inside a tokio runtime. A config that
    /// does not load starts an engine without folders; see [`Host::problem`].
    pub fn start(config_path: PathBuf, ctx: Context, journal: Journal, timing: Timing, role: HostRole) -> Host {
        // The first config is applied before anyone asks the engine.
        let (loaded, problem) = match config::load_or_empty(&config_path) {
            Ok(l) => (Some(l), None),
            Err(e) => {
                tracing::warn!("config not applied: {e}");
                (None, Some(e.to_string()))
            }
        };
        let folders = loaded.as_ref().map(|l| l.config.folders.clone()).unwrap_or_default();
        let engine = Engine::start(&folders, ctx, journal, timing);
        let handle = engine.handle();
        let inner = Arc::new(Inner {
            config_path: config_path.clone(),
            engine: tokio::sync::Mutex::new(Some(engine)),
            handle: handle.clone(),
            problem: RwLock::new(problem),
            loaded: RwLock::new(loaded),
        });
        let mut tasks = Vec::new();

        // Reload requests from the socket, and ticks from the watcher.
        let (reload_tx, mut reload_rx) = mpsc::channel::<oneshot::Sender<Result<ReloadSummary>>>(8);
        let (tick_tx, mut tick_rx) = mpsc::unbounded_channel::<()>();
        let watcher = watch_config(&config_path, tick_tx);
        if watcher.is_none() {
            tracing::warn!("cannot watch {}; config changes apply on `wsync reload` or a restart", config_path.display());
        }
        let i = inner.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                tokio::select! {
                    req = reload_rx.recv() => match req {
                        Some(reply) => { let _ = reply.send(i.reload().await); }
                        None => break,
                    },
                    tick = tick_rx.recv() => {
                        if tick.is_none() { break; }
                        // Collect the burst of events one save makes.
                        while tokio::time::timeout(CONFIG_QUIET, tick_rx.recv()).await.ok().flatten().is_some() {}
                        let _ = i.reload().await;
                    }
                }
            }
        }));

        let (stop_serve, stop_rx) = oneshot::channel::<()>();
        let serve_handle = handle.clone();
        tasks.push(tokio::spawn(async move {
            let stop = async move {
                let _ = stop_rx.await;
            };
            if let Err(e) = host::serve(serve_handle, reload_tx, &role, stop).await {
                tracing::error!("the control socket stopped: {e}");
            }
            drop(role);
        }));
        Host { inner, stop_serve: Some(stop_serve), tasks, _watcher: watcher }
    }

    pub fn handle(&self) -> EngineHandle {
        self.inner.handle.clone()
    }

    /// Read the config again now.
    pub async fn reload(&self) -> Result<ReloadSummary> {
        self.inner.reload().await
    }

    /// Why the config in force is not the one on disk, if it is not.
    pub fn problem(&self) -> Option<String> {
        self.inner.problem.read().ok().and_then(|p| p.clone())
    }

    /// The config as last applied.
    pub fn config(&self) -> Option<LoadedConfig> {
        self.inner.loaded.read().ok().and_then(|l| l.clone())
    }

    pub fn config_path(&self) -> &Path {
        &self.inner.config_path
    }

    /// Stop: the socket closes, running syncs are interrupted cleanly
    /// (rclone leaves its listings valid), the workers end.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.stop_serve.take() {
            let _ = tx.send(());
        }
        self._watcher = None;
        let engine = self.inner.engine.lock().await.take();
        if let Some(engine) = engine {
            engine.shutdown().await;
        }
        for t in self.tasks.drain(..) {
            t.abort();
            let _ = t.await;
        }
    }
}
