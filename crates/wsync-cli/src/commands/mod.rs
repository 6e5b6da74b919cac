//! One module per command; each is a thin delegation to the core.

mod authorize;
mod conflicts;
mod control;
mod history;
mod daemon;
mod list;
mod login;
pub mod openclaw;
mod setup;
mod status;
mod sync;
mod system;

use anyhow::Result;
use wsync_core::config::{self, LoadedConfig};
use wsync_core::credentials::Keychain;
use wsync_core::rclone;
use wsync_core::secrets::Secrets;
use wsync_core::sync::Context;

use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> Result<i32> {
    let config_arg = cli.config.as_deref();
    match cli.command {
        Command::Setup => setup::run(config_arg),
        Command::Sync(args) => sync::run(config_arg, args),
        Command::Status { folder, json } => status::run(config_arg, folder.as_deref(), json),
        Command::List { folder, path, json } => list::run(config_arg, folder.as_deref(), path.as_deref(), json),
        Command::Login { folder, no_browser, password_stdin, timeout } => {
            login::login(config_arg, &folder, no_browser, password_stdin, timeout)
        }
        Command::Logout { folder } => login::logout(config_arg, &folder),
        Command::Remove { folder, keep_login, forget_history } => login::remove(config_arg, &folder, keep_login, forget_history),
        Command::Reload => control::reload(),
        Command::Authorize { provider, no_browser, store, timeout } => {
            authorize::run(config_arg, &provider, no_browser, store.as_deref(), timeout)
        }
        Command::Daemon { install_service: false } => daemon::run(config_arg),
        Command::Daemon { install_service: true } => system::install_service(config_arg),
        Command::Completions { shell } => system::completions(shell),
        Command::Man => system::man(),
        Command::Pause { folder } => control::pause_resume(config_arg, folder.as_deref(), true),
        Command::Resume { folder } => control::pause_resume(config_arg, folder.as_deref(), false),
        Command::Conflicts { folder, json } => conflicts::list(config_arg, folder.as_deref(), json),
        Command::Resolve { folder, path, keep, all } => conflicts::resolve(config_arg, &folder, path.as_deref(), keep, all),
        Command::Versions { folder, prune: true, .. } => history::prune(config_arg, &folder),
        Command::Versions { folder, path, json, prune: false } => history::versions(config_arg, &folder, path.as_deref(), json),
        Command::Restore { folder, path, at, side } => history::restore(config_arg, &folder, &path, at.as_deref(), side.as_deref()),
        Command::Activity { folder, limit, runs: false, json } => history::activity(config_arg, folder.as_deref(), limit, json),
        Command::Activity { folder, limit, runs: true, json } => history::runs(config_arg, folder.as_deref(), limit, json),
        Command::Openclaw { command } => openclaw::run(config_arg, command),
    }
}

/// Load the config in force, printing its warnings.
pub fn load_config(explicit: Option<&std::path::Path>) -> Result<LoadedConfig> {
    let path = config::config_path(explicit);
    let loaded = config::load(&path)?;
    for w in &loaded.warnings {
        eprintln!("wsync: warning: {w}");
    }
    Ok(loaded)
}

/// rclone and the secret resolver (environment references, then the keychain).
pub fn context() -> Result<Context> {
    Ok(Context { rclone: rclone::locate()?, secrets: Secrets::with_store(Keychain::shared()) })
}

/// Open `url` in the browser, or just print it; the link is always shown.
pub fn show_login_url(url: &str, no_browser: bool) {
    eprintln!("Log in here: {url}");
    if !no_browser {
        if let Err(e) = open::that_detached(url) {
            eprintln!("wsync: could not open a browser ({e}); open the link above yourself");
        }
    }
    eprintln!("Waiting for the login to finish in the browser (Ctrl-C to cancel)…");
}

/// The folder manager over the config in force and the keychain.
pub fn manager(explicit: Option<&std::path::Path>) -> Result<wsync_core::manager::FolderManager> {
    Ok(wsync_core::manager::FolderManager::new(config::config_path(explicit), rclone::locate()?, Keychain::shared()))
}

/// Ask a running engine host to read the config again (it also notices
/// on its own within a second); true if one answered.
pub fn tell_host_to_reload() -> bool {
    match wsync_core::engine::host::connect() {
        Some(c) => c.request(&wsync_core::engine::host::Request::Reload, &mut |_| {}).map(|r| r.ok).unwrap_or(false),
        None => false,
    }
}

/// The journal, shared the way the engine shares it.
pub fn journal() -> Result<std::sync::Mutex<wsync_core::journal::Journal>> {
    Ok(std::sync::Mutex::new(wsync_core::journal::Journal::open_default()?))
}
