//! The user-editable config file (JSON, schema version 1): its shape,
//! strict validation with one-line messages that name the field and the
//! fix, and atomic saving.
//!
//! App-written state lives elsewhere (`state`), so that the person can edit
//! this file by hand without fighting the program.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::paths;

pub const SCHEMA_VERSION: u32 = 1;
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
    pub fn key(self) -> &'static str {
        match self {
            ConflictPolicy::Ask => "ask",
            ConflictPolicy::Newer => "newer",
            ConflictPolicy::Local => "local",
            ConflictPolicy::Remote => "remote",
        }
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
    #[serde(default)]
    pub options: BTreeMap<String, String>,
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

/// The config path in force: `--config`, else `WSYNC_CONFIG`, else the default.
pub fn config_path(explicit: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    match std::env::var_os("WSYNC_CONFIG") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => paths::default_config_file(),
    }
}

/// Read and validate the config file.
pub fn load(path: &Path) -> Result<LoadedConfig> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Config(format!(
                "no config file at {}; create one with `wsync setup`, or point --config / WSYNC_CONFIG at yours",
                path.display()
            )))
        }
        Err(e) => {
            return Err(Error::Config(format!("cannot read the config file {}: {e}; check its permissions", path.display())))
        }
    };
    parse(path, &text)
}

/// Parse and validate config text (`path` is only used in messages).
pub fn parse(path: &Path, text: &str) -> Result<LoadedConfig> {
    let shown = path.display();
    let mut de = serde_json::Deserializer::from_str(text);
    let config: Config = match serde_path_to_error::deserialize(&mut de) {
        Ok(c) => c,
        Err(e) => {
            let at = e.path().to_string();
            let inner = e.into_inner();
            return Err(Error::Config(describe_parse_error(&shown.to_string(), &at, &inner)));
        }
    };
    if let Err(e) = de.end() {
        return Err(Error::Config(format!("{shown}: {e}; the file must hold exactly one JSON object")));
    }
    let mut warnings = Vec::new();
    let config = validate(config, &mut warnings).map_err(|m| Error::Config(format!("{shown}: {m}")))?;
    Ok(LoadedConfig { path: path.to_path_buf(), config, warnings })
}

fn describe_parse_error(file: &str, at: &str, e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let pos = format!("line {}, column {}", e.line(), e.column());
    let msg = e.to_string();
    // serde_json appends " at line X column Y"; we give the position ourselves.
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    match e.classify() {
        Category::Syntax | Category::Eof => {
            format!("{file}: not valid JSON at {pos} ({msg}); fix the syntax (no comments or trailing commas in JSON)")
        }
        Category::Io => format!("{file}: cannot read: {msg}"),
        Category::Data => {
            let field = if at.is_empty() || at == "." { "the top level".to_string() } else { at.to_string() };
            let fix = if msg.starts_with("unknown field") {
                "remove it or correct its spelling"
            } else if msg.starts_with("missing field") {
                "add it"
            } else if msg.starts_with("unknown variant") {
                "use one of the listed values"
            } else {
                "correct the value"
            };
            format!("{file}: {field}: {msg} ({pos}); {fix}")
        }
    }
}

/// The secret fields of each provider block. They may only hold a
/// `${ENV_VAR}` reference, or be absent (then they come from the keychain).
pub fn is_secret_option(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    if k.ends_with("_url") || k.ends_with("_id") {
        return false;
    }
    k == "key" || k.contains("pass") || k.contains("secret") || k.contains("token")
}

/// If `value` is exactly `${NAME}`, the variable name.
pub fn env_reference(value: &str) -> Option<&str> {
    let name = value.strip_prefix("${")?.strip_suffix('}')?;
    let valid = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    valid.then_some(name)
}

