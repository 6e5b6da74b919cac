//! `wsync`: the Workspace Sync command line and headless daemon. A thin
//! shell over `wsync-core`: it parses arguments, calls the core, and prints
//! results; errors become one line on stderr and an exit code.

mod cli;
mod commands;
mod output;
mod prompt;
mod signals;

use clap::Parser;

/// Exit codes: 0 ok, 1 failed, 2 bad usage or config, 3 conflicts remain, 4 blocked.
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

fn main() {
    // Never a backtrace for a person: one line, and the exit code of a failure.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".into());
        eprintln!("wsync: internal error: {}; please report it", wsync_core::redact::redact(&msg));
    }));
    wsync_core::logging::init_stderr();
    let args = cli::Cli::parse();
    // `wsync completions bash | head`: a closed pipe ends the printed text
    // quietly, as for any Unix filter, instead of panicking in println!.
    // Only for these: the daemon must outlive a client that hangs up.
    #[cfg(unix)]
    if matches!(args.command, cli::Command::Completions { .. } | cli::Command::Man) {
        // SAFETY: restoring the default disposition of one signal before
        // any thread is started.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    let code = match commands::run(args) {
        Ok(code) => code,
        Err(e) => {
            let (code, text) = match e.downcast_ref::<wsync_core::Error>() {
                Some(core) if core.is_usage() => (EXIT_USAGE, core.to_string()),
                Some(core) => (EXIT_FAILED, core.to_string()),
                None => (EXIT_FAILED, format!("{e:#}")),
            };
            eprintln!("wsync: error: {}", wsync_core::redact::redact(&text).replace('\n', " "));
            code
        }
    };
    std::process::exit(code);
}
