//! One rclone child process: arguments without secrets, the remote's
//! definition and secrets in its environment only, stderr drained on its own
//! thread and parsed as JSON log lines, stdout captured, cancellation by
//! SIGINT and an optional time limit.
//!
//! Each run gets its own `--config` file path in a private (0700) directory,
//! so that a token that rclone refreshes during the run lands there and not
//! in a shared plaintext rclone.conf; the file is removed after the run.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use super::log::{Level, LogLine};
use super::{ExitKind, Rclone};
use crate::cancel::CancelToken;
use crate::error::{Error, Result};
use crate::{paths, redact};

/// A prepared rclone command.
pub struct Invocation {
    bin: PathBuf,
    args: Vec<OsString>,
    env: Vec<(String, String)>,
    stdin: Option<String>,
    json_log: bool,
    timeout: Option<Duration>,
    writeback: Option<crate::remote::TokenWriteback>,
    /// A file naming this child and its parent while it runs, so that a
    /// later run can end a child whose parent was killed.
    owner_file: Option<PathBuf>,
    /// The folder the run belongs to (in the per-run config's name).
    folder: Option<String>,
}

/// Log lines of a run kept in full besides the last [`TAIL_LINES`]: every
/// line at notice level or above (errors, bisync's verdicts).
const TAIL_LINES: usize = 300;

/// What a finished rclone run left behind.
#[derive(Debug)]
pub struct Output {
    pub code: Option<i32>,
    pub kind: ExitKind,
    pub stdout: String,
    /// The run's notable stderr lines (notice level and above) and the
    /// last few hundred others, in order; stats lines are not kept.
    pub lines: Vec<LogLine>,
    /// How many stderr lines the run wrote.
    pub line_count: u64,
    /// Problems after the run that did not fail it (a refreshed token that
    /// could not be stored).
    pub warnings: Vec<String>,
    pub timed_out: bool,
    /// The run's private config file, read back before it was removed
    /// (holds a refreshed OAuth token when rclone refreshed one).
    pub config_after: Option<String>,
    /// rclone refreshed the OAuth token and the new one is in the keychain.
    pub token_refreshed: bool,
}

impl Output {
    pub fn success(&self) -> bool {
        self.kind == ExitKind::Success
    }

    /// The error lines of the run, redacted, joined into one line.
    pub fn error_text(&self) -> String {
        let errs: Vec<&str> = self
            .lines
            .iter()
            .filter(|l| l.level >= Level::Error)
            .map(|l| l.msg.as_str())
            .filter(|m| !m.is_empty())
            .collect();
        let text = if errs.is_empty() {
            self.lines.iter().rev().find(|l| l.level >= Level::Notice).map(|l| l.msg.clone()).unwrap_or_default()
        } else {
            errs.join("; ")
        };
        redact::redact(&text.replace('\n', " "))
    }

    /// True if any line's message contains `needle`.
    pub fn mentions(&self, needle: &str) -> bool {
        self.lines.iter().any(|l| l.msg.contains(needle))
    }
}

static RUN_COUNTER: AtomicU64 = AtomicU64::new(0);

impl Rclone {
    /// Start building an rclone command (`sub` is the subcommand).
    pub fn command(&self, sub: &str) -> Invocation {
        Invocation {
            bin: self.path.clone(),
            args: vec![sub.into()],
            env: Vec::new(),
            stdin: None,
            json_log: true,
            timeout: None,
            writeback: None,
            owner_file: None,
            folder: None,
        }
    }

    /// Obscure a password the way rclone's config expects (webdav/sftp),
    /// passing it on stdin so it never appears in an argument list. The
    /// answer is kept in this process's memory (never on disk): a run of
    /// rclone for it costs a long-running engine a sixth of a second on
    /// every sync.
    pub fn obscure(&self, secret: &str) -> Result<String> {
        static OBSCURED: std::sync::OnceLock<std::sync::Mutex<std::collections::HashMap<String, String>>> = std::sync::OnceLock::new();
        let cache = OBSCURED.get_or_init(Default::default);
        if let Some(hit) = cache.lock().ok().and_then(|m| m.get(secret).cloned()) {
            return Ok(hit);
        }
        let out = self.command("obscure").arg("-").plain_output().stdin(secret).run(None, &mut |_| {})?;
        if !out.success() {
            return Err(Error::Rclone(format!("rclone could not obscure a password: {}", out.error_text())));
        }
        let obscured = out.stdout.trim().to_string();
        redact::register(&obscured);
        if let Ok(mut m) = cache.lock() {
            m.insert(secret.to_string(), obscured.clone());
        }
        Ok(obscured)
    }
}

