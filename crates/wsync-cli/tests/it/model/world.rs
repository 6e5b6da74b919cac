//! One scenario's world: a fresh `setup()` environment with folder "ws",
//! its conflict policy and remote (a local-folder remote, or loopback
//! WebDAV serving a folder on disk), the person's record, the operations
//! log, the counters, and the invariant checks over all of it.

use std::path::PathBuf;

use serde_json::json;

use super::ops::{Pending, Side};
use super::record::{self, Area, Place, Record};
use super::rng::Rng;
use super::Stats;
use crate::harness::{setup, webdav_block, Env, Server};

/// The kind of remote a scenario syncs with.
#[derive(Debug, Clone)]
pub enum RemoteKind {
    LocalFolder,
    WebDav { vendor: &'static str },
}

pub struct World {
    pub seed: u64,
    pub rng: Rng,
    pub env: Env,
    /// Kept for its lifetime: the loopback server (stopped on drop).
    pub server: Option<Server>,
    pub kind: RemoteKind,
    pub policy: &'static str,
    pub local: PathBuf,
    /// The remote folder on disk (the served dir's `share` for WebDAV).
    pub remote: PathBuf,
    /// Other synced folders the checks look into (the gateway's).
    pub extra: Vec<Area>,
    pub rec: Record,
    pub log: Vec<String>,
    pub failures: Vec<String>,
    pub notes: Vec<String>,
    pub stats: Stats,
    pub step: usize,
    pub kill_rate: f64,
    /// Running estimate of a sync's duration (ms), for kill timing.
    pub est_ms: f64,
    pub max_delete: usize,
    /// What the person did since the last two-way sync.
    pub pending: Pending,
    /// When the last run ended.
    pub last_sync_end: Option<std::time::SystemTime>,
}

impl World {
    pub fn new(seed: u64, kind: RemoteKind, policy: &'static str, kill_rate: f64, rng: Rng) -> World {
        let env = setup();
        let extra_cfg = json!({ "conflictResolve": policy });
        let (server, remote) = match &kind {
            RemoteKind::LocalFolder => (None, env.use_local_remote(extra_cfg)),
            RemoteKind::WebDav { vendor } => {
                let served = env.path("served");
                let server = Server::start("webdav", &served);
                env.write_config(json!([env.folder("webdav", webdav_block(&server, vendor), extra_cfg)]));
                (Some(server), served.join("share"))
            }
        };
        let local = env.local.clone();
        World {
            seed,
            rng,
            env,
            server,
            kind,
            policy,
            local,
            remote,
            extra: Vec::new(),
            rec: Record::default(),
            log: Vec::new(),
            failures: Vec::new(),
            notes: Vec::new(),
            stats: Stats::default(),
            step: 0,
            kill_rate,
            est_ms: 500.0,
            max_delete: 50,
            pending: Pending::default(),
            last_sync_end: None,
        }
    }

    pub fn describe(&self) -> String {
        let remote = match &self.kind {
            RemoteKind::LocalFolder => "local-folder".to_string(),
            RemoteKind::WebDav { vendor } => format!("webdav/{vendor}"),
        };
        format!("policy={} remote={remote}", self.policy)
    }

    pub fn local_versions(&self) -> PathBuf {
        self.env.home.join(".local/share/workspace-sync/versions/ws")
    }

    /// The cloud's kept-versions area: a sibling of the remote folder.
    pub fn cloud_versions(&self) -> PathBuf {
        let name = format!("{}.wsync-versions", self.remote.file_name().unwrap().to_string_lossy());
        self.remote.parent().unwrap().join(name)
    }

    pub fn areas(&self) -> Vec<Area> {
        let mut a = vec![
            Area { label: "local".into(), root: self.local.clone(), only_conflicts: false },
            Area { label: "remote".into(), root: self.remote.clone(), only_conflicts: false },
            Area { label: "local versions".into(), root: self.local_versions(), only_conflicts: false },
            Area { label: "cloud versions".into(), root: self.cloud_versions(), only_conflicts: false },
        ];
        a.extend(self.extra.iter().map(|x| Area { label: x.label.clone(), root: x.root.clone(), only_conflicts: x.only_conflicts }));
        a
    }

