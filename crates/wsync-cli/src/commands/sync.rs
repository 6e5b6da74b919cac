//! `wsync sync`: sync one folder or all, two-way or one-way. With an engine
//! host running, the host does the work (a second bisync of a folder never
//! starts) and its progress streams here; with none, it runs in-process
//! under the same per-folder lock.

use anyhow::Result;
use wsync_core::cancel::CancelToken;
use wsync_core::engine::host::{self, Request, SyncRequest};
use wsync_core::engine::{open_conflict_count, sync_recorded};
use wsync_core::events::{EventSink, SyncEvent};
use wsync_core::report::{SyncReport, SyncResult};
use wsync_core::error::{Error, ErrorCode, Fix};
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
        confirm_token: None,
        changed: args.changed.clone(),
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
    let req = Request::Sync(SyncRequest {
        folder: folder.map(String::from),
        direction: opts.direction,
        resync: opts.resync,
        dry_run: opts.dry_run,
        confirm_deletes: opts.confirm_deletes,
        confirm_token: opts.confirm_token.clone(),
        changed: opts.changed.clone(),
    });
    let reply = client.request(&req, &mut |v| {
        if let Ok(ev) = serde_json::from_value::<SyncEvent>(v) {
            sink.emit(ev);
        }
    })?;
    Ok(reply.into_result()?.reports.unwrap_or_default())
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
        let paused = match state::load(&folder.id) {
            Ok(st) => st.paused,
            Err(e) => {
                reports.push(SyncReport::failed(&folder.id, &e));
                continue;
            }
        };
        if paused && !opts.dry_run {
            let e = Error::fixable(ErrorCode::Paused, format!("folder \"{}\" is paused", folder.id), Fix::Resume { folder: folder.id.clone() });
            reports.push(SyncReport::failed(&folder.id, &e));
            continue;
        }
        reports.push(sync_recorded(&ctx, &journal, folder, opts.clone(), "manual", sink, &cancel));
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
