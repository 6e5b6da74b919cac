//! Paths given relative to a synced folder (by a person, a conflict record
//! or the watcher): checked and brought to one form before any file is
//! touched, so that nothing outside the folder can be named.

use std::path::Path;

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
