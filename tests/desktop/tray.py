#!/usr/bin/python3
"""Drive the app's tray icon (StatusNotifierItem + com.canonical.dbusmenu) in tests.

Run inside scripts/with-desktop.sh (needs the private session bus, where
tests/desktop/sni_watcher.py owns org.kde.StatusNotifierWatcher).

  tray.py items [--wait S]              JSON array of registered items:
        [{"id": ":1.7/org/ayatana/NotificationItem/x", "bus_name": ":1.7",
          "path": "/org/ayatana/NotificationItem/x", "Id": "...", "Title": "...",
          "Status": "Active", "Menu": "/MenuBar"}]
  tray.py layout [--wait S]             the item's menu as a JSON tree:
        {"id": 0, "label": "", "enabled": true, "visible": true,
         "type": "standard", "children": [{"id": 1, "label": "Sync now", ...}]}
        (labels have mnemonic underscores removed; "raw_label" is added when
        that changed something; "toggle_type"/"toggle_state" when present)
  tray.py click LABEL_OR_ID [--prefix] [--id] [--force] [--wait S]
        sends Event(id, "clicked", <int32 0>, 0) to the menu item whose label
        is LABEL (exact; with --prefix: starts with it), or whose id is ID
        (with --id, or when no label matches and the argument is a number).
        Refuses disabled or hidden items unless --force. Prints
        {"clicked": {"id": 3, "label": "Sync now"}}.
  tray.py status [--wait S] [--until KEY=VALUE ...]
        the item's StatusNotifierItem properties as one JSON object
        (Id, Category, Status, Title, IconName, IconThemePath,
        AttentionIconName, Menu, ItemIsMenu, ... plus bus_name and path);
        with --until, waits until every KEY has VALUE (compared as strings).

--wait S (default 0 for items, 10 for the others): how long to wait for an
item to register (layout/click: and for its menu to have entries / the label
to appear). --item TEXT picks an item whose id, Id or Title contains TEXT;
without it the most recently registered item is used.

Exit codes: 0 ok; 1 no item within the wait, no such menu entry, entry
disabled, or a D-Bus call failed; 2 usage or environment error.
"""
import argparse
import json
import os
import sys
import time

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
SNI = "org.kde.StatusNotifierItem"
DBUSMENU = "com.canonical.dbusmenu"
CALL_TIMEOUT_MS = 5000


class Fail(Exception):
    pass


def die(msg, code=1):
    print(f"tray.py: {msg}", file=sys.stderr)
    sys.exit(code)


def bus():
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        die("DBUS_SESSION_BUS_ADDRESS is not set: run inside scripts/with-desktop.sh", 2)
    try:
        return Gio.bus_get_sync(Gio.BusType.SESSION, None)
    except GLib.Error as e:
        die(f"cannot connect to the session bus: {e.message}", 2)


def call(conn, dest, path, iface, method, args=None, reply=None):
    try:
        return conn.call_sync(dest, path, iface, method, args,
                              GLib.VariantType(reply) if reply else None,
                              Gio.DBusCallFlags.NO_AUTO_START, CALL_TIMEOUT_MS, None).unpack()
    except GLib.Error as e:
        remote = Gio.DBusError.get_remote_error(e)
        msg = e.message
        if remote and msg.startswith(f"GDBus.Error:{remote}: "):
            msg = f"{msg[len(f'GDBus.Error:{remote}: '):]} ({remote})"
        raise Fail(f"{iface}.{method} on {dest} {path}: {msg}")


def get_prop(conn, dest, path, iface, name):
    return call(conn, dest, path, "org.freedesktop.DBus.Properties", "Get",
                GLib.Variant("(ss)", (iface, name)), "(v)")[0]


def jsonable(v):
    if isinstance(v, (str, bool, int, float)) or v is None:
        return v
    if isinstance(v, (bytes, bytearray)):
        return f"<{len(v)} bytes>"
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    return str(v)


def item_props(conn, bus_name, path):
    props = call(conn, bus_name, path, "org.freedesktop.DBus.Properties", "GetAll",
                 GLib.Variant("(s)", (SNI,)), "(a{sv})")[0]
    out = {}
    for k, v in props.items():
        if k.endswith("Pixmap"):
            # a(iiay): report the sizes only
            out[k] = [[w, h] for (w, h, _data) in v]
        elif k == "ToolTip":
            # (sa(iiay)ss): icon name, pixmaps, title, text
            try:
                out[k] = {"icon_name": v[0], "title": v[2], "text": v[3]}
            except Exception:
                out[k] = jsonable(v)
        else:
            out[k] = jsonable(v)
    return out


