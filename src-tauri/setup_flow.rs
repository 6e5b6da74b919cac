//! Glue of the setup and login flows (presentation-side, not core): a
//! `FolderDraft` from the window becomes a `FolderConfig` plus the secrets
//! typed into it; connections are tested with the secrets held in memory
//! (nothing is stored until the remote accepts them); secrets go to the OS
//! keychain; the config is saved with `wsync_core::config::save` and the
//! engine restarted.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tauri::AppHandle;
use wsync_core::cancel::CancelToken;
use wsync_core::config::{
    self, env_reference, ConflictPolicy, CustomOptions, FolderConfig, LocalOptions, OAuthOptions, Provider, S3Options, SftpOptions,
    WebdavOptions,
};
use wsync_core::credentials::{Keychain, MemoryStore};
use wsync_core::rclone::Rclone;
use wsync_core::remote::{self, RemoteDef};
use wsync_core::secrets::{SecretStore, Secrets};
use wsync_core::sync::{check_remote, RemoteCheck};

use crate::app_state::{state, AppState};
use crate::error::{AppError, AppResult};
use crate::views::{AccountInfo, FirstSyncPreview, FolderDraft, RemoteEntry};

const OAUTH_TIMEOUT: Duration = Duration::from_secs(300);

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldInfo {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: &'static str,
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderInfo {
    pub key: &'static str,
    pub name: &'static str,
    pub oauth: bool,
    pub fields: Vec<FieldInfo>,
}

fn field(key: &'static str, label: &'static str, kind: &'static str, required: bool) -> FieldInfo {
    FieldInfo { key, label, kind, required, options: None, placeholder: None, help: None }
}

impl FieldInfo {
    fn placeholder(mut self, p: &'static str) -> Self {
        self.placeholder = Some(p);
        self
    }
    fn help(mut self, h: &'static str) -> Self {
        self.help = Some(h);
        self
    }
    fn options(mut self, o: &[&'static str]) -> Self {
        self.options = Some(o.to_vec());
        self
    }
}

const SECRET_HELP: &str = "Kept in your system keychain, never in the config file. Or write ${VARIABLE} to take it from the environment.";

/// The providers and the fields of their setup forms (the keys of `FolderDraft.fields`).
pub fn providers() -> Vec<ProviderInfo> {
    let oauth_fields = || {
        vec![
            field("clientId", "Your own OAuth client id", "text", false).help("Optional: leave empty to use rclone's."),
            field("clientSecret", "Your own OAuth client secret", "secret", false).help(SECRET_HELP),
            field("authUrl", "Your own OAuth authorization URL", "url", false).help("Optional: leave empty to use the provider's."),
            field("tokenUrl", "Your own OAuth token URL", "url", false).help("Optional: leave empty to use the provider's."),
        ]
    };
    vec![
        ProviderInfo { key: "dropbox", name: "Dropbox", oauth: true, fields: oauth_fields() },
        ProviderInfo { key: "gdrive", name: "Google Drive", oauth: true, fields: oauth_fields() },
        ProviderInfo { key: "onedrive", name: "OneDrive", oauth: true, fields: oauth_fields() },
        ProviderInfo {
            key: "webdav",
            name: "WebDAV (Nextcloud, ownCloud, ...)",
            oauth: false,
            fields: vec![
                field("url", "Server address", "url", true).placeholder("https://cloud.example.com/remote.php/dav/files/me"),
                field("vendor", "Server kind", "select", false).options(&[
                    "nextcloud",
                    "owncloud",
                    "sharepoint",
                    "sharepoint-ntlm",
                    "rclone",
                    "fastmail",
                    "infinitescale",
                    "other",
                ]),
                field("user", "User name", "text", false),
                field("password", "Password or app password", "secret", false).help(SECRET_HELP),
            ],
        },
        ProviderInfo {
            key: "s3",
            name: "S3 / R2 / MinIO",
            oauth: false,
            fields: vec![
                field("provider", "Service", "select", false).options(&["AWS", "Cloudflare", "Minio", "Wasabi", "DigitalOcean", "Ceph", "Other"]),
                field("endpoint", "Endpoint", "url", false).placeholder("https://<account>.r2.cloudflarestorage.com"),
                field("region", "Region", "text", false).placeholder("us-east-1"),
                field("bucket", "Bucket", "text", true),
                field("accessKeyId", "Access key id", "text", false).help("Leave empty to use the AWS credentials of this computer."),
                field("secretAccessKey", "Secret access key", "secret", false).help(SECRET_HELP),
            ],
        },
        ProviderInfo {
            key: "sftp",
            name: "SFTP",
            oauth: false,
            fields: vec![
                field("host", "Server", "text", true).placeholder("files.example.com"),
                field("port", "Port", "number", false).placeholder("22"),
                field("user", "User name", "text", true),
                field("password", "Password (or key passphrase)", "secret", false).help(SECRET_HELP),
                field("keyFile", "Private key file", "text", false).placeholder("~/.ssh/id_ed25519"),
            ],
        },
        ProviderInfo {
            key: "local",
            name: "A local or network folder",
            oauth: false,
            fields: vec![field("path", "Folder", "text", true).placeholder("/mnt/nas/share")],
        },
        ProviderInfo {
            key: "custom",
            name: "Another rclone backend",
            oauth: false,
            fields: vec![
                field("rcloneType", "rclone backend", "text", true).placeholder("b2"),
                field("options", "Options (key=value, one per line)", "text", false)
                    .help("Secret options must be ${VARIABLE} references."),
            ],
        },
    ]
}

/// The secret fields of a provider: (draft field key, keychain key).
fn secret_fields(p: Provider) -> &'static [(&'static str, &'static str)] {
    match p {
        Provider::Webdav | Provider::Sftp => &[("password", "password")],
        Provider::S3 => &[("secretAccessKey", "secretAccessKey")],
        Provider::Dropbox | Provider::Gdrive | Provider::Onedrive => &[("clientSecret", "clientSecret"), ("token", "token")],
        Provider::Local | Provider::Custom => &[],
    }
}

fn get(fields: &BTreeMap<String, String>, key: &str) -> Option<String> {
    fields.get(key).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// A secret field: a `${VAR}` reference goes into the config; a literal
/// value goes to `out` (for the keychain) and stays out of the config.
fn secret(fields: &BTreeMap<String, String>, key: &str, keychain_key: &str, out: &mut Vec<(String, String)>) -> Option<String> {
    let raw = fields.get(key).filter(|v| !v.is_empty())?;
    if env_reference(raw.trim()).is_some() {
        return Some(raw.trim().to_string());
    }
    out.push((keychain_key.to_string(), raw.clone()));
    None
}

/// A draft as a folder of the config, plus the literal secrets typed into it.
pub fn draft_to_config(d: &FolderDraft) -> AppResult<(FolderConfig, Vec<(String, String)>)> {
    let provider = Provider::parse(d.provider.trim())
        .ok_or_else(|| AppError::invalid(format!("\"{}\" is not a provider; use one of dropbox, gdrive, onedrive, s3, webdav, sftp, local, custom", d.provider)))?;
    let mut f = FolderConfig::new(d.id.trim(), d.local_path.trim(), provider, d.remote_path.trim());
    f.conflict_resolve = match d.conflict_resolve.trim() {
        "" | "ask" => ConflictPolicy::Ask,
        "newer" => ConflictPolicy::Newer,
        "local" => ConflictPolicy::Local,
        "remote" => ConflictPolicy::Remote,
        other => return Err(AppError::invalid(format!("\"{other}\" is not a conflict policy; use ask, newer, local or remote"))),
    };
    if let Some(i) = d.interval {
        f.interval = i;
    }
    let fl = &d.fields;
    let mut secrets = Vec::new();
    match provider {
        Provider::Webdav => {
            f.webdav = Some(WebdavOptions {
                url: get(fl, "url").unwrap_or_default(),
                vendor: get(fl, "vendor"),
                user: get(fl, "user"),
                password: secret(fl, "password", "password", &mut secrets),
            })
        }
        Provider::S3 => {
            f.s3 = Some(S3Options {
                provider: get(fl, "provider"),
                endpoint: get(fl, "endpoint"),
                region: get(fl, "region"),
                bucket: get(fl, "bucket").unwrap_or_default(),
                access_key_id: get(fl, "accessKeyId"),
                secret_access_key: secret(fl, "secretAccessKey", "secretAccessKey", &mut secrets),
            })
        }
        Provider::Sftp => {
            let port = match get(fl, "port") {
                Some(p) => Some(p.parse::<u16>().map_err(|_| AppError::invalid(format!("the port \"{p}\" is not a number from 1 to 65535")))?),
                None => None,
            };
            f.sftp = Some(SftpOptions {
                host: get(fl, "host").unwrap_or_default(),
                port,
                user: get(fl, "user").unwrap_or_default(),
                password: secret(fl, "password", "password", &mut secrets),
                key_file: get(fl, "keyFile"),
            })
        }
        Provider::Dropbox | Provider::Gdrive | Provider::Onedrive => {
            // Dropbox calls the client id and secret "app key" and "app secret"
            // (one secret at most: both go to the keychain as clientSecret).
            let client_secret = secret(fl, "clientSecret", "clientSecret", &mut secrets);
            let app_secret = if secrets.iter().any(|(k, _)| k == "clientSecret") || client_secret.is_some() {
                None
            } else {
                secret(fl, "appSecret", "clientSecret", &mut secrets)
            };
            let o = OAuthOptions {
                token: secret(fl, "token", "token", &mut secrets),
                client_id: get(fl, "clientId"),
                client_secret,
                app_key: get(fl, "appKey"),
                app_secret,
                auth_url: get(fl, "authUrl"),
                token_url: get(fl, "tokenUrl"),
                root_folder_id: get(fl, "rootFolderId"),
                team_drive: get(fl, "teamDrive"),
                drive_id: get(fl, "driveId"),
                drive_type: get(fl, "driveType"),
                ..Default::default()
            };
            let block = if o == OAuthOptions::default() { None } else { Some(o) };
            match provider {
                Provider::Dropbox => f.dropbox = block,
                Provider::Gdrive => f.gdrive = block,
                _ => f.onedrive = block,
            }
        }
        Provider::Local => f.local = Some(LocalOptions { path: get(fl, "path").unwrap_or_default() }),
        Provider::Custom => {
            let mut options = BTreeMap::new();
            for line in get(fl, "options").unwrap_or_default().lines().flat_map(|l| l.split(';')) {
                let line = line.trim();
                if line.is_empty() {
                    continue;
                }
                let (k, v) = line
                    .split_once('=')
                    .ok_or_else(|| AppError::invalid(format!("the option \"{line}\" is not key=value")))?;
                options.insert(k.trim().to_string(), v.trim().to_string());
            }
            f.custom = Some(CustomOptions { rclone_type: get(fl, "rcloneType").unwrap_or_default(), options });
        }
    }
    Ok((validate(f)?, secrets))
}

/// Validate one folder as the config file would be (and normalise it).
pub fn validate(f: FolderConfig) -> AppResult<FolderConfig> {
    let cfg = config::Config { version: config::SCHEMA_VERSION, folders: vec![f] };
    let text = serde_json::to_string(&cfg).map_err(|e| AppError::invalid(e.to_string()))?;
    let parsed = config::parse(std::path::Path::new("the new folder"), &text).map_err(|e| AppError::new("invalid-input", e.to_string()))?;
    Ok(parsed.config.folders.into_iter().next().expect("one folder"))
}

/// Secrets in memory first, then the keychain (if reachable).
struct Layered {
    memory: MemoryStore,
    keychain: Option<Arc<dyn SecretStore>>,
}

impl SecretStore for Layered {
    fn get(&self, folder: &str, key: &str) -> wsync_core::Result<Option<String>> {
        if let Some(v) = self.memory.get(folder, key)? {
            return Ok(Some(v));
        }
        match &self.keychain {
            Some(k) => Ok(k.get(folder, key).unwrap_or(None)),
            None => Ok(None),
        }
    }
    fn set(&self, folder: &str, key: &str, value: &str) -> wsync_core::Result<()> {
        self.memory.set(folder, key, value)
    }
    fn delete(&self, folder: &str, key: &str) -> wsync_core::Result<bool> {
        self.memory.delete(folder, key)
    }
}

fn candidate_secrets(folder: &str, typed: &[(String, String)]) -> Secrets {
    let memory = MemoryStore::default();
    for (k, v) in typed {
        wsync_core::secrets::register_secret(v);
        let _ = memory.set(folder, k, v);
    }
    Secrets::with_store(Arc::new(Layered { memory, keychain: Some(Keychain::shared()) }))
}

/// The folder a draft describes: the configured one when the draft names an
/// existing folder (logging in again: only the typed secrets are new), else
/// the draft itself.
fn resolve_draft(st: &AppState, d: &FolderDraft) -> AppResult<(FolderConfig, Vec<(String, String)>, bool)> {
    if let Ok(existing) = st.folder(d.id.trim()) {
        let mut typed = Vec::new();
        for (field, key) in secret_fields(existing.provider) {
            if let Some(v) = d.fields.get(*field).filter(|v| !v.is_empty()) {
                typed.push((key.to_string(), v.clone()));
            }
        }
        return Ok((existing, typed, true));
    }
    let (f, typed) = draft_to_config(d)?;
    Ok((f, typed, false))
}

fn build_remote(f: &FolderConfig, rclone: &Rclone, secrets: &Secrets) -> AppResult<RemoteDef> {
    let r = remote::build(f, rclone, secrets)?;
    if !r.logged_in {
        let how = if wsync_core::login::uses_oauth(f) { "log in first" } else { "enter the password (or secret key)" };
        return Err(AppError::new("needs-login", format!("{} needs a login: {how}", r.display)));
    }
    Ok(r)
}

fn locate() -> AppResult<Rclone> {
    Ok(wsync_core::rclone::locate()?)
}

/// Store secrets in the keychain (no plaintext fallback).
fn store_secrets(folder: &str, typed: &[(String, String)]) -> AppResult<()> {
    let k = Keychain::shared();
    for (key, value) in typed {
        k.set(folder, key, value)?;
    }
    Ok(())
}

fn account(rclone: &Rclone, f: &FolderConfig, secrets: &Secrets) -> Option<String> {
    if wsync_core::login::uses_oauth(f) {
        return wsync_core::login::account_of(rclone, f, secrets);
    }
    match f.provider {
        Provider::Webdav => f.webdav.as_ref().and_then(|w| w.user.clone()),
        Provider::Sftp => f.sftp.as_ref().map(|s| format!("{}@{}", s.user, s.host)),
        Provider::S3 => f.s3.as_ref().map(|s| s.bucket.clone()),
        _ => None,
    }
}

/// Check the draft's remote with the typed secrets. For a configured folder
/// (logging in again), a secret the remote accepts is stored in the
/// keychain and the folder syncs again.
pub fn test_connection(app: &AppHandle, d: &FolderDraft) -> AppResult<AccountInfo> {
    let st = state(app);
    let (f, typed, existing) = resolve_draft(&st, d)?;
    let rclone = locate()?;
    let secrets = candidate_secrets(&f.id, &typed);
    let r = build_remote(&f, &rclone, &secrets)?;
    match check_remote(&rclone, &r, None) {
        RemoteCheck::Reachable { .. } | RemoteCheck::Missing => {}
        other => return Err(other.into_error(&r).into()),
    }
    info!("setup: {} answered for \"{}\"", r.display, f.id);
    if existing && !typed.is_empty() {
        store_secrets(&f.id, &typed)?;
        info!("setup: new login of \"{}\" stored in the keychain", f.id);
        if let Some(h) = st.engine() {
            let _ = h.resume(Some(&f.id));
        }
    }
    Ok(AccountInfo { account: account(&rclone, &f, &secrets) })
}

/// Log in through the browser (rclone authorize); the token goes to the keychain.
pub fn login_oauth(app: &AppHandle, d: &FolderDraft) -> AppResult<AccountInfo> {
    let st = state(app);
    let (f, typed, existing) = resolve_draft(&st, d)?;
    if !wsync_core::login::uses_oauth(&f) {
        return Err(AppError::invalid(format!("{} does not log in through the browser; test the connection instead", f.provider.display_name())));
    }
    let rclone = locate()?;
    let secrets = candidate_secrets(&f.id, &typed);
    let oauth_app = wsync_core::login::OAuthApp::of(&f, &secrets)?;
    let cancel = CancelToken::new();
    let token = wsync_core::login::authorize(&rclone, &remote::rclone_type(&f), &oauth_app, OAUTH_TIMEOUT, &cancel, &mut |url| {
        info!("login: opening the browser for \"{}\"", f.id);
        if let Err(e) = open::that_detached(url) {
            warn!("login: cannot open a browser ({e}); open {url} yourself");
        }
    })?;
    let mut all = typed.clone();
    all.push(("token".into(), token));
    store_secrets(&f.id, &all)?;
    info!("login: \"{}\" is logged in (token in the keychain)", f.id);
    if existing {
        if let Some(h) = st.engine() {
            let _ = h.resume(Some(&f.id));
        }
    }
    let secrets = Secrets::with_store(Keychain::shared());
    Ok(AccountInfo { account: wsync_core::login::account_of(&rclone, &f, &secrets) })
}

/// "Log in to Dropbox…" from the tray or a notification: the browser login
/// for OAuth folders, the folder's settings page for the others.
pub fn login_from_tray(app: &AppHandle, folder: &str) {
    let f = match state(app).folder(folder) {
        Ok(f) => f,
        Err(e) => return warn!("login: {}", e.message),
    };
    if !wsync_core::login::uses_oauth(&f) {
        crate::window::open(app, "settings", Some(folder));
        return;
    }
    let (app, folder) = (app.clone(), folder.to_string());
    tauri::async_runtime::spawn_blocking(move || {
        let draft = FolderDraft { id: folder.clone(), ..Default::default() };
        match login_oauth(&app, &draft) {
            Ok(_) => info!("login: \"{folder}\" logged in from the tray"),
            Err(e) => {
                warn!("login: \"{folder}\": {}", e.message);
                crate::window::open(&app, "status", None);
            }
        }
    });
}

/// The folders and files at `path` of the draft's remote (from its root).
pub fn browse_remote(app: &AppHandle, d: &FolderDraft, path: &str) -> AppResult<Vec<RemoteEntry>> {
    let (mut f, typed, _) = resolve_draft(&state(app), d)?;
    f.remote_path = String::new();
    let rclone = locate()?;
    let r = build_remote(&f, &rclone, &candidate_secrets(&f.id, &typed))?;
    let rel = clean(path)?;
    let out = rclone
        .command("lsjson")
        .arg(r.join(&rel))
        .args(["--max-depth", "1", "--no-mimetype", "--no-modtime", "--contimeout", "15s", "--timeout", "30s"])
        .remote(&r)
        .timeout(Duration::from_secs(60))
        .run(None, &mut |_| {})?;
    if !out.success() {
        let check = RemoteCheck::from_error_text(&out.error_text());
        return Err(check.into_error(&r).into());
    }
    #[derive(serde::Deserialize)]
    struct Item {
        #[serde(rename = "Name")]
        name: String,
        #[serde(rename = "IsDir", default)]
        is_dir: bool,
    }
    let mut items: Vec<Item> = serde_json::from_str(&out.stdout).map_err(|e| AppError::new("rclone", format!("cannot read rclone's listing: {e}")))?;
    items.sort_by(|a, b| b.is_dir.cmp(&a.is_dir).then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase())));
    Ok(items.into_iter().map(|i| RemoteEntry { name: i.name, is_dir: i.is_dir }).collect())
}

