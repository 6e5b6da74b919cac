//! The command-line grammar.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(name = "wsync", version, about = "Keep a local folder in two-way sync with a cloud folder")]
pub struct Cli {
    /// Config file (default: $WSYNC_CONFIG, else $XDG_CONFIG_HOME/workspace-sync/config.json).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Set up a folder interactively (provider, credentials, paths, first sync).
    Setup,
    /// Sync one folder, or every folder.
    Sync(SyncArgs),
    /// Show the config, rclone, and each folder's state.
    Status {
        folder: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List the remote's files.
    List {
        folder: Option<String>,
        /// A folder inside the remote folder.
        path: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Log a folder in: OAuth in the browser, or a password checked against
    /// the remote; the secret is kept in the OS keychain.
    Login {
        folder: String,
        /// Print the login link instead of opening a browser.
        #[arg(long)]
        no_browser: bool,
        /// Read the password (or S3 secret key) from standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Give up on a browser login after this many seconds.
        #[arg(long, default_value_t = 300)]
        timeout: u64,
    },
    /// Remove a folder's secrets from the keychain.
    Logout { folder: String },
    /// Stop syncing a folder: remove it from the config, its sync records
    /// and its login from the keychain. Its files stay where they are on
    /// both sides, and so do its kept versions.
    Remove {
        folder: String,
        /// Keep its keychain entries.
        #[arg(long)]
        keep_login: bool,
        /// Also drop its history (runs, changes, conflicts).
        #[arg(long)]
        forget_history: bool,
    },
    /// Tell a running engine (the app or `wsync daemon`) to read the config
    /// again now (it also notices changes on its own).
    Reload,
    /// OAuth login for a provider through `rclone authorize`: prints the
    /// token (to paste into a gateway's config), or stores it for a folder.
    Authorize {
        /// dropbox | gdrive | onedrive, or an rclone backend name.
        provider: String,
        /// Print the login link instead of opening a browser.
        #[arg(long)]
        no_browser: bool,
        /// Store the token in the keychain for this folder instead of printing it.
        #[arg(long, value_name = "FOLDER")]
        store: Option<String>,
        #[arg(long, default_value_t = 300)]
        timeout: u64,
    },
    /// Host the sync engine: timed and watched syncs of every folder until
    /// SIGTERM or SIGINT; other `wsync` commands talk to it.
    Daemon {
        /// Write a systemd user unit that runs the daemon at login, and
        /// enable it.
        #[arg(long)]
        install_service: bool,
    },
    /// Print shell completions (e.g. `wsync completions bash > /etc/bash_completion.d/wsync`).
    Completions {
        #[arg(value_enum)]
        shell: ShellArg,
    },
    /// Print the man page (roff).
    #[command(hide = true)]
    Man,
    /// Pause syncing (one folder, or all); a running sync stops cleanly.
    Pause { folder: Option<String> },
    /// Resume syncing (one folder, or all).
    Resume { folder: Option<String> },
    /// List conflicts that wait for your choice.
    Conflicts {
        folder: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Settle a conflict: keep this computer's version, the cloud's, or both.
    Resolve {
        folder: String,
        /// The conflicted file (omit with --all).
        path: Option<String>,
        #[arg(long, value_enum)]
        keep: KeepArg,
        /// Apply to all of the folder's conflicts.
        #[arg(long)]
        all: bool,
    },
    /// List kept versions of replaced and deleted files, on this computer
    /// and in the cloud.
    Versions {
        folder: String,
        path: Option<String>,
        #[arg(long)]
        json: bool,
        /// Remove the versions older than the folder's keepVersionsDays now
        /// (the engine does it once a day).
        #[arg(long)]
        prune: bool,
    },
    /// Put a kept version back (the next sync carries it to the cloud).
    Restore {
        folder: String,
        path: String,
        /// Which version: a time such as 2026-11-25T14:32 (default: the newest).
        #[arg(long)]
        at: Option<String>,
        /// Only versions kept on this side: local or remote (default: both).
        #[arg(long, value_parser = ["local", "remote"])]
        side: Option<String>,
    },
    /// Recent changes, newest first.
    Activity {
        folder: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Show the sync runs (trigger, result, counts) instead of file changes.
        #[arg(long)]
        runs: bool,
        #[arg(long)]
        json: bool,
    },
    /// OpenClaw integration: install the workspace-sync skill and hook.
    Openclaw {
        #[command(subcommand)]
        command: crate::commands::openclaw::OpenclawCommand,
    },
}

#[derive(clap::Args, Debug)]
pub struct SyncArgs {
    /// The folder's id (default: every folder).
    pub folder: Option<String>,
    #[arg(long, value_enum, default_value_t = DirectionArg::Both)]
    pub direction: DirectionArg,
    /// Merge both sides again from scratch (nothing is deleted).
    #[arg(long)]
    pub resync: bool,
    /// Show what would change without changing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Go ahead with deletions that a safety guard stopped.
    #[arg(long)]
    pub confirm_deletes: bool,
    /// One JSON object per folder on stdout.
    #[arg(long)]
    pub json: bool,
    /// Files that changed on this computer (relative to the folder): a hint
    /// that lets a few saves be pushed without a full sync.
    #[arg(long = "changed", value_name = "PATH")]
    pub changed: Vec<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectionArg {
    Both,
    Pull,
    Push,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeepArg {
    Local,
    Remote,
    Both,
}
