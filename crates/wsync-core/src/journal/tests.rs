//! Tests of the journal.

use super::*;
use crate::events::{Direction, FileAction};
use crate::report::{SyncReport, SyncResult};
use crate::report::{BlockedReason, BlockedReport, Counts};

fn open_tmp() -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().expect("tempdir");
    let j = Journal::open(&dir.path().join("state/journal.sqlite3")).expect("open");
    (dir, j)
}

fn user_version(j: &Journal) -> i64 {
    j.conn.pragma_query_value(None, "user_version", |r| r.get(0)).expect("user_version")
}

fn conflict_info(path: &str) -> ConflictInfo {
    ConflictInfo {
        path: path.into(),
        local_copy: format!("{path}.conflict-local"),
        remote_copy: format!("{path}.conflict-remote"),
        local_size: Some(10),
        local_mtime: Some("2026-11-25T14:32:00+00:00".into()),
        remote_size: None,
        remote_mtime: None,
        policy: "ask".into(),
    }
}

fn blocked_report(folder: &str, reason: &str) -> SyncReport {
    let mut r = SyncReport::new(folder);
    r.result = SyncResult::Blocked;
    let reason_enum = match reason {
        "remote-missing" => BlockedReason::RemoteMissing,
        "remote-empty" => BlockedReason::RemoteEmpty,
        "all-changed" => BlockedReason::AllChanged,
        _ => BlockedReason::TooManyDeletes,
    };
    r.blocked = Some(BlockedReport {
        reason: reason_enum,
        message: format!("{reason} happened"),
        fix: "wsync sync --confirm-deletes".into(),
        actions: Vec::new(),
        would_delete: Some(9),
        total: Some(10),
        files: Vec::new(),
        confirm_token: None,
    });
    r
}

/// Move every stored time of a table back by `days`.
fn age(j: &Journal, table: &str, column: &str, days: u32) {
    let t = (Utc::now() - chrono::TimeDelta::days(i64::from(days))).to_rfc3339_opts(SecondsFormat::Millis, true);
    j.conn.execute(&format!("UPDATE {table} SET {column} = ?1"), [t]).expect("age");
}

#[test]
fn journal_is_send() {
    fn assert_send<T: Send>() {}
    assert_send::<Journal>();
}

#[test]
fn open_reopen_and_migrations_are_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/journal.sqlite3");
    let j = Journal::open(&path).unwrap();
    assert_eq!(user_version(&j), MIGRATIONS.len() as i64);
    let id = j.start_run("ws", "manual").unwrap();
    drop(j);
    let j = Journal::open(&path).unwrap();
    assert_eq!(user_version(&j), MIGRATIONS.len() as i64);
    let runs = j.runs(None, 10).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].id, id);
    let app: i64 = j.conn.pragma_query_value(None, "application_id", |r| r.get(0)).unwrap();
    assert_eq!(app, APPLICATION_ID);
    let fk: i64 = j.conn.pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
    assert_eq!(fk, 1);
    // Two handles at once (daemon and CLI) work.
    let k = Journal::open(&path).unwrap();
    assert_eq!(k.runs(Some("ws"), 10).unwrap().len(), 1);
}

#[test]
fn wal_mode_is_on() {
    let (_d, j) = open_tmp();
    let mode: String = j.conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn garbage_file_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite3");
    std::fs::write(&path, vec![b'x'; 8192]).unwrap();
    let err = Journal::open(&path).err().expect("must fail");
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains("move it aside"), "{msg}");
    assert_eq!(err.code(), crate::error::ErrorCode::Io);
}

#[test]
fn foreign_sqlite_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    let c = Connection::open(&path).unwrap();
    c.execute_batch("CREATE TABLE runs (x); INSERT INTO runs VALUES (1);").unwrap();
    drop(c);
    let msg = Journal::open(&path).err().expect("must fail").to_string();
    assert!(msg.contains("not a Workspace Sync journal") && msg.contains("other.db"), "{msg}");
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite3");
    let j = Journal::open(&path).unwrap();
    j.conn.pragma_update(None, "user_version", 99).unwrap();
    drop(j);
    let msg = Journal::open(&path).err().expect("must fail").to_string();
    assert!(msg.contains("newer Workspace Sync"), "{msg}");
}

