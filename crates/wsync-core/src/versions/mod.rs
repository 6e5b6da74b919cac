//! Kept versions: every local file that a sync deletes or overwrites, and
//! every conflict loser the person discards, is moved into
//! `data_dir()/versions/<folder>/<STAMP>/<relative path>`, one fresh STAMP
//! directory per run (`2026-11-25T143205.123Z`, UTC). Versions are listed,
//! restored (copied back, so they stay kept) and pruned after some days.

pub mod cloud;
mod fsops;
#[cfg(test)]
pub(crate) mod tests;

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};

use crate::error::{Error, Result};
use crate::paths;

pub(crate) use fsops::clean_rel;
use fsops::{clean_file_rel, move_path, walk_files};

/// The STAMP layout of run directories (UTC, milliseconds).
pub(crate) const STAMP_FORMAT: &str = "%Y-%m-%dT%H%M%S%.3fZ";
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

/// Which side a kept version came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum VersionSide {
    /// Kept on this computer (a file a sync replaced or deleted here).
    Local,
    /// Kept on the remote, beside the synced folder.
    Remote,
}

/// One kept version of one file.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Version {
    /// The file's path relative to the folder, with `/` separators.
    pub path: String,
    /// When it was kept (RFC 3339, UTC, from the run directory's STAMP).
    pub kept_at: String,
    pub size: u64,
    pub side: VersionSide,
    /// Where the kept copy lies (a local path, or a path on the remote).
    #[serde(skip)]
    #[ts(skip)]
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
pub(crate) fn parse_stamp(name: &str) -> Option<(DateTime<Utc>, u32)> {
    let (base, seq) = match name.find("Z-") {
        Some(i) => (&name[..i], name[i + 2..].parse::<u32>().ok().filter(|&n| n >= 2)?),
        None => (name.strip_suffix('Z')?, 1),
    };
    let naive = NaiveDateTime::parse_from_str(base, STAMP_PARSE).ok()?;
    Some((naive.and_utc(), seq))
}

pub(crate) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
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
                out.push((Version { path, kept_at: kept_at.clone(), size, side: VersionSide::Local, location }, run.name.clone()));
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

    let location = version.location.clone();
    put_back(folder, local_root, &rel, |tmp| {
        let meta = std::fs::symlink_metadata(&location).map_err(|e| Error::io(format!("cannot read {}", location.display()), e))?;
        let copied = if meta.file_type().is_symlink() {
            std::fs::read_link(&location).and_then(|t| std::os::unix::fs::symlink(t, tmp))
        } else {
            std::fs::copy(&location, tmp).map(|_| ())
        };
        copied.map_err(|e| Error::io(format!("cannot copy {}", location.display()), e))
    })?;
    Ok(version)
}

