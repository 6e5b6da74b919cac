//! A folder as a set-up flow describes it (the window's form, the terminal
//! wizard, an import): a [`FolderDraft`] of plain fields, turned into a
//! validated [`FolderConfig`] plus the literal secrets typed into it, which
//! go to the keychain and never into the config.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::{
    check_folder, env_reference, is_secret_option, ConflictPolicy, CustomOptions, FolderConfig, LocalOptions, OAuthOptions, Provider,
    S3Options, SftpOptions, SyncDirection, WebdavOptions,
};
use crate::error::{Error, Result};

/// The fields of a new folder, keyed as the provider catalogue names them.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FolderDraft {
    pub id: String,
    pub provider: String,
    #[serde(default)]
    pub local_path: String,
    #[serde(default)]
    pub remote_path: String,
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    #[serde(default)]
    pub conflict_resolve: String,
    #[serde(default)]
    #[ts(optional)]
    pub interval: Option<u64>,
    /// Extra exclude patterns (beyond the defaults).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub exclude: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub direction: Option<SyncDirection>,
}

/// Secrets typed into a draft: (keychain key, value). Never printed.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TypedSecrets(pub Vec<(String, String)>);

impl std::fmt::Debug for TypedSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.0.iter().map(|(k, _)| k)).finish()
    }
}

impl TypedSecrets {
    pub fn keys(&self) -> Vec<&str> {
        self.0.iter().map(|(k, _)| k.as_str()).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn push(&mut self, key: &str, value: &str) {
        self.0.retain(|(k, _)| k != key);
        self.0.push((key.to_string(), value.to_string()));
    }
}

fn get(fields: &BTreeMap<String, String>, key: &str) -> Option<String> {
    fields.get(key).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// A secret field: a `${VAR}` reference goes into the config; a literal
/// value goes to `out` (for the keychain) and stays out of the config.
fn secret(fields: &BTreeMap<String, String>, key: &str, keychain_key: &str, out: &mut TypedSecrets) -> Option<String> {
    let raw = fields.get(key).filter(|v| !v.is_empty())?;
    if env_reference(raw.trim()).is_some() {
        return Some(raw.trim().to_string());
    }
    out.push(keychain_key, raw);
    None
}

/// Custom backend options as `key=value` lines (or `;`-separated): literal
/// values of secret options go to the keychain, their names to
/// `keychainOptions`.
fn custom_options(text: &str, out: &mut TypedSecrets) -> Result<(BTreeMap<String, String>, Vec<String>)> {
    let mut options = BTreeMap::new();
    let mut in_keychain = Vec::new();
    for line in text.lines().flat_map(|l| l.split(';')) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .ok_or_else(|| Error::InvalidInput(format!("the option \"{}\" is not key=value; write it like region=us-east-1", k_only(line))))?;
        let (k, v) = (k.trim().to_string(), v.trim().to_string());
        if is_secret_option(&k) && env_reference(&v).is_none() {
            out.push(&k, &v);
            in_keychain.push(k);
        } else {
            options.insert(k, v);
        }
    }
    Ok((options, in_keychain))
}

/// The option name of a malformed line, never its value (it may be a secret).
fn k_only(line: &str) -> String {
    line.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect()
}

/// A draft as a folder of the config, plus the literal secrets typed into it.
pub fn draft_to_config(d: &FolderDraft) -> Result<(FolderConfig, TypedSecrets)> {
    let provider = Provider::parse(d.provider.trim()).ok_or_else(|| {
        Error::InvalidInput(format!("\"{}\" is not a provider; use one of dropbox, gdrive, onedrive, s3, webdav, sftp, local, custom", d.provider))
    })?;
    let mut f = FolderConfig::new(d.id.trim(), d.local_path.trim(), provider, d.remote_path.trim());
    f.conflict_resolve = ConflictPolicy::parse(&d.conflict_resolve)?;
    if let Some(i) = d.interval {
        f.interval = i;
    }
    if let Some(dir) = d.direction {
        f.direction = dir;
    }
    for pat in &d.exclude {
        let pat = pat.trim();
        if !pat.is_empty() && !f.exclude.iter().any(|p| p == pat) {
            f.exclude.push(pat.to_string());
        }
    }
    let fl = &d.fields;
    let mut secrets = TypedSecrets::default();
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
                Some(p) => Some(p.parse::<u16>().map_err(|_| Error::InvalidInput(format!("the port \"{p}\" is not a number from 1 to 65535")))?),
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
            // Dropbox calls the client id and secret "app key" and "app
            // secret" (one secret at most: both go to the keychain as clientSecret).
            let client_secret = secret(fl, "clientSecret", "clientSecret", &mut secrets);
            let app_secret = if secrets.keys().contains(&"clientSecret") || client_secret.is_some() {
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
                app_folder: get(fl, "appFolder").map(|v| v == "true"),
                root_folder_id: get(fl, "rootFolderId"),
                team_drive: get(fl, "teamDrive"),
                drive_id: get(fl, "driveId"),
                drive_type: get(fl, "driveType"),
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
            let (options, keychain_options) = custom_options(&get(fl, "options").unwrap_or_default(), &mut secrets)?;
            f.custom = Some(CustomOptions { rclone_type: get(fl, "rcloneType").unwrap_or_default(), options, keychain_options });
        }
    }
    Ok((check_folder(f)?, secrets))
}