#[test]
fn run_with_changes_and_finish() {
    let (_d, j) = open_tmp();
    let id = j.start_run("ws", "interval").unwrap();
    j.record_change(id, "ws", "notes.md", Direction::ToRemote, FileAction::Copied, Some(42)).unwrap();
    j.record_change(id, "ws", "old.txt", Direction::ToLocal, FileAction::Deleted, None).unwrap();
    let running = &j.runs(Some("ws"), 5).unwrap()[0];
    assert_eq!(running.finished_at, None);
    assert_eq!(running.result, None);

    let mut report = SyncReport::new("ws");
    report.to_remote = Counts { copied: 1, deleted: 0 };
    report.to_local = Counts { copied: 0, deleted: 1 };
    report.duration_ms = 1234;
    j.finish_run(id, &report).unwrap();
    let run = &j.runs(Some("ws"), 5).unwrap()[0];
    assert_eq!(run.id, id);
    assert_eq!(run.trigger, "interval");
    assert_eq!(run.result, Some(SyncResult::Ok));
    assert_eq!((run.to_local_copied, run.to_local_deleted), (0, 1));
    assert_eq!((run.to_remote_copied, run.to_remote_deleted), (1, 0));
    assert_eq!(run.duration_ms, Some(1234));
    assert!(run.finished_at.is_some());
    assert!(run.error.is_none());

    let acts = j.activity(Some("ws"), 10).unwrap();
    assert_eq!(acts.len(), 2);
    assert_eq!(acts[0].path, "old.txt");
    assert_eq!((acts[0].direction, acts[0].action, acts[0].size), (Direction::ToLocal, FileAction::Deleted, None));
    assert_eq!((acts[1].direction, acts[1].action, acts[1].size), (Direction::ToRemote, FileAction::Copied, Some(42)));

    let json = serde_json::to_value(&acts[1]).unwrap();
    assert_eq!(json["direction"], "toRemote");
    assert_eq!(json["action"], "copied");
    assert!(json.get("at").is_some());
    let json = serde_json::to_value(run).unwrap();
    assert_eq!(json["toRemoteCopied"], 1);
    assert_eq!(json["startedAt"], run.started_at.as_str());

    let mut failed = SyncReport::new("ws");
    failed.result = SyncResult::Failed;
    failed.error = Some("remote unreachable".into());
    let id2 = j.start_run("ws", "retry").unwrap();
    j.finish_run(id2, &failed).unwrap();
    let runs = j.runs(Some("ws"), 5).unwrap();
    assert_eq!(runs[0].id, id2);
    assert_eq!(runs[0].result, Some(SyncResult::Failed));
    assert_eq!(runs[0].error.as_deref(), Some("remote unreachable"));
    assert_eq!(j.runs(Some("ws"), 1).unwrap().len(), 1);

    assert!(j.finish_run(9999, &report).is_err());
    assert!(j.record_change(9999, "ws", "x", Direction::ToLocal, FileAction::Copied, None).is_err());
}

#[test]
fn activity_is_newest_first_and_filters_by_folder() {
    let (_d, j) = open_tmp();
    let a = j.start_run("a", "watch").unwrap();
    let b = j.start_run("b", "watch").unwrap();
    for i in 0..5 {
        j.record_change(a, "a", &format!("a{i}"), Direction::ToRemote, FileAction::Copied, Some(i)).unwrap();
        j.record_change(b, "b", &format!("b{i}"), Direction::ToLocal, FileAction::Copied, None).unwrap();
    }
    let all: Vec<String> = j.activity(None, 100).unwrap().into_iter().map(|c| c.path).collect();
    assert_eq!(all, ["b4", "a4", "b3", "a3", "b2", "a2", "b1", "a1", "b0", "a0"]);
    let only_a: Vec<String> = j.activity(Some("a"), 3).unwrap().into_iter().map(|c| c.path).collect();
    assert_eq!(only_a, ["a4", "a3", "a2"]);
    assert!(j.activity(Some("nope"), 10).unwrap().is_empty());
    assert_eq!(j.runs(Some("b"), 10).unwrap().len(), 1);
    assert_eq!(j.runs(None, 10).unwrap().len(), 2);
}

