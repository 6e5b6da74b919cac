//! A folder's remote as rclone sees it: the remote is defined for the child
//! process only through `RCLONE_CONFIG_WSYNC_*` environment variables (never
//! through arguments that could carry secrets), and addressed as `wsync:path`.
//! The provider catalogue is in [`providers`], the quick reachability check
//! in [`check`].

pub mod check;
pub mod providers;

pub use check::{check_remote, classify_error, RemoteCheck};
pub use providers::{provider_name, rclone_type, uses_oauth};

use crate::config::{FolderConfig, Provider};
use crate::error::{Error, Result};
use crate::rclone::Rclone;
use crate::secrets::Secrets;

pub const REMOTE_NAME: &str = "wsync";
const ENV_PREFIX: &str = "RCLONE_CONFIG_WSYNC_";

/// The remote of one folder, ready to hand to rclone.
#[derive(Clone)]
pub struct RemoteDef {
    /// The folder this remote belongs to (for messages).
    pub folder: String,
    /// Environment of the child: the remote's type and options.
    pub env: Vec<(String, String)>,
    /// `wsync:` plus the folder inside the remote.
    pub root: String,
    /// The folder inside the remote (`share`, `bucket/share`, a path).
    pub path_in_remote: String,
    /// Where replaced and deleted cloud files are kept, inside the remote:
    /// a sibling of the folder (`share.wsync-versions`), or, at the
    /// remote's root, `.wsync-versions` inside it.
    pub versions_path: String,
    /// `wsync:` plus `versions_path`.
    pub versions_root: String,
    /// The filter that keeps the versions area out of the sync, when it
    /// lies inside the synced folder (remote root, bucket root).
    pub versions_exclude: Option<String>,
    /// What to call it in messages ("WebDAV at http://host/dav").
    pub display: String,
    /// False when a secret the remote needs is not available yet.
    pub logged_in: bool,
    /// Where a token that rclone refreshes during a run is written back.
    pub token_writeback: Option<TokenWriteback>,
}

/// The keychain entry that holds this remote's OAuth token.
#[derive(Clone)]
pub struct TokenWriteback {
    pub folder: String,
    pub store: std::sync::Arc<dyn crate::secrets::SecretStore>,
    pub current: String,
}

impl std::fmt::Debug for RemoteDef {
    // The environment holds secrets: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteDef").field("root", &self.root).field("display", &self.display).finish()
    }
}

impl RemoteDef {
    /// `root` joined with a path inside it.
    pub fn join(&self, rel: &str) -> String {
        let rel = rel.trim_matches('/');
        if rel.is_empty() {
            self.root.clone()
        } else if self.root.ends_with(':') || self.root.ends_with('/') {
            format!("{}{rel}", self.root)
        } else {
            format!("{}/{rel}", self.root)
        }
    }
}

fn opt_key(name: &str) -> String {
    format!("{ENV_PREFIX}{}", name.to_ascii_uppercase().replace('-', "_"))
}

fn join_path(base: &str, rel: &str) -> String {
    let base = base.trim_end_matches('/');
    if rel.is_empty() {
        base.to_string()
    } else if base.is_empty() {
        rel.to_string()
    } else {
        format!("{base}/{rel}")
    }
}

