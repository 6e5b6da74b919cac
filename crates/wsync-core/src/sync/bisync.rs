//! A two-way sync of a folder that has been synced before: one `rclone
//! bisync` run (through the hashed sides, with renames tracked and both
//! sides' replaced files kept), and what its outcome asks for: conflicts
//! settled, moves told from deletions, and every mass deletion through the
//! guards' gate ([`guards`]), including a side that was emptied.

use super::classify::{classify, Outcome, Path};
use super::guards::{self, Stop, Verdict};
use super::interpret::{Interpreter, LoggedConflict};
use super::job::{Job, PARTIAL_SUFFIX};
use super::{emptied, names, records, renames};
use crate::config::ConflictPolicy;
use crate::error::{Error, Result};
use crate::events::SyncEvent;
use crate::rclone::Output;
use crate::report::{BlockedReason, ConflictReport, SyncReport, SyncResult};

/// Folders with at most this many files are not guarded against "every
/// file changed".
const SMALL_FOLDER: u64 = 20;

/// What one bisync run left: its output and what it logged.
pub struct Pass {
    pub out: Output,
    pub conflicts: Vec<LoggedConflict>,
    pub deleted: [Vec<String>; 2],
    pub created: [Vec<String>; 2],
}

/// How a run goes past bisync's delete guard.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Allow {
    /// The folder's own limit.
    Limit,
    /// Exactly this many per cent (deletions already judged).
    Percent(u64),
    /// Every change (the person confirmed an "all files changed" abort).
    Force,
}

/// Flags of a bisync run of this folder.
pub fn args(job: &Job, extra: &[String], allow: Allow) -> Vec<String> {
    let f = job.folder;
    let max_delete = match allow {
        Allow::Percent(p) => p,
        _ => u64::from(f.max_delete_percent),
    };
    let mut a: Vec<String> = vec![job.sides.local.clone(), job.sides.remote.clone()];
    for flag in ["--recover", "--resilient"] {
        a.push(flag.into());
    }
    a.extend(["--workdir".into(), job.workdir.to_string_lossy().into_owned(), "--max-lock".into(), "2m".into()]);
    a.extend(["--max-delete".into(), max_delete.to_string()]);
    let prior: String = [Path::One, Path::Two]
        .into_iter()
        .filter_map(|side| records::find(&job.workdir, side))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let suffix = names::bisync_conflict_suffix(chrono::Local::now(), |s| prior.contains(s));
    a.extend(["--conflict-loser".into(), "pathname".into(), "--conflict-suffix".into(), suffix]);
    a.extend(["--suffix-keep-extension".into(), "--partial-suffix".into(), PARTIAL_SUFFIX.into(), "--stats".into(), "1s".into(), "-v".into()]);
    a.extend(job.comparison.flags.iter().cloned());
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
    // Moves are carried as moves (bisync cannot track them while resyncing).
    let resync = extra.iter().any(|x| x == "--resync");
    if !resync && (job.sides.remote_hashed || !job.comparison.common_hashes.is_empty()) {
        a.extend(["--track-renames".into(), "--track-renames-strategy".into(), "hash".into()]);
    }
    a.extend(job.filter_flags());
    a.extend(extra.iter().cloned());
    if allow == Allow::Force {
        a.push("--force".into());
    }
    if job.opts.dry_run {
        a.push("--dry-run".into());
    } else {
        // Every file this run replaces or deletes is kept, on both sides.
        a.extend(["--backup-dir1".into(), super::job::Sides::local_path(&job.local_versions)]);
        a.extend(["--backup-dir2".into(), job.cloud_versions_arg()]);
    }
    a
}

/// Run bisync once and read what it did.
pub fn pass(job: &Job, extra: &[String], allow: Allow, report: &mut SyncReport) -> Result<Pass> {
    let session = super::listings::session_name(&job.sides.local, &job.sides.remote);
    super::listings::adopt_session(&job.workdir, &session)?;
    let mut interp = Interpreter::new(&job.folder.id, job.sink, None);
    let out = job.sides.apply(job.rclone("bisync")).args(args(job, extra, allow)).run(Some(job.cancel), &mut |l| interp.feed(l))?;
    for w in &out.warnings {
        job.warn(w.clone());
    }
    report.to_local.copied += interp.to_local.copied;
    report.to_local.deleted += interp.to_local.deleted;
    report.to_remote.copied += interp.to_remote.copied;
    report.to_remote.deleted += interp.to_remote.deleted;
    Ok(Pass { out, conflicts: interp.conflicts, deleted: interp.deleted, created: interp.created })
}