impl Invocation {
    pub fn arg(mut self, a: impl Into<OsString>) -> Self {
        self.args.push(a.into());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn env(mut self, k: impl Into<String>, v: impl Into<String>) -> Self {
        self.env.push((k.into(), v.into()));
        self
    }

    pub fn envs(mut self, vars: &[(String, String)]) -> Self {
        self.env.extend(vars.iter().cloned());
        self
    }

    /// Define the folder's remote for this child (environment only), and
    /// write a token that rclone refreshes back to the keychain.
    pub fn remote(mut self, remote: &crate::remote::RemoteDef) -> Self {
        self.env.extend(remote.env.iter().cloned());
        self.writeback = remote.token_writeback.clone();
        self
    }

    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = Some(text.to_string());
        self
    }

    /// Plain text on stderr instead of the JSON log (for `obscure`, `version`).
    pub fn plain_output(mut self) -> Self {
        self.json_log = false;
        self
    }

    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// Record this child and its parent in `path` while it runs.
    pub fn owned_by(mut self, path: PathBuf) -> Self {
        self.owner_file = Some(path);
        self
    }

    /// The folder this run is for.
    pub fn for_folder(mut self, folder: &str) -> Self {
        self.folder = Some(folder.to_string());
        self
    }

    /// Run to completion, calling `on_line` for every stderr line (stats
    /// lines included) on this thread as they arrive.
    pub fn run(self, cancel: Option<&CancelToken>, on_line: &mut dyn FnMut(&LogLine)) -> Result<Output> {
        if cancel.map(|c| c.is_cancelled()).unwrap_or(false) {
            return Err(Error::Interrupted);
        }
        let run_dir = paths::runtime_dir();
        paths::create_private_dir(&run_dir)
            .map_err(|e| Error::io(format!("cannot create the private run directory {}", run_dir.display()), e))?;
        let n = RUN_COUNTER.fetch_add(1, Ordering::SeqCst);
        let tag = self.folder.as_deref().map(|f| format!("-{f}")).unwrap_or_default();
        let config_file = run_dir.join(format!("rclone-{}-{n}{tag}.conf", std::process::id()));
        let _config_guard = RemoveOnDrop(config_file.clone());

        let mut cmd = Command::new(&self.bin);
        // Inherited RCLONE_* variables would change what rclone does behind
        // our back (and could define remotes of their own).
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("RCLONE_") {
                cmd.env_remove(&k);
            }
        }
        cmd.args(&self.args).arg("--config").arg(&config_file);
        if self.json_log {
            cmd.args(["--use-json-log", "--color", "NEVER"]);
        }
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd.stdin(if self.stdin.is_some() { Stdio::piped() } else { Stdio::null() });
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        die_with_parent(&mut cmd);

        let mut child = cmd.spawn().map_err(|e| {
            Error::Rclone(format!("cannot start rclone at {}: {e}; run scripts/fetch-rclone.sh or set WSYNC_RCLONE", self.bin.display()))
        })?;
        let pid = child.id();
        if let Some(c) = cancel {
            c.register(pid);
        }
        if let Some(owner) = &self.owner_file {
            let _ = crate::fsutil::write_atomic(owner, format!("{pid} {}\n", std::process::id()).as_bytes(), 0o600);
        }
        if let (Some(text), Some(mut sin)) = (self.stdin.as_ref(), child.stdin.take()) {
            let _ = sin.write_all(text.as_bytes());
            // Dropping closes stdin so rclone sees EOF.
        }

        let (line_tx, line_rx) = mpsc::channel::<String>();
        let stderr = child.stderr.take();
        let err_thread = std::thread::spawn(move || {
            if let Some(e) = stderr {
                for line in BufReader::new(e).lines() {
                    match line {
                        Ok(l) => {
                            if line_tx.send(l).is_err() {
                                break;
                            }
                        }
                        Err(_) => break,
                    }
                }
            }
        });
        let stdout = child.stdout.take();
        let out_thread = std::thread::spawn(move || {
            let mut s = Vec::new();
            if let Some(mut o) = stdout {
                let _ = o.read_to_end(&mut s);
            }
            String::from_utf8_lossy(&s).into_owned()
        });

        let timed_out = Arc::new(AtomicBool::new(false));
        let (done_tx, done_rx) = mpsc::channel::<()>();
        let watchdog = self.timeout.map(|limit| {
            let flag = timed_out.clone();
            std::thread::spawn(move || {
                if let Err(mpsc::RecvTimeoutError::Timeout) = done_rx.recv_timeout(limit) {
                    flag.store(true, Ordering::SeqCst);
                    unsafe {
                        libc::kill(pid as libc::pid_t, libc::SIGKILL);
                    }
                }
            })
        });