/// The settings of a folder that the settings page and the CLI change.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FolderSettings {
    pub interval: u64,
    pub watch: bool,
    pub exclude: Vec<String>,
    pub conflict_resolve: String,
    pub max_delete_percent: u8,
    pub keep_versions_days: u32,
}

impl FolderSettings {
    pub fn of(f: &FolderConfig) -> FolderSettings {
        FolderSettings {
            interval: f.interval,
            watch: f.watch,
            exclude: f.exclude.clone(),
            conflict_resolve: f.conflict_resolve.key().to_string(),
            max_delete_percent: f.max_delete_percent,
            keep_versions_days: f.keep_versions_days,
        }
    }

    /// `f` with these settings, validated.
    pub fn apply(&self, f: &FolderConfig) -> Result<FolderConfig> {
        let mut f = f.clone();
        f.interval = self.interval;
        f.watch = self.watch;
        f.exclude = self.exclude.iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
        f.conflict_resolve = ConflictPolicy::parse(&self.conflict_resolve)?;
        f.max_delete_percent = self.max_delete_percent;
        f.keep_versions_days = self.keep_versions_days;
        check_folder(f)
    }
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
            ..Default::default()
        }
    }

    #[test]
    fn webdav_password_goes_to_the_keychain_not_the_config() {
        let (f, secrets) = draft_to_config(&draft("webdav", &[("url", "http://127.0.0.1:8080"), ("user", "u"), ("password", "hunter2")])).unwrap();
        assert_eq!(f.webdav.as_ref().unwrap().password, None);
        assert_eq!(secrets.0, vec![("password".to_string(), "hunter2".to_string())]);
        assert_eq!(f.conflict_resolve, ConflictPolicy::Newer);
        assert_eq!(f.interval, 120);
        assert!(!serde_json::to_string(&f).unwrap().contains("hunter2"));
        assert!(!format!("{secrets:?}").contains("hunter2"));
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
        assert_eq!(o.token_url.as_deref(), Some("http://127.0.0.1:1/token"));
        assert_eq!(secrets.keys(), ["clientSecret"]);
        let (f, secrets) = draft_to_config(&draft("dropbox", &[("appKey", "k"), ("appSecret", "${DBX_SECRET}")])).unwrap();
        let o = f.dropbox.unwrap();
        assert_eq!((o.app_key.as_deref(), o.app_secret.as_deref()), (Some("k"), Some("${DBX_SECRET}")));
        assert!(secrets.is_empty());
    }

    #[test]
    fn custom_secret_options_go_to_the_keychain() {
        let (f, secrets) = draft_to_config(&draft("custom", &[("rcloneType", "azureblob"), ("options", "account=me\nsas_url=https://x/?sig=abc\nkey=${AZ_KEY}")])).unwrap();
        let c = f.custom.unwrap();
        assert_eq!(c.options.get("account").map(String::as_str), Some("me"));
        assert_eq!(c.options.get("key").map(String::as_str), Some("${AZ_KEY}"));
        assert_eq!(c.keychain_options, ["sas_url"]);
        assert_eq!(secrets.keys(), ["sas_url"]);
        let e = draft_to_config(&draft("custom", &[("rcloneType", "b2"), ("options", "key hunter2")])).unwrap_err().to_string();
        assert!(!e.contains("hunter2"), "{e}");
    }

    #[test]
    fn bad_drafts_are_invalid_input() {
        let code = |d: &FolderDraft| draft_to_config(d).unwrap_err().code();
        assert_eq!(code(&draft("ftp", &[])), crate::error::ErrorCode::InvalidInput);
        assert_eq!(code(&draft("webdav", &[("url", "nope")])), crate::error::ErrorCode::InvalidInput);
        let mut d = draft("local", &[("path", "/srv/x")]);
        d.id = "Bad Id".into();
        assert_eq!(code(&d), crate::error::ErrorCode::InvalidInput);
    }
}
