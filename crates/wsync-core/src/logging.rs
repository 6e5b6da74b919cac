//! Logging for every surface through `tracing`: the daemon and the CLI log
//! to stderr, the tray app to a rotated file in the state dir and stderr.
//! Every line passes a redacting writer first, so that no secret that was
//! resolved for a run (or looks like a token) reaches a log.

use std::io::Write;
use std::path::{Path, PathBuf};

use tracing_subscriber::fmt::MakeWriter;

/// A writer that redacts whole lines before they reach `inner`.
pub struct Redacting<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> Redacting<W> {
    pub fn new(inner: W) -> Self {
        Redacting { inner, pending: Vec::new() }
    }

    fn flush_lines(&mut self, all: bool) -> std::io::Result<()> {
        while let Some(i) = self.pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=i).collect();
            let text = String::from_utf8_lossy(&line);
            self.inner.write_all(crate::redact::redact(text.trim_end_matches('\n')).as_bytes())?;
            self.inner.write_all(b"\n")?;
        }
        if all && !self.pending.is_empty() {
            let text = String::from_utf8_lossy(&self.pending).into_owned();
            self.pending.clear();
            self.inner.write_all(crate::redact::redact(&text).as_bytes())?;
        }
        Ok(())
    }
}

impl<W: Write> Write for Redacting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        self.flush_lines(false)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.flush_lines(true)?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for Redacting<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Makes a redacting writer around each writer `M` makes.
pub struct RedactingMakeWriter<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for RedactingMakeWriter<M> {
    type Writer = Redacting<M::Writer>;
    fn make_writer(&'a self) -> Self::Writer {
        Redacting::new(self.0.make_writer())
    }
}

fn level() -> tracing::Level {
    if std::env::var_os("WSYNC_DEBUG").is_some() {
        tracing::Level::DEBUG
    } else {
        tracing::Level::INFO
    }
}

/// Log to stderr (the daemon, the CLI). Safe to call more than once.
pub fn init_stderr() {
    let _ = tracing_subscriber::fmt()
        .with_max_level(level())
        .with_target(false)
        .with_ansi(false)
        .with_writer(RedactingMakeWriter(std::io::stderr))
        .try_init();
}

/// Where the app's log goes: `$XDG_STATE_HOME/workspace-sync/logs/app.log`.
pub fn app_log_dir() -> PathBuf {
    crate::paths::state_dir().join("logs")
}

/// A log file larger than this is rotated at start (three old ones kept).
const ROTATE_BYTES: u64 = 1024 * 1024;
const KEEP: u32 = 3;

fn rotate(path: &Path) {
    if std::fs::metadata(path).map(|m| m.len() <= ROTATE_BYTES).unwrap_or(true) {
        return;
    }
    for i in (1..KEEP).rev() {
        let _ = std::fs::rename(format!("{}.{i}", path.display()), format!("{}.{}", path.display(), i + 1));
    }
    let _ = std::fs::rename(path, format!("{}.1", path.display()));
}

/// Log to `dir/name` (rotated at start when large, three old ones kept)
/// and to stderr. The returned guard flushes the file when dropped.
pub fn init_file(dir: &Path, name: &str) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let _ = crate::paths::create_private_dir(dir);
    rotate(&dir.join(name));
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::NEVER)
        .filename_prefix(name)
        .build(dir)
        .ok()?;
    let (file, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::filter::LevelFilter::from_level(level());
    let file_layer = tracing_subscriber::fmt::layer().with_target(false).with_ansi(false).with_writer(RedactingMakeWriter(file));
    let err_layer = tracing_subscriber::fmt::layer().with_target(false).with_ansi(false).with_writer(RedactingMakeWriter(std::io::stderr));
    tracing_subscriber::registry().with(filter).with(file_layer).with(err_layer).try_init().ok()?;
    Some(guard)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_redacted_before_they_are_written() {
        crate::redact::register("s3cr3t-logging-77");
        let mut out = Vec::new();
        {
            let mut w = Redacting::new(&mut out);
            write!(w, "login with s3cr3t-").unwrap();
            writeln!(w, "logging-77 ok").unwrap();
            write!(w, "token=abc123def").unwrap();
        }
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains("s3cr3t-logging-77") && !text.contains("abc123def"), "{text}");
        assert!(text.contains("login with"), "{text}");
    }
}
