//! Importing a gateway's sync block as one folder of ours: same provider,
//! remote folder, excludes (merged with ours), conflict policy and
//! interval; `${VAR}` references stay references; literal secrets (and
//! the token the plugin keeps in plaintext in its rclone.conf) go to the
//! keychain through the folder manager, exactly as a set-up flow's would.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{read_json5, sync_block, workspace_dir, BlockSource};
use crate::config::{FolderConfig, SyncDirection};
use crate::error::{Error, Result};
use crate::manager::{draft_to_config, FolderDraft, FolderManager};

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The gateway's config (default: see [`super::config_path`]).
    pub path: Option<PathBuf>,
    /// This computer's folder (default: the OpenClaw workspace here, joined
    /// with the block's `localPath`, when it exists).
    pub local: Option<PathBuf>,
    /// Our folder's id (default `openclaw`).
    pub id: Option<String>,
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct Imported {
    pub folder: FolderConfig,
    pub source: PathBuf,
    pub block: BlockSource,
    /// The keychain keys stored (never the values).
    pub stored: Vec<String>,
    /// A plaintext rclone.conf the token was read from: it may go now.
    pub plaintext_token: Option<PathBuf>,
    /// Remarks for the person (a mode mapped, excludes merged, ...).
    pub notes: Vec<String>,
}

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str).map(str::trim).filter(|x| !x.is_empty())
}

/// The `token = …` of section `[remote]` of a plaintext rclone.conf.
fn token_in_rclone_conf(path: &Path, remote: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut inside = false;
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with('[') {
            inside = l == format!("[{remote}]");
            continue;
        }
        if let (true, Some((k, v))) = (inside, l.split_once('=')) {
            if k.trim() == "token" && !v.trim().is_empty() {
                return Some(v.trim().to_string());
            }
        }
    }
    None
}

/// The plugin's rclone.conf: its `configPath`, else
/// `${OPENCLAW_STATE_DIR:-~/.openclaw}/.config/rclone/rclone.conf`.
fn rclone_conf(block: &Value) -> PathBuf {
    match s(block, "configPath") {
        Some(p) => crate::paths::expand_tilde(p),
        None => super::state_dir().join(".config/rclone/rclone.conf"),
    }
}

/// S3's service from its endpoint.
fn s3_provider(endpoint: Option<&str>) -> &'static str {
    match endpoint {
        None => "AWS",
        Some(e) if e.contains("amazonaws.com") => "AWS",
        Some(e) if e.contains("r2.cloudflarestorage.com") => "Cloudflare",
        Some(e) if e.contains("wasabisys.com") => "Wasabi",
        Some(e) if e.contains("digitaloceanspaces.com") => "DigitalOcean",
        Some(_) => "Other",
    }
}

