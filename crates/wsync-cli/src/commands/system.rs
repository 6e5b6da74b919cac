//! Shell and system integration: `wsync completions SHELL` (clap_complete),
//! `wsync man` (the man page, from the same grammar, by clap_mangen), and
//! `wsync daemon --install-service` (a systemd user unit for the daemon).

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use clap::CommandFactory;

use crate::cli::{Cli, ShellArg};

pub fn completions(shell: ShellArg) -> Result<i32> {
    let mut cmd = Cli::command();
    let shell = match shell {
        ShellArg::Bash => clap_complete::Shell::Bash,
        ShellArg::Zsh => clap_complete::Shell::Zsh,
        ShellArg::Fish => clap_complete::Shell::Fish,
    };
    clap_complete::generate(shell, &mut cmd, "wsync", &mut std::io::stdout());
    Ok(0)
}

pub fn man() -> Result<i32> {
    clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
    Ok(0)
}

/// The unit shipped in the .deb; for a user install, ExecStart names the
/// running binary.
const UNIT: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../integrations/systemd/wsync.service"));

fn unit_dir() -> PathBuf {
    match std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from).filter(|p| p.is_absolute()) {
        Some(c) => c.join("systemd/user"),
        None => wsync_core::paths::expand_tilde("~/.config/systemd/user"),
    }
}

/// Write the user unit and enable it (when systemd is there).
pub fn install_service(config: Option<&Path>) -> Result<i32> {
    let exe = std::env::current_exe()?;
    let mut unit = UNIT.replace("ExecStart=/usr/bin/wsync daemon", &format!("ExecStart={} daemon", exe.display()));
    if let Some(c) = config {
        let c = std::fs::canonicalize(c).unwrap_or_else(|_| c.to_path_buf());
        unit = unit.replace(" daemon\n", &format!(" --config {} daemon\n", c.display()));
    }
    let dir = unit_dir();
    let path = dir.join("wsync.service");
    if let Err(e) = wsync_core::fsutil::write_atomic(&path, unit.as_bytes(), 0o644) {
        bail!("cannot write {}: {e}; check that {} is writable", path.display(), dir.display());
    }
    println!("wrote {}", path.display());
    let systemctl = std::process::Command::new("systemctl").args(["--user", "enable", "--now", "wsync.service"]).status();
    match systemctl {
        Ok(s) if s.success() => println!("enabled and started: wsync.service (see `systemctl --user status wsync`)"),
        Ok(_) | Err(_) => println!("enable it with `systemctl --user daemon-reload && systemctl --user enable --now wsync.service`"),
    }
    Ok(0)
}
