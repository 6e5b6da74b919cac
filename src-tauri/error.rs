//! The error that crosses the IPC boundary: `{ code, message }` (docs/ipc.md).
//! The UI shows `message` and branches on `code` only. Messages are redacted
//! like the CLI's.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct AppError {
    pub code: String,
    pub message: String,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(code: &str, message: impl Into<String>) -> AppError {
        AppError { code: code.to_string(), message: wsync_core::redact::redact(&message.into()) }
    }

    pub fn invalid(message: impl Into<String>) -> AppError {
        AppError::new("invalid-input", message)
    }

    pub fn io(context: &str, e: impl std::fmt::Display) -> AppError {
        AppError::new("io", format!("{context}: {e}"))
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl From<wsync_core::Error> for AppError {
    fn from(e: wsync_core::Error) -> AppError {
        AppError::new(e.code(), e.to_string())
    }
}

impl From<tauri::Error> for AppError {
    fn from(e: tauri::Error) -> AppError {
        AppError::new("io", e.to_string())
    }
}
