//! The incremental engine (issue #10) and a host that follows its config
//! (issue #11): a few saves take the fast path and are recorded as in sync,
//! a changed cloud copy sends them through the full guarded bisync, and a
//! folder added to or removed from config.json while `wsync daemon` runs
//! is picked up without interrupting the other folders.

use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::*;

#[test]
fn hinted_saves_are_pushed_alone_and_recorded_as_in_sync() {
    let env = setup();
    let remote = env.use_local_remote(json!({}));
    for i in 0..20 {
        write(&env.local.join(format!("f{i}.txt")), "x");
    }
    env.sync_ok();
    tick();
    write(&env.local.join("f3.txt"), "edited here");
    write(&env.local.join("new.txt"), "new");
    let (run, report) = env.sync_json(&["--changed", "f3.txt", "--changed", "new.txt"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(report["toRemote"]["copied"], 2, "{report}");
    assert_eq!(read(&remote.join("f3.txt")), "edited here");
    assert_eq!(read(&remote.join("new.txt")), "new");
    // The replaced cloud copy is kept.
    let kept = files(&remote.with_file_name("share.wsync-versions"));
    assert!(kept.iter().any(|f| f.ends_with("/f3.txt")), "{kept:?}");
    // The records say both sides hold them: a full sync finds nothing to do.
    let full = env.sync_ok();
    assert_eq!(full["toRemote"]["copied"], 0, "{full}");
    assert_eq!(full["toLocal"]["copied"], 0, "{full}");
    assert!(full["conflicts"].as_array().unwrap().is_empty(), "{full}");
}

#[test]
fn a_changed_cloud_copy_sends_a_save_through_the_full_sync() {
    let env = setup();
    let remote = env.use_local_remote(json!({ "conflictResolve": "ask" }));
    write(&env.local.join("doc.txt"), "v1");
    write(&env.local.join("pad.txt"), "p");
    env.sync_ok();
    tick();
    write(&remote.join("doc.txt"), "cloud v2");
    write(&env.local.join("doc.txt"), "local v2");
    let (run, report) = env.sync_json(&["--changed", "doc.txt"]);
    assert_eq!(run.code, Some(3), "both edits are kept as a conflict: {run:?}");
    assert_eq!(report["conflicts"].as_array().unwrap().len(), 1, "{report}");
    let all: Vec<String> = files(&env.local).into_iter().map(|f| read(&env.local.join(&f))).collect();
    assert!(all.contains(&"cloud v2".to_string()) && all.contains(&"local v2".to_string()), "{all:?}");
}

#[test]
fn deletions_and_renames_never_take_the_fast_path() {
    let env = setup();
    let remote = env.use_local_remote(json!({}));
    for i in 0..4 {
        write(&env.local.join(format!("f{i}.txt")), &format!("content {i}"));
    }
    env.sync_ok();
    std::fs::remove_file(env.local.join("f0.txt")).unwrap();
    std::fs::rename(env.local.join("f1.txt"), env.local.join("g1.txt")).unwrap();
    let (run, _) = env.sync_json(&["--changed", "f0.txt", "--changed", "f1.txt", "--changed", "g1.txt"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(files(&remote), ["f2.txt", "f3.txt", "g1.txt"]);
    let kept = files(&remote.with_file_name("share.wsync-versions"));
    assert!(kept.iter().any(|f| f.ends_with("/f0.txt")), "the deleted cloud copy is kept by the full sync: {kept:?}");
}

#[test]
fn a_daemon_pushes_a_save_through_the_fast_path() {
    let env = setup();
    let remote = env.use_local_remote(json!({ "interval": 0 }));
    for i in 0..10 {
        write(&env.local.join(format!("f{i}.txt")), "x");
    }
    let _d = Daemon::start(&env);
    wait_for("the start-up sync", Duration::from_secs(60), || remote.join("f9.txt").exists() && !finished_runs(&env).is_empty());
    tick();
    write(&env.local.join("f4.txt"), "saved");
    wait_for("the save in the cloud", Duration::from_secs(30), || std::fs::read_to_string(remote.join("f4.txt")).map(|t| t == "saved").unwrap_or(false));
    wait_for("the watched run's record", Duration::from_secs(30), || finished_runs(&env).iter().any(|r| r["trigger"] == "watch"));
    let runs = finished_runs(&env);
    let last: &Value = runs.iter().find(|r| r["trigger"] == "watch").unwrap();
    assert_eq!(last["result"], "ok", "{last}");
    assert_eq!(last["toRemoteCopied"], 1, "only the saved file moved: {last}");
}

fn folder_at(env: &Env, id: &str, local: &std::path::Path, remote_root: &std::path::Path, extra: Value) -> Value {
    let mut f = env.folder("local", json!({ "path": remote_root }), extra);
    f["id"] = json!(id);
    f["localPath"] = json!(local);
    f
}

#[test]
fn a_running_daemon_follows_config_changes_without_interrupting_other_folders() {
    let env = setup();
    let (a_local, a_remote) = (env.path("a-local"), env.path("a-remote"));
    let (b_local, b_remote) = (env.path("b-local"), env.path("b-remote"));
    std::fs::create_dir_all(&a_local).unwrap();
    std::fs::create_dir_all(&b_local).unwrap();
    // Folder a carries a large file over many seconds: the bandwidth of a
    // local copy is not limited, so many files make a long run instead.
    for i in 0..1500 {
        write(&a_local.join(format!("many/f{i}.txt")), &format!("file {i}"));
    }
    write(&b_local.join("b.txt"), "b");
    env.write_config(json!([folder_at(&env, "a", &a_local, &a_remote, json!({ "interval": 0 }))]));
    let _d = Daemon::start(&env);
    // Add b while a's first sync runs.
    wait_for("a's first sync to start", Duration::from_secs(30), || !runs(&env).is_empty());
    env.write_config(json!([
        folder_at(&env, "a", &a_local, &a_remote, json!({ "interval": 0 })),
        folder_at(&env, "b", &b_local, &b_remote, json!({ "interval": 0 })),
    ]));
    let took = wait_for("b to be synced", Duration::from_secs(60), || b_remote.join("share/b.txt").exists());
    assert!(took < Duration::from_secs(60));
    wait_for("a's first sync to end", Duration::from_secs(120), || finished_runs(&env).iter().any(|r| r["folder"] == "a"));
    let a_runs: Vec<Value> = finished_runs(&env).into_iter().filter(|r| r["folder"] == "a").collect();
    assert!(a_runs.iter().all(|r| r["result"] == "ok"), "a was never interrupted: {a_runs:?}");
    assert_eq!(files(&a_remote.join("share")).len(), 1500);
    // Remove b: it stops; a stays.
    env.write_config(json!([folder_at(&env, "a", &a_local, &a_remote, json!({ "interval": 0 }))]));
    wait_for("b to leave the engine", Duration::from_secs(30), || {
        let st = env.wsync(&["status", "--json"]);
        let v: Value = serde_json::from_str(&st.stdout).unwrap_or(Value::Null);
        v["folders"].as_array().map(|f| f.len() == 1 && f[0]["engine"]["id"] == "a").unwrap_or(false)
    });
    write(&b_local.join("after.txt"), "not synced");
    std::thread::sleep(Duration::from_secs(3));
    assert!(!b_remote.join("share/after.txt").exists(), "a removed folder syncs no more");
    // `wsync reload` says what it applied.
    let r = env.wsync(&["reload"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(r.stdout.contains("config applied"), "{r:?}");
}

/// WebDAV keeps whole seconds: two equal-size saves within one second have
/// the same time there, and the fast path must still push the second.
#[test]
fn an_equal_size_save_in_the_same_second_is_pushed() {
    let env = setup();
    let (_server, mirror) = env.use_webdav_remote("rclone", json!({}));
    write(&env.local.join("doc.txt"), "v0 base");
    write(&env.local.join("pad.txt"), "p");
    env.sync_ok();
    let second = std::time::UNIX_EPOCH + Duration::from_secs(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 5);
    for (i, text) in ["v1 here", "v2 here"].iter().enumerate() {
        write(&env.local.join("doc.txt"), text);
        let f = std::fs::File::options().write(true).open(env.local.join("doc.txt")).unwrap();
        f.set_modified(second + Duration::from_millis(100 + 300 * i as u64)).unwrap();
        let (run, _) = env.sync_json(&["--changed", "doc.txt"]);
        assert_eq!(run.code, Some(0), "{run:?}");
        assert_eq!(read(&mirror.join("doc.txt")), *text, "save {i} reached the cloud");
    }
    let full = env.sync_ok();
    assert_eq!(full["result"], "ok", "the records agree: {full}");
}
