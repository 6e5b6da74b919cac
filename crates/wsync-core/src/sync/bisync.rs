//! Running `rclone bisync` for a folder that has been synced before, and
//! turning its outcome into a report: counts, conflicts, and the safety
//! aborts as the `blocked` result with a plain explanation.

use std::path::Path;

use super::compare;
use super::interpret::Interpreter;
use super::names;
use super::preflight::RemoteCheck;
use super::{Job, PARTIAL_SUFFIX};
use crate::config::ConflictPolicy;
use crate::error::{Error, Result};
use crate::events::SyncEvent;
use crate::rclone::{ExitKind, Output};
use crate::report::{BlockedReport, SyncReport, SyncResult};

/// What the work dir holds of the previous run's listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listings {
    Missing,
    /// Listings of two empty sides: bisync cannot continue from them, and
    /// there is nothing to lose by merging again.
    Empty,
    Present,
}

fn listing_entries(path: &Path) -> usize {
    std::fs::read_to_string(path).map(|t| t.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).count()).unwrap_or(0)
}

/// The listing with `suffix`, or the copy bisync's `--recover` can use
/// (`-old` backup, `-err` after an interrupted run, `-new` mid-run).
fn find_listing(workdir: &Path, suffix: &str) -> Option<std::path::PathBuf> {
    let entries = std::fs::read_dir(workdir).ok()?;
    let names: Vec<std::path::PathBuf> = entries.flatten().map(|e| e.path()).collect();
    ["", "-old", "-err", "-new"]
        .iter()
        .find_map(|tail| names.iter().find(|p| p.to_string_lossy().ends_with(&format!("{suffix}{tail}"))))
        .cloned()
}

pub fn listing_state(workdir: &Path) -> Listings {
    match (find_listing(workdir, ".path1.lst"), find_listing(workdir, ".path2.lst")) {
        (Some(p1), Some(p2)) => {
            if listing_entries(&p1) == 0 && listing_entries(&p2) == 0 {
                Listings::Empty
            } else {
                Listings::Present
            }
        }
        _ => Listings::Missing,
    }
}

/// Most names a blocked report lists.
const MAX_LISTED: usize = 1000;

/// The file names of a bisync listing (the Go-quoted last field of each line).
fn listed_names(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.find(" \"").map(|i| l[i + 1..].to_string()))
        .map(|q| serde_json::from_str::<String>(&q).unwrap_or_else(|_| q.trim_matches('"').to_string()))
        .take(MAX_LISTED)
        .collect()
}

/// Files bisync found deleted on `side` ("Path1"/"Path2") before it stopped.
fn deleted_on(out: &Output, side: &str) -> Vec<String> {
    out.lines
        .iter()
        .filter(|l| l.msg.trim_start().starts_with(&format!("- {side}")) && l.msg.contains("File was deleted"))
        .filter_map(|l| l.msg.rfind(" - ").map(|i| l.msg[i + 3..].trim().to_string()))
        .take(MAX_LISTED)
        .collect()
}

/// How many files the last listing of the cloud side held.
fn remote_listing_count(workdir: &Path) -> usize {
    find_listing(workdir, ".path2.lst").map(|p| listing_entries(&p)).unwrap_or(0)
}

/// Forget the previous run's listings (the next bisync is a merge).
pub fn remove_listings(workdir: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(workdir) else { return Ok(()) };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.contains(".lst") {
            std::fs::remove_file(e.path()).map_err(|err| Error::io(format!("cannot remove {}", e.path().display()), err))?;
        }
    }
    Ok(())
}

