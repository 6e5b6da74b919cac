//! `wsync openclaw import [PATH] [--local DIR] [--id ID] [--json]`.

use std::path::PathBuf;

use anyhow::Result;
use serde::Serialize;
use wsync_core::openclaw::import::{import, ImportOptions};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    folder: String,
    source: PathBuf,
    block: &'static str,
    local_path: String,
    remote_path: String,
    provider: &'static str,
    /// Keychain keys stored (never their values).
    keychain: Vec<String>,
    plaintext_token: Option<PathBuf>,
    notes: Vec<String>,
}

pub fn run(config: Option<&std::path::Path>, path: Option<PathBuf>, local: Option<PathBuf>, id: Option<String>, as_json: bool) -> Result<i32> {
    let manager = crate::commands::manager(config)?;
    let done = import(&manager, &ImportOptions { path, local, id })?;
    crate::commands::tell_host_to_reload();
    let r = Report {
        folder: done.folder.id.clone(),
        source: done.source.clone(),
        block: done.block.describe(),
        local_path: done.folder.local_path.clone(),
        remote_path: done.folder.remote_path.clone(),
        provider: done.folder.provider.key(),
        keychain: done.stored.clone(),
        plaintext_token: done.plaintext_token.clone(),
        notes: done.notes.clone(),
    };
    if as_json {
        println!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(0);
    }
    println!("{}: imported from {} ({}) into {}", r.folder, r.source.display(), r.block, manager.config_path().display());
    println!("  {} ⇄ {} ({})", r.local_path, if r.remote_path.is_empty() { "/" } else { &r.remote_path }, done.folder.provider.display_name());
    if !r.keychain.is_empty() {
        println!("  stored in the keychain: {}", r.keychain.join(", "));
    }
    if let Some(p) = &r.plaintext_token {
        println!("  the token was read from the plaintext file {}; it is in the keychain now, so you may remove the plaintext copy if no gateway on this computer still uses it", p.display());
    }
    for n in &r.notes {
        println!("  note: {n}");
    }
    println!("  next: `wsync sync {}` (or let the app or `wsync daemon` pick it up)", r.folder);
    Ok(0)
}
