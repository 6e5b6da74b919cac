//! Kept versions: every local file that a sync deletes or overwrites, and
//! every conflict loser the person discards, is moved into
//! `data_dir()/versions/<folder>/<STAMP>/<relative path>`, one fresh STAMP
//! directory per run (`2026-11-25T143205.123Z`, UTC). Versions are listed,
//! restored (copied back, so they stay kept) and pruned after some days.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};

use crate::error::{Error, Result};
use crate::paths;

/// The STAMP layout of run directories (UTC, milliseconds).
const STAMP_FORMAT: &str = "%Y-%m-%dT%H%M%S%.3fZ";
/// The same layout without the trailing `Z`, for parsing.
const STAMP_PARSE: &str = "%Y-%m-%dT%H%M%S%.3f";

/// Where the kept versions of one folder live.
pub fn root(folder: &str) -> PathBuf {
    paths::data_dir().join("versions").join(folder)
}

/// Run directories handed out by this process, so that two calls in the
/// same millisecond differ even before either directory exists.
static ISSUED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A fresh run directory `root(folder)/<STAMP>` (not created). If that name
/// exists already, or was handed out already, `-2`, `-3`, ... is appended.
pub fn new_run_dir(folder: &str) -> PathBuf {
    let base = root(folder);
    let stamp = Utc::now().format(STAMP_FORMAT).to_string();
    let mut issued = ISSUED.lock().unwrap_or_else(|e| e.into_inner());
    let mut candidate = base.join(&stamp);
    let mut n = 2u32;
    while issued.contains(&candidate) || std::fs::symlink_metadata(&candidate).is_ok() {
        candidate = base.join(format!("{stamp}-{n}"));
        n += 1;
    }
    issued.push(candidate.clone());
    if issued.len() > 256 {
        issued.drain(..128);
    }
    candidate
}

/// One kept version of one file.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Version {
    /// The file's path relative to the folder, with `/` separators.
    pub path: String,
    /// When it was kept (RFC 3339, UTC, from the run directory's STAMP).
    pub kept_at: String,
    pub size: u64,
    /// Where the kept copy lies.
    #[serde(skip)]
    pub location: PathBuf,
}

/// A STAMP run directory found in the area.
struct RunDir {
    name: String,
    time: DateTime<Utc>,
    /// 1 for the plain STAMP, n for `STAMP-n`.
    seq: u32,
    dir: PathBuf,
}

/// Parse a run directory name: `STAMP` or `STAMP-n`.
fn parse_stamp(name: &str) -> Option<(DateTime<Utc>, u32)> {
    let (base, seq) = match name.find("Z-") {
        Some(i) => (&name[..i], name[i + 2..].parse::<u32>().ok().filter(|&n| n >= 2)?),
        None => (name.strip_suffix('Z')?, 1),
    };
    let naive = NaiveDateTime::parse_from_str(base, STAMP_PARSE).ok()?;
    Some((naive.and_utc(), seq))
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Check a path given relative to the folder and bring it to the form
/// `a/b/c` (no empty or `.` segments). `what` names the argument in messages.
pub(crate) fn clean_rel(rel: &str, what: &str) -> Result<String> {
    if rel.starts_with('/') || Path::new(rel).is_absolute() {
        return Err(Error::Config(format!(
            "the {what} \"{rel}\" is absolute; give it relative to the synced folder, e.g. notes/todo.md"
        )));
    }
    let mut parts = Vec::new();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                return Err(Error::Config(format!(
                    "the {what} \"{rel}\" contains \"..\"; give a path inside the synced folder without \"..\" segments"
                )))
            }
            s => parts.push(s),
        }
    }
    Ok(parts.join("/"))
}

/// Same as [`clean_rel`], but the path must name something, not the folder itself.
fn clean_file_rel(rel: &str, what: &str) -> Result<String> {
    let clean = clean_rel(rel, what)?;
    if clean.is_empty() {
        return Err(Error::Config(format!(
            "the {what} \"{rel}\" names the synced folder itself; give the path of a file inside it, e.g. notes/todo.md"
        )));
    }
    Ok(clean)
}

