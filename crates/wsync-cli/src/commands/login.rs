//! `wsync login FOLDER` and `wsync logout FOLDER`.

use std::io::{BufRead, IsTerminal};
use std::time::Duration;

use anyhow::{bail, Result};
use wsync_core::cancel::CancelToken;
use wsync_core::credentials::Keychain;
use wsync_core::login;
use wsync_core::manager::RemoveOptions;

pub fn login(config: Option<&std::path::Path>, id: &str, no_browser: bool, password_stdin: bool, timeout: u64) -> Result<i32> {
    let loaded = super::load_config(config)?;
    let folder = loaded.folder(id)?;
    let ctx = super::context()?;
    let store = Keychain::shared();
    if wsync_core::remote::uses_oauth(folder) && !password_stdin {
        let cancel = CancelToken::new();
        crate::signals::cancel_on_signal(cancel.clone())?;
        login::login_oauth(&ctx.rclone, folder, &ctx.secrets, &store, Duration::from_secs(timeout), &cancel, &mut |url| {
            super::show_login_url(url, no_browser)
        })?;
        let who = login::account_of(&ctx.rclone, folder, &ctx.secrets);
        match who {
            Some(account) => println!("{id}: logged in to {} as {account}; the token is in the keychain", folder.provider.display_name()),
            None => println!("{id}: logged in to {}; the token is in the keychain", folder.provider.display_name()),
        }
        return Ok(0);
    }
    let (key, _) = login::password_key(folder)?;
    let what = if key == "secretAccessKey" { "secret access key" } else { "password" };
    let secret = if password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\n', '\r']).to_string()
    } else if std::io::stdin().is_terminal() {
        let question = format!("{} {what} for folder \"{id}\"", folder.provider.display_name());
        crate::prompt::Prompter::Tty.secret(&question, false)?.unwrap_or_default()
    } else {
        bail!("no terminal to ask for the {what}; pipe it in with --password-stdin");
    };
    login::login_password(&ctx.rclone, folder, &store, &secret)?;
    println!("{id}: the {what} works and is stored in the keychain");
    Ok(0)
}

pub fn logout(config: Option<&std::path::Path>, id: &str) -> Result<i32> {
    let manager = super::manager(config)?;
    let folder = manager.folder(id)?;
    let removed = manager.logout(&folder)?;
    if removed.is_empty() {
        println!("{id}: nothing was stored in the keychain for this folder");
    } else {
        println!("{id}: removed {} from the keychain", removed.join(", "));
    }
    Ok(0)
}

pub fn remove(config: Option<&std::path::Path>, id: &str, keep_login: bool, forget_history: bool) -> Result<i32> {
    let manager = super::manager(config)?;
    let removal = manager.remove(id)?;
    println!("{id}: removed from {}; its files stay where they are on both sides", manager.config_path().display());
    // A running engine stops the folder (after its running sync) before
    // its records go.
    super::tell_host_to_reload();
    let journal = super::journal().ok();
    let done = manager.finish_removal(removal, RemoveOptions { keep_login, forget_history }, journal.as_ref())?;
    if let Some(w) = &done.keychain_warning {
        eprintln!("warning: {id}: its login was not removed from the keychain: {w}");
    }
    if !done.keychain_keys.is_empty() {
        println!("{id}: removed {} from the keychain", done.keychain_keys.join(", "));
    }
    if forget_history {
        println!("{id}: forgot its history ({} records)", done.history_rows);
    }
    if done.versions.exists() {
        println!("{id}: its kept versions stay in {}", done.versions.display());
    }
    Ok(0)
}
