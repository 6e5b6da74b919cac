//! The error that crosses the IPC boundary: `{ code, message }` (docs/ipc.md).
//! The UI shows `message` and branches on `code` only; messages are the
//! core's, phrased for the window (an action, not a CLI command), redacted.

use serde::Serialize;
use wsync_core::error::{Error, ErrorCode, Surface};

#[derive(Debug, Clone, Serialize)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError { code, message: wsync_core::redact::redact(&message.into()) }
    }

    pub fn invalid(message: impl Into<String>) -> AppError {
        AppError::new(ErrorCode::InvalidInput, message)
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code.key())
    }
}

impl From<Error> for AppError {
    fn from(e: Error) -> AppError {
        AppError { code: e.code(), message: e.message_for(Surface::App) }
    }
}

impl From<tauri::Error> for AppError {
    fn from(e: tauri::Error) -> AppError {
        AppError::new(ErrorCode::Io, e.to_string())
    }
}
