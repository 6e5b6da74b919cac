"""What every benchmark section shares: trees of files, an isolated `wsync`
home, raw rclone runs, the process tree's peak memory, a byte-counting proxy
in front of a loopback WebDAV server, and medians.

Everything runs on 127.0.0.1 and under one scratch directory, and every
process a section starts is stopped by the section (or at exit).
"""

import atexit
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import threading
import time
from pathlib import Path

RCLONE = os.environ.get("WSYNC_RCLONE", "")
WSYNC = os.environ.get("WSYNC_BIN", "")
USER, PASS = "bench", "bench-pass-not-secret"
_started = []


def _stop_all():
    for p in _started:
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()


atexit.register(_stop_all)


def log(msg):
    print(msg, flush=True)


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def p95(xs):
    if not xs:
        return float("nan")
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def ratio(a, b):
    return a / b if b else float("inf")


def make_small_tree(root: Path, count: int, seed: int = 1):
    """`count` small files (100 B - 4 KiB) in directories of 1,000."""
    rnd = random.Random(seed)
    for i in range(count):
        d = root / f"d{i // 1000:04d}"
        if i % 1000 == 0:
            d.mkdir(parents=True, exist_ok=True)
        size = rnd.randint(100, 4096)
        (d / f"f{i:06d}.txt").write_bytes(rnd.randbytes(size))


def make_large_tree(root: Path, count: int, mib: int):
    """`count` files of `mib` MiB of incompressible bytes."""
    root.mkdir(parents=True, exist_ok=True)
    chunk = os.urandom(1 << 20)
    for i in range(count):
        with open(root / f"large-{i}.bin", "wb") as f:
            for j in range(mib):
                # Different bytes per MiB, cheaply.
                f.write(hashlib.sha256(f"{i}-{j}".encode()).digest() + chunk[32:])


def copy_tree(src: Path, dst: Path):
    """An identical copy (contents and modification times)."""
    subprocess.run(["cp", "-a", str(src), str(dst)], check=True)


def tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and all its descendants."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        except (OSError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total


def timed(cmd, env=None, ok=(0,), sample_memory=False, cwd=None):
    """Run `cmd`; return (seconds, peak tree RSS bytes or 0, completed)."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    if sample_memory:
        def sample():
            while p.poll() is None:
                peak[0] = max(peak[0], tree_rss(p.pid))
                time.sleep(0.1)
        t = threading.Thread(target=sample, daemon=True)
        t.start()
    out, err = p.communicate()
    secs = time.monotonic() - start
    if p.returncode not in ok:
        raise RuntimeError(f"{' '.join(map(str, cmd[:3]))}… exited {p.returncode}: {err.strip()[-600:]}")
    return secs, peak[0], out


class Home:
    """An isolated `wsync` home: its own XDG dirs and config file."""

    def __init__(self, base: Path, name: str):
        self.dir = base / name
        self.home = self.dir / "home"
        self.home.mkdir(parents=True, exist_ok=True)
        self.config = self.dir / "config.json"
        self.env = dict(os.environ)
        self.env.update({
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_DATA_HOME": str(self.home / ".local/share"),
            "XDG_STATE_HOME": str(self.home / ".local/state"),
            "XDG_CACHE_HOME": str(self.home / ".cache"),
            "WSYNC_CONFIG": str(self.config),
            "WSYNC_RCLONE": RCLONE,
            "BENCH_PASS": PASS,
        })
        self.env.pop("XDG_RUNTIME_DIR", None)

    def folder(self, local: Path, provider: str, block: dict, **extra):
        f = {"id": "ws", "localPath": str(local), "provider": provider, "remotePath": "share",
             "conflictResolve": "ask", "interval": 0, "watch": False, provider: block}
        f.update(extra)
        self.config.write_text(json.dumps({"version": 1, "folders": [f]}, indent=2))

    def sync(self, *args, sample_memory=False):
        # 0: synced; 3: synced with conflicts kept.
        return timed([WSYNC, "sync", "ws", *args], env=self.env, ok=(0, 3), sample_memory=sample_memory)

    def spawn_daemon(self):
        p = subprocess.Popen([WSYNC, "daemon"], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _started.append(p)
        return p


def stop(p, grace=20):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(grace)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def obscure(secret: str) -> str:
    return subprocess.run([RCLONE, "obscure", secret], capture_output=True, text=True, check=True).stdout.strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDav:
    """`rclone serve webdav DIR` on 127.0.0.1, behind a proxy that counts
    the bytes each way (what crosses the loopback "network")."""

    def __init__(self, root: Path):
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        self.server_port, self.port = free_port(), free_port()
        self.proc = subprocess.Popen(
            [RCLONE, "serve", "webdav", str(root), "--addr", f"127.0.0.1:{self.server_port}",
             "--user", USER, "--pass", PASS, "--dir-cache-time", "10ms"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _started.append(self.proc)
        self.down = self.up = 0
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.server_port), 0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("rclone serve webdav did not listen within 20 s")

    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def counts(self):
        with self.lock:
            return self.down, self.up

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(("127.0.0.1", self.server_port))
            except OSError:
                client.close()
                continue
            threading.Thread(target=self._pipe, args=(server, client, "down"), daemon=True).start()
            threading.Thread(target=self._pipe, args=(client, server, "up"), daemon=True).start()

    def _pipe(self, src, dst, way):
        try:
            while True:
                data = src.recv(1 << 16)
                if not data:
                    break
                with self.lock:
                    setattr(self, way, getattr(self, way) + len(data))
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def raw_env(self, name: str, vendor: str):
        """An rclone remote `name:` for this server, defined in the environment."""
        k = f"RCLONE_CONFIG_{name.upper()}_"
        return {k + "TYPE": "webdav", k + "URL": self.url(), k + "VENDOR": vendor,
                k + "USER": USER, k + "PASS": obscure(PASS)}

    def close(self):
        self.listener.close()
        stop(self.proc)


def hasher_env(name: str, wrapped: str):
    """rclone's `hasher` overlay over `wrapped`, as the engine sets it up."""
    k = f"RCLONE_CONFIG_{name.upper()}_"
    return {k + "TYPE": "hasher", k + "REMOTE": wrapped, k + "HASHES": "md5", k + "MAX_AGE": "off"}


def raw_bisync(path1, path2, workdir: Path, *flags, env=None, sample_memory=False):
    """`rclone bisync` itself, as a person would run it."""
    workdir.mkdir(parents=True, exist_ok=True)
    if isinstance(path2, Path):
        path2.mkdir(parents=True, exist_ok=True)
    e = dict(os.environ)
    e.update(env or {})
    return timed([RCLONE, "bisync", str(path1), str(path2), "--workdir", str(workdir), *flags],
                 env=e, sample_memory=sample_memory)


# The flags the engine gives bisync on a folder synced before (see
# crates/wsync-core/src/sync/bisync.rs), minus its backup dirs and log parsing.
OUR_FLAGS = ["--recover", "--resilient", "--max-lock", "2m", "--max-delete", "50",
             "--compare", "size,modtime,checksum", "--download-hash",
             "--track-renames", "--track-renames-strategy", "hash", "--stats", "1s", "-v"]


def rm(path: Path):
    shutil.rmtree(path, ignore_errors=True)
