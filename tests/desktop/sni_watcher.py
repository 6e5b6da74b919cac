#!/usr/bin/python3
"""A StatusNotifierWatcher for tests (org.kde.StatusNotifierWatcher).

Owns org.kde.StatusNotifierWatcher on the session bus, accepts item and host
registrations, reports IsStatusNotifierHostRegistered=true (so that
libayatana-appindicator / Tauri's tray exports a StatusNotifierItem instead of
falling back to an XEmbed icon) and writes every registered item to a JSON
file (default: $WSYNC_DESKTOP_DIR/sni-items.json), rewritten atomically on
every change:

    [{"id": ":1.7/org/ayatana/NotificationItem/workspace_sync",
      "service": "/org/ayatana/NotificationItem/workspace_sync",
      "bus_name": ":1.7", "path": "/org/ayatana/NotificationItem/workspace_sync",
      "sender": ":1.7", "registered_at": "2026-11-25T13:05:01.123Z"}]

"service" is the registration argument as sent. It may be an object path
(libayatana-appindicator does this): then the item is sender + path. Or a bus
name: then the item is that name + /StatusNotifierItem. "id" is the string
listed in RegisteredStatusNotifierItems (bus name + path, as KDE does).
Items are dropped (and StatusNotifierItemUnregistered emitted) when their
owner leaves the bus.

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

BUS_NAME = "org.kde.StatusNotifierWatcher"
OBJECT_PATH = "/StatusNotifierWatcher"
IFACE = "org.kde.StatusNotifierWatcher"
DEFAULT_ITEM_PATH = "/StatusNotifierItem"

XML = """
<node>
  <interface name="org.kde.StatusNotifierWatcher">
    <method name="RegisterStatusNotifierItem">
      <arg name="service" type="s" direction="in"/>
    </method>
    <method name="RegisterStatusNotifierHost">
      <arg name="service" type="s" direction="in"/>
    </method>
    <property name="RegisteredStatusNotifierItems" type="as" access="read"/>
    <property name="IsStatusNotifierHostRegistered" type="b" access="read"/>
    <property name="ProtocolVersion" type="i" access="read"/>
    <signal name="StatusNotifierItemRegistered"><arg type="s"/></signal>
    <signal name="StatusNotifierItemUnregistered"><arg type="s"/></signal>
    <signal name="StatusNotifierHostRegistered"/>
    <signal name="StatusNotifierHostUnregistered"/>
  </interface>
</node>
"""


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def log(msg):
    print(f"sni_watcher: {msg}", file=sys.stderr, flush=True)


class Watcher:
    def __init__(self, conn, out_path):
        self.conn = conn
        self.out_path = out_path
        self.items = []  # dicts, in registration order
        self.hosts = set()
        self.write()

    # ------------------------------------------------------------ state --
    def write(self):
        if not self.out_path:
            return
        tmp = f"{self.out_path}.tmp.{os.getpid()}"
        with open(tmp, "w") as f:
            json.dump(self.items, f, indent=1)
            f.write("\n")
        os.replace(tmp, self.out_path)

    def emit(self, name, args=None):
        self.conn.emit_signal(None, OBJECT_PATH, IFACE, name, args)

    def register_item(self, service, sender):
        if service.startswith("/"):
            bus_name, path = sender, service
        else:
            bus_name, path = service, DEFAULT_ITEM_PATH
        item_id = bus_name + path
        if any(i["id"] == item_id for i in self.items):
            log(f"item registered again: {item_id}")
            return
        self.items.append({
            "id": item_id,
            "service": service,
            "bus_name": bus_name,
            "path": path,
            "sender": sender,
            "registered_at": now_iso(),
        })
        self.write()
        log(f"item registered: {item_id}")
        self.emit("StatusNotifierItemRegistered", GLib.Variant("(s)", (item_id,)))
        self.emit_items_changed()

    def register_host(self, service, sender):
        self.hosts.add(sender)
        log(f"host registered: {service} ({sender})")
        self.emit("StatusNotifierHostRegistered")

    def name_vanished(self, name):
        gone = [i for i in self.items if name in (i["bus_name"], i["sender"])]
        if gone:
            self.items = [i for i in self.items if i not in gone]
            self.write()
            for i in gone:
                log(f"item unregistered: {i['id']}")
                self.emit("StatusNotifierItemUnregistered", GLib.Variant("(s)", (i["id"],)))
            self.emit_items_changed()
        # Our host flag stays true: the watcher itself stands in for a host.
        self.hosts.discard(name)

    def emit_items_changed(self):
        self.conn.emit_signal(
            None, OBJECT_PATH, "org.freedesktop.DBus.Properties", "PropertiesChanged",
            GLib.Variant("(sa{sv}as)", (IFACE, {
                "RegisteredStatusNotifierItems": GLib.Variant("as", [i["id"] for i in self.items]),
            }, [])))

    # ----------------------------------------------------------- D-Bus --
    def on_method_call(self, conn, sender, path, iface, method, params, invocation):
        try:
            if method == "RegisterStatusNotifierItem":
                (service,) = params.unpack()
                self.register_item(service, sender)
                invocation.return_value(None)
            elif method == "RegisterStatusNotifierHost":
                (service,) = params.unpack()
                self.register_host(service, sender)
                invocation.return_value(None)
            else:
                invocation.return_dbus_error("org.freedesktop.DBus.Error.UnknownMethod", method)
        except Exception as e:  # never leave a caller hanging
            log(f"error in {method}: {e!r}")
            invocation.return_dbus_error("org.freedesktop.DBus.Error.Failed", str(e))

    def on_get_property(self, conn, sender, path, iface, prop):
        if prop == "RegisteredStatusNotifierItems":
            return GLib.Variant("as", [i["id"] for i in self.items])
        if prop == "IsStatusNotifierHostRegistered":
            return GLib.Variant("b", True)
        if prop == "ProtocolVersion":
            return GLib.Variant("i", 0)
        return None

    def on_name_owner_changed(self, conn, sender, path, iface, signal_name, params):
        name, old, new = params.unpack()
        if not new:
            self.name_vanished(name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_out = None
    if os.environ.get("WSYNC_DESKTOP_DIR"):
        default_out = os.path.join(os.environ["WSYNC_DESKTOP_DIR"], "sni-items.json")
    ap.add_argument("--out", default=default_out, help="items JSON file (default $WSYNC_DESKTOP_DIR/sni-items.json)")
    args = ap.parse_args()

    loop = GLib.MainLoop()
    conn = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    # When the private bus goes away, exit (instead of GLib's default _exit).
    conn.set_exit_on_close(False)
    conn.connect("closed", lambda *a: (log("bus closed, exiting"), loop.quit()))

    watcher = Watcher(conn, args.out)
    node = Gio.DBusNodeInfo.new_for_xml(XML)
    conn.register_object(OBJECT_PATH, node.interfaces[0], watcher.on_method_call,
                         watcher.on_get_property, None)
    conn.signal_subscribe("org.freedesktop.DBus", "org.freedesktop.DBus", "NameOwnerChanged",
                          "/org/freedesktop/DBus", None, Gio.DBusSignalFlags.NONE,
                          watcher.on_name_owner_changed)

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
