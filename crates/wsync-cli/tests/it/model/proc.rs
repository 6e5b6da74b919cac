//! Running `wsync` as the person would, and killing it, or its rclone
//! child, with SIGKILL at a chosen moment. Children are found through
//! `/proc/*/stat` (this kernel has no `/proc/<pid>/task/*/children`); a
//! process is identified by pid and start time, so a reused pid is never
//! mistaken for it. Orphans of a killed `wsync` are waited for, and ended
//! if they outlive a bound.

use std::io::Read;
use std::process::Child;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::Env;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KillTarget {
    Wsync,
    Rclone,
    /// The moment a partial transfer file shows up on a side: kill `wsync`
    /// (true) or its rclone child (false).
    MidTransfer(bool),
}

#[derive(Debug, Clone)]
pub struct KillPlan {
    pub target: KillTarget,
    pub after: Duration,
    /// The sides watched for partial files (`MidTransfer`).
    pub watch: Vec<std::path::PathBuf>,
}

/// A partial transfer file on one of `roots`, if any.
fn partial_on(roots: &[std::path::PathBuf]) -> Option<String> {
    roots.iter().flat_map(|r| super::fs::walk(r)).find(|f| super::fs::is_partial(f))
}

/// One process, by pid and start time (clock ticks since boot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proc {
    pub pid: i32,
    start: u64,
    pub what: String,
}

/// (ppid, state, start time) from `/proc/<pid>/stat`.
fn stat(pid: i32) -> Option<(i32, char, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &text[text.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    Some((f.get(1)?.parse().ok()?, f.first()?.chars().next()?, f.get(19)?.parse().ok()?))
}

/// The command line, with the binary shortened to its file name.
fn cmdline(pid: i32) -> String {
    let raw = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let parts: Vec<String> = raw.split(|b| *b == 0).filter(|s| !s.is_empty()).map(|s| String::from_utf8_lossy(s).into_owned()).collect();
    let mut out: Vec<String> = Vec::new();
    if let Some(first) = parts.first() {
        out.push(first.rsplit('/').next().unwrap_or(first).to_string());
    }
    out.extend(parts.iter().skip(1).take(1).cloned());
    out.join(" ")
}

impl Proc {
    fn of(pid: i32) -> Option<Proc> {
        let (_, _, start) = stat(pid)?;
        Some(Proc { pid, start, what: cmdline(pid) })
    }

    pub fn alive(&self) -> bool {
        matches!(stat(self.pid), Some((_, state, start)) if start == self.start && state != 'Z' && state != 'X')
    }

    fn kill(&self) {
        if self.alive() {
            unsafe {
                libc::kill(self.pid, libc::SIGKILL);
            }
        }
    }
}

/// Every live descendant of `pid` (children first).
pub fn descendants(pid: i32) -> Vec<Proc> {
    let mut table: Vec<(i32, i32)> = Vec::new();
    if let Ok(rd) = std::fs::read_dir("/proc") {
        for e in rd.flatten() {
            if let Ok(p) = e.file_name().to_string_lossy().parse::<i32>() {
                if let Some((ppid, state, _)) = stat(p) {
                    if state != 'Z' {
                        table.push((p, ppid));
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut frontier = vec![pid];
    while let Some(parent) = frontier.pop() {
        for (p, pp) in &table {
            if *pp == parent {
                if let Some(proc_) = Proc::of(*p) {
                    out.push(proc_);
                }
                frontier.push(*p);
            }
        }
    }
    out
}

/// What a run of `wsync` did.
#[derive(Debug)]
pub struct Outcome {
    pub code: Option<i32>,
    /// The last JSON line of stdout (`Null` when there is none).
    pub report: Value,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    /// What was killed and when, if the plan hit.
    pub killed: Option<String>,
    /// The run hung and was ended at the time limit (what was running).
    pub timed_out: Option<String>,
    /// Processes left running by a killed `wsync`.
    pub orphans: Vec<Proc>,
}

fn drain(mut r: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut s = String::new();
        let _ = r.read_to_string(&mut s);
        let _ = tx.send(s);
    });
    rx
}

/// Run `wsync ARGS`, killing per `plan`, bounded by `limit`.
pub fn run(env: &Env, args: &[&str], plan: Option<KillPlan>, limit: Duration) -> Outcome {
    let start = Instant::now();
    let mut child: Child = env.spawn(args);
    let pid = child.id() as i32;
    let out_rx = drain(child.stdout.take().unwrap());
    let err_rx = drain(child.stderr.take().unwrap());
    let mut killed = None;
    let mut killed_at_limit = None;
    let mut orphans = Vec::new();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        let t = start.elapsed();
        if let Some(p) = plan.as_ref().filter(|p| killed.is_none() && t >= p.after) {
            let ms = t.as_millis();
            // Mid-transfer: only once a partial file is there, and then whom.
            let (target, prefix) = match p.target {
                KillTarget::MidTransfer(wsync) => match partial_on(&p.watch) {
                    Some(f) => (if wsync { KillTarget::Wsync } else { KillTarget::Rclone }, format!("{f:?} being written: ")),
                    None => (p.target, String::new()),
                },
                t => (t, String::new()),
            };
            match target {
                KillTarget::MidTransfer(_) => {}
                KillTarget::Wsync => {
                    let kids = descendants(pid);
                    unsafe {
                        libc::kill(pid, libc::SIGKILL);
                    }
                    let names: Vec<&str> = kids.iter().map(|k| k.what.as_str()).collect();
                    killed = Some(format!("{prefix}SIGKILL wsync at {ms} ms (running: {names:?})"));
                    orphans = kids;
                }
                KillTarget::Rclone => {
                    // Between two rclone calls there is none: try again at the next poll.
                    if let Some(k) = descendants(pid).into_iter().find(|k| k.what.contains("rclone")) {
                        k.kill();
                        killed = Some(format!("{prefix}SIGKILL `{}` (child of wsync) at {ms} ms", k.what));
                    }
                }
            }
        }
        if t > limit {
            // Hung: say what was running, and end it all (no orphans).
            let kids = descendants(pid);
            let names: Vec<&str> = kids.iter().map(|k| k.what.as_str()).collect();
            killed_at_limit = Some(format!("no answer within {} s (running: {names:?})", limit.as_secs()));
            let _ = child.kill();
            for k in &kids {
                k.kill();
            }
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(if plan.is_some() && killed.is_none() { 2 } else { 10 }));
    };
    let stdout = out_rx.recv_timeout(Duration::from_secs(20)).unwrap_or_default();
    let stderr = err_rx.recv_timeout(Duration::from_secs(20)).unwrap_or_default();
    let report = stdout.lines().rev().find_map(|l| serde_json::from_str::<Value>(l).ok()).unwrap_or(Value::Null);
    Outcome { code: status.code(), report, stdout, stderr, elapsed: start.elapsed(), killed, timed_out: killed_at_limit, orphans }
}

/// Wait for `procs` to end; SIGKILL those still running after `limit`.
/// Returns how many had to be ended.
pub fn settle(procs: &[Proc], limit: Duration) -> usize {
    let start = Instant::now();
    while start.elapsed() < limit {
        if procs.iter().all(|p| !p.alive()) {
            return 0;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let live: Vec<&Proc> = procs.iter().filter(|p| p.alive()).collect();
    for p in &live {
        p.kill();
    }
    live.len()
}
