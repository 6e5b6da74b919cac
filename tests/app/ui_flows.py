#!/usr/bin/python3
"""End-to-end flows through the app's window (the product's issue 6
acceptance tests): setup of a WebDAV folder, a Dropbox login against a fake
OAuth server, conflicts, a blocked sync, kept versions, and bad input in the
setup form.

Run through tests/app/run.sh (`tests/app/run.sh ui`, or all), which runs
tests/app/e2e.py inside scripts/with-desktop.sh; e2e.py hands the `ui`
scenarios to `run()` here. Standalone (inside with-desktop.sh):

    tests/app/ui_flows.py [ui-bad-input] [ui-dropbox] [ui-webdav] [ui-conflicts] [ui-blocked] [ui-versions]

All scenarios share one app (started by tauri-driver, which WebDriver then
drives: plain W3C HTTP calls) with a throwaway HOME and config, a loopback
`rclone serve webdav`, a fake OAuth server and a fake browser (`xdg-open` on
the app's PATH). ui-conflicts, ui-blocked and ui-versions use the folder that
ui-webdav adds through the form. Screenshots go to artifacts/ui-*.png; a
failure prints what the page showed and saves artifacts/ui-<name>-failure.png.

Nothing leaves 127.0.0.1: the app runs with HTTPS_PROXY pointing at a closed
loopback port, so that its best-effort Dropbox account lookup after the login
fails at once instead of reaching for the real API.
"""
import base64
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import http.client  # noqa: E402
import urllib.error  # noqa: E402

import e2e  # noqa: E402
from e2e import ARTIFACTS, APP, PY, RCLONE, Fail, free_port, log, wait_for  # noqa: E402
from fake_oauth import FakeOAuth  # noqa: E402

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
KEYRING_SERVICE = os.environ.get("WSYNC_KEYRING_SERVICE") or "workspace-sync"
PASSWORD = f"dav-pw-{os.getpid()}"
FOLDER = "docs"
REMOTE_DIR = "Docs"
SYNC_DONE = re.compile(rf"{FOLDER}: sync (ok|done|blocked|failed)")

# Files of the WebDAV folder: this computer's, and the server's before setup.
LOCAL_FILES = {
    "a.txt": "alpha\n",
    "b.txt": "bravo\n",
    "c1.txt": "one\nbase\n",
    "c2.txt": "two\nbase\n",
    "c3.txt": "three\nbase\n",
    "sub/d.md": "# delta\n",
    "same.txt": "on both sides already\n",
}
REMOTE_FILES = {"remote-only.txt": "from the server\n", "same.txt": "on both sides already\n"}


# ---------------------------------------------------------------- files --
def tree(root):
    """{relative path: text} of the files under root."""
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            p = os.path.join(dirpath, name)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = f.read().decode("utf-8", "replace")
    return out


