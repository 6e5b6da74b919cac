//! Syncing as the person does it: one `wsync sync --json` request, maybe
//! killed with SIGKILL at a random moment (then a normal sync follows),
//! and what the person does about the outcome: confirm a blocked run that
//! really followed a mass delete, count a block that did not (a false
//! block), wait out a lock held by a killed sync's orphan, retry a failure.
//! Every run is checked for invariant (c): no run asks for `--resync`.

use std::time::Duration;

use serde_json::Value;

use super::proc::{self, KillPlan, KillTarget, Outcome};
use super::world::World;

const RUN_LIMIT: Duration = Duration::from_secs(150);
const ORPHAN_LIMIT: Duration = Duration::from_secs(60);

fn counts(r: &Value) -> (u64, u64, u64, u64) {
    let n = |a: &str, b: &str| r[a][b].as_u64().unwrap_or(0);
    (n("toLocal", "copied"), n("toLocal", "deleted"), n("toRemote", "copied"), n("toRemote", "deleted"))
}

/// Did the run report no work at all?
pub fn nothing_to_do(out_code: Option<i32>, r: &Value) -> bool {
    matches!(out_code, Some(0) | Some(3)) && counts(r) == (0, 0, 0, 0) && r["conflicts"].as_array().map(|a| a.is_empty()).unwrap_or(true)
}

/// The text of a run that asks the person for `--resync`, if any.
fn asks_resync(out: &Outcome) -> Option<String> {
    let r = &out.report;
    let reason = r["blocked"]["reason"].as_str().unwrap_or("");
    if reason == "listings-lost" || reason == "critical" {
        return Some(format!("blocked ({reason}): {}", r["blocked"]["message"].as_str().unwrap_or("")));
    }
    for key in ["error", "fix", "message"] {
        let text = if key == "error" { r["error"].as_str() } else { r["blocked"][key].as_str() };
        if let Some(t) = text.filter(|t| t.contains("--resync")) {
            return Some(t.to_string());
        }
    }
    out.stderr.lines().find(|l| l.contains("--resync")).map(|l| l.to_string())
}

/// bisync's refusal to sync with an empty side or an empty saved listing.
fn empty_listing(out: &Outcome) -> Option<String> {
    let e = out.report["error"].as_str()?;
    let i = e.find("Empty current Path").or_else(|| e.find("Empty prior Path"))?;
    Some(e[i..].split('.').next().unwrap_or("").to_string())
}

fn busy(out: &Outcome) -> bool {
    let text = format!("{} {}", out.report["error"].as_str().unwrap_or(""), out.stderr);
    text.contains("being synced") || text.contains("locked by another sync")
}

/// One line of the operations log for a run.
fn summary(args: &[String], out: &Outcome) -> String {
    let cmd = args[2..].join(" ");
    let r = &out.report;
    let what = if let Some(k) = &out.killed {
        format!("killed: {k}; exit {:?}", out.code)
    } else {
        let (lc, ld, rc, rd) = counts(r);
        let conflicts = r["conflicts"].as_array().map(|a| a.len()).unwrap_or(0);
        let mut s = format!("exit {:?} {}: ↓{lc}/-{ld} ↑{rc}/-{rd}, {conflicts} conflicts", out.code, r["result"].as_str().unwrap_or("?"));
        if let Some(b) = r["blocked"]["reason"].as_str() {
            s.push_str(&format!(", blocked {b}: {}", r["blocked"]["message"].as_str().unwrap_or("")));
        }
        if let Some(t) = &out.timed_out {
            s.push_str(&format!(", {t}"));
        } else if let Some(e) = r["error"].as_str() {
            s.push_str(&format!(", error: {e}"));
        } else if r.is_null() {
            s.push_str(&format!(", stderr: {}", out.stderr.trim().lines().last().unwrap_or("")));
        }
        s
    };
    format!("sync {cmd} -> {what} ({} ms)", out.elapsed.as_millis())
}