pub fn create_remote_folder(app: &AppHandle, d: &FolderDraft, path: &str) -> AppResult<()> {
    let (mut f, typed, _) = resolve_draft(&state(app), d)?;
    f.remote_path = String::new();
    let rclone = locate()?;
    let r = build_remote(&f, &rclone, &candidate_secrets(&f.id, &typed))?;
    let rel = clean(path)?;
    if rel.is_empty() {
        return Err(AppError::invalid("name the new folder"));
    }
    let out = rclone.command("mkdir").arg(r.join(&rel)).remote(&r).timeout(Duration::from_secs(60)).run(None, &mut |_| {})?;
    if !out.success() {
        return Err(AppError::new("remote", format!("cannot create {rel} on {}: {}", r.display, out.error_text())));
    }
    Ok(())
}

/// A path inside the remote or folder, without "..".
pub fn clean(path: &str) -> AppResult<String> {
    let mut parts = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Err(AppError::invalid(format!("the path \"{path}\" contains \"..\""))),
            s => parts.push(s),
        }
    }
    Ok(parts.join("/"))
}

fn count_files(dir: &std::path::Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => count_files(&e.path()),
            Ok(_) => 1,
            Err(_) => 0,
        })
        .sum()
}

/// What the first sync would do: files only in the cloud (to this
/// computer), only here (to the cloud), and on both sides but different
/// (both versions kept).
pub fn preview_first_sync(app: &AppHandle, d: &FolderDraft) -> AppResult<FirstSyncPreview> {
    let (f, typed, _) = resolve_draft(&state(app), d)?;
    let rclone = locate()?;
    let r = build_remote(&f, &rclone, &candidate_secrets(&f.id, &typed))?;
    let local = f.local_dir();
    let local_exists = local.is_dir();
    match check_remote(&rclone, &r, None) {
        RemoteCheck::Missing => return Ok(FirstSyncPreview { to_remote: if local_exists { count_files(&local) } else { 0 }, ..Default::default() }),
        RemoteCheck::Reachable { .. } => {}
        other => return Err(other.into_error(&r).into()),
    }
    if !local_exists {
        let out = rclone.command("lsf").arg(&r.root).args(["-R", "--files-only"]).remote(&r).timeout(Duration::from_secs(300)).run(None, &mut |_| {})?;
        return Ok(FirstSyncPreview { to_local: out.stdout.lines().filter(|l| !l.is_empty()).count() as u64, ..Default::default() });
    }
    let mut cmd = rclone.command("check").arg(local.to_string_lossy().to_string()).arg(&r.root).args(["--combined", "-"]);
    for pat in &f.exclude {
        cmd = cmd.arg("--exclude").arg(pat);
    }
    let out = cmd.remote(&r).timeout(Duration::from_secs(600)).run(None, &mut |_| {})?;
    let mut p = FirstSyncPreview::default();
    for line in out.stdout.lines() {
        match line.split_once(' ').map(|x| x.0) {
            Some("+") => p.to_remote += 1,
            Some("-") => p.to_local += 1,
            Some("*") => p.conflicts += 1,
            _ => {}
        }
    }
    if out.stdout.trim().is_empty() && !out.success() {
        return Err(AppError::new("remote", format!("cannot compare with {}: {}", r.display, out.error_text())));
    }
    Ok(p)
}

