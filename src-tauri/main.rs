//! Workspace Sync, the desktop app: a tray icon over the sync engine of
//! `wsync_core`, and a window (web UI, created on demand) for setup,
//! conflicts and settings.
//!
//! The app is the engine host: it claims the host role at launch, starts
//! the engine with the same config as the CLI (`--config`, `WSYNC_CONFIG`),
//! serves the control socket (so `wsync sync` delegates to it), and stops
//! the engine gracefully on Quit (or SIGTERM/SIGINT).
//!
//!     workspace-sync [--config PATH] [--open PAGE[/FOLDER]] [--hidden]

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod actions;
mod app_state;
mod commands;
mod error;
mod events;
mod notify;
mod single;
mod tray;
mod window;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use tauri::{AppHandle, Manager, RunEvent};
use wsync_core::credentials::Keychain;
use wsync_core::engine::hosting::Host;
use wsync_core::engine::{host, Timing};
use wsync_core::journal::Journal;
use wsync_core::secrets::Secrets;
use wsync_core::sync::Context;

use crate::app_state::{state, AppState};

const USAGE: &str = "usage: workspace-sync [--config PATH] [--open PAGE[/FOLDER]] [--hidden]

  --config PATH   the config file (default: $WSYNC_CONFIG, else
                  $XDG_CONFIG_HOME/workspace-sync/config.json)
  --open PAGE     open the window on PAGE at launch (status, setup, conflicts,
                  blocked, activity, versions, settings), optionally /FOLDER
  --hidden        start in the tray only (used when started at login)
  --version       print the version";

#[derive(Debug, Default, Clone)]
struct Args {
    config: Option<PathBuf>,
    open: Option<(String, Option<String>)>,
    hidden: bool,
    /// Arguments this app does not know (launchers such as WebKitWebDriver
    /// add their own); logged and ignored.
    ignored: Vec<String>,
}

fn parse_args(argv: &[String]) -> Result<Args, String> {
    let mut a = Args::default();
    let mut it = argv.iter().skip(1);
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| inline.clone().or_else(|| it.next().cloned()).ok_or_else(|| format!("{name} needs a value"));
        match flag {
            "--config" => a.config = Some(PathBuf::from(value("--config")?)),
            "--open" => {
                let v = value("--open")?;
                let (page, folder) = match v.split_once('/') {
                    Some((p, f)) => (p.to_string(), Some(f.to_string())),
                    None => (v, None),
                };
                a.open = Some((page, folder));
            }
            "--hidden" => a.hidden = true,
            // Passed by some launchers; harmless.
            "--" => {}
            _ => a.ignored.push(arg.clone()),
        }
    }
    Ok(a)
}

/// Quit: close the window, stop the engine gracefully, give up the host
/// role, exit. Safe to call more than once.
pub fn quit(app: &AppHandle) {
    static QUITTING: AtomicBool = AtomicBool::new(false);
    if QUITTING.swap(true, Ordering::SeqCst) {
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tracing::info!("quitting: stopping the engine gracefully…");
        window::close(&app);
        state(&app).shutdown().await;
        tracing::info!("Workspace Sync stopped");
        app.exit(0);
    });
}

/// Host the engine (as `wsync daemon` does); a missing rclone or journal
/// is kept as the app's problem and shown by the tray.
async fn start_engine(app: &AppHandle, config_path: PathBuf, role: host::HostRole) {
    let st = state(app);
    let started = (|| -> wsync_core::Result<(Context, Journal)> {
        let ctx = Context { rclone: wsync_core::rclone::locate()?, secrets: Secrets::with_store(Keychain::shared()) };
        tracing::info!("rclone {} at {}", ctx.rclone.version, ctx.rclone.path.display());
        Ok((ctx, Journal::open_default()?))
    })();
    match started {
        Ok((ctx, journal)) => {
            let host = Host::start(config_path, ctx, journal, Timing::default(), role);
            let handle = st.install_host(host).await;
            events::forward(app.clone(), handle);
            tracing::info!("engine started; control socket {}", host::socket_path().display());
        }
        Err(e) => {
            tracing::error!("the sync engine did not start: {e}");
            st.set_problem(e.message_for(wsync_core::error::Surface::App));
        }
    }
    tray::refresh(app);
}

