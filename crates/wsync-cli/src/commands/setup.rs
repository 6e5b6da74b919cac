//! `wsync setup`: an interactive wizard for a person at a terminal. It asks
//! for the provider, its settings, the local and remote folders, writes the
//! config (secrets only as `${VARIABLE}` references), and offers a first
//! sync after showing what it would do.

use std::io::{BufRead, Write};

use anyhow::{anyhow, bail, Result};
use wsync_core::cancel::CancelToken;
use wsync_core::config::{
    self, Config, ConflictPolicy, CustomOptions, FolderConfig, LocalOptions, OAuthOptions, Provider, S3Options, SftpOptions,
    WebdavOptions,
};
use wsync_core::sync::{sync_folder, SyncOptions};

use crate::output::{summary, TerminalSink};

struct Prompter<R: BufRead> {
    input: R,
}

impl<R: BufRead> Prompter<R> {
    fn ask(&mut self, question: &str, default: Option<&str>) -> Result<String> {
        loop {
            match default {
                Some(d) if !d.is_empty() => eprint!("{question} [{d}]: "),
                _ => eprint!("{question}: "),
            }
            std::io::stderr().flush().ok();
            let mut line = String::new();
            if self.input.read_line(&mut line)? == 0 {
                bail!("setup stopped: no more answers on standard input (run it at a terminal)");
            }
            let answer = line.trim().to_string();
            if !answer.is_empty() {
                return Ok(answer);
            }
            if let Some(d) = default {
                return Ok(d.to_string());
            }
            eprintln!("  please answer (this one has no default)");
        }
    }

    fn optional(&mut self, question: &str) -> Result<Option<String>> {
        let a = self.ask(&format!("{question} (Enter to skip)"), Some(""))?;
        Ok((!a.is_empty()).then_some(a))
    }

    fn env_ref(&mut self, what: &str, default_var: &str) -> Result<String> {
        let var = self.ask(&format!("Environment variable that will hold the {what}"), Some(default_var))?;
        let reference = format!("${{{var}}}");
        if config::env_reference(&reference).is_none() {
            bail!("\"{var}\" is not a valid environment variable name; use letters, digits and _ such as {default_var}");
        }
        if std::env::var_os(&var).is_none() {
            eprintln!("  note: {var} is not set in this shell; export it before syncing");
        }
        Ok(reference)
    }

    fn yes(&mut self, question: &str) -> Result<bool> {
        let a = self.ask(&format!("{question} [y/n]"), Some("y"))?;
        Ok(a.to_ascii_lowercase().starts_with('y'))
    }
}

