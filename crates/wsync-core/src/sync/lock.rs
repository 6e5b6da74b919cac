//! Locks around one folder's sync: our own advisory lock (rclone creates its
//! lock file non-atomically, so two runs could both take it), and the
//! handling of bisync's `.lck` files: one left by a dead process is removed,
//! a live one is always respected.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Held for the whole sync of one folder; released on drop.
pub struct FolderLock {
    file: File,
    _path: PathBuf,
}

impl FolderLock {
    pub fn acquire(workdir: &Path, folder: &str) -> Result<FolderLock> {
        let path = workdir.join("wsync.lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(format!("cannot open the lock file {}", path.display()), e))?;
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc != 0 {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            let who = if holder.is_empty() { "another process".to_string() } else { format!("process {holder}") };
            return Err(Error::Busy(format!(
                "folder \"{folder}\" is already being synced by {who}; wait for that sync to finish"
            )));
        }
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = write!(file, "{}", std::process::id());
        let _ = file.flush();
        Ok(FolderLock { file, _path: path })
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        unsafe {
            libc::flock(self.file.as_raw_fd(), libc::LOCK_UN);
        }
    }
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
    fn second_lock_is_refused_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let first = FolderLock::acquire(dir.path(), "ws").unwrap();
        // flock is per open file description, so a second open in the same
        // process conflicts just as another process would.
        let err = FolderLock::acquire(dir.path(), "ws").err().expect("must be busy").to_string();
        assert!(err.contains(&std::process::id().to_string()), "{err}");
        drop(first);
        assert!(FolderLock::acquire(dir.path(), "ws").is_ok());
    }

    #[test]
    fn dead_pid_lock_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let lck = dir.path().join("a..b.lck");
        std::fs::write(&lck, r#"{"Session":"a..b","PID":"999999","TimeRenewed":"","TimeExpires":"2226-01-01T00:00:00Z"}"#).unwrap();
        assert_eq!(clear_stale_bisync_locks(dir.path(), "ws").unwrap(), StaleLocks::Removed(vec![999999]));
        assert!(!lck.exists());
    }
}
