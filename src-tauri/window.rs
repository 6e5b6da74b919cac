//! The window: created when opened, destroyed when closed (so the WebKit
//! processes go away and only the tray stays). Opening it on a page sets
//! the hash route (#/status, #/conflicts/FOLDER, ...) and emits
//! `app://navigate` for a window that is already open.

use tauri::{AppHandle, Emitter, Manager, WebviewUrl, WebviewWindowBuilder};

#[derive(Debug, Clone, serde::Serialize)]
pub struct NavigateEvent {
    pub page: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folder: Option<String>,
}

pub const LABEL: &str = "main";

pub const PAGES: [&str; 7] = ["status", "setup", "conflicts", "blocked", "activity", "versions", "settings"];

fn route(page: &str, folder: Option<&str>) -> String {
    match folder {
        Some(f) => format!("#/{page}/{}", encode(f)),
        None => format!("#/{page}"),
    }
}

/// Percent-encode what a folder id could hold outside [a-z0-9-].
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// Open (or focus) the window on `page`. Safe to call from any thread.
pub fn open(app: &AppHandle, page: &str, folder: Option<&str>) {
    let page = if PAGES.contains(&page) { page.to_string() } else { "status".to_string() };
    let folder = folder.map(str::to_string);
    tracing::info!("window: navigate to {}{}", page, folder.as_deref().map(|f| format!("/{f}")).unwrap_or_default());
    let app2 = app.clone();
    // Windows are created and focused on the main thread.
    let _ = app.run_on_main_thread(move || {
        let app = app2;
        let nav = NavigateEvent { page: page.clone(), folder: folder.clone() };
        if let Some(w) = app.get_webview_window(LABEL) {
            let _ = w.unminimize();
            let _ = w.show();
            let _ = w.set_focus();
            let _ = w.emit("app://navigate", nav);
            return;
        }
        let url = format!("index.html{}", route(&page, folder.as_deref()));
        match WebviewWindowBuilder::new(&app, LABEL, WebviewUrl::App(url.into()))
            .title("Workspace Sync")
            .inner_size(960.0, 680.0)
            .min_inner_size(640.0, 480.0)
            .center()
            .build()
        {
            Ok(w) => {
                tracing::info!("window: opened");
                let _ = w.set_focus();
                let _ = w.emit("app://navigate", nav);
            }
            Err(e) => tracing::error!("window: cannot open: {e}"),
        }
    });
}

/// Close and destroy the window, if it is open.
pub fn close(app: &AppHandle) {
    if let Some(w) = app.get_webview_window(LABEL) {
        let _ = w.destroy();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn routes() {
        assert_eq!(super::route("status", None), "#/status");
        assert_eq!(super::route("conflicts", Some("my-notes")), "#/conflicts/my-notes");
        assert_eq!(super::encode("a b/c"), "a%20b%2Fc");
    }
}

/// The window was destroyed. WebKitGTK keeps its network process (and
/// possibly a cached web process) for the app's lifetime, since Tauri keeps
/// the web context alive on Linux; a tray app must not hold ~250 MB for a
/// closed window, so once no window is open the helpers are ended. WebKit
/// starts new ones when the window opens again.
pub fn on_destroyed(app: &AppHandle) {
    tracing::info!("window: closed");
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        if app.get_webview_window(LABEL).is_some() {
            return;
        }
        let helpers = webkit_children();
        for pid in &helpers {
            unsafe {
                libc::kill(*pid, libc::SIGTERM);
            }
        }
        if !helpers.is_empty() {
            tracing::info!("window: ended {} WebKit helper process(es) of the closed window", helpers.len());
        }
    });
}

/// This process's children that are WebKit helpers.
fn webkit_children() -> Vec<i32> {
    let me = std::process::id() as i32;
    let mut out = Vec::new();
    let Ok(dir) = std::fs::read_dir("/proc") else { return out };
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        let Some(close) = stat.rfind(')') else { continue };
        let comm = stat.find('(').map(|open| &stat[open + 1..close]).unwrap_or("");
        let ppid = stat[close + 1..].split_whitespace().nth(1).and_then(|p| p.parse::<i32>().ok());
        if ppid == Some(me) && comm.starts_with("WebKit") {
            out.push(pid);
        }
    }
    out
}