/// How many files the prior records of `side` hold.
fn total_of(job: &Job, side: Path) -> u64 {
    records::prior(&job.workdir, side).map(|l| l.files().count() as u64).unwrap_or(0)
}

/// The guard stopped the run: tell moves from deletions and ask the gate
/// about what would vanish.
fn judge_deletes(job: &Job, p: &Pass, side: Path, count: u64, total: u64) -> Result<std::result::Result<Allow, crate::report::BlockedReport>> {
    let i = if side == Path::One { 0 } else { 1 };
    let prior = records::prior(&job.workdir, side).unwrap_or(super::listings::Listing { path: Default::default(), header: String::new(), entries: Vec::new() });
    let moves = renames::find(job, side, &prior, &p.deleted[i], &p.created[i])?;
    // What bisync itself counts on each side, moves included.
    let percent = [Path::One, Path::Two]
        .iter()
        .map(|s| {
            let n = p.deleted[if *s == Path::One { 0 } else { 1 }].len();
            if *s == side {
                // bisync's own figures for the side it stopped on.
                renames::allowance(count.max(n as u64) as usize, total)
            } else {
                renames::allowance(n, total_of(job, *s))
            }
        })
        .max()
        .unwrap_or(100);
    let within = moves.vanished.len() as u64 * 100 <= total * u64::from(job.folder.max_delete_percent);
    if within {
        return Ok(Ok(Allow::Percent(percent)));
    }
    let (here, there) = if side == Path::One { ("on this computer", "in the cloud") } else { ("in the cloud", "on this computer") };
    let moved = if moves.moved.is_empty() { String::new() } else { format!(" ({} more were moved, which is not a deletion)", moves.moved.len()) };
    let stop = Stop {
        reason: BlockedReason::TooManyDeletes,
        message: format!(
            "{} were deleted {here} since the last sync{moved}, more than the {}% limit; syncing would delete them {there} too",
            guards::of_total(moves.vanished.len(), total),
            job.folder.max_delete_percent
        ),
        files: moves.vanished,
        total: Some(total),
    };
    Ok(match guards::decide(job, stop)? {
        Verdict::Proceed => Ok(Allow::Percent(percent)),
        Verdict::Blocked(b) => Err(b),
    })
}

/// What the run's outcome leaves to do.
pub enum After {
    Done,
    /// Both sides were empty at the last sync: merge them afresh.
    Merge,
    /// One side is empty (or the cloud folder gone) now: the emptied-side
    /// guard decides.
    Emptied(Path),
}

