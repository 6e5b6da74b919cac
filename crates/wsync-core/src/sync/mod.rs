//! Syncing one folder: the entry point that the CLI, the daemon and the
//! tray app call. It takes the folder's lock, checks the local folder and
//! the remote, and runs the fast path for a few saves, a bisync, the
//! first-sync merge, or a one-way pull/push, returning a report and never
//! panicking on outside input. Every path that deletes or replaces files
//! goes through the same guards ([`guards`]) and keeps the old versions
//! on both sides.

mod bisync;
mod classify;
mod compare;
mod emptied;
mod fast;
mod first;
mod guards;
mod hashstage;
mod interpret;
mod job;
pub mod listings;
mod lock;
mod names;
mod oneway;
mod recheck;
mod records;
mod renames;

use std::path::{Path, PathBuf};
use std::time::Instant;

pub use crate::state::CachedComparison;
pub use compare::Comparison;
pub use job::{Context, SyncOptions, PARTIAL_SUFFIX};
pub use crate::folder_lock::FolderLock;
pub use hashstage::sweep as sweep_staged_hashes;
pub use lock::{clear_stale_bisync_locks, StaleLocks};
pub use names::{conflict_name, is_conflict_copy, Side};

pub use crate::config::SyncDirection;

use job::Job;

use crate::cancel::CancelToken;
use crate::config::FolderConfig;
use crate::error::{Error, Result};
use crate::events::{EventSink, SyncEvent};
use crate::remote::{self, check_remote, RemoteCheck};
use crate::report::{SyncReport, SyncResult};
use crate::{paths, state};

/// Check that the local folder exists and is a directory. A missing folder
/// is never treated as empty: it may be an unmounted drive.
pub fn check_local(folder: &FolderConfig, config_path: Option<&Path>) -> Result<PathBuf> {
    let local = folder.local_dir();
    let hint = config_path.map(|p| format!(" in {}", p.display())).unwrap_or_default();
    match std::fs::metadata(&local) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(Error::LocalFolder(format!(
                "the local path {} of folder \"{}\" is a file, not a folder; fix localPath{hint}",
                local.display(),
                folder.id
            )))
        }
        Err(_) => {
            return Err(Error::LocalFolder(format!(
                "the local folder {} of \"{}\" does not exist; create it (mkdir -p {}) or fix localPath{hint}",
                local.display(),
                folder.id,
                local.display()
            )))
        }
    }
    // Resolve symlinks so that one folder always has one spelling.
    std::fs::canonicalize(&local).map_err(|e| Error::io(format!("cannot resolve {}", local.display()), e))
}

/// Sync one folder. Always returns a report; failures are in it.
pub fn sync_folder(
    ctx: &Context,
    folder: &FolderConfig,
    opts: SyncOptions,
    sink: &dyn EventSink,
    cancel: &CancelToken,
) -> SyncReport {
    let started = Instant::now();
    let mut report = SyncReport::new(&folder.id);
    report.dry_run = opts.dry_run;
    // The folder's lock is held from before its state is read until after
    // the result is saved, so that nothing changes the folder in between.
    let workdir = paths::workdir(&folder.id);
    let lock = FolderLock::acquire(&workdir, &folder.id);
    if let Ok(_lock) = &lock {
        // Per-run configs of runs that were killed go first (their
        // refreshed tokens to the keychain).
        crate::rclone::sweep_stale_configs(ctx.secrets.store());
        let outcome = state::load(&folder.id).and_then(|st| run(ctx, folder, opts.clone(), sink, cancel, st.initialized, &mut report));
        if let Err(e) = outcome {
            report.fail(&e);
        }
        report.duration_ms = started.elapsed().as_millis() as u64;
        report.finished_at = chrono::Utc::now().to_rfc3339();
        if !opts.dry_run {
            save_result(folder, &opts, &report, sink);
        }
    } else if let Err(e) = lock {
        report.fail(&e);
        report.finished_at = chrono::Utc::now().to_rfc3339();
    }
    sink.emit(SyncEvent::Finished { report: report.clone() });
    report
}

/// Keep the run's result in the folder's state (read again: the person
/// may have paused the folder meanwhile).
fn save_result(folder: &FolderConfig, opts: &SyncOptions, report: &SyncReport, sink: &dyn EventSink) {
    let two_way = effective_direction(folder, opts) == SyncDirection::Both;
    let saved = state::update(&folder.id, |st| {
        if matches!(report.result, SyncResult::Ok | SyncResult::Conflicts) {
            st.last_success = Some(report.finished_at.clone());
            if two_way {
                st.initialized = true;
                // A completed two-way sync settles every confirmation.
                st.pending = None;
                st.confirmed = None;
            }
        }
        st.last_report = Some(report.clone());
    });
    if let Err(e) = saved {
        sink.emit(SyncEvent::Warning { folder: folder.id.clone(), message: format!("could not save the folder's state: {e}") });
    }
}

