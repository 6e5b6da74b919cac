//! The state of a folder's bisync records in its work dir: present, missing
//! or empty; the prior listing of one side (from whichever file bisync
//! left: current, `-err` after an aborted run, `-old` backup, `-new`
//! mid-run); forgetting them; restoring `-err` listings that
//! `--recover` cannot use; and the mark of a merge that has not finished.

use std::path::{Path, PathBuf};

use super::classify::Path as Side;
use super::listings::Listing;
use crate::error::{Error, Result};

/// What the work dir holds of the previous run's listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listings {
    Missing,
    /// Listings of two empty sides: bisync cannot continue from them, and
    /// there is nothing to lose by merging again.
    Empty,
    Present,
}

fn suffix(side: Side) -> &'static str {
    match side {
        Side::One => ".path1.lst",
        Side::Two => ".path2.lst",
    }
}

/// The listing of `side`, or the copy bisync's `--recover` can use.
pub fn find(workdir: &Path, side: Side) -> Option<PathBuf> {
    let entries = std::fs::read_dir(workdir).ok()?;
    let names: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    let suffix = suffix(side);
    ["", "-err", "-old", "-new"]
        .iter()
        .find_map(|tail| names.iter().find(|p| p.to_string_lossy().ends_with(&format!("{suffix}{tail}"))))
        .cloned()
}

/// The prior listing of `side`, parsed.
pub fn prior(workdir: &Path, side: Side) -> Option<Listing> {
    find(workdir, side).and_then(|p| Listing::read(&p).ok())
}

fn entries(path: &Path) -> usize {
    std::fs::read_to_string(path).map(|t| t.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).count()).unwrap_or(0)
}

pub fn state(workdir: &Path) -> Listings {
    match (find(workdir, Side::One), find(workdir, Side::Two)) {
        (Some(p1), Some(p2)) => {
            if entries(&p1) == 0 && entries(&p2) == 0 {
                Listings::Empty
            } else {
                Listings::Present
            }
        }
        _ => Listings::Missing,
    }
}

/// Present while a first-sync merge runs: listings next to it may be a
/// half-done merge's (rclone 1.75.2 writes them before its final check,
/// which a merge that fixes times fails once), so the next run merges
/// again (copies only) instead of trusting them.
const MERGING: &str = "merging";

pub fn begin_merge(workdir: &Path) -> Result<()> {
    std::fs::create_dir_all(workdir).map_err(|e| Error::io(format!("cannot create {}", workdir.display()), e))?;
    crate::fsutil::write_atomic(&workdir.join(MERGING), b"a first-sync merge is running or was interrupted\n", 0o600)
        .map_err(|e| Error::io(format!("cannot write {}", workdir.join(MERGING).display()), e))
}

pub fn end_merge(workdir: &Path) -> Result<()> {
    match std::fs::remove_file(workdir.join(MERGING)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(format!("cannot remove {}", workdir.join(MERGING).display()), e)),
        _ => Ok(()),
    }
}

/// Did a merge start and not finish (killed, or failed)?
pub fn merge_interrupted(workdir: &Path) -> bool {
    workdir.join(MERGING).exists()
}

/// Forget the previous run's listings (the next bisync is a merge).
pub fn remove(workdir: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(workdir) else { return Ok(()) };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.contains(".lst") {
            std::fs::remove_file(e.path()).map_err(|err| Error::io(format!("cannot remove {}", e.path().display()), err))?;
        }
    }
    Ok(())
}

/// A run stopped during its first bisync after a resync leaves its listings
/// as `.lst-err` with no `-old` backup, which `--recover` cannot use. They
/// still hold the last completed sync's state, so they become the prior
/// listings again.
pub fn restore_errored(workdir: &Path) -> Result<()> {
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
