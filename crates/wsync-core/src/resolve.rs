//! Settling a conflict the way the person chose: keep this computer's
//! version, keep the cloud's, or keep both (the conflict copy stays as a
//! normal file). The chosen content ends up under the file's original name,
//! so the next sync carries it to both sides; the version not chosen goes to
//! the kept versions ([`crate::versions`]), never to oblivion.

use std::io::ErrorKind;
use std::path::Path;

use crate::error::{Error, Result};
use crate::report::ConflictReport;
use crate::versions;

/// Which version of a conflicted file to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Keep {
    /// This computer's version.
    Local,
    /// The cloud's version.
    Remote,
    /// Both: the conflict copy stays as a normal file.
    Both,
}

impl Keep {
    /// `local`, `remote` or `both` (any case).
    pub fn parse(s: &str) -> Option<Keep> {
        match s.trim().to_ascii_lowercase().as_str() {
            "local" => Some(Keep::Local),
            "remote" => Some(Keep::Remote),
            "both" => Some(Keep::Both),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Keep::Local => "local",
            Keep::Remote => "remote",
            Keep::Both => "both",
        }
    }
}

/// What [`apply`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    /// both copies already settled by the person (a copy is gone)
    AlreadySettled,
}

fn exists(root: &Path, rel: &str) -> Result<bool> {
    let p = root.join(rel);
    match std::fs::symlink_metadata(&p) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::io(format!("cannot read {}", p.display()), e)),
    }
}

