#!/usr/bin/python3
"""Look at and act on the notifications the test notification server received.

Run inside scripts/with-desktop.sh (needs $WSYNC_DESKTOP_DIR and the private
session bus):

  notify.py list                       JSON array of every Notify call so far
                                       (the lines of notifications.jsonl)
  notify.py wait --summary-contains TEXT [--body-contains TEXT]
                 [--app-name NAME] [--after-id N] [--timeout S]
                                       waits (default 10 s) for the first
                                       matching notification, prints it as one
                                       JSON object; exit 1 on timeout
  notify.py invoke ID ACTION_KEY       the "user" clicks an action: the server
                                       emits ActionInvoked(ID, KEY) and then
                                       NotificationClosed(ID, 2)
  notify.py dismiss ID                 the "user" closes it: NotificationClosed(ID, 2)
  notify.py events                     JSON array of close/action events

Exit codes: 0 ok, 1 not found / timed out / the server refused, 2 usage or
environment error.
"""
import argparse
import json
import os
import sys
import time


def die(msg, code=1):
    print(f"notify.py: {msg}", file=sys.stderr)
    sys.exit(code)


def desktop_dir():
    d = os.environ.get("WSYNC_DESKTOP_DIR")
    if not d:
        die("WSYNC_DESKTOP_DIR is not set: run inside scripts/with-desktop.sh", 2)
    return d


def read_jsonl(name):
    path = os.path.join(desktop_dir(), name)
    out = []
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line:
                    try:
                        out.append(json.loads(line))
                    except json.JSONDecodeError:
                        pass  # a line being written right now
    except FileNotFoundError:
        pass
    return out


def call_test(method, fmt, args):
    import gi
    gi.require_version("Gio", "2.0")
    from gi.repository import Gio, GLib
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        die("DBUS_SESSION_BUS_ADDRESS is not set: run inside scripts/with-desktop.sh", 2)
    try:
        conn = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        conn.call_sync("org.freedesktop.Notifications", "/org/freedesktop/Notifications",
                       "org.wsync.Test", method, GLib.Variant(fmt, args), None,
                       Gio.DBusCallFlags.NO_AUTO_START, 5000, None)
    except GLib.Error as e:
        remote = Gio.DBusError.get_remote_error(e)
        msg = e.message
        if remote and msg.startswith(f"GDBus.Error:{remote}: "):
            msg = msg[len(f"GDBus.Error:{remote}: "):]
        die(f"{method} failed: {msg}" + (f" ({remote})" if remote else ""))


def main():
    ap = argparse.ArgumentParser(description="Inspect and act on test notifications.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list", help="print every notification as a JSON array")
    sub.add_parser("events", help="print close/action events as a JSON array")
    w = sub.add_parser("wait", help="wait for a matching notification, print it")
    w.add_argument("--summary-contains", default=None)
    w.add_argument("--body-contains", default=None)
    w.add_argument("--app-name", default=None)
    w.add_argument("--after-id", type=int, default=0, help="only notifications with id > N")
    w.add_argument("--timeout", type=float, default=10.0)
    i = sub.add_parser("invoke", help="invoke an action on a notification")
    i.add_argument("id", type=int)
    i.add_argument("action_key")
    d = sub.add_parser("dismiss", help="dismiss a notification as the user would")
    d.add_argument("id", type=int)
    a = ap.parse_args()

    if a.cmd == "list":
        print(json.dumps(read_jsonl("notifications.jsonl"), indent=1, ensure_ascii=False))
    elif a.cmd == "events":
        print(json.dumps(read_jsonl("notification-events.jsonl"), indent=1, ensure_ascii=False))
    elif a.cmd == "wait":
        def match(n):
            return (n.get("id", 0) > a.after_id
                    and (a.summary_contains is None or a.summary_contains in n.get("summary", ""))
                    and (a.body_contains is None or a.body_contains in n.get("body", ""))
                    and (a.app_name is None or a.app_name == n.get("app_name")))
        deadline = time.monotonic() + a.timeout
        while True:
            found = [n for n in read_jsonl("notifications.jsonl") if match(n)]
            if found:
                print(json.dumps(found[0], ensure_ascii=False))
                return 0
            if time.monotonic() >= deadline:
                got = [n.get("summary") for n in read_jsonl("notifications.jsonl")]
                die(f"no matching notification within {a.timeout:g} s (summaries so far: {json.dumps(got, ensure_ascii=False)})")
            time.sleep(0.1)
    elif a.cmd == "invoke":
        call_test("InvokeAction", "(us)", (a.id, a.action_key))
    elif a.cmd == "dismiss":
        call_test("Dismiss", "(u)", (a.id,))
    return 0


if __name__ == "__main__":
    sys.exit(main())