/// The person confirmed that the cloud folder really is empty or gone:
/// make this computer match it, keeping every deleted file as a version.
pub fn accept_remote_deletions(job: &Job, check: &RemoteCheck, report: &mut SyncReport) -> Result<()> {
    job.phase("Deleting what was deleted in the cloud");
    if *check == RemoteCheck::Missing {
        job.create_remote_dir()?;
    }
    let mut interp = Interpreter::new(&job.folder.id, job.sink, Some(crate::events::Direction::ToLocal));
    let out = job
        .ctx
        .rclone
        .command("sync")
        .arg(&job.remote.root)
        .arg(job.local_arg())
        .arg("--backup-dir")
        .arg(job.versions_run_dir())
        .args(["--stats", "1s", "-v"])
        .args(job.filter_flags())
        .remote(&job.remote)
        .run(Some(job.cancel), &mut |l| interp.feed(l))?;
    report.to_local.deleted += interp.to_local.deleted;
    report.to_local.copied += interp.to_local.copied;
    match out.kind {
        ExitKind::Success | ExitKind::NoTransfers => remove_listings(&job.workdir),
        ExitKind::Interrupted => Err(Error::Interrupted),
        _ => Err(super::preflight::classify_error(&out.error_text()).into_error(&job.remote)),
    }
}

pub fn listings_lost(folder: &str) -> BlockedReport {
    BlockedReport {
        reason: "listings-lost".into(),
        message: "the records of this folder's last sync are missing, so files deleted since then cannot be told apart from new ones".into(),
        fix: format!("run `wsync sync {folder} --resync` to merge both sides again: nothing is deleted, but files deleted on one side since the last sync come back"),
        would_delete: None,
        total: None,
        files: Vec::new(),
    }
}

/// The remote folder is gone or empty although the last sync saw files in it
/// (unmounted drive, wrong account, deleted bucket).
pub fn remote_vanished(job: &Job, check: &RemoteCheck) -> Option<BlockedReport> {
    let before = remote_listing_count(&job.workdir);
    if before == 0 {
        return None;
    }
    let what = match check {
        RemoteCheck::Missing => "missing",
        RemoteCheck::Reachable { entries: 0 } => "empty",
        _ => return None,
    };
    Some(BlockedReport {
        reason: if what == "missing" { "remote-missing".into() } else { "remote-empty".into() },
        message: format!(
            "the cloud folder is {what} although it held {before} file(s) at the last sync; syncing would delete {before} file(s) on this computer"
        ),
        fix: format!(
            "check the account and the remote folder; if the deletions are really wanted, run `wsync sync {} --confirm-deletes`",
            job.folder.id
        ),
        would_delete: Some(before as u64),
        total: Some(before as u64),
        files: find_listing(&job.workdir, ".path2.lst").map(|p| listed_names(&p)).unwrap_or_default(),
    })
}

/// Flags shared by every bisync run of a folder.
pub fn common_args(job: &Job, comparison: &compare::Comparison) -> Vec<String> {
    let f = job.folder;
    let mut a: Vec<String> = vec![
        job.local_arg(),
        job.remote.root.clone(),
        "--workdir".into(),
        job.workdir.to_string_lossy().into_owned(),
        "--recover".into(),
        "--resilient".into(),
        "--max-lock".into(),
        "2m".into(),
        "--max-delete".into(),
        f.max_delete_percent.to_string(),
        "--conflict-loser".into(),
        "pathname".into(),
        "--conflict-suffix".into(),
        names::bisync_conflict_suffix(),
        "--suffix-keep-extension".into(),
        "--partial-suffix".into(),
        PARTIAL_SUFFIX.into(),
        "--stats".into(),
        "1s".into(),
        "-v".into(),
    ];
    a.extend(comparison.flags.iter().cloned());
    a.push("--conflict-resolve".into());
    a.push(
        match f.conflict_resolve {
            ConflictPolicy::Newer => "newer",
            ConflictPolicy::Remote => "path2",
            // `ask` keeps this computer's version under the name for now.
            ConflictPolicy::Local | ConflictPolicy::Ask => "path1",
        }
        .into(),
    );
    a.extend(job.filter_flags());
    if job.opts.dry_run {
        a.push("--dry-run".into());
    }
    a
}

