"""Benchmark section 4 of issue #10: how long a saved file takes to be
visible on the remote while `wsync daemon` watches the folder.

A save rewrites one existing file with new content; the clock runs from
just before the write until the remote's copy holds the new content (read
on the remote's own disk: the local-folder remote's directory, or the
directory `rclone serve webdav` serves). Saves are a second and a half
apart, so each is its own burst for the watcher's debounce.
"""

import json
import subprocess
import time
from pathlib import Path

import common
from common import Home, WebDav, log, make_small_tree, median, p95, stop

SETTLE_S = 1.5
# WebDAV trees larger than this start with the tree on the server too.
PRESEED_ABOVE = 10_000


def _wait(what, limit, cond):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.005)
    raise RuntimeError(f"timed out after {limit} s waiting for {what}")


def _idle(home: Home):
    """The daemon finished a run and has none going (from its history)."""
    out = subprocess.run([common.WSYNC, "activity", "--runs", "--json", "--limit", "5"], env=home.env,
                         capture_output=True, text=True, timeout=30)
    try:
        runs = json.loads(out.stdout)
    except ValueError:
        return False
    return bool(runs) and all(r.get("result") is not None for r in runs)


def measure(home: Home, local: Path, remote_share: Path, saves: int, label: str, first_limit: float):
    daemon = home.spawn_daemon()
    try:
        # The first sync the daemon runs on start, then its quiet state.
        probe = local / "d0000" / "f000000.txt"
        _wait("the daemon's first sync", first_limit, lambda: (remote_share / "d0000" / "f000000.txt").exists()
              and _idle(home))
        time.sleep(SETTLE_S)
        lat = []
        for i in range(saves):
            rel = Path(f"d{i % 10:04d}") / f"f{(i % 10) * 1000:06d}.txt"
            if not (local / rel).exists():
                rel = probe.relative_to(local)
            marker = f"save {i} at {time.time_ns()}\n".encode() * 8
            t0 = time.monotonic()
            (local / rel).write_bytes(marker)
            target = remote_share / rel

            def arrived():
                try:
                    return target.read_bytes() == marker
                except OSError:
                    return False

            try:
                _wait(f"save {i} on the remote", 120, arrived)
            except RuntimeError:
                out = subprocess.run([common.WSYNC, "activity", "--runs", "--json", "--limit", "3"],
                                     env=home.env, capture_output=True, text=True, timeout=30)
                log(f"{label}: save {i} did not arrive; the daemon's last runs: {out.stdout.strip()[:1500]}")
                raise
            lat.append(time.monotonic() - t0)
            time.sleep(SETTLE_S)
        log(f"{label}: save -> remote p50 {median(lat):.2f} s, p95 {p95(lat):.2f} s, max {max(lat):.2f} s over {len(lat)} saves")
        log(f"RESULT save_latency {label.replace(' ', '_')} p50={median(lat):.3f} p95={p95(lat):.3f} saves={len(lat)}")
    finally:
        stop(daemon)


def run(base: Path, sizes, saves: int, reuse=None, webdav_max=10_000):
    """Section 4 over `sizes` files; `reuse` maps a size to (home, local, remote
    share) of a folder already synced (so the 100,000-file tree is made once)."""
    log("\n## 4. save -> visible on the remote, with `wsync daemon` watching")
    reuse = reuse or {}
    for n in sizes:
        if n in reuse:
            home, local, share = reuse[n]
        else:
            root = base / f"save-{n}"
            local = root / "local"
            make_small_tree(local, n)
            home = Home(root, "ours")
            share = root / "remote" / "share"
            home.folder(local, "local", {"path": str(root / "remote")})
        home.folder(local, "local", {"path": str(share.parent)}, watch=True, interval=3600)
        measure(home, local, share, saves, f"local-folder remote, {n} files", first_limit=900)
    for n in [s for s in sizes if s <= webdav_max]:
        root = base / f"save-dav-{n}"
        local = root / "local"
        make_small_tree(local, n)
        if n > PRESEED_ABOVE:
            # The same tree already on the server (as when a second computer
            # joins a shared folder): a first upload of 100,000 files through
            # `rclone serve webdav` takes about an hour here, and what is
            # measured is the watched, in-sync folder after the first sync.
            (root / "server").mkdir(parents=True)
            common.copy_tree(local, root / "server" / "share")
        dav = WebDav(root / "server")
        home = Home(root, "ours")
        home.folder(local, "webdav", {"url": dav.url(), "vendor": "rclone", "user": "bench", "password": "${BENCH_PASS}"},
                    watch=True, interval=3600)
        try:
            # A pre-seeded 100,000-file first sync hashes every file by
            # download: 20 of these 60 minutes in the run of 2026-12-03.
            measure(home, local, root / "server" / "share", saves, f"loopback WebDAV, {n} files", first_limit=3600)
        finally:
            dav.close()
