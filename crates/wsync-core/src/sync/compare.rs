//! Choosing bisync's comparison from the remote's features.
//!
//! A change on both sides must never be settled as "equal" without proof:
//! rclone 1.75.2 overwrote a remote edit when both sides changed a file to
//! different contents of the same size on a WebDAV remote that advertises
//! hashes but omits them. Comparing checksums, and computing them by
//! download where the remote leaves them out, is the only setting that
//! caught it; so checksums are always part of the comparison.

use serde::Deserialize;

use crate::rclone::Rclone;
use crate::remote::RemoteDef;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub flags: Vec<String>,
    /// Hashes shared by this computer and the remote (empty: none).
    pub common_hashes: Vec<String>,
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

/// Hashes the local filesystem computes.
const LOCAL_HASHES: [&str; 4] = ["md5", "sha1", "sha256", "crc32"];

/// Read `rclone backend features` for the remote and choose the flags.
pub fn choose(rclone: &Rclone, remote: &RemoteDef) -> Comparison {
    let out = rclone.command("backend").arg("features").arg(&remote.root).remote(&remote).timeout(std::time::Duration::from_secs(60)).run(None, &mut |_| {});
    let features: Option<Features> = out.ok().filter(|o| o.success()).and_then(|o| serde_json::from_str(&o.stdout).ok());
    let hashes = features.as_ref().and_then(|f| f.hashes.clone()).unwrap_or_default();
    let precision = features.as_ref().and_then(|f| f.precision);
    decide(&hashes, precision)
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
    if precision_ns.map(|p| p >= 86_400_000_000_000).unwrap_or(false) {
        flags[1] = "size,checksum".into();
        note.push_str("; the remote keeps no modification times, so they are not compared");
    }
    Comparison { flags, common_hashes: common, note }
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
        assert!(no_time.flags.join(" ").contains("size,checksum"));
    }
}
