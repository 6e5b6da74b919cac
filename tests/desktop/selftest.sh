#!/usr/bin/env bash
# Self-test of the desktop test harness, without the real app: runs
# tests/desktop/demo_tray.py (libayatana-appindicator, like Tauri's tray) and
# notify-send inside scripts/with-desktop.sh and drives them with tray.py and
# notify.py. Prints one line per check; exits 0 if all passed.
#
#   tests/desktop/selftest.sh
#
# Needs, beyond the harness: gir1.2-ayatanaappindicator3-0.1 gir1.2-gtk-3.0
# libnotify-bin jq.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
D=tests/desktop

if [[ -z "${_WSYNC_SELFTEST_INNER:-}" ]]; then
    fails=0
    rc=0
    _WSYNC_SELFTEST_INNER=1 timeout 120 scripts/with-desktop.sh "$D/selftest.sh" || rc=$?
    [[ "$rc" == 0 ]] || fails=1
    rc=0
    timeout 30 scripts/with-desktop.sh sh -c 'exit 7' || rc=$?
    if [[ "$rc" == 7 ]]; then echo "ok   with-desktop.sh passes CMD's exit code on (7)"
    else echo "FAIL with-desktop.sh exit code: $rc, wanted 7"; fails=1; fi
    if [[ "$fails" == 0 ]]; then echo "selftest: all passed"; else echo "selftest: FAILED"; fi
    exit "$fails"
fi

fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
check() { # description, then a command that must succeed (its stdout is dropped)
    local what="$1"
    shift
    if "$@" >/dev/null; then ok "$what"; else bad "$what"; fi
}
events() { cat "$WSYNC_DESKTOP_DIR/demo-events.jsonl" 2>/dev/null; }
wait_event() { # jq filter that must match a line of demo-events.jsonl, within 5 s
    for _ in $(seq 50); do
        events | jq -s -e "map(select($1)) | length > 0" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "     demo events so far: $(events | tr '\n' ' ')"
    return 1
}

check "DISPLAY, DBUS_SESSION_BUS_ADDRESS, WSYNC_DESKTOP_DIR are set" \
    test -n "${DISPLAY:-}" -a -n "${DBUS_SESSION_BUS_ADDRESS:-}" -a -d "${WSYNC_DESKTOP_DIR:-}"
check "the X display answers" /usr/bin/python3 -c 'import gi; gi.require_version("Gdk", "3.0")
from gi.repository import Gdk; import os, sys; sys.exit(Gdk.Display.open(os.environ["DISPLAY"]) is None)' 
check "no item before the app starts (tray.py items --wait 1 fails)" \
    bash -c "! $D/tray.py items --wait 1 2>/dev/null"

DEMO_TRAY_TIMEOUT=90 "$D/demo_tray.py" >"$WSYNC_DESKTOP_DIR/demo.log" 2>&1 &
demo=$!

items="$($D/tray.py items --wait 10)"
check "the demo registered one item (by object path: bus name = sender)" \
    test "$(jq -r 'length, .[0].bus_name[0:1], .[0].Id' <<<"$items" | tr '\n' ' ')" = "1 : workspace-sync-demo "
check "sni-items.json lists it" \
    test "$(jq -r '.[0].id' "$WSYNC_DESKTOP_DIR/sni-items.json")" = "$(jq -r '.[0].id' <<<"$items")"

layout="$($D/tray.py layout --wait 10)"
check "layout lists the menu labels (mnemonics stripped)" \
    test "$(jq -c '[.children[] | select(.type != "separator") | .label]' <<<"$layout")" = \
    '["Open Workspace Sync","Sync now","Pause syncing","Last sync: never","Folders","Start at login","Quit"]'
check "layout shows the disabled entry and the submenu" \
    test "$(jq -c '[(.children[] | select(.label == "Last sync: never") | .enabled), (.children[] | select(.label == "Folders") | .children[0].label)]' <<<"$layout")" = '[false,"workspace"]'

check "click by exact label" $D/tray.py click "Open Workspace Sync"
check "  ... reached the app" wait_event '.clicked == "Open Workspace Sync"'
check "click in a submenu" $D/tray.py click workspace
check "  ... reached the app" wait_event '.clicked == "workspace"'
check "click by id" $D/tray.py click --id "$(jq '.children[] | select(.label == "Start at login") | .id' <<<"$layout")"
check "  ... reached the app" wait_event '.clicked == "Start at login"'
check "clicking a disabled entry is refused (exit 1)" bash -c "$D/tray.py click 'Last sync: never' 2>/dev/null; test \$? = 1"
check "clicking an unknown label fails within --wait (exit 1)" bash -c "$D/tray.py click Nope --wait 1 2>/dev/null; test \$? = 1"
check "click by prefix" $D/tray.py click --prefix Pause
check "  ... reached the app" wait_event '.clicked == "Pause syncing"'
check "status --until Status=NeedsAttention" $D/tray.py status --wait 5 --until Status=NeedsAttention --until AttentionIconName=media-playback-pause

check "click 'Sync now' (the app sends a notification with actions)" $D/tray.py click "Sync now"
n="$($D/notify.py wait --summary-contains Conflict --timeout 5)"
check "notify.py wait finds it, with its actions and hint keys" \
    test "$(jq -c '[.app_name, [.actions[].key], .hints]' <<<"$n")" = '["workspace-sync",["resolve","default"],["urgency"]]'
id="$(jq .id <<<"$n")"
check "notify.py invoke ID resolve" $D/notify.py invoke "$id" resolve
check "  ... the app got ActionInvoked(id, resolve)" wait_event ".action == \"resolve\" and .id == $id"
check "  ... and then NotificationClosed(id, 2)" wait_event ".closed == $id and .reason == 2"
check "invoking it again fails (already closed)" bash -c "! $D/notify.py invoke $id resolve 2>/dev/null"

timeout 10 notify-send --action=resolve=Resolve --action=later=Later "From notify-send" body >"$WSYNC_DESKTOP_DIR/ns.out" 2>&1 &
ns=$!
n="$($D/notify.py wait --summary-contains "From notify-send" --timeout 5)"
check "notify.py invoke on a notify-send --action notification" $D/notify.py invoke "$(jq .id <<<"$n")" later
wait "$ns"
check "  ... notify-send printed the chosen key" test "$(cat "$WSYNC_DESKTOP_DIR/ns.out")" = later
check "GetCapabilities" test "$(gdbus call --session -d org.freedesktop.Notifications -o /org/freedesktop/Notifications -m org.freedesktop.Notifications.GetCapabilities)" = "(['actions', 'body', 'persistence'],)"
check "notify.py list has both, ids increasing" test "$($D/notify.py list | jq -c '[.[].id]')" = '[1,2]'

check "click Quit" $D/tray.py click Quit
rc=0
timeout 10 tail --pid="$demo" -f /dev/null
wait "$demo" || rc=$?
check "  ... the demo app exited 0" test "$rc" = 0
check "  ... and the watcher dropped its item" bash -c \
    "for _ in \$(seq 50); do test \"\$(jq length $WSYNC_DESKTOP_DIR/sni-items.json)\" = 0 && exit 0; sleep 0.1; done; exit 1"
check "tray.py layout with no item exits 1" bash -c "$D/tray.py layout --wait 1 2>/dev/null; test \$? = 1"

exit "$fails"
