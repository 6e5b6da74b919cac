//! One app per person: a second launch hands its arguments to the running
//! app over a Unix socket in the private runtime dir, and exits.
//!
//! In place of the single-instance plugin, whose D-Bus connection kept a
//! worker thread waking twice a second while the app sat idle in the tray.
//! The first launch holds a lock file for its whole life (released by the
//! kernel however it ends), so a socket left by a crash is never mistaken
//! for a running app, and two launches at once cannot both win.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use wsync_core::fsutil::{LockError, LockFile};

/// A request is one JSON line of arguments; more than this is refused.
const MAX_REQUEST: u64 = 64 * 1024;

fn dir() -> PathBuf {
    wsync_core::paths::runtime_dir()
}

fn socket_path() -> PathBuf {
    dir().join("app.sock")
}

/// This process is the app: it keeps the lock and serves the socket.
pub struct First {
    _lock: LockFile,
    listener: UnixListener,
}

pub enum Claim {
    First(First),
    /// The running app took the arguments: exit.
    Handed,
}

/// Become the app, or hand `argv` to the one that runs.
pub fn claim(argv: &[String]) -> Result<Claim, String> {
    let dir = dir();
    wsync_core::paths::create_private_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let lock_path = dir.join("app.lock");
    match LockFile::try_acquire(&lock_path, &format!("Workspace Sync app, process {}", std::process::id())) {
        Ok(lock) => {
            let path = socket_path();
            // Left by an app that ended without removing it.
            let _ = std::fs::remove_file(&path);
            let listener = UnixListener::bind(&path).map_err(|e| format!("cannot listen on {}: {e}", path.display()))?;
            Ok(Claim::First(First { _lock: lock, listener }))
        }
        Err(LockError::Held(_)) => hand_over(argv).map(|_| Claim::Handed),
        Err(LockError::Io(e)) => Err(format!("cannot open {}: {e}", lock_path.display())),
    }
}

/// The running app may still be starting: try for a few seconds.
fn hand_over(argv: &[String]) -> Result<(), String> {
    let line = serde_json::to_string(argv).map_err(|e| e.to_string())?;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match UnixStream::connect(socket_path()) {
            Ok(mut s) => {
                s.set_write_timeout(Some(Duration::from_secs(5))).map_err(|e| e.to_string())?;
                return s.write_all(format!("{line}\n").as_bytes()).map_err(|e| format!("cannot reach the running app: {e}"));
            }
            Err(e) if Instant::now() >= deadline => {
                return Err(format!("Workspace Sync is running but does not answer on {} ({e}); quit it and start it again", socket_path().display()))
            }
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

impl First {
    /// Serve second launches on a thread of their own: `on_launch` gets each
    /// one's arguments.
    pub fn serve(self, on_launch: impl Fn(Vec<String>) + Send + 'static) {
        std::thread::Builder::new()
            .name("second-launch".into())
            .spawn(move || {
                let _lock = self._lock;
                for conn in self.listener.incoming().flatten() {
                    let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
                    let mut line = String::new();
                    if BufReader::new(conn).take(MAX_REQUEST).read_line(&mut line).is_err() {
                        continue;
                    }
                    match serde_json::from_str::<Vec<String>>(line.trim_end()) {
                        Ok(argv) => on_launch(argv),
                        Err(e) => tracing::warn!("a second launch sent arguments that could not be read: {e}"),
                    }
                }
            })
            .map(|_| ())
            .unwrap_or_else(|e| tracing::error!("cannot serve second launches: {e}"));
    }
}
