//! Two-way sync with a local-folder remote: first-sync merge, changes each
//! way, conflicts under each policy, guards, locks, names, excludes.

use serde_json::json;

use crate::harness::*;

#[test]
fn first_sync_merges_two_nonempty_sides_without_losing_a_version() {
    let env = setup();
    let remote = env.use_local_remote(json!({}));
    write(&env.local.join("only-local.txt"), "L");
    write(&remote.join("only-remote.txt"), "R");
    write(&env.local.join("both/same.txt"), "same");
    write(&remote.join("both/same.txt"), "same");
    write(&env.local.join("both/differs.md"), "local version");
    write(&remote.join("both/differs.md"), "remote version!");

    let report = env.sync_ok();
    assert_eq!(report["result"], "conflicts", "{report}");
    for side in [&env.local, &remote] {
        assert_eq!(read(&side.join("only-local.txt")), "L");
        assert_eq!(read(&side.join("only-remote.txt")), "R");
        assert_eq!(read(&side.join("both/same.txt")), "same");
        // ask: this computer's version keeps the name, the cloud's is kept beside it.
        assert_eq!(read(&side.join("both/differs.md")), "local version");
        let copies = conflict_copies(side, "remote");
        assert_eq!(copies.len(), 1, "{copies:?}");
        assert!(copies[0].starts_with("both/differs.conflict-remote-") && copies[0].ends_with(".md"), "{copies:?}");
        assert_eq!(read(&side.join(&copies[0])), "remote version!");
    }
    assert_eq!(report["conflicts"][0]["path"], "both/differs.md");
    assert_eq!(files(&env.local), files(&remote));
}

#[test]
fn changes_flow_both_ways() {
    let env = setup();
    let remote = env.use_local_remote(json!({}));
    write(&env.local.join("keep.txt"), "k");
    write(&env.local.join("edit-here.txt"), "v1");
    write(&env.local.join("delete-here.txt"), "x");
    write(&env.local.join("rename-here.txt"), "r");
    write(&env.local.join("edit-there.txt"), "v1");
    write(&env.local.join("delete-there.txt"), "x");
    write(&env.local.join("rename-there.txt"), "r2");
    write(&env.local.join("pad1.txt"), "p");
    write(&env.local.join("pad2.txt"), "p");
    write(&env.local.join("pad3.txt"), "p");
    env.sync_ok();
    tick();
    // This computer: create, modify, delete, rename.
    write(&env.local.join("new-here.txt"), "n");
    write(&env.local.join("edit-here.txt"), "v2 local");
    std::fs::remove_file(env.local.join("delete-here.txt")).unwrap();
    std::fs::rename(env.local.join("rename-here.txt"), env.local.join("renamed-here.txt")).unwrap();
    // The cloud: the same four.
    write(&remote.join("new-there.txt"), "m");
    write(&remote.join("edit-there.txt"), "v2 remote");
    std::fs::remove_file(remote.join("delete-there.txt")).unwrap();
    std::fs::rename(remote.join("rename-there.txt"), remote.join("renamed-there.txt")).unwrap();

    let report = env.sync_ok();
    assert_eq!(report["result"], "ok", "{report}");
    let expected = [
        "edit-here.txt", "edit-there.txt", "keep.txt", "new-here.txt", "new-there.txt", "pad1.txt", "pad2.txt", "pad3.txt",
        "renamed-here.txt", "renamed-there.txt",
    ];
    assert_eq!(files(&env.local), expected);
    assert_eq!(files(&remote), expected);
    assert_eq!(read(&remote.join("edit-here.txt")), "v2 local");
    assert_eq!(read(&env.local.join("edit-there.txt")), "v2 remote");
    assert_eq!(read(&env.local.join("renamed-there.txt")), "r2");
    // Renames travel as moves: only the new and the edited file are copied,
    // only the deleted one is deleted, and no moved file fills a versions area.
    assert_eq!(report["toRemote"]["copied"], 2, "{report}");
    assert_eq!(report["toLocal"]["copied"], 2, "{report}");
    assert_eq!(report["toRemote"]["deleted"], 1, "{report}");
    assert_eq!(report["toLocal"]["deleted"], 1, "{report}");
    let kept_local = files(&env.home.join(".local/share/workspace-sync/versions/ws"));
    let kept_cloud = files(&remote.with_file_name("share.wsync-versions"));
    for kept in kept_local.iter().chain(kept_cloud.iter()) {
        assert!(!kept.contains("rename-"), "a moved file is not a kept version: {kept}");
    }
    assert!(kept_cloud.iter().any(|f| f.ends_with("/delete-here.txt")), "the cloud copy deleted here is kept: {kept_cloud:?}");
    assert!(kept_cloud.iter().any(|f| f.ends_with("/edit-here.txt")), "the cloud copy replaced from here is kept: {kept_cloud:?}");
    assert!(kept_local.iter().any(|f| f.ends_with("/delete-there.txt")), "the local copy deleted there is kept: {kept_local:?}");
}