        let mut lines: Vec<LogLine> = Vec::new();
        let mut tail: std::collections::VecDeque<(u64, LogLine)> = std::collections::VecDeque::new();
        let mut kept: Vec<(u64, LogLine)> = Vec::new();
        let mut line_count = 0u64;
        for raw in line_rx {
            let parsed = LogLine::parse(&raw);
            on_line(&parsed);
            if parsed.stats.is_some() {
                continue;
            }
            line_count += 1;
            if parsed.level >= Level::Notice {
                kept.push((line_count, parsed));
            } else {
                tail.push_back((line_count, parsed));
                if tail.len() > TAIL_LINES {
                    tail.pop_front();
                }
            }
        }
        // The notable lines and the tail, back in the order they came.
        kept.extend(tail);
        kept.sort_by_key(|(n, _)| *n);
        lines.extend(kept.into_iter().map(|(_, l)| l));
        let _ = err_thread.join();
        let stdout = out_thread.join().unwrap_or_default();
        let status = child.wait().map_err(|e| Error::io("waiting for rclone", e))?;
        let _ = done_tx.send(());
        if let Some(w) = watchdog {
            let _ = w.join();
        }
        if let Some(c) = cancel {
            c.unregister(pid);
        }
        // A child killed by a signal may have left partial files: its owner
        // file stays, so that the next run sweeps them (as after a killed
        // wsync).
        let killed = {
            use std::os::unix::process::ExitStatusExt;
            status.signal().is_some()
        };
        if let (Some(owner), false) = (&self.owner_file, killed) {
            let _ = std::fs::remove_file(owner);
        }
        // Read back here; `_config_guard` removes the file however we leave.
        let config_after = std::fs::read_to_string(&config_file).ok();
        let mut token_refreshed = false;
        let mut warnings = Vec::new();
        if let (Some(wb), Some(text)) = (&self.writeback, &config_after) {
            if let Some(token) = token_in_config(text) {
                if token != wb.current {
                    crate::secrets::register_secret(&token);
                    match wb.store.set(&wb.folder, "token", &token) {
                        Ok(()) => token_refreshed = true,
                        // The run itself went through; the next one uses the old token.
                        Err(e) => warnings.push(format!("rclone refreshed the login token, but it could not be stored: {e}")),
                    }
                }
            }
        }
        let code = status.code();
        let mut kind = ExitKind::from_code(code);
        if cancel.map(|c| c.is_cancelled()).unwrap_or(false) && kind != ExitKind::Success {
            kind = ExitKind::Interrupted;
        }
        Ok(Output {
            code,
            kind,
            stdout,
            lines,
            line_count,
            warnings,
            timed_out: timed_out.load(Ordering::SeqCst),
            config_after,
            token_refreshed,
        })
    }
}

/// Removes the run's private config file however the run ends.
struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The `token = …` value of the `[wsync]` section of an rclone config file.
pub fn token_in_config(text: &str) -> Option<String> {
    let mut in_section = false;
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with('[') {
            in_section = l == format!("[{}]", crate::remote::REMOTE_NAME);
            continue;
        }
        if in_section {
            if let Some((k, v)) = l.split_once('=') {
                if k.trim() == "token" {
                    return Some(v.trim().to_string());
                }
            }
        }
    }
    None
}

/// True if a process with this pid exists (ours or another user's).
pub(crate) fn pid_alive(pid: i32) -> bool {
    pid > 0 && (unsafe { libc::kill(pid, 0) } == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM))
}

/// In the child before exec: end with the parent. rclone gets SIGTERM
/// (its graceful shutdown) when the process that started it dies, even by
/// SIGKILL; and it runs in a process group of its own, so that a terminal's
/// Ctrl-C reaches it once, through the cancel token.
fn die_with_parent(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    let parent = std::process::id() as libc::pid_t;
    unsafe {
        cmd.pre_exec(move || {
            libc::setpgid(0, 0);
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // The parent died between fork and prctl: end now.
            if libc::getppid() != parent {
                libc::raise(libc::SIGTERM);
            }
            Ok(())
        });
    }
}

/// Remove the per-run config files of runs whose process is gone (killed
/// before it could remove them). A refreshed OAuth token in one is stored
/// in the keychain first, for a folder whose login lives there.
pub fn sweep_stale_configs(store: Option<&std::sync::Arc<dyn crate::secrets::SecretStore>>) {
    let dir = paths::runtime_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix("rclone-").and_then(|r| r.strip_suffix(".conf")) else { continue };
        let mut parts = rest.splitn(3, '-');
        let Some(pid) = parts.next().and_then(|p| p.parse::<i32>().ok()) else { continue };
        if pid_alive(pid) {
            continue;
        }
        let _ = parts.next();
        if let (Some(folder), Some(store)) = (parts.next(), store) {
            let token = std::fs::read_to_string(e.path()).ok().and_then(|t| token_in_config(&t));
            if let (Some(token), Ok(Some(current))) = (token, store.get(folder, "token")) {
                if token != current {
                    crate::secrets::register_secret(&token);
                    let _ = store.set(folder, "token", &token);
                }
            }
        }
        let _ = std::fs::remove_file(e.path());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_refreshed_token() {
        let text = "[other]\ntoken = x\n\n[wsync]\ntype = dropbox\ntoken = {\"access_token\":\"a\"}\n";
        assert_eq!(token_in_config(text).as_deref(), Some("{\"access_token\":\"a\"}"));
        assert_eq!(token_in_config("[wsync]\ntype = x\n"), None);
    }
}
