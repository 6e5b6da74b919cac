//! Where things live on disk: the user-editable config, app-written state
//! and data, and the private runtime directory. XDG base directories on
//! Linux, with the usual fallbacks under `$HOME`.

use std::path::{Path, PathBuf};

const APP: &str = "workspace-sync";

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from)
}

fn xdg(var: &str, fallback: &str) -> PathBuf {
    match std::env::var_os(var).map(PathBuf::from) {
        Some(p) if p.is_absolute() => p,
        _ => home().unwrap_or_else(|| PathBuf::from("/tmp")).join(fallback),
    }
}

/// Default config file: `$XDG_CONFIG_HOME/workspace-sync/config.json`.
pub fn default_config_file() -> PathBuf {
    xdg("XDG_CONFIG_HOME", ".config").join(APP).join("config.json")
}

/// App-written data (bisync work dirs, kept versions).
pub fn data_dir() -> PathBuf {
    xdg("XDG_DATA_HOME", ".local/share").join(APP)
}

/// App-written state (last results, logs).
pub fn state_dir() -> PathBuf {
    xdg("XDG_STATE_HOME", ".local/state").join(APP)
}

/// Private directory for per-run files (temporary rclone configs), mode 0700:
/// `$XDG_RUNTIME_DIR/workspace-sync` where that exists, else under the state dir.
pub fn runtime_dir() -> PathBuf {
    match std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from) {
        Some(p) if p.is_absolute() && p.is_dir() => p.join(APP),
        _ => state_dir().join("run"),
    }
}

/// The bisync work dir of one folder. Each folder has its own, so two
/// spellings of one path can never become two bisync sessions.
pub fn workdir(folder_id: &str) -> PathBuf {
    data_dir().join("bisync").join(folder_id)
}

/// Expand a leading `~` to `$HOME`.
pub fn expand_tilde(path: &str) -> PathBuf {
    if path == "~" {
        return home().unwrap_or_else(|| PathBuf::from("~"));
    }
    if let Some(rest) = path.strip_prefix("~/") {
        if let Some(h) = home() {
            return h.join(rest);
        }
    }
    PathBuf::from(path)
}

/// Normalise `.` and `..` components lexically, without touching the disk
/// (the folder may not exist yet).
pub fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Create a directory (and parents) readable only by this user.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}
