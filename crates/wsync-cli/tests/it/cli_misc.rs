//! The setup wizard, the daemon's timed syncs and clean stop, and the
//! rclone version check.

use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::harness::*;

#[test]
fn setup_wizard_writes_the_config_and_runs_the_first_sync() {
    let env = setup();
    let remote_root = env.path("nas");
    write(&remote_root.join("share/from-nas.txt"), "nas");
    let local = env.path("Workspace");
    let answers = [
        "work",                                 // folder id
        "local",                                // provider
        &local.to_string_lossy(),               // folder on this computer
        "share",                                // folder in the cloud
        &remote_root.to_string_lossy(),         // path of the network folder
        "newer",                                // conflict policy
        "120",                                  // interval
        "y",                                    // create the local folder
        "y",                                    // run the first sync
        "y",                                    // go ahead after the preview
    ]
    .join("\n");
    let mut child = env.command().arg("setup").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(format!("{answers}\n").as_bytes()).unwrap();
    let run = Run::wait(child, Duration::from_secs(120));
    assert_eq!(run.code, Some(0), "{run:?}");
    let cfg: serde_json::Value = serde_json::from_str(&read(&env.config)).unwrap();
    assert_eq!(cfg["folders"][0]["id"], "work");
    assert_eq!(cfg["folders"][0]["conflictResolve"], "newer");
    assert_eq!(cfg["folders"][0]["interval"], 120);
    assert_eq!(read(&local.join("from-nas.txt")), "nas");
    assert!(run.stdout.contains("dry run"), "the preview is shown first: {run:?}");
}

#[test]
fn setup_wizard_refuses_a_bad_answer_and_keeps_the_old_config() {
    let env = setup();
    env.use_local_remote(json!({}));
    let before = read(&env.config);
    let mut child = env.command().arg("setup").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"second\nftp\n").unwrap();
    let run = Run::wait(child, Duration::from_secs(60));
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("\"ftp\" is not a provider"), "{run:?}");
    assert_eq!(read(&env.config), before);
}

#[test]
fn daemon_syncs_on_its_own_and_stops_cleanly_on_sigterm() {
    let env = setup();
    let remote = env.use_local_remote(json!({ "interval": 60 }));
    write(&env.local.join("a.txt"), "a");
    let child = env.spawn(&["daemon"]);
    let pid = child.id() as i32;
    let deadline = Instant::now() + Duration::from_secs(60);
    while !remote.join("a.txt").exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(remote.join("a.txt").exists(), "the daemon synced at start-up");
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let run = Run::wait(child, Duration::from_secs(60));
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stderr.contains("daemon stopped"), "{run:?}");
    // Listings are valid: the next sync is a normal one.
    let report = env.sync_ok();
    assert_eq!(report["firstSync"], false);
}

#[test]
fn old_rclone_is_refused_with_a_clear_message() {
    let mut env = setup();
    env.use_local_remote(json!({}));
    let fake = env.path("old-rclone");
    write(&fake, "#!/bin/sh\necho 'rclone v1.68.2'\n");
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    env.extra_env.push(("WSYNC_RCLONE".into(), fake.to_string_lossy().into()));
    let run = env.wsync(&["sync"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("1.68.2") && run.stderr.contains("too old") && run.stderr.contains("1.69"), "{run:?}");
}
