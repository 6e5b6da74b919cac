//! One-way runs: `pull` makes this computer match the cloud (`rclone sync`,
//! with every replaced or deleted local file kept in the versions area);
//! `push` copies this computer's new and changed files up (`rclone copy
//! --update`: it never deletes in the cloud and never replaces a newer
//! cloud file).

use super::interpret::Interpreter;
use super::{Job, SyncDirection};
use crate::error::{Error, Result};
use crate::events::{Direction, SyncEvent};
use crate::rclone::ExitKind;
use crate::report::{SyncReport, SyncResult};

pub fn run(job: &Job, report: &mut SyncReport) -> Result<()> {
    job.sink.emit(SyncEvent::Started { folder: job.folder.id.clone(), first_sync: false, dry_run: job.opts.dry_run });
    let (sub, src, dst, dir) = match job.opts.direction {
        SyncDirection::Pull => ("sync", job.remote.root.clone(), job.local_arg(), Direction::ToLocal),
        _ => ("copy", job.local_arg(), job.remote.root.clone(), Direction::ToRemote),
    };
    job.phase(if dir == Direction::ToLocal { "Pulling from the cloud" } else { "Pushing to the cloud" });
    let mut cmd = job.ctx.rclone.command(sub).arg(&src).arg(&dst).args(["--partial-suffix", super::PARTIAL_SUFFIX, "--stats", "1s", "-v"]).args(job.filter_flags());
    if dir == Direction::ToLocal {
        if !job.opts.dry_run {
            cmd = cmd.arg("--backup-dir").arg(job.versions_run_dir());
        }
    } else {
        cmd = cmd.arg("--update");
    }
    if job.opts.dry_run {
        cmd = cmd.arg("--dry-run");
    }
    let mut interp = Interpreter::new(&job.folder.id, job.sink, Some(dir));
    let out = cmd.remote(&job.remote).run(Some(job.cancel), &mut |l| interp.feed(l))?;
    report.to_local = interp.to_local;
    report.to_remote = interp.to_remote;
    match out.kind {
        ExitKind::Success | ExitKind::NoTransfers => {
            report.result = SyncResult::Ok;
            Ok(())
        }
        ExitKind::Interrupted => Err(Error::Interrupted),
        _ => Err(super::preflight::classify_error(&out.error_text()).into_error(&job.remote)),
    }
}
