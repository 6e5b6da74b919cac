//! The Tauri commands of docs/ipc.md: each parses its input, calls the core
//! (or the setup glue), and maps errors to `{ code, message }`.

use tauri::{AppHandle, State};
use tauri_plugin_autostart::ManagerExt as _;
use wsync_core::resolve::Keep;
use wsync_core::sync::SyncOptions;

use crate::app_state::{state, AppState};
use crate::error::{AppError, AppResult};
use crate::setup_flow::{self, ProviderInfo};
use crate::views::*;
use crate::{info, warn};

fn blocking<T: Send + 'static>(f: impl FnOnce() -> AppResult<T> + Send + 'static) -> impl std::future::Future<Output = AppResult<T>> {
    async move { tauri::async_runtime::spawn_blocking(f).await.map_err(|e| AppError::new("io", format!("the task failed: {e}")))? }
}

fn keep(s: &str) -> AppResult<Keep> {
    Keep::parse(s).ok_or_else(|| AppError::invalid(format!("\"{s}\" is not a choice; use local, remote or both")))
}

/// Run `f` with the journal: the engine's, or a fresh handle when no engine runs.
fn with_journal<T>(st: &AppState, f: impl FnOnce(&wsync_core::journal::Journal) -> wsync_core::Result<T>) -> AppResult<T> {
    match st.engine() {
        Some(h) => {
            let j = h.journal().lock().map_err(|_| AppError::new("busy", "the journal is unavailable"))?;
            Ok(f(&j)?)
        }
        None => Ok(f(&wsync_core::journal::Journal::open_default()?)?),
    }
}

pub fn folder_views(st: &AppState) -> Vec<FolderView> {
    let statuses = st.engine().map(|h| h.status()).unwrap_or_default();
    st.folders().iter().map(|f| folder_view(f, statuses.iter().find(|s| s.id == f.id))).collect()
}

fn autostart_enabled(app: &AppHandle) -> bool {
    app.autolaunch().is_enabled().unwrap_or(false)
}

#[tauri::command]
pub fn get_overview(app: AppHandle, st: State<'_, AppState>) -> AppResult<Overview> {
    let notifications = st.settings.lock().map(|s| s.notifications).unwrap_or(true);
    Ok(Overview { folders: folder_views(&st), app: AppSettingsView { notifications, autostart: autostart_enabled(&app) } })
}

#[tauri::command]
pub fn sync_now(st: State<'_, AppState>, folder: Option<String>) -> AppResult<()> {
    Ok(st.engine_or_err(folder.as_deref())?.request_sync(folder.as_deref())?)
}

#[tauri::command]
pub fn pause(st: State<'_, AppState>, folder: Option<String>) -> AppResult<()> {
    Ok(st.engine_or_err(folder.as_deref())?.pause(folder.as_deref())?)
}

#[tauri::command]
pub fn resume(st: State<'_, AppState>, folder: Option<String>) -> AppResult<()> {
    Ok(st.engine_or_err(folder.as_deref())?.resume(folder.as_deref())?)
}

#[tauri::command]
pub fn list_conflicts(st: State<'_, AppState>, folder: Option<String>) -> AppResult<Vec<ConflictView>> {
    if let Some(id) = &folder {
        st.folder(id)?;
    }
    let open = with_journal(&st, |j| j.open_conflicts(folder.as_deref()))?;
    let folders = st.folders();
    Ok(open
        .iter()
        .filter_map(|c| folders.iter().find(|f| f.id == c.folder).map(|f| conflict_view(c, &f.local_dir())))
        .collect())
}

const PREVIEW_MAX: u64 = 2 * 1024 * 1024;