pub fn run(config_arg: Option<&std::path::Path>) -> Result<i32> {
    let path = config::config_path(config_arg);
    let mut cfg = if path.exists() { config::load(&path)?.config } else { Config { version: config::SCHEMA_VERSION, folders: vec![] } };
    let stdin = std::io::stdin();
    let mut p = Prompter { input: stdin.lock() };
    eprintln!("Workspace Sync setup: answers go to {}", path.display());

    let default_id = if cfg.folders.is_empty() { "workspace".to_string() } else { format!("folder{}", cfg.folders.len() + 1) };
    let id = p.ask("Name for this folder (lowercase letters, digits, dashes)", Some(&default_id))?;
    if cfg.folders.iter().any(|f| f.id == id) {
        bail!("a folder named \"{id}\" already exists in {}; choose another name", path.display());
    }
    let names: Vec<&str> = Provider::ALL.iter().map(|p| p.key()).collect();
    let provider_name = p.ask(&format!("Provider ({})", names.join(", ")), Some("webdav"))?;
    let provider = Provider::parse(&provider_name).ok_or_else(|| anyhow!("\"{provider_name}\" is not a provider; choose one of {}", names.join(", ")))?;
    let local = p.ask("Folder on this computer", Some("~/Workspace"))?;
    let remote_path = p.ask("Folder in the cloud (created if missing)", Some("openclaw-share"))?;
    let mut folder = FolderConfig::new(&id, &local, provider, &remote_path);

    match provider {
        Provider::Webdav => {
            let url = p.ask("WebDAV URL", None)?;
            let vendor = p.ask("Server kind (nextcloud, owncloud, sharepoint, rclone, fastmail, other)", Some("other"))?;
            let user = p.optional("User name")?;
            let password = if user.is_some() { Some(p.env_ref("password", "WEBDAV_PASS")?) } else { None };
            folder.webdav = Some(WebdavOptions { url, vendor: Some(vendor), user, password });
        }
        Provider::S3 => {
            let provider = p.ask("S3 provider (AWS, Cloudflare, Minio, Rclone, Other)", Some("AWS"))?;
            let endpoint = p.optional("Endpoint URL (R2/MinIO; empty for AWS)")?;
            let region = p.optional("Region")?;
            let bucket = p.ask("Bucket", None)?;
            let access_key_id = Some(p.ask("Access key id", None)?);
            let secret = Some(p.env_ref("secret access key", "S3_SECRET")?);
            folder.s3 = Some(S3Options { provider: Some(provider), endpoint, region, bucket, access_key_id, secret_access_key: secret });
        }
        Provider::Sftp => {
            let host = p.ask("Host", None)?;
            let port = p.ask("Port", Some("22"))?.parse::<u16>().map_err(|_| anyhow!("the port must be a number from 1 to 65535"))?;
            let user = p.ask("User", None)?;
            let key_file = p.optional("Private key file")?;
            let password = Some(p.env_ref(if key_file.is_some() { "key passphrase" } else { "password" }, "SFTP_PASS")?);
            folder.sftp = Some(SftpOptions { host, port: Some(port), user, password, key_file });
        }
        Provider::Dropbox | Provider::Gdrive | Provider::Onedrive => {
            let var = format!("{}_TOKEN", provider.key().to_ascii_uppercase());
            let token = Some(p.env_ref("OAuth token JSON (from `rclone authorize`)", &var)?);
            let block = Some(OAuthOptions { token, ..Default::default() });
            match provider {
                Provider::Dropbox => folder.dropbox = block,
                Provider::Gdrive => folder.gdrive = block,
                _ => folder.onedrive = block,
            }
        }
        Provider::Local => {
            let path = p.ask("Path of the network or local folder to sync with", None)?;
            folder.local = Some(LocalOptions { path });
        }
        Provider::Custom => {
            let rclone_type = p.ask("rclone backend type (see `rclone help backends`)", None)?;
            let mut options = std::collections::BTreeMap::new();
            eprintln!("Backend options as key=value, one per line; an empty line ends (secrets as ${{VARIABLE}}):");
            loop {
                let line = p.ask("option", Some(""))?;
                if line.is_empty() {
                    break;
                }
                let (k, v) = line.split_once('=').ok_or_else(|| anyhow!("write options as key=value"))?;
                options.insert(k.trim().to_string(), v.trim().to_string());
            }
            folder.custom = Some(CustomOptions { rclone_type, options });
        }
    }
    let policy = p.ask("When a file changed on both sides, who keeps the name (ask, newer, local, remote)", Some("ask"))?;
    folder.conflict_resolve = match policy.as_str() {
        "ask" => ConflictPolicy::Ask,
        "newer" => ConflictPolicy::Newer,
        "local" => ConflictPolicy::Local,
        "remote" => ConflictPolicy::Remote,
        other => bail!("\"{other}\" is not a conflict policy; choose ask, newer, local or remote"),
    };
    folder.interval = p.ask("Seconds between timed syncs (0: none)", Some("300"))?.parse().map_err(|_| anyhow!("the interval must be a whole number of seconds"))?;

    cfg.folders.push(folder.clone());
    // Validates before writing: a bad answer leaves the old file as it was.
    config::save(&path, &cfg)?;
    eprintln!("Saved folder \"{id}\" to {}", path.display());

    let local_dir = folder.local_dir();
    if !local_dir.exists() {
        if p.yes(&format!("{} does not exist. Create it?", local_dir.display()))? {
            std::fs::create_dir_all(&local_dir)?;
        } else {
            eprintln!("Create it before the first sync, then run `wsync sync {id}`.");
            return Ok(0);
        }
    }
    if !p.yes("Run the first sync now?")? {
        eprintln!("Run `wsync sync {id}` when ready.");
        return Ok(0);
    }
    let ctx = super::context()?;
    let cancel = CancelToken::new();
    crate::signals::cancel_on_signal(cancel.clone())?;
    let sink = TerminalSink::new(false);
    let preview = sync_folder(&ctx, &folder, SyncOptions { dry_run: true, ..Default::default() }, &sink, &cancel);
    sink.finish();
    println!("{}", summary(&preview));
    if preview.result == wsync_core::report::SyncResult::Failed {
        return Ok(preview.exit_code());
    }
    if !p.yes("Go ahead?")? {
        return Ok(0);
    }
    let report = sync_folder(&ctx, &folder, SyncOptions::default(), &sink, &cancel);
    sink.finish();
    println!("{}", summary(&report));
    Ok(report.exit_code())
}