def write(path, text, mtime=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return None


def secret(folder, key):
    p = subprocess.run(["secret-tool", "lookup", "service", KEYRING_SERVICE, "username", f"{folder}:{key}"],
                       capture_output=True, text=True, timeout=20)
    return p.stdout if p.returncode == 0 and p.stdout else None


# ------------------------------------------------------------ WebDriver --
class UI(e2e.WebDriver):
    """The window, through W3C WebDriver calls."""

    def call(self, method, path, body=None, timeout=60):
        # tauri-driver now and then forwards a command over a keep-alive
        # connection that WebKitWebDriver has just closed; it then drops
        # ours without an answer ("Connection reset by peer" / "connection
        # closed before message completed" in its log). Such a call is sent
        # again (every step below checks its outcome, so a repeat shows).
        for attempt in range(4):
            try:
                return super().call(method, path, body, timeout)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as e:
                if attempt == 3:
                    raise Fail(f"WebDriver {method} {path}: {e!r} (4 times)")
                time.sleep(0.5)
            except urllib.error.URLError as e:
                if attempt == 3 or not isinstance(e.reason, (ConnectionResetError, http.client.RemoteDisconnected)):
                    raise
                time.sleep(0.5)

    def el(self, css, timeout=20):
        return self.find(css, timeout)

    def els(self, css):
        v = self.s("POST", "/elements", {"using": "css selector", "value": css}, 15) or []
        return [list(x.values())[0] for x in v]

    def exists(self, css):
        return bool(self.els(css))

    def within(self, parent, css):
        v = self.s("POST", f"/element/{parent}/elements", {"using": "css selector", "value": css}, 15) or []
        return [list(x.values())[0] for x in v]

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)}, 30)

    def attr(self, el, name):
        return self.s("GET", f"/element/{el}/attribute/{name}", timeout=15)

    def prop(self, el, name):
        return self.s("GET", f"/element/{el}/property/{name}", timeout=15)

    def click(self, css, timeout=20):
        el = self.el(css, timeout)
        # Wait until it is enabled (buttons are disabled while busy).
        wait_for(f"{css} to be enabled", lambda: self.s("GET", f"/element/{el}/enabled", timeout=15), 30, 0.3)
        self.s("POST", f"/element/{el}/click", {}, 60)
        return el

    def type(self, css, text):
        """Replace the field's value by typing, as a person would."""
        el = self.el(css)
        self.s("POST", f"/element/{el}/click", {}, 30)
        # Select everything (Ctrl+A, released by the NULL key) and delete it, then type.
        self.s("POST", f"/element/{el}/value", {"text": "\ue009a\ue000\ue003"}, 30)
        if text:
            self.s("POST", f"/element/{el}/value", {"text": text}, 30)
        got = self.prop(el, "value")
        if got != text:
            raise Fail(f"typed {text!r} into {css} but it holds {got!r}")
        return el

    def choose(self, css, value):
        """Pick an option of a <select> by clicking it."""
        sel = self.el(css)
        opt = self.within(sel, f'option[value="{value}"]')
        if not opt:
            raise Fail(f"{css} has no option {value!r}")
        self.s("POST", f"/element/{opt[0]}/click", {}, 30)
        wait_for(f"{css} = {value!r}", lambda: self.prop(sel, "value") == value, 5)

    def text_of(self, css, timeout=20):
        return self.text(self.el(css, timeout))

    def page_text(self):
        try:
            return self.js("return document.body ? document.body.innerText : ''") or ""
        except Exception as e:  # noqa: BLE001
            return f"(no page text: {e})"

    def wait_text(self, css, pred, what, timeout=30):
        def check():
            els = self.els(css)
            if not els:
                return None
            t = self.text(els[0])
            return t if pred(t) else None
        return wait_for(what, check, timeout, 0.4)

    def shot(self, name, show=None):
        """Save a screenshot (evidence; a failure to take one is only logged),
        with the element `show` (CSS) scrolled into view."""
        if show:
            try:
                el = self.el(show, 5)
                self.js("arguments[0].scrollIntoView({block: 'center'})", {ELEMENT: el})
            except Exception as e:  # noqa: BLE001
                log(f"(cannot show {show}: {e})")
        os.makedirs(ARTIFACTS, exist_ok=True)
        path = os.path.join(ARTIFACTS, f"ui-{name}.png")
        for attempt in range(2):
            try:
                # WebKitWebDriver's snapshot waits for the view's next paint,
                # which a still page never makes: repaint it a few times (an
                # invisible change) while the screenshot is pending.
                self.js("const b = document.body; let n = 0;"
                        "const t = setInterval(() => { b.style.opacity = n % 2 ? '' : '0.999';"
                        " if (++n >= 40) { clearInterval(t); b.style.opacity = ''; } }, 100);")
                png = base64.b64decode(self.s("GET", "/screenshot", timeout=45))
                with open(path, "wb") as f:
                    f.write(png)
                log(f"screenshot: {path}")
                return path
            except Exception as e:  # noqa: BLE001
                err = e
        log(f"(no screenshot {path}: {err!r})")
        return None

    def nav(self, page):
        self.click(f'[data-testid="nav-{page}"]')
        wait_for(f"the {page} page", lambda: f"#/{page}" in (self.s("GET", "/url") or ""), 10)


