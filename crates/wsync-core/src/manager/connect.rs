//! Talking to a folder's remote before (or without) syncing it: test the
//! connection with the secrets typed so far (held in memory; nothing is
//! stored until the remote accepts them), log in through the browser,
//! browse and create remote folders, preview the first sync.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{FolderManager, Target};
use crate::cancel::CancelToken;
use crate::config::{FolderConfig, Provider};
use crate::credentials::MemoryStore;
use crate::error::{Error, ErrorCode, Result};
use crate::remote::{self, check_remote, uses_oauth, RemoteCheck, RemoteDef};
use crate::secrets::{SecretStore, Secrets};

/// Who is logged in, where the remote can tell.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AccountInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub account: Option<String>,
    /// The typed secrets of an existing folder were stored (a new login).
    #[serde(default)]
    pub stored: bool,
}

/// One entry of a remote folder listing.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RemoteEntry {
    pub name: String,
    pub is_dir: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub modified: Option<String>,
}

/// What the first sync would do.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FirstSyncPreview {
    pub to_local: u64,
    pub to_remote: u64,
    pub conflicts: u64,
}

/// Secrets in memory first, then the keychain (if reachable).
struct Layered {
    memory: MemoryStore,
    keychain: Arc<dyn SecretStore>,
}

impl SecretStore for Layered {
    fn get(&self, folder: &str, key: &str) -> Result<Option<String>> {
        if let Some(v) = self.memory.get(folder, key)? {
            return Ok(Some(v));
        }
        Ok(self.keychain.get(folder, key).unwrap_or(None))
    }
    fn set(&self, folder: &str, key: &str, value: &str) -> Result<()> {
        self.memory.set(folder, key, value)
    }
    fn delete(&self, folder: &str, key: &str) -> Result<bool> {
        self.memory.delete(folder, key)
    }
}

/// A path inside the remote or folder, without "..".
pub fn clean(path: &str) -> Result<String> {
    let mut parts = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Err(Error::InvalidInput(format!("the path \"{path}\" contains \"..\"; name a folder inside it"))),
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
            Ok(t) if t.is_file() => 1,
            _ => 0,
        })
        .sum()
}

impl FolderManager {
    /// The secrets of `t`: the typed ones, then the keychain.
    fn candidate_secrets(&self, t: &Target) -> Secrets {
        let memory = MemoryStore::default();
        for (k, v) in &t.typed.0 {
            crate::secrets::register_secret(v);
            let _ = memory.set(&t.folder.id, k, v);
        }
        Secrets::with_store(Arc::new(Layered { memory, keychain: self.store.clone() }))
    }

    fn remote_of(&self, f: &FolderConfig, secrets: &Secrets) -> Result<RemoteDef> {
        let r = remote::build(f, &self.rclone, secrets)?;
        if !r.logged_in {
            let how = if uses_oauth(f) { "log in first" } else { "enter the password (or secret key)" };
            return Err(Error::coded(ErrorCode::NeedsLogin, format!("{} needs a login: {how}", r.display)));
        }
        Ok(r)
    }

    fn account(&self, f: &FolderConfig, secrets: &Secrets) -> Option<String> {
        if uses_oauth(f) {
            return crate::login::account_of(&self.rclone, f, secrets);
        }
        match f.provider {
            Provider::Webdav => f.webdav.as_ref().and_then(|w| w.user.clone()),
            Provider::Sftp => f.sftp.as_ref().map(|s| format!("{}@{}", s.user, s.host)),
            Provider::S3 => f.s3.as_ref().map(|s| s.bucket.clone()),
            _ => None,
        }
    }

    /// Check the target's remote with its typed secrets. For a configured
    /// folder (logging in again), secrets the remote accepts are stored.
    pub fn test_connection(&self, t: &Target) -> Result<AccountInfo> {
        let secrets = self.candidate_secrets(t);
        let r = self.remote_of(&t.folder, &secrets)?;
        match check_remote(&self.rclone, &r, None) {
            RemoteCheck::Reachable { .. } | RemoteCheck::Missing => {}
            other => return Err(other.into_error(&r)),
        }
        let stored = t.existing && !t.typed.is_empty();
        if stored {
            self.store_secrets(&t.folder.id, &t.typed)?;
        }
        Ok(AccountInfo { account: self.account(&t.folder, &secrets), stored })
    }

    /// Log in through the browser (rclone authorize); the token goes to the
    /// keychain under the target's id. `on_url` opens (or shows) the link.
    pub fn login_oauth(&self, t: &Target, timeout: Duration, cancel: &CancelToken, on_url: &mut dyn FnMut(&str)) -> Result<AccountInfo> {
        if !uses_oauth(&t.folder) {
            return Err(Error::InvalidInput(format!(
                "{} does not log in through the browser; test the connection instead",
                t.folder.provider.display_name()
            )));
        }
        let secrets = self.candidate_secrets(t);
        let app = crate::login::OAuthApp::of(&t.folder, &secrets)?;
        let token = crate::login::authorize(&self.rclone, &remote::rclone_type(&t.folder), &app, timeout, cancel, on_url)?;
        let mut all = t.typed.clone();
        all.0.push(("token".into(), token));
        self.store_secrets(&t.folder.id, &all)?;
        let secrets = Secrets::with_store(self.store.clone());
        Ok(AccountInfo { account: crate::login::account_of(&self.rclone, &t.folder, &secrets), stored: true })
    }