#[tauri::command]
pub async fn conflict_preview(app: AppHandle, id: i64) -> AppResult<ConflictPreview> {
    blocking(move || {
        let st = state(&app);
        let c = with_journal(&st, |j| j.conflict(id))?.ok_or_else(|| AppError::invalid(format!("no conflict {id}")))?;
        let root = st.folder(&c.folder)?.local_dir();
        let read = |rel: &str| -> AppResult<Vec<u8>> {
            let p = root.join(rel);
            let len = std::fs::metadata(&p).map_err(|e| AppError::io(&format!("cannot read {}", p.display()), e))?.len();
            if len > PREVIEW_MAX {
                return Err(AppError::new("io", format!("{} is too large to preview ({len} bytes)", p.display())));
            }
            std::fs::read(&p).map_err(|e| AppError::io(&format!("cannot read {}", p.display()), e))
        };
        let view = conflict_view(&c, &root);
        match view.kind {
            FileKind::Text => {
                let (l, r) = (read(&c.local_copy)?, read(&c.remote_copy)?);
                let diff = diff_lines(&String::from_utf8_lossy(&l), &String::from_utf8_lossy(&r));
                Ok(ConflictPreview { kind: FileKind::Text, diff: Some(diff), local_image: None, remote_image: None, mime: None })
            }
            FileKind::Image => {
                let ext = std::path::Path::new(&c.path).extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
                let mime = image_mime(&ext).unwrap_or("application/octet-stream");
                use base64::Engine as _;
                let url = |b: Vec<u8>| format!("data:{mime};base64,{}", base64::engine::general_purpose::STANDARD.encode(b));
                Ok(ConflictPreview {
                    kind: FileKind::Image,
                    diff: None,
                    local_image: Some(url(read(&c.local_copy)?)),
                    remote_image: Some(url(read(&c.remote_copy)?)),
                    mime: Some(mime.to_string()),
                })
            }
            FileKind::Other => Ok(ConflictPreview { kind: FileKind::Other, diff: None, local_image: None, remote_image: None, mime: None }),
        }
    })
    .await
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
    info!("conflicts: {} settled in \"{}\" (kept {})", n, c.folder, choice.key());
    Ok(())
}

#[tauri::command]
pub async fn resolve_all(app: AppHandle, folder: String, keep: String) -> AppResult<usize> {
    let choice = self::keep(&keep)?;
    let h = state(&app).engine_or_err(Some(&folder))?;
    let (n, _) = wsync_core::engine::record::resolve(&h, &folder, None, choice).await?;
    info!("conflicts: {n} settled in \"{folder}\" (kept {})", choice.key());
    Ok(n)
}

/// Open a folder (or a file in it) with the system's app.
pub fn open_folder(app: &AppHandle, folder: &str, path: Option<&str>) -> AppResult<()> {
    let root = state(app).folder(folder)?.local_dir();
    let rel = setup_flow::clean(path.unwrap_or(""))?;
    let target = if rel.is_empty() { root } else { root.join(rel) };
    if !target.exists() {
        return Err(AppError::new("local-folder", format!("{} does not exist", target.display())));
    }
    info!("opening {}", target.display());
    open::that_detached(&target).map_err(|e| AppError::io(&format!("cannot open {}", target.display()), e))
}

#[tauri::command]
pub fn open_path(app: AppHandle, folder: String, path: Option<String>) -> AppResult<()> {
    open_folder(&app, &folder, path.as_deref())
}

fn sync_in_background(app: &AppHandle, folder: String, opts: SyncOptions, what: &'static str) -> AppResult<()> {
    let h = state(app).engine_or_err(Some(&folder))?;
    info!("{folder}: {what}");
    tauri::async_runtime::spawn(async move {
        if let Err(e) = h.sync(Some(&folder), opts).await {
            warn!("{folder}: {what}: {e}");
        }
    });
    Ok(())
}

#[tauri::command]
pub fn confirm_deletes(app: AppHandle, folder: String) -> AppResult<()> {
    sync_in_background(&app, folder, SyncOptions { confirm_deletes: true, ..Default::default() }, "deletions confirmed; syncing")
}

#[tauri::command]
pub fn keep_everything(app: AppHandle, folder: String) -> AppResult<()> {
    sync_in_background(&app, folder, SyncOptions { resync: true, ..Default::default() }, "keeping everything; merging both sides again")
}

#[tauri::command]
pub fn activity(st: State<'_, AppState>, folder: Option<String>, limit: Option<usize>) -> AppResult<Vec<ActivityItem>> {
    if let Some(id) = &folder {
        st.folder(id)?;
    }
    let items = with_journal(&st, |j| j.activity(folder.as_deref(), limit.unwrap_or(200).min(5000)))?;
    Ok(items.into_iter().map(ActivityItem::from).collect())
}

#[tauri::command]
pub fn list_versions(st: State<'_, AppState>, folder: String, path: Option<String>) -> AppResult<Vec<wsync_core::versions::Version>> {
    st.folder(&folder)?;
    Ok(wsync_core::versions::list(&folder, path.as_deref())?)
}

