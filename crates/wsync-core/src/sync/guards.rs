//! The safety guards' one gate. Every path that would delete many files
//! (a two-way sync over bisync's limit, an emptied folder on either side, a
//! vanished remote, a pull) asks it with the exact set of files that would
//! go. Without the person's confirmation the folder is blocked and the set
//! is shown (and kept in the folder's state). A confirmation applies to the
//! set that was shown: if more files would go now, the folder blocks again
//! with the new list.

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};

use super::job::Job;
use crate::error::{Fix, Result};
use crate::report::{BlockedReason, BlockedReport};
use crate::state::{self, PendingDeletions};

/// Most names a blocked report lists (the state keeps them all).
pub const MAX_LISTED: usize = 1000;
/// Most names the state keeps of one blocked set.
const MAX_KEPT: usize = 200_000;

pub enum Verdict {
    Proceed,
    Blocked(BlockedReport),
}

/// A short digest naming one set of deletions for one reason.
pub fn token(reason: BlockedReason, files: &[String]) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    reason.key().hash(&mut h);
    let sorted: BTreeSet<&String> = files.iter().collect();
    for f in sorted {
        f.hash(&mut h);
    }
    format!("{:016x}", h.finish())
}

/// What a guard stopped: why, in words, and the files that would go.
pub struct Stop {
    pub reason: BlockedReason,
    pub message: String,
    pub files: Vec<String>,
    pub total: Option<u64>,
}

/// Ask the gate. `Proceed` means the person confirmed exactly these files
/// (or a later run carries on with files a confirmation covered).
pub fn decide(job: &Job, stop: Stop) -> Result<Verdict> {
    let st = state::load(&job.folder.id)?;
    let wanted: BTreeSet<&String> = stop.files.iter().collect();
    let covers = |p: &Option<PendingDeletions>| {
        p.as_ref().map(|p| p.reason == stop.reason.key() && wanted.iter().all(|f| p.files.binary_search(f).is_ok())).unwrap_or(false)
    };
    // Deletions a confirmation covered earlier that this run meets again
    // (a run that stopped after the confirmation, a pull before).
    if covers(&st.confirmed) {
        return Ok(Verdict::Proceed);
    }
    let mut note = None;
    if job.opts.confirm_deletes {
        let shown = match (&job.opts.confirm_token, &st.pending) {
            (Some(t), Some(p)) if &p.token == t => st.pending.clone(),
            (Some(_), _) => {
                note = Some("the files that would be deleted changed since they were shown; review the new list".to_string());
                None
            }
            (None, p) => p.clone(),
        };
        if covers(&shown) {
            let confirmed = shown.clone();
            state::update(&job.folder.id, |s| {
                s.pending = None;
                s.confirmed = confirmed;
            })?;
            return Ok(Verdict::Proceed);
        }
        if note.is_none() && shown.is_some() {
            note = Some("more files would be deleted now than were shown; review the new list".to_string());
        }
    }
    Ok(Verdict::Blocked(block(job, stop, note)?))
}

/// Block the folder on `stop`, keeping the full set in its state.
pub fn block(job: &Job, stop: Stop, note: Option<String>) -> Result<BlockedReport> {
    let mut files = stop.files;
    files.sort();
    files.dedup();
    files.truncate(MAX_KEPT);
    let token = token(stop.reason, &files);
    let id = job.folder.id.clone();
    let deletes = !files.is_empty();
    let fix = if deletes {
        format!("{}; otherwise put the files back where they were deleted (nothing is deleted until you confirm)", Fix::ConfirmDeletes { folder: id.clone() }.cli())
    } else {
        Fix::ConfirmDeletes { folder: id.clone() }.cli()
    };
    let report = BlockedReport {
        reason: stop.reason,
        message: match note {
            Some(n) => format!("{}; {n}", stop.message),
            None => stop.message,
        },
        fix,
        actions: vec![Fix::ConfirmDeletes { folder: id.clone() }, Fix::Resync { folder: id.clone() }],
        would_delete: deletes.then_some(files.len() as u64),
        total: stop.total,
        files: files.iter().take(MAX_LISTED).cloned().collect(),
        confirm_token: Some(token.clone()),
    };
    let pending = PendingDeletions { reason: stop.reason.key().to_string(), token, files };
    state::update(&id, |s| s.pending = Some(pending))?;
    Ok(report)
}

/// The guard's numbers in words: "60 of 80 files".
pub fn of_total(n: usize, total: u64) -> String {
    if n == 1 {
        format!("1 of {total} files")
    } else {
        format!("{n} of {total} files")
    }
}

/// The records of this folder's last sync are missing: a fresh merge is
/// the only way on, and the person decides.
pub fn listings_lost(folder: &str) -> BlockedReport {
    BlockedReport {
        reason: BlockedReason::ListingsLost,
        message: "the records of this folder's last sync are missing, so files deleted since then cannot be told apart from new ones".into(),
        fix: format!("run `wsync sync {folder} --resync` to merge both sides again: nothing is deleted, but files deleted on one side since the last sync come back"),
        actions: vec![Fix::Resync { folder: folder.to_string() }],
        would_delete: None,
        total: None,
        files: Vec::new(),
        confirm_token: None,
    }
}

/// bisync stopped on an error that needs a fresh merge.
pub fn critical(folder: &str, detail: &str) -> BlockedReport {
    BlockedReport {
        reason: BlockedReason::Critical,
        message: format!("the sync stopped on an error that needs a fresh merge of both sides: {detail}"),
        fix: Fix::Resync { folder: folder.to_string() }.cli(),
        actions: vec![Fix::Resync { folder: folder.to_string() }],
        would_delete: None,
        total: None,
        files: Vec::new(),
        confirm_token: None,
    }
}
