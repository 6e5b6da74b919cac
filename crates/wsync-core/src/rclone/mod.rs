//! Driving the rclone binary: finding it, running one child process per
//! operation with its JSON log parsed into typed lines, and classifying its
//! exit codes.

mod locate;
mod log;
mod process;

pub use locate::{locate, Rclone, MIN_VERSION};
pub use log::{Level, LogLine, Stats, Transferring};
pub use process::{sweep_stale_configs, Invocation, Output};
pub(crate) use process::pid_alive;

/// What an rclone exit code means (rclone's documented codes, and the
/// signal codes of an interrupted run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitKind {
    Success,
    /// 1: lock present, too many deletes, safety abort, or another error.
    Error,
    /// 2: usage error (a bug of ours, or a flag rclone does not know).
    Usage,
    /// 3/4: directory or file not found.
    NotFound,
    /// 5/6: temporary or less serious error; retrying may help.
    Retryable,
    /// 7: fatal error; bisync needs recovery.
    Critical,
    /// 9: operation successful but nothing transferred.
    NoTransfers,
    /// 130/143 or killed by a signal.
    Interrupted,
    Other(i32),
}

impl ExitKind {
    pub fn from_code(code: Option<i32>) -> ExitKind {
        match code {
            Some(0) => ExitKind::Success,
            Some(1) => ExitKind::Error,
            Some(2) => ExitKind::Usage,
            Some(3) | Some(4) => ExitKind::NotFound,
            Some(5) | Some(6) => ExitKind::Retryable,
            Some(7) => ExitKind::Critical,
            Some(9) => ExitKind::NoTransfers,
            Some(130) | Some(143) | None => ExitKind::Interrupted,
            Some(c) => ExitKind::Other(c),
        }
    }
}
