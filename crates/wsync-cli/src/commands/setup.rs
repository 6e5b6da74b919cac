//! `wsync setup`: the interactive wizard. It asks what the window's set-up
//! page asks (the core's provider catalogue), builds the same draft, and
//! hands it to the same folder manager: passwords are checked against the
//! remote and kept in the keychain, OAuth providers log in in the browser
//! inside the wizard, and an environment reference is written only when
//! the person types one or no keychain is reachable. Then it shows what
//! the first sync would do and runs it.

use std::time::Duration;

use anyhow::{bail, Result};
use wsync_core::cancel::CancelToken;
use wsync_core::config::{self, env_reference, ConflictPolicy, Provider};
use wsync_core::manager::{FolderDraft, FolderManager};
use wsync_core::remote::providers::{catalogue, FieldInfo, ProviderInfo};
use wsync_core::sync::{sync_folder, SyncOptions};

use crate::output::{summary, TerminalSink};
use crate::prompt::Prompter;

/// Ask one field of the provider's form into the draft.
fn ask_field(p: &mut Prompter, field: &FieldInfo, draft: &mut FolderDraft, keychain_ok: bool) -> Result<()> {
    let label = field.label;
    let value = match field.kind {
        "secret" if keychain_ok => p.secret(&format!("{label} (kept in the keychain; or type ${{VARIABLE}})"), !field.required)?,
        "secret" => {
            let var = p.optional(&format!("{label}: the environment variable that will hold it (no keychain is reachable)"))?;
            match var {
                Some(v) if env_reference(&format!("${{{v}}}")).is_some() => Some(format!("${{{v}}}")),
                Some(_) => bail!("that is not an environment variable name; use letters, digits and _ such as WEBDAV_PASS"),
                None => None,
            }
        }
        "select" => {
            let options = field.options.clone().unwrap_or_default();
            let choices: Vec<(&str, String)> = options.iter().map(|o| (*o, o.to_string())).collect();
            let default = options.first().copied().unwrap_or("");
            Some(p.choose(label, &format!("a {}", label.to_lowercase()), &choices, default)?)
        }
        _ if field.required => Some(p.ask(label, None)?),
        _ => p.optional(label)?,
    };
    if let Some(v) = value {
        draft.fields.insert(field.key.to_string(), v);
    }
    Ok(())
}

fn ask_provider_fields(p: &mut Prompter, info: &ProviderInfo, draft: &mut FolderDraft, keychain_ok: bool) -> Result<()> {
    if info.oauth {
        // Rclone's own app unless the person brings one.
        if p.yes("Use your own OAuth app (client id and secret)?", false)? {
            for f in &info.fields {
                ask_field(p, f, draft, keychain_ok)?;
            }
        }
        return Ok(());
    }
    for f in &info.fields {
        ask_field(p, f, draft, keychain_ok)?;
    }
    Ok(())
}

