//! The file system as the model sees it: walking a side, hashing what it
//! holds, telling partial transfer files and excluded names apart, and the
//! vocabulary of names and contents the simulated person writes.

use std::collections::BTreeMap;
use std::path::Path;

use super::rng::{content_hash, Rng};

/// Directories the person uses ("" is the folder's top level). Never the
/// same word as a file name, so a path is never a file on one side and a
/// directory on the other.
pub const DIRS: &[&str] = &["", "", "docs", "docs/sub", "img", "notes dir", "Projekte/2026"];
/// Targets of directory renames.
pub const NEW_DIRS: &[&str] = &["archive", "old stuff", "docs/moved", "ünï", "img/inner", "Projekte/2027"];
pub const FILES: &[&str] = &[
    "a.txt", "b.md", "c", "notes.md", "data.bin", "é ü.txt", "with space.md", "日本.txt", "report.txt", "z.json", "Makefile", ".hidden",
];

/// A file as found on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub hash: u64,
    pub len: u64,
}

/// Relative paths (with `/`) of the regular files under `root`, sorted.
pub fn walk(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    fn rec(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        for e in rd.flatten() {
            let p = e.path();
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                rec(base, &p, out);
            } else if ft.is_file() {
                out.push(p.strip_prefix(base).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    rec(root, root, &mut out);
    out.sort();
    out
}

/// Every file under `root` with its hash (unreadable files are skipped:
/// a transfer may be replacing them right now).
pub fn snapshot(root: &Path) -> BTreeMap<String, Entry> {
    let mut out = BTreeMap::new();
    for rel in walk(root) {
        if let Ok(bytes) = std::fs::read(root.join(&rel)) {
            out.insert(rel, Entry { hash: content_hash(&bytes), len: bytes.len() as u64 });
        }
    }
    out
}

/// A half-written transfer file (rclone's `.partial`, ours) or a restore in
/// progress.
pub fn is_partial(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.ends_with(".partial") || name.ends_with(".wsync-partial") || name.contains(".wsync-restore")
}

/// Names the default exclude list keeps on this computer
/// (`.git/**`, `node_modules/**`, `.env*`, `*.log`).
pub fn is_excluded(rel: &str) -> bool {
    let segs: Vec<&str> = rel.split('/').collect();
    let name = segs.last().copied().unwrap_or("");
    segs[..segs.len() - 1].iter().any(|s| *s == ".git" || *s == "node_modules") || name.starts_with(".env") || name.ends_with(".log")
}

/// A conflict copy made by wsync or by a plain bisync client.
pub fn is_conflict_copy(rel: &str) -> bool {
    rel.contains(".conflict")
}

/// What must match between the two sides after a quiet sync.
pub fn synced_view(root: &Path) -> BTreeMap<String, Entry> {
    snapshot(root).into_iter().filter(|(rel, _)| !is_partial(rel) && !is_excluded(rel)).collect()
}

/// Directories (not the top level) that hold at least one of `files`.
pub fn dirs_of(files: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in files {
        let mut cur = f.as_str();
        while let Some(i) = cur.rfind('/') {
            cur = &cur[..i];
            if !out.iter().any(|d| d == cur) {
                out.push(cur.to_string());
            }
        }
    }
    out.sort();
    out
}

/// Is any file under `dir` (or `dir` itself) among `files`?
pub fn occupied(files: &[String], path: &str) -> bool {
    files.iter().any(|f| f == path || f.starts_with(&format!("{path}/")) || path.starts_with(&format!("{f}/")))
}

pub fn join(dir: &str, file: &str) -> String {
    if dir.is_empty() {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    }
}

/// A random path from the vocabulary.
pub fn random_path(rng: &mut Rng) -> String {
    join(rng.pick::<&str>(DIRS), rng.pick::<&str>(FILES))
}

/// Length of a new content: mostly small, now and then a few MB (so that a
/// kill can land in the middle of a transfer).
pub fn random_len(rng: &mut Rng) -> usize {
    match rng.weighted(&[80, 16, 4]) {
        0 => rng.range(24, 400),
        1 => rng.range(400, 64 * 1024),
        _ => rng.range(1 << 20, 4 << 20),
    }
}

/// Bytes of content number `id`, exactly `len` long (at least the tag),
/// distinct from every other id's.
pub fn content(id: u64, len: usize, rng: &mut Rng) -> Vec<u8> {
    let mut out = format!("#{id:08x}#").into_bytes();
    out.reserve(len);
    let mut x = rng.next_u64();
    while out.len() < len {
        x = super::rng::mix(x.wrapping_add(1));
        for k in 0..8 {
            let v = ((x >> (k * 8)) & 0xff) as u8;
            out.push(if v < 8 { b'\n' } else { b'a' + v % 26 });
        }
    }
    out.truncate(len.max(10));
    out
}

/// The id tag at the start of a content, for the log.
pub fn tag(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(10)]).into_owned()
}

/// Write `bytes` at `root/rel`, creating parent directories.
pub fn put(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", p.display()));
}

/// Remove empty directories below `root` (a person's file manager leaves
/// them; sync tools ignore them), keeping `root` itself.
pub fn prune_empty_dirs(root: &Path) {
    fn rec(dir: &Path, top: bool) -> bool {
        let Ok(rd) = std::fs::read_dir(dir) else { return false };
        let mut empty = true;
        for e in rd.flatten() {
            let p = e.path();
            if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                if !rec(&p, false) {
                    empty = false;
                }
            } else {
                empty = false;
            }
        }
        if empty && !top {
            return std::fs::remove_dir(dir).is_ok();
        }
        empty
    }
    rec(root, true);
}

/// The paths a watcher reports between two snapshots: new, changed and
/// gone files (a rename is its old and its new name).
pub fn changed_since(before: &BTreeMap<String, Entry>, after: &BTreeMap<String, Entry>) -> Vec<String> {
    let mut out: Vec<String> = after.iter().filter(|(p, v)| before.get(*p) != Some(v)).map(|(p, _)| p.clone()).collect();
    out.extend(before.keys().filter(|p| !after.contains_key(*p)).cloned());
    out
}
