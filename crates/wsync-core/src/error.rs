//! Typed errors of the core. Every message is one line that names the
//! problem and the fix, and never carries a secret.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The config file is missing, malformed or fails validation.
    #[error("{0}")]
    Config(String),

    /// A folder id given on the command line is not in the config.
    #[error("no folder \"{id}\" in {config}; known folders: {known}. Check the name or add it with `wsync setup`")]
    UnknownFolder { id: String, config: PathBuf, known: String },

    /// rclone could not be found or is too old.
    #[error("{0}")]
    Rclone(String),

    /// A secret could not be resolved (unset variable, not logged in).
    #[error("{0}")]
    Secret(String),

    /// No OS keychain is reachable, or it is locked.
    #[error("{0}")]
    Keychain(String),

    /// The folder has no login, or its login expired or was revoked.
    #[error("{0}")]
    NeedsLogin(String),

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

    /// Stable machine-readable code for the UI and `--json` output, so
    /// that callers never match on message text.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Config(_) => "config",
            Error::UnknownFolder { .. } => "unknown-folder",
            Error::Rclone(_) => "rclone",
            Error::Secret(_) => "secret",
            Error::Keychain(_) => "keychain",
            Error::NeedsLogin(_) => "needs-login",
            Error::LocalFolder(_) => "local-folder",
            Error::Remote(_) => "remote",
            Error::Busy(_) => "busy",
            Error::Interrupted => "interrupted",
            Error::Io { .. } => "io",
        }
    }

    /// True for errors caused by what the person wrote (config, names),
    /// which the CLI reports with exit code 2.
    pub fn is_usage(&self) -> bool {
        matches!(self, Error::Config(_) | Error::UnknownFolder { .. } | Error::Keychain(_))
    }
}
