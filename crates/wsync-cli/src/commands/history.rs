//! `wsync activity`, `wsync versions`, `wsync restore`.

use anyhow::Result;
use wsync_core::events::{Direction, FileAction};
use wsync_core::human::ago;
use wsync_core::versions;

pub fn activity(config: Option<&std::path::Path>, folder: Option<&str>, limit: usize, as_json: bool) -> Result<i32> {
    let loaded = super::load_config(config)?;
    if let Some(id) = folder {
        loaded.folder(id)?;
    }
    let journal = super::journal()?;
    let items = journal.lock().map_err(|_| anyhow::anyhow!("the journal is unavailable"))?.activity(folder, limit)?;
    if as_json {
        println!("{}", serde_json::to_string_pretty(&items)?);
        return Ok(0);
    }
    if items.is_empty() {
        println!("no changes yet");
    }
    for c in items {
        let verb = match (c.direction, c.action) {
            (Direction::ToRemote, FileAction::Copied) => "uploaded",
            (Direction::ToLocal, FileAction::Copied) => "downloaded",
            (Direction::ToRemote, FileAction::Deleted) => "deleted in the cloud",
            (Direction::ToLocal, FileAction::Deleted) => "deleted on this computer",
        };
        println!("{}: {} {verb} {}", c.folder, c.path, ago(&c.at));
    }
    Ok(0)
}

pub fn runs(config: Option<&std::path::Path>, folder: Option<&str>, limit: usize, as_json: bool) -> Result<i32> {
    let loaded = super::load_config(config)?;
    if let Some(id) = folder {
        loaded.folder(id)?;
    }
    let journal = super::journal()?;
    let runs = journal.lock().map_err(|_| anyhow::anyhow!("the journal is unavailable"))?.runs(folder, limit)?;
    if as_json {
        println!("{}", serde_json::to_string_pretty(&runs)?);
        return Ok(0);
    }
    for r in runs {
        let result = r.result.map(|x| x.key()).unwrap_or("running");
        println!(
            "{}: {} sync {} {}: ↓{} ✕{} ↑{} ✕{}{}",
            r.folder,
            r.trigger,
            ago(&r.started_at),
            result,
            r.to_local_copied,
            r.to_local_deleted,
            r.to_remote_copied,
            r.to_remote_deleted,
            r.error.map(|e| format!(" ({e})")).unwrap_or_default()
        );
    }
    Ok(0)
}

pub fn versions(config: Option<&std::path::Path>, folder: &str, path: Option<&str>, as_json: bool) -> Result<i32> {
    let manager = super::manager(config)?;
    let f = manager.folder(folder)?;
    let list = versions::list_all(manager.rclone(), manager.store(), &f, path)?;
    if as_json {
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(0);
    }
    if list.is_empty() {
        println!("no kept versions{}", path.map(|p| format!(" of {p}")).unwrap_or_default());
    }
    for v in list {
        let side = match v.side {
            versions::VersionSide::Local => "this computer",
            versions::VersionSide::Remote => "the cloud",
        };
        println!("{}  {:>10}  {:<13}  {}", v.kept_at, v.size, side, v.path);
    }
    Ok(0)
}

pub fn restore(config: Option<&std::path::Path>, folder: &str, path: &str, at: Option<&str>, side: Option<&str>) -> Result<i32> {
    let manager = super::manager(config)?;
    let f = manager.folder(folder)?;
    let v = versions::restore_any(manager.rclone(), manager.store(), &f, path, at, side)?;
    println!("{folder}: restored {} as kept at {}; the next sync carries it to the cloud", v.path, v.kept_at);
    Ok(0)
}

pub fn prune(config: Option<&std::path::Path>, folder: &str) -> Result<i32> {
    let loaded = super::load_config(config)?;
    let f = loaded.folder(folder)?;
    let ctx = super::context()?;
    let (local, cloud) = versions::prune_folder(&ctx.rclone, &ctx.secrets, f)?;
    println!("{folder}: removed {local} kept file(s) on this computer and {cloud} run folder(s) in the cloud older than {} days", f.keep_versions_days);
    Ok(0)
}