pub fn run(config_arg: Option<&std::path::Path>) -> Result<i32> {
    let manager = super::manager(config_arg)?;
    let existing = manager.load()?;
    let mut p = Prompter::for_stdin();
    eprintln!("Workspace Sync setup: answers go to {}", manager.config_path().display());
    // Is the keychain there? (Asked once, before any secret is typed.)
    let keychain_ok = match manager.store().get("setup-probe", "password") {
        Ok(_) => true,
        Err(e) => {
            eprintln!("  note: {e}");
            eprintln!("  so secrets will be taken from environment variables you name");
            false
        }
    };

    let default_id = if existing.config.folders.is_empty() { "workspace".to_string() } else { format!("folder{}", existing.config.folders.len() + 1) };
    let id = p.ask("Name for this folder (lowercase letters, digits, dashes)", Some(&default_id))?;
    if existing.config.folders.iter().any(|f| f.id == id) {
        bail!("a folder named \"{id}\" already exists in {}; choose another name", manager.config_path().display());
    }
    let providers = catalogue();
    let choices: Vec<(&str, String)> = providers.iter().map(|i| (i.key, format!("{}: {}", i.name, i.description))).collect();
    let key = p.choose("Provider", "a provider", &choices, "webdav")?;
    let info = providers.iter().find(|i| i.key == key).cloned().ok_or_else(|| anyhow::anyhow!("\"{key}\" is not a provider"))?;
    let mut draft = FolderDraft { id: id.clone(), provider: key.clone(), ..Default::default() };
    draft.local_path = p.ask("Folder on this computer", Some("~/Workspace"))?;
    draft.remote_path = p.ask("Folder in the cloud (created if missing)", Some("openclaw-share"))?;
    ask_provider_fields(&mut p, &info, &mut draft, keychain_ok)?;
    let policies: Vec<(&str, String)> = ConflictPolicy::ALL.iter().map(|c| (c.key(), policy_label(*c).to_string())).collect();
    draft.conflict_resolve = p.choose("When a file changed on both sides, who keeps the name", "a conflict policy", &policies, "ask")?;
    let interval = p.ask("Seconds between timed syncs (0: none)", Some("300"))?;
    draft.interval = Some(interval.parse().map_err(|_| anyhow::anyhow!("the interval must be a whole number of seconds"))?);

    // Checked like the window checks it, before anything is written.
    let target = manager.target(&draft)?;
    let local_dir = target.folder.local_dir();
    if !local_dir.exists() && !p.yes(&format!("{} does not exist. Create it?", local_dir.display()), true)? {
        eprintln!("Nothing was saved. Create the folder, then run `wsync setup` again.");
        return Ok(0);
    }
    log_in(&manager, &target, &info)?;
    let folder = manager.add(&draft)?;
    eprintln!("Saved folder \"{id}\" to {}", manager.config_path().display());
    super::tell_host_to_reload();
    first_sync(&mut p, &folder)
}

fn policy_label(c: ConflictPolicy) -> &'static str {
    match c {
        ConflictPolicy::Ask => "this computer's version for now, and I choose later",
        ConflictPolicy::Newer => "the newer version",
        ConflictPolicy::Local => "this computer's version",
        ConflictPolicy::Remote => "the cloud's version",
    }
}

/// Test the connection (passwords) or log in through the browser (OAuth),
/// the same core flows as the window's.
fn log_in(manager: &FolderManager, target: &wsync_core::manager::Target, info: &ProviderInfo) -> Result<()> {
    if info.oauth {
        let cancel = CancelToken::new();
        crate::signals::cancel_on_signal(cancel.clone())?;
        let who = manager.login_oauth(target, Duration::from_secs(300), &cancel, &mut |url| super::show_login_url(url, false))?;
        eprintln!("Logged in{}; the token is in the keychain", who.account.map(|a| format!(" as {a}")).unwrap_or_default());
        return Ok(());
    }
    if target.folder.provider == Provider::Local || target.folder.provider == Provider::Custom && target.typed.is_empty() {
        return Ok(());
    }
    let who = manager.test_connection(target)?;
    eprintln!("Connected{}", who.account.map(|a| format!(" as {a}")).unwrap_or_default());
    Ok(())
}

fn first_sync(p: &mut Prompter, folder: &config::FolderConfig) -> Result<i32> {
    let id = &folder.id;
    if !p.yes("Run the first sync now?", true)? {
        eprintln!("Run `wsync sync {id}` when ready.");
        return Ok(0);
    }
    let ctx = super::context()?;
    let cancel = CancelToken::new();
    crate::signals::cancel_on_signal(cancel.clone())?;
    let sink = TerminalSink::new(false);
    let preview = sync_folder(&ctx, folder, SyncOptions { dry_run: true, ..Default::default() }, &sink, &cancel);
    sink.finish();
    println!("{}", summary(&preview));
    if preview.result == wsync_core::report::SyncResult::Failed {
        return Ok(preview.exit_code());
    }
    if !p.yes("Go ahead?", true)? {
        return Ok(0);
    }
    let report = sync_folder(&ctx, folder, SyncOptions::default(), &sink, &cancel);
    sink.finish();
    println!("{}", summary(&report));
    Ok(report.exit_code())
}
