//! `wsync authorize PROVIDER`: the seed's provider-level OAuth login. It
//! prints the token for pasting into a gateway's config, or with `--store
//! FOLDER` keeps it in the keychain for that folder.

use std::time::Duration;

use anyhow::Result;
use wsync_core::cancel::CancelToken;
use wsync_core::config::Provider;
use wsync_core::credentials::Keychain;
use wsync_core::login::{self, OAuthApp};
use wsync_core::secrets::SecretStore;

pub fn run(config: Option<&std::path::Path>, provider: &str, no_browser: bool, store_for: Option<&str>, timeout: u64) -> Result<i32> {
    let backend = match Provider::parse(provider) {
        Some(Provider::Gdrive) => "drive".to_string(),
        Some(p) if p.uses_oauth() => p.key().to_string(),
        _ => provider.to_string(),
    };
    let ctx = super::context()?;
    // With --store, the folder's own OAuth app settings apply.
    let (app, folder) = match store_for {
        Some(id) => {
            let loaded = super::load_config(config)?;
            let f = loaded.folder(id)?.clone();
            (OAuthApp::of(&f, &ctx.secrets)?, Some(f))
        }
        None => (OAuthApp::default(), None),
    };
    let cancel = CancelToken::new();
    crate::signals::cancel_on_signal(cancel.clone())?;
    let token = login::authorize(&ctx.rclone, &backend, &app, Duration::from_secs(timeout), &cancel, &mut |url| {
        super::show_login_url(url, no_browser)
    })?;
    match folder {
        Some(f) => {
            Keychain::new().set(&f.id, "token", &token)?;
            println!("{}: logged in; the token is in the keychain", f.id);
        }
        None => {
            eprintln!("Paste this token into the config of the machine that needs it (keep it secret):");
            println!("{token}");
        }
    }
    Ok(0)
}