/// Edit one file on both sides and sync under `policy`.
fn conflict_under(policy: &str, local_newer: bool) -> (Env, std::path::PathBuf, serde_json::Value) {
    let env = setup();
    let remote = env.use_local_remote(json!({ "conflictResolve": policy }));
    write(&env.local.join("notes.md"), "base");
    for i in 0..3 {
        write(&env.local.join(format!("other{i}.txt")), "o");
    }
    env.sync_ok();
    tick();
    write(&env.local.join("notes.md"), "local edit");
    write(&remote.join("notes.md"), "remote edit, longer");
    if local_newer {
        age(&remote.join("notes.md"), 30);
    } else {
        age(&env.local.join("notes.md"), 30);
    }
    let (run, report) = env.sync_json(&[]);
    assert_eq!(run.code, Some(3), "{run:?}");
    assert_eq!(report["result"], "conflicts", "{report}");
    (env, remote, report)
}

fn assert_both_versions(env: &Env, remote: &std::path::Path, name_holder: &str, copy_side: &str) {
    let (winner, loser) = if name_holder == "local" { ("local edit", "remote edit, longer") } else { ("remote edit, longer", "local edit") };
    for side in [&env.local, &remote.to_path_buf()] {
        assert_eq!(read(&side.join("notes.md")), winner, "in {}", side.display());
        let copies = conflict_copies(side, copy_side);
        assert_eq!(copies.len(), 1, "{:?}", files(side));
        assert!(copies[0].ends_with(".md"));
        assert_eq!(read(&side.join(&copies[0])), loser);
    }
    assert_eq!(files(&env.local), files(remote));
}