# ------------------------------------------------------------ the world --
class UiWorld:
    """A throwaway HOME, config, WebDAV server, fake OAuth server and fake
    browser; the app under tauri-driver; one WebDriver session."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="wsync-app-ui-")
        self.home = os.path.join(self.dir, "home")
        self.bin = os.path.join(self.dir, "bin")
        self.local = os.path.join(self.home, "Docs")
        self.served = os.path.join(self.dir, "served")
        self.remote = os.path.join(self.served, REMOTE_DIR)
        for d in (self.home, self.bin, self.served):
            os.makedirs(d)
        for rel, text in LOCAL_FILES.items():
            write(os.path.join(self.local, rel), text)
        for rel, text in REMOTE_FILES.items():
            write(os.path.join(self.remote, rel), text)
        self.config = os.path.join(self.dir, "config.json")
        with open(self.config, "w") as f:
            json.dump({"version": 1, "folders": []}, f)
        self.port = free_port()
        self.procs = []
        self.webdav = self._spawn([RCLONE, "serve", "webdav", self.served, "--addr", f"127.0.0.1:{self.port}",
                                   "--user", "u", "--pass", PASSWORD, "--dir-cache-time", "10ms"], "webdav.log")
        wait_for("the WebDAV server", lambda: socket.create_connection(("127.0.0.1", self.port), 1).close() or True, 15)
        self.oauth = FakeOAuth()
        self.browser_log = os.path.join(self.dir, "browser.jsonl")
        fake = os.path.join(self.bin, "xdg-open")
        with open(fake, "w") as f:
            f.write(f"#!/bin/sh\nexec {PY} {shlex.quote(os.path.join(HERE, 'fake_oauth.py'))} \"$@\"\n")
        os.chmod(fake, 0o755)
        data = os.path.join(self.home, ".local/share")
        no_internet = f"http://127.0.0.1:{free_port()}"
        self.env = dict(os.environ)
        self.env.update({
            "HOME": self.home,
            "XDG_CONFIG_HOME": os.path.join(self.home, ".config"),
            "XDG_DATA_HOME": data,
            "XDG_STATE_HOME": os.path.join(self.home, ".local/state"),
            "XDG_CACHE_HOME": os.path.join(self.home, ".cache"),
            "WSYNC_CONFIG": self.config,
            "WSYNC_RCLONE": RCLONE,
            "WSYNC_KEYRING_SERVICE": KEYRING_SERVICE,
            # Local edits wait for "Sync now" (no watcher syncs mid-test).
            "WSYNC_QUIET_MS": "600000",
            "WSYNC_MAX_WAIT_MS": "600000",
            "WEBKIT_DISABLE_COMPOSITING_MODE": "1",
            "PATH": self.bin + os.pathsep + os.environ.get("PATH", ""),
            "BROWSER": fake,
            "WSYNC_TEST_BROWSER_LOG": self.browser_log,
            # Anything bound for the internet dies at a closed loopback port.
            "HTTPS_PROXY": no_internet,
            "https_proxy": no_internet,
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        })
        self.versions = os.path.join(data, "workspace-sync/versions")
        self.log_path = os.path.join(self.home, ".local/state/workspace-sync/logs/app.log")
        self.driver = None
        self.ui = None
        self.state = {}

    def _spawn(self, cmd, logname):
        p = subprocess.Popen(cmd, env=getattr(self, "env", None), stdout=open(os.path.join(self.dir, logname), "w"),
                             stderr=subprocess.STDOUT)
        self.procs.append(p)
        return p

    def app_log(self):
        return read(self.log_path) or ""

    def config_text(self):
        return read(self.config) or ""

    def start(self):
        port, native = free_port(), free_port()
        self.driver = self._spawn([e2e.tauri_driver_bin(), "--port", str(port), "--native-port", str(native)], "tauri-driver.log")
        self.ui = UI(port)
        wait_for("tauri-driver", lambda: socket.create_connection(("127.0.0.1", port), 1).close() or True, 15)
        # tauri-driver starts the app; with no folder configured it opens its
        # window on the setup page, and the session attaches to that.
        value = self.ui.call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "tauri:options": {"application": os.path.realpath(APP)}}}}, timeout=150)
        self.ui.sid = value["sessionId"]
        log(f"WebDriver session {self.ui.sid} attached to the window of {APP}")
        self.ui.el('[data-testid="provider-webdav"]', 60)

    def app_pid(self):
        if not self.driver:
            return None
        real = os.path.realpath(APP)
        for pid in e2e.descendants(self.driver.pid):
            try:
                if os.path.realpath(f"/proc/{pid}/exe") == real:
                    return pid
            except OSError:
                pass
        return None

    def stop(self):
        pid = self.app_pid()
        if self.ui and self.ui.sid:
            try:
                e2e.click("Quit")
                if pid:
                    wait_for("the app to quit", lambda: not os.path.exists(f"/proc/{pid}") or e2e.comm(pid) == "", 30)
            except Exception as e:  # noqa: BLE001
                log(f"(Quit from the tray: {e})")
            try:
                self.ui.call("DELETE", f"/session/{self.ui.sid}", timeout=20)
            except Exception:  # noqa: BLE001
                pass
        pid = self.app_pid()
        if pid:
            os.kill(pid, signal.SIGTERM)
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(5)
        self.oauth.stop()

    def dump(self, name):
        print("---- page text ----")
        print(self.ui.page_text()[:2000] if self.ui and self.ui.sid else "(no window)")
        if self.ui and self.ui.sid:
            try:
                self.ui.shot(f"{name.removeprefix('ui-')}-failure")
            except Exception as e:  # noqa: BLE001
                print(f"(no screenshot: {e})")
        print("---- app log (tail) ----")
        print("\n".join(self.app_log().splitlines()[-30:]))

    # -- the WebDAV folder's two sides --
    def sides_equal(self):
        a, b = tree(self.local), tree(self.remote)
        return a == b and a

    def wait_sides_equal(self, what, timeout=45):
        def check():
            return self.sides_equal()
        try:
            return wait_for(what, check, timeout, 0.5)
        except Fail:
            a, b = tree(self.local), tree(self.remote)
            raise Fail(f"{what}: the two sides differ after {timeout} s:\n  local  {sorted(a.items())}\n  server {sorted(b.items())}")


# ------------------------------------------------------------- helpers --
def folder_state(ui, folder=FOLDER):
    els = ui.els(f'[data-testid="folder-state-{folder}"]')
    return ui.text(els[0]) if els else None


def wait_state(ui, want, what, timeout=60, folder=FOLDER):
    """Wait until the folder's state on the status page satisfies `want`."""
    seen = []

    def check():
        s = folder_state(ui, folder) or ""
        if not seen or seen[-1] != s:
            seen.append(s)
        return s if want(s) else None
    try:
        return wait_for(f"the folder state {what}", check, timeout, 0.5)
    except Fail:
        raise Fail(f"the folder's state never became {what} in {timeout} s (seen: {seen})")