/// The draft our set-up flows would make for the same answers.
fn draft(block: &Value, id: &str, local: &Path, notes: &mut Vec<String>) -> Result<(FolderDraft, Option<PathBuf>)> {
    let provider = s(block, "provider").unwrap_or("off");
    let known = ["dropbox", "gdrive", "onedrive", "s3", "custom", "webdav", "sftp"];
    if !known.contains(&provider) {
        return Err(Error::Config(format!(
            "the OpenClaw sync block names provider \"{provider}\", which there is nothing to import from; set it to dropbox, gdrive, onedrive, s3, webdav, sftp or custom on the gateway first"
        )));
    }
    let direction = match s(block, "mode").unwrap_or("mirror") {
        "bisync" => SyncDirection::Both,
        "mirror" => {
            notes.push("the gateway mirrors the cloud folder (mode \"mirror\"), so this folder only receives from it too (direction \"pull\"); set the gateway and this folder to bisync for two-way".into());
            SyncDirection::Pull
        }
        "mailbox" => {
            return Err(Error::Config(
                "the gateway's sync mode is \"mailbox\" (files move through an inbox and an outbox, so the two sides are never equal); a two-way sync cannot stand in for it: switch the gateway to mode \"bisync\" (or \"mirror\") and import again".into(),
            ))
        }
        other => return Err(Error::Config(format!("the gateway's sync mode \"{other}\" is not known; use bisync or mirror"))),
    };
    let mut remote_path = s(block, "remotePath").unwrap_or("openclaw-share").trim_matches('/').to_string();
    let mut fields: BTreeMap<String, String> = BTreeMap::new();
    let mut put = |k: &str, v: Option<&str>| {
        if let Some(v) = v {
            fields.insert(k.to_string(), v.to_string());
        }
    };
    let sub = |k: &str| block.get(k).cloned().unwrap_or(Value::Null);
    match provider {
        "dropbox" => {
            let d = sub("dropbox");
            put("token", s(&d, "token"));
            put("appKey", s(&d, "appKey"));
            put("appSecret", s(&d, "appSecret"));
            if d.get("appFolder").and_then(Value::as_bool) == Some(true) {
                put("appFolder", Some("true"));
            }
        }
        "gdrive" => {
            let g = sub("gdrive");
            put("token", s(&g, "token"));
            put("teamDrive", s(&g, "teamDrive"));
            put("rootFolderId", s(&g, "rootFolderId"));
        }
        "onedrive" => {
            let o = sub("onedrive");
            put("token", s(&o, "token"));
            put("driveId", s(&o, "driveId"));
            // The plugin's "sharepoint" is rclone's documentLibrary.
            put("driveType", s(&o, "driveType").map(|t| if t == "sharepoint" { "documentLibrary" } else { t }));
        }
        "s3" => {
            let b = sub("s3");
            let bucket = match s(&b, "bucket") {
                Some(bk) => bk.to_string(),
                None => {
                    // The bucket is the first part of remotePath.
                    let (bk, rest) = remote_path.split_once('/').map(|(a, r)| (a.to_string(), r.to_string())).unwrap_or((remote_path.clone(), String::new()));
                    remote_path = rest;
                    bk
                }
            };
            put("provider", Some(s3_provider(s(&b, "endpoint"))));
            put("endpoint", s(&b, "endpoint"));
            put("region", s(&b, "region"));
            put("bucket", Some(&bucket));
            put("accessKeyId", s(&b, "accessKeyId"));
            put("secretAccessKey", s(&b, "secretAccessKey"));
        }
        "custom" => {
            let c = sub("custom");
            put("rcloneType", s(&c, "rcloneType"));
            let lines: Vec<String> = c
                .get("rcloneOptions")
                .and_then(Value::as_object)
                .map(|o| o.iter().filter_map(|(k, v)| v.as_str().map(|v| format!("{k}={v}"))).collect())
                .unwrap_or_default();
            put("options", Some(&lines.join("\n")));
        }
        // Same field names as our own blocks; the address is required.
        "webdav" | "sftp" => {
            let (keys, needed): (&[&str], &str) = match provider {
                "webdav" => (&["url", "vendor", "user", "password"], "url"),
                _ => (&["host", "port", "user", "password", "keyFile"], "host"),
            };
            let b = sub(provider);
            if s(&b, needed).is_none() {
                return Err(Error::Config(format!(
                    "the gateway's {provider} block has no {needed}; add `{provider}: {{{needed}: ...}}` to its sync block, or set this folder up with `wsync setup`"
                )));
            }
            for k in keys {
                match b.get(*k) {
                    Some(Value::Number(n)) => put(k, Some(&n.to_string())),
                    _ => put(k, s(&b, k)),
                }
            }
        }
        _ => {}
    }
    // The plugin keeps the OAuth token in plaintext in its rclone.conf.
    let mut plaintext = None;
    if ["dropbox", "gdrive", "onedrive"].contains(&provider) && !fields.contains_key("token") {
        let conf = rclone_conf(block);
        let remote = s(block, "remoteName").unwrap_or("cloud");
        if let Some(token) = token_in_rclone_conf(&conf, remote) {
            crate::secrets::register_secret(&token);
            fields.insert("token".into(), token);
            plaintext = Some(conf);
        }
    }
    let conflict = match s(block, "conflictResolve").unwrap_or("newer") {
        "local" | "remote" | "newer" => s(block, "conflictResolve").unwrap_or("newer").to_string(),
        other => return Err(Error::Config(format!("the gateway's conflictResolve \"{other}\" is not known; use newer, local or remote"))),
    };
    let exclude: Vec<String> = block
        .get("exclude")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(String::from).collect())
        .unwrap_or_else(|| vec!["**/.DS_Store".to_string()]);
    let interval = block.get("interval").and_then(Value::as_u64).unwrap_or(0);
    let d = FolderDraft {
        id: id.to_string(),
        provider: provider.to_string(),
        local_path: local.to_string_lossy().into_owned(),
        remote_path,
        fields,
        conflict_resolve: conflict,
        interval: Some(interval),
        exclude,
        direction: Some(direction),
    };
    Ok((d, plaintext))
}

