#!/usr/bin/python3
"""A freedesktop notification server for tests (org.freedesktop.Notifications).

Owns org.freedesktop.Notifications on the session bus and shows nothing. Every
Notify call is appended as one JSON line to $WSYNC_DESKTOP_DIR/notifications.jsonl
(or --log):

    {"id": 1, "app_name": "workspace-sync", "summary": "...", "body": "...",
     "actions": [{"key": "resolve", "label": "Resolve"}], "hints": ["urgency"],
     "hint_values": {"urgency": 1}, "replaces_id": 0, "app_icon": "",
     "expire_timeout": -1, "time": "2026-11-25T13:05:01.123Z"}

"hints" lists the hint keys only; "hint_values" holds the hints whose values are
plain strings, booleans or numbers (image data and the like are left out).

Closing and actions go to $WSYNC_DESKTOP_DIR/notification-events.jsonl:
    {"event": "closed", "id": 1, "reason": 3, "time": ...}   (reason: 1 expired,
        2 dismissed, 3 closed by CloseNotification, 4 undefined/replaced)
    {"event": "action_invoked", "id": 1, "action_key": "resolve", "time": ...}

Test hooks, on the same connection (so the signals come from the owner of
org.freedesktop.Notifications, as notify-rust/libnotify expect), object path
/org/freedesktop/Notifications, interface org.wsync.Test:
    InvokeAction(u id, s action_key)  emits ActionInvoked(id, key), then
                                      NotificationClosed(id, 2)
    Dismiss(u id)                     emits NotificationClosed(id, 2)
InvokeAction fails (org.wsync.Test.Error.*) if the id is unknown or already
closed, or if the notification did not offer that action key.

Notifications with expire_timeout > 0 close themselves (reason 1) after that
many ms, like a real server; -1 and 0 never expire (capability "persistence").

Needs Debian's python3-gi (run with /usr/bin/python3). Exits 1 if the name is
already owned; exits 0 when the bus goes away.
"""
import argparse
import datetime
import json
import os
import signal
import sys

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
IFACE = "org.freedesktop.Notifications"
TEST_IFACE = "org.wsync.Test"
CAPABILITIES = ["actions", "body", "persistence"]
SERVER_INFO = ("wsync-test-notifications", "workspace-sync", "1.0", "1.2")

XML = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="GetCapabilities">
      <arg name="capabilities" type="as" direction="out"/>
    </method>
    <method name="Notify">
      <arg name="app_name" type="s" direction="in"/>
      <arg name="replaces_id" type="u" direction="in"/>
      <arg name="app_icon" type="s" direction="in"/>
      <arg name="summary" type="s" direction="in"/>
      <arg name="body" type="s" direction="in"/>
      <arg name="actions" type="as" direction="in"/>
      <arg name="hints" type="a{sv}" direction="in"/>
      <arg name="expire_timeout" type="i" direction="in"/>
      <arg name="id" type="u" direction="out"/>
    </method>
    <method name="CloseNotification">
      <arg name="id" type="u" direction="in"/>
    </method>
    <method name="GetServerInformation">
      <arg name="name" type="s" direction="out"/>
      <arg name="vendor" type="s" direction="out"/>
      <arg name="version" type="s" direction="out"/>
      <arg name="spec_version" type="s" direction="out"/>
    </method>
    <signal name="NotificationClosed">
      <arg name="id" type="u"/>
      <arg name="reason" type="u"/>
    </signal>
    <signal name="ActionInvoked">
      <arg name="id" type="u"/>
      <arg name="action_key" type="s"/>
    </signal>
  </interface>
  <interface name="org.wsync.Test">
    <method name="InvokeAction">
      <arg name="id" type="u" direction="in"/>
      <arg name="action_key" type="s" direction="in"/>
    </method>
    <method name="Dismiss">
      <arg name="id" type="u" direction="in"/>
    </method>
  </interface>
