//! The two file-system helpers every module shares: an atomic write (temp
//! file in the same directory, fsync, rename) with the file's mode set
//! before any byte lands, and an exclusive advisory lock on a lock file
//! that names its holder.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Replace `path` with `bytes` atomically: a crash leaves the old file or
/// the new one, never half of either. The file gets `mode` (e.g. 0o600).
pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "file".into());
    let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).mode(mode).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// An exclusive lock on a file, held until dropped. The file holds the
/// holder's description (e.g. "process 4242") for the refusal message.
pub struct LockFile {
    file: File,
    path: PathBuf,
}

/// Why a lock was not taken.
pub enum LockError {
    /// Another holder has it; its description, if it wrote one.
    Held(String),
    Io(std::io::Error),
}

impl LockFile {
    /// Take the lock now, or say who holds it.
    pub fn try_acquire(path: &Path, holder: &str) -> Result<LockFile, LockError> {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)
            .map_err(LockError::Io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                return Err(LockError::Held(text.trim().to_string()));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(LockError::Io(e)),
        }
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = write!(file, "{holder}");
        let _ = file.flush();
        Ok(LockFile { file, path: path.to_path_buf() })
    }

    /// Take the lock, waiting up to `patience` for the holder to let go.
    pub fn acquire_within(path: &Path, holder: &str, patience: Duration) -> Result<LockFile, LockError> {
        let start = Instant::now();
        loop {
            match LockFile::try_acquire(path, holder) {
                Err(LockError::Held(_)) if start.elapsed() < patience => std::thread::sleep(Duration::from_millis(50)),
                other => return other,
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for LockFile {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn atomic_write_sets_the_mode_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.json");
        write_atomic(&p, b"one", 0o600).unwrap();
        write_atomic(&p, b"two", 0o600).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temp file left");
    }

    #[test]
    fn a_held_lock_names_its_holder_and_is_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.lock");
        let first = LockFile::try_acquire(&p, "process 1").ok().unwrap();
        match LockFile::try_acquire(&p, "process 2") {
            Err(LockError::Held(h)) => assert_eq!(h, "process 1"),
            _ => panic!("second lock must be refused"),
        }
        drop(first);
        assert!(LockFile::acquire_within(&p, "process 2", Duration::from_millis(100)).is_ok());
    }
}
