//! The model's record of every content the person wrote (place, path,
//! step, bytes hash), which of them a sync could have seen, and the checks
//! over the file system: no version lost, both sides equal, no stray
//! partial files.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::fs::{self, Entry};
use super::rng::{content_hash, Rng};

/// Where the person writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Local = 0,
    Remote = 1,
    Gateway = 2,
}

impl Place {
    pub fn word(self) -> &'static str {
        match self {
            Place::Local => "local",
            Place::Remote => "remote",
            Place::Gateway => "gateway",
        }
    }
}

/// One content the person wrote.
#[derive(Debug, Clone)]
pub struct Content {
    pub tag: String,
    pub place: Place,
    pub path: String,
    pub step: usize,
    pub hash: u64,
    pub len: u64,
    /// It existed on a synced side when a sync started.
    pub seen: bool,
    pub lost: bool,
    /// Where it was found at the last check.
    pub last_where: Vec<String>,
}

/// A folder the checks look into: a synced side or a kept-versions area.
pub struct Area {
    pub label: String,
    pub root: PathBuf,
    /// Only conflict copies count here (a third client's folder: what its
    /// own sync replaces is not this client's to keep).
    pub only_conflicts: bool,
}

#[derive(Default)]
pub struct Record {
    pub contents: Vec<Content>,
    next_id: u64,
    by_hash: HashMap<u64, usize>,
    /// Locations (`label:"path"`) whose file the person overwrote or
    /// deleted since the last check.
    destroyed: HashSet<String>,
}

impl Record {
    /// A new content for `path` on `place`, `len` bytes long; recorded.
    pub fn write(&mut self, place: Place, path: &str, step: usize, len: usize, rng: &mut Rng) -> Vec<u8> {
        self.next_id += 1;
        let bytes = fs::content(self.next_id, len.max(10), rng);
        let hash = content_hash(&bytes);
        self.by_hash.insert(hash, self.contents.len());
        self.contents.push(Content {
            tag: fs::tag(&bytes),
            place,
            path: path.to_string(),
            step,
            hash,
            len: bytes.len() as u64,
            seen: false,
            lost: false,
            last_where: Vec::new(),
        });
        bytes
    }

    /// The person overwrote or deleted the file at `path` on `place`.
    pub fn destroyed(&mut self, place: Place, path: &str) {
        self.destroyed.insert(format!("{}:{path:?}", place.word()));
    }

    /// A sync starts: whatever the person wrote that is on a synced side
    /// now is a version from here on.
    pub fn mark_seen(&mut self, sides: &[&Path]) {
        for root in sides {
            for (_, e) in fs::snapshot(root) {
                if let Some(&i) = self.by_hash.get(&e.hash) {
                    self.contents[i].seen = true;
                }
            }
        }
    }

    /// The person's tag of what a file holds, for messages.
    pub fn describe(&self, e: Option<&Entry>) -> String {
        match e {
            None => "nothing".into(),
            Some(e) => match self.by_hash.get(&e.hash) {
                Some(&i) => format!("{} (written as {}:{:?} at step {})", self.contents[i].tag, self.contents[i].place.word(), self.contents[i].path, self.contents[i].step),
                None => format!("a {} B file the person never wrote", e.len),
            },
        }
    }

    /// No version lost: every seen content is still a file in some area.
    /// Returns a message for each content found lost now.
    pub fn check_lost(&mut self, areas: &[Area]) -> Vec<String> {
        let snaps: Vec<(&Area, BTreeMap<String, Entry>)> = areas.iter().map(|a| (a, fs::snapshot(&a.root))).collect();
        let mut found: HashMap<u64, Vec<String>> = HashMap::new();
        for (a, snap) in &snaps {
            for (rel, e) in snap {
                if !fs::is_partial(rel) && (!a.only_conflicts || fs::is_conflict_copy(rel)) {
                    found.entry(e.hash).or_default().push(format!("{}:{rel:?}", a.label));
                }
            }
        }
        let mut out = Vec::new();
        for i in 0..self.contents.len() {
            let c = &self.contents[i];
            if !c.seen || c.lost {
                continue;
            }
            if let Some(places) = found.get(&c.hash) {
                self.contents[i].last_where = places.clone();
                continue;
            }
            // Copies the person destroyed themselves are not the sync's doing.
            let left: Vec<&String> = c.last_where.iter().filter(|w| !self.destroyed.contains(*w)).collect();
            let cause = if left.iter().any(|w| w.starts_with("local:")) {
                "a sync replaced or deleted the copy on this computer without keeping a version"
            } else if left.iter().any(|w| w.starts_with("remote:")) {
                "a sync replaced or deleted the cloud copy without keeping a version (cloud versions area)"
            } else if left.iter().any(|w| w.starts_with("gateway:")) {
                "only the gateway's conflict copy held it, and it is gone"
            } else if c.last_where.is_empty() {
                if c.place == Place::Local {
                    "the first sync that saw it replaced or deleted it on this computer without keeping a version"
                } else {
                    "the first sync that saw it replaced or deleted it in the cloud without keeping a version (cloud versions area)"
                }
            } else if left.is_empty() {
                // The person overwrote or deleted every copy themselves: no
                // sync replaced it, so no sync could have kept it.
                self.contents[i].lost = true;
                continue;
            } else {
                "a kept version vanished"
            };
            let now = left
                .first()
                .and_then(|w| {
                    let (label, rel) = w.split_once(':')?;
                    let rel: String = serde_json::from_str(rel).ok()?;
                    let snap = &snaps.iter().find(|(a, _)| a.label == label)?.1;
                    Some(format!("; {label}:{rel:?} now holds {}", self.describe(snap.get(&rel))))
                })
                .unwrap_or_default();
            out.push(format!(
                "version lost: {} ({} B) written as {}:{:?} at step {}; last seen at [{}]{now}; {cause}",
                c.tag,
                c.len,
                c.place.word(),
                c.path,
                c.step,
                c.last_where.join(", ")
            ));
            self.contents[i].lost = true;
        }
        self.destroyed.clear();
        out
    }
}

/// Differences between two synced folders (excluded names and partial
/// files left out), as short lines.
pub fn differences(rec: &Record, a: (&str, &Path), b: (&str, &Path)) -> Vec<String> {
    let sa = fs::synced_view(a.1);
    let sb = fs::synced_view(b.1);
    let mut out = Vec::new();
    for (rel, e) in &sa {
        match sb.get(rel) {
            None => out.push(format!("{rel:?} only on {} ({})", a.0, rec.describe(Some(e)))),
            Some(f) if f != e => out.push(format!("{rel:?} differs: {} has {}, {} has {}", a.0, rec.describe(Some(e)), b.0, rec.describe(Some(f)))),
            _ => {}
        }
    }
    for (rel, e) in &sb {
        if !sa.contains_key(rel) {
            out.push(format!("{rel:?} only on {} ({})", b.0, rec.describe(Some(e))));
        }
    }
    out
}

/// Files under `root` (outside partial and excluded names) whose bytes no
/// person wrote: a truncated transfer that took a real name.
pub fn foreign(rec: &Record, label: &str, root: &Path) -> Vec<String> {
    fs::synced_view(root)
        .into_iter()
        .filter(|(_, e)| !rec.by_hash.contains_key(&e.hash))
        .map(|(rel, e)| format!("{label}:{rel:?} ({} B no person wrote)", e.len))
        .collect()
}

/// Stray partial files under `root`.
pub fn partials(label: &str, root: &Path) -> Vec<String> {
    fs::walk(root).into_iter().filter(|f| fs::is_partial(f)).map(|f| format!("{label}:{f:?}")).collect()
}