    /// rclone 1.75.2's `serve webdav` keeps burning CPU after a client is
    /// killed in the middle of a transfer (measured: ~60% of a core while
    /// idle), and later requests crawl or hang; that is the test server's
    /// defect, not the client's, so the loopback server is restarted (same
    /// port and folder).
    pub fn restart_test_server(&mut self, why: &str) {
        if let Some(s) = self.server.as_mut() {
            s.restart();
            self.stats.server_restarts += 1;
            self.log.push(format!("[{}] (restarted the loopback WebDAV server: {why})", self.step));
        }
    }

    /// Restart the loopback server if it burns CPU while no client talks
    /// to it (it does after a client vanished mid-transfer).
    pub fn restart_if_spinning(&mut self) {
        let Some(pid) = self.server.as_ref().map(|s| s.pid()) else { return };
        let ticks = || -> Option<u64> {
            let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let f: Vec<&str> = text[text.rfind(')')? + 2..].split_whitespace().collect();
            Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
        };
        let (Some(a), _) = (ticks(), std::thread::sleep(std::time::Duration::from_millis(200))) else { return };
        if let Some(b) = ticks() {
            if b.saturating_sub(a) >= 4 {
                self.restart_test_server(&format!("it used {} ms of CPU in 200 ms with no client", (b - a) * 10));
            }
        }
    }

    pub fn say(&mut self, line: String) {
        self.log.push(format!("[{}] {line}", self.step));
    }

    pub fn fail(&mut self, what: String) {
        let line = format!("MODEL FAILURE seed={} step={}: {what}", self.seed, self.step);
        self.log.push(format!("[{}] !! {what}", self.step));
        self.failures.push(line);
    }

    pub fn note(&mut self, what: String) {
        let line = format!("MODEL NOTE seed={} step={}: {what}", self.seed, self.step);
        self.log.push(format!("[{}] (note) {what}", self.step));
        self.notes.push(line);
    }

    /// A two-way sync went through: the person's pending deletions are
    /// settled, and the sides' file counts are what bisync listed.
    pub fn listed_now(&mut self) {
        let gateway = self.extra.first().map(|a| Side { place: Place::Gateway, root: &a.root }.files().len()).unwrap_or(0);
        let listed = [Side { place: Place::Local, root: &self.local }.files().len(), Side { place: Place::Remote, root: &self.remote }.files().len(), gateway];
        self.pending = Pending { listed, ..Default::default() };
    }

    /// A `wsync` sync is about to start: what is on its two sides now counts.
    pub fn mark_seen(&mut self) {
        // Only what this client can see: a gateway's own folder is not.
        self.rec.mark_seen(&[&self.local, &self.remote]);
    }

    /// Invariant (a): no version lost.
    pub fn check_lost(&mut self) {
        let areas = self.areas();
        for msg in self.rec.check_lost(&areas) {
            self.stats.lost += 1;
            self.fail(msg);
        }
    }

    /// After the quiet sync: (a), (b) the sides are equal, (d) no partials.
    pub fn check_final(&mut self) {
        self.check_lost();
        let mut sides: Vec<(String, PathBuf)> = vec![("local".into(), self.local.clone()), ("remote".into(), self.remote.clone())];
        sides.extend(self.extra.iter().map(|a| (a.label.clone(), a.root.clone())));
        let mut diverged = false;
        for (label, root) in &sides[1..] {
            let diffs = record::differences(&self.rec, ("local", &self.local), (label, root));
            if !diffs.is_empty() {
                diverged = true;
                let n = diffs.len();
                let shown: Vec<String> = diffs.into_iter().take(8).collect();
                self.fail(format!("sides differ after the quiet sync ({n} paths): local vs {label}: {}", shown.join("; ")));
            }
        }
        if diverged {
            self.stats.diverged += 1;
        }
        let mut stray = Vec::new();
        for (label, root) in &sides {
            stray.extend(record::partials(label, root));
            // A half-written transfer under a real name: bytes no person wrote.
            stray.extend(record::foreign(&self.rec, label, root));
        }
        if !stray.is_empty() {
            self.stats.partials += stray.len() as u64;
            self.fail(format!("stray partial files (or truncated ones under a real name) after the quiet sync: {}", stray.join(", ")));
        }
    }
}
