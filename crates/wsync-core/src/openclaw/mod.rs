//! The OpenClaw side of a workspace share. An OpenClaw gateway keeps its
//! config in `openclaw.json` (JSON5): the community plugin's block
//! `plugins.entries["openclaw-workspace-sync"].config.sync` (or the seed's
//! own `workspace.sync`) says which cloud folder its workspace syncs with.
//! [`import`] turns that block into a folder of ours (its literal secrets
//! into the keychain, never into our config); [`gateway`] prints the block
//! that makes a gateway agree with one of our folders.

pub mod gateway;
pub mod import;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Result};

/// The plugin's id in `plugins.entries`.
pub const PLUGIN_ID: &str = "openclaw-workspace-sync";

/// OpenClaw's state dir: `$OPENCLAW_STATE_DIR`, else `~/.openclaw`.
pub fn state_dir() -> PathBuf {
    match std::env::var_os("OPENCLAW_STATE_DIR").filter(|v| !v.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => crate::paths::expand_tilde("~/.openclaw"),
    }
}

/// The gateway's config: `path`, else `$OPENCLAW_CONFIG_PATH`, else
/// `$OPENCLAW_STATE_DIR/openclaw.json`, else `~/.openclaw/openclaw.json`.
pub fn config_path(path: Option<&Path>) -> PathBuf {
    if let Some(p) = path {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os("OPENCLAW_CONFIG_PATH").filter(|v| !v.is_empty()) {
        return PathBuf::from(p);
    }
    state_dir().join("openclaw.json")
}

/// Read a JSON5 file (comments, unquoted keys, single quotes, trailing
/// commas).
pub fn read_json5(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::Config(format!(
                "no OpenClaw config at {}; pass its path (wsync openclaw import PATH) or set OPENCLAW_CONFIG_PATH",
                path.display()
            ))
        } else {
            Error::Config(format!("cannot read the OpenClaw config {}: {e}; check its permissions", path.display()))
        }
    })?;
    json5::from_str::<Value>(&text).map_err(|e| {
        // json5's message names the line and column, never a value.
        let msg = e.to_string().replace('\n', " ");
        Error::Config(format!("{} is not valid JSON5 ({msg}); fix the file or pass another path", path.display()))
    })
}

/// Where the sync block was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockSource {
    /// `plugins.entries["openclaw-workspace-sync"].config.sync` (or its
    /// flat `config`).
    Plugin,
    /// `workspace.sync`.
    Seed,
}

impl BlockSource {
    pub fn describe(self) -> &'static str {
        match self {
            BlockSource::Plugin => "plugins.entries[\"openclaw-workspace-sync\"].config.sync",
            BlockSource::Seed => "workspace.sync",
        }
    }
}

/// The sync block of a gateway config.
pub fn sync_block(cfg: &Value) -> Option<(BlockSource, &Value)> {
    let plugin = cfg.get("plugins").and_then(|p| p.get("entries")).and_then(|e| e.get(PLUGIN_ID)).and_then(|e| e.get("config"));
    if let Some(c) = plugin {
        // The nested form `{ sync: {...} }`, or the older flat one.
        match c.get("sync") {
            Some(s) if s.is_object() => return Some((BlockSource::Plugin, s)),
            _ if c.get("provider").is_some() => return Some((BlockSource::Plugin, c)),
            _ => {}
        }
    }
    cfg.get("workspace").and_then(|w| w.get("sync")).filter(|s| s.is_object()).map(|s| (BlockSource::Seed, s))
}

/// The agent workspace on this machine: `agents.defaults.workspace`, else
/// `<state dir>/workspace`.
pub fn workspace_dir(cfg: &Value) -> PathBuf {
    match cfg.get("agents").and_then(|a| a.get("defaults")).and_then(|d| d.get("workspace")).and_then(Value::as_str) {
        Some(w) => crate::paths::expand_tilde(w),
        None => state_dir().join("workspace"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_blocks_and_json5_are_read() {
        let plugin = json5::from_str::<Value>(
            "{ // comment\n plugins: { entries: { 'openclaw-workspace-sync': { config: { sync: { provider: 'dropbox', mode: 'bisync', }, }, }, }, }, }",
        )
        .unwrap();
        let (src, block) = sync_block(&plugin).unwrap();
        assert_eq!(src, BlockSource::Plugin);
        assert_eq!(block["provider"], "dropbox");
        let seed = json5::from_str::<Value>("{workspace: {sync: {provider: 's3'}}}").unwrap();
        assert_eq!(sync_block(&seed).unwrap().0, BlockSource::Seed);
        let flat = json5::from_str::<Value>("{plugins: {entries: {'openclaw-workspace-sync': {config: {provider: 'gdrive'}}}}}").unwrap();
        assert_eq!(sync_block(&flat).unwrap().1["provider"], "gdrive");
        assert!(sync_block(&json5::from_str::<Value>("{}").unwrap()).is_none());
    }
}
