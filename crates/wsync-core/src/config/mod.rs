//! The user-editable config file (JSON, schema version 1): its shape.
//! Loading and saving live in [`load`], the strict validation with
//! one-line messages that name the field and the fix in [`validate`].
//!
//! App-written state lives elsewhere (`state`), so that the person can edit
//! this file by hand without fighting the program.

mod load;
mod validate;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::paths;

pub use load::{config_path, load, load_or_empty, parse, save};
pub use validate::{check_folder, env_reference, is_secret_option, url_has_credentials};

pub const SCHEMA_VERSION: u32 = 1;
/// The server kinds a WebDAV folder may name (rclone's `vendor`).
pub const WEBDAV_VENDORS: [&str; 8] = ["other", "nextcloud", "owncloud", "sharepoint", "sharepoint-ntlm", "rclone", "fastmail", "infinitescale"];
pub const DEFAULT_INTERVAL: u64 = 300;
pub const MIN_INTERVAL: u64 = 60;
pub const DEFAULT_MAX_DELETE_PERCENT: u8 = 50;
pub const DEFAULT_KEEP_VERSIONS_DAYS: u32 = 30;

/// The default exclude list: things that must never leave the machine or
/// that churn too fast to sync.
pub fn default_excludes() -> Vec<String> {
    [".git/**", "node_modules/**", ".env*", "*.log"].iter().map(|s| s.to_string()).collect()
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub version: u32,
    #[serde(default)]
    pub folders: Vec<FolderConfig>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Dropbox,
    Gdrive,
    Onedrive,
    S3,
    Webdav,
    Sftp,
    Local,
    Custom,
}

impl Provider {
    pub const ALL: [Provider; 8] = [
        Provider::Dropbox,
        Provider::Gdrive,
        Provider::Onedrive,
        Provider::S3,
        Provider::Webdav,
        Provider::Sftp,
        Provider::Local,
        Provider::Custom,
    ];

    /// The config key of this provider, also the name of its option block.
    pub fn key(self) -> &'static str {
        match self {
            Provider::Dropbox => "dropbox",
            Provider::Gdrive => "gdrive",
            Provider::Onedrive => "onedrive",
            Provider::S3 => "s3",
            Provider::Webdav => "webdav",
            Provider::Sftp => "sftp",
            Provider::Local => "local",
            Provider::Custom => "custom",
        }
    }

    /// Name shown to people ("Dropbox", "the cloud").
    pub fn display_name(self) -> &'static str {
        match self {
            Provider::Dropbox => "Dropbox",
            Provider::Gdrive => "Google Drive",
            Provider::Onedrive => "OneDrive",
            Provider::S3 => "S3",
            Provider::Webdav => "WebDAV",
            Provider::Sftp => "SFTP",
            Provider::Local => "the network folder",
            Provider::Custom => "the remote",
        }
    }

    pub fn parse(s: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.key() == s)
    }

    /// Providers that log in through OAuth in the browser.
    pub fn uses_oauth(self) -> bool {
        matches!(self, Provider::Dropbox | Provider::Gdrive | Provider::Onedrive)
    }
}

/// Who keeps the original name when a file changed on both sides. The
/// other version is always kept beside it as a conflict copy.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum ConflictPolicy {
    /// This computer's version for now; the conflict is recorded so that
    /// the person can choose later.
    #[default]
    Ask,
    Newer,
    Local,
    Remote,
}

impl ConflictPolicy {
    pub const ALL: [ConflictPolicy; 4] = [ConflictPolicy::Ask, ConflictPolicy::Newer, ConflictPolicy::Local, ConflictPolicy::Remote];

    /// `ask`, `newer`, `local` or `remote`, with a message naming the choices.
    pub fn parse(s: &str) -> Result<ConflictPolicy> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(ConflictPolicy::Ask);
        }
        ConflictPolicy::ALL.into_iter().find(|p| p.key() == s).ok_or_else(|| {
            Error::InvalidInput(format!("\"{s}\" is not a conflict policy; use ask, newer, local or remote"))
        })
    }

    pub fn key(self) -> &'static str {
        match self {
            ConflictPolicy::Ask => "ask",
            ConflictPolicy::Newer => "newer",
            ConflictPolicy::Local => "local",
            ConflictPolicy::Remote => "remote",
        }
    }
}

/// Which way a sync goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum SyncDirection {
    /// Two-way sync (bisync).
    #[default]
    Both,
    /// Make this computer match the cloud (replaced or deleted local files are kept).
    Pull,
    /// Copy this computer's new and changed files up; never deletes in the cloud.
    Push,
}

