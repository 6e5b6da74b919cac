//! Sync core of Workspace Sync: everything that is not presentation.
//!
//! The CLI (`wsync`) and the tray app are thin shells over this crate. It has
//! no GUI dependencies so that it builds and runs on a server without
//! GTK/WebKit.

pub mod cancel;
pub mod config;
pub mod conflicts;
pub mod credentials;
pub mod error;
pub mod engine;
pub mod events;
pub mod filter;
pub mod folder_lock;
pub mod fsutil;
pub mod human;
pub mod journal;
pub mod logging;
pub mod login;
pub mod manager;
pub mod notices;
pub mod openclaw;
pub mod paths;
pub mod redact;
pub(crate) mod relpath;
pub mod rclone;
pub mod remote;
pub mod report;
pub mod resolve;
pub mod secrets;
pub mod state;
pub mod status;
pub mod sync;
pub mod versions;

pub use error::{Error, Result};

/// Version of this crate, shown by `wsync --version` and the app.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
