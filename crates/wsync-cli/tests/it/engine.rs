//! The engine hosted by `wsync daemon`: watched and timed syncs, the
//! control socket, single flight, pause/resume, blocked folders, backoff,
//! a clean stop, and conflict choices with kept versions.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::harness::*;

#[test]
fn a_saved_file_reaches_the_remote_without_a_sync_command() {
    let env = setup();
    let remote = env.use_local_remote(json!({ "interval": 0 }));
    write(&env.local.join("first.txt"), "1");
    let _d = Daemon::start(&env);
    wait_for("the start-up sync", Duration::from_secs(60), || remote.join("first.txt").exists() && !finished_runs(&env).is_empty());
    let saved = Instant::now();
    write(&env.local.join("notes/saved.md"), "hello");
    wait_for("the saved file in the remote", Duration::from_secs(20), || remote.join("notes/saved.md").exists());
    eprintln!("save reached the local remote in {:?}", saved.elapsed());
    // And the other way, with a sync command through the socket.
    write(&remote.join("from-cloud.txt"), "c");
    let run = env.wsync(&["sync", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(read(&env.local.join("from-cloud.txt")), "c");
}

#[test]
fn watched_webdav_folder_uploads_saves() {
    let env = setup();
    let served = env.path("served");
    let server = Server::start("webdav", &served);
    env.write_config(json!([env.folder("webdav", webdav_block(&server, "other"), json!({ "interval": 0 }))]));
    write(&env.local.join("a.txt"), "a");
    let _d = Daemon::start(&env);
    wait_for("the start-up sync", Duration::from_secs(60), || served.join("share/a.txt").exists() && !finished_runs(&env).is_empty());
    write(&env.local.join("b.txt"), "b");
    wait_for("b.txt on the WebDAV server", Duration::from_secs(20), || served.join("share/b.txt").exists());
}

#[test]
fn a_burst_of_saves_gives_few_runs_and_excluded_paths_none() {
    let env = setup();
    let remote = env.use_local_remote(json!({ "interval": 0 }));
    write(&env.local.join("a.txt"), "a");
    let _d = Daemon::start(&env);
    wait_for("the start-up sync", Duration::from_secs(30), || remote.join("a.txt").exists() && finished_runs(&env).len() == 1);
    for i in 0..200 {
        write(&env.local.join("draft.md"), &format!("version {i}"));
        std::thread::sleep(Duration::from_millis(5));
    }
    wait_for("the burst to sync", Duration::from_secs(30), || remote.join("draft.md").exists() && read(&remote.join("draft.md")) == "version 199");
    std::thread::sleep(Duration::from_secs(3));
    let after_burst = finished_runs(&env).len();
    assert!(after_burst <= 4, "200 saves gave {} runs", after_burst - 1);
    // Excluded paths trigger nothing.
    for i in 0..20 {
        write(&env.local.join(".git/objects/x"), &i.to_string());
        write(&env.local.join("build.log"), &i.to_string());
        write(&env.local.join("node_modules/p/index.js"), &i.to_string());
    }
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(finished_runs(&env).len(), after_burst, "excluded changes started a sync");
    assert!(!remote.join("build.log").exists());
}

/// rclone bisync processes working on this test's work dir.
fn bisyncs(workdir: &Path) -> usize {
    let needle = workdir.to_string_lossy().into_owned();
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().chars().all(|c| c.is_ascii_digit()))
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).into_owned())
        .filter(|c| c.contains("bisync") && c.contains(&needle))
        .count()
}

