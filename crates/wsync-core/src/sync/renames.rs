//! Telling moves from deletions. bisync's `--max-delete` counts a renamed
//! folder's files as deleted (rclone#8685); a person who renamed a folder
//! deleted nothing. When the guard stops a run, the deleted and new files
//! of that side are paired by what they hold (same size, and the same hash
//! where both are known, else the same modification time): a pair is a
//! move. Only content that would vanish counts against the limit, and the
//! run goes on with `--track-renames`, so moves are carried as server-side
//! moves and never fill the versions areas.

use std::collections::HashMap;

use serde::Deserialize;

use super::classify::Path;
use super::job::Job;
use super::listings::{Entry, Listing};
use crate::error::Result;

/// What the deleted and new files of one side turned out to be.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Moves {
    /// (old name, new name)
    pub moved: Vec<(String, String)>,
    /// Deleted files whose content is nowhere else on that side.
    pub vanished: Vec<String>,
}

/// What is known of a file now.
struct Now {
    size: i64,
    /// Unix seconds (the coarsest precision both sides keep).
    modtime: Option<i64>,
    hash: Option<String>,
}

#[derive(Deserialize)]
struct Item {
    #[serde(rename = "Path")]
    path: String,
    #[serde(rename = "Size", default)]
    size: i64,
    #[serde(rename = "ModTime", default)]
    mod_time: Option<String>,
    #[serde(rename = "Hashes", default)]
    hashes: HashMap<String, String>,
}

fn listing_seconds(t: &str) -> Option<i64> {
    chrono::DateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f%z").ok().map(|d| d.timestamp())
}

/// The new files of `side`, as they are now.
fn stat_new(job: &Job, side: Path, names: &[String]) -> Result<HashMap<String, Now>> {
    let mut out = HashMap::new();
    match side {
        Path::One => {
            for n in names {
                if let Ok(m) = std::fs::symlink_metadata(job.local.join(n)) {
                    let modtime = m.modified().ok().map(|t| chrono::DateTime::<chrono::Utc>::from(t).timestamp());
                    out.insert(n.clone(), Now { size: m.len() as i64, modtime, hash: None });
                }
            }
        }
        Path::Two => {
            // One cheap stat of those paths, not a listing of the tree.
            let list = names.join("\n");
            let res = job
                .sides
                .apply(job.rclone("lsjson"))
                .arg(&job.sides.remote)
                .args(["-R", "--files-only", "--no-traverse", "--no-mimetype", "--hash", "--hash-type", &job.sides.hash, "--files-from", "-"])
                .stdin(&list)
                .run(Some(job.cancel), &mut |_| {})?;
            let items: Vec<Item> = serde_json::from_str(&res.stdout).unwrap_or_default();
            for i in items {
                let modtime = i.mod_time.as_deref().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()).map(|d| d.timestamp());
                let hash = i.hashes.get(&job.sides.hash).cloned().filter(|h| !h.is_empty());
                out.insert(i.path, Now { size: i.size, modtime, hash });
            }
        }
    }
    Ok(out)
}

fn same_content(old: &Entry, now: &Now) -> bool {
    if old.size != now.size {
        return false;
    }
    match (old.hash_value(), now.hash.as_deref()) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        // Without both hashes, the same size and modification time (moves
        // keep it) make a move; a mistaken pair is still carried safely,
        // since every changed file is compared by checksum.
        _ => now.modtime.is_some() && listing_seconds(&old.modtime) == now.modtime,
    }
}

/// Pair the deleted and new files of `side` (from bisync's deltas), using
/// the side's records of the last sync.
pub fn find(job: &Job, side: Path, prior: &Listing, deleted: &[String], created: &[String]) -> Result<Moves> {
    let now = if created.is_empty() { HashMap::new() } else { stat_new(job, side, created)? };
    let mut moves = Moves::default();
    let mut taken: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for d in deleted {
        let partner = prior.get(d).and_then(|old| {
            created.iter().find(|n| !taken.contains(n.as_str()) && now.get(*n).map(|x| same_content(old, x)).unwrap_or(false))
        });
        match partner {
            Some(n) => {
                taken.insert(n.as_str());
                moves.moved.push((d.clone(), n.clone()));
            }
            None => moves.vanished.push(d.clone()),
        }
    }
    Ok(moves)
}

/// The smallest `--max-delete` percentage that lets `count` of `total`
/// deletions through (bisync stops when the share is above it).
pub fn allowance(count: usize, total: u64) -> u64 {
    if total == 0 {
        return 100;
    }
    ((count as u64 * 100).div_ceil(total)).clamp(1, 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, size: i64, hash: &str, modtime: &str) -> Entry {
        Entry { flags: "-".into(), size, hash: hash.into(), id: "-".into(), modtime: modtime.into(), name: name.into() }
    }

    #[test]
    fn moves_match_by_hash_or_by_size_and_time() {
        let t = "2026-12-02T06:23:27.899701914+0000";
        let secs = listing_seconds(t);
        assert!(same_content(&entry("a", 3, "md5:abc", t), &Now { size: 3, modtime: None, hash: Some("ABC".into()) }));
        assert!(!same_content(&entry("a", 3, "md5:abc", t), &Now { size: 3, modtime: secs, hash: Some("abd".into()) }));
        assert!(same_content(&entry("a", 3, "-", t), &Now { size: 3, modtime: secs, hash: None }));
        assert!(!same_content(&entry("a", 4, "-", t), &Now { size: 3, modtime: secs, hash: None }));
        assert_eq!(allowance(60, 80), 75);
        assert_eq!(allowance(61, 80), 77);
        assert_eq!(allowance(0, 80), 1);
        assert_eq!(allowance(5, 0), 100);
    }
}
