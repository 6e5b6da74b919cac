//! The Tauri commands of docs/ipc.md: each is a short delegation to the
//! core (the folder manager, the engine, the journal, the versions area)
//! or to `actions`. Everything that touches files, the keychain or rclone
//! runs off the main thread.

use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_plugin_autostart::ManagerExt as _;
use wsync_core::conflicts::{conflict_view, ConflictPreview, ConflictView};
use wsync_core::error::{ErrorCode, Surface};
use wsync_core::journal::{ChangeRecord, Journal};
use wsync_core::manager::{AccountInfo, FirstSyncPreview, FolderDraft, FolderManager, FolderSettings, RemoteEntry, RemoveOptions};
use wsync_core::remote::providers::ProviderInfo;
use wsync_core::resolve::Keep;
use wsync_core::status::FolderView;
use wsync_core::sync::SyncOptions;
use wsync_core::versions::Version;

use crate::app_state::{state, AppState};
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSettingsView {
    pub notifications: bool,
    pub autostart: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub folders: Vec<FolderView>,
    pub app: AppSettingsView,
}

/// Run `f` on a blocking thread with the app handle.
async fn blocking<T: Send + 'static>(app: AppHandle, f: impl FnOnce(&AppHandle) -> AppResult<T> + Send + 'static) -> AppResult<T> {
    tauri::async_runtime::spawn_blocking(move || f(&app)).await.map_err(|e| AppError::new(ErrorCode::Io, format!("the task failed: {e}")))?
}

fn manager(app: &AppHandle) -> AppResult<FolderManager> {
    state(app).manager()
}

/// Run `f` with the journal: the engine's, or a fresh handle when no engine runs.
fn with_journal<T>(st: &AppState, f: impl FnOnce(&Journal) -> wsync_core::Result<T>) -> AppResult<T> {
    match st.engine() {
        Some(h) => {
            let j = h.journal().lock().map_err(|_| AppError::new(ErrorCode::Busy, "the journal is unavailable"))?;
            Ok(f(&j)?)
        }
        None => Ok(f(&Journal::open_default()?)?),
    }
}

pub fn folder_views(st: &AppState) -> Vec<FolderView> {
    let statuses = st.engine().map(|h| h.status()).unwrap_or_default();
    st.folders().iter().map(|f| FolderView::build(f, statuses.iter().find(|s| s.id == f.id), Surface::App)).collect()
}

#[tauri::command]
pub async fn get_overview(app: AppHandle) -> AppResult<Overview> {
    blocking(app, |app| {
        let st = state(app);
        let notifications = st.settings.lock().map(|s| s.notifications).unwrap_or(true);
        let autostart = app.autolaunch().is_enabled().unwrap_or(false);
        Ok(Overview { folders: folder_views(&st), app: AppSettingsView { notifications, autostart } })
    })
    .await
}

#[tauri::command]
pub fn sync_now(app: AppHandle, folder: Option<String>) -> AppResult<()> {
    crate::actions::sync_now(&app, folder.as_deref())
}

#[tauri::command]
pub fn pause(app: AppHandle, folder: Option<String>) -> AppResult<()> {
    crate::actions::pause(&app, folder.as_deref())
}

#[tauri::command]
pub fn resume(app: AppHandle, folder: Option<String>) -> AppResult<()> {
    crate::actions::resume(&app, folder.as_deref())
}

#[tauri::command]
pub async fn list_conflicts(app: AppHandle, folder: Option<String>) -> AppResult<Vec<ConflictView>> {
    blocking(app, move |app| {
        let st = state(app);
        if let Some(id) = &folder {
            st.folder(id)?;
        }
        let open = with_journal(&st, |j| j.open_conflicts(folder.as_deref()))?;
        let folders = st.folders();
        Ok(open.iter().filter_map(|c| folders.iter().find(|f| f.id == c.folder).map(|f| conflict_view(c, &f.local_dir()))).collect())
    })
    .await
}

#[tauri::command]
pub async fn conflict_preview(app: AppHandle, id: i64) -> AppResult<ConflictPreview> {
    blocking(app, move |app| {
        let st = state(app);
        let c = with_journal(&st, |j| j.conflict(id))?.ok_or_else(|| AppError::invalid(format!("no conflict {id}")))?;
        Ok(wsync_core::conflicts::preview(&c, &st.folder(&c.folder)?.local_dir())?)
    })
    .await
}

fn keep(s: &str) -> AppResult<Keep> {
    Keep::parse(s).ok_or_else(|| AppError::invalid(format!("\"{s}\" is not a choice; use local, remote or both")))
}

