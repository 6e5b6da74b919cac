//! The floor of benchmark section 6: a bare Tauri 2 tray app. A tray icon
//! with a one-item menu (Quit), no window, and otherwise idle, as the real
//! app is with its window closed. What it uses at idle is the least any
//! Tauri 2 tray app uses here.

use tauri::image::Image;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::RunEvent;

fn main() {
    tauri::Builder::default()
        .setup(|app| {
            let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
            let menu = Menu::with_items(app, &[&quit])?;
            // The icon the real app shows when idle (copied in by idle.sh).
            TrayIconBuilder::with_id("bench-floor")
                .icon(Image::from_bytes(include_bytes!("../icons/tray-idle@2x.png"))?)
                .tooltip("bench floor")
                .menu(&menu)
                .show_menu_on_left_click(true)
                .on_menu_event(|app, event| {
                    if event.id().as_ref() == "quit" {
                        app.exit(0);
                    }
                })
                .build(app)?;
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("cannot start the bench floor")
        .run(|_app, event| {
            // No window to close, but keep the app's behaviour: stay in the tray.
            if let RunEvent::ExitRequested { code: None, api, .. } = event {
                api.prevent_exit();
            }
        });
}
