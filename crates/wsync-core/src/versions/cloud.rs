//! The cloud side's kept versions: every file a sync replaces or deletes
//! on the remote is moved (server-side) into `<remotePath>.wsync-versions/
//! <STAMP>/<path>` on the same remote, a sibling of the synced folder that
//! a gateway syncing that folder never sees (at the remote's root, where
//! there is no sibling, the folder `.wsync-versions` inside it, which every
//! sync excludes). Listed, restored (copied down) and pruned like the local
//! ones.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Utc;

use super::{parse_stamp, rfc3339, Version, VersionSide};
use crate::error::{Error, Result};
use crate::rclone::Rclone;
use crate::remote::{classify_error, RemoteDef};

/// A fresh STAMP directory of the cloud versions area, as a path inside
/// the remote (not created: the first file moved there creates it).
pub fn new_run_dir(remote: &RemoteDef) -> String {
    let stamp = Utc::now().format(super::STAMP_FORMAT).to_string();
    format!("{}/{stamp}", remote.versions_path)
}

#[derive(serde::Deserialize)]
struct Item {
    #[serde(rename = "Path")]
    path: String,
    #[serde(rename = "Size", default)]
    size: i64,
}

/// The kept versions on the remote, newest first; `filter` keeps only the
/// paths for which it returns true. A missing area has none.
pub fn list(rclone: &Rclone, remote: &RemoteDef, filter: &dyn Fn(&str) -> bool) -> Result<Vec<Version>> {
    Ok(collect(rclone, remote, filter)?.into_iter().map(|(v, _)| v).collect())
}

/// Like [`list`], each version with its run directory's name.
pub fn collect(rclone: &Rclone, remote: &RemoteDef, filter: &dyn Fn(&str) -> bool) -> Result<Vec<(Version, String)>> {
    let out = rclone
        .command("lsjson")
        .arg(&remote.versions_root)
        .args(["-R", "--files-only", "--no-mimetype", "--no-modtime", "--contimeout", "15s", "--timeout", "30s"])
        .remote(remote)
        .timeout(Duration::from_secs(300))
        .run(None, &mut |_| {})?;
    if out.kind == crate::rclone::ExitKind::NotFound || out.mentions("directory not found") {
        return Ok(Vec::new());
    }
    if !out.success() {
        return Err(classify_error(&out.error_text()).into_error(remote));
    }
    let items: Vec<Item> = serde_json::from_str(&out.stdout).map_err(|e| Error::Rclone(format!("cannot read rclone's listing of the cloud versions ({e}); try again")))?;
    let mut versions: Vec<(Version, (chrono::DateTime<Utc>, u32), String)> = items
        .into_iter()
        .filter_map(|i| {
            let (stamp, rel) = i.path.split_once('/')?;
            let when = parse_stamp(stamp)?;
            filter(rel).then(|| {
                let v = Version {
                    path: rel.to_string(),
                    kept_at: rfc3339(when.0),
                    size: i.size.max(0) as u64,
                    side: VersionSide::Remote,
                    location: PathBuf::from(format!("{}/{}", remote.versions_root, i.path)),
                };
                (v, when, stamp.to_string())
            })
        })
        .collect();
    versions.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.path.cmp(&b.0.path)));
    Ok(versions.into_iter().map(|(v, _, stamp)| (v, stamp)).collect())
}

/// Copy a cloud version down to `dest` (a temp file beside its target).
pub fn download(rclone: &Rclone, remote: &RemoteDef, v: &Version, dest: &Path) -> Result<()> {
    let out = rclone
        .command("copyto")
        .arg(v.location.to_string_lossy().to_string())
        .arg(dest.to_string_lossy().to_string())
        .args(["--contimeout", "15s", "--timeout", "60s"])
        .remote(remote)
        .run(None, &mut |_| {})?;
    if !out.success() {
        return Err(classify_error(&out.error_text()).into_error(remote));
    }
    Ok(())
}

/// Remove the cloud run directories older than `keep_days`; returns how
/// many run directories went.
pub fn prune(rclone: &Rclone, remote: &RemoteDef, keep_days: u32) -> Result<usize> {
    let out = rclone.command("lsf").arg(&remote.versions_root).args(["--dirs-only"]).remote(remote).timeout(Duration::from_secs(120)).run(None, &mut |_| {})?;
    if !out.success() {
        // No area yet, or unreachable: nothing to prune now.
        return Ok(0);
    }
    let cutoff = Utc::now() - chrono::Duration::days(i64::from(keep_days));
    let mut removed = 0;
    for name in out.stdout.lines().map(|l| l.trim_end_matches('/')) {
        let Some((when, _)) = parse_stamp(name) else { continue };
        if when >= cutoff {
            continue;
        }
        let dir = format!("{}/{name}", remote.versions_root);
        let purged = rclone.command("purge").arg(&dir).remote(remote).timeout(Duration::from_secs(300)).run(None, &mut |_| {})?;
        if purged.success() {
            removed += 1;
        }
    }
    Ok(removed)
}
