#!/usr/bin/python3
"""End-to-end tests of the Workspace Sync tray app (the product's acceptance
tests). Run through tests/app/run.sh, which builds everything and runs this
inside scripts/with-desktop.sh (Xvfb, a private session bus with an unlocked
gnome-keyring, a StatusNotifierWatcher and a recording notification server).

    tests/app/e2e.py [tray] [notifications] [webui] [resources] [host] [ui | ui-NAME ...]   (default: all)

Each scenario starts the real app binary against a loopback WebDAV server
(`rclone serve webdav`, the bundled rclone) and drives it the way a person
would: through the tray menu over D-Bus (tests/desktop/tray.py), the
notifications (tests/desktop/notify.py), and the window through WebDriver
(tauri-driver + WebKitWebDriver, plain W3C HTTP calls).

Environment: WSYNC_APP_BIN (default target/debug/workspace-sync), WSYNC_CLI_BIN
(target/debug/wsync), WSYNC_RCLONE (the bundled rclone), TAURI_DRIVER
(tauri-driver on PATH or in ~/.cargo/bin). Evidence (screenshot) goes to
artifacts/. Ends with one line "N passed, N failed". `ui` runs the flows
through the window of tests/app/ui_flows.py (setup, Dropbox login, conflicts,
blocked, versions, bad input), each counted as a scenario.
"""
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PY = "/usr/bin/python3"
TRAY = [PY, os.path.join(ROOT, "tests/desktop/tray.py")]
NOTIFY = [PY, os.path.join(ROOT, "tests/desktop/notify.py")]
APP = os.environ.get("WSYNC_APP_BIN") or os.path.join(ROOT, "target/debug/workspace-sync")
CLI = os.environ.get("WSYNC_CLI_BIN") or os.path.join(ROOT, "target/debug/wsync")
RCLONE = os.environ.get("WSYNC_RCLONE") or os.path.join(ROOT, "src-tauri/binaries/rclone-x86_64-unknown-linux-gnu")
ARTIFACTS = os.path.join(ROOT, "artifacts")


class Fail(Exception):
    pass


