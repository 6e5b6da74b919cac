//! Typed errors of the core. Every message is one line that names the
//! problem and the fix, and never carries a secret.
//!
//! Each error has a stable [`ErrorCode`] that every surface branches on
//! (the CLI's exit codes, the host protocol, the window's `{code, message}`,
//! the engine's retry decisions); nobody matches message text. Where the
//! way out is an action the program offers (log in, resume, confirm), the
//! error carries it as a [`Fix`], phrased per surface: a command in the
//! terminal, a button's words in the window.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Stable machine-readable error codes (kebab-case on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ErrorCode {
    Config,
    UnknownFolder,
    InvalidInput,
    Rclone,
    Secret,
    Keychain,
    NeedsLogin,
    LocalFolder,
    Remote,
    /// The server could not be reached (this computer may be offline).
    Offline,
    /// The server refused the credentials.
    AuthFailed,
    /// The server asked us to slow down (HTTP 429 and the like).
    RateLimited,
    Busy,
    Interrupted,
    Paused,
    Io,
}

impl ErrorCode {
    pub fn key(self) -> &'static str {
        match self {
            ErrorCode::Config => "config",
            ErrorCode::UnknownFolder => "unknown-folder",
            ErrorCode::InvalidInput => "invalid-input",
            ErrorCode::Rclone => "rclone",
            ErrorCode::Secret => "secret",
            ErrorCode::Keychain => "keychain",
            ErrorCode::NeedsLogin => "needs-login",
            ErrorCode::LocalFolder => "local-folder",
            ErrorCode::Remote => "remote",
            ErrorCode::Offline => "offline",
            ErrorCode::AuthFailed => "auth-failed",
            ErrorCode::RateLimited => "rate-limited",
            ErrorCode::Busy => "busy",
            ErrorCode::Interrupted => "interrupted",
            ErrorCode::Paused => "paused",
            ErrorCode::Io => "io",
        }
    }

    /// Caused by what the person wrote (config, names): exit code 2.
    pub fn is_usage(self) -> bool {
        matches!(self, ErrorCode::Config | ErrorCode::UnknownFolder | ErrorCode::InvalidInput | ErrorCode::Keychain)
    }

    /// What the engine does after a sync failed with this code.
    pub fn retry(self) -> Retry {
        match self {
            ErrorCode::NeedsLogin | ErrorCode::AuthFailed | ErrorCode::Secret | ErrorCode::Keychain => Retry::WaitForPerson,
            ErrorCode::Interrupted | ErrorCode::Paused => Retry::No,
            ErrorCode::RateLimited => Retry::SlowBackoff,
            _ => Retry::Backoff,
        }
    }
}

/// How the engine reacts to a failed sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Nothing to do: the person stopped it.
    No,
    /// Retry with exponential backoff.
    Backoff,
    /// Retry, waiting at least a minute (the server is rate limiting).
    SlowBackoff,
    /// Timed retries cannot help (a login is needed): wait for the person.
    WaitForPerson,
}

/// A way out that the program itself offers, phrased per surface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "action", rename_all = "kebab-case")]
#[ts(export)]
pub enum Fix {
    Login { folder: String },
    Resume { folder: String },
    ConfirmDeletes { folder: String },
    /// Merge both sides again (nothing is deleted).
    Resync { folder: String },
    Setup,
    Conflicts { folder: String },
    Versions { folder: String, path: String },
}

impl Fix {
    /// The fix as a terminal command.
    pub fn cli(&self) -> String {
        match self {
            Fix::Login { folder } => format!("log in again with `wsync login {folder}`"),
            Fix::Resume { folder } => format!("resume it with `wsync resume {folder}`"),
            Fix::ConfirmDeletes { folder } => format!("if the deletions are wanted, run `wsync sync {folder} --confirm-deletes`"),
            Fix::Resync { folder } => format!("run `wsync sync {folder} --resync` to merge both sides again (nothing is deleted)"),
            Fix::Setup => "add a folder with `wsync setup`".into(),
            Fix::Conflicts { folder } => format!("see `wsync conflicts {folder}`"),
            Fix::Versions { folder, path } => format!("see `wsync versions {folder} {path}`"),
        }
    }

    /// The fix in the window's words (it offers the action as a button).
    pub fn app(&self) -> String {
        match self {
            Fix::Login { .. } => "log in again from the folder's settings".into(),
            Fix::Resume { .. } => "resume it".into(),
            Fix::ConfirmDeletes { .. } => "if the deletions are wanted, confirm them".into(),
            Fix::Resync { .. } => "choose \"Keep everything\" to merge both sides again (nothing is deleted)".into(),
            Fix::Setup => "add a folder on the set-up page".into(),
            Fix::Conflicts { .. } => "see the Conflicts page".into(),
            Fix::Versions { .. } => "see the Versions page".into(),
        }
    }
}