def sync_now(w):
    ui = w.ui
    if "#/status" not in (ui.s("GET", "/url") or ""):
        ui.nav("status")
    runs = len(SYNC_DONE.findall(w.app_log()))
    ui.click(f'[data-testid="sync-now-{FOLDER}"]')
    log("clicked Sync now")
    # The run's end shows in the app's log (ok, conflicts, blocked, failed).
    wait_for("the sync to end", lambda: len(SYNC_DONE.findall(w.app_log())) > runs, 90, 0.5)


def check_config_and_keychain(w, before, folder_id):
    if w.config_text() != before:
        raise Fail(f"the config changed:\n{w.config_text()}")
    for key in ("password", "token", "clientSecret"):
        if secret(folder_id, key):
            raise Fail(f"the keychain holds {folder_id}:{key}")


def error_text(ui, testid, what, timeout=60):
    t = ui.wait_text(f'[data-testid="{testid}"]', lambda s: s.strip() != "", what, timeout)
    log(f"{what}: {t!r}")
    return t


# ------------------------------------------------------------ scenarios --
def ui_bad_input(w):
    """6. Bad input in the setup form: inline messages, nothing saved."""
    ui = w.ui
    before = w.config_text()
    ui.click('[data-testid="provider-webdav"]')
    ui.el('[data-testid="field-url"]')
    # Empty required fields.
    ui.click('[data-testid="test-connection"]')
    for key in ("localPath", "url"):
        t = ui.text_of(f'[data-testid="field-error-{key}"]', 10)
        log(f"empty {key}: {t!r}")
    ui.click('[data-testid="preview-first-sync"]')
    log(f"empty remote folder: {ui.text_of('[data-testid=field-error-remotePath]', 10)!r}")
    ui.shot("bad-empty-fields", '[data-testid="field-error-url"]')

    ok_dir = os.path.join(w.dir, "bad-local")
    os.makedirs(ok_dir)
    ui.type('[data-testid="field-localPath"]', ok_dir)
    ui.type('[data-testid="field-id"]', "bad")
    ui.choose('[data-testid="field-vendor"]', "other")
    ui.type('[data-testid="field-user"]', "u")
    ui.type('[data-testid="field-password"]', PASSWORD)
    if ui.exists('[data-testid="field-error-localPath"]'):
        raise Fail("the local folder's message stayed after typing one")

    # An address that is not a URL: caught in the form.
    ui.type('[data-testid="field-url"]', "not a url")
    ui.click('[data-testid="test-connection"]')
    log(f"bad address: {ui.text_of('[data-testid=field-error-url]', 10)!r}")

    # Unreachable: a closed port on 127.0.0.1.
    ui.type('[data-testid="field-url"]', f"http://127.0.0.1:{free_port()}")
    ui.click('[data-testid="test-connection"]')
    error_text(ui, "account-error", "unreachable server")
    ui.shot("bad-unreachable", '[data-testid="account-error"]')

    # Wrong password.
    ui.type('[data-testid="field-url"]', f"http://127.0.0.1:{w.port}")
    ui.type('[data-testid="field-password"]', "wrong-password")
    ui.click('[data-testid="test-connection"]')
    t = error_text(ui, "account-error", "wrong password")
    if "Connected to" in ui.page_text():
        raise Fail("the form says it connected with a wrong password")
    ui.shot("bad-wrong-password", '[data-testid="account-error"]')

    # A relative local path: refused by the app.
    ui.type('[data-testid="field-password"]', PASSWORD)
    ui.type('[data-testid="field-localPath"]', "relative/folder")
    ui.click('[data-testid="test-connection"]')
    t = error_text(ui, "account-error", "relative local path")
    if "relative" not in t:
        raise Fail(f"the message does not say the path is relative: {t!r}")

    # A local path that does not exist and cannot be made (beneath a file).
    blocker = os.path.join(w.dir, "a-file.txt")
    write(blocker, "a file, not a folder\n")
    missing = os.path.join(blocker, "Sync")
    ui.type('[data-testid="field-localPath"]', missing)
    ui.type('[data-testid="field-id"]', "bad")
    ui.click('[data-testid="test-connection"]')
    wait_for("the connection to be accepted", lambda: "Connected to WebDAV" in ui.page_text() or ui.exists('[data-testid="account-error"]'), 60)
    if ui.exists('[data-testid="account-error"]'):
        raise Fail(f"the good server was refused: {ui.text_of('[data-testid=account-error]')!r}")
    ui.type('[data-testid="field-remotePath"]', "Bad")
    ui.click('[data-testid="preview-first-sync"]')
    wait_for("the preview or its error",
             lambda: ui.exists('[data-testid="start-syncing"]') or ui.exists('[data-testid="preview-error"]'), 60)
    if ui.exists('[data-testid="start-syncing"]'):
        log(f"preview of the missing folder: {ui.text_of('[data-testid=first-sync-text]')!r}")
        ui.click('[data-testid="start-syncing"]')
        error_text(ui, "start-error", "a local folder that cannot be made")
    else:
        error_text(ui, "preview-error", "a local folder that cannot be made")
    ui.shot("bad-local-folder", '[data-testid="start-error"], [data-testid="preview-error"]')
    if "#/setup" not in (ui.s("GET", "/url") or "") and not ui.exists('[data-testid="field-url"]'):
        raise Fail("the form went away after the failed start")
    check_config_and_keychain(w, before, "bad")
    log("nothing was saved: the config is unchanged and the keychain has no entry for \"bad\"")


