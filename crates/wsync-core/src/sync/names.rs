//! Names of conflict copies: `notes.conflict-remote-2026-11-25-1432.md`,
//! keeping the extension and saying which side the copy came from and when.

use std::path::Path;

/// Which side a conflict copy holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Local,
    Remote,
}

impl Side {
    pub fn word(self) -> &'static str {
        match self {
            Side::Local => "local",
            Side::Remote => "remote",
        }
    }
}

/// `--conflict-suffix` value for bisync: Path1 (local) and Path2 (remote),
/// stamped with `when`'s minute. Copies are named by the minute, and
/// bisync moves a loser onto an existing name (a second conflict of one
/// file within a minute replaced the first one's copy), so where
/// `taken(".conflict-remote-<stamp>")` says the records already hold such
/// names, the copies are numbered as ours are (`conflict-remote2-…`).
pub fn bisync_conflict_suffix(when: chrono::DateTime<chrono::Local>, taken: impl Fn(&str) -> bool) -> String {
    let stamp = when.format("%Y-%m-%d-%H%M").to_string();
    let pick = |n: u32| if n < 2 { String::new() } else { n.to_string() };
    let n = (1..10_000u32)
        .find(|&n| !taken(&format!(".conflict-local{}-{stamp}", pick(n))) && !taken(&format!(".conflict-remote{}-{stamp}", pick(n))))
        .unwrap_or(10_000);
    format!("conflict-local{0}-{stamp},conflict-remote{0}-{stamp}", pick(n))
}

/// The conflict copy name of `rel` (a path relative to the folder).
pub fn conflict_name(rel: &str, side: Side, when: chrono::DateTime<chrono::Local>) -> String {
    let stamp = when.format("%Y-%m-%d-%H%M");
    let (dir, file) = match rel.rfind('/') {
        Some(i) => (&rel[..=i], &rel[i + 1..]),
        None => ("", rel),
    };
    // A leading dot is part of the name, not an extension (".bashrc").
    let split_at = file.rfind('.').filter(|&i| i > 0);
    match split_at {
        Some(i) => format!("{dir}{}.conflict-{}-{stamp}{}", &file[..i], side.word(), &file[i..]),
        None => format!("{dir}{file}.conflict-{}-{stamp}", side.word()),
    }
}

/// A conflict name that does not exist yet under `root`.
pub fn free_conflict_name(root: &Path, rel: &str, side: Side, when: chrono::DateTime<chrono::Local>) -> String {
    let base = conflict_name(rel, side, when);
    if !root.join(&base).exists() {
        return base;
    }
    for n in 2..10_000u32 {
        let candidate = conflict_name(rel, side, when).replacen(
            &format!("conflict-{}-", side.word()),
            &format!("conflict-{}{n}-", side.word()),
            1,
        );
        if !root.join(&candidate).exists() {
            return candidate;
        }
    }
    // Ten thousand copies of one file in one minute: fall back to the pid.
    format!("{base}.{}", std::process::id())
}

/// True if `name` looks like a conflict copy this program made.
pub fn is_conflict_copy(name: &str) -> bool {
    name.contains(".conflict-local") || name.contains(".conflict-remote")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn keeps_extension_and_side() {
        let t = chrono::Local.with_ymd_and_hms(2026, 11, 25, 14, 32, 0).unwrap();
        assert_eq!(conflict_name("notes.md", Side::Remote, t), "notes.conflict-remote-2026-11-25-1432.md");
        assert_eq!(conflict_name("a/b/Makefile", Side::Local, t), "a/b/Makefile.conflict-local-2026-11-25-1432");
        assert_eq!(conflict_name(".bashrc", Side::Local, t), ".bashrc.conflict-local-2026-11-25-1432");
        assert_eq!(conflict_name("d.x/f", Side::Local, t), "d.x/f.conflict-local-2026-11-25-1432");
    }

    #[test]
    fn bisync_copies_are_numbered_when_the_minute_is_taken() {
        let t = chrono::Local.with_ymd_and_hms(2026, 11, 25, 14, 32, 0).unwrap();
        assert_eq!(bisync_conflict_suffix(t, |_| false), "conflict-local-2026-11-25-1432,conflict-remote-2026-11-25-1432");
        let records = "doc.conflict-remote-2026-11-25-1432.txt\nx.conflict-local2-2026-11-25-1432";
        assert_eq!(bisync_conflict_suffix(t, |s| records.contains(s)), "conflict-local3-2026-11-25-1432,conflict-remote3-2026-11-25-1432");
    }
}
