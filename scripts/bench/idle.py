#!/usr/bin/env python3
"""Benchmark section 6 (issue #10): the tray app idle with its window closed.

What it measures: the resident memory (VmRSS), the anonymous part of it
(RssAnon, the heap and stacks the app owns, as opposed to shared library
pages) and the CPU time (utime+stime, plus cutime+cstime of reaped children,
in clock ticks) of a process tree (the process and its descendants, summed),
over --seconds (60) after --settle (10) seconds. Also counted: context
switches per thread (how often each woke), to say who wakes it.

Why: a tray app runs all day; when its window is closed it should cost no
more than Tauri itself does and never wake up. So the app (release build) is
measured beside a bare Tauri 2 tray app (scripts/bench/floor, built in the
same run: the floor). Goal: RSS <= 1.15x the floor's, 0 ticks.

Runs, one after the other, after a warm-up run of the floor (see main): the
floor; the app with no folder; the app with one `local` folder (as a user
runs it). Each gets a throwaway HOME and XDG_{CONFIG,DATA,STATE,CACHE}_HOME;
the app WSYNC_CONFIG, WSYNC_RCLONE and --hidden (with no folder it would
open its setup window). Each ends with SIGTERM, then SIGKILL after 5 s.

    scripts/with-desktop.sh python3 scripts/bench/idle.py --app BIN --floor BIN

Must run under scripts/with-desktop.sh (Xvfb, session bus, keyring, and a
StatusNotifierWatcher whose $WSYNC_DESKTOP_DIR/sni-items.json shows that the
tray icon was really registered). Prints a table, then the line
`idle: rss_ratio=X.XX ticks_app=N ticks_floor=M` (the one-folder run).
Exits 0 whether or not the goal is met; 1 if a run fails.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RCLONE = os.environ.get("WSYNC_RCLONE") or os.path.join(ROOT, "src-tauri/binaries/rclone-x86_64-unknown-linux-gnu")


class Fail(Exception):
    pass


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        pass


def stat(path):
    """Fields of a /proc stat file after the command name: [0] state,
    [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime, [19] start."""
    s = read(path)
    return s[s.rindex(")") + 2:].split() if s else None


def tree(pid):
    """The process and its descendants, as (pid, start time) pairs."""
    kids = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            f = stat(f"/proc/{d}/stat")
            if f:
                kids.setdefault(int(f[1]), []).append(int(d))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        f = stat(f"/proc/{p}/stat")
        if f and f[0] not in "ZX":
            out.append((p, f[19]))
            todo.extend(kids.get(p, []))
    return out


def status_kb(pid, key):
    for line in (read(f"/proc/{pid}/status") or "").splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def snapshot(procs):
    """CPU ticks of the tree, and per thread: (comm) -> [ticks, switches]."""
    ticks, threads = 0, {}
    for pid, _ in procs:
        f = stat(f"/proc/{pid}/stat")
        if not f:
            continue
        ticks += sum(int(x) for x in f[11:15])
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            t = stat(f"/proc/{pid}/task/{tid}/stat")
            if not t:
                continue
            comm = (read(f"/proc/{pid}/task/{tid}/comm") or "?").strip()
            sw = status_kb(f"{pid}/task/{tid}", "voluntary_ctxt_switches") + \
                status_kb(f"{pid}/task/{tid}", "nonvoluntary_ctxt_switches")
            threads[(pid, int(tid))] = (comm, int(t[11]) + int(t[12]), sw)
    return ticks, threads


def sni_items(since):
    # Rewritten atomically by tests/desktop/sni_watcher.py.
    items = json.loads(read(os.path.join(os.environ["WSYNC_DESKTOP_DIR"], "sni-items.json")) or "[]")
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(since - 1))
    return [i["path"] for i in items if i.get("registered_at", "") >= stamp]


def stop(proc, procs, wait):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(wait)
    except subprocess.TimeoutExpired:
        print(f"idle: pid {proc.pid} ignored SIGTERM for {wait} s; killing it", file=sys.stderr)
        proc.kill(), proc.wait()
    for pid, start in procs[1:]:  # descendants left behind (same process, not a reused pid)
        f = stat(f"/proc/{pid}/stat")
        if f and f[19] == start and f[0] not in "ZX":
            os.kill(pid, signal.SIGKILL)


def measure(name, argv, folder, args):
    tmp = tempfile.mkdtemp(prefix=f"wsync-bench-idle-{name}-")
    env = dict(os.environ)
    for var, sub in [("HOME", "home"), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache")]:
        env[var] = os.path.join(tmp, sub)
        os.makedirs(env[var])
    env["WEBKIT_DISABLE_COMPOSITING_MODE"] = "1"
    if folder is not None:  # the app
        folders = []
        if folder:
            for d in ("local", "remote/share"):
                os.makedirs(os.path.join(tmp, d))
            with open(os.path.join(tmp, "local/readme.md"), "w") as f:
                f.write("hello\n")
            folders = [{"id": "ws", "localPath": os.path.join(tmp, "local"), "provider": "local",
                        "remotePath": "share", "local": {"path": os.path.join(tmp, "remote")},
                        "interval": 300, "watch": True}]
        env["WSYNC_CONFIG"] = os.path.join(tmp, "config.json")
        with open(env["WSYNC_CONFIG"], "w") as f:
            json.dump({"version": 1, "folders": folders}, f)
        env["WSYNC_RCLONE"] = RCLONE
    out = open(os.path.join(tmp, "out.log"), "w")
    started = time.time()
    proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    procs = [(proc.pid, None)]
    try:
        time.sleep(args.settle)
        if proc.poll() is not None:
            raise Fail(f"{name} exited ({proc.returncode}) during the settle time:\n" + (read(out.name) or "")[-2000:])
        items = sni_items(started)
        if not items:
            print(f"idle: WARNING: {name}: no StatusNotifierItem registered (sni-items.json)", file=sys.stderr)
        procs = tree(proc.pid)
        t0, th0 = snapshot(procs)
        rss, anon, nprocs = [], [], 0
        end = time.monotonic() + args.seconds
        while time.monotonic() < end:
            time.sleep(min(1.0, max(0.0, end - time.monotonic())))
            now = tree(proc.pid)
            procs += [p for p in now if p not in procs]
            nprocs = max(nprocs, len(now))
            rss.append(sum(status_kb(p, "VmRSS") for p, _ in now))
            anon.append(sum(status_kb(p, "RssAnon") for p, _ in now))
        t1, th1 = snapshot(procs)
        if proc.poll() is not None:
            raise Fail(f"{name} exited ({proc.returncode}) while it was measured")
    finally:
        if proc.poll() is None:
            stop(proc, procs, args.stop_wait)
        out.close()
    woke = []
    for key, (comm, ticks, sw) in th1.items():
        _, ticks0, sw0 = th0.get(key, (comm, 0, 0))
        if sw - sw0 or ticks - ticks0:
            woke.append((f"{comm}[{key[1]}]", sw - sw0, ticks - ticks0))
    log = read(os.path.join(env["XDG_STATE_HOME"], "workspace-sync/logs/app.log")) or ""
    problems = [line for line in log.splitlines() if " ERROR " in line or " WARN " in line]
    for line in problems[:3]:
        print(f"idle: {name}: app log: {line}", file=sys.stderr)
    shutil.rmtree(tmp, ignore_errors=True)
    return {"rss": max(rss) / 1024, "anon": max(anon) / 1024, "ticks": t1 - t0, "procs": nprocs,
            "wakeups": sum(w[1] for w in woke), "woke": woke, "items": items}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--app", required=True, help="the app's release binary")
    ap.add_argument("--floor", required=True, help="the floor's release binary")
    ap.add_argument("--seconds", type=float, default=60, help="measurement window (60)")
    ap.add_argument("--settle", type=float, default=10, help="wait after start (10)")
    ap.add_argument("--stop-wait", type=float, default=5, help="SIGTERM to SIGKILL (5)")
    args = ap.parse_args()
    if "WSYNC_DESKTOP_DIR" not in os.environ:
        sys.exit("idle.py: run under scripts/with-desktop.sh")
    for b in (args.app, args.floor):
        if not os.access(b, os.X_OK):
            sys.exit(f"idle.py: not an executable: {b}")
    # Warm-up: the first GTK client on a fresh X display probes GL (Mesa's
    # llvmpipe: libLLVM, ~50 MiB resident) and caches the answer in the root
    # window's GDK_VISUALS property; the next ones skip that. Pay it here.
    with tempfile.TemporaryDirectory() as home:
        warm = subprocess.Popen([args.floor], env=dict(os.environ, HOME=home), stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(3)
        stop(warm, [], args.stop_wait)
    runs = {}
    try:
        for name, argv, folder in [("floor", [args.floor], None), ("app", [args.app, "--hidden"], False),
                                   ("app+folder", [args.app, "--hidden"], True)]:
            print(f"idle: measuring {name} ({args.settle:.0f} s settle, {args.seconds:.0f} s window)…",
                  file=sys.stderr, flush=True)
            runs[name] = measure(name, argv, folder, args)
    except Fail as e:
        print(f"idle.py: {e}", file=sys.stderr)
        return 1
    f, a, af = runs["floor"], runs["app"], runs["app+folder"]
    ratio = lambda x, y: f"{x / y:.2f}" if y else "-"  # noqa: E731
    print(f"idle, window closed, process tree, peak over {args.seconds:.0f} s after {args.settle:.0f} s "
          f"(clock ticks of {os.sysconf('SC_CLK_TCK')} Hz):")
    print(f"{'':18}{'app':>10}{'app+folder':>12}{'floor':>10}{'ratio':>8}{'ratio+f':>9}")
    for key, label, fmt in [("rss", "RSS MiB", "{:.1f}"), ("anon", "anon MiB", "{:.1f}"),
                            ("ticks", "CPU ticks", "{}"), ("wakeups", "wakeups", "{}"), ("procs", "processes", "{}")]:
        print(f"{label:18}{fmt.format(a[key]):>10}{fmt.format(af[key]):>12}{fmt.format(f[key]):>10}"
              f"{ratio(a[key], f[key]):>8}{ratio(af[key], f[key]):>9}")
    for name, r in runs.items():
        print(f"{name}: tray items {r['items'] or 'NONE'}")
        if r["woke"]:
            print(f"{name}: threads that woke (wakeups/ticks): "
                  + ", ".join(f"{t} {n}/{c}" for t, n, c in sorted(r["woke"], key=lambda w: -w[1])))
    print(f"idle (no folder): rss_ratio={a['rss'] / f['rss']:.2f} ticks_app={a['ticks']} ticks_floor={f['ticks']}")
    print(f"idle: rss_ratio={af['rss'] / f['rss']:.2f} ticks_app={af['ticks']} ticks_floor={f['ticks']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
