//! `wsync login FOLDER` and `wsync logout FOLDER`.

use std::io::{BufRead, IsTerminal};
use std::time::Duration;

use anyhow::{bail, Result};
use wsync_core::cancel::CancelToken;
use wsync_core::credentials::Keychain;
use wsync_core::login;

pub fn login(config: Option<&std::path::Path>, id: &str, no_browser: bool, password_stdin: bool, timeout: u64) -> Result<i32> {
    let loaded = super::load_config(config)?;
    let folder = loaded.folder(id)?;
    let ctx = super::context()?;
    let store = Keychain::shared();
    if login::uses_oauth(folder) && !password_stdin {
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
        rpassword::prompt_password(format!("{} {what} for folder \"{id}\": ", folder.provider.display_name()))?
    } else {
        bail!("no terminal to ask for the {what}; pipe it in with --password-stdin");
    };
    login::login_password(&ctx.rclone, folder, &store, &secret)?;
    println!("{id}: the {what} works and is stored in the keychain");
    Ok(0)
}

pub fn logout(config: Option<&std::path::Path>, id: &str) -> Result<i32> {
    let loaded = super::load_config(config)?;
    let folder = loaded.folder(id)?;
    let removed = login::logout(&Keychain::shared(), &folder.id)?;
    if removed.is_empty() {
        println!("{id}: nothing was stored in the keychain for this folder");
    } else {
        println!("{id}: removed {} from the keychain", removed.join(", "));
    }
    Ok(0)
}

pub fn remove(config: Option<&std::path::Path>, id: &str, keep_login: bool) -> Result<i32> {
    let mut loaded = super::load_config(config)?;
    loaded.folder(id)?;
    loaded.config.folders.retain(|f| f.id != id);
    wsync_core::config::save(&loaded.path, &loaded.config)?;
    // A folder added again later starts with a fresh merge.
    let _ = std::fs::remove_dir_all(wsync_core::paths::workdir(id));
    println!("{id}: removed from {}; its files stay where they are on both sides", loaded.path.display());
    if keep_login {
        return Ok(0);
    }
    match login::logout(&Keychain::shared(), id) {
        Ok(removed) if !removed.is_empty() => println!("{id}: removed {} from the keychain", removed.join(", ")),
        Ok(_) => {}
        Err(e) => eprintln!("wsync: warning: the keychain entries of \"{id}\" could not be removed: {e}"),
    }
    Ok(0)
}