def ui_dropbox(w):
    """2. A Dropbox folder's login through the browser, against a fake OAuth server."""
    ui = w.ui
    before = w.config_text()
    ui.nav("setup")
    ui.click('[data-testid="provider-dropbox"]')
    for key in ("authUrl", "tokenUrl", "clientId"):
        ui.el(f'[data-testid="field-{key}"]', 10)
    ui.type('[data-testid="field-localPath"]', os.path.join(w.home, "Dropbox"))
    ui.type('[data-testid="field-id"]', "dbx")
    ui.type('[data-testid="field-clientId"]', "fake-client")
    ui.type('[data-testid="field-authUrl"]', w.oauth.auth_url)
    ui.type('[data-testid="field-tokenUrl"]', w.oauth.token_url)
    # rclone authorize listens on the fixed port 53682; wait while another test holds it.
    def port_free():
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", 53682))
                return True
            except OSError:
                return False
    wait_for("port 53682 to be free", port_free, 120, 1)
    ui.click('[data-testid="login-oauth"]')
    log("clicked Log in with Dropbox")
    wait_for("the login to finish", lambda: "Logged in to Dropbox" in ui.page_text() or ui.exists('[data-testid="account-error"]'), 90, 0.5)
    if ui.exists('[data-testid="account-error"]'):
        raise Fail(f"the login failed: {ui.text_of('[data-testid=account-error]')!r}; browser: {read(w.browser_log)!r}")
    ui.shot("dropbox-logged-in", '[data-testid="login-oauth"]')
    visits = [json.loads(l) for l in (read(w.browser_log) or "").splitlines() if l.strip()]
    if not visits:
        raise Fail("the app did not open the browser")
    v = visits[-1]
    log(f"browser: {v['url'].split('?')[0]} -> {[h.split('?')[0] for h in v['hops']]}, status {v.get('status')}")
    if not v["url"].startswith("http://127.0.0.1:53682/auth"):
        raise Fail(f"the browser was sent to {v['url']}")
    if "error" in v:
        raise Fail(f"the browser step failed: {v['error']}")
    log(f"fake OAuth server: {w.oauth.requests}")
    if "GET /authorize client_id=fake-client" not in w.oauth.requests:
        raise Fail("the authorization request did not carry the client id typed in the form")
    if "POST /token grant_type=authorization_code" not in w.oauth.requests:
        raise Fail("the code was never exchanged for a token")
    tok = secret("dbx", "token")
    if not tok or not w.oauth.access_tokens or w.oauth.access_tokens[-1] not in tok:
        raise Fail(f"the keychain's dbx:token is {tok!r}, not the fake access token {w.oauth.access_tokens}")
    log(f"keychain {KEYRING_SERVICE} dbx:token holds {w.oauth.access_tokens[-1]}")
    if w.config_text() != before:
        raise Fail("the login changed the config before Start syncing")
    if any(o in w.app_log() for o in ("dropbox: sync", "dbx: sync")):
        raise Fail("a sync of the Dropbox folder ran")


