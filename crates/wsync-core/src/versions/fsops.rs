//! File-system helpers of the versions area: walk a tree, copy a tree
//! keeping modification times, and move across file systems.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
pub(crate) use crate::relpath::{clean_file_rel, clean_rel};


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
