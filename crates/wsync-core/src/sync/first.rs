//! The first sync of a folder (or a confirmed `--resync`): merge two
//! possibly non-empty sides without losing any version.
//!
//! bisync's `--resync` copies only, but where a file differs on both sides
//! the Path1 version overwrites the other without renaming it. So before it
//! runs, every file that differs is settled here: the folder's policy picks
//! which version keeps the name, and the other is kept beside it as a
//! conflict copy on this computer, which the resync then carries to the cloud.

use std::time::SystemTime;

use super::bisync;
use super::names::{free_conflict_name, Side};
use crate::remote::RemoteCheck;
use super::job::Job;
use crate::config::{ConflictPolicy, Provider};
use crate::error::{Error, Result};
use crate::events::{Direction, FileAction, SyncEvent};
use crate::rclone::ExitKind;
use crate::report::{ConflictReport, SyncReport, SyncResult};

/// One line of `rclone check --combined`.
#[derive(Debug, PartialEq, Eq)]
enum Diff {
    Same,
    OnlyLocal,
    OnlyRemote,
    Differs,
}

/// Remotes whose hashes are always there (so equal hashes prove equal
/// content); others may leave a hash out, and their files are compared
/// by content.
fn hashes_prove_equality(job: &Job) -> bool {
    matches!(job.folder.provider, Provider::Local | Provider::S3 | Provider::Dropbox | Provider::Gdrive | Provider::Onedrive)
        && !job.comparison.common_hashes.is_empty()
}

fn compare_sides(job: &Job) -> Result<Vec<(Diff, String)>> {
    // Through the hashed sides, so that the hashes computed here are not
    // computed again by the merge.
    let mut cmd = job.sides.apply(job.rclone("check")).arg(&job.sides.local).arg(&job.sides.remote).args(["--combined", "-"]);
    if !hashes_prove_equality(job) {
        cmd = cmd.arg("--download");
    }
    let out = cmd.args(job.filter_flags()).run(Some(job.cancel), &mut |_| {})?;
    if out.kind == ExitKind::Interrupted {
        return Err(Error::Interrupted);
    }
    let mut diffs = Vec::new();
    for line in out.stdout.lines() {
        let Some((mark, path)) = line.split_once(' ') else { continue };
        let d = match mark {
            "=" => Diff::Same,
            "+" => Diff::OnlyLocal,
            "-" => Diff::OnlyRemote,
            "*" => Diff::Differs,
            _ => {
                return Err(Error::Remote(format!(
                    "could not compare {path} on both sides: {}; check that the file is readable and try again",
                    out.error_text()
                )))
            }
        };
        diffs.push((d, path.to_string()));
    }
    if !matches!(out.kind, ExitKind::Success | ExitKind::Error) {
        return Err(crate::remote::classify_error(&out.error_text()).into_error(&job.remote));
    }
    if out.kind == ExitKind::Error && diffs.iter().all(|(d, _)| *d == Diff::Same) {
        // Exit 1 with no difference listed is a real failure.
        return Err(crate::remote::classify_error(&out.error_text()).into_error(&job.remote));
    }
    Ok(diffs)
}

/// Modification time of the cloud's copy, if the remote tells it.
fn remote_mtime(job: &Job, rel: &str) -> Option<SystemTime> {
    let out = job.rclone("lsjson").arg(job.remote.join(rel)).args(["--files-only", "--no-mimetype"]).run(Some(job.cancel), &mut |_| {}).ok()?;
    let items: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).ok()?;
    let t = items.first()?.get("ModTime")?.as_str()?;
    let parsed = chrono::DateTime::parse_from_rfc3339(t).ok()?;
    Some(SystemTime::from(parsed.with_timezone(&chrono::Utc)))
}

/// Which side keeps the name of a file that differs on both sides.
fn winner(job: &Job, rel: &str) -> Side {
    match job.folder.conflict_resolve {
        ConflictPolicy::Ask | ConflictPolicy::Local => Side::Local,
        ConflictPolicy::Remote => Side::Remote,
        ConflictPolicy::Newer => {
            let local = std::fs::metadata(job.local.join(rel)).and_then(|m| m.modified()).ok();
            match (local, remote_mtime(job, rel)) {
                // Strictly newer by more than a second (remotes keep whole seconds).
                (Some(l), Some(r)) if r.duration_since(l).map(|d| d.as_secs() >= 1).unwrap_or(false) => Side::Remote,
                _ => Side::Local,
            }
        }
    }
}

fn download(job: &Job, rel: &str, to_rel: &str) -> Result<()> {
    let out = job
        .rclone("copyto")
        .arg(job.remote.join(rel))
        .arg(job.local.join(to_rel).to_string_lossy().into_owned())
        .args(["--partial-suffix", super::job::PARTIAL_SUFFIX])
        .run(Some(job.cancel), &mut |_| {})?;
    match out.kind {
        ExitKind::Success => Ok(()),
        ExitKind::Interrupted => Err(Error::Interrupted),
        _ => Err(Error::Remote(format!("could not download {rel} to keep both versions: {}", out.error_text()))),
    }
}