fn main() {
    // Two malloc arenas, not one per thread (glibc's default): the app's
    // threads mostly sleep, and each arena kept its freed pages resident.
    // SAFETY: mallopt only sets an allocator parameter, before any thread.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
    let argv: Vec<String> = std::env::args().collect();
    if argv.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return;
    }
    if argv.iter().any(|a| a == "--version" || a == "-V") {
        println!("workspace-sync {}", wsync_core::VERSION);
        return;
    }
    let args = match parse_args(&argv) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("workspace-sync: {e}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let log_dir = wsync_core::logging::app_log_dir();
    let _log_guard = wsync_core::logging::init_file(&log_dir, "app.log");
    if !args.ignored.is_empty() {
        tracing::warn!("ignoring unknown arguments: {}", args.ignored.join(" "));
    }
    let config_path = wsync_core::config::config_path(args.config.as_deref());
    tracing::info!(
        "Workspace Sync {} starting (process {}; config {}; log {})",
        wsync_core::VERSION,
        std::process::id(),
        config_path.display(),
        log_dir.join("app.log").display()
    );

    // First: a second launch hands over to the running app and exits.
    let first = match single::claim(&argv) {
        Ok(single::Claim::First(first)) => first,
        Ok(single::Claim::Handed) => {
            tracing::info!("Workspace Sync is already running: asked it for the window");
            return;
        }
        Err(e) => {
            tracing::error!("cannot start: {e}");
            eprintln!("workspace-sync: {e}");
            std::process::exit(1);
        }
    };
    let setup_args = args.clone();
    let mut first = Some(first);
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_autostart::init(tauri_plugin_autostart::MacosLauncher::LaunchAgent, Some(vec!["--hidden"])))
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(tauri::generate_handler![
            commands::get_overview,
            commands::sync_now,
            commands::pause,
            commands::resume,
            commands::list_conflicts,
            commands::conflict_preview,
            commands::resolve_conflict,
            commands::resolve_all,
            commands::open_path,
            commands::confirm_deletes,
            commands::keep_everything,
            commands::activity,
            commands::list_versions,
            commands::restore_version,
            commands::get_settings,
            commands::save_settings,
            commands::set_app_settings,
            commands::providers,
            commands::pick_local_folder,
            commands::test_connection,
            commands::login_oauth,
            commands::browse_remote,
            commands::create_remote_folder,
            commands::preview_first_sync,
            commands::add_folder,
            commands::remove_folder,
            commands::logout,
        ])
        .on_window_event(|w, e| {
            if let tauri::WindowEvent::Destroyed = e {
                if w.label() == window::LABEL {
                    window::on_destroyed(w.app_handle());
                }
            }
        })
        .setup(move |app| {
            let handle = app.handle().clone();
            let role = match host::claim("Workspace Sync app") {
                Ok(r) => r,
                Err(e) => {
                    tracing::error!("Workspace Sync cannot start: {e}");
                    let _ = notify_rust::Notification::new()
                        .appname("Workspace Sync")
                        .summary("Workspace Sync is already syncing")
                        .body(&e.to_string())
                        .show();
                    eprintln!("workspace-sync: {e}");
                    std::process::exit(1);
                }
            };
            app.manage(AppState::new(config_path.clone()));
            tray::create(&handle)?;
            if let Some(first) = first.take() {
                let h = handle.clone();
                first.serve(move |argv| {
                    let args = parse_args(&argv).unwrap_or_default();
                    tracing::info!("a second launch asked for the window");
                    let (page, folder) = args.open.unwrap_or_else(|| ("status".into(), None));
                    let app = h.clone();
                    let _ = h.run_on_main_thread(move || window::open(&app, &page, folder.as_deref()));
                });
            }
            let args = setup_args.clone();
            let h = handle.clone();
            let config_path = config_path.clone();
            tauri::async_runtime::spawn(async move {
                start_engine(&h, config_path, role).await;
                let st = state(&h);
                if let Some((page, folder)) = &args.open {
                    window::open(&h, page, folder.as_deref());
                } else if st.folders().is_empty() && st.problem().is_none() && !args.hidden {
                    tracing::info!("no folder is set up: opening the setup page");
                    window::open(&h, "setup", None);
                }
            });
            let h = handle.clone();
            tauri::async_runtime::spawn(async move {
                use tokio::signal::unix::{signal, SignalKind};
                let Ok(mut term) = signal(SignalKind::terminate()) else { return };
                let Ok(mut int) = signal(SignalKind::interrupt()) else { return };
                tokio::select! {
                    _ = term.recv() => tracing::info!("SIGTERM received"),
                    _ = int.recv() => tracing::info!("SIGINT received"),
                }
                quit(&h);
            });
            Ok(())
        })
        .build(tauri::generate_context!())
        .unwrap_or_else(|e| {
            tracing::error!("cannot start the app: {e}");
            std::process::exit(1);
        });
    app.run(|_app, event| {
        if let RunEvent::ExitRequested { code: None, api, .. } = event {
            // The last window closed: the tray stays.
            api.prevent_exit();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Result<Args, String> {
        let mut v = vec!["workspace-sync".to_string()];
        v.extend(a.iter().map(|s| s.to_string()));
        parse_args(&v)
    }

    #[test]
    fn arguments() {
        let a = args(&["--config", "/tmp/c.json", "--open", "conflicts/work", "--hidden"]).unwrap();
        assert_eq!(a.config.as_deref(), Some(std::path::Path::new("/tmp/c.json")));
        assert_eq!(a.open, Some(("conflicts".into(), Some("work".into()))));
        assert!(a.hidden);
        assert_eq!(args(&["--config=/x"]).unwrap().config.as_deref(), Some(std::path::Path::new("/x")));
        assert_eq!(args(&["--bogus"]).unwrap().ignored, ["--bogus"]);
        assert!(args(&["--config"]).is_err());
    }
}