def registered_items(conn):
    """The watcher's items as dicts {id, bus_name, path}; Fail if no watcher."""
    try:
        ids = get_prop(conn, WATCHER, WATCHER_PATH, WATCHER, "RegisteredStatusNotifierItems")
    except Fail as e:
        raise Fail(f"no StatusNotifierWatcher on the bus ({e}); is this running inside scripts/with-desktop.sh?")
    items = []
    for s in ids:
        slash = s.find("/")
        if slash <= 0:
            bus_name, path = s, "/StatusNotifierItem"
        else:
            bus_name, path = s[:slash], s[slash:]
        items.append({"id": s, "bus_name": bus_name, "path": path})
    return items


def described_items(conn):
    out = []
    for it in registered_items(conn):
        d = dict(it)
        try:
            p = item_props(conn, it["bus_name"], it["path"])
            for k in ("Id", "Title", "Status", "IconName", "Menu"):
                if k in p:
                    d[k] = p[k]
        except Fail as e:
            d["error"] = str(e)
        out.append(d)
    return out


def pick_item(conn, match):
    items = described_items(conn)
    if match:
        items = [i for i in items
                 if match in i["id"] or match in str(i.get("Id", "")) or match in str(i.get("Title", ""))]
    return items[-1] if items else None


def strip_mnemonic(label):
    out, i = [], 0
    while i < len(label):
        c = label[i]
        if c == "_":
            if i + 1 < len(label) and label[i + 1] == "_":
                out.append("_")
                i += 2
                continue
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def convert(node):
    nid, props, children = node
    raw = props.get("label", "")
    d = {
        "id": nid,
        "label": strip_mnemonic(raw),
        "enabled": bool(props.get("enabled", True)),
        "visible": bool(props.get("visible", True)),
        "type": props.get("type", "standard"),
    }
    if d["label"] != raw:
        d["raw_label"] = raw
    if "toggle-type" in props:
        d["toggle_type"] = props["toggle-type"]
    if "toggle-state" in props:
        d["toggle_state"] = props["toggle-state"]
    if "children-display" in props:
        d["children_display"] = props["children-display"]
    d["children"] = [convert(c) for c in children]
    return d


def menu_layout(conn, item):
    menu = item.get("Menu")
    if not menu:
        menu = get_prop(conn, item["bus_name"], item["path"], SNI, "Menu")
    if not menu or menu == "/":
        raise Fail(f"item {item['id']} has no Menu object")
    _rev, root = call(conn, item["bus_name"], menu, DBUSMENU, "GetLayout",
                      GLib.Variant("(iias)", (0, -1, [])), "(u(ia{sv}av))")
    return menu, convert(root)


def walk(node):
    yield node
    for c in node["children"]:
        yield from walk(c)


def find_entries(root, target, prefix, by_id):
    entries = list(walk(root))[1:]  # not the root
    if by_id:
        return [e for e in entries if str(e["id"]) == target]
    if prefix:
        hits = [e for e in entries if e["label"].startswith(target) or e.get("raw_label", "").startswith(target)]
    else:
        hits = [e for e in entries if target in (e["label"], e.get("raw_label"))]
    if not hits and target.lstrip("-").isdigit():
        hits = [e for e in entries if str(e["id"]) == target]
    return hits


def poll(wait, attempt):
    """Call attempt() until it returns non-None or `wait` seconds pass.
    Returns (result, last Fail message)."""
    deadline = time.monotonic() + wait
    last = None
    while True:
        try:
            r = attempt()
            if r is not None:
                return r, None
        except Fail as e:
            last = str(e)
        if time.monotonic() >= deadline:
            return None, last
        time.sleep(0.1)


def labels(root):
    return [e["label"] for e in list(walk(root))[1:] if e["type"] != "separator"]


