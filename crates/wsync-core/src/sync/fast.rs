//! The fast path for saves: when the watcher reports a handful of changed
//! files on this computer and the cloud's copy of each is still what the
//! last completed sync recorded (one cheap stat of those paths, not a
//! listing of the tree), just those files are pushed, every cloud copy they
//! replace is kept, and the records of both sides are updated so that the
//! next full bisync treats them as in sync. Anything else (a changed cloud
//! copy, a deletion or rename, a directory, too many paths, any doubt)
//! falls back to the full, guarded bisync.

use std::collections::HashMap;
use std::io::Read;

use serde::Deserialize;

use super::interpret::Interpreter;
use super::job::Job;
use super::listings::{self, Entry, Listing};
use crate::error::{Error, Result};
use crate::events::Direction;
use crate::filter::Excludes;
use crate::rclone::ExitKind;
use crate::report::{SyncReport, SyncResult};

/// More changed paths than this: a full sync.
pub const MAX_PATHS: usize = 64;

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

/// The cloud's copies of `paths` now (absent ones are left out).
fn stat_remote(job: &Job, paths: &[String]) -> Result<HashMap<String, Item>> {
    let out = job
        .sides
        .apply(job.rclone("lsjson"))
        .arg(&job.sides.remote)
        // --files-from stands alone (rclone refuses other filters beside
        // it); excluded paths were left out before.
        .args(["-R", "--files-only", "--no-traverse", "--no-mimetype", "--hash", "--hash-type", &job.sides.hash, "--files-from", "-"])
        .stdin(&paths.join("\n"))
        .run(Some(job.cancel), &mut |_| {})?;
    if !out.success() {
        return Err(crate::remote::classify_error(&out.error_text()).into_error(&job.remote));
    }
    let items: Vec<Item> = serde_json::from_str(&out.stdout).map_err(|e| Error::Rclone(format!("cannot read rclone's listing ({e}); sync again")))?;
    Ok(items.into_iter().map(|i| (i.path.clone(), i)).collect())
}

fn seconds(t: &str) -> Option<i64> {
    listings::parse_time(t).map(|d| d.timestamp())
}

