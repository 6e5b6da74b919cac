"""Workspace Sync's benchmark (issue #10): prints, section by section, our
figures beside raw rclone's on identical trees in the same run, and a
closing block of `RESULT` lines that docs/benchmarks.md quotes.

    python3 scripts/bench/run.py [--sections 1,2,3,4,5] [--quick]

Timings are medians of several runs (the machine is noisy); nothing here
asserts a time. Run through scripts/bench.sh, which builds the release
binaries first.
"""

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import save_latency  # noqa: E402
import sections  # noqa: E402


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / (1 << 30)
    rclone = subprocess.run([common.RCLONE, "version"], capture_output=True, text=True).stdout.splitlines()[0]
    wsync = subprocess.run([common.WSYNC, "--version"], capture_output=True, text=True).stdout.strip()
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM; {rclone}; {wsync} (release)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sections", default="1,2,3,4,5")
    ap.add_argument("--quick", action="store_true", help="small trees, for a check of the script itself")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--saves", type=int, default=12)
    ap.add_argument("--small", default="10000,100000", help="sizes of the small-file trees (sections 3, 4, 5)")
    ap.add_argument("--webdav-max", type=int, default=100_000, help="largest tree section 4 syncs over WebDAV")
    ap.add_argument("--scratch", default=os.environ.get("BENCH_SCRATCH"))
    args = ap.parse_args()
    want = {int(x) for x in args.sections.split(",") if x}
    if not (os.access(common.RCLONE, os.X_OK) and os.access(common.WSYNC, os.X_OK)):
        sys.exit("bench: set WSYNC_RCLONE and WSYNC_BIN to the rclone and wsync binaries (scripts/bench.sh does)")
    large = (2, 20) if args.quick else (6, 200)
    dav = (3, 10) if args.quick else (30, 10)
    small = [1000, 5000] if args.quick else [int(n) for n in args.small.split(",")]
    saves_at = [50, 1000] if args.quick else [50] + small
    repeat = 2 if args.quick else args.repeat
    saves = 4 if args.quick else args.saves
    started = time.monotonic()
    common.log(f"# Workspace Sync benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    common.log(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="wsync-bench-", dir=args.scratch) as tmp:
        base = Path(tmp)
        reuse = {}
        if 1 in want:
            sections.large_noop(base, *large, max(repeat, 11) if not args.quick else repeat)
        if 2 in want:
            sections.webdav_bytes(base, *dav, repeat=3)
        if 3 in want or 5 in want:
            for n in small:
                home, src, root = sections.small_noop(base, n, repeat=3 if n >= 100_000 else repeat)
                if n in saves_at and 4 in want:
                    reuse[n] = (home, src, root / "remote" / "share")
                else:
                    common.rm(root)
        if 4 in want:
            save_latency.run(base, saves_at, saves, reuse=reuse, webdav_max=args.webdav_max)
    common.log(f"\nbench: done in {(time.monotonic() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
