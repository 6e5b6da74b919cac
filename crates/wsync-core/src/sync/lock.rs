//! What a killed run leaves in a folder's work dir, and how the next run
//! gets past it: an rclone child whose parent died is ended (it got SIGTERM
//! when the parent died and is shutting down; it is waited for, then
//! killed), and bisync's `.lck` files of dead processes are removed, while
//! a live one of a live run is always respected.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// How long an orphaned rclone gets for its graceful shutdown (rclone
/// allows itself 30 s).
const ORPHAN_PATIENCE: Duration = Duration::from_secs(40);

/// The file in which a running rclone child and its parent are named.
pub fn owner_file(workdir: &Path) -> std::path::PathBuf {
    workdir.join("rclone.owner")
}

/// End an rclone child of a killed run of this folder (its parent is gone):
/// wait for its graceful shutdown, then kill it. Returns its pid if there
/// was one.
pub fn end_orphaned_child(workdir: &Path) -> Option<i32> {
    let path = owner_file(workdir);
    let text = std::fs::read_to_string(&path).ok()?;
    let mut it = text.split_whitespace().map(|p| p.parse::<i32>().ok());
    let (child, parent) = (it.next()??, it.next()??);
    let _ = std::fs::remove_file(&path);
    if crate::rclone::pid_alive(parent) || !is_live_rclone(child) {
        return None;
    }
    unsafe {
        libc::kill(child, libc::SIGTERM);
    }
    let start = Instant::now();
    while is_live_rclone(child) && start.elapsed() < ORPHAN_PATIENCE {
        std::thread::sleep(Duration::from_millis(100));
    }
    if is_live_rclone(child) {
        unsafe {
            libc::kill(child, libc::SIGKILL);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Some(child)
}

#[derive(serde::Deserialize)]
struct BisyncLock {
    #[serde(rename = "PID", default)]
    pid: String,
    #[serde(rename = "TimeExpires", default)]
    time_expires: String,
}

/// True if `pid` is a running rclone process.
fn is_live_rclone(pid: i32) -> bool {
    if !crate::rclone::pid_alive(pid) {
        return false;
    }
    // A reused pid that belongs to something else does not hold the lock.
    match std::fs::read(format!("/proc/{pid}/cmdline")) {
        Ok(cmd) => String::from_utf8_lossy(&cmd).contains("rclone"),
        Err(_) => true,
    }
}

/// What was found among bisync's lock files.
#[derive(Debug, PartialEq, Eq)]
pub enum StaleLocks {
    None,
    /// Locks of dead processes that were removed (their pids).
    Removed(Vec<i32>),
}

/// Remove bisync lock files of dead processes; refuse if a live one holds it.
pub fn clear_stale_bisync_locks(workdir: &Path, folder: &str) -> Result<StaleLocks> {
    let mut removed = Vec::new();
    let entries = match std::fs::read_dir(workdir) {
        Ok(e) => e,
        Err(_) => return Ok(StaleLocks::None),
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("lck") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let lock: Option<BisyncLock> = serde_json::from_str(&text).ok();
        let pid = lock.as_ref().and_then(|l| l.pid.trim().parse::<i32>().ok()).unwrap_or(0);
        let expired = lock
            .as_ref()
            .and_then(|l| chrono::DateTime::parse_from_rfc3339(&l.time_expires).ok())
            .map(|t| t < chrono::Utc::now())
            .unwrap_or(false);
        if is_live_rclone(pid) && !expired {
            return Err(Error::Busy(format!(
                "folder \"{folder}\" is being synced by rclone process {pid} (lock {}); wait for it to finish",
                path.display()
            )));
        }
        std::fs::remove_file(&path).map_err(|e| Error::io(format!("cannot remove the stale lock {}", path.display()), e))?;
        removed.push(pid);
    }
    Ok(if removed.is_empty() { StaleLocks::None } else { StaleLocks::Removed(removed) })
}

#[cfg(test)]
mod tests {
    use super::*;


    #[test]
    fn dead_pid_lock_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let lck = dir.path().join("a..b.lck");
        std::fs::write(&lck, r#"{"Session":"a..b","PID":"999999","TimeRenewed":"","TimeExpires":"2226-01-01T00:00:00Z"}"#).unwrap();
        assert_eq!(clear_stale_bisync_locks(dir.path(), "ws").unwrap(), StaleLocks::Removed(vec![999999]));
        assert!(!lck.exists());
    }
}