/// Add the draft's folder: secrets to the keychain, the local folder
/// created if missing, the config saved, the engine restarted.
pub async fn add_folder(app: &AppHandle, d: &FolderDraft) -> AppResult<wsync_core::config::FolderConfig> {
    let st = state(app);
    if st.folder(d.id.trim()).is_ok() {
        return Err(AppError::invalid(format!("a folder \"{}\" exists already; choose another name", d.id.trim())));
    }
    let (f, typed) = draft_to_config(d)?;
    let mut loaded = st.load_config()?;
    loaded.config.folders.push(f.clone());
    // The local folder first: when it cannot be made, no secret is stored.
    let local = f.local_dir();
    if !local.exists() {
        std::fs::create_dir_all(&local).map_err(|e| AppError::new("local-folder", format!("cannot create {}: {e}", local.display())))?;
    }
    store_secrets(&f.id, &typed)?;
    if let Err(e) = config::save(&st.config_path, &loaded.config) {
        let k = Keychain::shared();
        for (key, _) in &typed {
            let _ = k.delete(&f.id, key);
        }
        return Err(e.into());
    }
    info!("setup: folder \"{}\" added to {}", f.id, st.config_path.display());
    st.restart(app).await;
    Ok(f)
}

/// Remove a folder from the config (its files stay), optionally logging it out.
pub async fn remove_folder(app: &AppHandle, folder: &str, logout: bool) -> AppResult<()> {
    let st = state(app);
    let mut loaded = st.load_config()?;
    let before = loaded.config.folders.len();
    loaded.config.folders.retain(|f| f.id != folder);
    if loaded.config.folders.len() == before {
        return Err(AppError::new("unknown-folder", format!("no folder \"{folder}\" in {}", st.config_path.display())));
    }
    config::save(&st.config_path, &loaded.config)?;
    if logout {
        let removed = wsync_core::login::logout(&Keychain::shared(), folder)?;
        info!("setup: \"{folder}\" logged out ({} keychain entries removed)", removed.len());
    }
    info!("setup: folder \"{folder}\" removed from {}", st.config_path.display());
    st.restart(app).await;
    Ok(())
}

