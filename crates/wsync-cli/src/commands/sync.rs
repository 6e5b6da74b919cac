//! `wsync sync`: sync one folder or all, two-way or one-way. With an engine
//! host running, the host does the work (a second bisync of a folder never
//! starts) and its progress streams here; with none, it runs in-process
//! under the same per-folder lock.

use anyhow::{bail, Result};
use wsync_core::cancel::CancelToken;
use wsync_core::engine::host::{self, Request};
use wsync_core::engine::{open_conflict_count, sync_recorded};
use wsync_core::events::{EventSink, SyncEvent};
use wsync_core::report::{SyncReport, SyncResult};
use wsync_core::state;
use wsync_core::sync::{SyncDirection, SyncOptions};

use crate::cli::{DirectionArg, SyncArgs};
use crate::output::{summary, TerminalSink};

pub fn run(config: Option<&std::path::Path>, args: SyncArgs) -> Result<i32> {
    let loaded = super::load_config(config)?;
    let folders = loaded.select(args.folder.as_deref())?;
    if folders.is_empty() {
        eprintln!("wsync: no folders in {}; add one with `wsync setup`", loaded.path.display());
        return Ok(0);
    }
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
    let reports = match host::connect() {
        Some(client) => via_host(client, args.folder.as_deref(), opts, &sink)?,
        None => in_process(&folders, opts, &sink)?,
    };
    sink.finish();
    let journal = super::journal().ok();
    let mut worst = 0;
    for report in reports {
        if args.json {
            println!("{}", serde_json::to_string(&report)?);
        } else if report.result == SyncResult::Failed {
            eprintln!("wsync: error: {}", summary(&report));
        } else {
            println!("{}", summary(&report));
        }
        let mut code = report.exit_code();
        // Conflicts left for the person to settle keep the exit code at 3.
        if code == 0 && !args.dry_run {
            if let Some(j) = &journal {
                if open_conflict_count(j, &report.folder) > 0 {
                    code = 3;
                }
            }
        }
        worst = worse(worst, code);
    }
    Ok(worst)
}

fn via_host(client: host::Client, folder: Option<&str>, opts: SyncOptions, sink: &TerminalSink) -> Result<Vec<SyncReport>> {
    let direction = match opts.direction {
        SyncDirection::Both => "both",
        SyncDirection::Pull => "pull",
        SyncDirection::Push => "push",
    };
    let req = Request::Sync {
        folder: folder.map(String::from),
        direction: direction.into(),
        resync: opts.resync,
        dry_run: opts.dry_run,
        confirm_deletes: opts.confirm_deletes,
    };
    let reply = client.request(&req, &mut |v| {
        if let Ok(ev) = serde_json::from_value::<SyncEvent>(v) {
            sink.emit(ev);
        }
    })?;
    if !reply.ok {
        bail!("{}", reply.message.unwrap_or_else(|| "the sync engine refused the request".into()));
    }
    Ok(reply.reports.unwrap_or_default())
}

fn in_process(folders: &[&wsync_core::config::FolderConfig], opts: SyncOptions, sink: &TerminalSink) -> Result<Vec<SyncReport>> {
    let ctx = super::context()?;
    let journal = super::journal()?;
    let cancel = CancelToken::new();
    crate::signals::cancel_on_signal(cancel.clone())?;
    let mut reports = Vec::new();
    for folder in folders {
        if cancel.is_cancelled() {
            break;
        }
        if state::load(&folder.id).paused && !opts.dry_run {
            let mut r = SyncReport::new(&folder.id);
            r.result = SyncResult::Failed;
            r.error = Some(format!("folder \"{}\" is paused; resume it with `wsync resume {}`", folder.id, folder.id));
            r.error_code = Some("paused".into());
            reports.push(r);
            continue;
        }
        reports.push(sync_recorded(&ctx, &journal, folder, opts, "manual", sink, &cancel));
        sink.finish();
    }
    Ok(reports)
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