def ui_webdav(w):
    """1. A WebDAV folder through the setup form, first sync included."""
    ui = w.ui
    ui.nav("setup")
    ui.click('[data-testid="provider-webdav"]')
    ui.type('[data-testid="field-localPath"]', w.local)
    ui.type('[data-testid="field-id"]', FOLDER)
    ui.type('[data-testid="field-url"]', f"http://127.0.0.1:{w.port}")
    ui.choose('[data-testid="field-vendor"]', "other")
    ui.type('[data-testid="field-user"]', "u")
    ui.type('[data-testid="field-password"]', PASSWORD)
    ui.click('[data-testid="test-connection"]')
    wait_for("the connection test", lambda: "Connected to WebDAV" in ui.page_text() or ui.exists('[data-testid="account-error"]'), 60)
    if ui.exists('[data-testid="account-error"]'):
        raise Fail(f"Test connection failed: {ui.text_of('[data-testid=account-error]')!r}")
    log("Test connection: " + next(l for l in ui.page_text().splitlines() if "Connected to WebDAV" in l))
    # The remote folder: browse to it, as a person would.
    ui.click('[data-testid="browse-remote"]')
    ui.el('[data-testid="remote-browser"]')
    entry = wait_for(f"{REMOTE_DIR} in the folder browser",
                     lambda: [e for e in ui.els('[data-testid="remote-browser"] button.entry') if ui.text(e).strip() == REMOTE_DIR], 30)
    ui.s("POST", f"/element/{entry[0]}/click", {}, 30)
    ui.wait_text('[data-testid="use-remote-folder"]', lambda t: REMOTE_DIR in t, "the browser to open the folder", 30)
    ui.click('[data-testid="use-remote-folder"]')
    wait_for("the remote folder field", lambda: ui.prop(ui.el('[data-testid="field-remotePath"]'), "value") == REMOTE_DIR, 10)
    ui.click('[data-testid="policy-newer"]')
    ui.click('[data-testid="policy-ask"]')
    ui.choose('[data-testid="field-interval"]', "0")
    ui.click('[data-testid="preview-first-sync"]')
    t = ui.wait_text('[data-testid="first-sync-text"]', lambda s: s.strip() != "", "the first-sync preview", 60)
    log(f"preview: {t!r}")
    want = "The first sync will copy 1 file to this computer and 6 to the cloud; no file differs on both sides."
    if t.strip() != want:
        raise Fail(f"the preview says {t!r}, expected {want!r}")
    ui.shot("webdav-preview", '[data-testid="first-sync-text"]')
    if tree(w.remote) != REMOTE_FILES:
        raise Fail("the preview changed the server's files")
    ui.click('[data-testid="start-syncing"]')
    ui.el(f'[data-testid="folder-card-{FOLDER}"]', 30)
    wait_state(ui, lambda s: s == "In sync", "In sync", 90)
    ui.shot("webdav-synced")
    # The password is in the keychain, not in the config.
    if secret(FOLDER, "password") != PASSWORD:
        raise Fail(f"the keychain's {FOLDER}:password is {secret(FOLDER, 'password')!r}")
    text = w.config_text()
    cfg = json.loads(text)
    f = [x for x in cfg["folders"] if x["id"] == FOLDER]
    if not f or PASSWORD in text or "password" in f[0].get("webdav", {}):
        raise Fail(f"the config holds the password or lacks the folder: {text}")
    log(f"config: {json.dumps(f[0])}")
    log(f"keychain {KEYRING_SERVICE} {FOLDER}:password holds the password; the config does not")
    w.wait_sides_equal("the first sync")
    for rel, content in {**LOCAL_FILES, **REMOTE_FILES}.items():
        if read(os.path.join(w.remote, rel)) != content or read(os.path.join(w.local, rel)) != content:
            raise Fail(f"{rel} is not on both sides after the first sync")
    log(f"first sync: both sides hold the same {len(tree(w.local))} files")
    w.state["webdav"] = True


def need_webdav(w):
    if not w.state.get("webdav"):
        raise Fail("needs the folder that ui-webdav adds (it did not pass)")


