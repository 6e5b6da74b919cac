//! The app's state: the config path, the host role, the running engine
//! (an `Option` inside a tokio `Mutex`, so that adding or removing a folder
//! restarts it with the new config: shutdown, then start), and the app's own
//! settings (notifications on/off).

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};
use tokio::sync::oneshot;
use wsync_core::config::{self, LoadedConfig};
use wsync_core::credentials::Keychain;
use wsync_core::engine::host::{self, HostRole};
use wsync_core::engine::{Engine, EngineHandle, Timing};
use wsync_core::journal::Journal;
use wsync_core::secrets::Secrets;
use wsync_core::sync::Context;

use crate::error::{AppError, AppResult};
use crate::{error, info, warn};

/// Settings of the app itself (not of a folder), in the state dir.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSettings {
    #[serde(default = "yes")]
    pub notifications: bool,
}

fn yes() -> bool {
    true
}

impl Default for AppSettings {
    fn default() -> Self {
        AppSettings { notifications: true }
    }
}

fn settings_path() -> PathBuf {
    wsync_core::paths::state_dir().join("app-settings.json")
}

impl AppSettings {
    pub fn load() -> AppSettings {
        std::fs::read_to_string(settings_path()).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default()
    }

    pub fn save(&self) -> AppResult<()> {
        let path = settings_path();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| AppError::io(&format!("cannot create {}", dir.display()), e))?;
        }
        let tmp = path.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(self).map_err(|e| AppError::io("cannot encode the app settings", e))?;
        std::fs::write(&tmp, text).map_err(|e| AppError::io(&format!("cannot write {}", tmp.display()), e))?;
        std::fs::rename(&tmp, &path).map_err(|e| AppError::io(&format!("cannot replace {}", path.display()), e))
    }
}

/// A running engine and the tasks that serve it.
struct Running {
    engine: Engine,
    stop_serve: oneshot::Sender<()>,
    serve: tauri::async_runtime::JoinHandle<()>,
    forward: tauri::async_runtime::JoinHandle<()>,
}

pub struct AppState {
    pub config_path: PathBuf,
    role: Mutex<Option<Arc<HostRole>>>,
    running: tokio::sync::Mutex<Option<Running>>,
    handle: RwLock<Option<EngineHandle>>,
    /// Why the engine is not running although folders are configured.
    problem: RwLock<Option<String>>,
    /// The config as last loaded (folders without an engine still show).
    loaded: RwLock<Option<LoadedConfig>>,
    pub settings: Mutex<AppSettings>,
}

impl AppState {
    pub fn new(config_path: PathBuf, role: HostRole) -> AppState {
        AppState {
            config_path,
            role: Mutex::new(Some(Arc::new(role))),
            running: tokio::sync::Mutex::new(None),
            handle: RwLock::new(None),
            problem: RwLock::new(None),
            loaded: RwLock::new(None),
            settings: Mutex::new(AppSettings::load()),
        }
    }

    /// The running engine, if any.
    pub fn engine(&self) -> Option<EngineHandle> {
        self.handle.read().ok().and_then(|h| h.clone())
    }

    pub fn engine_or_err(&self, folder: Option<&str>) -> AppResult<EngineHandle> {
        match self.engine() {
            Some(h) => {
                if let Some(id) = folder {
                    if h.folder(id).is_none() {
                        return Err(self.unknown(id));
                    }
                }
                Ok(h)
            }
            None => match (folder, self.problem()) {
                (_, Some(p)) => Err(AppError::new("config", p)),
                (Some(id), None) => Err(self.unknown(id)),
                (None, None) => Err(AppError::new("config", "no folder is set up yet; add one in the setup page")),
            },
        }
    }

    fn unknown(&self, id: &str) -> AppError {
        let known: Vec<String> = self.folders().iter().map(|f| f.id.clone()).collect();
        AppError::new(
            "unknown-folder",
            format!(
                "no folder \"{id}\" in {}; known folders: {}",
                self.config_path.display(),
                if known.is_empty() { "none".to_string() } else { known.join(", ") }
            ),
        )
    }

    pub fn problem(&self) -> Option<String> {
        self.problem.read().ok().and_then(|p| p.clone())
    }