/// The surface an error is shown on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Cli,
    App,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The config file is missing, malformed or fails validation.
    #[error("{0}")]
    Config(String),

    /// A folder id given on the command line is not in the config.
    #[error("no folder \"{id}\" in {config}; known folders: {known}. Check the name or add it with `wsync setup`")]
    UnknownFolder { id: String, config: PathBuf, known: String },

    /// Input from a person or a client that cannot be used (not the config file).
    #[error("{0}")]
    InvalidInput(String),

    /// rclone could not be found or is too old.
    #[error("{0}")]
    Rclone(String),

    /// A secret could not be resolved (unset variable, not logged in).
    #[error("{0}")]
    Secret(String),

    /// No OS keychain is reachable, or it is locked.
    #[error("{0}")]
    Keychain(String),

    /// The local folder is missing or unusable.
    #[error("{0}")]
    LocalFolder(String),

    /// An rclone operation failed; the message holds rclone's own (redacted) reason.
    #[error("{0}")]
    Remote(String),

    /// Another sync of the same folder holds the lock.
    #[error("{0}")]
    Busy(String),

    /// The operation was interrupted (SIGINT/SIGTERM or a pause).
    #[error("sync interrupted; the next sync carries on where it stopped")]
    Interrupted,

    /// A problem with its own code (offline, refused login, rate limited,
    /// ...) and, where the program offers a way out, its [`Fix`], shown as
    /// "problem; fix" in the surface's words.
    #[error("{problem}{}", fix.as_ref().map(|f| format!("; {}", f.cli())).unwrap_or_default())]
    Coded { code: ErrorCode, problem: String, fix: Option<Fix> },

    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { context: context.into(), source }
    }

    /// An error with its own code; `problem` already says how to go on.
    pub fn coded(code: ErrorCode, problem: impl Into<String>) -> Self {
        Error::Coded { code, problem: problem.into(), fix: None }
    }

    /// An error whose fix is an action the program offers.
    pub fn fixable(code: ErrorCode, problem: impl Into<String>, fix: Fix) -> Self {
        Error::Coded { code, problem: problem.into(), fix: Some(fix) }
    }

    /// The folder needs a (new) login.
    pub fn needs_login(folder: &str, problem: impl Into<String>) -> Self {
        Error::fixable(ErrorCode::NeedsLogin, problem, Fix::Login { folder: folder.to_string() })
    }

    /// Stable machine-readable code for the UI, the protocol and `--json`.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Config(_) => ErrorCode::Config,
            Error::UnknownFolder { .. } => ErrorCode::UnknownFolder,
            Error::InvalidInput(_) => ErrorCode::InvalidInput,
            Error::Rclone(_) => ErrorCode::Rclone,
            Error::Secret(_) => ErrorCode::Secret,
            Error::Keychain(_) => ErrorCode::Keychain,
            Error::LocalFolder(_) => ErrorCode::LocalFolder,
            Error::Remote(_) => ErrorCode::Remote,
            Error::Busy(_) => ErrorCode::Busy,
            Error::Interrupted => ErrorCode::Interrupted,
            Error::Coded { code, .. } => *code,
            Error::Io { .. } => ErrorCode::Io,
        }
    }

    /// True for errors caused by what the person wrote (config, names),
    /// which the CLI reports with exit code 2.
    pub fn is_usage(&self) -> bool {
        self.code().is_usage()
    }

    /// The program-offered way out, if any.
    pub fn fix(&self) -> Option<&Fix> {
        match self {
            Error::Coded { fix, .. } => fix.as_ref(),
            _ => None,
        }
    }

    /// The one-line message for `surface`, redacted.
    pub fn message_for(&self, surface: Surface) -> String {
        let text = match (self, surface) {
            (Error::Coded { problem, fix: Some(fix), .. }, Surface::App) => format!("{problem}; {}", fix.app()),
            (Error::UnknownFolder { id, known, .. }, Surface::App) => {
                format!("no folder \"{id}\" is set up; known folders: {known}")
            }
            _ => self.to_string(),
        };
        crate::redact::redact(&text.replace('\n', " "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_are_phrased_per_surface() {
        let e = Error::needs_login("docs", "the login to Dropbox has expired");
        assert_eq!(e.code(), ErrorCode::NeedsLogin);
        assert_eq!(e.to_string(), "the login to Dropbox has expired; log in again with `wsync login docs`");
        let app = e.message_for(Surface::App);
        assert!(!app.contains("wsync"), "{app}");
        assert_eq!(ErrorCode::NeedsLogin.retry(), Retry::WaitForPerson);
        assert_eq!(serde_json::to_string(&ErrorCode::NeedsLogin).unwrap(), "\"needs-login\"");
        assert_eq!(serde_json::to_string(&ErrorCode::NeedsLogin).unwrap(), format!("\"{}\"", ErrorCode::NeedsLogin.key()));
    }
}