/// Run bisync and interpret it. Returns the rclone output for the caller's
/// own checks.
pub fn run_bisync(job: &Job, extra: &[String], report: &mut SyncReport) -> Result<(Output, Vec<super::interpret::LoggedConflict>)> {
    let comparison = compare::choose(&job.ctx.rclone, &job.remote);
    let mut args = common_args(job, &comparison);
    args.extend(extra.iter().cloned());
    if job.opts.confirm_deletes {
        args.push("--force".into());
    }
    if !job.opts.dry_run {
        // Every local file this run replaces or deletes is kept.
        args.push("--backup-dir1".into());
        args.push(job.versions_run_dir().to_string_lossy().into_owned());
    }
    let mut interp = Interpreter::new(&job.folder.id, job.sink, None);
    let out = job.ctx.rclone.command("bisync").args(&args).remote(&job.remote).run(Some(job.cancel), &mut |l| interp.feed(l))?;
    report.to_local.copied += interp.to_local.copied;
    report.to_local.deleted += interp.to_local.deleted;
    report.to_remote.copied += interp.to_remote.copied;
    report.to_remote.deleted += interp.to_remote.deleted;
    Ok((out, interp.conflicts.clone()))
}

/// A run stopped during its first bisync after a resync leaves its listings
/// as `.lst-err` with no `-old` backup, which `--recover` cannot use. They
/// still hold the last completed sync's state, so they become the prior
/// listings again.
fn restore_errored_listings(workdir: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(workdir) else { return Ok(()) };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(base) = name.strip_suffix("-err") else { continue };
        if !base.ends_with(".lst") {
            continue;
        }
        let current = workdir.join(base);
        let backup = workdir.join(format!("{base}-old"));
        if !current.exists() && !backup.exists() {
            std::fs::rename(e.path(), &current).map_err(|err| Error::io(format!("cannot restore {}", current.display()), err))?;
        }
    }
    Ok(())
}

/// A normal two-way sync.
pub fn run(job: &Job, report: &mut SyncReport) -> Result<()> {
    restore_errored_listings(&job.workdir)?;
    job.phase("Syncing");
    let (out, conflicts) = run_bisync(job, &[], report)?;
    classify(job, &out, report)?;
    if report.result == SyncResult::Blocked {
        return Ok(());
    }
    let mut reports: Vec<crate::report::ConflictReport> = Vec::new();
    let mut need_follow_up = false;
    for c in &conflicts {
        let mut r = crate::report::ConflictReport {
            path: c.path.clone(),
            local_copy: c.local_renamed.clone().unwrap_or_else(|| c.path.clone()),
            remote_copy: c.remote_renamed.clone().unwrap_or_else(|| c.path.clone()),
        };
        // No winner could be determined (`newer` with equal times): both
        // copies were renamed and the name is gone. This computer's version
        // takes the name back, so one version always keeps it.
        if let (Some(l), Some(_)) = (&c.local_renamed, &c.remote_renamed) {
            if !job.opts.dry_run {
                let from = job.local.join(l);
                let to = job.local.join(&c.path);
                if from.exists() && !to.exists() {
                    std::fs::rename(&from, &to).map_err(|e| Error::io(format!("cannot rename {} back", from.display()), e))?;
                    r.local_copy = c.path.clone();
                    need_follow_up = true;
                }
            }
        }
        job.sink.emit(SyncEvent::ConflictFound {
            folder: job.folder.id.clone(),
            path: r.path.clone(),
            local_copy: r.local_copy.clone(),
            remote_copy: r.remote_copy.clone(),
        });
        reports.push(r);
    }
    // rclone 1.75.2 leaves a conflict's winner out of the new listings, so
    // the next run would see it as new on both sides; a second pass (which
    // finds the two copies equal) puts it back.
    if !conflicts.is_empty() && !job.opts.dry_run {
        need_follow_up = true;
    }
    if need_follow_up {
        job.phase("Settling conflicts");
        let (out, _) = run_bisync(job, &[], report)?;
        classify(job, &out, report)?;
    }
    report.conflicts.extend(reports);
    if report.result == SyncResult::Ok && !report.conflicts.is_empty() {
        report.result = SyncResult::Conflicts;
    }
    Ok(())
}

