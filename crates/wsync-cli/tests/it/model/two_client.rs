//! Two clients on one cloud folder: our `wsync`, and an OpenClaw gateway
//! running plain `rclone bisync` with the plugin's exact flags
//! (`--conflict-resolve newer --conflict-suffix .conflict --max-lock 15m
//! --recover --resilient`, path1 = the remote folder, path2 = the
//! gateway's own local folder, its own `--workdir`, first run with
//! `--resync`). The person changes files in all three places over several
//! rounds; the clients run one after the other in random order. Checked:
//! no version lost (the gateway's `*.conflict*` copies count; what the
//! gateway's own bisync replaces in its own folder is not ours to keep, and
//! what only the gateway's folder held was never seen by `wsync`), and all
//! three folders equal after quiet rounds.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::ops::{self, Side};
use super::record::{Area, Place};
use super::rng::{mix, Rng};
use super::sync::nothing_to_do;
use super::world::{RemoteKind, World};
use super::{fs, var};
use crate::harness::{rclone_bin, Run};

/// The OpenClaw plugin's bisync flags.
const GATEWAY_FLAGS: [&str; 8] = ["--conflict-resolve", "newer", "--conflict-suffix", ".conflict", "--max-lock", "15m", "--recover", "--resilient"];

struct Gateway {
    dir: PathBuf,
    workdir: PathBuf,
    cache: PathBuf,
}

impl Gateway {
    /// One bisync run of the gateway; returns its exit code and log.
    fn bisync(&self, remote: &Path, extra: &[&str]) -> (Option<i32>, String) {
        let child = Command::new(rclone_bin())
            .arg("bisync")
            .arg(remote)
            .arg(&self.dir)
            .args(GATEWAY_FLAGS)
            .arg("--workdir")
            .arg(&self.workdir)
            .args(extra)
            .env("RCLONE_CONFIG", "/dev/null")
            .env("XDG_CACHE_HOME", &self.cache)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the gateway's rclone bisync");
        let run = Run::wait(child, Duration::from_secs(120));
        (run.code, format!("{}{}", run.stdout, run.stderr))
    }
}

/// The gateway syncs, and its operator answers a stop as the plugin's
/// operator would (`--force` after too many deletes, `--resync` when asked).
fn gateway_round(w: &mut World, gw: &Gateway, first: bool) {
    let mut extra: Vec<&str> = if first { vec!["--resync"] } else { vec![] };
    for _ in 0..3 {
        let (code, text) = gw.bisync(&w.remote, &extra);
        let last = text.lines().rev().find(|l| l.contains("ERROR") || l.contains("NOTICE")).unwrap_or("").trim().to_string();
        w.say(format!("gateway bisync {} -> exit {code:?} {last}", extra.join(" ")));
        match code {
            Some(0) => return,
            _ if text.contains("too many deletes") => {
                w.note("the gateway stopped on too many deletes; its operator forces it".into());
                extra = vec!["--force"];
            }
            _ if text.contains("--resync") => {
                w.note(format!("the gateway asked for --resync: {last}"));
                extra = vec!["--resync"];
            }
            _ => std::thread::sleep(Duration::from_millis(500)),
        }
    }
    w.note("the gateway's bisync kept failing".into());
}

fn run_two_clients(seed: u64, rounds: usize) -> World {
    let mut rng = Rng::new(mix(seed ^ 0x2c11_e475));
    let policy = *rng.pick(&["ask", "newer", "local", "remote"]);
    let mut w = World::new(seed, RemoteKind::LocalFolder, policy, 0.0, rng);
    let gw = Gateway { dir: w.env.path("gateway"), workdir: w.env.path("gateway-work"), cache: w.env.path("gateway-cache") };
    std::fs::create_dir_all(&gw.dir).unwrap();
    // The gateway's own folder counts for (a) only through its conflict copies.
    w.extra.push(Area { label: "gateway".into(), root: gw.dir.clone(), only_conflicts: true });
    w.say(format!("two clients seed={seed} policy={policy} rounds={rounds}"));
    for i in 0..w.rng.range(5, 9) {
        let path = fs::join(w.rng.pick::<&str>(fs::DIRS), &format!("base{i}.txt"));
        let len = fs::random_len(&mut w.rng);
        let bytes = w.rec.write(Place::Local, &path, 0, len, &mut w.rng);
        fs::put(&w.local, &path, &bytes);
    }
    for i in 0..w.rng.range(1, 4) {
        let path = format!("from-gateway-{i}.md");
        let bytes = w.rec.write(Place::Gateway, &path, 0, 64, &mut w.rng);
        fs::put(&gw.dir, &path, &bytes);
    }
    w.sync_round("both", false, &[]);
    gateway_round(&mut w, &gw, true);
    w.check_lost();
    let places = [Place::Local, Place::Remote, Place::Gateway];
    for k in 1..=rounds {
        w.step = k;
        w.stats.steps += 1;
        let roots = [w.local.clone(), w.remote.clone(), gw.dir.clone()];
        for (i, place) in places.iter().enumerate() {
            for _ in 0..w.rng.range(0, 3) {
                let side = Side { place: *place, root: &roots[i] };
                let line = ops::random_op(&mut w.rng, &mut w.rec, &side, k, false, None, &mut w.pending);
                w.say(line);
            }
        }
        let wsync_first = w.rng.chance(0.5);
        for turn in 0..2 {
            if (turn == 0) == wsync_first {
                w.sync_round("both", false, &[]);
            } else {
                gateway_round(&mut w, &gw, false);
            }
        }
        w.check_lost();
    }
    w.step = rounds + 1;
    w.say("quiet rounds".into());
    for _ in 0..4 {
        let (code, report) = w.sync_round("both", false, &[]);
        gateway_round(&mut w, &gw, false);
        let same = super::record::differences(&w.rec, ("local", &w.local), ("gateway", &gw.dir)).is_empty()
            && super::record::differences(&w.rec, ("local", &w.local), ("remote", &w.remote)).is_empty();
        if same && nothing_to_do(code, &report) {
            break;
        }
    }
    w.check_final();
    w
}

#[test]
fn two_clients_wsync_and_gateway_bisync_keep_every_version() {
    let seeds: Vec<u64> = match var::<u64>("WSYNC_MODEL_TWO_CLIENT_SEED") {
        Some(s) => vec![s],
        None => (1..=var::<u64>("WSYNC_MODEL_TWO_CLIENT_SEEDS").unwrap_or(1)).collect(),
    };
    let rounds = var("WSYNC_MODEL_TWO_CLIENT_ROUNDS").unwrap_or(6);
    let mut failures = Vec::new();
    for seed in seeds {
        let w = run_two_clients(seed, rounds);
        println!("two-client: seed={seed} {} syncs={} lost={} diverged={}", w.describe(), w.stats.syncs, w.stats.lost, w.stats.diverged);
        for n in &w.notes {
            println!("{n}");
        }
        if !w.failures.is_empty() {
            for f in &w.failures {
                println!("{f}");
            }
            println!("--- operations log of two-client seed={seed} (replay: WSYNC_MODEL_TWO_CLIENT_SEED={seed}) ---");
            for l in &w.log {
                println!("    {l}");
            }
            failures.extend(w.failures.clone());
        }
    }
    assert!(failures.is_empty(), "{} two-client failure(s); see MODEL FAILURE lines above", failures.len());
}
