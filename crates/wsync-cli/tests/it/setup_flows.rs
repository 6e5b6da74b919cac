//! The set-up flows over the one folder manager (issues #11 and #12): the
//! terminal wizard and the window's set-up page give the same config and
//! keychain entries for the same answers, and a typed password goes to the
//! keychain, never to the screen or the config; importing an OpenClaw
//! gateway's config (both blocks, JSON5, literal and referenced secrets,
//! the plugin's plaintext token, refused and mapped modes); the gateway's
//! side of a folder; completions and the man page.

use std::io::Write;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use wsync_core::credentials::Keychain;
use wsync_core::manager::{FolderDraft, FolderManager};

use crate::harness::*;
use crate::keychain::{keychain_env, keychain_lookup, service};

fn answers_run(env: &Env, args: &[&str], answers: &[&str]) -> Run {
    let mut child = env.command().args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(format!("{}\n", answers.join("\n")).as_bytes()).unwrap();
    Run::wait(child, Duration::from_secs(120))
}

/// The folder's config with this machine's paths taken out.
fn portable(config: &std::path::Path) -> Value {
    let mut v: Value = serde_json::from_str(&read(config)).unwrap();
    v["folders"][0]["localPath"] = json!("<local>");
    v
}

#[test]
fn the_wizard_and_the_setup_page_store_the_same_config_and_keychain_entries() {
    let wizard = keychain_env();
    let served = wizard.path("served");
    let server = Server::start("webdav", &served);
    let id = format!("same-{}", std::process::id());
    let local_a = wizard.path("Workspace");
    let (a_local, url) = (local_a.to_string_lossy().into_owned(), server.url());
    let answers = [
        id.as_str(), "webdav", a_local.as_str(), "share", // id, provider, folders
        url.as_str(), "rclone", USER, PASS, // url, vendor, user, password
        "newer", "120", "y", "n", // policy, interval, create the folder, no first sync now
    ];
    let run = answers_run(&wizard, &["setup"], &answers);
    assert_eq!(run.code, Some(0), "{run:?}");
    for text in [&run.stdout, &run.stderr, &read(&wizard.config)] {
        assert!(!text.contains(PASS), "the password is never shown or written: {run:?}");
    }
    assert_eq!(keychain_lookup(&wizard, &format!("{id}:password")).as_deref(), Some(PASS), "the typed password is in the keychain");

    // The window's set-up page sends the same answers as a draft to the
    // same manager.
    let page = keychain_env();
    let local_b = page.path("Workspace");
    let rclone = wsync_core::rclone::Rclone { path: rclone_bin(), version: "v1.75.2".into() };
    let store = Arc::new(Keychain::with_service(&service(&page)));
    let manager = FolderManager::new(page.config.clone(), rclone, store);
    let fields = [("url", server.url()), ("vendor", "rclone".into()), ("user", USER.into()), ("password", PASS.into())];
    let draft = FolderDraft {
        id: id.clone(),
        provider: "webdav".into(),
        local_path: local_b.to_string_lossy().into(),
        remote_path: "share".into(),
        fields: fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        conflict_resolve: "newer".into(),
        interval: Some(120),
        ..Default::default()
    };
    let target = manager.target(&draft).unwrap();
    manager.test_connection(&target).unwrap();
    manager.add(&draft).unwrap();
    assert_eq!(portable(&wizard.config), portable(&page.config));
    assert_eq!(keychain_lookup(&page, &format!("{id}:password")), keychain_lookup(&wizard, &format!("{id}:password")));
    // A wrong password is refused by both, and nothing is stored.
    let wrong = keychain_env();
    let (w_local, url) = (wrong.path("W").to_string_lossy().into_owned(), server.url());
    let answers = [id.as_str(), "webdav", w_local.as_str(), "share", url.as_str(), "rclone", USER, "not-the-password", "newer", "120", "y", "n"];
    let run = answers_run(&wrong, &["setup"], &answers);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(!wrong.config.exists(), "no config written");
    assert_eq!(keychain_lookup(&wrong, &format!("{id}:password")), None);
}