/// The STAMP run directories of a folder, in no particular order. A missing
/// area has none; names that are not STAMPs are ignored.
fn run_dirs(folder: &str) -> Result<Vec<RunDir>> {
    let base = root(folder);
    let entries = match std::fs::read_dir(&base) {
        Ok(e) => e,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(format!("cannot read the kept versions in {}", base.display()), e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(format!("cannot read the kept versions in {}", base.display()), e))?;
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        let Some(name) = entry.file_name().to_str().map(str::to_string) else { continue };
        if !is_dir {
            continue;
        }
        if let Some((time, seq)) = parse_stamp(&name) {
            out.push(RunDir { name, time, seq, dir: entry.path() });
        }
    }
    Ok(out)
}

/// Every file (or symlink) under `dir`, as (relative path, location, size).
fn walk_files(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf, u64)>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(format!("cannot read {}", dir.display()), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(format!("cannot read {}", dir.display()), e))?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else { continue };
        let rel = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
        let path = entry.path();
        let meta = std::fs::symlink_metadata(&path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
        if meta.is_dir() {
            walk_files(&path, &rel, out)?;
        } else {
            out.push((rel, path, meta.len()));
        }
    }
    Ok(())
}

/// The run directories sorted newest first, with their versions; `filter`
/// keeps only the versions for which it returns true.
fn collect(folder: &str, filter: &dyn Fn(&str) -> bool) -> Result<Vec<(Version, String)>> {
    let mut runs = run_dirs(folder)?;
    runs.sort_by_key(|r| std::cmp::Reverse((r.time, r.seq)));
    let mut out = Vec::new();
    for run in runs {
        let mut files = Vec::new();
        walk_files(&run.dir, "", &mut files)?;
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let kept_at = rfc3339(run.time);
        for (path, location, size) in files {
            if filter(&path) {
                out.push((Version { path, kept_at: kept_at.clone(), size, location }, run.name.clone()));
            }
        }
    }
    Ok(out)
}

/// The kept versions of a folder, newest first. `path` keeps only that
/// file's versions, or those of the files under that directory. A folder
/// with no versions area has an empty list.
pub fn list(folder: &str, path: Option<&str>) -> Result<Vec<Version>> {
    let wanted = match path {
        Some(p) => clean_rel(p, "path")?,
        None => String::new(),
    };
    let dir_prefix = format!("{wanted}/");
    let filter = |p: &str| wanted.is_empty() || p == wanted || p.starts_with(&dir_prefix);
    Ok(collect(folder, &filter)?.into_iter().map(|(v, _)| v).collect())
}

/// Reserve a fresh run directory by creating it (atomically, so that two
/// processes never share one).
fn create_run_dir(folder: &str) -> Result<PathBuf> {
    let base = root(folder);
    paths::create_private_dir(&base)
        .map_err(|e| Error::io(format!("cannot create the kept versions folder {}", base.display()), e))?;
    for _ in 0..1000 {
        let dir = new_run_dir(folder);
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(format!("cannot create {}", dir.display()), e)),
        }
    }
    Err(Error::LocalFolder(format!(
        "cannot find a free run folder in {}; remove stale folders there and retry",
        base.display()
    )))
}

/// Copy a file, folder or symlink, keeping file modification times.
fn copy_tree(src: &Path, dst: &Path) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(src)?;
    if meta.is_dir() {
        std::fs::create_dir_all(dst)?;
        for entry in std::fs::read_dir(src)? {
            let entry = entry?;
            copy_tree(&entry.path(), &dst.join(entry.file_name()))?;
        }
    } else if meta.file_type().is_symlink() {
        std::os::unix::fs::symlink(std::fs::read_link(src)?, dst)?;
    } else {
        std::fs::copy(src, dst)?;
        let mtime = meta.modified()?;
        std::fs::File::open(dst)?.set_modified(mtime)?;
    }
    Ok(())
}

/// Move `from` to `to`: a rename, or a copy and remove across file systems.
fn move_path(from: &Path, to: &Path) -> std::io::Result<()> {
    match std::fs::rename(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.raw_os_error() == Some(libc::EXDEV) => {
            if let Err(e) = copy_tree(from, to) {
                let _ = std::fs::remove_dir_all(to).or_else(|_| std::fs::remove_file(to));
                return Err(e);
            }
            if std::fs::symlink_metadata(from)?.is_dir() {
                std::fs::remove_dir_all(from)
            } else {
                std::fs::remove_file(from)
            }
        }
        Err(e) => Err(e),
    }
}

