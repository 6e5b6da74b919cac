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

/// The Go time layout rclone expands in `--conflict-suffix`.
pub const STAMP_LAYOUT_GO: &str = "{2006-01-02-1504}";

/// `--conflict-suffix` value for bisync: Path1 (local) and Path2 (remote).
pub fn bisync_conflict_suffix() -> String {
    format!("conflict-local-{STAMP_LAYOUT_GO},conflict-remote-{STAMP_LAYOUT_GO}")
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
}