def log(msg):
    print(f"  {msg}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, pred, timeout=30.0, every=0.25):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            last = pred()
            if last:
                return last
        except Exception as e:  # noqa: BLE001 - keep polling, report the last error
            last = e
        time.sleep(every)
    raise Fail(f"timed out after {timeout:.0f} s waiting for {what} (last: {last!r})")


def run(cmd, env=None, timeout=60, check=True):
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise Fail(f"{' '.join(cmd)} exited {p.returncode}: {p.stderr.strip()[-500:]}")
    return p


# ------------------------------------------------------------------ tray --
def layout():
    p = run(TRAY + ["layout", "--wait", "10"], timeout=30)
    return json.loads(p.stdout)


def labels(node=None):
    node = node or layout()
    out = []
    for c in node.get("children", []):
        if c.get("type") == "separator":
            out.append("---")
        elif c.get("visible", True):
            out.append(c["label"])
            out.extend("  " + x for x in labels(c) if c.get("children"))
    return out


def status_line(folder="Workspace"):
    for lab in labels():
        if lab.startswith(folder + ":"):
            return lab
    return None


def click(label, prefix=False):
    cmd = TRAY + ["click", label, "--wait", "10"] + (["--prefix"] if prefix else [])
    run(cmd, timeout=30)
    log(f"clicked tray item {label!r}")


# ----------------------------------------------------------- the world --
class World:
    """A temp home for one scenario: local folder, WebDAV remote, config,
    the app's XDG dirs, and the app process."""

    def __init__(self, name, files=None, quiet_ms=600_000):
        self.dir = tempfile.mkdtemp(prefix=f"wsync-app-{name}-")
        self.local = os.path.join(self.dir, "local")
        self.remote = os.path.join(self.dir, "remote")
        os.makedirs(self.local)
        os.makedirs(self.remote)
        for rel, text in (files or {}).items():
            self.write_local(rel, text)
        self.port = free_port()
        self.webdav = subprocess.Popen(
            [RCLONE, "serve", "webdav", self.remote, "--addr", f"127.0.0.1:{self.port}", "--user", "u", "--pass", "p",
             "--dir-cache-time", "10ms"],
            stdout=open(os.path.join(self.dir, "webdav.log"), "w"), stderr=subprocess.STDOUT)
        wait_for("the WebDAV server", lambda: socket.create_connection(("127.0.0.1", self.port), 1).close() or True, 15)
        self.config = os.path.join(self.dir, "config.json")
        cfg = {"version": 1, "folders": [{
            "id": "workspace", "localPath": self.local, "provider": "webdav", "remotePath": "",
            "interval": 0, "watch": True, "conflictResolve": "ask",
            "webdav": {"url": f"http://127.0.0.1:{self.port}", "vendor": "other", "user": "u", "password": "${WS_PASS}"}}]}
        with open(self.config, "w") as f:
            json.dump(cfg, f)
        self.env = dict(os.environ)
        self.env.update({
            "WSYNC_CONFIG": self.config,
            "WS_PASS": "p",
            "WSYNC_RCLONE": RCLONE,
            "XDG_CONFIG_HOME": os.path.join(self.dir, "xdg-config"),
            "XDG_DATA_HOME": os.path.join(self.dir, "xdg-data"),
            "XDG_STATE_HOME": os.path.join(self.dir, "xdg-state"),
            # Local changes wait this long before the watcher syncs them, so
            # that the tray's clicks are what makes things move.
            "WSYNC_QUIET_MS": str(quiet_ms),
            "WSYNC_MAX_WAIT_MS": str(quiet_ms),
            "WEBKIT_DISABLE_COMPOSITING_MODE": "1",
        })
        self.log_path = os.path.join(self.env["XDG_STATE_HOME"], "workspace-sync/logs/app.log")
        self.app = None

    def write_local(self, rel, text):
        p = os.path.join(self.local, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)

    def write_remote(self, rel, text):
        p = os.path.join(self.remote, rel)
        with open(p, "w") as f:
            f.write(text)

    def on_remote(self, rel):
        return os.path.exists(os.path.join(self.remote, rel))

    def app_log(self):
        try:
            with open(self.log_path) as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def start_app(self):
        self.app_out = open(os.path.join(self.dir, "app.out"), "w")
        self.app = subprocess.Popen([APP], env=self.env, stdout=self.app_out, stderr=subprocess.STDOUT)
        log(f"started {APP} (pid {self.app.pid})")
        wait_for("the tray icon", lambda: self.app.poll() is None and status_line() is not None, 30)

    def stop(self):
        if self.app and self.app.poll() is None:
            self.app.send_signal(signal.SIGTERM)
            try:
                self.app.wait(20)
            except subprocess.TimeoutExpired:
                self.app.kill()
        self.webdav.terminate()
        try:
            self.webdav.wait(10)
        except subprocess.TimeoutExpired:
            self.webdav.kill()

    def dump(self):
        print("---- app log (tail) ----")
        print("\n".join(self.app_log().splitlines()[-40:]))


# ------------------------------------------------------------ scenarios --
def test_tray():
    w = World("tray", {"a.txt": "hello\n"})
    try:
        w.start_app()
        line = wait_for("the first sync", lambda: (status_line() or "").startswith("Workspace: synced") and status_line(), 60)
        items = labels()
        log("menu: " + " | ".join(items))
        for want in ["Sync now", "Pause syncing", "Open folder", "Open Workspace Sync…", "Quit"]:
            if want not in items:
                raise Fail(f"the menu lacks {want!r}: {items}")
        if items.index("Sync now") < items.index(line):
            raise Fail("the status line is not at the top")
        log(f"status line: {line!r}")
        if not w.on_remote("a.txt"):
            raise Fail("a.txt did not reach the remote in the first sync")

        w.write_local("new.txt", "made after the first sync\n")
        time.sleep(1.5)
        if w.on_remote("new.txt"):
            raise Fail("new.txt reached the remote before Sync now was clicked")
        click("Sync now")
        wait_for("new.txt on the WebDAV remote", lambda: w.on_remote("new.txt"), 30)
        log("Sync now: new.txt arrived on the WebDAV remote")
        wait_for("the status line after the sync", lambda: status_line() == "Workspace: synced just now", 15)

        # The CLI delegates to the app's engine through the control socket.
        n_before = w.app_log().count("workspace: sync ok")
        w.write_local("cli.txt", "synced through wsync\n")
        p = run([CLI, "sync", "workspace", "--json"], env=w.env, timeout=90)
        out = p.stdout.strip()
        try:
            report = json.loads(out)
        except json.JSONDecodeError:
            report = json.loads(out.splitlines()[-1])
        report = report[0] if isinstance(report, list) else report
        if report.get("result") != "ok":
            raise Fail(f"wsync sync: {p.stdout}")
        wait_for("the app's log of the CLI's sync", lambda: w.app_log().count("workspace: sync ok") > n_before, 10)
        if not w.on_remote("cli.txt"):
            raise Fail("cli.txt did not reach the remote")
        log("wsync sync workspace ran in the app's engine (its log shows the run)")

        click("Pause syncing")
        wait_for("Resume syncing in the menu", lambda: "Resume syncing" in labels(), 15)
        wait_for("the paused status line", lambda: status_line() == "Workspace: paused", 15)
        w.write_local("paused.txt", "saved while paused\n")
        click("Sync now")
        time.sleep(5)
        if w.on_remote("paused.txt"):
            raise Fail("paused.txt was synced while syncing was paused")
        log("paused: paused.txt stayed on this computer for 5 s (Sync now included)")
        click("Resume syncing")
        wait_for("paused.txt on the remote after Resume", lambda: w.on_remote("paused.txt"), 30)
        wait_for("Pause syncing in the menu again", lambda: "Pause syncing" in labels(), 15)
        log("resumed: paused.txt arrived on the remote")

        # A second launch hands over to this one: it opens the window and exits.
        second = subprocess.run([APP], env=w.env, capture_output=True, text=True, timeout=60)
        if second.returncode != 0:
            raise Fail(f"the second launch exited {second.returncode}: {second.stderr[-300:]}")
        wait_for("the first instance to open its window",
                 lambda: "a second launch asked for the window" in w.app_log() and "window: opened" in w.app_log(), 20)
        log("single instance: a second launch exited 0 and the first opened its window")

        sock = os.path.join(os.environ.get("XDG_RUNTIME_DIR", ""), "workspace-sync", "engine.sock")
        if not os.path.exists(sock):
            raise Fail(f"no control socket at {sock}")
        click("Quit")
        code = w.app.wait(30)
        if code != 0:
            raise Fail(f"the app exited {code} after Quit")
        if os.path.exists(sock):
            raise Fail("the control socket is still there after Quit")
        if "sync engine stopped" not in w.app_log():
            raise Fail("the log does not show a graceful engine stop")
        log("Quit: the engine stopped gracefully, the socket is gone, exit code 0")
    except Exception:
        w.dump()
        raise
    finally:
        w.stop()


def notifications():
    p = run(NOTIFY + ["list"], timeout=15)
    return json.loads(p.stdout or "[]")


def test_notifications():
    # Several files, so that one file changed on both sides is not "every
    # file changed" (a safety guard).
    w = World("notify", {"notes.md": "base\n", **{f"other{i}.txt": f"{i}\n" for i in range(6)}})
    try:
        seen = len(notifications())
        w.start_app()
        wait_for("the first sync", lambda: (status_line() or "").startswith("Workspace: synced"), 60)
        first = wait_for("the first-sync notification", lambda: [n for n in notifications()[seen:] if "is in sync" in n["summary"]], 15)
        log(f"first sync notified: {first[0]['summary']!r}")

        # Both sides change the same file.
        time.sleep(1.1)
        w.write_local("notes.md", "changed on this computer\n")
        w.write_remote("notes.md", "changed in the cloud, differently\n")
        click("Sync now")
        wait_for("the conflict in the status line", lambda: status_line() == "Workspace: 1 conflict", 60)
        wait_for("Conflicts (1)… in the menu", lambda: "Conflicts (1)…" in labels(), 10)
        p = run(NOTIFY + ["wait", "--summary-contains", "conflict", "--timeout", "20"], timeout=30)
        n = json.loads(p.stdout)
        keys = [a["key"] for a in n.get("actions", [])]
        log(f"notification {n['id']}: {n['summary']!r} / {n['body']!r}; actions {n.get('actions')}")
        if "resolve" not in keys or not any(a["label"] == "Resolve" for a in n["actions"]):
            raise Fail(f"the conflict notification has no Resolve action: {n.get('actions')}")
        run(NOTIFY + ["invoke", str(n["id"]), "resolve"], timeout=15)
        wait_for("the app to open the conflicts page",
                 lambda: 'notification action "resolve" (workspace)' in w.app_log()
                 and "window: navigate to conflicts/workspace" in w.app_log(), 15)
        wait_for("the window", lambda: "window: opened" in w.app_log(), 20)
        log("Resolve: the app's log shows 'window: navigate to conflicts/workspace' and the window opened")

        # Coalescing: a second conflict within the minute is not notified again.
        before = len([x for x in notifications() if "conflict" in x["summary"]])
        time.sleep(1.1)
        w.write_local("other1.txt", "edited here\n")
        w.write_remote("other1.txt", "edited there, differently\n")
        click("Sync now")
        wait_for("the second conflict", lambda: status_line() == "Workspace: 2 conflicts", 60)
        time.sleep(2)
        after = len([x for x in notifications() if "conflict" in x["summary"]])
        if after != before:
            raise Fail("a second conflict notification came within the minute")
        if "notification coalesced (conflicts workspace)" not in w.app_log():
            raise Fail("the log does not show the coalesced notification")
        log("coalesced: the second conflict within a minute made no second notification")
        click("Quit")
        w.app.wait(30)
    except Exception:
        w.dump()
        raise
    finally:
        w.stop()


# ------------------------------------------------------------- web UI --
class WebDriver:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.sid = None

    def call(self, method, path, body=None, timeout=60):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return json.loads(r.read() or b"{}").get("value")
        except urllib.error.HTTPError as e:
            raise Fail(f"WebDriver {method} {path}: {e.code} {e.read()[:500]!r}")

    def s(self, method, path, body=None, timeout=60):
        return self.call(method, f"/session/{self.sid}{path}", body, timeout)

    def find(self, css, timeout=20):
        def one():
            try:
                v = self.s("POST", "/element", {"using": "css selector", "value": css}, 10)
                return list(v.values())[0]
            except Fail:
                return None
        return wait_for(f"the element {css}", one, timeout, 0.5)

    def text(self, el):
        return self.s("GET", f"/element/{el}/text")


def descendants(pid):
    kids = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    st = f.read()
                ppid = int(st[st.rindex(")") + 2:].split()[1])
                kids.setdefault(ppid, []).append(int(d))
            except (OSError, ValueError):
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for k in kids.get(p, []):
            out.append(k)
            todo.append(k)
    return out


def comm(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""


def find_app_pid():
    real = os.path.realpath(APP)
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                if os.path.realpath(f"/proc/{d}/exe") == real:
                    return int(d)
            except OSError:
                pass
    return None


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        st = f.read()
    fields = st[st.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def tauri_driver_bin():
    for c in [os.environ.get("TAURI_DRIVER"), shutil.which("tauri-driver"), os.path.expanduser("~/.cargo/bin/tauri-driver")]:
        if c and os.path.exists(c):
            return c
    raise Fail("tauri-driver is not installed: cargo install tauri-driver --locked --version '^2'")


def test_webui():
    w = World("webui", {"readme.md": "hello\n"})
    port, native = free_port(), free_port()
    driver = subprocess.Popen([tauri_driver_bin(), "--port", str(port), "--native-port", str(native)], env=w.env,
                              stdout=open(os.path.join(w.dir, "tauri-driver.log"), "w"), stderr=subprocess.STDOUT)
    wd = WebDriver(port)
    try:
        wait_for("tauri-driver", lambda: socket.create_connection(("127.0.0.1", port), 1).close() or True, 15)
        result = {}

        def new_session():
            try:
                result["value"] = wd.call("POST", "/session", {"capabilities": {"alwaysMatch": {
                    "tauri:options": {"application": os.path.realpath(APP)}}}}, timeout=120)
            except Exception as e:  # noqa: BLE001
                result["error"] = e

        t = threading.Thread(target=new_session, daemon=True)
        t.start()
        # The app starts in the tray; the window (and so the webview that
        # WebDriver attaches to) opens from the tray menu.
        wait_for("the app's first sync", lambda: (status_line() or "").startswith("Workspace: synced"), 60)
        app_pid = wait_for("the app process", find_app_pid, 10)
        if any(comm(p).startswith("WebKit") for p in descendants(app_pid)):
            raise Fail("WebKit processes run before the window was opened")
        click("Open Workspace Sync…")
        t.join(120)
        if "error" in result:
            raise result["error"]
        if "value" not in result:
            raise Fail("the WebDriver session did not start")
        wd.sid = result["value"]["sessionId"]
        log(f"WebDriver session {wd.sid} attached to the window")
        card = wd.find('[data-testid="folder-card-workspace"]', 30)
        state_el = wd.find('[data-testid="folder-state-workspace"]', 10)
        url = wd.s("GET", "/url")
        card_text = wd.text(card)
        state_text = wd.text(state_el)
        log(f"url {url}; folder card: {' / '.join(card_text.splitlines()[:4])!r}; state: {state_text!r}")
        if "#/status" not in url and not url.endswith("index.html"):
            raise Fail(f"the window did not open on the status page: {url}")
        if "orkspace" not in card_text:
            raise Fail(f"the status page does not show the folder: {card_text!r}")
        if not state_text.strip():
            raise Fail("the folder's state is empty")
        os.makedirs(ARTIFACTS, exist_ok=True)
        shot = os.path.join(ARTIFACTS, "app-status.png")
        wait_for("the folder state to settle", lambda: "ync" in wd.text(state_el) or True, 5)
        time.sleep(1)
        with open(shot, "wb") as f:
            f.write(base64.b64decode(wd.s("GET", "/screenshot")))
        log(f"screenshot: {shot}")

        click("Quit")
        wait_for("the app to quit", lambda: find_app_pid() is None, 30)
    except Exception:
        w.dump()
        if wd.sid:
            try:
                src = wd.s("GET", "/source", timeout=10) or ""
                print("---- page source (head) ----\n" + src[:1500])
                os.makedirs(ARTIFACTS, exist_ok=True)
                with open(os.path.join(ARTIFACTS, "app-failure.png"), "wb") as f:
                    f.write(base64.b64decode(wd.s("GET", "/screenshot", timeout=10)))
            except Exception as e:  # noqa: BLE001
                print(f"(no page source: {e})")
        raise
    finally:
        try:
            if wd.sid:
                wd.call("DELETE", f"/session/{wd.sid}", timeout=20)
        except Exception:  # noqa: BLE001
            pass
        driver.terminate()
        try:
            driver.wait(10)
        except subprocess.TimeoutExpired:
            driver.kill()
        w.stop()
        pid = find_app_pid()
        if pid:
            os.kill(pid, signal.SIGTERM)


def webkit_children(pid):
    return [p for p in descendants(pid) if comm(p).startswith("WebKit")]


def test_resources():
    w = World("resources", {"readme.md": "hello\n"})
    try:
        w.start_app()
        wait_for("the first sync", lambda: (status_line() or "").startswith("Workspace: synced"), 60)
        pid = w.app.pid
        if webkit_children(pid):
            raise Fail("WebKit processes run before the window was opened")
        log(f"tray only: app RSS {rss_kb(pid) // 1024} MB, no WebKit process")
        click("Open Workspace Sync…")
        wait_for("the window's WebKit processes", lambda: webkit_children(pid), 30)
        time.sleep(3)
        log(f"window open: app RSS {rss_kb(pid) // 1024} MB; "
            + ", ".join(f"{comm(p)} {rss_kb(p) // 1024} MB" for p in webkit_children(pid)))
        # Close it as a person does (the window manager's close button).
        wait_for("the window to be closed", lambda: run([PY, os.path.join(ROOT, "tests/app/xclose.py"), "Workspace Sync"],
                                                       check=False).returncode == 0, 10)
        wait_for("no WebKit process left", lambda: not webkit_children(pid), 30)
        if w.app.poll() is not None:
            raise Fail(f"the app exited ({w.app.returncode}) when its window closed")
        if status_line() is None:
            raise Fail("the tray icon went away with the window")
        log("window closed: no WebKit process remains; the app stays in the tray")
        if "window: closed" not in w.app_log():
            raise Fail("the app's log does not show the window's end")
        time.sleep(3)
        hz = os.sysconf("SC_CLK_TCK")
        t0, c0 = time.time(), cpu_ticks(pid)
        rss = []
        for _ in range(30):
            time.sleep(1)
            rss.append(rss_kb(pid))
        t1, c1 = time.time(), cpu_ticks(pid)
        cpu = (c1 - c0) / hz / (t1 - t0) * 100
        log(f"idle, window closed, over {t1 - t0:.0f} s: RSS {min(rss) // 1024}-{max(rss) // 1024} MB, CPU {cpu:.2f}%")
        print(f"RESOURCES idle_rss_mb={max(rss) // 1024} cpu_percent={cpu:.2f} seconds={t1 - t0:.0f} window=closed", flush=True)
        if cpu > 5:
            raise Fail(f"the idle app used {cpu:.1f}% CPU")
        # The window opens again after its helpers were ended.
        opened = w.app_log().count("window: opened")
        click("Open Workspace Sync…")
        wait_for("the window again", lambda: w.app_log().count("window: opened") > opened and webkit_children(pid), 30)
        time.sleep(2)
        if w.app.poll() is not None:
            raise Fail("the app died when the window opened again")
        log("the window opens again: " + ", ".join(comm(p) for p in webkit_children(pid)))
        click("Quit")
        w.app.wait(30)
    except Exception:
        w.dump()
        raise
    finally:
        w.stop()


def test_host():
    """With `wsync daemon` holding the host role, the app says so and exits."""
    w = World("host", {"a.txt": "x\n"})
    daemon = subprocess.Popen([CLI, "daemon"], env=w.env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(w.dir, "daemon.log"), "w"))
    try:
        sock = os.path.join(os.environ.get("XDG_RUNTIME_DIR", ""), "workspace-sync", "engine.sock")
        wait_for("the daemon's socket", lambda: os.path.exists(sock), 20)
        p = subprocess.run([APP], env=w.env, capture_output=True, text=True, timeout=60)
        msg = [l for l in p.stderr.splitlines() if "already running" in l]
        log(f"app exit code {p.returncode}: {msg[-1] if msg else p.stderr[-200:]!r}")
        if p.returncode != 1 or not msg or "wsync daemon" not in msg[-1]:
            raise Fail("the app did not refuse to start next to wsync daemon with a clear message")
        if daemon.poll() is not None:
            raise Fail("the daemon stopped")
    finally:
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(20)
        except subprocess.TimeoutExpired:
            daemon.kill()
        w.stop()


TESTS = {"tray": test_tray, "notifications": test_notifications, "webui": test_webui, "resources": test_resources, "host": test_host}


def main():
    names = sys.argv[1:] or list(TESTS) + ["ui"]
    passed = failed = 0
    ui_names = [n for n in names if n == "ui" or n.startswith("ui-")]
    for name in [n for n in names if n not in ui_names]:
        print(f"=== {name}", flush=True)
        t0 = time.time()
        try:
            TESTS[name]()
            passed += 1
            print(f"PASS {name} ({time.time() - t0:.0f} s)", flush=True)
        except Exception as e:  # noqa: BLE001
            failed += 1
            if not isinstance(e, Fail):
                traceback.print_exc()
            print(f"FAIL {name}: {e}", flush=True)
    if ui_names:
        import ui_flows  # tests/app/ui_flows.py: one app for all its scenarios
        p, f = ui_flows.run(None if "ui" in ui_names else ui_names)
        passed, failed = passed + p, failed + f
    print(f"app: {passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