impl SyncDirection {
    pub fn key(self) -> &'static str {
        match self {
            SyncDirection::Both => "both",
            SyncDirection::Pull => "pull",
            SyncDirection::Push => "push",
        }
    }

    fn is_both(&self) -> bool {
        *self == SyncDirection::Both
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FolderConfig {
    pub id: String,
    pub local_path: String,
    pub provider: Provider,
    #[serde(default)]
    pub remote_path: String,
    #[serde(default = "default_interval")]
    pub interval: u64,
    #[serde(default = "default_true")]
    pub watch: bool,
    /// Which way timed and watched syncs go: both (two-way), pull (this
    /// computer mirrors the cloud) or push (uploads only, never deletes).
    #[serde(default, skip_serializing_if = "SyncDirection::is_both")]
    pub direction: SyncDirection,
    #[serde(default)]
    pub conflict_resolve: ConflictPolicy,
    #[serde(default = "default_excludes")]
    pub exclude: Vec<String>,
    #[serde(default = "default_max_delete")]
    pub max_delete_percent: u8,
    /// Days that replaced and deleted files are kept in the versions area.
    #[serde(default = "default_keep_versions")]
    pub keep_versions_days: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webdav: Option<WebdavOptions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3: Option<S3Options>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sftp: Option<SftpOptions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dropbox: Option<OAuthOptions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gdrive: Option<OAuthOptions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onedrive: Option<OAuthOptions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local: Option<LocalOptions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<CustomOptions>,
}

fn default_interval() -> u64 {
    DEFAULT_INTERVAL
}
fn default_true() -> bool {
    true
}
fn default_keep_versions() -> u32 {
    DEFAULT_KEEP_VERSIONS_DAYS
}
fn default_max_delete() -> u8 {
    DEFAULT_MAX_DELETE_PERCENT
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebdavOptions {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct S3Options {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub bucket: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_access_key: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SftpOptions {
    pub host: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    pub user: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Path to a private key file (its passphrase, if any, is the password).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_file: Option<String>,
}

/// Options of the OAuth providers (Dropbox, Google Drive, OneDrive).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OAuthOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Dropbox: the app was created with "App folder" access.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_folder: Option<bool>,
    /// Dropbox's name for the OAuth client id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_key: Option<String>,
    /// Dropbox's name for the OAuth client secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
    /// Google Drive: shared drive id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_drive: Option<String>,
    /// Google Drive: root folder id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_folder_id: Option<String>,
    /// OneDrive: drive id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drive_id: Option<String>,
    /// OneDrive: personal | business | documentLibrary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drive_type: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LocalOptions {
    pub path: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomOptions {
    pub rclone_type: String,
    /// Backend options. Values of options that are not known to be
    /// harmless (see `is_secret_option`) may only be `${VAR}` references.
    #[serde(default)]
    pub options: BTreeMap<String, String>,
    /// Options whose values live in the keychain (set by `wsync login`,
    /// the set-up page or an import); only their names are here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keychain_options: Vec<String>,
}

/// A loaded, validated config and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub path: PathBuf,
    pub config: Config,
    /// Non-fatal remarks (an interval raised to the minimum, ...).
    pub warnings: Vec<String>,
}

impl LoadedConfig {
    pub fn folder(&self, id: &str) -> Result<&FolderConfig> {
        self.config.folders.iter().find(|f| f.id == id).ok_or_else(|| Error::UnknownFolder {
            id: id.to_string(),
            config: self.path.clone(),
            known: self.known_ids(),
        })
    }

    fn known_ids(&self) -> String {
        if self.config.folders.is_empty() {
            "none".into()
        } else {
            self.config.folders.iter().map(|f| f.id.as_str()).collect::<Vec<_>>().join(", ")
        }
    }

    /// The folders named, or all of them when `id` is None.
    pub fn select(&self, id: Option<&str>) -> Result<Vec<&FolderConfig>> {
        match id {
            Some(id) => Ok(vec![self.folder(id)?]),
            None => Ok(self.config.folders.iter().collect()),
        }
    }
}


impl FolderConfig {
    /// A new folder with the defaults of every optional field.
    pub fn new(id: &str, local_path: &str, provider: Provider, remote_path: &str) -> Self {
        FolderConfig {
            id: id.into(),
            local_path: local_path.into(),
            provider,
            remote_path: remote_path.into(),
            interval: DEFAULT_INTERVAL,
            watch: true,
            direction: SyncDirection::Both,
            conflict_resolve: ConflictPolicy::Ask,
            exclude: default_excludes(),
            max_delete_percent: DEFAULT_MAX_DELETE_PERCENT,
            keep_versions_days: DEFAULT_KEEP_VERSIONS_DAYS,
            webdav: None,
            s3: None,
            sftp: None,
            dropbox: None,
            gdrive: None,
            onedrive: None,
            local: None,
            custom: None,
        }
    }

    /// The local folder, `~` expanded and normalised.
    pub fn local_dir(&self) -> PathBuf {
        paths::normalize(&paths::expand_tilde(&self.local_path))
    }

    pub fn oauth(&self) -> Option<&OAuthOptions> {
        match self.provider {
            Provider::Dropbox => self.dropbox.as_ref(),
            Provider::Gdrive => self.gdrive.as_ref(),
            Provider::Onedrive => self.onedrive.as_ref(),
            _ => None,
        }
    }
}