    /// The configured folders (from the running engine, else the config file).
    pub fn folders(&self) -> Vec<wsync_core::config::FolderConfig> {
        if let Some(h) = self.engine() {
            return h.folders().to_vec();
        }
        self.loaded.read().ok().and_then(|l| l.as_ref().map(|l| l.config.folders.clone())).unwrap_or_default()
    }

    pub fn folder(&self, id: &str) -> AppResult<wsync_core::config::FolderConfig> {
        self.folders().into_iter().find(|f| f.id == id).ok_or_else(|| self.unknown(id))
    }

    /// Read the config file in force; a missing file is an empty config.
    pub fn load_config(&self) -> AppResult<LoadedConfig> {
        if !self.config_path.exists() {
            return Ok(LoadedConfig {
                path: self.config_path.clone(),
                config: config::Config { version: config::SCHEMA_VERSION, folders: Vec::new() },
                warnings: Vec::new(),
            });
        }
        Ok(config::load(&self.config_path)?)
    }

    /// Start the engine with the config on disk (nothing runs if no folder
    /// is configured). Errors are kept in `problem` and shown by the tray.
    pub async fn start(&self, app: &AppHandle) {
        let mut running = self.running.lock().await;
        if running.is_some() {
            return;
        }
        self.set_problem(None);
        match self.try_start(app) {
            Ok(r) => *running = r,
            Err(e) => {
                error!("the sync engine did not start: {}", e.message);
                self.set_problem(Some(e.message));
            }
        }
        drop(running);
        crate::tray::refresh(app);
    }

    fn set_problem(&self, p: Option<String>) {
        if let Ok(mut g) = self.problem.write() {
            *g = p;
        }
    }

    fn try_start(&self, app: &AppHandle) -> AppResult<Option<Running>> {
        let loaded = self.load_config()?;
        for w in &loaded.warnings {
            warn!("config: {w}");
        }
        if let Ok(mut g) = self.loaded.write() {
            *g = Some(loaded.clone());
        }
        if loaded.config.folders.is_empty() {
            info!("no folder is configured in {}; the engine waits for the setup", loaded.path.display());
            return Ok(None);
        }
        let role = self.role.lock().ok().and_then(|r| r.clone()).ok_or_else(|| AppError::new("busy", "the app is stopping"))?;
        let ctx = Context { rclone: wsync_core::rclone::locate()?, secrets: Secrets::with_store(Keychain::shared()) };
        info!("rclone {} at {}", ctx.rclone.version, ctx.rclone.path.display());
        let journal = Journal::open_default()?;
        let engine = Engine::start(&loaded, ctx, journal, Timing::default())?;
        let handle = engine.handle();
        if let Ok(mut g) = self.handle.write() {
            *g = Some(handle.clone());
        }
        let forward = crate::events::forward(app.clone(), handle.clone());
        let (stop_serve, stop_rx) = oneshot::channel::<()>();
        let serve_handle = handle.clone();
        let serve = tauri::async_runtime::spawn(async move {
            let stop = async move {
                let _ = stop_rx.await;
            };
            if let Err(e) = host::serve(serve_handle, &role, stop).await {
                error!("the control socket stopped: {e}");
            }
        });
        info!(
            "engine started: {} folder(s) from {}; control socket {}",
            loaded.config.folders.len(),
            loaded.path.display(),
            host::socket_path().display()
        );
        Ok(Some(Running { engine, stop_serve, serve, forward }))
    }

    /// Stop the engine gracefully: the socket closes, running syncs are
    /// interrupted cleanly (rclone leaves its listings valid), workers end.
    pub async fn stop_engine(&self) {
        let mut running = self.running.lock().await;
        if let Some(r) = running.take() {
            info!("stopping the sync engine…");
            let _ = r.stop_serve.send(());
            let _ = r.serve.await;
            r.engine.shutdown().await;
            r.forward.abort();
            info!("sync engine stopped");
        }
        if let Ok(mut g) = self.handle.write() {
            *g = None;
        }
    }

    /// Restart with the config on disk (after a folder was added, removed or changed).
    pub async fn restart(&self, app: &AppHandle) {
        self.stop_engine().await;
        self.start(app).await;
    }

    /// Stop everything and give up the host role (Quit, SIGTERM).
    pub async fn shutdown(&self) {
        self.stop_engine().await;
        if let Ok(mut g) = self.role.lock() {
            g.take();
        }
    }
}

pub fn state(app: &AppHandle) -> tauri::State<'_, AppState> {
    app.state::<AppState>()
}
