//! One engine host per user: the tray app or `wsync daemon` claims the role
//! (a lock file naming the holder) and serves a Unix socket in the runtime
//! dir (mode 0600, peer uid checked). The CLI talks to it in JSON lines
//! ([`protocol`]): one request, then streamed events, then one final reply.

mod client;
pub mod protocol;
pub mod server;

use std::path::PathBuf;

pub use client::{connect, Client};
pub use protocol::{Reply, Request, SyncRequest};
pub use server::{peer_allowed, serve, ReloadSender};

use crate::error::{Error, Result};
use crate::fsutil::{LockError, LockFile};
use crate::paths;

pub fn socket_path() -> PathBuf {
    paths::runtime_dir().join("engine.sock")
}

fn lock_path() -> PathBuf {
    paths::runtime_dir().join("engine.lock")
}

/// The host role, held while the process runs.
pub struct HostRole {
    _lock: LockFile,
}

/// Claim the host role; refuses, naming the holder, if another process has it.
pub fn claim(role: &str) -> Result<HostRole> {
    let dir = paths::runtime_dir();
    paths::create_private_dir(&dir).map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let path = lock_path();
    match LockFile::try_acquire(&path, &format!("{role}, process {}", std::process::id())) {
        Ok(lock) => Ok(HostRole { _lock: lock }),
        Err(LockError::Held(holder)) => Err(Error::Busy(format!(
            "another Workspace Sync engine is already running ({}); stop it first, or let `wsync` commands talk to it",
            if holder.is_empty() { "unknown process".to_string() } else { holder }
        ))),
        Err(LockError::Io(e)) => Err(Error::io(format!("cannot open {}", path.display()), e)),
    }
}

impl Drop for HostRole {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(socket_path());
    }
}
