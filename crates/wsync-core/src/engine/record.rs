//! A sync with its history: the run, its per-file changes and its
//! conflicts go to the journal. Used by the engine and by the CLI when no
//! engine host runs.

use std::sync::Mutex;

use crate::cancel::CancelToken;
use crate::config::FolderConfig;
use crate::events::{EventSink, SyncEvent};
use crate::journal::{ChangeInput, ConflictInfo, Journal};
use crate::report::SyncReport;
use crate::sync::{sync_folder, Context, SyncOptions};

/// Sizes and times of the two copies of a conflict, read from this
/// computer (after a sync both sides hold both copies).
fn conflict_info(folder: &FolderConfig, c: &crate::report::ConflictReport) -> ConflictInfo {
    let local = folder.local_dir();
    let stat = |rel: &str| {
        let m = std::fs::metadata(local.join(rel)).ok()?;
        let t: chrono::DateTime<chrono::Utc> = m.modified().ok()?.into();
        Some((m.len(), t.to_rfc3339()))
    };
    let l = stat(&c.local_copy);
    let r = stat(&c.remote_copy);
    ConflictInfo {
        path: c.path.clone(),
        local_copy: c.local_copy.clone(),
        remote_copy: c.remote_copy.clone(),
        local_size: l.as_ref().map(|x| x.0),
        local_mtime: l.map(|x| x.1),
        remote_size: r.as_ref().map(|x| x.0),
        remote_mtime: r.map(|x| x.1),
        policy: folder.conflict_resolve.key().to_string(),
    }
}

/// How long settling a conflict waits for a running sync of the folder.
pub const LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_secs(120);

/// Changed files written to the journal per transaction.
const CHANGE_BATCH: usize = 500;

/// Run one sync and record it. Journal failures are reported as warnings,
/// never fail the sync.
pub fn sync_recorded(
    ctx: &Context,
    journal: &Mutex<Journal>,
    folder: &FolderConfig,
    opts: SyncOptions,
    trigger: &str,
    sink: &dyn EventSink,
    cancel: &CancelToken,
) -> SyncReport {
    if opts.dry_run {
        return sync_folder(ctx, folder, opts, sink, cancel);
    }
    let warn = |what: &str, e: &dyn std::fmt::Display| {
        sink.emit(SyncEvent::Warning { folder: folder.id.clone(), message: format!("the history could not be {what}: {e}") })
    };
    let run_id = match journal.lock().map_err(|e| e.to_string()).and_then(|j| j.start_run(&folder.id, trigger).map_err(|e| e.to_string())) {
        Ok(id) => Some(id),
        Err(e) => {
            warn("written", &e);
            None
        }
    };
    // Changes are written in batches: one transaction per few hundred files.
    let batch: Mutex<Vec<ChangeInput>> = Mutex::new(Vec::new());
    let flush = |changes: &mut Vec<ChangeInput>| {
        if let (Some(id), Ok(j)) = (run_id, journal.lock()) {
            if let Err(e) = j.record_changes(id, &folder.id, changes) {
                warn("written", &e);
            }
        }
        changes.clear();
    };
    let recording = |ev: SyncEvent| {
        if let SyncEvent::FileChanged { path, direction, action, size, .. } = &ev {
            if run_id.is_some() {
                if let Ok(mut b) = batch.lock() {
                    b.push(ChangeInput { path: path.clone(), direction: *direction, action: *action, size: *size });
                    if b.len() >= CHANGE_BATCH {
                        flush(&mut b);
                    }
                }
            }
        }
        sink.emit(ev);
    };
    let report = sync_folder(ctx, folder, opts, &recording, cancel);
    if let Ok(mut b) = batch.lock() {
        flush(&mut b);
    }
    if let Ok(j) = journal.lock() {
        if let Some(id) = run_id {
            if let Err(e) = j.finish_run(id, &report) {
                warn("saved", &e);
            }
        }
        // Every conflict stays open until the person settles it: the policy
        // only chose which version keeps the name meanwhile.
        for c in &report.conflicts {
            if let Err(e) = j.record_conflict(&folder.id, &conflict_info(folder, c)) {
                warn("saved", &e);
            }
        }
        // A conflict copy the person deleted or renamed by hand is settled.
        if let Ok(open) = j.open_conflicts(Some(&folder.id)) {
            let local = folder.local_dir();
            for c in open {
                if !local.join(&c.local_copy).exists() || !local.join(&c.remote_copy).exists() {
                    let _ = j.resolve_conflict(c.id, "gone");
                }
            }
        }
    }
    report
}

/// How many conflicts of a folder wait for the person.
pub fn open_conflict_count(journal: &Mutex<Journal>, folder: &str) -> usize {
    journal.lock().ok().and_then(|j| j.open_conflicts(Some(folder)).ok()).map(|v| v.len()).unwrap_or(0)
}

/// Apply the person's choice to one conflict (`path`) or all of a folder's
/// open conflicts, then sync so that both sides hold the result. Returns how
/// many were settled and the sync's reports.
pub async fn resolve(
    handle: &super::EngineHandle,
    folder: &str,
    path: Option<&str>,
    keep: crate::resolve::Keep,
) -> crate::error::Result<(usize, Vec<SyncReport>)> {
    let cfg = handle.folder(folder).ok_or_else(|| crate::error::Error::UnknownFolder {
        id: folder.to_string(),
        config: "the running engine's config".into(),
        known: handle.folders().iter().map(|f| f.id.clone()).collect::<Vec<_>>().join(", "),
    })?;
    // Settled with the folder's lock held (waiting for a running sync), off
    // the async threads.
    let h = handle.clone();
    let path_owned = path.map(str::to_string);
    let n = tokio::task::spawn_blocking(move || apply_choice(h.journal(), &cfg, path_owned.as_deref(), keep))
        .await
        .map_err(|e| crate::error::Error::Busy(format!("settling the conflict stopped unexpectedly: {e}")))??;
    let reports = handle.sync(Some(folder), SyncOptions::default()).await?;
    Ok((n, reports))
}

/// Settle open conflicts of `folder` in the files and the journal (no sync).
pub fn apply_choice(journal: &Mutex<Journal>, folder: &FolderConfig, path: Option<&str>, keep: crate::resolve::Keep) -> crate::error::Result<usize> {
    let open = journal
        .lock()
        .map_err(|_| crate::error::Error::Busy("the journal is unavailable".into()))?
        .open_conflicts(Some(&folder.id))?;
    let chosen: Vec<_> = open.into_iter().filter(|c| path.map(|p| c.path == p || c.local_copy == p || c.remote_copy == p).unwrap_or(true)).collect();
    if chosen.is_empty() {
        return Err(crate::error::Error::Config(match path {
            Some(p) => format!("no open conflict for {p} in folder \"{}\"; see `wsync conflicts {}`", folder.id, folder.id),
            None => format!("folder \"{}\" has no open conflicts", folder.id),
        }));
    }
    let _lock = crate::folder_lock::FolderLock::acquire_within(&crate::paths::workdir(&folder.id), &folder.id, LOCK_PATIENCE)?;
    let local = folder.local_dir();
    let mut n = 0;
    for c in chosen {
        let report = crate::report::ConflictReport { path: c.path.clone(), local_copy: c.local_copy.clone(), remote_copy: c.remote_copy.clone() };
        let outcome = crate::resolve::apply(&folder.id, &local, &report, keep)?;
        let resolution = if outcome == crate::resolve::Outcome::AlreadySettled { "gone" } else { keep.key() };
        if let Ok(j) = journal.lock() {
            j.resolve_conflict(c.id, resolution)?;
        }
        n += 1;
    }
    Ok(n)
}
