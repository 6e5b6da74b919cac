//! Syncing one folder: the entry point that the CLI, the daemon and the
//! tray app call. It checks the local folder and the remote, takes the
//! folder's lock, and runs the first-sync merge, a bisync, or a one-way
//! pull/push, returning a report and never panicking on outside input.

mod bisync;
mod compare;
mod first;
mod interpret;
mod lock;
mod names;
mod oneway;
mod preflight;

use std::path::{Path, PathBuf};
use std::time::Instant;

pub use compare::Comparison;
pub use lock::{clear_stale_bisync_locks, FolderLock, StaleLocks};
pub use names::{conflict_name, is_conflict_copy, Side};
pub use preflight::{check_remote, RemoteCheck};

use crate::cancel::CancelToken;
use crate::config::FolderConfig;
use crate::error::{Error, Result};
use crate::events::{EventSink, SyncEvent};
use crate::rclone::Rclone;
use crate::remote::{self, RemoteDef};
use crate::report::{SyncReport, SyncResult};
use crate::secrets::Secrets;
use crate::{paths, redact, state};

/// What every sync needs: the rclone binary and the secret resolver.
pub struct Context {
    pub rclone: Rclone,
    pub secrets: Secrets,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SyncDirection {
    /// Two-way sync (bisync).
    #[default]
    Both,
    /// Make this computer match the cloud (replaced or deleted local files are kept).
    Pull,
    /// Copy this computer's new and changed files up; never deletes in the cloud.
    Push,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncOptions {
    pub direction: SyncDirection,
    /// Merge both sides again from scratch (the first-sync path).
    pub resync: bool,
    pub dry_run: bool,
    /// The person confirmed the deletions a safety guard stopped.
    pub confirm_deletes: bool,
}

/// Exclusions added to every folder's own list: rclone's partial files.
pub const PARTIAL_SUFFIX: &str = ".wsync-partial";

/// Everything a run of one folder works with.
pub(crate) struct Job<'a> {
    pub ctx: &'a Context,
    pub folder: &'a FolderConfig,
    pub local: PathBuf,
    pub remote: RemoteDef,
    pub workdir: PathBuf,
    pub opts: SyncOptions,
    pub sink: &'a dyn EventSink,
    pub cancel: &'a CancelToken,
}

impl Job<'_> {
    /// `--exclude` flags: the folder's list plus our partial files.
    pub fn filter_flags(&self) -> Vec<String> {
        let mut out = Vec::new();
        for pat in &self.folder.exclude {
            out.push("--exclude".to_string());
            out.push(pat.clone());
        }
        out.push("--exclude".into());
        out.push(format!("*{PARTIAL_SUFFIX}"));
        out
    }

    pub fn local_arg(&self) -> String {
        self.local.to_string_lossy().into_owned()
    }

    pub fn phase(&self, text: &str) {
        self.sink.emit(SyncEvent::Phase { folder: self.folder.id.clone(), phase: text.to_string() });
    }

    pub fn warn(&self, text: String) {
        self.sink.emit(SyncEvent::Warning { folder: self.folder.id.clone(), message: redact::redact(&text) });
    }

    /// Create the remote folder (or bucket path).
    pub fn create_remote_dir(&self) -> Result<()> {
        self.phase("Creating the remote folder");
        let out = self.ctx.rclone.command("mkdir").arg(&self.remote.root).remote(&self.remote).run(Some(self.cancel), &mut |_| {})?;
        if out.success() {
            Ok(())
        } else {
            Err(Error::Remote(format!("cannot create the folder {} on {}: {}", self.remote.root, self.remote.display, out.error_text())))
        }
    }

    /// A fresh directory of kept versions for one run, named by its time,
    /// so that versions of the same file never overwrite each other.
    pub fn versions_run_dir(&self) -> PathBuf {
        crate::versions::new_run_dir(&self.folder.id)
    }
}

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
    let initialized = state::load(&folder.id).initialized;
    if let Err(e) = run(ctx, folder, opts, sink, cancel, initialized, &mut report) {
        report.result = SyncResult::Failed;
        report.error = Some(redact::redact(&e.to_string()));
        report.error_code = Some(e.code().to_string());
    }
    report.duration_ms = started.elapsed().as_millis() as u64;
    report.finished_at = chrono::Utc::now().to_rfc3339();
    if !opts.dry_run {
        // Read again: the person may have paused the folder meanwhile.
        let mut st = state::load(&folder.id);
        if matches!(report.result, SyncResult::Ok | SyncResult::Conflicts) {
            st.last_success = Some(report.finished_at.clone());
            if opts.direction == SyncDirection::Both {
                st.initialized = true;
            }
        }
        st.last_report = Some(report.clone());
        if let Err(e) = state::save(&folder.id, &st) {
            sink.emit(SyncEvent::Warning { folder: folder.id.clone(), message: format!("could not save the folder's state: {e}") });
        }
    }
    sink.emit(SyncEvent::Finished { report: report.clone() });
    report
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
        return Err(Error::NeedsLogin(format!(
            "folder \"{}\" is not logged in to {}; log in with `wsync login {}`, or reference an environment variable for its secret in the config",
            folder.id, remote.display, folder.id
        )));
    }
    let workdir = paths::workdir(&folder.id);
    paths::create_private_dir(&workdir).map_err(|e| Error::io(format!("cannot create {}", workdir.display()), e))?;
    let _lock = FolderLock::acquire(&workdir, &folder.id)?;
    let job = Job { ctx, folder, local, remote, workdir, opts, sink, cancel };
    if let StaleLocks::Removed(pids) = clear_stale_bisync_locks(&job.workdir, &folder.id)? {
        job.warn(format!("removed a lock left by a sync that did not finish (process {pids:?} is gone)"));
    }
    match opts.direction {
        SyncDirection::Pull | SyncDirection::Push => oneway::run(&job, report),
        SyncDirection::Both => {
            let listings = bisync::listing_state(&job.workdir);
            let first = opts.resync || listings != bisync::Listings::Present;
            sink.emit(SyncEvent::Started { folder: folder.id.clone(), first_sync: first, dry_run: opts.dry_run });
            report.first_sync = first;
            job.phase("Checking the remote");
            let check = preflight::check_remote(&job.ctx.rclone, &job.remote, Some(cancel));
            match check {
                RemoteCheck::Reachable { .. } | RemoteCheck::Missing => {}
                other => return Err(other.into_error(&job.remote)),
            }
            if first {
                // Listings lost after a successful sync: deletions since then
                // cannot be told from new files, so the person decides.
                if listings == bisync::Listings::Missing && initialized && !opts.resync && !opts.confirm_deletes {
                    report.result = SyncResult::Blocked;
                    report.blocked = Some(bisync::listings_lost(&folder.id));
                    return Ok(());
                }
                return first::run(&job, &check, report);
            }
            match bisync::remote_vanished(&job, &check) {
                Some(b) if !opts.confirm_deletes => {
                    report.result = SyncResult::Blocked;
                    report.blocked = Some(b);
                    Ok(())
                }
                Some(_) if opts.dry_run => Ok(()),
                Some(_) => {
                    bisync::accept_remote_deletions(&job, &check, report)?;
                    report.first_sync = true;
                    first::run(&job, &RemoteCheck::Reachable { entries: 0 }, report)
                }
                None => bisync::run(&job, report),
            }
        }
    }
}