    /// The folders and files at `path` of the target's remote (from the
    /// remote's root, not the folder's remotePath).
    pub fn browse(&self, t: &Target, path: &str) -> Result<Vec<RemoteEntry>> {
        let mut f = t.folder.clone();
        f.remote_path = String::new();
        let r = self.remote_of(&f, &self.candidate_secrets(t))?;
        self.list(&r, &clean(path)?, 1)
    }

    /// The entries at `path` inside the target's remote folder.
    pub fn list_folder(&self, t: &Target, path: &str) -> Result<Vec<RemoteEntry>> {
        let r = self.remote_of(&t.folder, &self.candidate_secrets(t))?;
        self.list(&r, &clean(path)?, 1)
    }

    /// The entries at `rel` inside remote `r`, `depth` levels deep.
    pub fn list(&self, r: &RemoteDef, rel: &str, depth: u32) -> Result<Vec<RemoteEntry>> {
        let out = self
            .rclone
            .command("lsjson")
            .arg(r.join(rel))
            .args(["--max-depth", &depth.to_string(), "--no-mimetype", "--contimeout", "15s", "--timeout", "30s"])
            .remote(r)
            .timeout(Duration::from_secs(120))
            .run(None, &mut |_| {})?;
        if !out.success() {
            return Err(RemoteCheck::from_error_text(&out.error_text()).into_error(r));
        }
        #[derive(Deserialize)]
        struct Item {
            #[serde(rename = "Path")]
            path: String,
            #[serde(rename = "IsDir", default)]
            is_dir: bool,
            #[serde(rename = "Size", default)]
            size: i64,
            #[serde(rename = "ModTime", default)]
            mod_time: Option<String>,
        }
        let mut items: Vec<Item> =
            serde_json::from_str(&out.stdout).map_err(|e| Error::Rclone(format!("cannot read rclone's listing ({e}); run it again, or check the bundled rclone")))?;
        items.sort_by(|a, b| b.is_dir.cmp(&a.is_dir).then_with(|| a.path.to_lowercase().cmp(&b.path.to_lowercase())));
        Ok(items
            .into_iter()
            .map(|i| RemoteEntry {
                name: i.path,
                is_dir: i.is_dir,
                size: (!i.is_dir).then_some(i.size.max(0) as u64),
                modified: i.mod_time.filter(|_| !i.is_dir),
            })
            .collect())
    }

    /// Create `path` (relative to the remote's root) on the target's remote.
    pub fn create_remote_folder(&self, t: &Target, path: &str) -> Result<()> {
        let mut f = t.folder.clone();
        f.remote_path = String::new();
        let r = self.remote_of(&f, &self.candidate_secrets(t))?;
        let rel = clean(path)?;
        if rel.is_empty() {
            return Err(Error::InvalidInput("name the new folder".into()));
        }
        let out = self.rclone.command("mkdir").arg(r.join(&rel)).remote(&r).timeout(Duration::from_secs(60)).run(None, &mut |_| {})?;
        if !out.success() {
            return Err(Error::Remote(format!("cannot create {rel} on {}: {}", r.display, out.error_text())));
        }
        Ok(())
    }

    /// What the first sync would do: files only in the cloud (to this
    /// computer), only here (to the cloud), and on both sides but different
    /// (both versions kept).
    pub fn preview_first_sync(&self, t: &Target) -> Result<FirstSyncPreview> {
        let r = self.remote_of(&t.folder, &self.candidate_secrets(t))?;
        let local = t.folder.local_dir();
        let local_exists = local.is_dir();
        match check_remote(&self.rclone, &r, None) {
            RemoteCheck::Missing => return Ok(FirstSyncPreview { to_remote: if local_exists { count_files(&local) } else { 0 }, ..Default::default() }),
            RemoteCheck::Reachable { .. } => {}
            other => return Err(other.into_error(&r)),
        }
        if !local_exists {
            let out = self.rclone.command("lsf").arg(&r.root).args(["-R", "--files-only"]).remote(&r).timeout(Duration::from_secs(300)).run(None, &mut |_| {})?;
            return Ok(FirstSyncPreview { to_local: out.stdout.lines().filter(|l| !l.is_empty()).count() as u64, ..Default::default() });
        }
        let mut cmd = self.rclone.command("check").arg(local.to_string_lossy().to_string()).arg(&r.root).args(["--combined", "-"]);
        for pat in &t.folder.exclude {
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
            return Err(Error::Remote(format!("cannot compare with {}: {}", r.display, out.error_text())));
        }
        Ok(p)
    }
}