def ui_conflicts(w):
    """3. Three conflicts, settled with each of the three choices."""
    need_webdav(w)
    ui = w.ui
    now = time.time()
    edits = {  # path: (this computer's text, the server's text, which is newer)
        "c1.txt": ("one\nedited on this computer\n", "one\nedited on the server, longer\n", "local"),
        "c2.txt": ("two\nedited here\n", "two\nedited on the server\nwith a second line\n", "remote"),
        "c3.txt": ("three\nmine\n", "three\ntheirs, on the server\n", "local"),
    }
    for rel, (mine, theirs, newer) in edits.items():
        write(os.path.join(w.remote, rel), theirs, now - (120 if newer == "local" else 0))
        write(os.path.join(w.local, rel), mine, now - (120 if newer == "remote" else 0))
    sync_now(w)
    wait_state(ui, lambda s: s == "3 conflicts", "3 conflicts", 60)
    ui.wait_text(f'[data-testid="banner-{FOLDER}"]', lambda t: "Resolve 3 conflicts" in t, "the conflicts banner", 10)
    link = ui.within(ui.el(f'[data-testid="banner-{FOLDER}"]'), "a")
    ui.s("POST", f"/element/{link[0]}/click", {}, 30)
    wait_for("the conflicts page", lambda: f"#/conflicts/{FOLDER}" in (ui.s("GET", "/url") or ""), 10)
    cards = wait_for("three conflict cards", lambda: len(ui.els("article.conflict")) == 3 and ui.els("article.conflict"), 30)
    ids = {}
    for c in cards:
        tid = ui.attr(c, "data-testid")
        path = ui.text(ui.within(c, "h2")[0]).strip()
        ids[path] = tid.split("-", 1)[1]
    if sorted(ids) != sorted(edits):
        raise Fail(f"the conflict cards are for {sorted(ids)}")
    for rel, (mine, theirs, newer) in edits.items():
        cid = ids[rel]
        wait_for(f"the diff of {rel}", lambda: ui.within(ui.el(f'[data-testid="conflict-{cid}"]'), '[data-testid="diff"]'), 30)
        local_side = ui.text_of(f'[data-testid="side-local-{cid}"]')
        remote_side = ui.text_of(f'[data-testid="side-remote-{cid}"]')
        if not local_side.startswith("This computer") or not remote_side.startswith("WebDAV"):
            raise Fail(f"{rel}: the cards are {local_side.splitlines()[0]!r} and {remote_side.splitlines()[0]!r}")
        marked = "local" if "newer" in local_side.splitlines()[0] else "remote" if "newer" in remote_side.splitlines()[0] else None
        if marked != newer:
            raise Fail(f"{rel}: the {marked} card is marked newer, expected the {newer} one")
        diff_el = ui.within(ui.el(f'[data-testid="conflict-{cid}"]'), '[data-testid="diff"]')[0]
        rows = ui.js("return Array.from(arguments[0].querySelectorAll('.line')).map(d => [d.className, d.textContent])",
                     {ELEMENT: diff_el})
        dels = [t for c, t in rows if "del" in c.split()]
        adds = [t for c, t in rows if "add" in c.split()]
        want_del = [f"−{l}" for l in mine.splitlines() if l not in theirs.splitlines()]
        want_add = [f"+{l}" for l in theirs.splitlines() if l not in mine.splitlines()]
        if dels != want_del or adds != want_add:
            raise Fail(f"{rel}: the diff shows − {dels} / + {adds}, expected − {want_del} / + {want_add}")
        log(f"{rel}: cards 'This computer' / 'WebDAV', {newer} marked newer, diff {len(dels)} − / {len(adds)} +")
    ui.shot("conflicts")

    def settle(rel, keep):
        cid = ids[rel]
        ui.click(f'[data-testid="keep-{keep}-{cid}"]')
        wait_for(f"the {rel} card to go", lambda: not ui.exists(f'[data-testid="conflict-{cid}"]'), 60)
        ui.wait_text(".notice", lambda t: rel in t, "the notice", 10)

    # Keep this computer's.
    settle("c1.txt", "local")
    w.wait_sides_equal("c1.txt kept from this computer")
    if read(os.path.join(w.local, "c1.txt")) != edits["c1.txt"][0] or any(p.startswith("c1.conflict") for p in tree(w.local)):
        raise Fail(f"c1.txt: {read(os.path.join(w.local, 'c1.txt'))!r}; files {sorted(tree(w.local))}")
    log("Keep this computer's: c1.txt holds this computer's text on both sides, no copy left")
    # Keep WebDAV's.
    settle("c2.txt", "remote")
    w.wait_sides_equal("c2.txt kept from the server")
    if read(os.path.join(w.remote, "c2.txt")) != edits["c2.txt"][1] or any(p.startswith("c2.conflict") for p in tree(w.local)):
        raise Fail(f"c2.txt: {read(os.path.join(w.remote, 'c2.txt'))!r}; files {sorted(tree(w.local))}")
    log("Keep WebDAV's: c2.txt holds the server's text on both sides, no copy left")
    # Keep both.
    settle("c3.txt", "both")
    w.wait_sides_equal("c3.txt with both kept")
    copies = [p for p in tree(w.local) if p.startswith("c3.conflict")]
    if read(os.path.join(w.local, "c3.txt")) != edits["c3.txt"][0] or len(copies) != 1 \
            or read(os.path.join(w.remote, copies[0])) != edits["c3.txt"][1]:
        raise Fail(f"c3.txt: {read(os.path.join(w.local, 'c3.txt'))!r}; copies {copies}")
    log(f"Keep both: c3.txt holds this computer's text, {copies[0]} the server's, on both sides")
    ui.wait_text("main", lambda t: f"No conflicts in {FOLDER}" in t, "the empty conflicts page", 20)
    ui.shot("conflicts-resolved")


