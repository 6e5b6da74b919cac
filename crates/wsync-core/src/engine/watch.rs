//! The file watcher: one recursive `notify` watcher per local folder,
//! forwarding the relative paths of changes that are not excluded.

use std::path::{Path, PathBuf};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::mpsc;

use crate::error::{Error, Result};
use crate::filter::Excludes;

/// Watch `root` recursively; relative paths of changes go to `tx`.
pub fn watch_folder(root: &Path, excludes: Excludes, tx: mpsc::UnboundedSender<String>) -> Result<RecommendedWatcher> {
    let base: PathBuf = root.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return;
        }
        for p in event.paths {
            let Ok(rel) = p.strip_prefix(&base) else { continue };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel.is_empty() || excludes.is_excluded(&rel) {
                continue;
            }
            let _ = tx.send(rel);
        }
    })
    .map_err(|e| Error::LocalFolder(format!("cannot watch {}: {e}; changes will be picked up by timed syncs", root.display())))?;
    watcher
        .watch(root, RecursiveMode::Recursive)
        .map_err(|e| Error::LocalFolder(format!("cannot watch {}: {e}; raise fs.inotify.max_user_watches or rely on timed syncs", root.display())))?;
    Ok(watcher)
}