#[tauri::command]
pub async fn resolve_conflict(app: AppHandle, id: i64, keep: String) -> AppResult<()> {
    let choice = self::keep(&keep)?;
    let st = state(&app);
    let c = with_journal(&st, |j| j.conflict(id))?.ok_or_else(|| AppError::invalid(format!("no conflict {id}")))?;
    if c.resolved_at.is_some() {
        return Ok(());
    }
    let h = st.engine_or_err(Some(&c.folder))?;
    let (n, _) = wsync_core::engine::record::resolve(&h, &c.folder, Some(&c.path), choice).await?;
    tracing::info!("conflicts: {n} settled in \"{}\" (kept {})", c.folder, choice.key());
    Ok(())
}

#[tauri::command]
pub async fn resolve_all(app: AppHandle, folder: String, keep: String) -> AppResult<usize> {
    let choice = self::keep(&keep)?;
    let h = state(&app).engine_or_err(Some(&folder))?;
    let (n, _) = wsync_core::engine::record::resolve(&h, &folder, None, choice).await?;
    tracing::info!("conflicts: {n} settled in \"{folder}\" (kept {})", choice.key());
    Ok(n)
}

#[tauri::command]
pub async fn open_path(app: AppHandle, folder: String, path: Option<String>) -> AppResult<()> {
    blocking(app, move |app| crate::actions::open_folder(app, &folder, path.as_deref())).await
}

fn sync_in_background(app: &AppHandle, folder: String, opts: SyncOptions, what: &'static str) -> AppResult<()> {
    let h = state(app).engine_or_err(Some(&folder))?;
    tracing::info!("{folder}: {what}");
    tauri::async_runtime::spawn(async move {
        if let Err(e) = h.sync(Some(&folder), opts).await {
            tracing::warn!("{folder}: {what}: {e}");
        }
    });
    Ok(())
}

/// Go ahead with the deletions shown (`token` names that set: if the set
/// changed meanwhile, the folder blocks again with the new list).
#[tauri::command]
pub fn confirm_deletes(app: AppHandle, folder: String, token: Option<String>) -> AppResult<()> {
    let opts = SyncOptions { confirm_deletes: true, confirm_token: token, ..Default::default() };
    sync_in_background(&app, folder, opts, "deletions confirmed; syncing")
}

#[tauri::command]
pub fn keep_everything(app: AppHandle, folder: String) -> AppResult<()> {
    sync_in_background(&app, folder, SyncOptions { resync: true, ..Default::default() }, "keeping everything; merging both sides again")
}

#[tauri::command]
pub async fn activity(app: AppHandle, folder: Option<String>, limit: Option<usize>) -> AppResult<Vec<ChangeRecord>> {
    blocking(app, move |app| {
        let st = state(app);
        if let Some(id) = &folder {
            st.folder(id)?;
        }
        with_journal(&st, |j| j.activity(folder.as_deref(), limit.unwrap_or(200).min(5000)))
    })
    .await
}

#[tauri::command]
pub async fn list_versions(app: AppHandle, folder: String, path: Option<String>) -> AppResult<Vec<Version>> {
    blocking(app, move |app| {
        let st = state(app);
        let f = st.folder(&folder)?;
        let ctx = manager(app)?;
        Ok(wsync_core::versions::list_all(ctx.rclone(), ctx.store(), &f, path.as_deref())?)
    })
    .await
}

#[tauri::command]
pub async fn restore_version(app: AppHandle, folder: String, path: String, kept_at: String, side: Option<String>) -> AppResult<()> {
    blocking(app, move |app| {
        let st = state(app);
        let f = st.folder(&folder)?;
        let m = manager(app)?;
        let v = wsync_core::versions::restore_any(m.rclone(), m.store(), &f, &path, Some(&kept_at), side.as_deref())?;
        tracing::info!("{folder}: restored {} as kept at {}", v.path, v.kept_at);
        Ok(())
    })
    .await
}

#[tauri::command]
pub fn get_settings(st: State<'_, AppState>, folder: String) -> AppResult<FolderSettings> {
    Ok(FolderSettings::of(&st.folder(&folder)?))
}

#[tauri::command]
pub async fn save_settings(app: AppHandle, folder: String, settings: FolderSettings) -> AppResult<()> {
    blocking(app.clone(), move |app| manager(app)?.update_settings(&folder, &settings).map(|_| ()).map_err(Into::into)).await?;
    state(&app).reload().await;
    Ok(())
}

