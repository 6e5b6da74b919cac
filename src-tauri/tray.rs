//! The tray icon and its menu, rebuilt from `EngineHandle::status()`
//! whenever the engine publishes (debounced), and every 30 s so that
//! "synced 2 min ago" stays true. Labels change in place when the menu's
//! shape is the same; the menu is replaced when it is not.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use tauri::image::Image;
use tauri::menu::{IsMenuItem, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Wry};
use wsync_core::config::FolderConfig;
use wsync_core::engine::{FolderState, FolderStatus};

use crate::app_state::state;
use crate::views::{display_name, last_success, provider_name};

pub const TRAY_ID: &str = "workspace-sync";

/// The five looks of the tray icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IconState {
    Idle,
    Syncing,
    Paused,
    Attention,
    Error,
}

impl IconState {
    pub fn key(self) -> &'static str {
        match self {
            IconState::Idle => "idle",
            IconState::Syncing => "syncing",
            IconState::Paused => "paused",
            IconState::Attention => "attention",
            IconState::Error => "error",
        }
    }

    fn png(self) -> &'static [u8] {
        // 44 px: crisp on HiDPI panels, and an exact 2:1 for 22 px ones.
        match self {
            IconState::Idle => include_bytes!("../icons/tray-idle@2x.png"),
            IconState::Syncing => include_bytes!("../icons/tray-syncing@2x.png"),
            IconState::Paused => include_bytes!("../icons/tray-paused@2x.png"),
            IconState::Attention => include_bytes!("../icons/tray-attention@2x.png"),
            IconState::Error => include_bytes!("../icons/tray-error@2x.png"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Entry {
    Item { id: String, text: String, enabled: bool },
    Sub { id: String, text: String, children: Vec<(String, String)> },
    Sep,
}

impl Entry {
    fn item(id: &str, text: impl Into<String>, enabled: bool) -> Entry {
        Entry::Item { id: id.to_string(), text: text.into(), enabled }
    }

    fn shape(&self) -> String {
        match self {
            Entry::Item { id, .. } => id.clone(),
            Entry::Sub { id, children, .. } => format!("{id}[{}]", children.iter().map(|c| c.0.as_str()).collect::<Vec<_>>().join(",")),
            Entry::Sep => "-".into(),
        }
    }
}

struct Built {
    shape: Vec<String>,
    entries: Vec<Entry>,
    items: HashMap<String, MenuItem<Wry>>,
    icon: Option<IconState>,
}

static BUILT: Mutex<Option<Built>> = Mutex::new(None);

fn refresher() -> &'static tokio::sync::Notify {
    static N: OnceLock<tokio::sync::Notify> = OnceLock::new();
    N.get_or_init(tokio::sync::Notify::new)
}

/// Ask for the menu and icon to be brought up to date (soon, debounced).
pub fn refresh(_app: &AppHandle) {
    refresher().notify_one();
}

pub use wsync_core::human::ago;

/// The status line of one folder.
pub fn status_line(f: &FolderConfig, s: Option<&FolderStatus>) -> String {
    let name = display_name(&f.id);
    let Some(s) = s else { return format!("{name}: starting…") };
    let text = match s.state {
        FolderState::Syncing => match &s.progress {
            Some(p) if p.files_total > 0 || p.total_bytes > 0 => {
                let pct = if p.total_bytes > 0 { (p.bytes.min(p.total_bytes) * 100 / p.total_bytes) as u32 } else { 0 };
                format!("syncing {} of {} files, {pct}%", p.files_done.min(p.files_total), p.files_total)
            }
            _ => "syncing…".into(),
        },
        FolderState::Paused => "paused".into(),
        FolderState::NeedsLogin => "needs login".into(),
        FolderState::Blocked => "blocked, deletions wait for you".into(),
        FolderState::Conflicts => {
            if s.conflicts == 1 {
                "1 conflict".into()
            } else {
                format!("{} conflicts", s.conflicts)
            }
        }
        FolderState::Offline => "offline, retrying".into(),
        FolderState::Error => {
            if s.consecutive_failures > 1 {
                format!("sync failed {} times, retrying", s.consecutive_failures)
            } else {
                "sync failed, retrying".into()
            }
        }
        FolderState::Idle => match last_success(Some(s), &f.id) {
            Some(t) => format!("synced {}", ago(&t)),
            None => "waiting for the first sync".into(),
        },
    };
    format!("{name}: {text}")
}

pub fn icon_state(statuses: &[FolderStatus], problem: bool) -> IconState {
    let any = |f: &dyn Fn(&FolderStatus) -> bool| statuses.iter().any(f);
    if problem || any(&|s| matches!(s.state, FolderState::Error | FolderState::Offline)) {
        IconState::Error
    } else if any(&|s| matches!(s.state, FolderState::Conflicts | FolderState::NeedsLogin | FolderState::Blocked) || s.conflicts > 0) {
        IconState::Attention
    } else if any(&|s| s.state == FolderState::Syncing) {
        IconState::Syncing
    } else if !statuses.is_empty() && statuses.iter().all(|s| s.state == FolderState::Paused) {
        IconState::Paused
    } else {
        IconState::Idle
    }
}

fn spec(app: &AppHandle) -> (Vec<Entry>, IconState) {
    let st = state(app);
    let folders = st.folders();
    let engine = st.engine();
    let statuses: Vec<FolderStatus> = engine.as_ref().map(|h| h.status()).unwrap_or_default();
    let by_id: HashMap<&str, &FolderStatus> = statuses.iter().map(|s| (s.id.as_str(), s)).collect();
    let problem = st.problem();
    let mut out = Vec::new();
    if folders.is_empty() && problem.is_none() {
        out.push(Entry::item("status", "No folder is synced yet", false));
        out.push(Entry::item("setup", "Set up a folder…", true));
    }
    for f in &folders {
        out.push(Entry::item(&format!("status:{}", f.id), status_line(f, by_id.get(f.id.as_str()).copied()), false));
    }
    if let Some(p) = &problem {
        let short: String = p.chars().take(90).collect();
        out.push(Entry::item("problem", format!("Not syncing: {short}"), false));
    }
    for f in &folders {
        if by_id.get(f.id.as_str()).map(|s| s.state == FolderState::NeedsLogin).unwrap_or(false) {
            out.push(Entry::item(&format!("login:{}", f.id), format!("Log in to {}…", provider_name(f)), true));
        }
    }
    out.push(Entry::Sep);
    let running = engine.is_some() && !folders.is_empty();
    out.push(Entry::item("sync", "Sync now", running));
    let all_paused = !statuses.is_empty() && statuses.iter().all(|s| s.paused);
    if all_paused {
        out.push(Entry::item("resume", "Resume syncing", running));
    } else {
        out.push(Entry::item("pause", "Pause syncing", running));
    }
    match folders.len() {
        0 => {}
        1 => out.push(Entry::item(&format!("open-folder:{}", folders[0].id), "Open folder", true)),
        _ => out.push(Entry::Sub {
            id: "open-folder".into(),
            text: "Open folder".into(),
            children: folders.iter().map(|f| (format!("open-folder:{}", f.id), display_name(&f.id))).collect(),
        }),
    }
    let conflicts: usize = statuses.iter().map(|s| s.conflicts).sum();
    if conflicts > 0 {
        out.push(Entry::item("conflicts", format!("Conflicts ({conflicts})…"), true));
    }
    for s in &statuses {
        if s.state == FolderState::Blocked {
            out.push(Entry::item(&format!("blocked:{}", s.id), format!("Review the blocked sync of {}…", display_name(&s.id)), true));
        }
    }
    out.push(Entry::Sep);
    out.push(Entry::item("window", "Open Workspace Sync…", true));
    out.push(Entry::item("quit", "Quit", true));
    (out, icon_state(&statuses, problem.is_some()))
}

fn build_menu(app: &AppHandle, entries: &[Entry]) -> tauri::Result<(Menu<Wry>, HashMap<String, MenuItem<Wry>>)> {
    let menu = Menu::new(app)?;
    let mut items = HashMap::new();
    for e in entries {
        match e {
            Entry::Item { id, text, enabled } => {
                let item = MenuItem::with_id(app, id.as_str(), text, *enabled, None::<&str>)?;
                menu.append(&item)?;
                items.insert(id.clone(), item);
            }
            Entry::Sub { id, text, children } => {
                let sub = Submenu::with_id(app, id.as_str(), text, true)?;
                for (cid, ctext) in children {
                    let item = MenuItem::with_id(app, cid.as_str(), ctext, true, None::<&str>)?;
                    sub.append(&item)?;
                    items.insert(cid.clone(), item);
                }
                menu.append(&sub)?;
            }
            Entry::Sep => {
                let sep = PredefinedMenuItem::separator(app)?;
                let item: &dyn IsMenuItem<Wry> = &sep;
                menu.append(item)?;
            }
        }
    }
    Ok((menu, items))
}

/// Bring the menu and icon up to date now.
fn update(app: &AppHandle) -> tauri::Result<()> {
    let Some(tray) = app.tray_by_id(TRAY_ID) else { return Ok(()) };
    let (entries, icon) = spec(app);
    let shape: Vec<String> = entries.iter().map(Entry::shape).collect();
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    match built.as_mut() {
        Some(b) if b.shape == shape => {
            for (old, new) in b.entries.iter().zip(entries.iter()) {
                if old != new {
                    if let (Entry::Item { text: t0, enabled: e0, .. }, Entry::Item { id, text, enabled }) = (old, new) {
                        if let Some(item) = b.items.get(id) {
                            if t0 != text {
                                item.set_text(text)?;
                            }
                            if e0 != enabled {
                                item.set_enabled(*enabled)?;
                            }
                        }
                    }
                }
            }
            b.entries = entries;
        }
        _ => {
            let (menu, items) = build_menu(app, &entries)?;
            tray.set_menu(Some(menu))?;
            *built = Some(Built { shape, entries, items, icon: built.as_ref().and_then(|b| b.icon) });
        }
    }
    let b = built.as_mut().expect("built above");
    if b.icon != Some(icon) {
        tray.set_icon(Some(Image::from_bytes(icon.png())?))?;
        info!("tray: icon {}", icon.key());
        b.icon = Some(icon);
    }
    Ok(())
}

/// Create the tray icon and start keeping it up to date.
pub fn create(app: &AppHandle) -> tauri::Result<()> {
    let (entries, icon) = spec(app);
    let (menu, items) = build_menu(app, &entries)?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(Image::from_bytes(icon.png())?)
        .tooltip("Workspace Sync")
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| on_menu(app, event.id().as_ref()))
        .build(app)?;
    *BUILT.lock().unwrap_or_else(|e| e.into_inner()) =
        Some(Built { shape: entries.iter().map(Entry::shape).collect(), entries, items, icon: Some(icon) });
    info!("tray: icon {}", icon.key());
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            let _ = tokio::time::timeout(Duration::from_secs(30), refresher().notified()).await;
            // Progress comes in bursts: one update per 250 ms is plenty.
            tokio::time::sleep(Duration::from_millis(250)).await;
            if let Err(e) = update(&app) {
                warn!("tray: cannot update the menu: {e}");
            }
        }
    });
    Ok(())
}

