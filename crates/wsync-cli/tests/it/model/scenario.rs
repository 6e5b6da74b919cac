//! One randomized scenario, a pure function of its seed (but for kill
//! timing, which the log records): a conflict policy, a remote, an initial
//! population on one or both sides, a first sync, K steps of operations on
//! both sides each followed by a sync, then quiet syncs and the strict
//! checks.

use std::time::Instant;

use super::ops::{self, Side};
use super::record::Place;
use super::rng::{mix, Rng};
use super::sync::nothing_to_do;
use super::world::{RemoteKind, World};
use super::{fs, Knobs, Stats};

/// What one scenario found.
pub struct Finding {
    pub seed: u64,
    pub desc: String,
    pub stats: Stats,
    pub failures: Vec<String>,
    pub notes: Vec<String>,
    pub log: Vec<String>,
    pub secs: f64,
    pub kept: Option<std::path::PathBuf>,
}

const POLICIES: [&str; 4] = ["ask", "newer", "local", "remote"];
const VENDORS: [&str; 3] = ["rclone", "owncloud", "other"];

pub fn run(seed: u64, knobs: &Knobs) -> Finding {
    let started = Instant::now();
    let mut rng = Rng::new(mix(seed));
    let policy = *rng.pick(&POLICIES);
    let webdav = rng.chance(0.2);
    let vendor = *rng.pick(&VENDORS);
    let kind = match knobs.remote.as_deref() {
        None => if webdav { RemoteKind::WebDav { vendor } } else { RemoteKind::LocalFolder },
        Some("local") => RemoteKind::LocalFolder,
        Some("webdav") => RemoteKind::WebDav { vendor },
        Some(v) => RemoteKind::WebDav {
            vendor: VENDORS.iter().find(|x| v == format!("webdav/{x}")).copied().unwrap_or_else(|| panic!("WSYNC_MODEL_REMOTE={v:?}: use local, webdav or webdav/rclone|owncloud|other")),
        },
    };
    let draw = rng.next_u64();
    let (lo, hi) = knobs.steps;
    let steps = lo + (draw % (hi.saturating_sub(lo) + 1) as u64) as usize;
    let mut w = World::new(seed, kind, policy, knobs.kill_rate, rng);
    let webdav = matches!(w.kind, RemoteKind::WebDav { .. });
    let desc = format!("{} steps={steps}", w.describe());
    w.say(format!("scenario seed={seed} {desc} kill_rate={}", knobs.kill_rate));
    populate(&mut w);
    w.say("first sync".into());
    w.sync_round("both", true, &[]);
    w.check_lost();
    for k in 1..=steps {
        w.step = k;
        w.stats.steps += 1;
        if webdav && w.rng.chance(0.3) {
            // Let the remote's one-second clock tick between sync and edits.
            crate::harness::tick();
        }
        let before = fs::snapshot(&w.local);
        for _ in 0..w.rng.range(1, 5) {
            let on_local = w.rng.chance(0.55);
            let side = if on_local { Side { place: Place::Local, root: &w.local } } else { Side { place: Place::Remote, root: &w.remote } };
            // Another client's edit in the same second as the file's time,
            // made after the last sync ended (as any later edit is): only a
            // remote that keeps whole seconds can give it the same time.
            let same_time = (webdav && !on_local).then(|| w.last_sync_end.map(|t| t - std::time::Duration::from_secs(1))).flatten();
            let line = ops::random_op(&mut w.rng, &mut w.rec, &side, k, true, same_time, &mut w.pending);
            w.say(line);
        }
        let direction = ["both", "pull", "push"][w.rng.weighted(&[80, 10, 10])];
        // As the daemon does: the watcher's paths as a hint (the fast path).
        let hint = w.rng.chance(0.35) && direction == "both";
        let changed = if hint { fs::changed_since(&before, &fs::snapshot(&w.local)) } else { Vec::new() };
        w.sync_round(direction, true, &changed);
        w.check_lost();
    }
    w.step = steps + 1;
    w.say("quiet syncs (no concurrent changes)".into());
    for i in 0..3 {
        let (code, report) = w.sync_round("both", false, &[]);
        if nothing_to_do(code, &report) || !matches!(code, Some(0) | Some(3)) {
            break;
        }
        if i == 2 {
            w.note("the third quiet sync still reported work".into());
        }
    }
    w.check_final();
    w.stats.scenarios = 1;
    let kept = if knobs.keep && !w.failures.is_empty() {
        let dir = std::mem::replace(&mut w.env.dir, tempfile::tempdir().unwrap());
        let path = dir.path().to_path_buf();
        std::mem::forget(dir);
        Some(path)
    } else {
        None
    };
    Finding { seed, desc, stats: w.stats, failures: w.failures, notes: w.notes, log: w.log, secs: started.elapsed().as_secs_f64(), kept }
}

/// The initial population: one or both sides, some paths on both (equal
/// or different bytes), now and then nothing at all.
fn populate(w: &mut World) {
    let (nl, nr) = match w.rng.weighted(&[50, 20, 20, 10]) {
        0 => (w.rng.range(1, 9), w.rng.range(1, 9)),
        1 => (w.rng.range(1, 10), 0),
        2 => (0, w.rng.range(1, 10)),
        _ => (w.rng.range(0, 2), w.rng.range(0, 2)),
    };
    let mut local: Vec<String> = Vec::new();
    for _ in 0..nl {
        let path = fs::random_path(&mut w.rng);
        if fs::occupied(&local, &path) {
            continue;
        }
        let len = fs::random_len(&mut w.rng);
        let bytes = w.rec.write(Place::Local, &path, 0, len, &mut w.rng);
        fs::put(&w.local, &path, &bytes);
        local.push(path);
    }
    let (mut remote, mut shared, mut equal): (Vec<String>, usize, usize) = (Vec::new(), 0, 0);
    for _ in 0..nr {
        let reuse = !local.is_empty() && w.rng.chance(0.4);
        let path = if reuse { w.rng.pick(&local).clone() } else { fs::random_path(&mut w.rng) };
        if fs::occupied(&remote, &path) || (!reuse && fs::occupied(&local, &path)) {
            continue;
        }
        let bytes = if reuse && w.rng.chance(0.5) {
            equal += 1;
            std::fs::read(w.local.join(&path)).unwrap()
        } else {
            let len = fs::random_len(&mut w.rng);
            w.rec.write(Place::Remote, &path, 0, len, &mut w.rng)
        };
        shared += reuse as usize;
        fs::put(&w.remote, &path, &bytes);
        remote.push(path);
    }
    if remote.is_empty() && w.rng.chance(0.5) {
        std::fs::create_dir_all(&w.remote).unwrap();
    }
    w.say(format!("population: local {} files, remote {} files ({shared} paths on both, {equal} of them equal)", local.len(), remote.len()));
}