#[test]
fn conflict_ask_keeps_this_computers_version_and_records_it() {
    let (env, remote, report) = conflict_under("ask", false);
    assert_both_versions(&env, &remote, "local", "remote");
    let c = &report["conflicts"][0];
    assert_eq!(c["path"], "notes.md");
    assert_eq!(c["localCopy"], "notes.md");
    assert!(c["remoteCopy"].as_str().unwrap().starts_with("notes.conflict-remote-"));
    // Recorded as unresolved: status lists it and later syncs exit 3.
    let status = env.wsync(&["status", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(v["folders"][0]["unresolvedConflicts"][0]["path"], "notes.md");
    let again = env.wsync(&["sync"]);
    assert_eq!(again.code, Some(3), "{again:?}");
}

#[test]
fn conflict_local_policy() {
    let (env, remote, _) = conflict_under("local", false);
    assert_both_versions(&env, &remote, "local", "remote");
}

#[test]
fn conflict_remote_policy() {
    let (env, remote, _) = conflict_under("remote", true);
    assert_both_versions(&env, &remote, "remote", "local");
}

#[test]
fn conflict_newer_policy_picks_the_newer_side() {
    let (env, remote, _) = conflict_under("newer", false);
    assert_both_versions(&env, &remote, "remote", "local");
    let (env, remote, _) = conflict_under("newer", true);
    assert_both_versions(&env, &remote, "local", "remote");
}

#[test]
fn identical_edits_on_both_sides_are_not_a_conflict() {
    let env = setup();
    let remote = env.use_local_remote(json!({}));
    write(&env.local.join("a.txt"), "base");
    write(&env.local.join("b.txt"), "b");
    env.sync_ok();
    tick();
    write(&env.local.join("a.txt"), "same new text");
    write(&remote.join("a.txt"), "same new text");
    let report = env.sync_ok();
    assert_eq!(report["result"], "ok", "{report}");
    assert_eq!(files(&env.local), ["a.txt", "b.txt"]);
}

#[test]
fn delete_versus_modify_keeps_the_modified_file() {
    let env = setup();
    let remote = env.use_local_remote(json!({}));
    for n in ["doc.txt", "x.txt", "y.txt", "z.txt"] {
        write(&env.local.join(n), "v1");
    }
    env.sync_ok();
    tick();
    std::fs::remove_file(env.local.join("doc.txt")).unwrap();
    write(&remote.join("doc.txt"), "v2 edited in the cloud");
    env.sync_ok();
    assert_eq!(read(&env.local.join("doc.txt")), "v2 edited in the cloud");
    assert_eq!(read(&remote.join("doc.txt")), "v2 edited in the cloud");
}

#[test]
fn emptied_remote_is_blocked_and_nothing_is_deleted_locally() {
    let env = setup();
    let remote = env.use_local_remote(json!({}));
    for i in 0..6 {
        write(&env.local.join(format!("f{i}.txt")), "data");
    }
    env.sync_ok();
    for f in files(&remote) {
        std::fs::remove_file(remote.join(f)).unwrap();
    }
    let (run, report) = env.sync_json(&[]);
    assert_eq!(run.code, Some(4), "{run:?}");
    assert_eq!(report["result"], "blocked");
    let mut listed: Vec<String> = report["blocked"]["files"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    listed.sort();
    assert_eq!(listed, files(&env.local), "the files that would be deleted are listed");
    assert_eq!(files(&env.local).len(), 6, "nothing may be deleted locally");
    let plain = env.wsync(&["sync"]);
    assert_eq!(plain.code, Some(4));
    assert!(plain.stdout.contains("would delete 6 file(s) on this computer"), "{plain:?}");
    assert!(plain.stdout.contains("--confirm-deletes"), "{plain:?}");
    // Status explains it too.
    let st = env.wsync(&["status"]);
    assert!(st.stdout.contains("blocked"), "{st:?}");
    // The person confirms: the deletions go ahead, and the files are kept as versions.
    let (run, _) = env.sync_json(&["--confirm-deletes"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(files(&env.local).is_empty());
    let versions = env.home.join(".local/share/workspace-sync/versions/ws");
    assert_eq!(files(&versions).len(), 6, "deleted files are kept: {:?}", files(&versions));
}

#[test]
fn too_many_deletes_in_the_cloud_is_blocked() {
    let env = setup();
    let remote = env.use_local_remote(json!({ "maxDeletePercent": 50 }));
    for i in 0..10 {
        write(&env.local.join(format!("f{i}.txt")), "data");
    }
    env.sync_ok();
    for i in 0..7 {
        std::fs::remove_file(remote.join(format!("f{i}.txt"))).unwrap();
    }
    let (run, report) = env.sync_json(&[]);
    assert_eq!(run.code, Some(4), "{run:?}");
    assert_eq!(report["blocked"]["reason"], "too-many-deletes", "{report}");
    assert_eq!(report["blocked"]["wouldDelete"], 7);
    let mut listed: Vec<String> = report["blocked"]["files"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    listed.sort();
    assert_eq!(listed, (0..7).map(|i| format!("f{i}.txt")).collect::<Vec<_>>());
    assert_eq!(files(&env.local).len(), 10);
}

#[test]
fn dead_lock_is_recovered_and_live_lock_respected() {
    let env = setup();
    env.use_local_remote(json!({}));
    write(&env.local.join("a.txt"), "a");
    env.sync_ok();
    let workdir = env.home.join(".local/share/workspace-sync/bisync/ws");
    let session = std::fs::read_dir(&workdir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".path1.lst"))
        .unwrap()
        .trim_end_matches(".path1.lst")
        .to_string();
    let lck = workdir.join(format!("{session}.lck"));
    let lock_json = |pid: u32| json!({"Session": session, "PID": pid.to_string(), "TimeRenewed": "2026-01-01T00:00:00Z", "TimeExpires": "2226-01-01T00:00:00Z"}).to_string();

    // A live rclone process holds it: respected.
    let server = Server::start("webdav", &env.path("served"));
    std::fs::write(&lck, lock_json(server.pid())).unwrap();
    let run = env.wsync(&["sync"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("being synced by rclone process"), "{run:?}");
    assert!(lck.exists(), "a live lock is never removed");

    // Its process is gone: removed, and the sync goes on without --resync.
    std::fs::write(&lck, lock_json(999_999)).unwrap();
    write(&env.local.join("b.txt"), "b");
    let report = env.sync_ok();
    assert_eq!(report["result"], "ok");
    assert_eq!(report["firstSync"], false);
    assert!(!lck.exists());
}

#[test]
fn excluded_files_never_leave_the_machine() {
    let env = setup();
    let remote = env.use_local_remote(json!({}));
    write(&env.local.join("notes.md"), "ok");
    write(&env.local.join(".env"), "API_KEY=1");
    write(&env.local.join(".env.local"), "API_KEY=2");
    write(&env.local.join("debug.log"), "log");
    write(&env.local.join(".git/config"), "[core]");
    write(&env.local.join("app/node_modules/x/index.js"), "js");
    write(&env.local.join("sub/.env.production"), "k");
    env.sync_ok();
    tick();
    write(&env.local.join(".env"), "API_KEY=changed");
    env.sync_ok();
    assert_eq!(files(&remote), ["notes.md"]);
}

#[test]
fn names_with_spaces_unicode_and_emoji_round_trip() {
    let env = setup();
    let remote = env.use_local_remote(json!({}));
    let names = ["with space.txt", "ünïcødé/日本語.md", "emoji 🎉 party.txt", "quote's \"and\" more.txt"];
    for n in &names[..2] {
        write(&env.local.join(n), n);
    }
    for n in &names[2..] {
        write(&remote.join(n), n);
    }
    write(&env.local.join("pad.txt"), "p");
    env.sync_ok();
    for n in names {
        assert_eq!(read(&env.local.join(n)), n);
        assert_eq!(read(&remote.join(n)), n);
    }
    tick();
    std::fs::remove_file(remote.join("ünïcødé/日本語.md")).unwrap();
    write(&env.local.join("emoji 🎉 party.txt"), "changed 🎈");
    env.sync_ok();
    assert!(!env.local.join("ünïcødé/日本語.md").exists());
    assert_eq!(read(&remote.join("emoji 🎉 party.txt")), "changed 🎈");
}

#[test]
fn lost_listings_block_instead_of_resyncing() {
    let env = setup();
    let remote = env.use_local_remote(json!({}));
    write(&env.local.join("a.txt"), "a");
    env.sync_ok();
    std::fs::remove_dir_all(env.home.join(".local/share/workspace-sync/bisync/ws")).unwrap();
    std::fs::remove_file(remote.join("a.txt")).unwrap();
    let (run, report) = env.sync_json(&[]);
    assert_eq!(run.code, Some(4), "{run:?}");
    assert_eq!(report["blocked"]["reason"], "listings-lost");
    // Confirming runs the safe merge: nothing deleted.
    let (run, _) = env.sync_json(&["--resync"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(read(&remote.join("a.txt")), "a");
}

#[test]
fn pull_and_push_are_one_way() {
    let env = setup();
    let remote = env.use_local_remote(json!({}));
    for shared in ["s1.txt", "s2.txt"] {
        write(&remote.join(shared), "s");
        write(&env.local.join(shared), "s");
    }
    write(&remote.join("from-cloud.txt"), "c");
    write(&env.local.join("local-only.txt"), "l");
    let run = env.wsync(&["sync", "--direction", "push"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(read(&remote.join("local-only.txt")), "l");
    assert!(!env.local.join("from-cloud.txt").exists(), "push never downloads");
    std::fs::remove_file(remote.join("local-only.txt")).unwrap();
    let run = env.wsync(&["sync", "--direction", "pull"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(read(&env.local.join("from-cloud.txt")), "c");
    assert!(!env.local.join("local-only.txt").exists(), "pull mirrors the cloud");
    let versions = env.home.join(".local/share/workspace-sync/versions/ws");
    assert!(files(&versions).iter().any(|f| f.ends_with("local-only.txt")), "the replaced file is kept");
}

#[test]
fn dry_run_changes_nothing() {
    let env = setup();
    let remote = env.use_local_remote(json!({}));
    write(&env.local.join("a.txt"), "a");
    write(&remote.join("b.txt"), "b");
    let (run, report) = env.sync_json(&["--dry-run"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(report["toRemote"]["copied"], 1);
    assert_eq!(report["toLocal"]["copied"], 1);
    assert_eq!(files(&env.local), ["a.txt"]);
    assert_eq!(files(&remote), ["b.txt"]);
}
