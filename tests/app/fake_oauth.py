#!/usr/bin/python3
"""A fake OAuth 2.0 provider on 127.0.0.1, and a fake browser, for the app's
"Log in with Dropbox" end-to-end test (tests/app/ui_flows.py).

As a module: `FakeOAuth()` serves, on a free loopback port,
  - GET /authorize?redirect_uri=..&state=..  -> 302 to {redirect_uri}?code=..&state=..
  - POST /token (form; authorization_code or refresh_token grant)
      -> 200 {"access_token","token_type","refresh_token","expires_in"}
and records every request (`.requests`, `.access_tokens`).

As a script (installed by the test as `xdg-open` on the app's PATH, and as
$BROWSER): `fake_oauth.py URL` plays the person's browser: it GETs URL and
follows the redirects (rclone's /auth page -> /authorize -> rclone's
http://localhost:53682/ callback), refusing any hop that leaves the loopback
interface, and appends one JSON line to $WSYNC_TEST_BROWSER_LOG.
"""
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class FakeOAuth:
    def __init__(self, expires_in=14400):
        self.expires_in = expires_in
        self.requests = []
        self.access_tokens = []
        self._n = 0
        self._codes = set()
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):  # quiet
                pass

            def _send(self, status, body=b"", headers=()):
                self.send_response(status)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                path, _, query = self.path.partition("?")
                q = dict(urllib.parse.parse_qsl(query))
                owner._record(f"GET {path} client_id={q.get('client_id', '')}")
                if path != "/authorize" or "redirect_uri" not in q:
                    return self._send(400, b'{"error":"invalid_request"}', [("Content-Type", "application/json")])
                code = owner._new("code")
                with owner._lock:
                    owner._codes.add(code)
                uri = q["redirect_uri"]
                sep = "&" if "?" in uri else "?"
                loc = f"{uri}{sep}code={urllib.parse.quote(code)}&state={urllib.parse.quote(q.get('state', ''))}"
                self._send(302, b"", [("Location", loc)])

            def do_POST(self):
                path = self.path.partition("?")[0]
                n = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(n).decode()))
                grant = form.get("grant_type", "")
                owner._record(f"POST {path} grant_type={grant}")
                ok = path == "/token" and (
                    (grant == "authorization_code" and owner._take_code(form.get("code", "")))
                    or (grant == "refresh_token" and form.get("refresh_token", "").startswith("fake-refresh-"))
                )
                if not ok:
                    return self._send(400, b'{"error":"invalid_grant"}', [("Content-Type", "application/json")])
                access = owner._new("fake-access")
                with owner._lock:
                    owner.access_tokens.append(access)
                body = json.dumps({"access_token": access, "token_type": "bearer",
                                   "refresh_token": owner._new("fake-refresh"), "expires_in": owner.expires_in}).encode()
                self._send(200, body, [("Content-Type", "application/json")])

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        self.thread.start()

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def auth_url(self):
        return self.base + "/authorize"

    @property
    def token_url(self):
        return self.base + "/token"

    def _new(self, prefix):
        with self._lock:
            self._n += 1
            return f"{prefix}-{os.getpid()}-{self._n}"

    def _take_code(self, code):
        with self._lock:
            if code in self._codes:
                self._codes.discard(code)
                return True
            return False

    def _record(self, line):
        with self._lock:
            self.requests.append(line)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


class _Hops(urllib.request.HTTPRedirectHandler):
    def __init__(self, hops):
        self.hops = hops

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        host = urllib.parse.urlsplit(newurl).hostname or ""
        if host not in LOOPBACK:
            raise urllib.error.URLError(f"refusing to leave the loopback interface: {newurl}")
        self.hops.append(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def browse(url, timeout=60):
    """GET `url` following loopback-only redirects; return a record of it."""
    rec = {"url": url, "hops": [], "time": time.time()}
    host = urllib.parse.urlsplit(url).hostname or ""
    if host not in LOOPBACK:
        rec["error"] = "not a loopback URL"
        return rec
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _Hops(rec["hops"]))
    try:
        with opener.open(url, timeout=timeout) as r:
            rec["status"] = r.status
            rec["body"] = r.read(400).decode("utf-8", "replace")
    except Exception as e:  # noqa: BLE001 - recorded for the test to report
        cause = getattr(e, "reason", e)
        reached_callback = any(urllib.parse.urlsplit(h).port == 53682 for h in rec["hops"])
        if reached_callback and isinstance(cause, (ConnectionError, http.client.HTTPException)):
            # rclone may stop its callback server as soon as it has the code,
            # cutting off the page it was sending; the login itself went on
            # (the tests check the token in the keychain).
            rec["note"] = f"the callback page was cut off after the code was delivered ({type(cause).__name__})"
        else:
            rec["error"] = f"{type(e).__name__}: {e}"
    return rec


def main(argv):
    if len(argv) < 2:
        print("usage: fake_oauth.py URL", file=sys.stderr)
        return 2
    rec = browse(argv[1])
    out = os.environ.get("WSYNC_TEST_BROWSER_LOG")
    if out:
        with open(out, "a") as f:
            f.write(json.dumps(rec) + "\n")
    return 0 if "error" not in rec else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