def main():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--item", default=None, help="pick the item whose id, Id or Title contains this")
    ap = argparse.ArgumentParser(description="Drive the tray icon over D-Bus in tests.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p_items = sub.add_parser("items", parents=[common], help="list registered items")
    p_items.add_argument("--wait", type=float, default=0.0)
    p_layout = sub.add_parser("layout", parents=[common], help="print the menu as JSON")
    p_layout.add_argument("--wait", type=float, default=10.0)
    p_click = sub.add_parser("click", parents=[common], help="click a menu entry")
    p_click.add_argument("target", metavar="LABEL_OR_ID")
    p_click.add_argument("--prefix", action="store_true", help="match labels starting with LABEL")
    p_click.add_argument("--id", action="store_true", help="LABEL_OR_ID is a dbusmenu id")
    p_click.add_argument("--force", action="store_true", help="click even if disabled or hidden")
    p_click.add_argument("--wait", type=float, default=10.0)
    p_status = sub.add_parser("status", parents=[common], help="print the item's properties")
    p_status.add_argument("--wait", type=float, default=10.0)
    p_status.add_argument("--until", action="append", default=[], metavar="KEY=VALUE")
    a = ap.parse_args()

    conn = bus()
    no_item = (f"no StatusNotifierItem registered within {a.wait:g} s"
               + (f" matching --item {a.item!r}" if a.item else "")
               + " (did the app start, and was it built with the tray enabled?)")

    if a.cmd == "items":
        def attempt():
            items = described_items(conn)
            if a.item:
                items = [i for i in items if a.item in i["id"] or a.item in str(i.get("Id", ""))
                         or a.item in str(i.get("Title", ""))]
            return items if items or a.wait <= 0 else None
        items, err = poll(a.wait, attempt)
        if items is None:
            die(err or no_item)
        print(json.dumps(items, indent=1, ensure_ascii=False))
        return 0

    if a.cmd == "layout":
        state = {}

        def attempt():
            item = pick_item(conn, a.item)
            if item is None:
                return None
            state["item"] = item
            _menu, root = menu_layout(conn, item)
            state["root"] = root
            return root if root["children"] else None
        root, err = poll(a.wait, attempt)
        if root is None:
            if "root" in state:
                print(f"tray.py: warning: the menu of {state['item']['id']} is still empty", file=sys.stderr)
                root = state["root"]
            else:
                die(err if "item" in state and err else no_item)
        print(json.dumps(root, indent=1, ensure_ascii=False))
        return 0

    if a.cmd == "click":
        state = {}

        def attempt():
            item = pick_item(conn, a.item)
            if item is None:
                return None
            state["item"] = item
            menu, root = menu_layout(conn, item)
            state["root"] = root
            hits = find_entries(root, a.target, a.prefix, a.id)
            return (item, menu, hits) if hits else None
        found, err = poll(a.wait, attempt)
        if found is None:
            if "root" in state:
                die(f"no menu entry {'with id' if a.id else 'labelled'} {a.target!r}"
                    f"{' (prefix)' if a.prefix else ''} within {a.wait:g} s; entries: "
                    + json.dumps(labels(state["root"]), ensure_ascii=False))
            die(err if "item" in state and err else no_item)
        item, menu, hits = found
        if len(hits) > 1:
            die(f"{a.target!r} matches {len(hits)} entries: "
                + json.dumps([{"id": h["id"], "label": h["label"]} for h in hits], ensure_ascii=False)
                + "; use an exact label or --id")
        entry = hits[0]
        if not a.force and not (entry["enabled"] and entry["visible"]):
            die(f"menu entry {entry['label']!r} (id {entry['id']}) is "
                f"{'disabled' if not entry['enabled'] else 'hidden'}; --force clicks it anyway")
        try:
            call(conn, item["bus_name"], menu, DBUSMENU, "Event",
                 GLib.Variant("(isvu)", (entry["id"], "clicked", GLib.Variant("i", 0), 0)))
        except Fail as e:
            die(str(e))
        print(json.dumps({"clicked": {"id": entry["id"], "label": entry["label"]}}, ensure_ascii=False))
        return 0

    if a.cmd == "status":
        wants = []
        for u in a.until:
            if "=" not in u:
                die(f"--until wants KEY=VALUE, got {u!r}", 2)
            wants.append(u.split("=", 1))
        state = {}

        def attempt():
            item = pick_item(conn, a.item)
            if item is None:
                return None
            props = item_props(conn, item["bus_name"], item["path"])
            props = {"bus_name": item["bus_name"], "path": item["path"], **props}
            state["props"] = props
            ok = all(str(props.get(k)) == v or (isinstance(props.get(k), bool) and str(props.get(k)).lower() == v.lower())
                     for k, v in wants)
            return props if ok else None
        props, err = poll(a.wait, attempt)
        if props is None:
            if "props" in state:
                last = state["props"]
                die(f"after {a.wait:g} s: " + ", ".join(
                    f"{k} is {last.get(k)!r}, not {v!r}" for k, v in wants if str(last.get(k)) != v)
                    + "; the item's properties: " + json.dumps(last, ensure_ascii=False))
            die(err or no_item)
        print(json.dumps(props, indent=1, ensure_ascii=False))
        return 0


if __name__ == "__main__":
    sys.exit(main())