/// Import the gateway's sync block as a new folder.
pub fn import(manager: &FolderManager, opts: &ImportOptions) -> Result<Imported> {
    let source = super::config_path(opts.path.as_deref());
    let cfg = read_json5(&source)?;
    let (block_source, block) = sync_block(&cfg).ok_or_else(|| {
        Error::Config(format!(
            "{} has no sync block (neither {} nor {}); set up the gateway's workspace sync first, or pass the right file",
            source.display(),
            BlockSource::Plugin.describe(),
            BlockSource::Seed.describe()
        ))
    })?;
    let local = match &opts.local {
        Some(l) => l.clone(),
        None => {
            let sub = s(block, "localPath").unwrap_or("");
            let dir = workspace_dir(&cfg).join(sub);
            if !dir.is_dir() {
                return Err(Error::InvalidInput(format!(
                    "the OpenClaw workspace {} is not on this computer; pass the folder to sync here with --local DIR",
                    dir.display()
                )));
            }
            dir
        }
    };
    let id = opts.id.clone().unwrap_or_else(|| "openclaw".to_string());
    let mut notes = Vec::new();
    let (d, plaintext) = draft(block, &id, &local, &mut notes)?;
    let (folder, typed) = draft_to_config(&d)?;
    let stored: Vec<String> = typed.keys().iter().map(|k| k.to_string()).collect();
    let folder = manager.add_folder(folder, typed)?;
    Ok(Imported { folder, source, block: block_source, stored, plaintext_token: plaintext, notes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webdav_and_sftp_blocks_map_to_our_fields_and_need_their_address() {
        let block = serde_json::json!({"provider": "webdav", "mode": "bisync", "remotePath": "share",
            "webdav": {"url": "https://dav.example.com/me", "vendor": "nextcloud", "user": "me", "password": "${DAV_PASS}"}});
        let (d, _) = draft(&block, "w", Path::new("/tmp/w"), &mut Vec::new()).unwrap();
        assert_eq!(d.fields.get("url").map(String::as_str), Some("https://dav.example.com/me"));
        assert_eq!(d.fields.get("password").map(String::as_str), Some("${DAV_PASS}"));
        let block = serde_json::json!({"provider": "sftp", "mode": "bisync", "sftp": {"host": "h", "port": 2222, "user": "u"}});
        let (d, _) = draft(&block, "s", Path::new("/tmp/s"), &mut Vec::new()).unwrap();
        assert_eq!(d.fields.get("port").map(String::as_str), Some("2222"));
        let block = serde_json::json!({"provider": "webdav", "mode": "bisync"});
        match draft(&block, "w", Path::new("/tmp/w"), &mut Vec::new()) {
            Err(Error::Config(m)) => assert!(m.starts_with("the gateway's webdav block has no url;"), "{m}"),
            other => panic!("expected a config error, got {:?}", other.map(|(d, _)| d.provider)),
        }
    }
}
