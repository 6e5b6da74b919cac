//! OAuth logins in the browser against a fake OAuth server on 127.0.0.1:
//! `wsync login` prints the link, the test follows it as a browser would,
//! the token lands in the keychain; a refresh during a run is written back;
//! a revoked login puts the folder in the needs-login state.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::harness::*;
use crate::keychain::{files_containing, keychain_lookup};
use crate::oauth::{http_get_follow, FakeOAuth};

/// rclone's OAuth callback port (53682) is fixed: one login at a time.
static BROWSER: Mutex<()> = Mutex::new(());

fn oauth_env() -> Env {
    let mut env = setup();
    let service = format!("wsync-test-{}", env.dir.path().file_name().unwrap().to_string_lossy());
    env.extra_env.push(("WSYNC_KEYRING_SERVICE".into(), service));
    env.extra_env.push(("APP_SECRET".into(), "app-secret-9d1e".into()));
    env
}

/// Run `wsync login ws --no-browser`, act as the browser, return the run.
fn login_in_browser(env: &Env) -> Run {
    let _one_at_a_time = BROWSER.lock().unwrap_or_else(|p| p.into_inner());
    let mut child = env.command().args(["login", "ws", "--no-browser", "--timeout", "60"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line.clone());
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut url = None;
    while url.is_none() && Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            if let Some(u) = line.strip_prefix("Log in here: ") {
                url = Some(u.trim().to_string());
            }
        }
    }
    let url = url.expect("wsync login printed the link");
    let (status, body) = http_get_follow(&url, 5);
    assert_eq!(status, 200, "browser ended on {status}: {body}");
    let mut stdout = child.stdout.take().unwrap();
    let run_stdout = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "login did not finish");
        std::thread::sleep(Duration::from_millis(50));
    };
    Run { code: status.code(), stdout: run_stdout.join().unwrap(), stderr: reader.join().unwrap() }
}

fn assert_no_token_leaks(env: &Env, fake: &FakeOAuth, runs: &[&Run]) {
    let mut secrets = fake.issued_access_tokens();
    secrets.extend(fake.issued_refresh_tokens());
    secrets.push("app-secret-9d1e".into());
    for s in &secrets {
        assert_eq!(files_containing(&env.home, s), Vec::<String>::new(), "{s} written to a file");
        assert_eq!(files_containing(&env.local, s), Vec::<String>::new());
        for r in runs {
            assert!(!r.stdout.contains(s.as_str()) && !r.stderr.contains(s.as_str()), "{s} printed: {r:?}");
        }
    }
}

#[test]
fn dropbox_login_in_the_browser_stores_the_token_in_the_keychain() {
    let env = oauth_env();
    let fake = FakeOAuth::start();
    let block = json!({ "appKey": "testclient", "appSecret": "${APP_SECRET}", "authUrl": fake.auth_url(), "tokenUrl": fake.token_url() });
    env.write_config(json!([env.folder("dropbox", block, json!({}))]));
    let run = login_in_browser(&env);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("logged in to Dropbox"), "{run:?}");
    let stored = keychain_lookup(&env, "ws:token").expect("token in the keychain");
    let token: serde_json::Value = serde_json::from_str(&stored).unwrap();
    assert!(fake.issued_access_tokens().contains(&token["access_token"].as_str().unwrap().to_string()));
    assert!(fake.requests().iter().any(|r| r.starts_with("POST /token grant_type=authorization_code")), "{:?}", fake.requests());
    assert_no_token_leaks(&env, &fake, &[&run]);
    // Logging out removes it.
    assert_eq!(env.wsync(&["logout", "ws"]).code, Some(0));
    assert_eq!(keychain_lookup(&env, "ws:token"), None);
}

#[test]
fn refreshed_token_is_written_back_and_revocation_needs_login() {
    let env = oauth_env();
    let fake = FakeOAuth::start();
    // HiDrive's API endpoint can point at 127.0.0.1 too, so runs never leave the machine.
    let options = json!({
        "client_id": "testclient",
        "client_secret": "${APP_SECRET}",
        "auth_url": fake.auth_url(),
        "token_url": fake.token_url(),
        "endpoint": format!("{}/api", fake.base_url()),
    });
    env.write_config(json!([env.folder("custom", json!({ "rcloneType": "hidrive", "options": options }), json!({}))]));
    // Tokens that are already expired, so that rclone refreshes during the run.
    fake.set_expires_in(-10);
    let login = login_in_browser(&env);
    assert_eq!(login.code, Some(0), "{login:?}");
    let first = keychain_lookup(&env, "ws:token").expect("token stored");

    let sync = env.wsync(&["sync"]);
    assert!(fake.refresh_count() >= 1, "rclone refreshed: {:?}", fake.requests());
    let now = keychain_lookup(&env, "ws:token").expect("token still stored");
    assert_ne!(now, first, "the refreshed token was written back");
    let refreshed: serde_json::Value = serde_json::from_str(&now).unwrap();
    assert_eq!(refreshed["access_token"].as_str(), fake.issued_access_tokens().last().map(|s| s.as_str()));
    assert!(files(&env.home.join(".local/state/workspace-sync/run")).is_empty(), "the temp config is gone");

    // The login is revoked: the folder needs a new login, and says so.
    fake.revoke_all();
    let revoked = env.wsync(&["sync"]);
    assert_eq!(revoked.code, Some(1), "{revoked:?}");
    assert!(revoked.stderr.contains("log in again with `wsync login ws`"), "{revoked:?}");
    let status = env.wsync(&["status", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(v["folders"][0]["reachable"], false);
    assert!(v["folders"][0]["remoteError"].as_str().unwrap().contains("wsync login ws"), "{v}");
    assert_no_token_leaks(&env, &fake, &[&login, &sync, &revoked, &status]);
}
