//! Workspace Sync desktop app. This placeholder stands until the tray app
//! lands; it runs the same core as `wsync` so that the package builds and
//! links against it.
fn main() {
    eprintln!(
        "workspace-sync {}: the tray app is not built yet; use the `wsync` command line for now",
        wsync_core::VERSION
    );
    std::process::exit(2);
}
