//! Bad input: one clear line on stderr naming the problem and the fix, the
//! documented exit code, no panic, nothing written.

use serde_json::json;

use crate::harness::*;

fn one_line_error(run: &Run, code: i32, needles: &[&str]) {
    assert_eq!(run.code, Some(code), "{run:?}");
    let lines: Vec<&str> = run.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "exactly one line on stderr: {run:?}");
    assert!(lines[0].starts_with("wsync: error: "), "{run:?}");
    for n in needles {
        assert!(lines[0].contains(n), "missing {n:?} in {:?}", lines[0]);
    }
    assert!(!run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"));
}

#[test]
fn missing_config_file() {
    let env = setup();
    one_line_error(&env.wsync(&["sync"]), 2, &["no config file", "wsync setup"]);
}

#[test]
fn malformed_json() {
    let env = setup();
    std::fs::write(&env.config, "{\"version\": 1, \"folders\": [").unwrap();
    one_line_error(&env.wsync(&["status"]), 2, &["not valid JSON", "line 1"]);
}

#[test]
fn unknown_key() {
    let env = setup();
    let mut f = env.folder("local", json!({"path": "/tmp"}), json!({}));
    f["intervall"] = json!(30);
    env.write_config(json!([f]));
    one_line_error(&env.wsync(&["sync"]), 2, &["folders[0]", "intervall", "remove it"]);
}

#[test]
fn unknown_folder() {
    let env = setup();
    env.use_local_remote(json!({}));
    one_line_error(&env.wsync(&["sync", "nope"]), 2, &["no folder \"nope\"", "ws"]);
}

#[test]
fn literal_secret_is_refused_and_not_echoed() {
    let env = setup();
    env.write_config(json!([env.folder("webdav", json!({"url": "http://127.0.0.1:1", "user": "u", "password": "Hunter2-literal"}), json!({}))]));
    let run = env.wsync(&["sync"]);
    one_line_error(&run, 2, &["webdav.password", "environment variable", "wsync login"]);
    assert!(!run.stderr.contains("Hunter2-literal"));
}

#[test]
fn bad_values_name_the_field() {
    let env = setup();
    let cases = [
        (json!({"id": "Bad Id"}), "folders[0].id"),
        (json!({"localPath": "/"}), "root folder"),
        (json!({"localPath": "relative/dir"}), "relative"),
        (json!({"remotePath": "../escape"}), ".."),
        (json!({"conflictResolve": "mine"}), "conflictResolve"),
        (json!({"maxDeletePercent": 0}), "maxDeletePercent"),
        (json!({"provider": "ftp"}), "provider"),
        (json!({"s3": {"bucket": "b"}}), "folders[0].s3"),
    ];
    for (patch, needle) in cases {
        let mut f = env.folder("local", json!({"path": "/tmp"}), json!({}));
        for (k, v) in patch.as_object().unwrap() {
            f[k] = v.clone();
        }
        env.write_config(json!([f]));
        one_line_error(&env.wsync(&["sync"]), 2, &[needle]);
    }
}

#[test]
fn home_itself_and_nested_folders_are_refused() {
    let env = setup();
    let f = env.folder("local", json!({"path": "/tmp"}), json!({"localPath": "~"}));
    env.write_config(json!([f]));
    one_line_error(&env.wsync(&["sync"]), 2, &["home folder"]);
    let a = env.folder("local", json!({"path": "/tmp/a"}), json!({}));
    let mut b = env.folder("local", json!({"path": "/tmp/b"}), json!({}));
    b["id"] = json!("inner");
    b["localPath"] = json!(env.local.join("sub"));
    env.write_config(json!([a, b]));
    one_line_error(&env.wsync(&["sync"]), 2, &["overlaps"]);
}

#[test]
fn missing_local_dir_is_not_treated_as_empty() {
    let env = setup();
    let remote = env.use_local_remote(json!({}));
    write(&env.local.join("a.txt"), "a");
    env.sync_ok();
    std::fs::remove_dir_all(&env.local).unwrap();
    let run = env.wsync(&["sync"]);
    one_line_error(&run, 1, &["does not exist", "mkdir -p"]);
    assert_eq!(read(&remote.join("a.txt")), "a", "nothing deleted in the cloud");
}

#[test]
fn unset_environment_variable() {
    let env = setup();
    let server = Server::start("webdav", &env.path("served"));
    let mut block = webdav_block(&server, "other");
    block["password"] = json!("${WSYNC_TEST_UNSET_VAR}");
    env.write_config(json!([env.folder("webdav", block, json!({}))]));
    one_line_error(&env.wsync(&["sync"]), 1, &["WSYNC_TEST_UNSET_VAR", "not set"]);
}

#[test]
fn short_interval_is_raised_with_a_warning() {
    let env = setup();
    env.use_local_remote(json!({"interval": 5}));
    let run = env.wsync(&["status", "--json"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stderr.contains("interval") && run.stderr.contains("60"), "{run:?}");
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["folders"][0]["interval"], 60);
}
