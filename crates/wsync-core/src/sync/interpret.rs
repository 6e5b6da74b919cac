//! Reading what rclone did from its log: per-file copies and deletes with
//! their direction, conflicts and how their copies were named, and progress.
//!
//! bisync announces which way it is copying ("Do queued copies to - Path1",
//! "Resync is copying files to - Path2"); the `Copied`/`Deleted` lines that
//! follow (with the file in `object`) belong to that direction. Path1 is
//! always this computer, Path2 the cloud.

use crate::events::{Direction, EventSink, FileAction, SyncEvent};
use crate::rclone::LogLine;
use crate::report::Counts;

/// A conflict as bisync logged it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LoggedConflict {
    pub path: String,
    /// New name of this computer's copy, when bisync renamed it.
    pub local_renamed: Option<String>,
    /// New name of the cloud's copy, when bisync renamed it.
    pub remote_renamed: Option<String>,
}

pub struct Interpreter<'a> {
    folder: String,
    sink: &'a dyn EventSink,
    direction: Option<Direction>,
    pub to_local: Counts,
    pub to_remote: Counts,
    pub conflicts: Vec<LoggedConflict>,
    /// Files bisync found equal on both sides despite changes (for audits).
    pub equal_both: Vec<String>,
    /// The deltas bisync found on each side ([Path1, Path2]): deleted and
    /// new files, at most [`MAX_DELTAS`] of each.
    pub deleted: [Vec<String>; 2],
    pub created: [Vec<String>; 2],
}

/// Most deltas of one kind kept per side (a blocked report lists them).
pub const MAX_DELTAS: usize = 200_000;

impl<'a> Interpreter<'a> {
    pub fn new(folder: &str, sink: &'a dyn EventSink, fixed: Option<Direction>) -> Self {
        Interpreter {
            folder: folder.to_string(),
            sink,
            direction: fixed,
            to_local: Counts::default(),
            to_remote: Counts::default(),
            conflicts: Vec::new(),
            equal_both: Vec::new(),
            deleted: [Vec::new(), Vec::new()],
            created: [Vec::new(), Vec::new()],
        }
    }

    pub fn feed(&mut self, line: &LogLine) {
        if let Some(st) = &line.stats {
            self.sink.emit(SyncEvent::Progress {
                folder: self.folder.clone(),
                bytes: st.bytes,
                total_bytes: st.total_bytes,
                files_done: st.transfers,
                files_total: st.total_transfers,
                speed: st.speed,
                eta_seconds: st.eta,
                current: st.transferring.iter().map(|t| t.name.clone()).collect(),
            });
            return;
        }
        let msg = line.msg.as_str();
        if msg.contains("Do queued copies to") || msg.contains("Resync is copying files to") {
            self.direction = if msg.trim_end().ends_with("Path1") {
                Some(Direction::ToLocal)
            } else if msg.trim_end().ends_with("Path2") {
                Some(Direction::ToRemote)
            } else {
                self.direction
            };
            return;
        }
        for (i, side) in ["- Path1", "- Path2"].iter().enumerate() {
            if msg.starts_with(side) {
                if let Some(name) = column_value(msg, "File was deleted") {
                    if self.deleted[i].len() < MAX_DELTAS {
                        self.deleted[i].push(name);
                    }
                    return;
                }
                if let Some(name) = column_value(msg, "File is new") {
                    if self.created[i].len() < MAX_DELTAS {
                        self.created[i].push(name);
                    }
                    return;
                }
            }
        }
        if msg.contains("New or changed in both paths") {
            let path = column_value(msg, "New or changed in both paths").unwrap_or_else(|| after_dash(msg));
            self.conflicts.push(LoggedConflict { path, ..Default::default() });
            return;
        }
        if msg.contains("Renaming Path1 copy") || msg.contains("Renaming Path2 copy") {
            let full = after_dash(msg);
            let new_name = full.rsplit('/').next().unwrap_or(&full).to_string();
            if let Some(c) = self.conflicts.last_mut() {
                let dir = match c.path.rfind('/') {
                    Some(i) => &c.path[..=i],
                    None => "",
                };
                let renamed = format!("{dir}{new_name}");
                if msg.contains("Path1") {
                    c.local_renamed = Some(renamed);
                } else {
                    c.remote_renamed = Some(renamed);
                }
            }
            return;
        }
        if msg.starts_with("Files are equal") {
            // Both sides made the same change: not a conflict.
            if let Some(last) = self.conflicts.last() {
                if last.local_renamed.is_none() && last.remote_renamed.is_none() {
                    let done = self.conflicts.pop();
                    self.equal_both.extend(done.map(|c| c.path));
                }
            }
            return;
        }
        let Some(object) = line.object.as_ref() else { return };
        let action = if msg.starts_with("Copied") || msg.starts_with("Skipped copy") {
            FileAction::Copied
        } else if msg.starts_with("Deleted") || msg.starts_with("Skipped delete") || msg.starts_with("Moved into backup dir") {
            FileAction::Deleted
        } else {
            return;
        };
        let Some(direction) = self.direction else { return };
        let counts = match direction {
            Direction::ToLocal => &mut self.to_local,
            Direction::ToRemote => &mut self.to_remote,
        };
        match action {
            FileAction::Copied => counts.copied += 1,
            FileAction::Deleted => counts.deleted += 1,
        }
        self.sink.emit(SyncEvent::FileChanged { folder: self.folder.clone(), path: object.clone(), direction, action, size: line.size });
    }
}