/// Settle one conflict of `folder` (whose local copy is `local_root`) by
/// keeping `keep`. Afterwards only `c.path` remains of the two copies,
/// holding the chosen content (with [`Keep::Both`], nothing moves).
pub fn apply(folder: &str, local_root: &Path, c: &ConflictReport, keep: Keep) -> Result<Outcome> {
    let path = crate::relpath::clean_rel(&c.path, "conflict path")?;
    let local = crate::relpath::clean_rel(&c.local_copy, "local copy")?;
    let remote = crate::relpath::clean_rel(&c.remote_copy, "remote copy")?;
    if path.is_empty() || local.is_empty() || remote.is_empty() {
        return Err(Error::Config(format!(
            "the conflict {:?} / {:?} / {:?} names the synced folder itself; give the paths of files inside it",
            c.path, c.local_copy, c.remote_copy
        )));
    }
    let (winner, loser) = match keep {
        Keep::Both => return Ok(Outcome::Applied),
        Keep::Local => (local, remote),
        Keep::Remote => (remote, local),
    };
    if winner == loser || !exists(local_root, &winner)? || !exists(local_root, &loser)? {
        return Ok(Outcome::AlreadySettled);
    }

    // The loser leaves the folder (the next sync deletes it in the cloud too).
    versions::keep(folder, local_root, &loser)?;

    if winner != path {
        // A third file now holding the name (neither copy) is kept as well.
        if exists(local_root, &path)? {
            versions::keep(folder, local_root, &path)?;
        }
        let from = local_root.join(&winner);
        let to = local_root.join(&path);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
        }
        std::fs::rename(&from, &to).map_err(|e| {
            Error::io(
                format!(
                    "cannot rename {} to {} (the other version is already in the kept versions; `wsync versions {folder} {path}` lists it)",
                    from.display(),
                    to.display()
                ),
                e,
            )
        })?;
    }
    Ok(Outcome::Applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::versions::tests::data_home;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap()
    }

    fn names(root: &Path, dir: &str) -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    const NAME: &str = "docs/notes.md";
    const LOCAL_COPY: &str = "docs/notes.conflict-local-2026-11-25-1432.md";
    const REMOTE_COPY: &str = "docs/notes.conflict-remote-2026-11-25-1432.md";

    /// A conflict where `local_holds_name` says which side kept the name.
    fn setup(root: &Path, local_holds_name: bool) -> ConflictReport {
        let (local_copy, remote_copy) = if local_holds_name { (NAME, REMOTE_COPY) } else { (LOCAL_COPY, NAME) };
        write(&root.join(local_copy), "mine");
        write(&root.join(remote_copy), "cloud");
        ConflictReport { path: NAME.into(), local_copy: local_copy.into(), remote_copy: remote_copy.into() }
    }

    #[test]
    fn resolve_conflicts() {
        data_home();
        assert_eq!(Keep::parse(" Local "), Some(Keep::Local));
        assert_eq!(Keep::parse("remote"), Some(Keep::Remote));
        assert_eq!(Keep::parse("BOTH"), Some(Keep::Both));
        assert_eq!(Keep::parse("newer"), None);
        for k in [Keep::Local, Keep::Remote, Keep::Both] {
            assert_eq!(Keep::parse(k.key()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), serde_json::json!(k.key()));
        }

        for (i, local_holds_name) in [true, false].into_iter().enumerate() {
            for keep in [Keep::Local, Keep::Remote, Keep::Both] {
                let folder = format!("resolve-{i}-{}", keep.key());
                let dir = tempfile::tempdir().unwrap();
                let root = dir.path();
                let c = setup(root, local_holds_name);
                let case = format!("local holds name: {local_holds_name}, keep {}", keep.key());
                assert_eq!(apply(&folder, root, &c, keep).unwrap(), Outcome::Applied, "{case}");
                let kept = versions::list(&folder, None).unwrap();
                match keep {
                    Keep::Both => {
                        assert_eq!(names(root, "docs").len(), 2, "{case}");
                        assert_eq!(read(&root.join(&c.local_copy)), "mine");
                        assert_eq!(read(&root.join(&c.remote_copy)), "cloud");
                        assert!(kept.is_empty(), "{case}");
                    }
                    Keep::Local | Keep::Remote => {
                        let (won, lost) = if keep == Keep::Local { ("mine", "cloud") } else { ("cloud", "mine") };
                        assert_eq!(names(root, "docs"), ["notes.md"], "{case}");
                        assert_eq!(read(&root.join(NAME)), won, "{case}");
                        assert_eq!(kept.len(), 1, "{case}");
                        assert_eq!(read(&kept[0].location), lost, "{case}: the loser is kept");
                        let loser_name = if keep == Keep::Local { &c.remote_copy } else { &c.local_copy };
                        assert_eq!(&kept[0].path, loser_name, "{case}");
                        // Applying again: a copy is gone.
                        assert_eq!(apply(&folder, root, &c, keep).unwrap(), Outcome::AlreadySettled, "{case}");
                        assert_eq!(read(&root.join(NAME)), won);
                        assert_eq!(versions::list(&folder, None).unwrap().len(), 1);
                    }
                }
            }
        }

        // A copy the person removed or renamed by hand: nothing moves.
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let c = setup(root, true);
        std::fs::remove_file(root.join(REMOTE_COPY)).unwrap();
        for keep in [Keep::Local, Keep::Remote] {
            assert_eq!(apply("resolve-gone", root, &c, keep).unwrap(), Outcome::AlreadySettled);
        }
        assert_eq!(read(&root.join(NAME)), "mine");
        assert!(versions::list("resolve-gone", None).unwrap().is_empty());
        let same = ConflictReport { path: NAME.into(), local_copy: NAME.into(), remote_copy: NAME.into() };
        assert_eq!(apply("resolve-gone", root, &same, Keep::Remote).unwrap(), Outcome::AlreadySettled);
        assert_eq!(read(&root.join(NAME)), "mine");

        // Neither copy holds the name: the winner takes it.
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(&root.join(LOCAL_COPY), "mine");
        write(&root.join(REMOTE_COPY), "cloud");
        let c = ConflictReport { path: NAME.into(), local_copy: LOCAL_COPY.into(), remote_copy: REMOTE_COPY.into() };
        assert_eq!(apply("resolve-neither", root, &c, Keep::Remote).unwrap(), Outcome::Applied);
        assert_eq!(names(root, "docs"), ["notes.md"]);
        assert_eq!(read(&root.join(NAME)), "cloud");
        assert_eq!(read(&versions::list("resolve-neither", None).unwrap()[0].location), "mine");

        // Bad paths are refused before anything moves.
        let bad = ConflictReport { path: "../x".into(), local_copy: "../x".into(), remote_copy: "y".into() };
        assert!(matches!(apply("resolve-bad", root, &bad, Keep::Local), Err(Error::Config(_))));
        let bad = ConflictReport { path: "/etc/x".into(), local_copy: "/etc/x".into(), remote_copy: "y".into() };
        assert!(matches!(apply("resolve-bad", root, &bad, Keep::Local), Err(Error::Config(_))));
    }
}
