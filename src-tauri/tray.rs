//! The tray icon and its menu, rebuilt from `EngineHandle::status()`
//! whenever the engine publishes (debounced), and every 30 s so that
//! "synced 2 min ago" stays true. Labels change in place when the menu's
//! shape is the same; the menu is replaced when it is not.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tauri::image::Image;
use tauri::menu::{IsMenuItem, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};
use wsync_core::error::Surface;
use wsync_core::remote::provider_name;
use wsync_core::status::{display_name, FolderState, FolderStatus, FolderView, IconState};

use crate::app_state::state;

pub const TRAY_ID: &str = "workspace-sync";

/// 44 px: crisp on HiDPI panels, and an exact 2:1 for 22 px ones.
fn png(icon: IconState) -> &'static [u8] {
    match icon {
        IconState::Idle => include_bytes!("../icons/tray-idle@2x.png"),
        IconState::Syncing => include_bytes!("../icons/tray-syncing@2x.png"),
        IconState::Paused => include_bytes!("../icons/tray-paused@2x.png"),
        IconState::Attention => include_bytes!("../icons/tray-attention@2x.png"),
        IconState::Error => include_bytes!("../icons/tray-error@2x.png"),
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

/// The tray's own state, kept by Tauri's state manager.
#[derive(Default)]
pub struct TrayState {
    built: Mutex<Option<Built>>,
    refresh: tokio::sync::Notify,
}

/// Ask for the menu and icon to be brought up to date (soon, debounced).
pub fn refresh(app: &AppHandle) {
    if let Some(t) = app.try_state::<TrayState>() {
        t.refresh.notify_one();
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
        let live = by_id.get(f.id.as_str()).copied();
        let line = FolderView::build(f, live, Surface::App).status_line(live.is_some(), live.map(|s| s.consecutive_failures).unwrap_or(0));
        out.push(Entry::item(&format!("status:{}", f.id), line, false));
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
    (out, IconState::of(&statuses, problem.is_some()))
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
    let tray_state = app.state::<TrayState>();
    let mut built = tray_state.built.lock().unwrap_or_else(|e| e.into_inner());
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
        tray.set_icon(Some(Image::from_bytes(png(icon))?))?;
        tracing::info!("tray: icon {}", icon.key());
        b.icon = Some(icon);
    }
    Ok(())
}

/// Create the tray icon and start keeping it up to date.
pub fn create(app: &AppHandle) -> tauri::Result<()> {
    let (entries, icon) = spec(app);
    let (menu, items) = build_menu(app, &entries)?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(Image::from_bytes(png(icon))?)
        .tooltip("Workspace Sync")
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| on_menu(app, event.id().as_ref()))
        .build(app)?;
    app.manage(TrayState::default());
    *app.state::<TrayState>().built.lock().unwrap_or_else(|e| e.into_inner()) =
        Some(Built { shape: entries.iter().map(Entry::shape).collect(), entries, items, icon: Some(icon) });
    tracing::info!("tray: icon {}", icon.key());
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            let notified = app.state::<TrayState>();
            let _ = tokio::time::timeout(Duration::from_secs(30), notified.refresh.notified()).await;
            // Progress comes in bursts: one update per 250 ms is plenty.
            tokio::time::sleep(Duration::from_millis(250)).await;
            if let Err(e) = update(&app) {
                tracing::warn!("tray: cannot update the menu: {e}");
            }
        }
    });
    Ok(())
}

fn on_menu(app: &AppHandle, id: &str) {
    tracing::info!("tray: clicked {id}");
    let st = state(app);
    let (cmd, arg) = id.split_once(':').map(|(a, b)| (a, Some(b))).unwrap_or((id, None));
    let result = match cmd {
        "sync" => crate::actions::sync_now(app, None),
        "pause" => crate::actions::pause(app, None),
        "resume" => crate::actions::resume(app, None),
        "open-folder" => arg.map(|f| crate::actions::open_folder(app, f, None)).unwrap_or(Ok(())),
        "conflicts" => {
            let with: Vec<String> = st.engine().map(|h| h.status()).unwrap_or_default().into_iter().filter(|s| s.conflicts > 0).map(|s| s.id).collect();
            crate::actions::navigate(app, "conflicts", if with.len() == 1 { Some(with[0].as_str()) } else { None });
            Ok(())
        }
        "blocked" => Ok(crate::actions::navigate(app, "blocked", arg)),
        "login" => Ok(arg.into_iter().for_each(|f| crate::actions::login(app, f))),
        "setup" => Ok(crate::actions::navigate(app, "setup", None)),
        "window" => Ok(crate::actions::navigate(app, if st.folders().is_empty() { "setup" } else { "status" }, None)),
        "quit" => Ok(crate::quit(app)),
        _ => Ok(()),
    };
    if let Err(e) = result {
        tracing::warn!("tray: {id}: {}", e.message);
    }
    refresh(app);
}
