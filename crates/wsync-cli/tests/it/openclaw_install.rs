//! `wsync openclaw install`: the embedded skill and hook land in the
//! OpenClaw state dir or in a workspace, byte for byte, idempotently.

use std::path::Path;

use crate::harness::*;

const SKILL: &str = include_str!("../../../../integrations/openclaw/skills/workspace-sync/SKILL.md");
const HOOK_MD: &str = include_str!("../../../../integrations/openclaw/hooks/workspace-sync/HOOK.md");
const HANDLER: &str = include_str!("../../../../integrations/openclaw/hooks/workspace-sync/handler.ts");

fn assert_installed(root: &Path) {
    assert_eq!(read(&root.join("skills/workspace-sync/SKILL.md")), SKILL);
    assert_eq!(read(&root.join("hooks/workspace-sync/HOOK.md")), HOOK_MD);
    assert_eq!(read(&root.join("hooks/workspace-sync/handler.ts")), HANDLER);
    let mut names = files(root);
    names.retain(|n| !n.ends_with(".json"));
    assert_eq!(
        names,
        ["hooks/workspace-sync/HOOK.md", "hooks/workspace-sync/handler.ts", "skills/workspace-sync/SKILL.md"],
        "no other files (no temp files left behind)"
    );
}

#[test]
fn install_writes_skill_and_hook_into_the_default_state_dir_and_is_idempotent() {
    let env = setup();
    // Run from an unrelated directory: the files are embedded in the binary.
    let run = Run::wait(
        env.command().args(["openclaw", "install"]).current_dir(env.dir.path()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap(),
        std::time::Duration::from_secs(30),
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let root = env.home.join(".openclaw");
    assert_installed(&root);
    assert!(run.stdout.contains(&root.join("hooks/workspace-sync/handler.ts").display().to_string()), "{run:?}");
    assert!(run.stdout.contains("openclaw hooks enable workspace-sync"), "{run:?}");
    assert_eq!(run.stdout.matches("wrote").count(), 3, "{run:?}");

    // Again: nothing changes; an edited file is put back.
    let again = env.wsync(&["openclaw", "install"]);
    assert_eq!(again.code, Some(0), "{again:?}");
    assert_eq!(again.stdout.matches("unchanged").count(), 3, "{again:?}");
    write(&root.join("hooks/workspace-sync/handler.ts"), "// edited\n");
    let fixed = env.wsync(&["openclaw", "install"]);
    assert_eq!(fixed.code, Some(0), "{fixed:?}");
    assert!(fixed.stdout.contains("updated"), "{fixed:?}");
    assert_installed(&root);
}

#[test]
fn install_honours_openclaw_state_dir() {
    let mut env = setup();
    let state = env.path("oc-state");
    env.extra_env.push(("OPENCLAW_STATE_DIR".into(), state.display().to_string()));
    let run = env.wsync(&["openclaw", "install"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_installed(&state);
    assert!(!env.home.join(".openclaw").exists(), "nothing is written to ~/.openclaw");
}

#[test]
fn install_into_a_workspace() {
    let env = setup();
    let ws = env.path("agent-workspace");
    std::fs::create_dir_all(&ws).unwrap();
    let ws_arg = ws.display().to_string();
    let run = env.wsync(&["openclaw", "install", "--workspace", &ws_arg]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_installed(&ws);
    assert!(!env.home.join(".openclaw").exists(), "nothing is written to the state dir");
    assert!(run.stdout.contains("openclaw hooks enable workspace-sync"), "{run:?}");
    let again = env.wsync(&["openclaw", "install", "--workspace", &ws_arg]);
    assert_eq!(again.code, Some(0), "{again:?}");
    assert_eq!(again.stdout.matches("unchanged").count(), 3, "{again:?}");
}

#[test]
fn install_says_in_one_line_what_is_wrong_when_it_cannot_write() {
    let env = setup();
    // A missing workspace is refused, not created.
    let missing = env.path("no-such-workspace");
    let run = env.wsync(&["openclaw", "install", "--workspace", &missing.display().to_string()]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("is not a folder") && run.stderr.contains("--workspace"), "{run:?}");
    assert!(!missing.exists());

    // A file where the skills folder should be (root ignores permissions, so
    // this is the failure a test can provoke).
    let ws = env.path("ws");
    write(&ws.join("skills"), "not a folder");
    let run = env.wsync(&["openclaw", "install", "--workspace", &ws.display().to_string()]);
    assert_eq!(run.code, Some(1), "{run:?}");
    let err = run.stderr.trim();
    assert_eq!(err.lines().count(), 1, "one line: {run:?}");
    assert!(err.starts_with("wsync: error: cannot write "), "{run:?}");
    assert!(err.contains("skills/workspace-sync/SKILL.md") && err.contains("--workspace"), "names the file and the fix: {run:?}");
}
