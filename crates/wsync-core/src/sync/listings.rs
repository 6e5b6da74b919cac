//! bisync's listings: the records of the last completed sync, one file per
//! side (`<session>.path1.lst`, `.path2.lst`) in the folder's work dir.
//!
//! Format (rclone 1.75, cmd/bisync/listing.go): a `# bisync listing v1
//! from <time>` header, then one line per entry: flags (`-` file, `d`
//! dir), size, hash (`md5:<hex>` or `-`), id (`-`), modtime
//! (`2006-01-02T15:04:05.000000000-0700`) and the Go-quoted name. Order
//! does not matter to bisync; nothing checks the file's integrity, and a
//! malformed line is dropped with a notice (so we never write one).
//!
//! The fast path and the handling of renames edit these records, so that
//! the next full bisync treats what they did as in sync.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub flags: String,
    pub size: i64,
    pub hash: String,
    pub id: String,
    pub modtime: String,
    pub name: String,
}

impl Entry {
    pub fn line(&self) -> String {
        // Go's %q of the name: JSON string escaping is the same for every
        // name a file system gives (UTF-8, control characters escaped).
        let quoted = serde_json::to_string(&self.name).unwrap_or_else(|_| format!("\"{}\"", self.name));
        format!("{} {:>8} {} {} {} {}", self.flags, self.size, self.hash, self.id, self.modtime, quoted)
    }

    /// The modification time in Unix milliseconds, if it parses.
    pub fn unix_ms(&self) -> Option<i64> {
        parse_time(&self.modtime).map(|d| d.timestamp_millis())
    }

    /// The hash column without its type (`md5:ab…` → `ab…`), if any.
    pub fn hash_value(&self) -> Option<&str> {
        (self.hash != "-").then(|| self.hash.split_once(':').map(|(_, v)| v).unwrap_or(&self.hash))
    }
}

/// Parse one entry line; None for comments, blank and malformed lines.
pub fn parse_line(line: &str) -> Option<Entry> {
    if line.starts_with('#') || line.trim().is_empty() {
        return None;
    }
    let (head, name) = line.split_once(" \"").map(|(h, n)| (h, format!("\"{n}")))?;
    let name: String = serde_json::from_str(&name).ok()?;
    let mut f = head.split_whitespace();
    let entry = Entry {
        flags: f.next()?.to_string(),
        size: f.next()?.parse().ok()?,
        hash: f.next()?.to_string(),
        id: f.next()?.to_string(),
        modtime: f.next()?.to_string(),
        name,
    };
    f.next().is_none().then_some(entry)
}

/// One side's listing as read from its file.
#[derive(Debug, Clone)]
pub struct Listing {
    pub path: PathBuf,
    pub header: String,
    pub entries: Vec<Entry>,
}

impl Listing {
    pub fn read(path: &Path) -> Result<Listing> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(format!("cannot read the sync records {}", path.display()), e))?;
        let header = text.lines().next().filter(|l| l.starts_with('#')).unwrap_or("# bisync listing v1").to_string();
        Ok(Listing { path: path.to_path_buf(), header, entries: text.lines().filter_map(parse_line).collect() })
    }

    pub fn files(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.flags == "-")
    }

    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// Put `entry` in place of the one of the same name (or add it).
    pub fn upsert(&mut self, entry: Entry) {
        match self.entries.iter_mut().find(|e| e.name == entry.name) {
            Some(e) => *e = entry,
            None => self.entries.push(entry),
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<Entry> {
        let i = self.entries.iter().position(|e| e.name == name)?;
        Some(self.entries.remove(i))
    }

    /// Write it back atomically (bisync reads it at its next run).
    pub fn write(&self) -> Result<()> {
        let mut text = String::with_capacity(self.entries.len() * 96 + 64);
        text.push_str(&self.header);
        text.push('\n');
        for e in &self.entries {
            text.push_str(&e.line());
            text.push('\n');
        }
        crate::fsutil::write_atomic(&self.path, text.as_bytes(), 0o600)
            .map_err(|e| Error::io(format!("cannot update the sync records {}", self.path.display()), e))
    }
}

/// bisync's listing time layout, in UTC.
pub fn format_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.9f+0000").to_string()
}

/// A time in bisync's listing layout (or RFC 3339, as lsjson prints it).
pub fn parse_time(t: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    chrono::DateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f%z").or_else(|_| chrono::DateTime::parse_from_rfc3339(t)).ok()
}

/// The name bisync gives a session of `path1` and `path2`: the canonical
/// forms joined by `..`, where `/ \ : ? *` and spaces become `_`.
pub fn session_name(path1: &str, path2: &str) -> String {
    let canon = |p: &str| -> String {
        let p = p.trim_start_matches('/');
        p.chars().map(|c| if matches!(c, '/' | '\\' | ':' | '?' | '*' | ' ') { '_' } else { c }).collect()
    };
    format!("{}..{}", canon(path1), canon(path2))
}

/// The current listing files of session `session` in `workdir`.
pub fn files_of(workdir: &Path, session: &str) -> (PathBuf, PathBuf) {
    (workdir.join(format!("{session}.path1.lst")), workdir.join(format!("{session}.path2.lst")))
}

/// A work dir holds one session; listings written under another name (an
/// older spelling of the same two paths) take the current name, so that a
/// change of how the sides are addressed never loses the records.
pub fn adopt_session(workdir: &Path, session: &str) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(workdir) else { return Ok(()) };
    let prefix = format!("{session}.");
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(&prefix) || !(name.contains(".path1.lst") || name.contains(".path2.lst")) {
            continue;
        }
        let Some(i) = name.find(".path") else { continue };
        let target = workdir.join(format!("{session}{}", &name[i..]));
        if target.exists() {
            continue;
        }
        std::fs::rename(e.path(), &target).map_err(|err| Error::io(format!("cannot rename {}", e.path().display()), err))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_round_trip_and_bad_lines_are_skipped() {
        let l = r#"-        7 md5:e243bb39c844b3543a7726576c869caf - 2026-12-02T06:23:27.899701914+0000 "a b/ü \"q\".txt""#;
        let e = parse_line(l).unwrap();
        assert_eq!(e.name, "a b/ü \"q\".txt");
        assert_eq!(e.size, 7);
        assert_eq!(e.hash_value(), Some("e243bb39c844b3543a7726576c869caf"));
        assert_eq!(e.line(), l);
        assert!(parse_line("# bisync listing v1 from 2026").is_none());
        assert!(parse_line("-  x - - t \"n\"").is_none());
        assert_eq!(session_name("wsyncl:", "wsynch:share/sub dir"), "wsyncl_..wsynch_share_sub_dir");
    }

    #[test]
    fn old_session_names_are_adopted() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("home_x..wsync_share.path1.lst"), "# h\n").unwrap();
        std::fs::write(d.path().join("home_x..wsync_share.path2.lst-old"), "# h\n").unwrap();
        adopt_session(d.path(), "wsyncl_..wsynch_share").unwrap();
        assert!(d.path().join("wsyncl_..wsynch_share.path1.lst").exists());
        assert!(d.path().join("wsyncl_..wsynch_share.path2.lst-old").exists());
    }
}
