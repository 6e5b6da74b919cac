//! Logins kept in the real OS keychain (gnome-keyring's Secret Service on
//! the private session bus that scripts/with-keyring.sh starts), checked
//! through `secret-tool` as a person would, plus leak checks.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::json;

use crate::harness::*;

/// An environment whose keychain entries live under a service of its own.
pub fn keychain_env() -> Env {
    let mut env = setup();
    let service = format!("wsync-test-{}", env.dir.path().file_name().unwrap().to_string_lossy());
    env.extra_env.push(("WSYNC_KEYRING_SERVICE".into(), service));
    env
}

pub fn service(env: &Env) -> String {
    env.extra_env.iter().find(|(k, _)| k == "WSYNC_KEYRING_SERVICE").map(|(_, v)| v.clone()).unwrap()
}

/// What the Secret Service holds for `folder:key`, read with secret-tool.
pub fn keychain_lookup(env: &Env, folder_key: &str) -> Option<String> {
    let out = Command::new("secret-tool").args(["lookup", "service", &service(env), "username", folder_key]).output().expect("secret-tool (libsecret-tools) is installed");
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned()).filter(|s| !s.is_empty())
}

fn login_with_password(env: &Env, password: &str) -> Run {
    let mut child = env.command().args(["login", "ws", "--password-stdin"]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "{password}").unwrap();
    }
    Run::wait(child, std::time::Duration::from_secs(120))
}

/// Every file under `root` that contains `needle`.
pub fn files_containing(root: &Path, needle: &str) -> Vec<String> {
    files(root)
        .into_iter()
        .filter(|f| std::fs::read(root.join(f)).map(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes())).unwrap_or(false))
        .collect()
}

fn password_login(kind: &'static str) {
    let env = keychain_env();
    let served = env.path("served");
    let server = Server::start(kind, &served);
    let (provider, mut block, key, secret, mirror) = match kind {
        "webdav" => ("webdav", webdav_block(&server, "other"), "password", PASS, served.join("share")),
        "sftp" => ("sftp", sftp_block(&server), "password", PASS, served.join("share")),
        _ => {
            std::fs::create_dir_all(served.join("bucket")).unwrap();
            ("s3", s3_block(&server), "secretAccessKey", S3_SECRET, served.join("bucket/share"))
        }
    };
    let obj = block.as_object_mut().unwrap();
    obj.remove("password");
    obj.remove("secretAccessKey");
    env.write_config(json!([env.folder(provider, block, json!({}))]));
    write(&env.local.join("hello.txt"), "hi");

    // Not logged in yet: a clear message.
    let run = env.wsync(&["sync"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("not logged in") && run.stderr.contains("wsync login ws"), "{run:?}");

    // A wrong secret is checked against the server and never stored.
    let run = login_with_password(&env, "wrong-secret-value");
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("refused") && run.stderr.contains("nothing was stored"), "{run:?}");
    assert_eq!(keychain_lookup(&env, &format!("ws:{key}")), None);

    // The right one is stored, and syncs use it.
    let run = login_with_password(&env, secret);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(keychain_lookup(&env, &format!("ws:{key}")).as_deref(), Some(secret));
    env.sync_ok();
    assert_eq!(read(&mirror.join("hello.txt")), "hi");

    // Nothing secret on disk, in the output, or left in the run dir.
    for run in [&run] {
        assert!(!run.stdout.contains(secret) && !run.stderr.contains(secret));
    }
    assert_eq!(files_containing(&env.home, secret), Vec::<String>::new());
    assert_eq!(files_containing(&env.local, secret), Vec::<String>::new());
    assert!(files(&env.home.join(".local/state/workspace-sync/run")).is_empty(), "no temp config left");

    // Logout removes it; syncing then asks for a login again.
    let run = env.wsync(&["logout", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(keychain_lookup(&env, &format!("ws:{key}")), None);
    let run = env.wsync(&["sync"]);
    assert!(run.stderr.contains("wsync login ws"), "{run:?}");

    // Removing the folder removes its login too, and leaves its files.
    assert_eq!(login_with_password(&env, secret).code, Some(0));
    let run = env.wsync(&["remove", "ws"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(keychain_lookup(&env, &format!("ws:{key}")), None);
    let cfg: serde_json::Value = serde_json::from_str(&read(&env.config)).unwrap();
    assert_eq!(cfg["folders"], json!([]));
    assert_eq!(read(&env.local.join("hello.txt")), "hi");
}

#[test]
fn webdav_password_login_is_checked_stored_and_used() {
    password_login("webdav");
}

#[test]
fn s3_secret_key_login_is_checked_stored_and_used() {
    password_login("s3");
}

#[test]
fn sftp_password_login_is_checked_stored_and_used() {
    password_login("sftp");
}

#[test]
fn no_keychain_is_a_clear_error_and_writes_nothing() {
    let mut env = keychain_env();
    env.extra_env.push(("DBUS_SESSION_BUS_ADDRESS".into(), format!("unix:path={}", env.path("no-bus").display())));
    let remote_root = env.path("remote");
    std::fs::create_dir_all(&remote_root).unwrap();
    env.write_config(json!([env.folder("webdav", json!({"url": "http://127.0.0.1:9", "user": USER}), json!({}))]));
    let before = files(env.dir.path());
    let run = login_with_password(&env, "typed-secret-42");
    assert_eq!(run.code, Some(2), "{run:?}");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{run:?}");
    assert!(lines[0].contains("no keychain is reachable") && lines[0].contains("environment variable"), "{run:?}");
    assert!(!run.stderr.contains("typed-secret-42"));
    let after: Vec<String> = files(env.dir.path()).into_iter().filter(|f| !before.contains(f)).collect();
    assert_eq!(files_containing(env.dir.path(), "typed-secret-42"), Vec::<String>::new(), "new files: {after:?}");
}
