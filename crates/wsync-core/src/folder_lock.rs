//! The folder lock: one holder at a time for everything that changes a
//! folder's files or records (a sync, settling a conflict, restoring a
//! version, removing the folder). Our own advisory lock, since rclone
//! creates its lock file non-atomically and two runs could both take it.

use std::path::Path;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::fsutil::{LockError, LockFile};

/// Held for the whole sync of one folder (and while a conflict is settled
/// or a version restored); released on drop.
pub struct FolderLock {
    _lock: LockFile,
}

impl FolderLock {
    /// Take the folder's lock now, or say who holds it.
    pub fn acquire(workdir: &Path, folder: &str) -> Result<FolderLock> {
        FolderLock::acquire_within(workdir, folder, Duration::ZERO)
    }

    /// Take the folder's lock, waiting up to `patience` for a running sync.
    pub fn acquire_within(workdir: &Path, folder: &str, patience: Duration) -> Result<FolderLock> {
        crate::paths::create_private_dir(workdir).map_err(|e| Error::io(format!("cannot create {}", workdir.display()), e))?;
        let path = workdir.join("wsync.lock");
        match LockFile::acquire_within(&path, &format!("process {}", std::process::id()), patience) {
            Ok(lock) => Ok(FolderLock { _lock: lock }),
            Err(LockError::Held(holder)) => {
                let who = if holder.is_empty() { "another process".to_string() } else { holder };
                Err(Error::Busy(format!("folder \"{folder}\" is already being synced by {who}; wait for that sync to finish")))
            }
            Err(LockError::Io(e)) => Err(Error::io(format!("cannot open the lock file {}", path.display()), e)),
        }
    }
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
}