#[test]
fn conflicts_dedupe_and_resolve() {
    let (_d, j) = open_tmp();
    let c = conflict_info("notes.md");
    let id = j.record_conflict("ws", &c).unwrap();
    assert_eq!(j.record_conflict("ws", &c).unwrap(), id, "same open conflict is not duplicated");
    let other_folder = j.record_conflict("other", &c).unwrap();
    assert_ne!(other_folder, id);
    let second = j.record_conflict("ws", &conflict_info("todo.md")).unwrap();

    let open = j.open_conflicts(Some("ws")).unwrap();
    assert_eq!(open.iter().map(|c| c.id).collect::<Vec<_>>(), [id, second]);
    assert_eq!(open[0].local_size, Some(10));
    assert_eq!(open[0].remote_size, None);
    assert_eq!(open[0].policy, "ask");
    assert_eq!(j.open_conflicts(None).unwrap().len(), 3);

    j.resolve_conflict(id, "local").unwrap();
    let rec = j.conflict(id).unwrap().unwrap();
    assert_eq!(rec.resolution.as_deref(), Some("local"));
    assert!(rec.resolved_at.is_some());
    // Settled once: a second resolution does not overwrite it.
    j.resolve_conflict(id, "gone").unwrap();
    assert_eq!(j.conflict(id).unwrap().unwrap().resolution.as_deref(), Some("local"));
    assert_eq!(j.open_conflicts(Some("ws")).unwrap().len(), 1);
    // The same conflict again after it was settled is a new one.
    let again = j.record_conflict("ws", &c).unwrap();
    assert_ne!(again, id);
    assert!(j.conflict(424242).unwrap().is_none());
    assert!(j.resolve_conflict(424242, "local").is_err());
    let json = serde_json::to_value(&rec).unwrap();
    assert_eq!(json["localCopy"], "notes.md.conflict-local");
}

#[test]
fn blocked_episode_opens_and_closes() {
    let (_d, j) = open_tmp();
    assert!(j.open_blocked("ws").unwrap().is_none());
    let r1 = j.start_run("ws", "interval").unwrap();
    j.finish_run(r1, &blocked_report("ws", "too-many-deletes")).unwrap();
    let b = j.open_blocked("ws").unwrap().expect("open episode");
    assert_eq!(b.reason, "too-many-deletes");
    assert_eq!(b.message, "too-many-deletes happened");

    // Blocked again: same episode, same start, latest reason.
    let r2 = j.start_run("ws", "interval").unwrap();
    j.finish_run(r2, &blocked_report("ws", "remote-missing")).unwrap();
    let b2 = j.open_blocked("ws").unwrap().unwrap();
    assert_eq!(b2.started_at, b.started_at);
    assert_eq!(b2.reason, "remote-missing");
    let count: i64 = j.conn.query_row("SELECT count(*) FROM blocked", [], |r| r.get(0)).unwrap();
    assert_eq!(count, 1);

    // A failure neither opens nor closes it; another folder is untouched.
    let r3 = j.start_run("ws", "retry").unwrap();
    let mut failed = SyncReport::new("ws");
    failed.result = SyncResult::Failed;
    j.finish_run(r3, &failed).unwrap();
    assert!(j.open_blocked("ws").unwrap().is_some());
    assert!(j.open_blocked("other").unwrap().is_none());

    // A sync that went through closes it.
    let r4 = j.start_run("ws", "manual").unwrap();
    let mut done = SyncReport::new("ws");
    done.result = SyncResult::Conflicts;
    j.finish_run(r4, &done).unwrap();
    assert!(j.open_blocked("ws").unwrap().is_none());

    // And the next block opens a new episode.
    let r5 = j.start_run("ws", "interval").unwrap();
    j.finish_run(r5, &blocked_report("ws", "all-changed")).unwrap();
    assert_eq!(j.open_blocked("ws").unwrap().unwrap().reason, "all-changed");
    let count: i64 = j.conn.query_row("SELECT count(*) FROM blocked", [], |r| r.get(0)).unwrap();
    assert_eq!(count, 2);
}

