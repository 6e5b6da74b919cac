//! `wsync openclaw …`: the OpenClaw side of the workspace share. Each verb
//! has its own module: `import` adds a folder from a gateway's config,
//! `gateway-config` prints the gateway's side of a folder, `install` puts
//! the `workspace-sync` skill and hook where an OpenClaw gateway finds them.

mod gateway;
mod import;
mod install;

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum OpenclawCommand {
    /// Add a folder from an OpenClaw gateway's config (the workspace-sync
    /// plugin's block or `workspace.sync`): its literal secrets and the
    /// plugin's plaintext token go to the keychain.
    Import {
        /// The gateway's openclaw.json (default: $OPENCLAW_CONFIG_PATH, else
        /// $OPENCLAW_STATE_DIR/openclaw.json, else ~/.openclaw/openclaw.json).
        path: Option<PathBuf>,
        /// The folder on this computer (default: the OpenClaw workspace
        /// here, with the block's localPath).
        #[arg(long, value_name = "DIR")]
        local: Option<PathBuf>,
        /// The new folder's id (default: openclaw).
        #[arg(long)]
        id: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Print the plugin block (JSON) that makes a gateway agree with FOLDER.
    GatewayConfig { folder: String },
    /// Install the workspace-sync skill and hook for OpenClaw (into
    /// $OPENCLAW_STATE_DIR, default ~/.openclaw, or an agent workspace).
    Install {
        /// An OpenClaw agent workspace: write into DIR/skills and DIR/hooks.
        #[arg(long, value_name = "DIR")]
        workspace: Option<PathBuf>,
    },
}

pub fn run(config: Option<&Path>, command: OpenclawCommand) -> Result<i32> {
    match command {
        OpenclawCommand::Import { path, local, id, json } => import::run(config, path, local, id, json),
        OpenclawCommand::GatewayConfig { folder } => gateway::run(config, &folder),
        OpenclawCommand::Install { workspace } => install::run(workspace.as_deref()),
    }
}