#[test]
fn concurrent_sync_requests_run_one_bisync_at_a_time() {
    let env = setup();
    let remote = env.use_local_remote(json!({ "interval": 0, "watch": false }));
    write(&env.local.join("a.txt"), "a");
    let _d = Daemon::start(&env);
    wait_for("the start-up sync", Duration::from_secs(60), || remote.join("a.txt").exists() && !finished_runs(&env).is_empty());
    let big: Vec<u8> = (0..120_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    std::fs::write(env.local.join("big.bin"), &big).unwrap();
    drop(big);
    let before = finished_runs(&env).len();
    let clients: Vec<Child> = (0..4).map(|_| env.spawn(&["sync", "ws"])).collect();
    let workdir = env.home.join(".local/share/workspace-sync/bisync/ws");
    let mut most = 0;
    let start = Instant::now();
    let mut clients: Vec<Option<Child>> = clients.into_iter().map(Some).collect();
    while clients.iter_mut().any(|c| c.as_mut().map(|c| c.try_wait().unwrap().is_none()).unwrap_or(false)) && start.elapsed() < Duration::from_secs(120) {
        most = most.max(bisyncs(&workdir));
        std::thread::sleep(Duration::from_millis(10));
    }
    for c in clients.iter_mut() {
        let run = Run::wait(c.take().unwrap(), Duration::from_secs(60));
        assert_eq!(run.code, Some(0), "{run:?}");
    }
    assert_eq!(most, 1, "at most one bisync at a time");
    let new_runs = finished_runs(&env).len() - before;
    assert!((1..=2).contains(&new_runs), "4 requests were served by {new_runs} runs");
    assert_eq!(std::fs::metadata(remote.join("big.bin")).unwrap().len(), 120_000_000);
}

#[test]
fn pause_stops_syncing_and_resume_catches_up() {
    let env = setup();
    let remote = env.use_local_remote(json!({ "interval": 0 }));
    write(&env.local.join("a.txt"), "a");
    let _d = Daemon::start(&env);
    wait_for("the start-up sync", Duration::from_secs(60), || remote.join("a.txt").exists() && !finished_runs(&env).is_empty());
    let run = env.wsync(&["pause", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    write(&env.local.join("while-paused.txt"), "p");
    std::thread::sleep(Duration::from_secs(3));
    assert!(!remote.join("while-paused.txt").exists(), "a paused folder runs nothing");
    let st = env.wsync(&["status", "--json"]);
    let v: Value = serde_json::from_str(&st.stdout).unwrap();
    assert_eq!(v["folders"][0]["engine"]["state"], "paused", "{v}");
    let sync = env.wsync(&["sync", "ws"]);
    assert_eq!(sync.code, Some(1), "{sync:?}");
    assert!(sync.stderr.contains("paused"), "{sync:?}");
    assert_eq!(env.wsync(&["resume", "ws"]).code, Some(0));
    wait_for("the file after resume", Duration::from_secs(20), || remote.join("while-paused.txt").exists());
}

#[test]
fn a_second_host_is_refused_and_names_the_first() {
    let env = setup();
    env.use_local_remote(json!({ "interval": 0 }));
    let _d = Daemon::start(&env);
    let second = env.wsync(&["daemon"]);
    assert_eq!(second.code, Some(1), "{second:?}");
    assert!(second.stderr.contains("already running") && second.stderr.contains("wsync daemon, process"), "{second:?}");
}

#[test]
fn emptied_remote_blocks_the_daemon_until_confirmed() {
    let env = setup();
    let remote = env.use_local_remote(json!({ "interval": 0 }));
    for i in 0..5 {
        write(&env.local.join(format!("f{i}.txt")), "x");
    }
    let _d = Daemon::start(&env);
    wait_for("the start-up sync", Duration::from_secs(60), || remote.join("f4.txt").exists() && !finished_runs(&env).is_empty());
    for f in files(&remote) {
        std::fs::remove_file(remote.join(f)).unwrap();
    }
    let run = env.wsync(&["sync", "ws"]);
    assert_eq!(run.code, Some(4), "{run:?}");
    // A local save does not get past the guard either.
    write(&env.local.join("new.txt"), "n");
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(files(&env.local).len(), 6, "nothing deleted locally");
    let st = env.wsync(&["status", "--json"]);
    let v: Value = serde_json::from_str(&st.stdout).unwrap();
    assert_eq!(v["folders"][0]["engine"]["state"], "blocked", "{v}");
    let run = env.wsync(&["sync", "ws", "--confirm-deletes"]);
    assert_eq!(run.code, Some(0), "{run:?}");
}

fn started_at(r: &Value) -> f64 {
    let t = chrono::DateTime::parse_from_rfc3339(r["startedAt"].as_str().unwrap()).unwrap();
    t.timestamp_millis() as f64 / 1000.0
}

#[test]
fn failures_back_off_and_recover_when_the_server_returns() {
    let mut env = setup();
    quick(&mut env);
    let served = env.path("served");
    let mut server = Server::start("webdav", &served);
    env.write_config(json!([env.folder("webdav", webdav_block(&server, "other"), json!({ "interval": 0 }))]));
    write(&env.local.join("a.txt"), "a");
    let _d = Daemon::start(&env);
    wait_for("the start-up sync", Duration::from_secs(60), || served.join("share/a.txt").exists() && !finished_runs(&env).is_empty());
    server.go_down();
    write(&env.local.join("b.txt"), "b");
    // Retries at about 0.4, 0.8, 1.6, 3.2 s ... apart.
    wait_for("four failed runs", Duration::from_secs(150), || finished_runs(&env).iter().filter(|r| r["result"] == "failed").count() >= 4);
    let mut failed: Vec<Value> = finished_runs(&env).into_iter().filter(|r| r["result"] == "failed").collect();
    failed.reverse();
    let times: Vec<f64> = failed.iter().map(started_at).collect();
    let gaps: Vec<f64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    eprintln!("retry gaps: {gaps:?}");
    assert!(gaps[2] > gaps[1] && gaps[1] > gaps[0] * 0.9, "gaps grow: {gaps:?}");
    assert!(failed.iter().skip(1).all(|r| r["trigger"] == "retry"), "{failed:?}");
    server.restart();
    wait_for("recovery", Duration::from_secs(60), || served.join("share/b.txt").exists());
}

/// A loopback HTTP server that answers every request with 429.
fn rate_limiter() -> (u16, std::sync::Arc<std::sync::atomic::AtomicBool>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let s = stop.clone();
    std::thread::spawn(move || {
        while !s.load(std::sync::atomic::Ordering::SeqCst) {
            match listener.accept() {
                Ok((mut c, _)) => {
                    c.set_read_timeout(Some(Duration::from_millis(200))).ok();
                    let mut buf = [0u8; 4096];
                    let _ = c.read(&mut buf);
                    let _ = c.write_all(b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                }
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    });
    (port, stop)
}

#[test]
fn rate_limiting_waits_longer() {
    let mut env = setup();
    quick(&mut env);
    let (port, stop) = rate_limiter();
    let block = json!({ "url": format!("http://127.0.0.1:{port}"), "vendor": "other", "user": USER, "password": "${WS_PASS}" });
    env.write_config(json!([env.folder("webdav", block, json!({ "interval": 0 }))]));
    let _d = Daemon::start(&env);
    wait_for("a failed run", Duration::from_secs(120), || finished_runs(&env).iter().any(|r| r["result"] == "failed"));
    let st = env.wsync(&["status", "--json"]);
    let v: Value = serde_json::from_str(&st.stdout).unwrap();
    let next = v["folders"][0]["engine"]["nextSync"].as_str().expect("a retry is scheduled").to_string();
    let wait = (chrono::DateTime::parse_from_rfc3339(&next).unwrap().with_timezone(&chrono::Utc) - chrono::Utc::now()).num_seconds();
    eprintln!("after 429 the next try is in {wait} s (an ordinary first retry: 0.4 s)");
    assert!(wait >= 30, "rate limiting waits at least ~a minute, got {wait} s: {v}");
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
}

#[test]
fn sigterm_during_a_large_transfer_leaves_valid_listings() {
    let env = setup();
    let remote = env.use_local_remote(json!({ "interval": 0, "watch": false }));
    write(&env.local.join("a.txt"), "a");
    let mut d = Daemon::start(&env);
    wait_for("the start-up sync", Duration::from_secs(60), || remote.join("a.txt").exists() && !finished_runs(&env).is_empty());
    let big: Vec<u8> = (0..300_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    std::fs::write(env.local.join("big.bin"), &big).unwrap();
    drop(big);
    let client = env.spawn(&["sync", "ws"]);
    wait_for("the upload to start", Duration::from_secs(30), || files(&remote).iter().any(|f| f.contains("partial")));
    let stopped = d.stop();
    assert_eq!(stopped.code, Some(0), "{stopped:?}");
    assert!(stopped.stderr.contains("daemon stopped"), "{stopped:?}");
    let _ = Run::wait(client, Duration::from_secs(30));
    let report = env.sync_ok();
    assert_eq!(report["firstSync"], false, "no --resync needed: {report}");
    assert_eq!(report["result"], "ok", "{report}");
    assert_eq!(std::fs::metadata(remote.join("big.bin")).unwrap().len(), 300_000_000);
}

/// Make a conflict on notes.md under `policy`; local is newer.
fn conflicted(policy: &str) -> (Env, PathBuf) {
    let env = setup();
    let remote = env.use_local_remote(json!({ "conflictResolve": policy }));
    write(&env.local.join("notes.md"), "base");
    write(&env.local.join("x.txt"), "x");
    write(&env.local.join("y.txt"), "y");
    env.sync_ok();
    tick();
    write(&env.local.join("notes.md"), "LOCAL");
    write(&remote.join("notes.md"), "REMOTE!");
    age(&remote.join("notes.md"), 30);
    let (run, _) = env.sync_json(&[]);
    assert_eq!(run.code, Some(3), "{run:?}");
    (env, remote)
}

#[test]
fn every_policy_and_choice_ends_equal_with_the_discarded_version_kept() {
    for policy in ["ask", "newer", "local", "remote"] {
        for keep in ["local", "remote", "both"] {
            let (env, remote) = conflicted(policy);
            let listed = env.wsync(&["conflicts", "ws", "--json"]);
            let open: Vec<Value> = serde_json::from_str(&listed.stdout).unwrap();
            assert_eq!(open.len(), 1, "{policy}: {listed:?}");
            let run = env.wsync(&["resolve", "ws", "notes.md", "--keep", keep]);
            assert_eq!(run.code, Some(0), "{policy}/{keep}: {run:?}");
            assert_eq!(files(&env.local), files(&remote), "{policy}/{keep}: both sides equal");
            let texts: Vec<String> = files(&env.local).iter().filter(|f| f.starts_with("notes")).map(|f| read(&env.local.join(f))).collect();
            match keep {
                "local" => assert_eq!(texts, ["LOCAL"], "{policy}/{keep}"),
                "remote" => assert_eq!(texts, ["REMOTE!"], "{policy}/{keep}"),
                _ => assert_eq!(texts.len(), 2, "{policy}/{keep}: {texts:?}"),
            }
            let after = env.wsync(&["conflicts", "ws", "--json"]);
            assert_eq!(after.code, Some(0), "{policy}/{keep}: settled: {after:?}");
            if keep == "both" {
                continue;
            }
            // The discarded version is kept, and restore brings it back.
            let discarded = if keep == "local" { "REMOTE!" } else { "LOCAL" };
            let area = env.home.join(".local/share/workspace-sync/versions/ws");
            let kept = files(&area)
                .into_iter()
                .find(|f| read(&area.join(f)) == discarded)
                .unwrap_or_else(|| panic!("{policy}/{keep}: the discarded version is kept: {:?}", files(&area)));
            let kept_path = kept.split_once('/').unwrap().1.to_string();
            let listed = env.wsync(&["versions", "ws", &kept_path, "--json"]);
            let versions: Vec<Value> = serde_json::from_str(&listed.stdout).unwrap();
            assert!(!versions.is_empty(), "{listed:?}");
            let run = env.wsync(&["restore", "ws", &kept_path]);
            assert_eq!(run.code, Some(0), "{run:?}");
            let restored = kept_path.as_str();
            assert_eq!(read(&env.local.join(restored)), discarded);
            env.sync_ok();
            assert_eq!(read(&remote.join(restored)), discarded, "{policy}/{keep}: the restore reaches the cloud");
        }
    }
}