/// Is the cloud's copy still what the records hold?
fn unchanged(recorded: Option<&Entry>, now: Option<&Item>, hash: &str) -> bool {
    match (recorded, now) {
        (None, None) => true,
        (Some(r), Some(n)) => {
            let same_hash = match (r.hash_value(), n.hashes.get(hash)) {
                (Some(a), Some(b)) if !b.is_empty() => a.eq_ignore_ascii_case(b),
                _ => true,
            };
            r.size == n.size && same_hash && seconds(&r.modtime).is_some() && seconds(&r.modtime) == n.mod_time.as_deref().and_then(seconds)
        }
        _ => false,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash of a local file, for the hash types computed here.
fn local_hash(path: &std::path::Path, kind: &str) -> Option<String> {
    use md5::Digest as _;
    let mut f = std::fs::File::open(path).ok()?;
    let mut buf = vec![0u8; 1 << 16];
    match kind {
        "md5" => {
            let mut h = md5::Md5::new();
            loop {
                let n = f.read(&mut buf).ok()?;
                if n == 0 {
                    break;
                }
                h.update(&buf[..n]);
            }
            Some(hex(&h.finalize()))
        }
        "sha1" => {
            let mut h = sha1::Sha1::new();
            loop {
                let n = f.read(&mut buf).ok()?;
                if n == 0 {
                    break;
                }
                sha1::Digest::update(&mut h, &buf[..n]);
            }
            Some(hex(&sha1::Digest::finalize(h)))
        }
        _ => None,
    }
}

/// Push the hinted saves, if they can take the fast path. `Ok(false)`:
/// fall back to the full sync (nothing was changed).
pub fn push(job: &Job, report: &mut SyncReport) -> Result<bool> {
    let o = &job.opts;
    if o.changed.len() > MAX_PATHS || o.dry_run || o.resync || o.confirm_deletes {
        return Ok(false);
    }
    let session = listings::session_name(&job.sides.local, &job.sides.remote);
    listings::adopt_session(&job.workdir, &session)?;
    let (p1, p2) = listings::files_of(&job.workdir, &session);
    let (Ok(mut l1), Ok(mut l2)) = (Listing::read(&p1), Listing::read(&p2)) else { return Ok(false) };
    let excludes = Excludes::new(&job.folder.exclude);
    let mut changed: Vec<(String, std::fs::Metadata)> = Vec::new();
    for raw in &o.changed {
        let Ok(rel) = crate::relpath::clean_rel(raw, "path") else { return Ok(false) };
        if rel.is_empty() || excludes.is_excluded(&rel) {
            continue;
        }
        // A deletion, a rename's old name, a directory, a link: full sync.
        let Ok(meta) = std::fs::symlink_metadata(job.local.join(&rel)) else { return Ok(false) };
        if !meta.file_type().is_file() || super::names::is_conflict_copy(&rel) {
            return Ok(false);
        }
        let mtime = meta.modified().ok().map(|t| listings::format_time(t.into()));
        if let Some(e) = l1.get(&rel) {
            if e.size == meta.len() as i64 && mtime.as_deref() == Some(e.modtime.as_str()) {
                continue; // as recorded: nothing to push
            }
        }
        if !changed.iter().any(|(r, _)| r == &rel) {
            changed.push((rel, meta));
        }
    }
    if changed.is_empty() {
        report.result = SyncResult::Ok;
        return Ok(true);
    }
    let names: Vec<String> = changed.iter().map(|(r, _)| r.clone()).collect();
    let before = stat_remote(job, &names)?;
    if !names.iter().all(|n| unchanged(l2.get(n), before.get(n), &job.sides.hash)) {
        return Ok(false);
    }
    job.phase("Uploading saved files");
    let mut interp = Interpreter::new(&job.folder.id, job.sink, Some(Direction::ToRemote));
    let out = job
        .sides
        .apply(job.rclone("copy"))
        .arg(&job.sides.local)
        .arg(&job.sides.remote)
        // Every listed file changed here: copied even where size and time
        // look equal (a remote that keeps whole seconds gives an
        // equal-size save in the same second as the last one the same time).
        .args(["--files-from", "-", "--no-traverse", "--ignore-times", "--partial-suffix", super::job::PARTIAL_SUFFIX, "--stats", "1s", "-v"])
        .arg("--backup-dir")
        .arg(job.cloud_versions_arg())
        .stdin(&names.join("\n"))
        .run(Some(job.cancel), &mut |l| interp.feed(l))?;
    report.to_remote.copied += interp.to_remote.copied;
    match out.kind {
        ExitKind::Success | ExitKind::NoTransfers => {}
        ExitKind::Interrupted => return Err(Error::Interrupted),
        _ => return Err(crate::remote::classify_error(&out.error_text()).into_error(&job.remote)),
    }
    record(job, &changed, &mut l1, &mut l2)?;
    report.result = SyncResult::Ok;
    Ok(true)
}

/// Update both sides' records for the pushed files (where a file's hash
/// cannot be had, its records stay: the next bisync finds both copies
/// equal, which is as safe, only slower).
fn record(job: &Job, changed: &[(String, std::fs::Metadata)], l1: &mut Listing, l2: &mut Listing) -> Result<()> {
    let names: Vec<String> = changed.iter().map(|(r, _)| r.clone()).collect();
    let after = stat_remote(job, &names)?;
    let kind = job.sides.hash.as_str();
    let hashed1 = l1.files().any(|e| e.hash != "-");
    let hashed2 = l2.files().any(|e| e.hash != "-");
    for (rel, meta) in changed {
        let Some(now) = after.get(rel) else { continue };
        let remote_hash = now.hashes.get(kind).filter(|h| !h.is_empty()).cloned();
        let local = if hashed1 { local_hash(&job.local.join(rel), kind).or_else(|| remote_hash.clone()) } else { None };
        if hashed1 && local.is_none() {
            continue;
        }
        let Some(mtime) = meta.modified().ok() else { continue };
        let Some(remote_time) = now.mod_time.as_deref().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()) else { continue };
        let col = |h: Option<String>| h.map(|h| format!("{kind}:{h}")).unwrap_or_else(|| "-".into());
        l1.upsert(Entry { flags: "-".into(), size: meta.len() as i64, hash: col(local), id: "-".into(), modtime: listings::format_time(mtime.into()), name: rel.clone() });
        let remote_col = if hashed2 { col(remote_hash) } else { "-".into() };
        l2.upsert(Entry { flags: "-".into(), size: now.size, hash: remote_col, id: "-".into(), modtime: listings::format_time(remote_time.into()), name: rel.clone() });
    }
    l1.write()?;
    l2.write()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_hashes_match_rclones() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("f.txt");
        std::fs::write(&p, "hello\n").unwrap();
        assert_eq!(local_hash(&p, "md5").as_deref(), Some("b1946ac92492d2347c6235b4d2611184"));
        assert_eq!(local_hash(&p, "sha1").as_deref(), Some("f572d396fae9206628714fb2ce00f72e94f2258f"));
        assert_eq!(local_hash(&p, "quickxor"), None);
    }
}
