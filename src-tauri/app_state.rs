//! The app's state: the config path, the folder manager, the engine host
//! (the same one `wsync daemon` runs: it follows config.json, so adding or
//! removing a folder never restarts the other folders' syncs), the app's
//! own settings, and the notification state.

use std::path::PathBuf;
use std::sync::{Mutex, RwLock};

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};
use wsync_core::config::FolderConfig;
use wsync_core::credentials::Keychain;
use wsync_core::engine::hosting::Host;
use wsync_core::engine::EngineHandle;
use wsync_core::error::ErrorCode;
use wsync_core::manager::FolderManager;
use wsync_core::notices::Notices;

use crate::error::{AppError, AppResult};

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
        let text = serde_json::to_string_pretty(self).map_err(|e| AppError::new(ErrorCode::Io, e.to_string()))?;
        wsync_core::fsutil::write_atomic(&settings_path(), text.as_bytes(), 0o600)
            .map_err(|e| AppError::new(ErrorCode::Io, format!("cannot save the app settings: {e}")))
    }
}

pub struct AppState {
    pub config_path: PathBuf,
    /// Why the engine does not run (no rclone, no journal), if it does not.
    problem: RwLock<Option<String>>,
    host: tokio::sync::Mutex<Option<Host>>,
    handle: RwLock<Option<EngineHandle>>,
    pub settings: Mutex<AppSettings>,
    pub notices: Mutex<Notices>,
    /// "Notifications are unavailable" was logged (once until they work).
    pub notify_unavailable: std::sync::atomic::AtomicBool,
}

impl AppState {
    pub fn new(config_path: PathBuf) -> AppState {
        AppState {
            config_path,
            problem: RwLock::new(None),
            host: tokio::sync::Mutex::new(None),
            handle: RwLock::new(None),
            settings: Mutex::new(AppSettings::load()),
            notices: Mutex::new(Notices::default()),
            notify_unavailable: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The folder manager (rclone is looked up for each flow).
    pub fn manager(&self) -> AppResult<FolderManager> {
        Ok(FolderManager::new(self.config_path.clone(), wsync_core::rclone::locate()?, Keychain::shared()))
    }

    /// The engine host is running: its handle serves every command.
    pub async fn install_host(&self, host: Host) -> EngineHandle {
        let handle = host.handle();
        if let Ok(mut g) = self.handle.write() {
            *g = Some(handle.clone());
        }
        *self.host.lock().await = Some(host);
        handle
    }

    /// The engine could not start.
    pub fn set_problem(&self, problem: String) {
        if let Ok(mut g) = self.problem.write() {
            *g = Some(problem);
        }
    }

    /// The running engine, if any.
    pub fn engine(&self) -> Option<EngineHandle> {
        self.handle.read().ok().and_then(|h| h.clone())
    }

    /// Why nothing syncs: the engine is not running, or the config on disk
    /// does not load (the last good one runs).
    pub fn problem(&self) -> Option<String> {
        let own = self.problem.read().ok().and_then(|p| p.clone());
        own.or_else(|| self.host.try_lock().ok().and_then(|h| h.as_ref().and_then(|h| h.problem())))
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
            None => Err(AppError::new(ErrorCode::Config, self.problem().unwrap_or_else(|| "the sync engine is not running".into()))),
        }
    }

    fn unknown(&self, id: &str) -> AppError {
        let known: Vec<String> = self.folders().iter().map(|f| f.id.clone()).collect();
        AppError::new(
            ErrorCode::UnknownFolder,
            format!("no folder \"{id}\" is set up; known folders: {}", if known.is_empty() { "none".to_string() } else { known.join(", ") }),
        )
    }

    /// The configured folders: the engine's, else the config file's.
    pub fn folders(&self) -> Vec<FolderConfig> {
        if let Some(h) = self.engine() {
            return h.folders();
        }
        wsync_core::config::load_or_empty(&self.config_path).map(|l| l.config.folders).unwrap_or_default()
    }

    pub fn folder(&self, id: &str) -> AppResult<FolderConfig> {
        self.folders().into_iter().find(|f| f.id == id).ok_or_else(|| self.unknown(id))
    }

    /// The engine reads the config again now (after the app changed it).
    pub async fn reload(&self) {
        let host = self.host.lock().await;
        if let Some(h) = host.as_ref() {
            if let Err(e) = h.reload().await {
                tracing::warn!("config not applied: {e}");
            }
        }
    }

    /// Stop everything and give up the host role (Quit, SIGTERM).
    pub async fn shutdown(&self) {
        let host = self.host.lock().await.take();
        if let Ok(mut g) = self.handle.write() {
            *g = None;
        }
        if let Some(h) = host {
            tracing::info!("stopping the sync engine…");
            h.shutdown().await;
            tracing::info!("sync engine stopped");
        }
    }
}

pub fn state(app: &AppHandle) -> tauri::State<'_, AppState> {
    app.state::<AppState>()
}
