//! Build script of the desktop app package. The tray app (its own issue)
//! replaces this with `tauri_build::build()`.
fn main() {}