/// The value after bisync's `description - value` column (the value may
/// itself contain " - ").
fn column_value(msg: &str, description: &str) -> Option<String> {
    let rest = msg.get(msg.find(description)? + description.len()..)?.trim_start();
    Some(rest.strip_prefix("- ")?.to_string())
}

/// The text after bisync's column separator " - " (a file name or path).
fn after_dash(msg: &str) -> String {
    match msg.rfind(" - ") {
        Some(i) => msg[i + 3..].trim().to_string(),
        None => msg.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::NullSink;
    use crate::rclone::Level;

    fn line(msg: &str, object: Option<&str>) -> LogLine {
        LogLine { level: Level::Info, msg: msg.into(), object: object.map(Into::into), size: None, stats: None }
    }

    #[test]
    fn copies_and_deletes_follow_the_announced_direction() {
        let sink = NullSink;
        let mut i = Interpreter::new("ws", &sink, None);
        i.feed(&line("- Path2             Do queued copies to                         - Path1", None));
        i.feed(&line("Copied (new)", Some("newfile")));
        i.feed(&line("Moved (server-side)", Some("keep")));
        i.feed(&line("Moved into backup dir", Some("keep")));
        i.feed(&line("- Path1             Do queued copies to                         - Path2", None));
        i.feed(&line("Deleted", Some("noext")));
        i.feed(&line("Copied (replaced existing)", Some("a b/ü.txt")));
        assert_eq!(i.to_local, Counts { copied: 1, deleted: 1 });
        assert_eq!(i.to_remote, Counts { copied: 1, deleted: 1 });
    }

    #[test]
    fn deltas_are_collected_per_side_even_with_dashes_in_names() {
        let sink = NullSink;
        let mut i = Interpreter::new("ws", &sink, None);
        i.feed(&line("- Path1             File was deleted                            - docs/a - b.txt", None));
        i.feed(&line("- Path1             File is new                                 - documents/a - b.txt", None));
        i.feed(&line("- Path2             File was deleted                            - x.txt", None));
        assert_eq!(i.deleted[0], ["docs/a - b.txt"]);
        assert_eq!(i.created[0], ["documents/a - b.txt"]);
        assert_eq!(i.deleted[1], ["x.txt"]);
    }

    #[test]
    fn equal_changes_are_not_conflicts() {
        let sink = NullSink;
        let mut i = Interpreter::new("ws", &sink, None);
        i.feed(&line("- WARNING           New or changed in both paths                - a.txt", None));
        i.feed(&line("Files are equal! Skipping: a.txt", Some("a.txt")));
        assert!(i.conflicts.is_empty());
        assert_eq!(i.equal_both, ["a.txt"]);
    }

    #[test]
    fn conflicts_record_renamed_copies() {
        let sink = NullSink;
        let mut i = Interpreter::new("ws", &sink, None);
        i.feed(&line("- WARNING           New or changed in both paths                - sub/notes.md", None));
        i.feed(&line("- Path1             Not renaming Path1 copy, as it was determined the winner - /l/sub/notes.md", None));
        i.feed(&line("- Path2             Renaming Path2 copy                         - wsync:x/sub/notes.conflict-remote-2026-11-25-1432.md", None));
        let c = &i.conflicts[0];
        assert_eq!(c.path, "sub/notes.md");
        assert_eq!(c.local_renamed, None);
        assert_eq!(c.remote_renamed.as_deref(), Some("sub/notes.conflict-remote-2026-11-25-1432.md"));
    }
}
