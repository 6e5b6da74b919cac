//! `wsync openclaw install [--workspace DIR]`: write the `workspace-sync`
//! skill and hook (embedded in the binary, so this works from any
//! directory) where OpenClaw discovers them: the managed dirs
//! `$OPENCLAW_STATE_DIR/skills/` and `…/hooks/` (default `~/.openclaw`),
//! or a workspace's `DIR/skills/` and `DIR/hooks/`. Files already up to
//! date are left alone, so running it again changes nothing.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

const NAME: &str = "workspace-sync";

/// The files, relative to the skills or hooks dir.
const SKILL_FILES: &[(&str, &str)] = &[(
    "SKILL.md",
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../integrations/openclaw/skills/workspace-sync/SKILL.md")),
)];
const HOOK_FILES: &[(&str, &str)] = &[
    ("HOOK.md", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../integrations/openclaw/hooks/workspace-sync/HOOK.md"))),
    ("handler.ts", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../integrations/openclaw/hooks/workspace-sync/handler.ts"))),
];

pub fn run(workspace: Option<&Path>) -> Result<i32> {
    let (root, fix) = match workspace {
        Some(dir) => {
            if !dir.is_dir() {
                bail!(
                    "the workspace {} is not a folder; pass an existing OpenClaw workspace to --workspace, or leave it out to install into {}",
                    dir.display(),
                    state_dir().display()
                );
            }
            (dir.to_path_buf(), "pick a writable workspace with --workspace DIR")
        }
        None => (state_dir(), "fix the folder's permissions, or set OPENCLAW_STATE_DIR or pass --workspace DIR to install elsewhere"),
    };
    let skill_dir = root.join("skills").join(NAME);
    let hook_dir = root.join("hooks").join(NAME);
    let mut lines = Vec::new();
    for (dir, files) in [(&skill_dir, SKILL_FILES), (&hook_dir, HOOK_FILES)] {
        for (file, text) in files {
            let path = dir.join(file);
            let status = write_if_changed(&path, text).map_err(|e| {
                anyhow::anyhow!("cannot write {}: {}; {fix}", path.display(), io_reason(&e))
            })?;
            lines.push(format!("{status:>10} {}", path.display()));
        }
    }
    println!("OpenClaw skill and hook \"{NAME}\" in {}:", root.display());
    for l in &lines {
        println!("{l}");
    }
    println!("Enable the hook: openclaw hooks enable {NAME}   (then restart the gateway)");
    if workspace.is_some() {
        println!("Workspace hooks load only when enabled by name, and only from the gateway's selected workspace.");
    }
    if !on_path("wsync") {
        println!("Note: `wsync` is not on PATH; the skill and hook need it there (the hook also takes WSYNC_BIN).");
    }
    Ok(0)
}

/// OpenClaw's state dir: `$OPENCLAW_STATE_DIR`, else `~/.openclaw`, where
/// `~` is `$OPENCLAW_HOME` or `$HOME` (as OpenClaw resolves it).
pub fn state_dir() -> PathBuf {
    let home = nonempty("OPENCLAW_HOME").or_else(|| nonempty("HOME")).map(|h| expand(&h, None)).unwrap_or_else(|| PathBuf::from("."));
    match nonempty("OPENCLAW_STATE_DIR") {
        Some(dir) => expand(&dir, Some(&home)),
        None => home.join(".openclaw"),
    }
}

fn nonempty(var: &str) -> Option<String> {
    std::env::var(var).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// Expand a leading `~` to `home` (or to `$HOME`).
fn expand(path: &str, home: Option<&Path>) -> PathBuf {
    let home = home.map(Path::to_path_buf).or_else(|| nonempty("HOME").map(PathBuf::from));
    match (path, home) {
        ("~", Some(h)) => h,
        (p, Some(h)) if p.starts_with("~/") => h.join(&p[2..]),
        (p, _) => PathBuf::from(p),
    }
}

/// Write `text` to `path` unless it already holds exactly that; through a
/// temp file and a rename, so a reader never sees half a file.
fn write_if_changed(path: &Path, text: &str) -> std::io::Result<&'static str> {
    let existed = path.exists();
    if existed && std::fs::read(path).map(|b| b == text.as_bytes()).unwrap_or(false) {
        return Ok("unchanged");
    }
    let dir = path.parent().expect("files have a parent dir");
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{}.wsync-tmp", path.file_name().and_then(|n| n.to_str()).unwrap_or("file")));
    std::fs::write(&tmp, text).and_then(|_| std::fs::rename(&tmp, path)).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    Ok(if existed { "updated" } else { "wrote" })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::ReadOnlyFilesystem => "read-only file system".into(),
        std::io::ErrorKind::NotADirectory | std::io::ErrorKind::AlreadyExists => {
            "a file stands where a folder should be (move it away)".into()
        }
        std::io::ErrorKind::StorageFull => "no space left on the device".into(),
        _ => e.to_string(),
    }
}

fn on_path(bin: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(bin).is_file()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_files_are_the_integration_files() {
        assert!(SKILL_FILES[0].1.starts_with("---\nname: workspace-sync\n"));
        assert!(HOOK_FILES[0].1.contains("\"gateway:startup\""));
        assert!(HOOK_FILES[1].1.contains("export default function"));
    }

    #[test]
    fn tilde_expands_to_the_given_home() {
        assert_eq!(expand("~/oc", Some(Path::new("/h"))), PathBuf::from("/h/oc"));
        assert_eq!(expand("~", Some(Path::new("/h"))), PathBuf::from("/h"));
        assert_eq!(expand("/abs", Some(Path::new("/h"))), PathBuf::from("/abs"));
    }
}