impl World {
    /// One sync request in `direction` (both|pull|push), and all the
    /// person does until it is settled. Returns the last run's exit code
    /// and report.
    /// `changed`: local paths the watcher saw change, passed as the hint
    /// of the first run (the fast path; a retry is a plain sync).
    pub fn sync_round(&mut self, direction: &str, allow_kill: bool, changed: &[String]) -> (Option<i32>, Value) {
        // A person blocked on a pull confirms (or retries) that pull: the
        // confirmation is for the list that run showed.
        let mut plain: Vec<String> = vec!["sync".into(), "--json".into()];
        if direction != "both" {
            plain.extend(["--direction".to_string(), direction.to_string()]);
        }
        let mut confirm = plain.clone();
        confirm.push("--confirm-deletes".into());
        let mut args = plain.clone();
        for c in changed {
            args.extend(["--changed".to_string(), c.clone()]);
        }
        // Drawn for every sync, so that the seed's stream never depends on timing.
        let roll = self.rng.chance(self.kill_rate);
        let frac = self.rng.range(0, 1000) as f64 / 1000.0;
        let target = match self.rng.weighted(&[30, 30, 20, 20]) {
            0 => KillTarget::Wsync,
            1 => KillTarget::Rclone,
            2 => KillTarget::MidTransfer(true),
            _ => KillTarget::MidTransfer(false),
        };
        let watch = vec![self.local.clone(), self.remote.clone()];
        let after = Duration::from_millis((frac * self.est_ms) as u64);
        let mut plan = (allow_kill && roll).then(|| KillPlan { target, after: if matches!(target, KillTarget::MidTransfer(_)) { Duration::ZERO } else { after }, watch });
        let mut after_false_block = false;
        let mut blocked_once = false;
        let mut failures_in_row = 0;
        let mut orphans: Vec<proc::Proc> = Vec::new();
        let mut last = (None, Value::Null);
        for _ in 0..10 {
            self.restart_if_spinning();
            self.mark_seen();
            let alive: Vec<String> = orphans.iter().filter(|o| o.alive()).map(|o| format!("{} (pid {})", o.what, o.pid)).collect();
            if !alive.is_empty() {
                self.stats.orphans_alive += 1;
                self.say(format!("still running from the killed wsync as the next run starts: {alive:?}"));
            }
            let planned = plan.take();
            let had_plan = planned.is_some();
            let refs: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
            let out = proc::run(&self.env, &refs, planned, RUN_LIMIT);
            self.last_sync_end = Some(std::time::SystemTime::now());
            self.stats.syncs += 1;
            self.say(summary(&args, &out));
            last = (out.code, out.report.clone());
            let ran = args.clone();
            if let Some(k) = &out.killed {
                self.stats.kills += 1;
                if k.contains("SIGKILL wsync at") {
                    self.stats.kills_wsync += 1;
                } else {
                    self.stats.kills_rclone += 1;
                }
                orphans.extend(out.orphans.iter().cloned());
                args = plain.clone();
            } else if let Some(t) = &out.timed_out {
                self.stats.timeouts += 1;
                self.note(format!("a run hung: {t}"));
                self.restart_test_server("a run hit the time limit");
            }
            if let Some(text) = asks_resync(&out) {
                self.stats.resyncs += 1;
                self.fail(format!("a run asked for --resync: {text}"));
                proc::settle(&orphans, ORPHAN_LIMIT);
                args = vec!["sync".into(), "--json".into(), "--resync".into()];
                continue;
            }
            if out.killed.is_some() {
                continue;
            }
            if had_plan {
                self.stats.kill_misses += 1;
            }
            match out.code {
                Some(0) | Some(3) => {
                    self.est_ms = 0.7 * self.est_ms + 0.3 * out.elapsed.as_millis() as f64;
                    let (_, ld, _, rd) = counts(&out.report);
                    if after_false_block && !ran.contains(&"--confirm-deletes".to_string()) && ld + rd > 0 {
                        self.stats.unconfirmed_deletes += 1;
                        self.fail(format!("after a false block, a plain retry deleted {} file(s) without a confirm", ld + rd));
                    }
                    // A hinted run may have pushed its saves alone: the
                    // person's other changes are still pending.
                    let two_way = !ran.iter().any(|a| a == "--direction" || a == "--changed");
                    if two_way {
                        // The run itself deleted more than the limit on the other side.
                        let (p, m) = (&self.pending, self.max_delete as u64);
                        let through = (p.real_mass_delete(true, self.max_delete) && ld * 100 > p.listed[0] as u64 * m)
                            || (p.real_mass_delete(false, self.max_delete) && rd * 100 > p.listed[1] as u64 * m);
                        if through && !blocked_once {
                            self.stats.unguarded_mass_deletes += 1;
                            self.note(format!("a mass delete went through without a block (↓-{ld} ↑-{rd})"));
                        }
                        self.listed_now();
                    }
                    break;
                }
                Some(4) => {
                    let reason = out.report["blocked"]["reason"].as_str().unwrap_or("?").to_string();
                    if ran.contains(&"--confirm-deletes".to_string()) {
                        self.fail(format!("still blocked ({reason}) after --confirm-deletes"));
                        break;
                    }
                    blocked_once = true;
                    let message = out.report["blocked"]["message"].as_str().unwrap_or("");
                    // Which side's deletions the guard is about.
                    let side = match reason.as_str() {
                        "remote-empty" | "remote-missing" => Some(true),
                        "local-empty" => Some(false),
                        // A pull deletes here what is gone in the cloud.
                        "too-many-deletes" => Some(message.contains("deleted in the cloud") || message.starts_with("pulling")),
                        _ => None,
                    };
                    if side.map(|remote| self.pending.real_mass_delete(remote, self.max_delete)).unwrap_or(false) {
                        self.say("the person confirms: they really deleted most files there".into());
                        args = confirm.clone();
                    } else if !after_false_block {
                        self.stats.false_blocks += 1;
                        let p = &self.pending;
                        let did = format!("the person deleted {}/{} local, {}/{} remote, {} on the gateway since the last two-way sync", p.deleted[0], p.listed[0], p.deleted[1], p.listed[1], p.deleted[2]);
                        self.note(format!("false block ({reason}): {message} [{did}]"));
                        after_false_block = true;
                        args = plain.clone();
                    } else {
                        self.say("the person confirms: the deletions are their renames".into());
                        args = confirm.clone();
                    }
                }
                _ if busy(&out) => {
                    self.stats.busy_after_kill += 1;
                    proc::settle(&orphans, ORPHAN_LIMIT);
                }
                _ if empty_listing(&out).is_some() && !ran.contains(&"--confirm-deletes".to_string()) => {
                    // One side (or its saved listing) is empty: bisync refuses,
                    // and wsync reports a plain failure that offers no way on.
                    self.stats.failed_runs += 1;
                    self.stats.stuck += 1;
                    let real = self.pending.any_real_mass_delete(self.max_delete);
                    let what = empty_listing(&out).unwrap_or_default();
                    self.fail(format!(
                        "stuck: an emptied side fails every sync (\"{what}\", exit {:?}, not blocked, no --confirm-deletes offered; the person {} delete most files); the person tries --confirm-deletes",
                        out.code,
                        if real { "did" } else { "did not" }
                    ));
                    args = confirm.clone();
                }
                _ => {
                    self.stats.failed_runs += 1;
                    failures_in_row += 1;
                    if failures_in_row >= 3 {
                        self.note(format!("sync failed {failures_in_row} times in a row: {}", summary(&ran, &out)));
                        break;
                    }
                    proc::settle(&orphans, ORPHAN_LIMIT);
                    std::thread::sleep(Duration::from_millis(500));
                }
            }
        }
        self.stats.orphans_ended += proc::settle(&orphans, ORPHAN_LIMIT) as u64;
        last
    }
}
