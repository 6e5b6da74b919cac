//! `wsync conflicts` and `wsync resolve`.

use anyhow::{bail, Result};
use wsync_core::cancel::CancelToken;
use wsync_core::engine::host::{self, Request};
use wsync_core::engine::record::{apply_choice, sync_recorded};
use wsync_core::resolve::Keep;
use wsync_core::sync::SyncOptions;

use crate::cli::KeepArg;
use crate::output::{summary, TerminalSink};

pub fn list(config: Option<&std::path::Path>, folder: Option<&str>, as_json: bool) -> Result<i32> {
    let loaded = super::load_config(config)?;
    if let Some(id) = folder {
        loaded.folder(id)?;
    }
    let journal = super::journal()?;
    let open = journal.lock().map_err(|_| anyhow::anyhow!("the journal is unavailable"))?.open_conflicts(folder)?;
    if as_json {
        println!("{}", serde_json::to_string_pretty(&open)?);
        return Ok(if open.is_empty() { 0 } else { 3 });
    }
    if open.is_empty() {
        println!("no conflicts wait for you");
        return Ok(0);
    }
    for c in &open {
        println!("{}: {} changed on both sides (found {})", c.folder, c.path, c.found_at);
        println!("  this computer's version: {}", c.local_copy);
        println!("  the cloud's version:     {}", c.remote_copy);
        println!("  settle it: wsync resolve {} {:?} --keep local|remote|both", c.folder, c.path);
    }
    Ok(3)
}

pub fn resolve(config: Option<&std::path::Path>, folder: &str, path: Option<&str>, keep: KeepArg, all: bool) -> Result<i32> {
    if path.is_none() && !all {
        bail!("name the conflicted file, or pass --all to settle every conflict of \"{folder}\"");
    }
    if path.is_some() && all {
        bail!("give either a file or --all, not both");
    }
    let keep = match keep {
        KeepArg::Local => Keep::Local,
        KeepArg::Remote => Keep::Remote,
        KeepArg::Both => Keep::Both,
    };
    let loaded = super::load_config(config)?;
    let f = loaded.folder(folder)?;
    let reports = if let Some(client) = host::connect() {
        let req = Request::Resolve { folder: folder.to_string(), path: path.map(String::from), keep };
        let reply = client.request(&req, &mut |_| {})?.into_result()?;
        println!("{folder}: settled {} conflict(s)", reply.resolved.unwrap_or(0));
        reply.reports.unwrap_or_default()
    } else {
        let journal = super::journal()?;
        let n = apply_choice(&journal, f, path, keep)?;
        println!("{folder}: settled {n} conflict(s)");
        let ctx = super::context()?;
        let sink = TerminalSink::new(true);
        vec![sync_recorded(&ctx, &journal, f, SyncOptions::default(), "manual", &sink, &CancelToken::new())]
    };
    let mut code = 0;
    for r in reports {
        println!("{}", summary(&r));
        code = code.max(r.exit_code());
    }
    Ok(code)
}
