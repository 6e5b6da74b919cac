//! One-way runs. `pull` makes this computer match the cloud (`rclone
//! sync`): a dry run first lists what it would delete, and the same guards
//! as a two-way sync apply (a vanished or emptied cloud folder, more than
//! `maxDeletePercent` deleted), so a mass deletion waits for the person;
//! every local file it replaces or deletes is kept. `push` copies this
//! computer's new and changed files up (`rclone copy --update`: it never
//! deletes in the cloud and never replaces a newer cloud file); every cloud
//! file it replaces is kept in the cloud's versions area.

use super::guards::{self, Stop, Verdict};
use super::interpret::Interpreter;
use super::job::Job;
use crate::config::SyncDirection;
use crate::error::{Error, Result};
use crate::events::{Direction, SyncEvent};
use crate::rclone::{ExitKind, Level};
use crate::remote::{check_remote, RemoteCheck};
use crate::report::{BlockedReason, SyncReport, SyncResult};

fn base(job: &Job, sub: &str, src: &str, dst: &str) -> crate::rclone::Invocation {
    job.rclone(sub).arg(src).arg(dst).args(["--partial-suffix", super::job::PARTIAL_SUFFIX, "--stats", "1s", "-v"]).args(job.filter_flags())
}

/// The local files a pull would delete (from its dry run).
fn pull_deletions(job: &Job) -> Result<Vec<String>> {
    let out = base(job, "sync", &job.remote.root, &job.local_arg()).arg("--dry-run").run(Some(job.cancel), &mut |_| {})?;
    match out.kind {
        ExitKind::Success | ExitKind::NoTransfers => {}
        ExitKind::Interrupted => return Err(Error::Interrupted),
        _ => return Err(crate::remote::classify_error(&out.error_text()).into_error(&job.remote)),
    }
    // rclone names each file it would delete at notice level.
    Ok(out
        .lines
        .iter()
        .filter(|l| l.level >= Level::Notice && l.msg.starts_with("Skipped delete as --dry-run is set"))
        .filter_map(|l| l.object.clone())
        .collect())
}

fn local_total(job: &Job) -> u64 {
    fn walk(dir: &std::path::Path) -> u64 {
        std::fs::read_dir(dir)
            .map(|rd| rd.flatten().map(|e| if e.file_type().map(|t| t.is_dir()).unwrap_or(false) { walk(&e.path()) } else { 1 }).sum())
            .unwrap_or(0)
    }
    walk(&job.local)
}

/// The guards of a pull: nothing is deleted without the person when the
/// cloud folder is gone or empty, or too much would go.
fn guard_pull(job: &Job, report: &mut SyncReport) -> Result<bool> {
    let check = check_remote(&job.ctx.rclone, &job.remote, Some(job.cancel));
    let missing = match &check {
        RemoteCheck::Missing => true,
        RemoteCheck::Reachable { .. } => false,
        other => return Err(other.clone().into_error(&job.remote)),
    };
    let total = local_total(job);
    let files = if missing { Vec::new() } else { pull_deletions(job)? };
    let (reason, message) = if missing {
        (BlockedReason::RemoteMissing, format!("the cloud folder is missing; pulling would empty this folder ({total} files)"))
    } else if check == (RemoteCheck::Reachable { entries: 0 }) && total > 0 {
        (BlockedReason::RemoteEmpty, format!("the cloud folder is empty; pulling would delete all {} files on this computer", files.len()))
    } else if files.len() as u64 * 100 > total * u64::from(job.folder.max_delete_percent) {
        (
            BlockedReason::TooManyDeletes,
            format!(
                "pulling would delete {} on this computer, more than the {}% limit",
                guards::of_total(files.len(), total),
                job.folder.max_delete_percent
            ),
        )
    } else {
        return Ok(true);
    };
    if missing && total == 0 {
        return Ok(true);
    }
    let stop = Stop { reason, message, files, total: Some(total) };
    let verdict = if job.opts.dry_run { Verdict::Blocked(guards::block(job, stop, None)?) } else { guards::decide(job, stop)? };
    match verdict {
        Verdict::Proceed => Ok(true),
        Verdict::Blocked(b) => {
            report.result = SyncResult::Blocked;
            report.blocked = Some(b);
            Ok(false)
        }
    }
}

pub fn run(job: &Job, direction: SyncDirection, report: &mut SyncReport) -> Result<()> {
    job.sink.emit(SyncEvent::Started { folder: job.folder.id.clone(), first_sync: false, dry_run: job.opts.dry_run });
    let pull = direction == SyncDirection::Pull;
    if pull && !guard_pull(job, report)? {
        return Ok(());
    }
    job.phase(if pull { "Pulling from the cloud" } else { "Pushing to the cloud" });
    let mut cmd = if pull {
        base(job, "sync", &job.remote.root, &job.local_arg()).arg("--backup-dir").arg(job.local_versions.to_string_lossy().to_string())
    } else {
        let cloud_backup = format!("{}:{}", crate::remote::REMOTE_NAME, job.cloud_versions);
        base(job, "copy", &job.local_arg(), &job.remote.root).arg("--update").arg("--backup-dir").arg(cloud_backup)
    };
    if job.opts.dry_run {
        cmd = cmd.arg("--dry-run");
    }
    let mut interp = Interpreter::new(&job.folder.id, job.sink, Some(if pull { Direction::ToLocal } else { Direction::ToRemote }));
    let out = cmd.run(Some(job.cancel), &mut |l| interp.feed(l))?;
    report.to_local = interp.to_local;
    report.to_remote = interp.to_remote;
    match out.kind {
        ExitKind::Success | ExitKind::NoTransfers => {
            report.result = SyncResult::Ok;
            Ok(())
        }
        ExitKind::Interrupted => Err(Error::Interrupted),
        _ => Err(crate::remote::classify_error(&out.error_text()).into_error(&job.remote)),
    }
}
