//! `wsync sync`: sync one folder or all, two-way or one-way.

use anyhow::Result;
use wsync_core::cancel::CancelToken;
use wsync_core::report::SyncResult;
use wsync_core::state;
use wsync_core::sync::{sync_folder, SyncDirection, SyncOptions};

use crate::cli::{DirectionArg, SyncArgs};
use crate::output::{summary, TerminalSink};

pub fn run(config: Option<&std::path::Path>, args: SyncArgs) -> Result<i32> {
    let loaded = super::load_config(config)?;
    let folders = loaded.select(args.folder.as_deref())?;
    if folders.is_empty() {
        eprintln!("wsync: no folders in {}; add one with `wsync setup`", loaded.path.display());
        return Ok(0);
    }
    let ctx = super::context()?;
    let cancel = CancelToken::new();
    crate::signals::cancel_on_signal(cancel.clone())?;
    let opts = SyncOptions {
        direction: match args.direction {
            DirectionArg::Both => SyncDirection::Both,
            DirectionArg::Pull => SyncDirection::Pull,
            DirectionArg::Push => SyncDirection::Push,
        },
        resync: args.resync,
        dry_run: args.dry_run,
        confirm_deletes: args.confirm_deletes,
    };
    let sink = TerminalSink::new(args.json);
    let mut worst = 0;
    for folder in folders {
        if cancel.is_cancelled() {
            break;
        }
        let report = sync_folder(&ctx, folder, opts, &sink, &cancel);
        sink.finish();
        if args.json {
            println!("{}", serde_json::to_string(&report)?);
        } else if report.result == SyncResult::Failed {
            eprintln!("wsync: error: {}", summary(&report));
        } else {
            println!("{}", summary(&report));
        }
        let mut code = report.exit_code();
        // Conflicts left for the person to settle keep the exit code at 3.
        if code == 0 && !args.dry_run && !state::load(&folder.id).unresolved.is_empty() {
            code = 3;
        }
        worst = worse(worst, code);
    }
    Ok(worst)
}

/// Failure outranks blocked, which outranks conflicts.
fn worse(a: i32, b: i32) -> i32 {
    let rank = |c: i32| match c {
        0 => 0,
        3 => 1,
        4 => 2,
        _ => 3,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}