/// A normal two-way sync.
pub fn run(job: &Job, report: &mut SyncReport) -> Result<After> {
    records::restore_errored(&job.workdir)?;
    job.phase("Syncing");
    let mut p = pass(job, &[], Allow::Limit, report)?;
    // Each guard that stops the run is judged once; the run goes again
    // within what was allowed. A guard that stops it again means the sides
    // changed meanwhile.
    let (mut percent, mut force) = (None::<u64>, false);
    let (mut judged_deletes, mut judged_all) = (false, false);
    for _ in 0..3 {
        match classify(&p.out) {
            Outcome::Ok => break,
            Outcome::TooManyDeletes { side, count, total } if !judged_deletes => {
                judged_deletes = true;
                match judge_deletes(job, &p, side, count, total)? {
                    Ok(Allow::Percent(x)) => percent = Some(percent.unwrap_or(0).max(x)),
                    Ok(_) => {}
                    Err(b) => return blocked(report, b),
                }
            }
            Outcome::TooManyDeletes { side, total, .. } => {
                let i = if side == Path::One { 0 } else { 1 };
                let stop = Stop {
                    reason: BlockedReason::TooManyDeletes,
                    message: format!("{} were deleted while the sync ran, more than the {}% limit", guards::of_total(p.deleted[i].len(), total), job.folder.max_delete_percent),
                    files: p.deleted[i].clone(),
                    total: Some(total),
                };
                return blocked(report, guards::block(job, stop, None)?);
            }
            Outcome::AllChanged if !judged_all => {
                judged_all = true;
                // --force also lifts the delete guard: judge deletions first.
                for side in [Path::One, Path::Two] {
                    let i = if side == Path::One { 0 } else { 1 };
                    let total = total_of(job, side);
                    if !judged_deletes && p.deleted[i].len() as u64 * 100 > total * u64::from(job.folder.max_delete_percent) {
                        judged_deletes = true;
                        if let Err(b) = judge_deletes(job, &p, side, p.deleted[i].len() as u64, total)? {
                            return blocked(report, b);
                        }
                    }
                }
                // A small folder whose every file was edited is no sign of
                // a clock or mount problem (and changes keep old versions).
                if total_of(job, Path::One).max(total_of(job, Path::Two)) > SMALL_FOLDER {
                    let stop = Stop {
                        reason: BlockedReason::AllChanged,
                        message: "every file on one side changed since the last sync, which usually means a clock, mount or account problem rather than real edits".into(),
                        files: Vec::new(),
                        total: None,
                    };
                    if let Verdict::Blocked(b) = guards::decide(job, stop)? {
                        return blocked(report, b);
                    }
                }
                force = true;
            }
            Outcome::AllChanged => return Err(Error::Remote("every file changed again while the sync ran; sync again".into())),
            Outcome::EmptyNow(side) => return Ok(After::Emptied(side)),
            Outcome::EmptyBefore => return Ok(After::Merge),
            Outcome::PriorLock => {
                return Err(Error::Busy(format!("folder \"{}\" is locked by another sync; wait for it to finish", job.folder.id)))
            }
            Outcome::ListingsLost => return blocked(report, guards::listings_lost(&job.folder.id)),
            Outcome::Failed(text) | Outcome::Critical(text) if emptied::remote_gone(job, &text) => return Ok(After::Emptied(Path::Two)),
            Outcome::Critical(detail) => return blocked(report, guards::critical(&job.folder.id, &detail)),
            Outcome::Interrupted => return Err(Error::Interrupted),
            Outcome::Failed(text) => return Err(crate::remote::classify_error(&text).into_error(&job.remote)),
        }
        let allow = if force {
            Allow::Force
        } else {
            percent.map(Allow::Percent).unwrap_or(Allow::Limit)
        };
        p = pass(job, &[], allow, report)?;
    }
    if classify(&p.out) != Outcome::Ok {
        return Err(Error::Busy("the files kept changing while the sync ran; sync again".into()));
    }
    settle_conflicts(job, p.conflicts, report)?;
    Ok(After::Done)
}

fn blocked(report: &mut SyncReport, b: crate::report::BlockedReport) -> Result<After> {
    report.result = SyncResult::Blocked;
    report.blocked = Some(b);
    Ok(After::Done)
}

/// Report the run's conflicts; where no winner could be determined the
/// name comes back to this computer's version; a second pass puts the
/// winners back into the records (rclone 1.75.2 leaves them out).
fn settle_conflicts(job: &Job, conflicts: Vec<LoggedConflict>, report: &mut SyncReport) -> Result<()> {
    let mut reports: Vec<ConflictReport> = Vec::new();
    for c in &conflicts {
        let mut r = ConflictReport {
            path: c.path.clone(),
            local_copy: c.local_renamed.clone().unwrap_or_else(|| c.path.clone()),
            remote_copy: c.remote_renamed.clone().unwrap_or_else(|| c.path.clone()),
        };
        // `newer` with equal times renames both copies: one keeps the name.
        if let (Some(l), Some(_)) = (&c.local_renamed, &c.remote_renamed) {
            if !job.opts.dry_run {
                let from = job.local.join(l);
                let to = job.local.join(&c.path);
                if from.exists() && !to.exists() {
                    std::fs::rename(&from, &to).map_err(|e| Error::io(format!("cannot rename {} back", from.display()), e))?;
                    r.local_copy = c.path.clone();
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
    if !conflicts.is_empty() && !job.opts.dry_run {
        job.phase("Settling conflicts");
        let p = pass(job, &[], Allow::Limit, report)?;
        match classify(&p.out) {
            Outcome::Ok => {}
            Outcome::Interrupted => return Err(Error::Interrupted),
            other => return Err(Error::Remote(format!("settling the conflicts did not finish ({other:?}); sync again"))),
        }
    }
    report.conflicts.extend(reports);
    if report.result == SyncResult::Ok && !report.conflicts.is_empty() {
        report.result = SyncResult::Conflicts;
    }
    Ok(())
}
