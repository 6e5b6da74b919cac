//! App-written state of each folder (whether a first sync completed, the
//! last result, the pause switch, deletions that wait for a person, the
//! cached choice of comparison flags), kept apart from the user-editable
//! config, written atomically.
//!
//! A damaged state file is an error, never silently the default: the
//! default would un-pause the folder and drop the guard that blocks a sync
//! whose records were lost.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::paths;
use crate::report::SyncReport;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FolderState {
    /// A first sync completed: bisync listings should exist from now on.
    #[serde(default)]
    pub initialized: bool,
    #[serde(default)]
    pub last_report: Option<SyncReport>,
    /// Last successful sync (RFC 3339).
    #[serde(default)]
    pub last_success: Option<String>,
    /// The person paused this folder; nothing runs until they resume it.
    #[serde(default)]
    pub paused: bool,
    /// Deletions a safety guard stopped, as last shown to the person: a
    /// confirmation applies to exactly this set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<PendingDeletions>,
    /// Deletions the person confirmed that later runs may still meet (a
    /// confirmed pull leaves them in the two-way records until the next
    /// two-way sync completes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<PendingDeletions>,
    /// The comparison chosen for this folder's remote, reused until the
    /// remote's settings or rclone change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<CachedComparison>,
    /// Cloud files whose cached hash may predate their content (see
    /// `sync::recheck`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recheck: Option<Recheck>,
}

/// What the next run rechecks by download before it trusts the cloud's
/// cached hashes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Recheck {
    /// Cloud files (relative to the folder) and their modification times
    /// (Unix ms) when their hashes were cached, too close to that moment
    /// for the cache to tell a later edit in the same time step.
    #[serde(default)]
    pub files: std::collections::BTreeMap<String, i64>,
    /// A run that used the cache started then (Unix ms) and did not record
    /// what it cached (killed, failed or stopped): every cloud file changed
    /// since is rechecked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since_ms: Option<i64>,
}

/// A set of deletions shown to the person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingDeletions {
    /// Why they were stopped (the blocked reason).
    pub reason: String,
    /// Identifies this exact set (a digest of reason and names).
    pub token: String,
    /// Every file that going ahead deletes, relative to the folder.
    pub files: Vec<String>,
}

fn file(folder: &str) -> PathBuf {
    paths::state_dir().join("folders").join(format!("{folder}.json"))
}

/// The folder's state; a folder never synced has the default state.
pub fn load(folder: &str) -> Result<FolderState> {
    let path = file(folder);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FolderState::default()),
        Err(e) => return Err(Error::io(format!("cannot read the state of folder \"{folder}\" at {}", path.display()), e)),
    };
    serde_json::from_str(&text).map_err(|e| {
        Error::Io {
            context: format!(
                "the state file {} of folder \"{folder}\" is damaged ({e}); move it aside and sync again (it holds the last result and the pause switch)",
                path.display()
            ),
            source: std::io::Error::other("damaged state file"),
        }
    })
}

pub fn save(folder: &str, state: &FolderState) -> Result<()> {
    let path = file(folder);
    let text = serde_json::to_string_pretty(state).map_err(|e| Error::io("cannot encode the folder state", std::io::Error::other(e)))?;
    crate::fsutil::write_atomic(&path, text.as_bytes(), 0o600).map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

/// Change the folder's state in one step (read, change, write).
pub fn update(folder: &str, change: impl FnOnce(&mut FolderState)) -> Result<FolderState> {
    let mut st = load(folder)?;
    change(&mut st);
    save(folder, &st)?;
    Ok(st)
}

/// Forget the folder's state (the folder was removed).
pub fn remove(folder: &str) -> Result<()> {
    let path = file(folder);
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(format!("cannot remove {}", path.display()), e)),
    }
}

/// What the folder's state keeps of the remote's features.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CachedComparison {
    /// The remote's settings and rclone's version they were read with.
    pub key: String,
    pub hashes: Vec<String>,
    pub precision: Option<i64>,
}
