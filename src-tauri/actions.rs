//! What the person can ask for from anywhere in the app: the window's
//! commands, the tray menu and the notifications' buttons all call these,
//! so each action is written once.

use std::time::Duration;

use tauri::AppHandle;
use wsync_core::cancel::CancelToken;
use wsync_core::error::ErrorCode;
use wsync_core::manager::clean;
use wsync_core::remote::uses_oauth;

use crate::app_state::state;
use crate::error::{AppError, AppResult};

const OAUTH_TIMEOUT: Duration = Duration::from_secs(300);

/// Open a folder (or a file in it) with the system's app.
pub fn open_folder(app: &AppHandle, folder: &str, path: Option<&str>) -> AppResult<()> {
    let root = state(app).folder(folder)?.local_dir();
    let rel = clean(path.unwrap_or(""))?;
    let target = if rel.is_empty() { root } else { root.join(rel) };
    if !target.exists() {
        return Err(AppError::new(ErrorCode::LocalFolder, format!("{} does not exist", target.display())));
    }
    tracing::info!("opening {}", target.display());
    open::that_detached(&target).map_err(|e| AppError::new(ErrorCode::Io, format!("cannot open {}: {e}", target.display())))
}

/// Show the window on `page` (optionally for one folder).
pub fn navigate(app: &AppHandle, page: &str, folder: Option<&str>) {
    crate::window::open(app, page, folder);
}

/// Log a folder in again: the browser login for OAuth folders, the
/// folder's settings page for the others. Runs off the main thread.
pub fn login(app: &AppHandle, folder: &str) {
    let st = state(app);
    let f = match st.folder(folder) {
        Ok(f) => f,
        Err(e) => return tracing::warn!("login: {}", e.message),
    };
    if !uses_oauth(&f) {
        navigate(app, "settings", Some(folder));
        return;
    }
    let (app, folder) = (app.clone(), folder.to_string());
    tauri::async_runtime::spawn_blocking(move || {
        let result = (|| -> AppResult<()> {
            let st = state(&app);
            let m = st.manager()?;
            let target = m.target_of(&folder)?;
            m.login_oauth(&target, OAUTH_TIMEOUT, &CancelToken::new(), &mut |url| open_browser(url))?;
            if let Some(h) = st.engine() {
                let _ = h.resume(Some(&folder));
            }
            Ok(())
        })();
        match result {
            Ok(()) => tracing::info!("login: \"{folder}\" logged in"),
            Err(e) => {
                tracing::warn!("login: \"{folder}\": {}", e.message);
                navigate(&app, "status", None);
            }
        }
    });
}

/// Open a login link in the browser (logged without the link's query).
pub fn open_browser(url: &str) {
    tracing::info!("login: opening the browser");
    if let Err(e) = open::that_detached(url) {
        tracing::warn!("login: cannot open a browser ({e}); open the link shown in the window yourself");
    }
}

/// Sync now, pause or resume one folder or all.
pub fn sync_now(app: &AppHandle, folder: Option<&str>) -> AppResult<()> {
    Ok(state(app).engine_or_err(folder)?.request_sync(folder)?)
}

pub fn pause(app: &AppHandle, folder: Option<&str>) -> AppResult<()> {
    Ok(state(app).engine_or_err(folder)?.pause(folder)?)
}

pub fn resume(app: &AppHandle, folder: Option<&str>) -> AppResult<()> {
    Ok(state(app).engine_or_err(folder)?.resume(folder)?)
}