/// Build the remote definition of a folder, resolving its secrets.
pub fn build(folder: &FolderConfig, rclone: &Rclone, secrets: &Secrets) -> Result<RemoteDef> {
    let mut env: Vec<(String, String)> = Vec::new();
    let mut set = |k: &str, v: &str| env.push((opt_key(k), v.to_string()));
    set("type", &rclone_type(folder));
    let mut logged_in = true;
    let mut token_writeback = None;
    let rp = folder.remote_path.as_str();
    let (path_in_remote, display) = match folder.provider {
        Provider::Webdav => {
            let w = folder.webdav.as_ref().ok_or_else(|| missing(folder, "webdav"))?;
            set("url", &w.url);
            set("vendor", w.vendor.as_deref().unwrap_or("other"));
            if let Some(u) = &w.user {
                set("user", u);
            }
            if w.user.is_some() || w.password.is_some() {
                match secrets.resolve(folder, "webdav.password", "password", w.password.as_deref())? {
                    Some(p) => set("pass", &rclone.obscure(&p)?),
                    None => logged_in = false,
                }
            }
            (rp.to_string(), format!("WebDAV at {}", w.url))
        }
        Provider::S3 => {
            let s = folder.s3.as_ref().ok_or_else(|| missing(folder, "s3"))?;
            set("provider", s.provider.as_deref().unwrap_or("Other"));
            if let Some(e) = &s.endpoint {
                set("endpoint", e);
            }
            if let Some(r) = &s.region {
                set("region", r);
            }
            match &s.access_key_id {
                Some(id) => {
                    set("access_key_id", id);
                    match secrets.resolve(folder, "s3.secretAccessKey", "secretAccessKey", s.secret_access_key.as_deref())? {
                        Some(k) => set("secret_access_key", &k),
                        None => logged_in = false,
                    }
                }
                // No key id: credentials from the environment/instance (AWS's own chain).
                None => set("env_auth", "true"),
            }
            let where_ = s.endpoint.clone().unwrap_or_else(|| "S3".into());
            (join_path(&s.bucket, rp), format!("bucket {} at {where_}", s.bucket))
        }
        Provider::Sftp => {
            let s = folder.sftp.as_ref().ok_or_else(|| missing(folder, "sftp"))?;
            set("host", &s.host);
            set("user", &s.user);
            set("port", &s.port.unwrap_or(22).to_string());
            if let Some(k) = &s.key_file {
                set("key_file", &crate::paths::expand_tilde(k).to_string_lossy());
            }
            match secrets.resolve(folder, "sftp.password", "password", s.password.as_deref())? {
                Some(p) if s.key_file.is_some() => set("key_file_pass", &rclone.obscure(&p)?),
                Some(p) => set("pass", &rclone.obscure(&p)?),
                None if s.key_file.is_none() => logged_in = false,
                None => {}
            }
            (rp.to_string(), format!("SFTP {}@{}", s.user, s.host))
        }
        Provider::Dropbox | Provider::Gdrive | Provider::Onedrive => {
            let key = folder.provider.key();
            let default = Default::default();
            let o = folder.oauth().unwrap_or(&default);
            match secrets.resolve(folder, &format!("{key}.token"), "token", o.token.as_deref())? {
                Some(t) => {
                    // A token from the keychain is written back when rclone refreshes it.
                    if o.token.is_none() {
                        if let Some(store) = secrets.store() {
                            token_writeback = Some(TokenWriteback { folder: folder.id.clone(), store: store.clone(), current: t.clone() });
                        }
                    }
                    set("token", &t)
                }
                None => logged_in = false,
            }
            if let Some(id) = o.client_id.as_ref().or(o.app_key.as_ref()) {
                set("client_id", id);
            }
            let secret_field = if o.app_secret.is_some() { "appSecret" } else { "clientSecret" };
            let configured = o.app_secret.as_deref().or(o.client_secret.as_deref());
            if let Some(sec) = secrets.resolve(folder, &format!("{key}.{secret_field}"), "clientSecret", configured)? {
                set("client_secret", &sec);
            }
            if let Some(u) = &o.auth_url {
                set("auth_url", u);
            }
            if let Some(u) = &o.token_url {
                set("token_url", u);
            }
            if let Some(v) = &o.team_drive {
                set("team_drive", v);
            }
            if let Some(v) = &o.root_folder_id {
                set("root_folder_id", v);
            }
            if let Some(v) = &o.drive_id {
                set("drive_id", v);
            }
            if let Some(v) = &o.drive_type {
                set("drive_type", v);
            }
            (rp.to_string(), folder.provider.display_name().to_string())
        }
        Provider::Local => {
            let l = folder.local.as_ref().ok_or_else(|| missing(folder, "local"))?;
            let base = crate::paths::expand_tilde(&l.path).to_string_lossy().into_owned();
            (join_path(&base, rp), format!("folder {base}"))
        }
        Provider::Custom => {
            let c = folder.custom.as_ref().ok_or_else(|| missing(folder, "custom"))?;
            for (k, v) in &c.options {
                let value = if crate::config::is_secret_option(k) {
                    match secrets.resolve(folder, &format!("custom.options.{k}"), k, Some(v))? {
                        Some(s) => s,
                        None => continue,
                    }
                } else {
                    v.clone()
                };
                set(k, &value);
            }
            // Secret options kept in the keychain under their own names.
            for k in &c.keychain_options {
                match secrets.resolve(folder, &format!("custom.keychainOptions.{k}"), k, None)? {
                    Some(v) => set(k, &v),
                    None => logged_in = false,
                }
            }
            if uses_oauth(folder) && !c.options.contains_key("token") && !c.keychain_options.iter().any(|k| k == "token") {
                match secrets.resolve(folder, "custom.options.token", "token", None)? {
                    Some(t) => {
                        if let Some(store) = secrets.store() {
                            token_writeback = Some(TokenWriteback { folder: folder.id.clone(), store: store.clone(), current: t.clone() });
                        }
                        set("token", &t);
                    }
                    None => logged_in = false,
                }
            }
            (rp.to_string(), format!("{} remote", c.rclone_type))
        }
    };
    let (versions_path, versions_exclude) = versions_place(folder, &path_in_remote);
    Ok(RemoteDef {
        folder: folder.id.clone(),
        env,
        root: format!("{REMOTE_NAME}:{path_in_remote}"),
        versions_root: format!("{REMOTE_NAME}:{versions_path}"),
        path_in_remote,
        versions_path,
        versions_exclude,
        display,
        logged_in,
        token_writeback,
    })
}

/// Name of the cloud versions folder beside (or, at a root, inside) the
/// synced folder.
pub const VERSIONS_SUFFIX: &str = ".wsync-versions";

/// Where the cloud versions of a folder at `path_in_remote` live.
fn versions_place(folder: &FolderConfig, path_in_remote: &str) -> (String, Option<String>) {
    let p = path_in_remote.trim_end_matches('/');
    // A bucket (S3) or the remote's root has no sibling to use.
    let at_root = p.is_empty() || (folder.provider == Provider::S3 && !p.contains('/'));
    if at_root {
        let inside = if p.is_empty() { VERSIONS_SUFFIX.to_string() } else { format!("{p}/{VERSIONS_SUFFIX}") };
        (inside, Some(format!("/{VERSIONS_SUFFIX}/**")))
    } else {
        (format!("{p}{VERSIONS_SUFFIX}"), None)
    }
}

fn missing(folder: &FolderConfig, block: &str) -> Error {
    Error::Config(format!("folder \"{}\" has no \"{block}\" block; add it to the config", folder.id))
}
