#!/usr/bin/python3
"""A stand-in tray app for checking the harness (tests/desktop/selftest.sh).

Uses libayatana-appindicator (Gtk 3), the same library Tauri's tray uses on
Linux, so it registers with the StatusNotifierWatcher by object path and
exports its menu over com.canonical.dbusmenu, as the real app will.

Menu: "Open Workspace Sync", "Sync now", "Pause _syncing" (mnemonic),
"Last sync: never" (disabled), "Folders" > "workspace", "Start at login"
(check item), "Quit". Every activation appends {"clicked": LABEL} to
$WSYNC_DESKTOP_DIR/demo-events.jsonl. "Sync now" sends a notification with
actions resolve=Resolve and default=Open and, like notify-rust's
wait_for_action, records {"action": KEY, "id": ID} or {"closed": ID, "reason": R}
when the server answers. "Pause syncing" sets the item's Status to
NeedsAttention and its icon to "media-playback-pause". "Quit" exits 0.

Needs gir1.2-ayatanaappindicator3-0.1 and gir1.2-gtk-3.0 (not needed by
the harness itself).
"""
import json
import os
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("AyatanaAppIndicator3", "0.1")
from gi.repository import AyatanaAppIndicator3 as AI  # noqa: E402
from gi.repository import Gio, GLib, Gtk  # noqa: E402

EVENTS = os.path.join(os.environ.get("WSYNC_DESKTOP_DIR", "."), "demo-events.jsonl")


def record(obj):
    with open(EVENTS, "a") as f:
        f.write(json.dumps(obj) + "\n")
    print(json.dumps(obj), flush=True)


class Demo:
    def __init__(self):
        self.bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        self.pending = set()
        self.bus.signal_subscribe("org.freedesktop.Notifications", "org.freedesktop.Notifications",
                                  None, "/org/freedesktop/Notifications", None,
                                  Gio.DBusSignalFlags.NONE, self.on_notification_signal)
        self.ind = AI.Indicator.new("workspace-sync-demo", "folder-sync",
                                    AI.IndicatorCategory.APPLICATION_STATUS)
        self.ind.set_title("Workspace Sync (demo)")
        self.ind.set_status(AI.IndicatorStatus.ACTIVE)
        menu = Gtk.Menu()

        def item(label, cb=None, sensitive=True, use_underline=False):
            mi = Gtk.MenuItem.new_with_mnemonic(label) if use_underline else Gtk.MenuItem(label=label)
            mi.set_sensitive(sensitive)
            mi.connect("activate", cb or self.clicked)
            menu.append(mi)
            return mi

        item("Open Workspace Sync")
        item("Sync now", self.sync_now)
        item("Pause _syncing", self.pause, use_underline=True)
        item("Last sync: never", sensitive=False)
        menu.append(Gtk.SeparatorMenuItem())
        folders = Gtk.MenuItem(label="Folders")
        sub = Gtk.Menu()
        ws = Gtk.MenuItem(label="workspace")
        ws.connect("activate", self.clicked)
        sub.append(ws)
        folders.set_submenu(sub)
        menu.append(folders)
        check = Gtk.CheckMenuItem(label="Start at login")
        check.connect("activate", self.clicked)
        menu.append(check)
        item("Quit", self.quit)
        menu.show_all()
        self.ind.set_menu(menu)

    def clicked(self, mi):
        record({"clicked": mi.get_label().replace("_", "")})

    def pause(self, mi):
        self.clicked(mi)
        self.ind.set_status(AI.IndicatorStatus.ATTENTION)
        self.ind.set_attention_icon_full("media-playback-pause", "paused")

    def sync_now(self, mi):
        self.clicked(mi)
        (nid,) = self.bus.call_sync(
            "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
            "org.freedesktop.Notifications", "Notify",
            GLib.Variant("(susssasa{sv}i)", ("workspace-sync", 0, "", "Conflict in notes.md",
                                             "Both sides changed notes.md",
                                             ["resolve", "Resolve", "default", "Open"],
                                             {"urgency": GLib.Variant("y", 2)}, -1)),
            GLib.VariantType("(u)"), Gio.DBusCallFlags.NONE, 5000, None).unpack()
        self.pending.add(nid)
        record({"notified": nid})

    def on_notification_signal(self, conn, sender, path, iface, name, params):
        args = params.unpack()
        if args[0] not in self.pending:
            return
        if name == "ActionInvoked":
            record({"action": args[1], "id": args[0]})
        elif name == "NotificationClosed":
            self.pending.discard(args[0])
            record({"closed": args[0], "reason": args[1]})

    def quit(self, mi):
        self.clicked(mi)
        Gtk.main_quit()


if __name__ == "__main__":
    Demo()
    rc = {"rc": 0}

    def give_up():  # never outlive a test run
        print("demo_tray: timed out", file=sys.stderr)
        rc["rc"] = 3
        Gtk.main_quit()
    GLib.timeout_add_seconds(int(os.environ.get("DEMO_TRAY_TIMEOUT", "60")), give_up)
    Gtk.main()
    sys.exit(rc["rc"])