fn check_secret(field: &str, value: &Option<String>, folder: &str) -> Result<(), String> {
    match value {
        None => Ok(()),
        Some(v) if env_reference(v).is_some() => Ok(()),
        // Never echo the value: it may be a real secret.
        Some(_) => Err(format!(
            "{field} holds a literal secret, which must not be stored in this file; put it in an environment variable and write \"${{VARIABLE_NAME}}\" instead, or remove the field and run `wsync login {folder}` to keep it in the keychain"
        )),
    }
}

fn check_url(field: &str, url: &str) -> Result<(), String> {
    let rest = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://"));
    if let Some(rest) = rest {
        if !rest.is_empty() && !rest.starts_with('/') && !url.contains(char::is_whitespace) {
            return Ok(());
        }
    }
    Err(format!("{field}: \"{url}\" is not an http:// or https:// URL; write the server's full address, e.g. \"https://cloud.example.com/remote.php/dav/files/me\""))
}

fn validate(mut config: Config, warnings: &mut Vec<String>) -> Result<Config, String> {
    if config.version != SCHEMA_VERSION {
        return Err(format!(
            "version: {} is not a config version this program understands; set \"version\": {SCHEMA_VERSION}",
            config.version
        ));
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).map(|h| paths::normalize(&h));
    let mut seen: Vec<(String, PathBuf)> = Vec::new();
    for (i, f) in config.folders.iter_mut().enumerate() {
        let at = format!("folders[{i}]");
        validate_folder(&at, f, warnings)?;
        let local = paths::normalize(&paths::expand_tilde(&f.local_path));
        if !local.is_absolute() {
            return Err(format!(
                "{at}.localPath: \"{}\" is relative; write an absolute path or one starting with ~/",
                f.local_path
            ));
        }
        if local == Path::new("/") {
            return Err(format!("{at}.localPath: the root folder / cannot be synced; choose a folder of its own such as ~/Workspace"));
        }
        if home.as_deref() == Some(local.as_path()) {
            return Err(format!("{at}.localPath: your whole home folder cannot be synced; choose a folder inside it such as ~/Workspace"));
        }
        for (other_id, other) in &seen {
            if other_id == &f.id {
                return Err(format!("{at}.id: \"{}\" is used by two folders; give each folder its own id", f.id));
            }
            if local.starts_with(other) || other.starts_with(&local) {
                return Err(format!(
                    "{at}.localPath: {} overlaps the local folder of \"{other_id}\" ({}); folders must not lie inside one another",
                    local.display(),
                    other.display()
                ));
            }
        }
        seen.push((f.id.clone(), local));
    }
    Ok(config)
}

