//! Build script of the desktop app package.
//!
//! - The web UI: tauri.conf.json's `frontendDist` is `target/ui-dist`, which
//!   this script fills: a copy of `ui/dist` (built by `npm run build` in
//!   `ui/`) when that exists, else a one-page placeholder that says the UI is
//!   not built. So a plain `cargo build` of the workspace always works, and
//!   `ui/` is never written to.
//! - The rclone sidecar (`bundle.externalBin`): tauri-build copies
//!   `src-tauri/binaries/wsync-rclone-<triple>` beside the executable. When
//!   `scripts/fetch-rclone.sh` has not run yet, the sidecar is left out of
//!   this build (with a warning) instead of failing it; the app then finds
//!   rclone the way the CLI does (WSYNC_RCLONE, PATH).
//! - Capabilities (`capabilities/`), icons and the rest: `tauri_build`.

use std::path::{Path, PathBuf};

const PLACEHOLDER: &str = r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Workspace Sync</title></head>
<body>
<h1>Workspace Sync</h1>
<p id="ui-not-built">The window's web UI was not built into this binary.
Run <code>npm ci &amp;&amp; npm run build</code> in <code>ui/</code>, then build the app again
(<code>scripts/build-deb.sh</code> does both). Syncing, the tray menu and the
<code>wsync</code> command line work without it.</p>
</body>
</html>
"#;

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

fn prepare_ui(root: &Path) {
    let dist = root.join("ui/dist");
    let out = root.join("target/ui-dist");
    println!("cargo:rerun-if-changed={}", dist.display());
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).expect("cannot create target/ui-dist");
    if dist.join("index.html").is_file() {
        copy_dir(&dist, &out).expect("cannot copy ui/dist to target/ui-dist");
    } else {
        println!("cargo:warning=ui/dist is missing: the window shows a placeholder page (build the UI with `npm ci && npm run build` in ui/)");
        std::fs::write(out.join("index.html"), PLACEHOLDER).expect("cannot write target/ui-dist/index.html");
    }
}

fn check_sidecar(root: &Path) {
    let triple = std::env::var("TARGET").unwrap_or_default();
    let sidecar: PathBuf = root.join(format!("src-tauri/binaries/wsync-rclone-{triple}"));
    println!("cargo:rerun-if-changed={}", sidecar.display());
    if !sidecar.is_file() && std::env::var_os("TAURI_CONFIG").is_none() {
        println!(
            "cargo:warning=the rclone sidecar {} is missing (run scripts/fetch-rclone.sh); building without it",
            sidecar.display()
        );
        // tauri-build merges TAURI_CONFIG into tauri.conf.json (JSON merge
        // patch: null removes the key).
        std::env::set_var("TAURI_CONFIG", r#"{"bundle":{"externalBin":null}}"#);
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    prepare_ui(&root);
    check_sidecar(&root);
    tauri_build::build()
}
