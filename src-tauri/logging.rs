//! The app's log: one file in the app's state dir
//! (`$XDG_STATE_HOME/workspace-sync/logs/app.log`), rotated by size
//! (`app.log.1` .. `app.log.3`), every line redacted like the CLI's
//! (`wsync_core::redact::redact`), and mirrored to stderr.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const MAX_BYTES: u64 = 1024 * 1024;
const KEEP: u32 = 3;

struct Log {
    path: PathBuf,
    file: Option<File>,
    written: u64,
}

static LOG: Mutex<Option<Log>> = Mutex::new(None);

/// Where the log goes.
pub fn log_path() -> PathBuf {
    wsync_core::paths::state_dir().join("logs").join("app.log")
}

fn open(path: &Path) -> Option<(File, u64)> {
    let file = OpenOptions::new().create(true).append(true).open(path).ok()?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    Some((file, len))
}

/// Open the log file (creating its private directory). Logging to stderr
/// goes on if the file cannot be opened.
pub fn init() -> PathBuf {
    let path = log_path();
    if let Some(dir) = path.parent() {
        let _ = wsync_core::paths::create_private_dir(dir);
    }
    let (file, written) = match open(&path) {
        Some((f, n)) => (Some(f), n),
        None => (None, 0),
    };
    if let Ok(mut g) = LOG.lock() {
        *g = Some(Log { path: path.clone(), file, written });
    }
    path
}

fn rotate(log: &mut Log) {
    log.file = None;
    for i in (1..KEEP).rev() {
        let from = PathBuf::from(format!("{}.{i}", log.path.display()));
        let to = PathBuf::from(format!("{}.{}", log.path.display(), i + 1));
        let _ = std::fs::rename(&from, &to);
    }
    let _ = std::fs::rename(&log.path, format!("{}.1", log.path.display()));
    if let Some((f, n)) = open(&log.path) {
        log.file = Some(f);
        log.written = n;
    }
}

/// Write one line (or several) at `level`.
pub fn write(level: &str, text: &str) {
    let now = chrono::Local::now().format("%Y-%m-%d %H:%M:%S%.3f");
    let mut out = String::new();
    for line in text.lines() {
        out.push_str(&format!("{now} {level:<5} {}\n", wsync_core::redact::redact(line)));
    }
    eprint!("{out}");
    if let Ok(mut g) = LOG.lock() {
        if let Some(log) = g.as_mut() {
            if log.written + out.len() as u64 > MAX_BYTES {
                rotate(log);
            }
            if let Some(f) = log.file.as_mut() {
                if f.write_all(out.as_bytes()).is_ok() {
                    log.written += out.len() as u64;
                }
            }
        }
    }
}

#[macro_export]
macro_rules! info {
    ($($arg:tt)*) => { $crate::logging::write("INFO", &format!($($arg)*)) };
}

#[macro_export]
macro_rules! warn {
    ($($arg:tt)*) => { $crate::logging::write("WARN", &format!($($arg)*)) };
}

#[macro_export]
macro_rules! error {
    ($($arg:tt)*) => { $crate::logging::write("ERROR", &format!($($arg)*)) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_keeps_three_files() {
        let dir = std::env::temp_dir().join(format!("wsync-app-log-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("app.log");
        let (f, n) = open(&path).unwrap();
        let mut log = Log { path: path.clone(), file: Some(f), written: n };
        for _ in 0..5 {
            std::fs::write(&path, "x").unwrap();
            rotate(&mut log);
        }
        assert!(path.exists());
        assert!(dir.join("app.log.1").exists() && dir.join("app.log.3").exists());
        assert!(!dir.join("app.log.4").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