/// Change one folder's settings in the config and restart the engine.
pub async fn save_settings(app: &AppHandle, folder: &str, s: &crate::views::FolderSettings) -> AppResult<()> {
    let st = state(app);
    let mut loaded = st.load_config()?;
    let f = loaded
        .config
        .folders
        .iter_mut()
        .find(|f| f.id == folder)
        .ok_or_else(|| AppError::new("unknown-folder", format!("no folder \"{folder}\" in {}", st.config_path.display())))?;
    f.interval = s.interval;
    f.watch = s.watch;
    f.exclude = s.exclude.iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
    f.conflict_resolve = match s.conflict_resolve.as_str() {
        "ask" => ConflictPolicy::Ask,
        "newer" => ConflictPolicy::Newer,
        "local" => ConflictPolicy::Local,
        "remote" => ConflictPolicy::Remote,
        other => return Err(AppError::invalid(format!("\"{other}\" is not a conflict policy; use ask, newer, local or remote"))),
    };
    f.max_delete_percent = s.max_delete_percent;
    f.keep_versions_days = s.keep_versions_days;
    config::save(&st.config_path, &loaded.config)?;
    info!("settings of \"{folder}\" saved");
    st.restart(app).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(provider: &str, fields: &[(&str, &str)]) -> FolderDraft {
        FolderDraft {
            id: "work".into(),
            provider: provider.into(),
            local_path: "/tmp/wsync-draft-test".into(),
            remote_path: "share".into(),
            fields: fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            conflict_resolve: "newer".into(),
            interval: Some(120),
        }
    }

    #[test]
    fn webdav_password_goes_to_the_keychain_not_the_config() {
        let (f, secrets) = draft_to_config(&draft("webdav", &[("url", "http://127.0.0.1:8080"), ("user", "u"), ("password", "hunter2")])).unwrap();
        assert_eq!(f.webdav.as_ref().unwrap().password, None);
        assert_eq!(secrets, vec![("password".to_string(), "hunter2".to_string())]);
        assert_eq!(f.conflict_resolve, ConflictPolicy::Newer);
        assert_eq!(f.interval, 120);
        assert!(!serde_json::to_string(&f).unwrap().contains("hunter2"));
    }

    #[test]
    fn oauth_app_fields_reach_the_config() {
        let (f, secrets) = draft_to_config(&draft(
            "dropbox",
            &[("clientId", "my-app"), ("clientSecret", "s3"), ("authUrl", "http://127.0.0.1:1/authorize"), ("tokenUrl", "http://127.0.0.1:1/token")],
        ))
        .unwrap();
        let o = f.dropbox.unwrap();
        assert_eq!(o.client_id.as_deref(), Some("my-app"));
        assert_eq!(o.client_secret, None);
        assert_eq!(o.auth_url.as_deref(), Some("http://127.0.0.1:1/authorize"));
        assert_eq!(o.token_url.as_deref(), Some("http://127.0.0.1:1/token"));
        assert_eq!(secrets, vec![("clientSecret".to_string(), "s3".to_string())]);
        let (f, secrets) = draft_to_config(&draft("dropbox", &[("appKey", "k"), ("appSecret", "${DBX_SECRET}")])).unwrap();
        let o = f.dropbox.unwrap();
        assert_eq!((o.app_key.as_deref(), o.app_secret.as_deref()), (Some("k"), Some("${DBX_SECRET}")));
        assert!(secrets.is_empty());
    }

    #[test]
    fn env_references_stay_in_the_config() {
        let (f, secrets) = draft_to_config(&draft("webdav", &[("url", "http://h"), ("password", "${WS_PASS}")])).unwrap();
        assert_eq!(f.webdav.unwrap().password.as_deref(), Some("${WS_PASS}"));
        assert!(secrets.is_empty());
    }

    #[test]
    fn bad_drafts_are_invalid_input() {
        assert_eq!(draft_to_config(&draft("ftp", &[])).unwrap_err().code, "invalid-input");
        assert_eq!(draft_to_config(&draft("webdav", &[("url", "nope")])).unwrap_err().code, "invalid-input");
        let mut d = draft("local", &[("path", "/srv/x")]);
        d.id = "Bad Id".into();
        assert_eq!(draft_to_config(&d).unwrap_err().code, "invalid-input");
        assert!(clean("a/../b").is_err());
        assert_eq!(clean("/a//b/").unwrap(), "a/b");
    }

    #[test]
    fn every_provider_is_listed() {
        let keys: Vec<&str> = providers().iter().map(|p| p.key).collect();
        for p in Provider::ALL {
            assert!(keys.contains(&p.key()), "{}", p.key());
        }
    }
}