/// Put a version at `local_root/rel`: a file now there is kept first, the
/// version is written by `fill` to a temp file beside it (named so that no
/// sync carries it), then moved into place with the time now, so that the
/// next sync sees it as changed and carries it to the cloud.
fn put_back(folder: &str, local_root: &Path, rel: &str, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let target = local_root.join(rel);
    match std::fs::symlink_metadata(&target) {
        Ok(m) if m.is_dir() => {
            return Err(Error::LocalFolder(format!(
                "cannot restore {rel}: {} is a folder; rename or move it, then retry",
                target.display()
            )))
        }
        Ok(_) => {
            keep(folder, local_root, rel)?;
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(format!("cannot read {}", target.display()), e)),
    }
    let parent = target.parent().map(Path::to_path_buf).unwrap_or_else(|| local_root.to_path_buf());
    std::fs::create_dir_all(&parent).map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // The partial suffix keeps a sync from ever carrying the temp file.
    let tmp = parent.join(format!(".{name}.wsync-restore-{}{}", std::process::id(), crate::filter::PARTIAL_SUFFIX));
    let done = fill(&tmp).and_then(|()| {
        let is_link = std::fs::symlink_metadata(&tmp).map(|m| m.file_type().is_symlink()).unwrap_or(false);
        if !is_link {
            std::fs::File::open(&tmp)
                .and_then(|f| f.set_modified(std::time::SystemTime::now()))
                .map_err(|e| Error::io(format!("cannot set the time of {}", tmp.display()), e))?;
        }
        std::fs::rename(&tmp, &target).map_err(|e| Error::io(format!("cannot restore {}", target.display()), e))
    });
    if done.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    done
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

/// Prune the kept versions of a folder on both sides by its
/// `keepVersionsDays`; returns how many local files and cloud run
/// directories went.
pub fn prune_folder(rclone: &crate::rclone::Rclone, secrets: &crate::secrets::Secrets, folder: &crate::config::FolderConfig) -> Result<(usize, usize)> {
    let local = prune(&folder.id, folder.keep_versions_days)?;
    let remote = crate::remote::build(folder, rclone, secrets)?;
    let cloud = if remote.logged_in { cloud::prune(rclone, &remote, folder.keep_versions_days)? } else { 0 };
    Ok((local, cloud))
}

fn secrets_of(store: &std::sync::Arc<dyn crate::secrets::SecretStore>) -> crate::secrets::Secrets {
    crate::secrets::Secrets::with_store(store.clone())
}

/// The kept versions of a folder on both sides, newest first. The cloud's
/// are left out (with the local ones still listed) when the remote cannot
/// be reached.
pub fn list_all(
    rclone: &crate::rclone::Rclone,
    store: &std::sync::Arc<dyn crate::secrets::SecretStore>,
    folder: &crate::config::FolderConfig,
    path: Option<&str>,
) -> Result<Vec<Version>> {
    let mut all = list(&folder.id, path)?;
    let wanted = match path {
        Some(p) => clean_rel(p, "path")?,
        None => String::new(),
    };
    let dir_prefix = format!("{wanted}/");
    let filter = |p: &str| wanted.is_empty() || p == wanted || p.starts_with(&dir_prefix);
    let remote = crate::remote::build(folder, rclone, &secrets_of(store))?;
    if remote.logged_in {
        match cloud::list(rclone, &remote, &filter) {
            Ok(cloud) => all.extend(cloud),
            // An unreachable cloud hides only its own versions.
            Err(e) => tracing::warn!(folder = %folder.id, "the cloud's kept versions are left out: {e}"),
        }
    }
    all.sort_by(|a, b| b.kept_at.cmp(&a.kept_at).then_with(|| a.path.cmp(&b.path)));
    Ok(all)
}

/// Restore a kept version from either side (`side`: local or remote; by
/// default the newest of both), with the folder's lock held so that no
/// sync runs meanwhile. A file now at the path is kept first.
pub fn restore_any(
    rclone: &crate::rclone::Rclone,
    store: &std::sync::Arc<dyn crate::secrets::SecretStore>,
    folder: &crate::config::FolderConfig,
    path: &str,
    at: Option<&str>,
    side: Option<&str>,
) -> Result<Version> {
    let _lock = crate::folder_lock::FolderLock::acquire_within(&crate::paths::workdir(&folder.id), &folder.id, RESTORE_PATIENCE)?;
    let local_root = folder.local_dir();
    let side = match side.map(str::trim) {
        None | Some("") => None,
        Some("local") => Some(VersionSide::Local),
        Some("remote") => Some(VersionSide::Remote),
        Some(other) => return Err(Error::InvalidInput(format!("\"{other}\" is not a side; use local or remote"))),
    };
    let rel = clean_file_rel(path, "path")?;
    let remote = crate::remote::build(folder, rclone, &secrets_of(store))?;
    let cloud_versions = if side != Some(VersionSide::Local) && remote.logged_in { cloud::collect(rclone, &remote, &|p| p == rel)? } else { Vec::new() };
    let local_versions = if side != Some(VersionSide::Remote) { collect(&folder.id, &|p: &str| p == rel)? } else { Vec::new() };
    let pick_local = pick_version(&local_versions, at).cloned();
    let pick_cloud = pick_version(&cloud_versions, at).cloned();
    let chosen_cloud = match (&pick_local, &pick_cloud) {
        (Some(l), Some(c)) => c.kept_at > l.kept_at,
        (None, Some(_)) => true,
        _ => false,
    };
    match pick_cloud {
        Some(v) if chosen_cloud => {
            put_back(&folder.id, &local_root, &rel, |tmp| cloud::download(rclone, &remote, &v, tmp))?;
            Ok(v)
        }
        // Asked for the cloud's version: never fall back to a local one.
        _ if side == Some(VersionSide::Remote) => {
            let at_text = at.map(|a| format!(" at {a}")).unwrap_or_default();
            let why = if remote.logged_in { "" } else { " (the folder is not logged in, so the cloud's versions cannot be read)" };
            Err(Error::LocalFolder(format!(
                "no version of {rel}{at_text} kept in the cloud{why}; see `wsync versions {} {rel}`",
                folder.id
            )))
        }
        _ => restore(&folder.id, &local_root, &rel, at),
    }
}

const RESTORE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(120);

fn pick_version<'a>(candidates: &'a [(Version, String)], at: Option<&str>) -> Option<&'a Version> {
    match at {
        None => candidates.first().map(|(v, _)| v),
        Some(at) => pick_at(candidates, at.trim()),
    }
}