</node>
"""


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def log(msg):
    print(f"notify_server: {msg}", file=sys.stderr, flush=True)


def plain(value):
    """A hint value as JSON if it is a plain scalar, else None."""
    if isinstance(value, (bool, int, float, str)):
        return value
    return None


class TestError(Exception):
    def __init__(self, name, msg):
        super().__init__(msg)
        self.name = name


class Server:
    def __init__(self, conn, log_path, events_path):
        self.conn = conn
        self.log_path = log_path
        self.events_path = events_path
        self.next_id = 1
        self.open = {}  # id -> {"actions": [keys], "timer": source id or 0}
        for p in (log_path, events_path):
            if p:
                open(p, "w").close()  # each server run starts from an empty log

    def append(self, path, record):
        if not path:
            return
        with open(path, "a") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            f.flush()

    def emit(self, name, fmt, args):
        self.conn.emit_signal(None, OBJECT_PATH, IFACE, name, GLib.Variant(fmt, args))

    def close(self, nid, reason):
        entry = self.open.pop(nid, None)
        if entry is None:
            return False
        if entry["timer"]:
            GLib.source_remove(entry["timer"])
        self.emit("NotificationClosed", "(uu)", (nid, reason))
        self.append(self.events_path, {"event": "closed", "id": nid, "reason": reason, "time": now_iso()})
        log(f"closed {nid} (reason {reason})")
        return True

    def expire(self, nid):
        entry = self.open.get(nid)
        if entry:
            entry["timer"] = 0
        self.close(nid, 1)
        return False

    def notify(self, app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout):
        if replaces_id and replaces_id in self.open:
            nid = replaces_id
            old = self.open.pop(nid)
            if old["timer"]:
                GLib.source_remove(old["timer"])
        else:
            nid = self.next_id
            self.next_id += 1
        pairs = [{"key": actions[i], "label": actions[i + 1] if i + 1 < len(actions) else ""}
                 for i in range(0, len(actions), 2)]
        hint_values = {k: plain(v) for k, v in hints.items() if plain(v) is not None}
        record = {
            "id": nid,
            "app_name": app_name,
            "summary": summary,
            "body": body,
            "actions": pairs,
            "hints": sorted(hints.keys()),
            "hint_values": hint_values,
            "replaces_id": replaces_id,
            "app_icon": app_icon,
            "expire_timeout": expire_timeout,
            "time": now_iso(),
        }
        timer = 0
        if expire_timeout > 0:
            timer = GLib.timeout_add(expire_timeout, self.expire, nid)
        self.open[nid] = {"actions": [p["key"] for p in pairs], "timer": timer}
        self.append(self.log_path, record)
        log(f"notify {nid}: {summary!r} actions={[p['key'] for p in pairs]}")
        return nid

    def invoke_action(self, nid, key):
        entry = self.open.get(nid)
        if entry is None:
            raise TestError("org.wsync.Test.Error.UnknownNotification",
                            f"notification {nid} is not open (unknown, or already closed)")
        if key not in entry["actions"]:
            raise TestError("org.wsync.Test.Error.UnknownAction",
                            f"notification {nid} offers no action {key!r} (it offers {entry['actions']})")
        self.emit("ActionInvoked", "(us)", (nid, key))
        self.append(self.events_path, {"event": "action_invoked", "id": nid, "action_key": key, "time": now_iso()})
        log(f"action {key!r} invoked on {nid}")
        self.close(nid, 2)

    def on_method_call(self, conn, sender, path, iface, method, params, invocation):
        try:
            args = params.unpack()
            if iface == IFACE and method == "Notify":
                invocation.return_value(GLib.Variant("(u)", (self.notify(*args),)))
            elif iface == IFACE and method == "GetCapabilities":
                invocation.return_value(GLib.Variant("(as)", (CAPABILITIES,)))
            elif iface == IFACE and method == "GetServerInformation":
                invocation.return_value(GLib.Variant("(ssss)", SERVER_INFO))
            elif iface == IFACE and method == "CloseNotification":
                self.close(args[0], 3)
                invocation.return_value(None)
            elif iface == TEST_IFACE and method == "InvokeAction":
                self.invoke_action(*args)
                invocation.return_value(None)
            elif iface == TEST_IFACE and method == "Dismiss":
                if not self.close(args[0], 2):
                    raise TestError("org.wsync.Test.Error.UnknownNotification",
                                    f"notification {args[0]} is not open (unknown, or already closed)")
                invocation.return_value(None)
            else:
                invocation.return_dbus_error("org.freedesktop.DBus.Error.UnknownMethod", f"{iface}.{method}")
        except TestError as e:
            invocation.return_dbus_error(e.name, str(e))
        except Exception as e:  # never leave a caller hanging
            log(f"error in {method}: {e!r}")
            invocation.return_dbus_error("org.freedesktop.DBus.Error.Failed", str(e))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    d = os.environ.get("WSYNC_DESKTOP_DIR")
    ap.add_argument("--log", default=os.path.join(d, "notifications.jsonl") if d else None,
                    help="notifications JSONL (default $WSYNC_DESKTOP_DIR/notifications.jsonl)")
    ap.add_argument("--events", default=os.path.join(d, "notification-events.jsonl") if d else None,
                    help="close/action events JSONL (default $WSYNC_DESKTOP_DIR/notification-events.jsonl)")
    args = ap.parse_args()

    loop = GLib.MainLoop()
    conn = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    conn.set_exit_on_close(False)
    conn.connect("closed", lambda *a: (log("bus closed, exiting"), loop.quit()))

    server = Server(conn, args.log, args.events)
    node = Gio.DBusNodeInfo.new_for_xml(XML)
    for info in node.interfaces:
        conn.register_object(OBJECT_PATH, info, server.on_method_call, None, None)

    status = {"rc": 0}

    def lost(*_):
        log(f"could not own {BUS_NAME} (already owned?)")
        status["rc"] = 1
        loop.quit()

    Gio.bus_own_name_on_connection(conn, BUS_NAME, Gio.BusNameOwnerFlags.DO_NOT_QUEUE,
                                   lambda *a: log(f"owning {BUS_NAME}"), lost)
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, lambda *a: (loop.quit(), False)[1])
    loop.run()
    return status["rc"]


if __name__ == "__main__":
    sys.exit(main())