/// Move `local_root/rel` into a new run directory of the folder's versions
/// area; returns where it went.
pub fn keep(folder: &str, local_root: &Path, rel: &str) -> Result<PathBuf> {
    let rel = clean_file_rel(rel, "path")?;
    let src = local_root.join(&rel);
    match std::fs::symlink_metadata(&src) {
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Err(Error::LocalFolder(format!(
                "cannot keep {rel}: there is no such file in {}; check the path",
                local_root.display()
            )))
        }
        Err(e) => return Err(Error::io(format!("cannot read {}", src.display()), e)),
    }
    let run = create_run_dir(folder)?;
    let dest = run.join(&rel);
    let result = (|| {
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)?;
        }
        move_path(&src, &dest)
    })();
    match result {
        Ok(()) => Ok(dest),
        Err(e) => {
            // Nothing was moved (the source is removed last): drop the empty run dir.
            let _ = std::fs::remove_dir_all(&run);
            Err(Error::io(format!("cannot move {} to the kept versions in {}", src.display(), run.display()), e))
        }
    }
}

/// Which version `at` picks among `candidates` (newest first).
fn pick_at<'a>(candidates: &'a [(Version, String)], at: &str) -> Option<&'a Version> {
    if let Ok(t) = DateTime::parse_from_rfc3339(at) {
        let mut bound = t.with_timezone(&Utc);
        // A time given to the second covers that whole second.
        if !at.contains('.') {
            bound += chrono::Duration::milliseconds(999);
        }
        return candidates
            .iter()
            .find(|(v, _)| DateTime::parse_from_rfc3339(&v.kept_at).map(|k| k.with_timezone(&Utc) <= bound).unwrap_or(false))
            .map(|(v, _)| v);
    }
    candidates.iter().find(|(v, stamp)| v.kept_at.starts_with(at) || stamp.starts_with(at)).map(|(v, _)| v)
}

/// Put a kept version of `path` back into `local_root`: the newest one, or
/// the one `at` picks (an RFC 3339 time: the newest kept at or before it; or
/// a prefix of a kept time or STAMP, e.g. `2026-11-25T14`). A file now at
/// `path` is kept first; the version is copied, so it stays in the area.
/// The restored file's modification time is now, so the next sync sees it
/// as changed and carries it to the cloud.
pub fn restore(folder: &str, local_root: &Path, path: &str, at: Option<&str>) -> Result<Version> {
    let rel = clean_file_rel(path, "path")?;
    let candidates = collect(folder, &|p: &str| p == rel)?;
    let chosen = match at {
        None => candidates.first().map(|(v, _)| v),
        Some(at) => pick_at(&candidates, at.trim()),
    };
    let Some(version) = chosen.cloned() else {
        let at_text = at.map(|a| format!(" at {a}")).unwrap_or_default();
        return Err(Error::LocalFolder(format!(
            "no kept version of {rel}{at_text}; see `wsync versions {folder} {rel}`"
        )));
    };

    let target = local_root.join(&rel);
    match std::fs::symlink_metadata(&target) {
        Ok(m) if m.is_dir() => {
            return Err(Error::LocalFolder(format!(
                "cannot restore {rel}: {} is a folder; rename or move it, then retry",
                target.display()
            )))
        }
        Ok(_) => {
            keep(folder, local_root, &rel)?;
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(format!("cannot read {}", target.display()), e)),
    }

    let parent = target.parent().map(Path::to_path_buf).unwrap_or_else(|| local_root.to_path_buf());
    std::fs::create_dir_all(&parent).map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = parent.join(format!(".{name}.wsync-restore-{}", std::process::id()));
    let copied = (|| {
        let meta = std::fs::symlink_metadata(&version.location)?;
        if meta.file_type().is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&version.location)?, &tmp)?;
        } else {
            std::fs::copy(&version.location, &tmp)?;
            std::fs::File::open(&tmp)?.set_modified(std::time::SystemTime::now())?;
        }
        std::fs::rename(&tmp, &target)
    })();
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(format!("cannot restore {} to {}", version.location.display(), target.display()), e));
    }
    Ok(version)
}