def ui_blocked(w):
    """4. The server's folder emptied: blocked, then the deletions confirmed."""
    need_webdav(w)
    ui = w.ui
    ui.nav("status")
    wait_state(ui, lambda s: s == "In sync", "In sync", 60)
    before = tree(w.local)
    for name in os.listdir(w.remote):
        p = os.path.join(w.remote, name)
        shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
    sync_now(w)
    wait_state(ui, lambda s: s.startswith("Blocked"), "Blocked", 60)
    if tree(w.local) != before:
        raise Fail("local files changed while the folder was blocked")
    banner = ui.text_of(f'[data-testid="banner-{FOLDER}"]')
    log(f"banner: {' '.join(banner.split())!r}")
    link = ui.within(ui.el(f'[data-testid="banner-{FOLDER}"]'), "a")
    ui.s("POST", f"/element/{link[0]}/click", {}, 30)
    wait_for("the blocked page", lambda: "#/blocked" in (ui.s("GET", "/url") or ""), 10)
    log(f"blocked: {ui.text_of('[data-testid=blocked-message]')!r} / {ui.text_of('[data-testid=blocked-count]')!r}")
    ui.shot("blocked")
    ui.click('[data-testid="confirm-deletes"]')
    ui.el('[data-testid="confirm-deletes-dialog"]', 10)
    ui.click('[data-testid="confirm-deletes-dialog-confirm"]')
    wait_for("the local files to go", lambda: not tree(w.local), 60, 0.5)
    wait_for("the status page", lambda: "#/status" in (ui.s("GET", "/url") or ""), 20)
    wait_state(ui, lambda s: s == "In sync", "In sync", 60)
    ui.shot("blocked-confirmed")
    kept = {}
    root = os.path.join(w.versions, FOLDER)
    for run_dir in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        for rel, text in tree(os.path.join(root, run_dir)).items():
            kept.setdefault(rel, []).append(text)
    missing = [rel for rel, text in before.items() if text not in kept.get(rel, [])]
    if missing:
        raise Fail(f"not in the kept versions under {root}: {missing} (kept: {sorted(kept)})")
    log(f"the {len(before)} deleted files are kept under {root}")


def ui_versions(w):
    """5. A kept version restored from the Versions page, then synced."""
    need_webdav(w)
    ui = w.ui
    ui.nav("versions")
    rows = wait_for("the kept versions", lambda: ui.els('[data-testid^="version-"]'), 30)
    target = None
    for r in rows:
        if ui.text(ui.within(r, ".path")[0]).strip() == "a.txt":
            target = ui.attr(r, "data-testid").split("-", 1)[1]
            break
    if target is None:
        raise Fail("a.txt is not among the kept versions")
    ui.shot("versions")
    ui.click(f'[data-testid="restore-{target}"]')
    ui.wait_text(".notice", lambda t: "a.txt is back" in t, "the restored notice", 20)
    wait_for("a.txt on this computer", lambda: read(os.path.join(w.local, "a.txt")) == LOCAL_FILES["a.txt"], 10)
    log("a.txt is back on this computer")
    ui.shot("versions-restored")
    sync_now(w)
    wait_for("a.txt on the server", lambda: read(os.path.join(w.remote, "a.txt")) == LOCAL_FILES["a.txt"], 60, 0.5)
    log("after Sync now a.txt is on the server again")


SCENARIOS = [
    ("ui-bad-input", ui_bad_input),
    ("ui-dropbox", ui_dropbox),
    ("ui-webdav", ui_webdav),
    ("ui-conflicts", ui_conflicts),
    ("ui-blocked", ui_blocked),
    ("ui-versions", ui_versions),
]

NEEDS = {"ui-conflicts": ["ui-webdav"], "ui-blocked": ["ui-webdav"], "ui-versions": ["ui-webdav", "ui-blocked"]}


def run(names=None):
    """Run the scenarios (all, or those named) in one app; print one
    PASS/FAIL line each; return (passed, failed)."""
    if names:
        # Later flows use the folder (and the kept versions) of earlier ones.
        names = set(names)
        for n in list(names):
            names.update(NEEDS.get(n, []))
    chosen = [(n, f) for n, f in SCENARIOS if not names or n in names]
    passed = failed = 0
    w = None
    try:
        w = UiWorld()
        t0 = time.time()
        w.start()
        log(f"app and window up in {time.time() - t0:.0f} s")
    except Exception as e:  # noqa: BLE001
        if not isinstance(e, Fail):
            traceback.print_exc()
        if w:
            w.dump("start")
            w.stop()
        for n, _ in chosen:
            print(f"FAIL {n}: the app did not start: {e}", flush=True)
        return 0, len(chosen)
    try:
        for name, fn in chosen:
            print(f"=== {name}", flush=True)
            t0 = time.time()
            try:
                fn(w)
                passed += 1
                print(f"PASS {name} ({time.time() - t0:.0f} s)", flush=True)
            except Exception as e:  # noqa: BLE001
                failed += 1
                if not isinstance(e, Fail):
                    traceback.print_exc()
                w.dump(name)
                print(f"FAIL {name} ({time.time() - t0:.0f} s): {e}", flush=True)
    finally:
        w.stop()
        if failed == 0:
            shutil.rmtree(w.dir, ignore_errors=True)
        else:
            log(f"kept {w.dir} (app log, tauri-driver.log, webdav.log, browser.jsonl)")
    return passed, failed


def main():
    names = sys.argv[1:] or None
    unknown = [n for n in names or [] if n not in dict(SCENARIOS)]
    if unknown:
        print(f"unknown scenario(s): {unknown}; known: {[n for n, _ in SCENARIOS]}", file=sys.stderr)
        return 2
    p, f = run(names)
    print(f"app: {p} passed, {f} failed", flush=True)
    return 1 if f else 0


if __name__ == "__main__":
    sys.exit(main())