fn gateway(env: &Env, json5: &str) -> std::path::PathBuf {
    let dir = env.path("openclaw");
    std::fs::create_dir_all(dir.join("workspace/shared")).unwrap();
    let p = dir.join("openclaw.json");
    std::fs::write(&p, json5).unwrap();
    p
}

fn openclaw(env: &Env, args: &[&str]) -> Run {
    let mut a = vec!["openclaw"];
    a.extend_from_slice(args);
    env.wsync(&a)
}

#[test]
fn importing_the_plugin_block_moves_its_token_to_the_keychain() {
    let mut env = keychain_env();
    let token = r#"{"access_token":"sl.import-Test-Token-4242","token_type":"bearer","expiry":"2030-01-01T00:00:00Z"}"#;
    let cfg = gateway(
        &env,
        &format!(
            "{{\n  // the gateway's config, JSON5\n  agents: {{ defaults: {{ workspace: '{}' }} }},\n  plugins: {{ entries: {{ 'openclaw-workspace-sync': {{ enabled: true, config: {{ sync: {{\n    provider: 'dropbox', mode: 'bisync', remotePath: 'openclaw-share', localPath: 'shared', interval: 600,\n    conflictResolve: 'remote', exclude: ['*.tmp', '**/.DS_Store',],\n    dropbox: {{ token: '{}', appFolder: true, }},\n  }}, }}, }}, }}, }},\n}}",
            env.path("openclaw/workspace").display(),
            token.replace('\'', "\\'")
        ),
    );
    env.extra_env.push(("OPENCLAW_STATE_DIR".into(), env.path("openclaw").to_string_lossy().into()));
    std::fs::remove_file(&env.config).ok();
    let run = openclaw(&env, &["import", &cfg.to_string_lossy(), "--json"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let r: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(r["keychain"], json!(["token"]), "{r}");
    let config = read(&env.config);
    assert!(!config.contains("sl.import-Test-Token-4242") && !run.stdout.contains("sl.import") && !run.stderr.contains("sl.import"), "{config}");
    let f: Value = serde_json::from_str::<Value>(&config).unwrap()["folders"][0].clone();
    assert_eq!(f["provider"], "dropbox");
    assert_eq!(f["remotePath"], "openclaw-share");
    assert_eq!(f["interval"], 600);
    assert_eq!(f["conflictResolve"], "remote");
    assert!(f["localPath"].as_str().unwrap().ends_with("openclaw/workspace/shared"), "{f}");
    let ex: Vec<&str> = f["exclude"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(ex.contains(&"*.tmp") && ex.contains(&".git/**"), "merged with ours: {ex:?}");
    assert_eq!(keychain_lookup(&env, "openclaw:token").as_deref(), Some(token));

    // The gateway's side of it: a block with references only.
    let run = openclaw(&env, &["gateway-config", "openclaw"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let g: Value = serde_json::from_str(&run.stdout).unwrap();
    let sync = &g["plugins"]["entries"]["openclaw-workspace-sync"]["config"]["sync"];
    assert_eq!(sync["mode"], "bisync");
    assert_eq!(sync["remotePath"], "openclaw-share");
    assert_eq!(sync["dropbox"]["token"], "${DROPBOX_TOKEN}");
    assert!(!run.stdout.contains("sl.import") && run.stderr.contains("wsync authorize dropbox"), "{run:?}");
}

#[test]
fn importing_reads_the_plugins_plaintext_token_and_the_seed_block() {
    let mut env = keychain_env();
    let state = env.path("openclaw");
    env.extra_env.push(("OPENCLAW_STATE_DIR".into(), state.to_string_lossy().into()));
    let token = r#"{"access_token":"from-rclone-conf-77","token_type":"bearer"}"#;
    write(&state.join(".config/rclone/rclone.conf"), &format!("[cloud]\ntype = onedrive\ntoken = {token}\n"));
    gateway(&env, "{plugins: {entries: {'openclaw-workspace-sync': {config: {sync: {provider: 'onedrive', mode: 'bisync', remotePath: 'share'}}}}}}");
    let local = env.path("here");
    std::fs::create_dir_all(&local).unwrap();
    let run = openclaw(&env, &["import", "--local", &local.to_string_lossy(), "--id", "od"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("you may remove the plaintext copy"), "{run:?}");
    assert_eq!(keychain_lookup(&env, "od:token").as_deref(), Some(token));

    // The seed's own block, with a referenced secret that stays a reference.
    let env2 = setup();
    let cfg = gateway(&env2, "{workspace: {sync: {provider: 's3', mode: 'bisync', remotePath: 'ws', s3: {endpoint: 'https://acct.r2.cloudflarestorage.com', bucket: 'b', accessKeyId: 'AKID', secretAccessKey: '${R2_SECRET}'}, onSessionStart: true}}}");
    let run = openclaw(&env2, &["import", &cfg.to_string_lossy(), "--local", &env2.local.to_string_lossy(), "--json"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let f: Value = serde_json::from_str::<Value>(&read(&env2.config)).unwrap()["folders"][0].clone();
    assert_eq!(f["s3"]["secretAccessKey"], "${R2_SECRET}");
    assert_eq!(f["s3"]["provider"], "Cloudflare");
    assert_eq!(f["s3"]["bucket"], "b");
}

#[test]
fn modes_that_cannot_be_honoured_are_named() {
    let env = setup();
    let cfg = gateway(&env, "{plugins: {entries: {'openclaw-workspace-sync': {config: {sync: {provider: 'gdrive', mode: 'mailbox'}}}}}}");
    let run = openclaw(&env, &["import", &cfg.to_string_lossy(), "--local", &env.local.to_string_lossy()]);
    assert_ne!(run.code, Some(0));
    assert!(run.stderr.contains("mailbox") && run.stderr.contains("bisync"), "{run:?}");
    assert!(!env.config.exists(), "nothing written");
    // Mirror becomes a folder that only receives.
    let cfg = gateway(&env, "{plugins: {entries: {'openclaw-workspace-sync': {config: {sync: {provider: 'gdrive', mode: 'mirror', gdrive: {token: '${GDRIVE_TOKEN}'}}}}}}}");
    let run = openclaw(&env, &["import", &cfg.to_string_lossy(), "--local", &env.local.to_string_lossy()]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("direction \"pull\""), "{run:?}");
    let f: Value = serde_json::from_str::<Value>(&read(&env.config)).unwrap()["folders"][0].clone();
    assert_eq!(f["direction"], "pull");
    // No workspace here and no --local: a clear error.
    let env3 = setup();
    let cfg = gateway(&env3, "{agents: {defaults: {workspace: '/nonexistent/ws'}}, workspace: {sync: {provider: 'dropbox', mode: 'bisync'}}}");
    let run = openclaw(&env3, &["import", &cfg.to_string_lossy()]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("--local DIR"), "{run:?}");
    // Not JSON5 at all: the file and the fix are named.
    std::fs::write(&cfg, "{ broken").unwrap();
    let run = openclaw(&env3, &["import", &cfg.to_string_lossy()]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("not valid JSON5"), "{run:?}");
}

#[test]
fn completions_and_the_man_page_come_from_the_grammar() {
    let env = setup();
    for shell in ["bash", "zsh", "fish"] {
        let run = env.wsync(&["completions", shell]);
        assert_eq!(run.code, Some(0), "{run:?}");
        assert!(run.stdout.contains("wsync") && run.stdout.contains("openclaw") && run.stdout.contains("versions"), "{shell}: {}", &run.stdout[..200.min(run.stdout.len())]);
    }
    let man = env.wsync(&["man"]);
    assert_eq!(man.code, Some(0));
    assert!(man.stdout.contains(".TH") && man.stdout.contains("wsync"), "{}", &man.stdout[..200.min(man.stdout.len())]);
    let bad = env.wsync(&["completions", "powershell-9"]);
    assert_eq!(bad.code, Some(2));
}