#[tauri::command]
pub fn set_app_settings(app: AppHandle, st: State<'_, AppState>, notifications: Option<bool>, autostart: Option<bool>) -> AppResult<()> {
    if let Some(n) = notifications {
        let mut s = st.settings.lock().map_err(|_| AppError::new(ErrorCode::Busy, "the settings are unavailable"))?;
        s.notifications = n;
        s.save()?;
        tracing::info!("notifications {}", if n { "on" } else { "muted" });
    }
    if let Some(a) = autostart {
        let m = app.autolaunch();
        let r = if a { m.enable() } else { m.disable() };
        r.map_err(|e| AppError::new(ErrorCode::Io, format!("cannot change the start at login: {e}")))?;
        tracing::info!("start at login {}", if a { "on" } else { "off" });
    }
    Ok(())
}

#[tauri::command]
pub fn providers() -> Vec<ProviderInfo> {
    FolderManager::providers()
}

#[tauri::command]
pub async fn pick_local_folder(app: AppHandle) -> AppResult<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    blocking(app, |app| Ok(app.dialog().file().set_title("Choose the folder to sync").blocking_pick_folder().map(|p| p.to_string()))).await
}

#[tauri::command]
pub async fn test_connection(app: AppHandle, draft: FolderDraft) -> AppResult<AccountInfo> {
    blocking(app, move |app| {
        let m = manager(app)?;
        let info = m.test_connection(&m.target(&draft)?)?;
        if info.stored {
            // A configured folder logged in again: it may sync again.
            if let Some(h) = state(app).engine() {
                let _ = h.resume(Some(draft.id.trim()));
            }
        }
        Ok(info)
    })
    .await
}

#[tauri::command]
pub async fn login_oauth(app: AppHandle, draft: FolderDraft) -> AppResult<AccountInfo> {
    blocking(app, move |app| {
        let m = manager(app)?;
        let target = m.target(&draft)?;
        let cancel = wsync_core::cancel::CancelToken::new();
        let info = m.login_oauth(&target, std::time::Duration::from_secs(300), &cancel, &mut |url| crate::actions::open_browser(url))?;
        if target.existing {
            if let Some(h) = state(app).engine() {
                let _ = h.resume(Some(&target.folder.id));
            }
        }
        Ok(info)
    })
    .await
}

#[tauri::command]
pub async fn browse_remote(app: AppHandle, draft: FolderDraft, path: String) -> AppResult<Vec<RemoteEntry>> {
    blocking(app, move |app| {
        let m = manager(app)?;
        Ok(m.browse(&m.target(&draft)?, &path)?)
    })
    .await
}

#[tauri::command]
pub async fn create_remote_folder(app: AppHandle, draft: FolderDraft, path: String) -> AppResult<()> {
    blocking(app, move |app| {
        let m = manager(app)?;
        Ok(m.create_remote_folder(&m.target(&draft)?, &path)?)
    })
    .await
}

#[tauri::command]
pub async fn preview_first_sync(app: AppHandle, draft: FolderDraft) -> AppResult<FirstSyncPreview> {
    blocking(app, move |app| {
        let m = manager(app)?;
        Ok(m.preview_first_sync(&m.target(&draft)?)?)
    })
    .await
}

#[tauri::command]
pub async fn add_folder(app: AppHandle, draft: FolderDraft) -> AppResult<FolderView> {
    let f = blocking(app.clone(), move |app| Ok(manager(app)?.add(&draft)?)).await?;
    tracing::info!("setup: folder \"{}\" added", f.id);
    let st = state(&app);
    st.reload().await;
    let status = st.engine().and_then(|h| h.status().into_iter().find(|s| s.id == f.id));
    Ok(FolderView::build(&f, status.as_ref(), Surface::App))
}

#[tauri::command]
pub async fn remove_folder(app: AppHandle, folder: String, logout: bool) -> AppResult<()> {
    let id = folder.clone();
    let removal = blocking(app.clone(), move |app| Ok(manager(app)?.remove(&id)?)).await?;
    // The engine stops the folder (after its running sync) first.
    state(&app).reload().await;
    blocking(app, move |app| {
        let journal = state(app).engine().map(|h| h.clone());
        let opts = RemoveOptions { keep_login: !logout, forget_history: false };
        let done = manager(app)?.finish_removal(removal, opts, journal.as_ref().map(|h| h.journal()))?;
        tracing::info!("setup: folder \"{folder}\" removed ({} keychain entries)", done.keychain_keys.len());
        if let Some(w) = &done.keychain_warning {
            tracing::warn!("setup: folder \"{folder}\": its login was not removed from the keychain: {w}");
        }
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn logout(app: AppHandle, folder: String) -> AppResult<()> {
    blocking(app, move |app| {
        let m = manager(app)?;
        let removed = m.logout(&m.folder(&folder)?)?;
        tracing::info!("\"{folder}\" logged out ({} keychain entries removed)", removed.len());
        Ok(())
    })
    .await
}
