//! The hash cache of a first sync, kept in memory while the merge runs.
//!
//! rclone's `hasher` overlay stores every hash it computes in its bolt
//! database in a transaction of its own, each ending in two `fdatasync`s.
//! A first sync hashes every file on both sides, so on a real disk most of
//! its time went to those syncs (10,000 files: 23.6 s through the overlays
//! on disk, 5.9 s with the cache on tmpfs, 2.8 s raw with checksums). So a
//! first sync works on a copy of the folder's cache in `/dev/shm`, and the
//! copy replaces the cache (written whole, then renamed over it) when the
//! merge ends. A merge killed before that loses only the hashes it
//! computed: they are a cache, and the next run computes them again.

use std::path::{Path, PathBuf};

/// Free space the staging area must have (the cache of 100,000 files is
/// about 110 MB).
const MIN_FREE: u64 = 1 << 30;

/// A staged copy of one folder's hash cache.
pub struct Staged {
    dir: PathBuf,
    home: PathBuf,
}

fn staging_root() -> Option<PathBuf> {
    let root = PathBuf::from("/dev/shm");
    root.is_dir().then_some(root)
}

/// One staging dir per folder cache: named by the cache's own path, since
/// folder ids repeat across homes (two people, or parallel tests, with a
/// folder called "work" must never share one bolt file).
fn stage_dir(root: &Path, home: &Path) -> PathBuf {
    use md5::Digest as _;
    use std::os::unix::ffi::OsStrExt;
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    let digest = md5::Md5::digest(home.as_os_str().as_bytes());
    let key: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    root.join(format!("wsync-{uid}-{key}"))
}

fn free_bytes(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: `c` is a valid NUL-terminated path and `st` a writable struct.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    Some(st.f_bavail as u64 * st.f_frsize as u64)
}

fn bolt_files(kv: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(kv)
        .map(|rd| rd.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "bolt")).collect())
        .unwrap_or_default()
}

fn size_of(files: &[PathBuf]) -> u64 {
    files.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum()
}

/// Stage the cache at `home` (a folder's `--cache-dir`) in memory, or
/// `None` where there is no room or no tmpfs (the run then uses `home`).
pub fn begin(home: &Path) -> Option<Staged> {
    begin_in(&staging_root()?, home)
}

fn begin_in(root: &Path, home: &Path) -> Option<Staged> {
    use std::os::unix::fs::DirBuilderExt;
    let existing = bolt_files(&home.join("kv"));
    if free_bytes(root)? < MIN_FREE.max(4 * size_of(&existing)) {
        return None;
    }
    let dir = stage_dir(root, home);
    let _ = std::fs::remove_dir_all(&dir);
    // Owner only: the cache names every file of the folder.
    std::fs::DirBuilder::new().mode(0o700).create(&dir).ok()?;
    let staged = Staged { dir, home: home.to_path_buf() };
    std::fs::create_dir_all(staged.dir.join("kv")).ok()?;
    for f in existing {
        let name = f.file_name()?;
        std::fs::copy(&f, staged.dir.join("kv").join(name)).ok()?;
    }
    Some(staged)
}

impl Staged {
    /// The `--cache-dir` the run uses.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Put the staged cache in place of the folder's own.
    pub fn commit(&self) -> std::io::Result<()> {
        let kv = self.home.join("kv");
        std::fs::create_dir_all(&kv)?;
        for f in bolt_files(&self.dir.join("kv")) {
            let Some(name) = f.file_name() else { continue };
            let tmp = kv.join(format!("{}.tmp", name.to_string_lossy()));
            std::fs::copy(&f, &tmp)?;
            std::fs::File::open(&tmp)?.sync_all()?;
            std::fs::rename(&tmp, kv.join(name))?;
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Remove a staged copy of the cache at `home` left by a run that was
/// killed.
pub fn sweep(home: &Path) {
    if let Some(root) = staging_root() {
        let _ = std::fs::remove_dir_all(stage_dir(&root, home));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_staged_cache_replaces_the_folders_own_on_commit_and_leaves_nothing_behind() {
        let home = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join("kv")).unwrap();
        std::fs::write(home.path().join("kv/wsyncl~hasher.bolt"), b"old").unwrap();
        let staged = begin_in(root.path(), home.path()).expect("a staging dir with room");
        assert!(staged.dir().starts_with(root.path()));
        let copy = staged.dir().join("kv/wsyncl~hasher.bolt");
        assert_eq!(std::fs::read(&copy).unwrap(), b"old");
        std::fs::write(&copy, b"new hashes").unwrap();
        std::fs::write(staged.dir().join("kv/wsynch~hasher.bolt"), b"cloud").unwrap();
        staged.commit().unwrap();
        let dir = staged.dir().to_path_buf();
        drop(staged);
        assert!(!dir.exists(), "the staging dir is removed");
        assert_eq!(std::fs::read(home.path().join("kv/wsyncl~hasher.bolt")).unwrap(), b"new hashes");
        assert_eq!(std::fs::read(home.path().join("kv/wsynch~hasher.bolt")).unwrap(), b"cloud");
        assert!(!home.path().join("kv/wsyncl~hasher.bolt.tmp").exists());
    }

    #[test]
    fn two_homes_with_one_folder_id_never_share_a_staging_dir() {
        let root = tempfile::tempdir().unwrap();
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (ha, hb) = (a.path().join("cache/ws"), b.path().join("cache/ws"));
        let sa = begin_in(root.path(), &ha).unwrap();
        let sb = begin_in(root.path(), &hb).unwrap();
        assert_ne!(sa.dir(), sb.dir());
        assert!(sa.dir().is_dir() && sb.dir().is_dir(), "starting one does not remove the other");
    }
}