fn on_menu(app: &AppHandle, id: &str) {
    info!("tray: clicked {id}");
    let st = state(app);
    let engine = st.engine();
    let (cmd, arg) = id.split_once(':').map(|(a, b)| (a, Some(b))).unwrap_or((id, None));
    let result: Result<(), String> = match cmd {
        "sync" => engine.map(|h| h.request_sync(None).map_err(|e| e.to_string())).unwrap_or(Ok(())),
        "pause" => engine.map(|h| h.pause(None).map_err(|e| e.to_string())).unwrap_or(Ok(())),
        "resume" => engine.map(|h| h.resume(None).map_err(|e| e.to_string())).unwrap_or(Ok(())),
        "open-folder" => arg.map(|f| crate::commands::open_folder(app, f, None).map_err(|e| e.message)).unwrap_or(Ok(())),
        "conflicts" => {
            let with: Vec<String> = engine.map(|h| h.status()).unwrap_or_default().into_iter().filter(|s| s.conflicts > 0).map(|s| s.id).collect();
            crate::window::open(app, "conflicts", if with.len() == 1 { Some(with[0].as_str()) } else { None });
            Ok(())
        }
        "blocked" => {
            crate::window::open(app, "blocked", arg);
            Ok(())
        }
        "login" => {
            if let Some(f) = arg {
                crate::setup_flow::login_from_tray(app, f);
            }
            Ok(())
        }
        "setup" => {
            crate::window::open(app, "setup", None);
            Ok(())
        }
        "window" => {
            let page = if st.folders().is_empty() { "setup" } else { "status" };
            crate::window::open(app, page, None);
            Ok(())
        }
        "quit" => {
            crate::quit(app);
            Ok(())
        }
        _ => Ok(()),
    };
    if let Err(e) = result {
        warn!("tray: {id}: {e}");
    }
    refresh(app);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(state: FolderState) -> FolderStatus {
        FolderStatus {
            id: "workspace".into(),
            state,
            paused: state == FolderState::Paused,
            syncing: state == FolderState::Syncing,
            last_report: None,
            next_sync: None,
            progress: None,
            conflicts: 0,
            consecutive_failures: 0,
        }
    }

    #[test]
    fn lines_and_icons() {
        let f = FolderConfig::new("workspace", "/tmp/x", wsync_core::config::Provider::Local, "");
        let mut s = status(FolderState::Syncing);
        s.progress = Some(wsync_core::engine::Progress { bytes: 41, total_bytes: 100, files_done: 3, files_total: 12, eta_seconds: None, current: vec![] });
        assert_eq!(status_line(&f, Some(&s)), "Workspace: syncing 3 of 12 files, 41%");
        let mut c = status(FolderState::Conflicts);
        c.conflicts = 2;
        assert_eq!(status_line(&f, Some(&c)), "Workspace: 2 conflicts");
        assert_eq!(icon_state(&[c], false), IconState::Attention);
        assert_eq!(icon_state(&[status(FolderState::Paused)], false), IconState::Paused);
        assert_eq!(icon_state(&[status(FolderState::Offline)], false), IconState::Error);
        assert_eq!(icon_state(&[status(FolderState::Idle)], true), IconState::Error);
        assert_eq!(icon_state(&[status(FolderState::Syncing)], false), IconState::Syncing);
        assert_eq!(icon_state(&[], false), IconState::Idle);
    }

    #[test]
    fn ages() {
        let t = (chrono::Utc::now() - chrono::Duration::seconds(150)).to_rfc3339();
        assert_eq!(ago(&t), "2 min ago");
    }
}
