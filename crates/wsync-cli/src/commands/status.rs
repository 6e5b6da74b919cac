//! `wsync status`: the config, rclone, and for each folder its remote's
//! reachability, last result, unresolved conflicts and next timed sync.

use anyhow::Result;
use serde_json::json;
use wsync_core::config::FolderConfig;
use wsync_core::remote;
use wsync_core::state;
use wsync_core::sync::{check_remote, Context, RemoteCheck};

pub fn run(config: Option<&std::path::Path>, folder: Option<&str>, as_json: bool) -> Result<i32> {
    let loaded = super::load_config(config)?;
    let folders = loaded.select(folder)?;
    let ctx = super::context()?;
    let journal = super::journal().ok();
    // The engine host's live view, when one runs.
    let live: Vec<serde_json::Value> = wsync_core::engine::host::connect()
        .and_then(|c| c.request(&wsync_core::engine::host::Request::Status, &mut |_| {}).ok())
        .and_then(|r| r.folders)
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    let mut items = Vec::new();
    for f in folders {
        let mut item = folder_status(&ctx, f);
        let open = journal.as_ref().and_then(|j| j.lock().ok().and_then(|j| j.open_conflicts(Some(&f.id)).ok())).unwrap_or_default();
        item["unresolvedConflicts"] = serde_json::to_value(&open).unwrap_or_default();
        item["paused"] = serde_json::Value::Bool(wsync_core::state::load(&f.id).paused);
        if let Some(l) = live.iter().find(|s| s["id"] == f.id.as_str()) {
            item["engine"] = l.clone();
            if let Some(n) = l["nextSync"].as_str() {
                item["nextSync"] = serde_json::Value::String(n.to_string());
            }
        }
        items.push(item);
    }
    let doc = json!({
        "config": loaded.path,
        "rclone": { "version": ctx.rclone.version, "path": ctx.rclone.path },
        "folders": items,
    });
    if as_json {
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(0);
    }
    println!("config: {}", loaded.path.display());
    println!("rclone: {} at {}", ctx.rclone.version, ctx.rclone.path.display());
    for item in &items {
        print_folder(item);
    }
    Ok(0)
}

fn folder_status(ctx: &Context, f: &FolderConfig) -> serde_json::Value {
    let st = state::load(&f.id);
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
    let last = st.last_report.as_ref();
    let next = match (f.interval, st.last_success.as_deref().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())) {
        (0, _) => None,
        (secs, Some(t)) => Some((t + chrono::Duration::seconds(secs as i64)).with_timezone(&chrono::Local).to_rfc3339()),
        (_, None) => Some("at the next start of `wsync daemon` or the app".to_string()),
    };
    json!({
        "id": f.id,
        "localPath": f.local_dir(),
        "localExists": f.local_dir().is_dir(),
        "provider": f.provider.key(),
        "remote": remote_display,
        "remotePath": f.remote_path,
        "reachable": reachable,
        "remoteError": remote_error,
        "conflictResolve": f.conflict_resolve.key(),
        "interval": f.interval,
        "lastResult": last.map(|r| r.result),
        "lastError": last.and_then(|r| r.error.clone()),
        "lastBlocked": last.and_then(|r| r.blocked.clone()),
        "lastSync": last.map(|r| r.finished_at.clone()),
        "lastSuccess": st.last_success,
        "nextSync": next,
    })
}

fn print_folder(v: &serde_json::Value) {
    let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
    println!();
    println!("{}: {} ⇄ {} ({})", s("id"), s("localPath"), s("remote"), if s("remotePath").is_empty() { "/".into() } else { s("remotePath") });
    if !v["localExists"].as_bool().unwrap_or(false) {
        println!("  local folder: missing (create it or fix localPath)");
    }
    match (v["reachable"].as_bool().unwrap_or(false), v["remoteError"].as_str()) {
        (true, None) => println!("  remote: reachable"),
        (true, Some(note)) => println!("  remote: reachable; {note}"),
        (false, Some(e)) => println!("  remote: NOT reachable: {e}"),
        (false, None) => println!("  remote: not reachable"),
    }
    if v["paused"].as_bool().unwrap_or(false) {
        println!("  paused: resume with `wsync resume {}`", s("id"));
    }
    if let Some(state) = v["engine"]["state"].as_str() {
        println!("  engine: {state}");
    }
    match v["lastResult"].as_str() {
        Some(r) => {
            let when = s("lastSync");
            println!("  last sync: {r} at {when}");
            if let Some(e) = v["lastError"].as_str() {
                println!("    {e}");
            }
            if let Some(b) = v["lastBlocked"].as_object() {
                println!("    {}", b.get("message").and_then(|m| m.as_str()).unwrap_or(""));
                println!("    to go on: {}", b.get("fix").and_then(|m| m.as_str()).unwrap_or(""));
            }
        }
        None => println!("  last sync: never"),
    }
    let conflicts = v["unresolvedConflicts"].as_array().cloned().unwrap_or_default();
    if conflicts.is_empty() {
        println!("  conflicts: none");
    } else {
        println!("  conflicts: {} unresolved", conflicts.len());
        for c in conflicts {
            println!("    {}: this computer's version is {}, the cloud's is {}", c["path"].as_str().unwrap_or(""), c["localCopy"].as_str().unwrap_or(""), c["remoteCopy"].as_str().unwrap_or(""));
        }
        println!("    settle them with `wsync resolve {} PATH --keep local|remote|both`", s("id"));
    }
    match v["nextSync"].as_str() {
        Some(n) => println!("  next timed sync: {n} (every {} s)", v["interval"]),
        None => println!("  next timed sync: none (interval 0)"),
    }
}
