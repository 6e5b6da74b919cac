//! App-written state of each folder (last result, unresolved conflicts),
//! kept apart from the user-editable config, written atomically.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

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
}

fn file(folder: &str) -> PathBuf {
    paths::state_dir().join("folders").join(format!("{folder}.json"))
}

pub fn load(folder: &str) -> FolderState {
    std::fs::read_to_string(file(folder)).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default()
}

pub fn save(folder: &str, state: &FolderState) -> std::io::Result<()> {
    let path = file(folder);
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{folder}.{}.tmp", std::process::id()));
    let text = serde_json::to_string_pretty(state).map_err(std::io::Error::other)?;
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, &path)
}
