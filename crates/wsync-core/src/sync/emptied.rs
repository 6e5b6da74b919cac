//! A side that was emptied (or is gone) although the last sync saw files
//! in it: on this computer (a person deleted everything, or a drive is not
//! mounted) or in the cloud (wrong account, deleted bucket). bisync refuses
//! to sync to an empty side; we block instead, list what going ahead would
//! delete on the other side (the files of the last sync that are still
//! there), and with the person's confirmation move exactly those into that
//! side's versions area. Files new since the last sync stay and sync.

use super::classify::Path;
use super::guards::{self, Stop, Verdict};
use super::interpret::Interpreter;
use super::job::Job;
use super::records;
use crate::error::{Error, Result};
use crate::events::Direction;
use crate::rclone::ExitKind;
use crate::remote::{check_remote, RemoteCheck};
use crate::report::{BlockedReason, SyncReport, SyncResult};

/// Does this failure say the cloud folder is gone?
pub fn remote_gone(job: &Job, text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    (t.contains("directory not found") || t.contains("nosuchbucket") || t.contains("not found"))
        && check_remote(&job.ctx.rclone, &job.remote, Some(job.cancel)) == RemoteCheck::Missing
}

/// The files of the last sync still on this computer.
fn local_files(job: &Job) -> Vec<String> {
    let prior = records::prior(&job.workdir, Path::One);
    prior
        .map(|l| l.files().filter(|e| std::fs::symlink_metadata(job.local.join(&e.name)).map(|m| !m.is_dir()).unwrap_or(false)).map(|e| e.name.clone()).collect())
        .unwrap_or_default()
}

/// The files of the last sync still in the cloud folder.
fn remote_files(job: &Job) -> Result<Vec<String>> {
    let out = job.rclone("lsf").arg(&job.remote.root).args(["-R", "--files-only"]).args(job.filter_flags()).run(Some(job.cancel), &mut |_| {})?;
    if !out.success() {
        return Err(crate::remote::classify_error(&out.error_text()).into_error(&job.remote));
    }
    let now: std::collections::HashSet<&str> = out.stdout.lines().filter(|l| !l.is_empty()).collect();
    let prior = records::prior(&job.workdir, Path::Two);
    Ok(prior.map(|l| l.files().filter(|e| now.contains(e.name.as_str())).map(|e| e.name.clone()).collect()).unwrap_or_default())
}

/// Block on an emptied side, or with the person's confirmation make the
/// other side match it (then the records start afresh).
/// Returns whether the sync goes on as a fresh merge (the person confirmed:
/// the other side's files were kept away and the records dropped).
pub fn handle(job: &Job, side: Path, report: &mut SyncReport) -> Result<bool> {
    let stop = match side {
        Path::One => {
            let before = records::prior(&job.workdir, Path::One).map(|l| l.files().count()).unwrap_or(0);
            let files = remote_files(job)?;
            Stop {
                reason: BlockedReason::LocalEmpty,
                message: format!(
                    "all {before} files in this folder on this computer were deleted since the last sync; syncing would delete {} file(s) in the cloud",
                    files.len()
                ),
                files,
                total: Some(before as u64),
            }
        }
        Path::Two => {
            let missing = check_remote(&job.ctx.rclone, &job.remote, Some(job.cancel)) == RemoteCheck::Missing;
            let before = records::prior(&job.workdir, Path::Two).map(|l| l.files().count()).unwrap_or(0);
            let files = local_files(job);
            Stop {
                reason: if missing { BlockedReason::RemoteMissing } else { BlockedReason::RemoteEmpty },
                message: format!(
                    "the cloud folder is {} although it held {before} file(s) at the last sync; syncing would delete {} file(s) on this computer",
                    if missing { "missing" } else { "empty" },
                    files.len()
                ),
                files,
                total: Some(before as u64),
            }
        }
    };
    if job.opts.dry_run {
        report.result = SyncResult::Blocked;
        report.blocked = Some(guards::block(job, stop, None)?);
        return Ok(false);
    }
    match guards::decide(job, stop)? {
        Verdict::Blocked(b) => {
            report.result = SyncResult::Blocked;
            report.blocked = Some(b);
            Ok(false)
        }
        Verdict::Proceed => {
            let files = match side {
                Path::One => remote_files(job)?,
                Path::Two => local_files(job),
            };
            keep_away(job, side, &files, report)?;
            records::remove(&job.workdir)?;
            report.first_sync = true;
            Ok(true)
        }
    }
}

/// Move `files` of the side opposite the emptied one into that side's
/// versions area (a server-side move in the cloud).
fn keep_away(job: &Job, emptied: Path, files: &[String], report: &mut SyncReport) -> Result<()> {
    if emptied == Path::Two && check_remote(&job.ctx.rclone, &job.remote, Some(job.cancel)) == RemoteCheck::Missing {
        job.create_remote_dir()?;
    }
    if files.is_empty() {
        return Ok(());
    }
    let (src, dst, dir) = match emptied {
        Path::Two => {
            job.phase("Deleting on this computer what was deleted in the cloud");
            (job.local_arg(), job.local_versions.to_string_lossy().into_owned(), Direction::ToLocal)
        }
        Path::One => {
            job.phase("Deleting in the cloud what was deleted on this computer");
            (job.remote.root.clone(), format!("{}:{}", crate::remote::REMOTE_NAME, job.cloud_versions), Direction::ToRemote)
        }
    };
    let mut interp = Interpreter::new(&job.folder.id, job.sink, Some(dir));
    let out = job
        .rclone("move")
        .arg(&src)
        .arg(&dst)
        .args(["--files-from", "-", "--no-traverse", "--stats", "1s", "-v"])
        .stdin(&files.join("\n"))
        .run(Some(job.cancel), &mut |l| interp.feed(l))?;
    match out.kind {
        ExitKind::Success | ExitKind::NoTransfers => {}
        ExitKind::Interrupted => return Err(Error::Interrupted),
        _ => return Err(crate::remote::classify_error(&out.error_text()).into_error(&job.remote)),
    }
    let counts = if dir == Direction::ToLocal { &mut report.to_local } else { &mut report.to_remote };
    counts.deleted += files.len() as u64;
    for f in files {
        job.sink.emit(crate::events::SyncEvent::FileChanged {
            folder: job.folder.id.clone(),
            path: f.clone(),
            direction: dir,
            action: crate::events::FileAction::Deleted,
            size: None,
        });
    }
    Ok(())
}

/// Remove the partial transfer files a killed run left on both sides (they
/// are never synced, so nothing else would).
pub fn sweep_partials(job: &Job) {
    fn walk(dir: &std::path::Path, n: &mut usize) {
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        for e in rd.flatten() {
            let p = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => walk(&p, n),
                Ok(_) if p.to_string_lossy().ends_with(super::job::PARTIAL_SUFFIX) => {
                    if std::fs::remove_file(&p).is_ok() {
                        *n += 1;
                    }
                }
                _ => {}
            }
        }
    }
    let mut n = 0;
    walk(&job.local, &mut n);
    let pattern = format!("*{}", super::job::PARTIAL_SUFFIX);
    let _ = job.rclone("delete").arg(&job.remote.root).args(["--include", &pattern]).run(Some(job.cancel), &mut |_| {});
    if n > 0 {
        job.warn(format!("removed {n} partial file(s) left on this computer by a sync that was killed"));
    }
}
