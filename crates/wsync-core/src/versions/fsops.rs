//! File-system helpers of the versions area: clean relative paths, walk
//! a tree, copy a tree keeping modification times, and move across file
//! systems.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

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
pub(crate) fn clean_file_rel(rel: &str, what: &str) -> Result<String> {
    let clean = clean_rel(rel, what)?;
    if clean.is_empty() {
        return Err(Error::Config(format!(
            "the {what} \"{rel}\" names the synced folder itself; give the path of a file inside it, e.g. notes/todo.md"
        )));
    }
    Ok(clean)
}

/// Every file (or symlink) under `dir`, as (relative path, location, size).
pub(crate) fn walk_files(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf, u64)>) -> Result<()> {
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

/// Copy a file, folder or symlink, keeping file modification times.
pub(crate) fn copy_tree(src: &Path, dst: &Path) -> std::io::Result<()> {
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
pub(crate) fn move_path(from: &Path, to: &Path) -> std::io::Result<()> {
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