fn validate_folder(at: &str, f: &mut FolderConfig, warnings: &mut Vec<String>) -> Result<(), String> {
    let id_ok = !f.id.is_empty()
        && f.id.len() <= 32
        && f.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !id_ok {
        return Err(format!(
            "{at}.id: \"{}\" is not a valid id; use 1 to 32 lowercase letters, digits or dashes, e.g. \"workspace\"",
            f.id
        ));
    }
    if f.local_path.trim().is_empty() {
        return Err(format!("{at}.localPath is empty; set it to the folder on this computer, e.g. \"~/Workspace\""));
    }
    let rp = f.remote_path.trim_matches('/').to_string();
    if rp.split('/').any(|seg| seg == "..") {
        return Err(format!(
            "{at}.remotePath: \"{}\" contains a \"..\" segment; name a folder inside the remote without \"..\"",
            f.remote_path
        ));
    }
    if rp.split('/').any(|seg| seg.is_empty() || seg == ".") && !rp.is_empty() {
        return Err(format!("{at}.remotePath: \"{}\" has an empty or \".\" segment; write it like \"folder/sub\"", f.remote_path));
    }
    f.remote_path = rp;
    if (1..MIN_INTERVAL).contains(&f.interval) {
        warnings.push(format!(
            "{at}.interval: {} seconds is below the minimum; using {MIN_INTERVAL} seconds (0 turns the timer off)",
            f.interval
        ));
        f.interval = MIN_INTERVAL;
    }
    if f.max_delete_percent == 0 || f.max_delete_percent > 100 {
        return Err(format!(
            "{at}.maxDeletePercent: {} is out of range; use a percentage from 1 to 100 (default {DEFAULT_MAX_DELETE_PERCENT})",
            f.max_delete_percent
        ));
    }
    if f.keep_versions_days == 0 {
        return Err(format!(
            "{at}.keepVersionsDays: 0 would delete kept versions at once; use a number of days such as {DEFAULT_KEEP_VERSIONS_DAYS}"
        ));
    }
    for (j, pat) in f.exclude.iter().enumerate() {
        if pat.trim().is_empty() {
            return Err(format!("{at}.exclude[{j}] is empty; remove it or write a pattern such as \"*.tmp\""));
        }
    }

    // Only the block of the folder's own provider is allowed.
    let present: [(&str, bool); 8] = [
        ("webdav", f.webdav.is_some()),
        ("s3", f.s3.is_some()),
        ("sftp", f.sftp.is_some()),
        ("dropbox", f.dropbox.is_some()),
        ("gdrive", f.gdrive.is_some()),
        ("onedrive", f.onedrive.is_some()),
        ("local", f.local.is_some()),
        ("custom", f.custom.is_some()),
    ];
    let own = f.provider.key();
    for (key, is_there) in present {
        if is_there && key != own {
            return Err(format!(
                "{at}.{key}: this folder's provider is \"{own}\", so a \"{key}\" block does not belong here; remove it or change \"provider\""
            ));
        }
    }

    let id = f.id.clone();
    match f.provider {
        Provider::Webdav => {
            let w = f.webdav.as_ref().ok_or_else(|| missing_block(at, "webdav", "{ \"url\": \"https://...\" }"))?;
            check_url(&format!("{at}.webdav.url"), &w.url)?;
            if let Some(v) = &w.vendor {
                const VENDORS: [&str; 8] =
                    ["other", "nextcloud", "owncloud", "sharepoint", "sharepoint-ntlm", "rclone", "fastmail", "infinitescale"];
                if !VENDORS.contains(&v.as_str()) {
                    return Err(format!("{at}.webdav.vendor: \"{v}\" is not known; use one of {}", VENDORS.join(", ")));
                }
            }
            check_secret(&format!("{at}.webdav.password"), &w.password, &id)?;
        }
        Provider::S3 => {
            let s = f.s3.as_ref().ok_or_else(|| missing_block(at, "s3", "{ \"bucket\": \"...\" }"))?;
            if s.bucket.trim().is_empty() || s.bucket.contains('/') {
                return Err(format!("{at}.s3.bucket: \"{}\" is not a bucket name; write the bucket alone, and the folder inside it in remotePath", s.bucket));
            }
            if let Some(e) = &s.endpoint {
                check_url(&format!("{at}.s3.endpoint"), e)?;
            }
            check_secret(&format!("{at}.s3.secretAccessKey"), &s.secret_access_key, &id)?;
        }
        Provider::Sftp => {
            let s = f.sftp.as_ref().ok_or_else(|| missing_block(at, "sftp", "{ \"host\": \"...\", \"user\": \"...\" }"))?;
            if s.host.trim().is_empty() || s.host.contains(char::is_whitespace) {
                return Err(format!("{at}.sftp.host is empty or malformed; write the server's host name, e.g. \"files.example.com\""));
            }
            if s.user.trim().is_empty() {
                return Err(format!("{at}.sftp.user is empty; write the login name on the server"));
            }
            if s.port == Some(0) {
                return Err(format!("{at}.sftp.port: 0 is not a port; leave it out for 22"));
            }
            check_secret(&format!("{at}.sftp.password"), &s.password, &id)?;
        }
        Provider::Dropbox | Provider::Gdrive | Provider::Onedrive => {
            let key = f.provider.key();
            let block = match f.provider {
                Provider::Dropbox => &f.dropbox,
                Provider::Gdrive => &f.gdrive,
                _ => &f.onedrive,
            };
            if let Some(o) = block {
                check_secret(&format!("{at}.{key}.token"), &o.token, &id)?;
                check_secret(&format!("{at}.{key}.appSecret"), &o.app_secret, &id)?;
                check_secret(&format!("{at}.{key}.clientSecret"), &o.client_secret, &id)?;
                for (name, url) in [("authUrl", &o.auth_url), ("tokenUrl", &o.token_url)] {
                    if let Some(u) = url {
                        check_url(&format!("{at}.{key}.{name}"), u)?;
                    }
                }
                if o.app_key.is_some() && o.client_id.is_some() {
                    return Err(format!("{at}.{key}: appKey and clientId name the same thing; keep one of them"));
                }
                if let Some(t) = &o.drive_type {
                    if !["personal", "business", "documentLibrary"].contains(&t.as_str()) {
                        return Err(format!("{at}.{key}.driveType: \"{t}\" is not known; use personal, business or documentLibrary"));
                    }
                }
            }
        }
        Provider::Local => {
            let l = f.local.as_ref().ok_or_else(|| missing_block(at, "local", "{ \"path\": \"/mnt/nas/share\" }"))?;
            if !paths::expand_tilde(&l.path).is_absolute() {
                return Err(format!("{at}.local.path: \"{}\" is relative; write the absolute path of the network or local folder", l.path));
            }
        }
        Provider::Custom => {
            let c = f.custom.as_ref().ok_or_else(|| missing_block(at, "custom", "{ \"rcloneType\": \"b2\", \"options\": {} }"))?;
            let t = c.rclone_type.as_str();
            if t.is_empty() || !t.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-') {
                return Err(format!("{at}.custom.rcloneType: \"{t}\" is not an rclone backend name; use one such as \"b2\" or \"pcloud\" (see `rclone help backends`)"));
            }
            for (k, v) in &c.options {
                if k.is_empty() || !k.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-') {
                    return Err(format!("{at}.custom.options: \"{k}\" is not an rclone option name; use the backend's option names such as \"account\""));
                }
                if is_secret_option(k) {
                    check_secret(&format!("{at}.custom.options.{k}"), &Some(v.clone()), &id)?;
                }
            }
        }
    }
    Ok(())
}

