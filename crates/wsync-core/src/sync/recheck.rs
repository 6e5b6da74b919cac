//! Keeping the cloud's hash cache honest. The remote's `hasher` overlay
//! reuses a cached hash while a file's size and modification time are
//! unchanged; a remote that keeps times to the second (WebDAV, SFTP) gives
//! an equal-size edit made within the same second as the moment the hash
//! was cached the same size and time, and the cache would hide it.
//!
//! So every file whose time is that close to a run that cached hashes is
//! remembered, and the next run hashes it again by download (which also
//! refreshes the cache) before anything trusts it: once the time step has
//! passed, no later edit can share the time. A run that cached hashes and
//! did not record what (killed, failed, stopped by a guard) leaves its
//! start behind, and the next run rechecks every cloud file changed since.
//! The cost is a download of recently changed files only.

use std::collections::BTreeMap;
use std::time::Duration;

use super::job::Job;
use super::listings::{self, Listing};
use crate::error::Result;
use crate::state::{self, Recheck};

/// Allowed difference between this computer's clock and the server's.
const CLOCK_SKEW_MS: i64 = 1000;

/// Remotes whose times are finer than this cannot give two edits one time.
const FINE_PRECISION_NS: i64 = 1_000_000;

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// How long after a file's time an edit could still share it (None: the
/// cache is not used, or the remote's times are fine enough).
fn window_ms(job: &Job) -> Option<i64> {
    if !job.sides.remote_hashed {
        return None;
    }
    let precision = job.comparison.remote_precision_ns.unwrap_or(1_000_000_000);
    (precision >= FINE_PRECISION_NS).then(|| precision / 1_000_000 + CLOCK_SKEW_MS)
}

/// Does a run that used the cache leave doubt about every recent change?
/// (The fast path then gives way to the full sync, which clears it.)
pub fn sweep_pending(job: &Job) -> bool {
    window_ms(job).is_some() && state::load(&job.folder.id).ok().and_then(|s| s.recheck).is_some_and(|r| r.since_ms.is_some())
}

/// Before a run that uses the cache (`started`: its start, Unix ms).
/// `only`: the fast path's files: just those are rechecked, at once; the
/// others wait for the next full run. A full run first waits out the time
/// step of the files it rechecks.
pub fn before(job: &Job, started: i64, only: Option<&[String]>) -> Result<()> {
    let Some(window) = window_ms(job) else { return Ok(()) };
    let mut rc = state::load(&job.folder.id)?.recheck.unwrap_or_default();
    let (check, keep): (BTreeMap<String, i64>, BTreeMap<String, i64>) =
        std::mem::take(&mut rc.files).into_iter().partition(|(name, _)| only.is_none_or(|o| o.iter().any(|n| n == name)));
    if only.is_none() {
        if let Some(newest) = check.values().max() {
            wait_until(job, newest + window);
        }
    }
    if !check.is_empty() {
        let names: Vec<&str> = check.keys().map(String::as_str).collect();
        hash_again(job, &["--files-from", "-"], Some(names.join("\n")))?;
    }
    // (A mark of this very run is from its fast path, which cached nothing
    // it has not recorded yet.)
    if let (None, Some(since)) = (only, rc.since_ms.filter(|s| *s != started)) {
        job.phase("Checking the cloud's recent changes");
        let age = format!("{}ms", (now_ms() - since + window).max(0));
        let mut args = vec!["--max-age".to_string(), age];
        args.extend(job.filter_flags());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        hash_again(job, &args, None)?;
    }
    rc.files = keep;
    // This run's mark: cleared by `after` once what it cached is recorded.
    rc.since_ms = Some(started);
    state::update(&job.folder.id, |st| st.recheck = Some(rc)).map(|_| ())
}

/// After a run that ended with both sides' records written (`recorded`):
/// remember the cloud files whose time is too close to its start; else
/// leave its mark for the next run.
pub fn after(job: &Job, started: i64, recorded: bool) {
    let Some(window) = window_ms(job) else { return };
    if !recorded {
        return;
    }
    let session = listings::session_name(&job.sides.local, &job.sides.remote);
    let (_, path2) = listings::files_of(&job.workdir, &session);
    let Ok(listing) = Listing::read(&path2) else { return };
    let recent: Vec<(String, i64)> =
        listing.files().filter_map(|e| e.unix_ms().map(|t| (e.name.clone(), t))).filter(|(_, t)| t + window > started).collect();
    let _ = state::update(&job.folder.id, |st| {
        let rc = st.recheck.get_or_insert_with(Recheck::default);
        rc.files.extend(recent);
        rc.since_ms = None;
    });
}

fn wait_until(job: &Job, due_ms: i64) {
    // Bounded: a time in the future (a skewed clock) waits one window.
    let limit = now_ms() + 3000;
    while now_ms() < due_ms.min(limit) && !job.cancel.is_cancelled() {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Hash the selected cloud files by download through the overlay, which
/// stores the fresh hashes in place of the cached ones.
fn hash_again(job: &Job, selection: &[&str], stdin: Option<String>) -> Result<()> {
    let mut inv =
        job.sides.apply(job.rclone("hashsum")).arg(&job.sides.hash).arg("--download").arg(&job.sides.remote).args(selection.iter().copied());
    if let Some(text) = &stdin {
        inv = inv.stdin(text);
    }
    let out = inv.run(Some(job.cancel), &mut |_| {})?;
    if out.success() || out.kind == crate::rclone::ExitKind::NoTransfers {
        return Ok(());
    }
    if job.cancel.is_cancelled() {
        return Err(crate::error::Error::Interrupted);
    }
    match crate::remote::classify_error(&out.error_text()) {
        // The folder or the files are gone: nothing to trust; the guards
        // judge what that means.
        crate::remote::RemoteCheck::Missing => Ok(()),
        other => Err(other.into_error(&job.remote)),
    }
}