/// Parse "too many deletes (>50%, 5 of 9) on Path2".
fn parse_too_many(text: &str) -> Option<(u64, u64, bool)> {
    let i = text.find("too many deletes")?;
    let rest = &text[i..];
    let open = rest.find(", ")? + 2;
    let of = rest.find(" of ")?;
    let close = rest[of..].find(')')? + of;
    let n: u64 = rest[open..of].trim().parse().ok()?;
    let total: u64 = rest[of + 4..close].trim().parse().ok()?;
    let on_path2 = rest.contains("on Path2");
    Some((n, total, on_path2))
}

/// Turn bisync's exit into the report's result (or an error).
pub fn classify(job: &Job, out: &Output, report: &mut SyncReport) -> Result<()> {
    let id = &job.folder.id;
    let all_text: String = out.lines.iter().map(|l| l.msg.as_str()).collect::<Vec<_>>().join("\n");
    match out.kind {
        ExitKind::Success => Ok(()),
        ExitKind::Interrupted => Err(Error::Interrupted),
        _ if all_text.contains("too many deletes") => {
            let (n, total, on_remote) = parse_too_many(&all_text).unwrap_or((0, 0, true));
            let (deleted_where, would_on) = if on_remote { ("in the cloud", "on this computer") } else { ("on this computer", "in the cloud") };
            report.result = SyncResult::Blocked;
            report.blocked = Some(BlockedReport {
                reason: "too-many-deletes".into(),
                message: format!(
                    "{n} of {total} files were deleted {deleted_where} since the last sync, more than the {}% limit; syncing would delete {n} file(s) {would_on}",
                    job.folder.max_delete_percent
                ),
                fix: format!("if the deletions are wanted, run `wsync sync {id} --confirm-deletes`; otherwise restore the files {deleted_where}"),
                would_delete: Some(n),
                total: Some(total),
                files: deleted_on(out, if on_remote { "Path2" } else { "Path1" }),
            });
            Ok(())
        }
        _ if all_text.contains("all files were changed") => {
            report.result = SyncResult::Blocked;
            report.blocked = Some(BlockedReport {
                reason: "all-changed".into(),
                message: "every file on one side changed since the last sync, which usually means a clock, mount or account problem rather than real edits".into(),
                fix: format!("check both sides; if the changes are real, run `wsync sync {id} --confirm-deletes`"),
                would_delete: None,
                total: None,
                files: Vec::new(),
            });
            Ok(())
        }
        _ if all_text.contains("prior lock file found") => {
            Err(Error::Busy(format!("folder \"{id}\" is locked by another sync; wait for it to finish")))
        }
        ExitKind::Critical if all_text.contains("cannot find prior") => {
            report.result = SyncResult::Blocked;
            report.blocked = Some(listings_lost(id));
            Ok(())
        }
        ExitKind::Critical if !all_text.contains("retryable without --resync") => {
            report.result = SyncResult::Blocked;
            report.blocked = Some(BlockedReport {
                reason: "critical".into(),
                message: format!("the sync stopped on an error that needs a fresh merge of both sides: {}", out.error_text()),
                fix: format!("run `wsync sync {id} --resync` to merge both sides again (nothing is deleted)"),
                would_delete: None,
                total: None,
                files: Vec::new(),
            });
            Ok(())
        }
        _ => {
            let text = out.error_text();
            Err(super::preflight::classify_error(&text).into_error(&job.remote))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_too_many_deletes() {
        assert_eq!(parse_too_many("too many deletes (>50%, 5 of 9) on Path2 \"x\"."), Some((5, 9, true)));
        assert_eq!(parse_too_many("too many deletes (>50%, 12 of 20) on Path1 \"x\"."), Some((12, 20, false)));
    }
}