fn missing_block(at: &str, key: &str, example: &str) -> String {
    format!("{at}.{key} is missing; a \"{key}\" folder needs a \"{key}\" block such as {example}")
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

/// Write the config atomically (temp file + rename), after validating it,
/// so that a crash never leaves a half-written file.
pub fn save(path: &Path, config: &Config) -> Result<()> {
    let text = serde_json::to_string_pretty(config).map_err(|e| Error::Config(format!("cannot serialise the config: {e}")))?;
    // Refuse to write what we would refuse to read.
    parse(path, &text)?;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let tmp = dir.join(format!(".config.json.{}.tmp", std::process::id()));
    std::fs::write(&tmp, text + "\n").map_err(|e| Error::io(format!("cannot write {}", tmp.display()), e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(format!("cannot replace {}", path.display()), e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> Result<LoadedConfig> {
        parse(Path::new("config.json"), s)
    }

    fn folder(extra: &str) -> String {
        format!(
            r#"{{"version":1,"folders":[{{"id":"ws","localPath":"/tmp/wsync-a","provider":"local","local":{{"path":"/tmp/wsync-b"}}{extra}}}]}}"#
        )
    }

    fn err(s: &str) -> String {
        parse_str(s).expect_err("should be rejected").to_string()
    }

    #[test]
    fn defaults_are_filled_in() {
        let c = parse_str(&folder("")).unwrap();
        let f = &c.config.folders[0];
        assert_eq!(f.interval, 300);
        assert!(f.watch);
        assert_eq!(f.conflict_resolve, ConflictPolicy::Ask);
        assert_eq!(f.exclude, default_excludes());
        assert_eq!(f.max_delete_percent, 50);
    }

    #[test]
    fn unknown_key_names_the_field() {
        let e = err(&folder(r#","intervall":5"#));
        assert!(e.contains("folders[0]") && e.contains("intervall") && e.contains("remove it"), "{e}");
    }

    #[test]
    fn malformed_json_gives_position() {
        let e = err("{\"version\":1,");
        assert!(e.contains("not valid JSON") && e.contains("line 1"), "{e}");
    }

    #[test]
    fn literal_secret_is_rejected_without_echo() {
        let s = r#"{"version":1,"folders":[{"id":"ws","localPath":"/tmp/a","provider":"webdav","webdav":{"url":"http://h","password":"hunter2"}}]}"#;
        let e = err(s);
        assert!(e.contains("folders[0].webdav.password") && e.contains("${"), "{e}");
        assert!(!e.contains("hunter2"), "{e}");
    }

    #[test]
    fn env_reference_is_accepted() {
        let s = r#"{"version":1,"folders":[{"id":"ws","localPath":"/tmp/a","provider":"webdav","webdav":{"url":"http://h","password":"${WEBDAV_PASS}"}}]}"#;
        assert!(parse_str(s).is_ok());
    }

    #[test]
    fn foreign_block_rejected() {
        let e = err(&folder(r#","s3":{"bucket":"b"}"#));
        assert!(e.contains("folders[0].s3") && e.contains("\"local\""), "{e}");
    }

    #[test]
    fn ids_paths_and_ranges() {
        assert!(err(&folder("").replace("\"ws\"", "\"Bad Id\"")).contains("folders[0].id"));
        assert!(err(&folder("").replace("/tmp/wsync-a", "/")).contains("root folder"));
        assert!(err(&folder("").replace("/tmp/wsync-a", "rel/dir")).contains("relative"));
        assert!(err(&folder(r#","remotePath":"a/../b""#)).contains(".."));
        assert!(err(&folder(r#","maxDeletePercent":0"#)).contains("maxDeletePercent"));
        assert!(err(&folder(r#","conflictResolve":"mine""#)).contains("conflictResolve"));
        assert!(err(&folder(r#","provider":"ftp""#)).contains("provider") || err(&folder("").replace("\"local\",", "\"ftp\",")).contains("provider"));
    }

    #[test]
    fn short_interval_is_raised_with_warning() {
        let c = parse_str(&folder(r#","interval":5"#)).unwrap();
        assert_eq!(c.config.folders[0].interval, 60);
        assert_eq!(c.warnings.len(), 1);
    }

    #[test]
    fn nested_and_duplicate_folders_rejected() {
        let two = |a: &str, b: &str, id2: &str| {
            format!(
                r#"{{"version":1,"folders":[{{"id":"a","localPath":"{a}","provider":"local","local":{{"path":"/srv/x"}}}},{{"id":"{id2}","localPath":"{b}","provider":"local","local":{{"path":"/srv/y"}}}}]}}"#
            )
        };
        assert!(err(&two("/tmp/x", "/tmp/x/sub", "b")).contains("overlaps"));
        assert!(err(&two("/tmp/x/sub", "/tmp/x", "b")).contains("overlaps"));
        assert!(err(&two("/tmp/x", "/tmp/y", "a")).contains("two folders"));
        assert!(parse_str(&two("/tmp/x", "/tmp/xy", "b")).is_ok());
    }

    #[test]
    fn version_must_be_one() {
        assert!(err(r#"{"version":2,"folders":[]}"#).contains("version"));
    }

    #[test]
    fn custom_secret_options_need_references() {
        let s = r#"{"version":1,"folders":[{"id":"ws","localPath":"/tmp/a","provider":"custom","custom":{"rcloneType":"b2","options":{"account":"x","key":"abc"}}}]}"#;
        assert!(err(s).contains("custom.options.key"));
    }
}