#[test]
fn prune_bounds_age_and_count() {
    let (_d, j) = open_tmp();
    // Old history: a run with 3 changes, a settled and an open conflict, a closed and an open episode.
    let old = j.start_run("ws", "interval").unwrap();
    for i in 0..3 {
        j.record_change(old, "ws", &format!("old{i}"), Direction::ToRemote, FileAction::Copied, None).unwrap();
    }
    let settled = j.record_conflict("ws", &conflict_info("a.md")).unwrap();
    j.resolve_conflict(settled, "remote").unwrap();
    let open = j.record_conflict("ws", &conflict_info("b.md")).unwrap();
    let r = j.start_run("x", "interval").unwrap();
    j.finish_run(r, &blocked_report("x", "too-many-deletes")).unwrap();
    let r = j.start_run("x", "interval").unwrap();
    j.finish_run(r, &SyncReport::new("x")).unwrap();
    let r = j.start_run("y", "interval").unwrap();
    j.finish_run(r, &blocked_report("y", "remote-missing")).unwrap();
    age(&j, "runs", "started_at", 100);
    age(&j, "changes", "at", 100);
    age(&j, "conflicts", "found_at", 100);
    j.conn.execute("UPDATE conflicts SET resolved_at = ?1 WHERE resolved_at IS NOT NULL", [&j.conflict(open).unwrap().unwrap().found_at]).unwrap();
    age(&j, "blocked", "started_at", 100);
    j.conn.execute("UPDATE blocked SET ended_at = started_at WHERE ended_at IS NOT NULL", []).unwrap();

    // Recent history: 10 changes in one run.
    let new = j.start_run("ws", "watch").unwrap();
    for i in 0..10 {
        j.record_change(new, "ws", &format!("new{i}"), Direction::ToLocal, FileAction::Copied, None).unwrap();
    }

    // By age: 3 changes, 4 runs, 1 settled conflict, 1 closed episode.
    assert_eq!(j.prune(90, 1000).unwrap(), 3 + 4 + 1 + 1);
    assert_eq!(j.activity(None, 100).unwrap().len(), 10);
    assert_eq!(j.runs(None, 100).unwrap().iter().map(|r| r.id).collect::<Vec<_>>(), [new]);
    assert_eq!(j.open_conflicts(None).unwrap().len(), 1, "open conflicts are never pruned");
    assert!(j.conflict(settled).unwrap().is_none());
    assert!(j.open_blocked("y").unwrap().is_some(), "open episodes are never pruned");
    assert_eq!(j.prune(90, 1000).unwrap(), 0, "nothing more to prune");

    // By count: the newest 4 changes stay, and their run with them.
    assert_eq!(j.prune(90, 4).unwrap(), 6);
    let left: Vec<String> = j.activity(None, 100).unwrap().into_iter().map(|c| c.path).collect();
    assert_eq!(left, ["new9", "new8", "new7", "new6"]);
    assert_eq!(j.runs(None, 100).unwrap().len(), 1);

    // Runs are bounded by the same count.
    for _ in 0..5 {
        j.start_run("z", "interval").unwrap();
    }
    assert_eq!(j.prune(90, 4).unwrap(), 1, "the oldest run without kept changes goes");
    assert_eq!(j.runs(None, 100).unwrap().len(), 5);
    assert!(j.runs(None, 100).unwrap().iter().any(|r| r.id == new), "a run with kept changes stays");
    // Everything settled goes; the open conflict and the open episode stay.
    assert_eq!(j.prune(0, 0).unwrap(), 4 + 5);
    assert_eq!(j.open_conflicts(None).unwrap().len(), 1);
    assert!(j.open_blocked("y").unwrap().is_some());
}

#[test]
fn bad_stored_values_are_errors_not_panics() {
    let (_d, j) = open_tmp();
    let id = j.start_run("ws", "manual").unwrap();
    j.conn.execute("UPDATE runs SET to_local_copied = -1 WHERE id = ?1", [id]).unwrap();
    assert!(j.runs(None, 10).is_err());
    j.conn.execute_batch("PRAGMA ignore_check_constraints = ON").unwrap();
    j.conn
        .execute(
            "INSERT INTO changes (run_id, folder, path, direction, action, at) VALUES (?1, 'ws', 'p', 'sideways', 'copied', 'x')",
            [id],
        )
        .unwrap();
    let msg = j.activity(None, 10).err().unwrap().to_string();
    assert!(msg.contains("sideways"), "{msg}");
}