/// Keep both versions of a file that differs on both sides.
fn settle(job: &Job, rel: &str, report: &mut SyncReport) -> Result<ConflictReport> {
    let now = chrono::Local::now();
    let win = winner(job, rel);
    let loser = if win == Side::Local { Side::Remote } else { Side::Local };
    let copy = free_conflict_name(&job.local, rel, loser, now);
    if !job.opts.dry_run {
        match win {
            Side::Local => download(job, rel, &copy)?,
            Side::Remote => {
                let from = job.local.join(rel);
                let to = job.local.join(&copy);
                std::fs::rename(&from, &to).map_err(|e| Error::io(format!("cannot keep {} as {}", from.display(), to.display()), e))?;
                if let Err(e) = download(job, rel, rel) {
                    // Put this computer's version back under its name.
                    let _ = std::fs::rename(&to, &from);
                    return Err(e);
                }
            }
        }
    }
    report.to_local.copied += 1;
    job.sink.emit(SyncEvent::FileChanged { folder: job.folder.id.clone(), path: rel.to_string(), direction: Direction::ToLocal, action: FileAction::Copied, size: None });
    let (local_copy, remote_copy) = if win == Side::Local { (rel.to_string(), copy) } else { (copy, rel.to_string()) };
    Ok(ConflictReport { path: rel.to_string(), local_copy, remote_copy })
}

pub fn run(job: &Job, check: &RemoteCheck, report: &mut SyncReport) -> Result<()> {
    // Every file is hashed here: the hashes go to a cache in memory first
    // (see `hashstage`), kept whatever the outcome, as they are all valid.
    let staged = if job.opts.dry_run { None } else { super::hashstage::begin(job.sides.cache_dir()) };
    let Some(staged) = staged else { return merge(job, check, report) };
    let outcome = merge(&job.with_cache_dir(staged.dir().to_path_buf()), check, report);
    if let Err(e) = staged.commit() {
        job.warn(format!("could not keep the hashes of this sync ({e}); the next sync computes them again"));
    }
    outcome
}

fn merge(job: &Job, check: &RemoteCheck, report: &mut SyncReport) -> Result<()> {
    if !job.opts.dry_run {
        super::records::begin_merge(&job.workdir)?;
    }
    if *check == RemoteCheck::Missing && !job.opts.dry_run {
        job.create_remote_dir()?;
    }
    job.phase("Comparing both sides");
    let remote_empty = matches!(check, RemoteCheck::Missing | RemoteCheck::Reachable { entries: 0 });
    let local_empty = std::fs::read_dir(&job.local).map(|mut d| d.next().is_none()).unwrap_or(true);
    let diffs = if remote_empty || local_empty {
        // One side is empty: nothing is on both sides to compare.
        Vec::new()
    } else {
        compare_sides(job)?
    };
    let mut conflicts = Vec::new();
    for (d, rel) in &diffs {
        if *d == Diff::Differs {
            let c = settle(job, rel, report)?;
            job.sink.emit(SyncEvent::ConflictFound {
                folder: job.folder.id.clone(),
                path: c.path.clone(),
                local_copy: c.local_copy.clone(),
                remote_copy: c.remote_copy.clone(),
            });
            conflicts.push(c);
        }
    }
    if job.opts.dry_run {
        if diffs.is_empty() && (remote_empty || local_empty) {
            // Count what the merge would copy, one side being empty.
            let n = if remote_empty { local_count(job) } else { remote_count(job)? };
            if remote_empty {
                report.to_remote.copied += n;
            } else {
                report.to_local.copied += n;
            }
        }
        for (d, _) in &diffs {
            match d {
                Diff::OnlyLocal | Diff::Differs => report.to_remote.copied += 1,
                Diff::OnlyRemote => report.to_local.copied += 1,
                Diff::Same => {}
            }
        }
        report.conflicts = conflicts;
        report.result = if report.conflicts.is_empty() { SyncResult::Ok } else { SyncResult::Conflicts };
        return Ok(());
    }

    job.phase("Merging both sides");
    let resync = ["--resync".to_string(), "--resync-mode".into(), "path1".into()];
    let mut p = bisync::pass(job, &resync, bisync::Allow::Limit, report)?;
    // rclone 1.75.2: a resync that only fixes modification times of equal
    // files fails its own final check; the times are fixed by then, so a
    // second resync passes.
    if p.out.kind == ExitKind::Critical && (p.out.mentions("out of sync") || p.out.mentions("not equal in listing")) {
        p = bisync::pass(job, &resync, bisync::Allow::Limit, report)?;
    }
    match super::classify::classify(&p.out) {
        super::classify::Outcome::Ok => {}
        super::classify::Outcome::Interrupted => return Err(Error::Interrupted),
        super::classify::Outcome::Failed(t) | super::classify::Outcome::Critical(t) => {
            return Err(crate::remote::classify_error(&t).into_error(&job.remote))
        }
        other => return Err(Error::Remote(format!("the merge of both sides stopped ({other:?}); sync again"))),
    }
    super::records::end_merge(&job.workdir)?;
    report.conflicts = conflicts;
    if report.result == SyncResult::Ok && !report.conflicts.is_empty() {
        report.result = SyncResult::Conflicts;
    }
    Ok(())
}

/// Files on this computer (for a dry run's count).
fn local_count(job: &Job) -> u64 {
    fn walk(dir: &std::path::Path) -> u64 {
        std::fs::read_dir(dir)
            .map(|rd| rd.flatten().map(|e| if e.file_type().map(|t| t.is_dir()).unwrap_or(false) { walk(&e.path()) } else { 1 }).sum())
            .unwrap_or(0)
    }
    walk(&job.local)
}

/// Files in the cloud folder (for a dry run's count).
fn remote_count(job: &Job) -> Result<u64> {
    let out = job.rclone("lsf").arg(&job.remote.root).args(["-R", "--files-only"]).args(job.filter_flags()).run(Some(job.cancel), &mut |_| {})?;
    Ok(out.stdout.lines().filter(|l| !l.is_empty()).count() as u64)
}