/// Remove the run directories whose STAMP is more than `keep_days` days
/// old; returns how many kept files went with them.
pub fn prune(folder: &str, keep_days: u32) -> Result<usize> {
    let cutoff = Utc::now() - chrono::Duration::days(i64::from(keep_days));
    let mut removed = 0;
    for run in run_dirs(folder)? {
        if run.time >= cutoff {
            continue;
        }
        let mut files = Vec::new();
        walk_files(&run.dir, "", &mut files)?;
        std::fs::remove_dir_all(&run.dir)
            .map_err(|e| Error::io(format!("cannot remove old kept versions in {}", run.dir.display()), e))?;
        removed += files.len();
    }
    Ok(removed)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::OnceLock;
    use std::time::{Duration, SystemTime};

    /// One data dir for every test of the process: XDG_DATA_HOME is set
    /// once and never changed, so tests in parallel threads agree on it.
    /// Each test uses its own folder ids.
    pub(crate) fn data_home() -> &'static Path {
        static HOME: OnceLock<tempfile::TempDir> = OnceLock::new();
        HOME.get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            std::env::set_var("XDG_DATA_HOME", dir.path());
            dir
        })
        .path()
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap()
    }

    fn age(path: &Path) -> Duration {
        let m = std::fs::metadata(path).unwrap().modified().unwrap();
        SystemTime::now().duration_since(m).unwrap_or(Duration::ZERO)
    }

    fn set_mtime(path: &Path, t: SystemTime) {
        std::fs::File::open(path).unwrap().set_modified(t).unwrap();
    }

    #[test]
    fn versions_area() {
        let home = data_home();
        let folder = "versions-test";
        let local = tempfile::tempdir().unwrap();
        let lr = local.path();

        // root and run dirs
        assert_eq!(root(folder), home.join("workspace-sync/versions").join(folder));
        let runs: Vec<PathBuf> = (0..50).map(|_| new_run_dir(folder)).collect();
        for (i, r) in runs.iter().enumerate() {
            assert_eq!(r.parent().unwrap(), root(folder));
            let name = r.file_name().unwrap().to_str().unwrap();
            assert!(parse_stamp(name).is_some(), "{name} parses as a STAMP");
            assert!(!runs[i + 1..].contains(r), "run dirs differ: {r:?}");
            assert!(!r.exists(), "new_run_dir does not create");
        }
        assert_eq!(parse_stamp("2026-11-25T143205.123Z").map(|(t, s)| (rfc3339(t), s)), Some(("2026-11-25T14:32:05.123Z".into(), 1)));
        assert_eq!(parse_stamp("2026-11-25T143205.123Z-3").map(|(_, s)| s), Some(3));
        assert!(parse_stamp("notes").is_none() && parse_stamp("2026-11-25T143205.123Z-x").is_none());

        // A missing area is an empty list.
        assert!(list(folder, None).unwrap().is_empty());

        // path validation
        for bad in ["/etc/passwd", "../x", "a/../../b", "a/.."] {
            for r in [list(folder, Some(bad)).map(|_| ()), keep(folder, lr, bad).map(|_| ()), restore(folder, lr, bad, None).map(|_| ())] {
                match r {
                    Err(Error::Config(m)) => assert!(m.contains(bad) && !m.contains('\n'), "{m}"),
                    other => panic!("{bad}: {other:?}"),
                }
            }
        }
        assert!(matches!(keep(folder, lr, "."), Err(Error::Config(_))));
        assert!(matches!(keep(folder, lr, "missing.txt"), Err(Error::LocalFolder(_))));

        // keep: moved out of the folder, into a fresh run dir, with its path
        write(&lr.join("notes/a.md"), "a1");
        write(&lr.join("b.txt"), "b1");
        let kept_a = keep(folder, lr, "./notes//a.md").unwrap();
        assert!(!lr.join("notes/a.md").exists());
        assert_eq!(read(&kept_a), "a1");
        assert!(kept_a.starts_with(root(folder)) && kept_a.ends_with("notes/a.md"));
        // Keeps in the same millisecond get `-2` dirs but share a kept time;
        // these are apart so that `--at` can tell them apart below.
        std::thread::sleep(Duration::from_millis(3));
        write(&lr.join("notes/a.md"), "a2");
        let kept_a2 = keep(folder, lr, "notes/a.md").unwrap();
        assert_ne!(kept_a.parent(), kept_a2.parent(), "each keep has its own run dir");
        std::thread::sleep(Duration::from_millis(3));
        keep(folder, lr, "b.txt").unwrap();

        // list: newest first, filtered by file or directory
        let all = list(folder, None).unwrap();
        assert_eq!(all.iter().map(|v| v.path.as_str()).collect::<Vec<_>>(), ["b.txt", "notes/a.md", "notes/a.md"]);
        assert_eq!(read(&all[1].location), "a2");
        assert_eq!(all[1].size, 2);
        assert!(DateTime::parse_from_rfc3339(&all[0].kept_at).is_ok());
        assert!(all[0].kept_at >= all[1].kept_at && all[1].kept_at >= all[2].kept_at);
        assert_eq!(list(folder, Some("notes")).unwrap().len(), 2);
        assert_eq!(list(folder, Some("notes/")).unwrap().len(), 2);
        assert_eq!(list(folder, Some("notes/a.md")).unwrap().len(), 2);
        assert!(list(folder, Some("note")).unwrap().is_empty());
        let json = serde_json::to_value(&all[0]).unwrap();
        assert_eq!(json, serde_json::json!({"path": "b.txt", "keptAt": all[0].kept_at, "size": 2}));

        // restore to an empty place: the newest version, copied, mtime now
        let before_restore = std::fs::metadata(&all[1].location).unwrap().modified().unwrap();
        let v = restore(folder, lr, "notes/a.md", None).unwrap();
        assert_eq!(read(&lr.join("notes/a.md")), "a2");
        assert_eq!(v.location, all[1].location);
        assert!(v.location.exists(), "the version stays in the area");
        assert_eq!(std::fs::metadata(&v.location).unwrap().modified().unwrap(), before_restore);
        assert_eq!(list(folder, Some("notes/a.md")).unwrap().len(), 2, "nothing was in the way");

        // restore over an existing file: the current one is kept first
        write(&lr.join("notes/a.md"), "a3 current");
        set_mtime(&lr.join("notes/a.md"), SystemTime::now() - Duration::from_secs(86_400 * 3));
        let old = list(folder, Some("notes/a.md")).unwrap();
        set_mtime(&old[1].location, SystemTime::now() - Duration::from_secs(86_400 * 5));
        let v = restore(folder, lr, "notes/a.md", Some(&old[1].kept_at)).unwrap();
        assert_eq!(v.location, old[1].location);
        assert_eq!(read(&lr.join("notes/a.md")), "a1");
        assert!(age(&lr.join("notes/a.md")) < Duration::from_secs(60), "restored file is new to the sync");
        assert!(age(&old[1].location) > Duration::from_secs(86_400 * 4), "the kept version keeps its mtime");
        let now_list = list(folder, Some("notes/a.md")).unwrap();
        assert_eq!(now_list.len(), 3);
        assert_eq!(read(&now_list[0].location), "a3 current", "the file that was there is kept");
        assert!(!lr.read_dir().unwrap().any(|e| e.unwrap().file_name().to_string_lossy().contains("wsync-restore")));

        // --at selection among fixed STAMPs
        let f2 = "versions-at";
        for (stamp, text) in [
            ("2026-11-25T143205.123Z", "t1432"),
            ("2026-11-25T150000.000Z", "t1500"),
            ("2026-11-25T150000.000Z-2", "t1500b"),
            ("2026-11-26T090000.500Z", "t0900"),
        ] {
            write(&root(f2).join(stamp).join("doc.txt"), text);
        }
        write(&root(f2).join("not-a-stamp/doc.txt"), "ignored");
        let l = list(f2, None).unwrap();
        assert_eq!(l.iter().map(|v| read(&v.location)).collect::<Vec<_>>(), ["t0900", "t1500b", "t1500", "t1432"]);
        assert_eq!(l[0].kept_at, "2026-11-26T09:00:00.500Z");
        let pick = |at: Option<&str>| {
            let d = tempfile::tempdir().unwrap();
            restore(f2, d.path(), "doc.txt", at).map(|_| read(&d.path().join("doc.txt")))
        };
        assert_eq!(pick(None).unwrap(), "t0900");
        assert_eq!(pick(Some("2026-11-25T14")).unwrap(), "t1432");
        assert_eq!(pick(Some("2026-11-25T143205.123Z")).unwrap(), "t1432");
        assert_eq!(pick(Some("2026-11-25T150000.000Z-2")).unwrap(), "t1500b");
        assert_eq!(pick(Some("2026-11-25")).unwrap(), "t1500b");
        assert_eq!(pick(Some("2026-11-25T14:59:59Z")).unwrap(), "t1432");
        assert_eq!(pick(Some("2026-11-25T14:32:05Z")).unwrap(), "t1432", "a whole second covers its milliseconds");
        assert_eq!(pick(Some("2026-11-25T15:00:00.000Z")).unwrap(), "t1500b");
        assert_eq!(pick(Some("2026-11-26T10:00:00+01:00")).unwrap(), "t0900");
        assert_eq!(pick(Some("2026-11-26T08:59:59+00:00")).unwrap(), "t1500b");
        assert_eq!(pick(Some("2026-11-26T09:00:00.499Z")).unwrap(), "t1500b");
        match pick(Some("2026-11-24T00:00:00Z")) {
            Err(Error::LocalFolder(m)) => {
                assert_eq!(m, "no kept version of doc.txt at 2026-11-24T00:00:00Z; see `wsync versions versions-at doc.txt`")
            }
            other => panic!("{other:?}"),
        }
        match pick(Some("2027")) {
            Err(Error::LocalFolder(m)) => assert!(m.starts_with("no kept version of doc.txt at 2027;"), "{m}"),
            other => panic!("{other:?}"),
        }
        match restore(f2, lr, "other.txt", None) {
            Err(Error::LocalFolder(m)) => assert_eq!(m, "no kept version of other.txt; see `wsync versions versions-at other.txt`"),
            other => panic!("{other:?}"),
        }

        // prune by STAMP age, not by mtime
        let f3 = "versions-prune";
        let old_stamp = (Utc::now() - chrono::Duration::days(40)).format(STAMP_FORMAT).to_string();
        let mid_stamp = (Utc::now() - chrono::Duration::days(10)).format(STAMP_FORMAT).to_string();
        write(&root(f3).join(&old_stamp).join("x/old1.txt"), "o");
        write(&root(f3).join(&old_stamp).join("old2.txt"), "o");
        write(&root(f3).join(format!("{old_stamp}-2")).join("old3.txt"), "o");
        write(&root(f3).join(&mid_stamp).join("mid.txt"), "m");
        write(&root(f3).join("notes/keep-me.txt"), "not a run dir");
        let fresh = lr.join("fresh.txt");
        write(&fresh, "f");
        let fresh_kept = keep(f3, lr, "fresh.txt").unwrap();
        set_mtime(&fresh_kept, SystemTime::now() - Duration::from_secs(86_400 * 100));
        assert_eq!(prune("versions-none", 30).unwrap(), 0, "a missing area prunes nothing");
        assert_eq!(prune(f3, 30).unwrap(), 3);
        assert!(!root(f3).join(&old_stamp).exists());
        assert_eq!(list(f3, None).unwrap().iter().map(|v| v.path.as_str()).collect::<Vec<_>>(), ["fresh.txt", "mid.txt"]);
        assert_eq!(prune(f3, 5).unwrap(), 1);
        assert_eq!(prune(f3, 0).unwrap(), 1);
        assert!(list(f3, None).unwrap().is_empty());
        assert!(root(f3).join("notes/keep-me.txt").exists(), "only STAMP dirs are pruned");

        // keep across file systems (copy and remove), when /dev/shm is another one
        let shm = Path::new("/dev/shm");
        let dev = |p: &Path| std::os::unix::fs::MetadataExt::dev(&std::fs::metadata(p).unwrap());
        if shm.is_dir() && dev(shm) != dev(home) {
            let other = tempfile::tempdir_in(shm).unwrap();
            let o = other.path();
            write(&o.join("sub/deep/x.txt"), "x");
            std::os::unix::fs::symlink("deep/x.txt", o.join("sub/link")).unwrap();
            set_mtime(&o.join("sub/deep/x.txt"), SystemTime::now() - Duration::from_secs(86_400 * 2));
            write(&o.join("y.txt"), "y");
            let ky = keep(f3, o, "y.txt").unwrap();
            let kd = keep(f3, o, "sub").unwrap();
            assert!(!o.join("y.txt").exists() && !o.join("sub").exists());
            assert_eq!(read(&ky), "y");
            assert_eq!(read(&kd.join("deep/x.txt")), "x");
            assert!(age(&kd.join("deep/x.txt")) > Duration::from_secs(86_400), "mtime kept across file systems");
            assert_eq!(std::fs::read_link(kd.join("link")).unwrap(), Path::new("deep/x.txt"));
        }

        // restoring where a folder has the name is refused
        std::fs::create_dir_all(lr.join("dir.txt")).unwrap();
        write(&new_run_dir(f3).join("dir.txt"), "d");
        assert!(matches!(restore(f3, lr, "dir.txt", None), Err(Error::LocalFolder(_))));
        assert!(lr.join("dir.txt").is_dir());
    }
}