#[tauri::command]
pub fn restore_version(st: State<'_, AppState>, folder: String, path: String, kept_at: String) -> AppResult<()> {
    let f = st.folder(&folder)?;
    let v = wsync_core::versions::restore(&folder, &f.local_dir(), &path, Some(&kept_at))?;
    info!("{folder}: restored {} as kept at {}", v.path, v.kept_at);
    Ok(())
}

#[tauri::command]
pub fn get_settings(st: State<'_, AppState>, folder: String) -> AppResult<FolderSettings> {
    let f = st.folder(&folder)?;
    Ok(FolderSettings {
        interval: f.interval,
        watch: f.watch,
        exclude: f.exclude.clone(),
        conflict_resolve: f.conflict_resolve.key().to_string(),
        max_delete_percent: f.max_delete_percent,
        keep_versions_days: f.keep_versions_days,
    })
}

#[tauri::command]
pub async fn save_settings(app: AppHandle, folder: String, settings: FolderSettings) -> AppResult<()> {
    setup_flow::save_settings(&app, &folder, &settings).await
}

#[tauri::command]
pub fn set_app_settings(app: AppHandle, st: State<'_, AppState>, notifications: Option<bool>, autostart: Option<bool>) -> AppResult<()> {
    if let Some(n) = notifications {
        let mut s = st.settings.lock().map_err(|_| AppError::new("busy", "the settings are unavailable"))?;
        s.notifications = n;
        s.save()?;
        info!("notifications {}", if n { "on" } else { "muted" });
    }
    if let Some(a) = autostart {
        let m = app.autolaunch();
        let r = if a { m.enable() } else { m.disable() };
        r.map_err(|e| AppError::io("cannot change the start at login", e))?;
        info!("start at login {}", if a { "on" } else { "off" });
    }
    Ok(())
}

#[tauri::command]
pub fn providers() -> Vec<ProviderInfo> {
    setup_flow::providers()
}

#[tauri::command]
pub async fn pick_local_folder(app: AppHandle) -> AppResult<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    blocking(move || Ok(app.dialog().file().set_title("Choose the folder to sync").blocking_pick_folder().map(|p| p.to_string()))).await
}

#[tauri::command]
pub async fn test_connection(app: AppHandle, draft: FolderDraft) -> AppResult<AccountInfo> {
    blocking(move || setup_flow::test_connection(&app, &draft)).await
}

#[tauri::command]
pub async fn login_oauth(app: AppHandle, draft: FolderDraft) -> AppResult<AccountInfo> {
    blocking(move || setup_flow::login_oauth(&app, &draft)).await
}

#[tauri::command]
pub async fn browse_remote(app: AppHandle, draft: FolderDraft, path: String) -> AppResult<Vec<RemoteEntry>> {
    blocking(move || setup_flow::browse_remote(&app, &draft, &path)).await
}

#[tauri::command]
pub async fn create_remote_folder(app: AppHandle, draft: FolderDraft, path: String) -> AppResult<()> {
    blocking(move || setup_flow::create_remote_folder(&app, &draft, &path)).await
}

#[tauri::command]
pub async fn preview_first_sync(app: AppHandle, draft: FolderDraft) -> AppResult<FirstSyncPreview> {
    blocking(move || setup_flow::preview_first_sync(&app, &draft)).await
}

#[tauri::command]
pub async fn add_folder(app: AppHandle, draft: FolderDraft) -> AppResult<FolderView> {
    let f = setup_flow::add_folder(&app, &draft).await?;
    let status = state(&app).engine().and_then(|h| h.status().into_iter().find(|s| s.id == f.id));
    Ok(folder_view(&f, status.as_ref()))
}

#[tauri::command]
pub async fn remove_folder(app: AppHandle, folder: String, logout: bool) -> AppResult<()> {
    setup_flow::remove_folder(&app, &folder, logout).await
}

#[tauri::command]
pub fn logout(st: State<'_, AppState>, folder: String) -> AppResult<()> {
    st.folder(&folder)?;
    let removed = wsync_core::login::logout(&wsync_core::credentials::Keychain::shared(), &folder)?;
    info!("\"{folder}\" logged out ({} keychain entries removed)", removed.len());
    Ok(())
}
