//! Choosing bisync's comparison from the remote's features, once per
//! folder: the features (`rclone backend features`) are cached in the
//! folder's state and asked again only when the remote's settings or rclone
//! change.
//!
//! A change on both sides must never be settled as "equal" without proof:
//! rclone 1.75.2 overwrote a remote edit when both sides changed a file to
//! different contents of the same size on a WebDAV remote that advertises
//! hashes but omits them. Comparing checksums, and computing them by
//! download where the remote leaves them out, is the only setting that
//! caught it; so checksums are always part of the comparison.

use serde::Deserialize;

use crate::config::FolderConfig;
use crate::rclone::Rclone;
use crate::remote::RemoteDef;
use crate::state::{self, CachedComparison};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub flags: Vec<String>,
    /// Hashes shared by this computer and the remote (empty: none).
    pub common_hashes: Vec<String>,
    /// The remote keeps modification times (to some precision).
    pub remote_has_modtime: bool,
    /// How finely the remote keeps times, in nanoseconds (None: unknown).
    pub remote_precision_ns: Option<i64>,
    /// Why it was chosen, for the log.
    pub note: String,
}


#[derive(Deserialize)]
struct Features {
    #[serde(rename = "Hashes", default)]
    hashes: Option<Vec<String>>,
    #[serde(rename = "Precision", default)]
    precision: Option<i64>,
}

/// Hashes the local backend computes (every rclone hash type).
const LOCAL_HASHES: [&str; 13] =
    ["md5", "sha1", "sha256", "sha512", "crc32", "whirlpool", "blake3", "xxh3", "xxh128", "dropbox", "quickxor", "hidrive", "mailru"];

/// rclone's "no modification times" precision (a day or worse counts too).
const NO_MODTIME_NS: i64 = 86_400_000_000_000;

/// What identifies a remote's features: its settings (the config holds no
/// literal secret) and the rclone that reads them.
fn cache_key(folder: &FolderConfig, rclone: &Rclone) -> String {
    let mut f = folder.clone();
    // Only the remote's own settings matter, not how this folder syncs.
    f.id.clear();
    f.local_path.clear();
    f.interval = 0;
    f.exclude.clear();
    format!("{}|{}", rclone.version, serde_json::to_string(&f).unwrap_or_default())
}

/// The comparison of `folder`, from its cached features or by asking
/// rclone once (then cached).
pub fn choose(rclone: &Rclone, remote: &RemoteDef, folder: &FolderConfig) -> Comparison {
    let key = cache_key(folder, rclone);
    if let Ok(st) = state::load(&folder.id) {
        if let Some(c) = st.comparison.filter(|c| c.key == key) {
            return decide(&c.hashes, c.precision);
        }
    }
    let out = rclone
        .command("backend")
        .arg("features")
        .arg(&remote.root)
        .remote(remote)
        .timeout(std::time::Duration::from_secs(60))
        .run(None, &mut |_| {});
    let features: Option<Features> = out.ok().filter(|o| o.success()).and_then(|o| serde_json::from_str(&o.stdout).ok());
    let Some(features) = features else {
        // Not cached: the next run asks again.
        return decide(&[], None);
    };
    let hashes = features.hashes.unwrap_or_default();
    let cached = CachedComparison { key, hashes: hashes.clone(), precision: features.precision };
    let _ = state::update(&folder.id, |st| st.comparison = Some(cached));
    decide(&hashes, features.precision)
}

pub fn decide(remote_hashes: &[String], precision_ns: Option<i64>) -> Comparison {
    let common: Vec<String> = remote_hashes.iter().filter(|h| LOCAL_HASHES.contains(&h.as_str())).cloned().collect();
    // Checksums always; --download-hash computes a hash only where the
    // remote does not supply one (no shared hash, or one left out).
    let mut flags = vec!["--compare".to_string(), "size,modtime,checksum".to_string(), "--download-hash".to_string()];
    let mut note = if common.is_empty() {
        "the remote shares no hash with this computer: changed files are hashed by download".to_string()
    } else {
        format!("comparing size, time and {} checksums (downloaded where the remote leaves them out)", common[0])
    };
    // A remote that keeps no usable modification time (precision of a day
    // or worse, or none) would make every file look changed by time alone.
    let remote_has_modtime = !precision_ns.map(|p| p >= NO_MODTIME_NS).unwrap_or(false);
    if !remote_has_modtime {
        flags[1] = "size,checksum".into();
        note.push_str("; the remote keeps no modification times, so they are not compared");
    }
    Comparison { flags, common_hashes: common, remote_has_modtime, remote_precision_ns: precision_ns, note }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_are_always_compared() {
        let c = decide(&["md5".into(), "sha1".into()], Some(1));
        assert!(c.flags.join(" ").contains("size,modtime,checksum"));
        assert!(c.flags.contains(&"--download-hash".to_string()));
        let none = decide(&[], Some(1_000_000_000));
        assert!(none.flags.join(" ").contains("checksum") && none.common_hashes.is_empty());
        let no_time = decide(&["md5".into()], Some(i64::MAX));
        assert!(no_time.flags.join(" ").contains("size,checksum") && !no_time.remote_has_modtime);
        assert_eq!(decide(&["quickxor".into()], Some(1)).common_hashes, ["quickxor"]);
    }
}
