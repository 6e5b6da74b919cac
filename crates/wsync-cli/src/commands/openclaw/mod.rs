//! `wsync openclaw …`: the OpenClaw side of the workspace share. Each verb
//! has its own module; `install` puts the `workspace-sync` skill and hook
//! where an OpenClaw gateway finds them.

mod install;

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum OpenclawCommand {
    /// Install the workspace-sync skill and hook for OpenClaw (into
    /// $OPENCLAW_STATE_DIR, default ~/.openclaw, or an agent workspace).
    Install {
        /// An OpenClaw agent workspace: write into DIR/skills and DIR/hooks.
        #[arg(long, value_name = "DIR")]
        workspace: Option<PathBuf>,
    },
}

pub fn run(_config: Option<&Path>, command: OpenclawCommand) -> Result<i32> {
    match command {
        OpenclawCommand::Install { workspace } => install::run(workspace.as_deref()),
    }
}