/// The direction of a run: as asked, or the folder's own for a plain sync.
pub fn effective_direction(folder: &FolderConfig, opts: &SyncOptions) -> SyncDirection {
    if opts.direction == SyncDirection::Both {
        folder.direction
    } else {
        opts.direction
    }
}

fn run(
    ctx: &Context,
    folder: &FolderConfig,
    opts: SyncOptions,
    sink: &dyn EventSink,
    cancel: &CancelToken,
    initialized: bool,
    report: &mut SyncReport,
) -> Result<()> {
    let local = check_local(folder, None)?;
    let remote = remote::build(folder, &ctx.rclone, &ctx.secrets)?;
    if !remote.logged_in {
        return Err(Error::needs_login(
            &folder.id,
            format!("folder \"{}\" is not logged in to {} (or reference an environment variable for its secret in the config)", folder.id, remote.display),
        ));
    }
    let workdir = paths::workdir(&folder.id);
    // A run that did not end cleanly left its owner file behind.
    let killed_before = lock::owner_file(&workdir).exists();
    if let Some(pid) = lock::end_orphaned_child(&workdir) {
        sink.emit(SyncEvent::Warning { folder: folder.id.clone(), message: format!("ended rclone process {pid}, left running by a sync that was killed") });
    }
    let comparison = compare::choose(&ctx.rclone, &remote, folder);
    let sides = job::Sides::new(folder, &local, &remote, &comparison);
    let cloud_versions = crate::versions::cloud::new_run_dir(&remote);
    let job = Job {
        ctx,
        folder,
        local,
        remote,
        workdir,
        opts: opts.clone(),
        sink,
        cancel,
        comparison,
        sides,
        local_versions: crate::versions::new_run_dir(&folder.id),
        cloud_versions,
    };
    if killed_before {
        emptied::sweep_partials(&job);
        hashstage::sweep(job.sides.cache_dir());
    }
    if let StaleLocks::Removed(pids) = clear_stale_bisync_locks(&job.workdir, &folder.id)? {
        job.warn(format!("removed a lock left by a sync that did not finish (process {pids:?} is gone)"));
    }
    let direction = effective_direction(folder, &opts);
    if direction != SyncDirection::Both {
        return oneway::run(&job, direction, report);
    }
    let started = recheck::now_ms();
    let outcome = two_way(&job, started, initialized, report);
    let recorded = outcome.is_ok() && !opts.dry_run && matches!(report.result, SyncResult::Ok | SyncResult::Conflicts);
    recheck::after(&job, started, recorded);
    outcome
}

/// A two-way run: the fast path, a bisync, or the first-sync merge.
fn two_way(job: &Job, started: i64, initialized: bool, report: &mut SyncReport) -> Result<()> {
    let (folder, opts, sink, cancel) = (job.folder, &job.opts, job.sink, job.cancel);
    let listings = records::state(&job.workdir);
    // A merge that did not finish is merged again (copies only).
    let interrupted = records::merge_interrupted(&job.workdir);
    let first = opts.resync || interrupted || listings != records::Listings::Present;
    sink.emit(SyncEvent::Started { folder: folder.id.clone(), first_sync: first, dry_run: opts.dry_run });
    report.first_sync = first;
    if !first && !opts.changed.is_empty() && !recheck::sweep_pending(job) {
        let hinted: Vec<String> = opts.changed.iter().filter_map(|p| crate::relpath::clean_rel(p, "path").ok()).collect();
        recheck::before(job, started, Some(&hinted))?;
        if fast::push(job, report)? {
            return Ok(());
        }
    }
    recheck::before(job, started, None)?;
    if !first {
        match bisync::run(job, report)? {
            bisync::After::Done => return Ok(()),
            bisync::After::Merge => report.first_sync = true,
            bisync::After::Emptied(side) => {
                if !emptied::handle(job, side, report)? {
                    return Ok(());
                }
                // Confirmed: the kept-away side is merged afresh.
                return first::run(job, &RemoteCheck::Reachable { entries: 0 }, report);
            }
        }
    }
    // Listings lost after a successful sync: deletions since then cannot
    // be told from new files, so the person decides.
    if listings == records::Listings::Missing && initialized && !interrupted && !opts.resync && !opts.confirm_deletes {
        report.result = SyncResult::Blocked;
        report.blocked = Some(guards::listings_lost(&folder.id));
        return Ok(());
    }
    job.phase("Checking the remote");
    let check = check_remote(&job.ctx.rclone, &job.remote, Some(cancel));
    match check {
        RemoteCheck::Reachable { .. } | RemoteCheck::Missing => first::run(job, &check, report),
        other => Err(other.into_error(&job.remote)),
    }
}
