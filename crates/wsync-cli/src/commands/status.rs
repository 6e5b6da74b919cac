//! `wsync status`: the config, rclone, and for each folder its remote's
//! reachability, last result, unresolved conflicts and next timed sync,
//! built from the core's one folder view (joined with the engine's live
//! status when a host runs).

use anyhow::Result;
use serde::Serialize;
use wsync_core::config::FolderConfig;
use wsync_core::engine::host::{self, Request};
use wsync_core::error::Surface;
use wsync_core::journal::ConflictRecord;
use wsync_core::remote::{self, check_remote, RemoteCheck};
use wsync_core::report::BlockedReport;
use wsync_core::status::{FolderStatus, FolderView};
use wsync_core::sync::Context;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StatusDoc {
    config: std::path::PathBuf,
    rclone: RcloneInfo,
    folders: Vec<FolderReport>,
}

#[derive(Serialize)]
struct RcloneInfo {
    version: String,
    path: std::path::PathBuf,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FolderReport {
    #[serde(flatten)]
    view: FolderView,
    local_exists: bool,
    remote: String,
    reachable: bool,
    remote_error: Option<String>,
    conflict_resolve: String,
    interval: u64,
    /// When the folder last synced successfully (RFC 3339).
    last_success: Option<String>,
    last_blocked: Option<BlockedReport>,
    unresolved_conflicts: Vec<ConflictRecord>,
    /// The engine's live status, when a host runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    engine: Option<FolderStatus>,
}

pub fn run(config: Option<&std::path::Path>, folder: Option<&str>, as_json: bool) -> Result<i32> {
    let loaded = super::load_config(config)?;
    let folders = loaded.select(folder)?;
    let ctx = super::context()?;
    let journal = super::journal().ok();
    // The engine host's live view, when one runs.
    let live: Vec<FolderStatus> = host::connect()
        .and_then(|c| c.request(&Request::Status, &mut |_| {}).ok())
        .and_then(|r| r.folders)
        .unwrap_or_default();
    let mut items = Vec::new();
    for f in folders {
        let engine = live.iter().find(|s| s.id == f.id).cloned();
        let open = journal.as_ref().and_then(|j| j.lock().ok().and_then(|j| j.open_conflicts(Some(&f.id)).ok())).unwrap_or_default();
        items.push(folder_report(&ctx, f, engine, open));
    }
    let doc = StatusDoc {
        config: loaded.path.clone(),
        rclone: RcloneInfo { version: ctx.rclone.version.clone(), path: ctx.rclone.path.clone() },
        folders: items,
    };
    if as_json {
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(0);
    }
    println!("config: {}", doc.config.display());
    println!("rclone: {} at {}", doc.rclone.version, doc.rclone.path.display());
    for item in &doc.folders {
        print_folder(item);
    }
    Ok(0)
}

fn folder_report(ctx: &Context, f: &FolderConfig, engine: Option<FolderStatus>, open: Vec<ConflictRecord>) -> FolderReport {
    let (remote_display, reachable, remote_error) = match remote::build(f, &ctx.rclone, &ctx.secrets) {
        Ok(r) if !r.logged_in => (r.display.clone(), false, Some(format!("not logged in: run `wsync login {}`", f.id))),
        Ok(r) => match check_remote(&ctx.rclone, &r, None) {
            RemoteCheck::Reachable { .. } => (r.display.clone(), true, None),
            RemoteCheck::Missing => (r.display.clone(), true, Some("the remote folder does not exist yet (the first sync creates it)".into())),
            other => {
                let msg = other.into_error(&r).to_string();
                (r.display.clone(), false, Some(msg))
            }
        },
        Err(e) => (f.provider.display_name().to_string(), false, Some(e.to_string())),
    };
    let mut view = FolderView::build(f, engine.as_ref(), Surface::Cli);
    let saved = wsync_core::state::load(&f.id).ok();
    // A blocked folder waits for the person, not for its timer.
    if view.next_sync.is_none() && engine.is_none() && f.interval > 0 && !view.paused && view.blocked.is_none() {
        view.next_sync = Some(match saved.as_ref().and_then(|s| s.last_success.as_deref()).and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()) {
            Some(t) => (t + chrono::Duration::seconds(f.interval as i64)).with_timezone(&chrono::Local).to_rfc3339(),
            None => "at the next start of `wsync daemon` or the app".to_string(),
        });
    }
    if view.conflicts == 0 {
        view.conflicts = open.len();
    }
    FolderReport {
        local_exists: f.local_dir().is_dir(),
        remote: remote_display,
        reachable,
        remote_error,
        conflict_resolve: f.conflict_resolve.key().to_string(),
        interval: f.interval,
        last_success: wsync_core::status::last_success(engine.as_ref(), &f.id),
        last_blocked: saved.and_then(|s| s.last_report).and_then(|r| r.blocked),
        unresolved_conflicts: open,
        engine,
        view,
    }
}

fn print_folder(v: &FolderReport) {
    let f = &v.view;
    println!();
    let rp = if f.remote_path.is_empty() { "/".to_string() } else { f.remote_path.clone() };
    println!("{}: {} ⇄ {} ({rp})", f.id, f.local_path, v.remote);
    if !v.local_exists {
        println!("  local folder: missing (create it or fix localPath)");
    }
    match (v.reachable, &v.remote_error) {
        (true, None) => println!("  remote: reachable"),
        (true, Some(note)) => println!("  remote: reachable; {note}"),
        (false, Some(e)) => println!("  remote: NOT reachable: {e}"),
        (false, None) => println!("  remote: not reachable"),
    }
    if f.paused {
        println!("  paused: resume with `wsync resume {}`", f.id);
    }
    if let Some(e) = &v.engine {
        println!("  engine: {}", serde_json::to_value(e.state).ok().and_then(|s| s.as_str().map(String::from)).unwrap_or_default());
    }
    match (&f.last_result, &f.last_sync) {
        (Some(r), _) => {
            println!("  last sync: {} {}", serde_json::to_value(r).ok().and_then(|s| s.as_str().map(String::from)).unwrap_or_default(), f.last_sync.as_deref().map(wsync_core::human::ago).unwrap_or_default());
            if let Some(e) = &f.last_error {
                println!("    {e}");
            }
            if let Some(b) = &v.last_blocked {
                println!("    {}", b.message);
                println!("    to go on: {}", b.fix);
            }
        }
        (None, _) => println!("  last sync: never"),
    }
    if v.unresolved_conflicts.is_empty() {
        println!("  conflicts: none");
    } else {
        println!("  conflicts: {} unresolved", v.unresolved_conflicts.len());
        for c in &v.unresolved_conflicts {
            println!("    {}: this computer's version is {}, the cloud's is {}", c.path, c.local_copy, c.remote_copy);
        }
        println!("    settle them with `wsync resolve {} PATH --keep local|remote|both`", f.id);
    }
    match &f.next_sync {
        Some(n) => println!("  next timed sync: {n} (every {} s)", v.interval),
        None if v.interval == 0 => println!("  next timed sync: none (interval 0)"),
        None => println!("  next timed sync: none while the folder waits for you"),
    }
}
