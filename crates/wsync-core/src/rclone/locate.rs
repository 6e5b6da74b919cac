//! Finding the rclone binary and checking its version.
//!
//! Order: `WSYNC_RCLONE`, next to the running executable (how the packaged
//! app ships it), the dev path that `scripts/fetch-rclone.sh` fills, then PATH.
//!
//! `rclone version` costs a fifth of a second (it asks the OS for its
//! release, through `lsb_release`), which would be most of a no-op sync: the
//! answer is kept in the state dir, keyed by the binary's path, size,
//! inode and times, and asked again whenever any of them changes.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};

pub const MIN_VERSION: (u32, u32, u32) = (1, 69, 0);
const SIDECAR: &str = "rclone-x86_64-unknown-linux-gnu";

#[derive(Debug, Clone)]
pub struct Rclone {
    pub path: PathBuf,
    pub version: String,
}

fn candidates() -> Vec<(PathBuf, &'static str)> {
    let mut out = Vec::new();
    if let Some(p) = std::env::var_os("WSYNC_RCLONE").filter(|p| !p.is_empty()) {
        out.push((PathBuf::from(p), "WSYNC_RCLONE"));
        // An explicit choice is never second-guessed.
        return out;
    }
    if let Ok(exe) = std::env::current_exe() {
        if let Some(dir) = exe.parent() {
            // The packaged app's sidecar (named so that it never clashes with
            // a system rclone), then a plain rclone shipped beside the program.
            out.push((dir.join("wsync-rclone"), "beside the program"));
            out.push((dir.join("rclone"), "beside the program"));
            out.push((dir.join(SIDECAR), "beside the program"));
        }
    }
    // The dev path, relative to this crate's source (crates/wsync-core).
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src-tauri/binaries").join(SIDECAR);
    out.push((dev, "the development copy"));
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            out.push((dir.join("rclone"), "PATH"));
        }
    }
    out
}

/// Find rclone and check that it is recent enough.
pub fn locate() -> Result<Rclone> {
    for (path, source) in candidates() {
        if path.is_file() {
            let path = std::fs::canonicalize(&path).unwrap_or(path);
            let version = cached_version(&path)?;
            check_version(&path, &version)?;
            return Ok(Rclone { path, version });
        }
        if source == "WSYNC_RCLONE" {
            return Err(Error::Rclone(format!(
                "WSYNC_RCLONE points at {}, which does not exist; fix the path or unset WSYNC_RCLONE",
                path.display()
            )));
        }
    }
    Err(Error::Rclone(
        "rclone was not found; run scripts/fetch-rclone.sh (or install rclone 1.69 or newer), or set WSYNC_RCLONE to its path".into(),
    ))
}

/// What identifies one rclone binary on disk.
fn fingerprint(path: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    Some(format!("{}|{}|{}|{}.{}|{}.{}", path.display(), m.len(), m.ino(), m.mtime(), m.mtime_nsec(), m.ctime(), m.ctime_nsec()))
}

fn cached_version(path: &Path) -> Result<String> {
    let cache = crate::paths::state_dir().join("rclone-version");
    let key = fingerprint(path);
    if let (Some(key), Ok(text)) = (&key, std::fs::read_to_string(&cache)) {
        if let Some((k, v)) = text.trim_end().rsplit_once('\n') {
            if k == key && parse_version(v).is_some() {
                return Ok(v.to_string());
            }
        }
    }
    let version = read_version(path)?;
    if let Some(key) = key {
        // A cache only: a failed write costs the next run a fifth of a second.
        let _ = crate::fsutil::write_atomic(&cache, format!("{key}\n{version}\n").as_bytes(), 0o600);
    }
    Ok(version)
}

fn read_version(path: &Path) -> Result<String> {
    let out = Command::new(path).arg("version").env("RCLONE_CONFIG", "/dev/null").output().map_err(|e| {
        Error::Rclone(format!("cannot run rclone at {}: {e}; check that it is an executable rclone binary", path.display()))
    })?;
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().next().unwrap_or("");
    first.strip_prefix("rclone v").map(|v| v.trim().to_string()).ok_or_else(|| {
        Error::Rclone(format!(
            "{} did not answer `rclone version` as rclone does; point WSYNC_RCLONE at a real rclone binary",
            path.display()
        ))
    })
}

/// Parse "1.75.2" (or "1.70.0-beta...") into numbers.
pub fn parse_version(v: &str) -> Option<(u32, u32, u32)> {
    let core = v.split(['-', '+']).next()?;
    let mut it = core.split('.').map(|n| n.parse::<u32>().ok());
    Some((it.next()??, it.next()??, it.next().flatten().unwrap_or(0)))
}

fn check_version(path: &Path, version: &str) -> Result<()> {
    let parsed = parse_version(version).ok_or_else(|| {
        Error::Rclone(format!("cannot read rclone's version \"{version}\" ({}); use an official rclone release", path.display()))
    })?;
    if parsed < MIN_VERSION {
        let (a, b, _) = MIN_VERSION;
        return Err(Error::Rclone(format!(
            "rclone {version} at {} is too old; Workspace Sync needs {a}.{b} or newer: run scripts/fetch-rclone.sh or set WSYNC_RCLONE to a newer rclone",
            path.display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare() {
        assert_eq!(parse_version("1.75.2"), Some((1, 75, 2)));
        assert_eq!(parse_version("1.70.0-beta.8000"), Some((1, 70, 0)));
        assert!(parse_version("1.68.2").unwrap() < MIN_VERSION);
        assert!(parse_version("1.69.0").unwrap() >= MIN_VERSION);
        assert_eq!(parse_version("garbage"), None);
    }
}
