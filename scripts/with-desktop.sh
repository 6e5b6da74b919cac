#!/usr/bin/env bash
# Run a command inside a private, headless desktop session for end-to-end
# tests of the tray app, non-interactively (works as root, no window manager):
#
#   scripts/with-desktop.sh CMD [ARGS...]
#
# - Xvfb on a free display (Xvfb picks it itself: -displayfd), 1280x800x24,
#   -nolisten tcp. CMD gets DISPLAY; WAYLAND_DISPLAY is unset, GDK_BACKEND=x11.
# - A private session bus with an unlocked gnome-keyring, through
#   scripts/with-keyring.sh (so WSYNC_KEYRING_TMP_HOME=1 works here too, and
#   WSYNC_KEYRING_COLLECTION is exported). CMD gets DBUS_SESSION_BUS_ADDRESS.
# - On that bus, before CMD starts (bounded wait, 10 s):
#     tests/desktop/sni_watcher.py   owns org.kde.StatusNotifierWatcher and
#                                    writes $WSYNC_DESKTOP_DIR/sni-items.json
#     tests/desktop/notify_server.py owns org.freedesktop.Notifications and
#                                    writes $WSYNC_DESKTOP_DIR/notifications.jsonl
# - WSYNC_DESKTOP_DIR: a fresh temp dir (removed at the end), or the caller's
#   own if it is set (created if missing, kept). WSYNC_DESKTOP_KEEP=1 keeps the
#   temp dir too (its path is printed). It also holds the helpers' and Xvfb's
#   logs (sni_watcher.log, notify_server.log, xvfb.log).
# - XDG_RUNTIME_DIR: if CMD would get none, $WSYNC_DESKTOP_DIR/runtime (0700).
#   NO_AT_BRIDGE=1 unless set. Services the bus starts on demand (GTK/WebKit
#   ask for xdg-desktop-portal; WebKit for the a11y bus) get DISPLAY and
#   XDG_RUNTIME_DIR=$WSYNC_DESKTOP_DIR/runtime through the bus's activation
#   environment, so the document portal's FUSE mount lands there.
# - At the end (also on SIGINT/SIGTERM; a watchdog covers SIGKILL) everything
#   it started is stopped: first, still inside the bus, the helpers, whatever
#   CMD left running and the bus-activated services (and any mount under the
#   runtime dir is unmounted); then what is left of the session's process
#   group (bus, keyring); then Xvfb. Exits with CMD's exit code; 125 if the
#   desktop could not be set up (the reason and the logs go to stderr).
#
# WSYNC_DESKTOP_SCREEN=WxHxD overrides the screen; WSYNC_DESKTOP_PYTHON the
# interpreter for the helpers (default /usr/bin/python3, which must have gi).
#
# Needs (Debian): xvfb python3 python3-gi gir1.2-glib-2.0 dbus-daemon dbus-bin
# gnome-keyring (see tests/desktop/README.md).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
helpers="$root/tests/desktop"
self="$here/$(basename "${BASH_SOURCE[0]}")"
py="${WSYNC_DESKTOP_PYTHON:-/usr/bin/python3}"
outer_pid=$$

# ------------------------------------------------------------------ shared --
proc_info() { # pid -> _state _ppid _pgrp from /proc/PID/stat; 1 if gone
    local line rest
    read -r line 2>/dev/null <"/proc/$1/stat" || return 1
    rest="${line##*) }"
    read -r _state _ppid _pgrp _ <<<"$rest"
}
pid_alive() { # pid: running (not a zombie)? kill -0 succeeds on zombies.
    proc_info "$1" && [[ "$_state" != Z && "$_state" != X ]]
}
group_alive() { # process group id: any member that is not a zombie?
    # (Orphans are reaped by whoever reaps orphans here, maybe late, so look
    # at /proc rather than kill -0.)
    local f
    for f in /proc/[0-9]*/stat; do
        f="${f#/proc/}"
        proc_info "${f%/stat}" || continue
        if [[ "$_pgrp" == "$1" && "$_state" != Z && "$_state" != X ]]; then
            return 0
        fi
    done
    return 1
}
unmount_under() { # dir: lazily unmount whatever is mounted below it
    # (xdg-document-portal, if something activates it, mounts a FUSE file
    # system at $XDG_RUNTIME_DIR/doc; rm -rf cannot remove a mount point.)
    local base="${1// /\\040}" mnt rest
    while read -r _ mnt rest; do
        if [[ "$mnt" == "$base"/* ]]; then
            mnt="${mnt//\\040/ }"
            fusermount3 -uz "$mnt" 2>/dev/null || fusermount -uz "$mnt" 2>/dev/null ||
                umount -l "$mnt" 2>/dev/null || true
        fi
    done </proc/mounts
}

if [[ "${_WSYNC_DESKTOP_INNER:-}" != 1 ]]; then
    # ---------------------------------------------------------------- outer --
    if [[ $# -eq 0 ]]; then
        echo "usage: $0 CMD [ARGS...]" >&2
        exit 2
    fi
    if ! command -v Xvfb >/dev/null 2>&1; then
        echo "with-desktop: 'Xvfb' not found (apt-get install xvfb)" >&2
        exit 125
    fi
    if ! "$py" -c 'import gi; gi.require_version("Gio", "2.0"); from gi.repository import Gio' 2>/dev/null; then
        echo "with-desktop: $py cannot import gi/Gio (apt-get install python3 python3-gi gir1.2-glib-2.0)" >&2
        exit 125
    fi

    keep_dir=0
    say_kept=0
    if [[ -n "${WSYNC_DESKTOP_DIR:-}" ]]; then
        mkdir -p "$WSYNC_DESKTOP_DIR"
        WSYNC_DESKTOP_DIR="$(cd "$WSYNC_DESKTOP_DIR" && pwd)"
        keep_dir=1
    else
        WSYNC_DESKTOP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/wsync-desktop.XXXXXX")"
        if [[ "${WSYNC_DESKTOP_KEEP:-}" == 1 ]]; then
            keep_dir=1
            say_kept=1
        fi
    fi
    export WSYNC_DESKTOP_DIR
    dir="$WSYNC_DESKTOP_DIR"

    xvfb_pid=""
    session_pid=""
    watchdog_pid=""
    stop_pid() { # pid: TERM, up to 5 s, then KILL
        local pid="$1"
        kill -TERM "$pid" 2>/dev/null || return 0
        for _ in $(seq 50); do
            pid_alive "$pid" || return 0
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    }
    stop_group() { # process group id: TERM, up to 5 s, then KILL
        local pgid="$1"
        group_alive "$pgid" || return 0
        kill -TERM -- "-$pgid" 2>/dev/null || return 0
        for _ in $(seq 50); do
            group_alive "$pgid" || return 0
            sleep 0.1
        done
        echo "with-desktop: processes of the session ignored SIGTERM for 5 s; killing them" >&2
        kill -KILL -- "-$pgid" 2>/dev/null || true
    }
    teardown() {
        # The session runs in its own process group (pgid = its pid): stop
        # whatever is left of it (CMD's leftovers included), then Xvfb.
        if [[ -n "$session_pid" ]]; then
            stop_group "$session_pid"
            wait "$session_pid" 2>/dev/null || true
        fi
        if [[ -n "$xvfb_pid" ]]; then
            stop_pid "$xvfb_pid"
            wait "$xvfb_pid" 2>/dev/null || true
        fi
        unmount_under "$dir"
        if [[ "$keep_dir" == 1 ]]; then
            if [[ "$say_kept" == 1 ]]; then echo "with-desktop: kept $dir" >&2; fi
        else
            rm -rf -- "$dir"
        fi
    }
    cleanup() {
        set +e
        trap '' PIPE INT TERM # finish cleaning up even if stderr went away
        if [[ -n "$watchdog_pid" ]]; then
            kill -TERM -- "-$watchdog_pid" 2>/dev/null
            wait "$watchdog_pid" 2>/dev/null
        fi
        teardown
    }
    trap cleanup EXIT

    # Xvfb chooses a free display itself and writes its number to fd 3 once
    # it accepts connections. -noreset: no server reset when the last client
    # goes away. setpriv --pdeathsig: Xvfb goes away with us, even if we are
    # SIGKILLed.
    : >"$dir/xvfb.display"
    setpriv --pdeathsig TERM -- \
        Xvfb -displayfd 3 -screen 0 "${WSYNC_DESKTOP_SCREEN:-1280x800x24}" -nolisten tcp -noreset \
        3>"$dir/xvfb.display" >"$dir/xvfb.log" 2>&1 </dev/null &
    xvfb_pid=$!
    display=""
    for _ in $(seq 100); do
        if [[ -s "$dir/xvfb.display" ]]; then
            display="$(tr -d '[:space:]' <"$dir/xvfb.display")"
            [[ -n "$display" ]] && break
        fi
        pid_alive "$xvfb_pid" || break
        sleep 0.1
    done
    if [[ -z "$display" ]]; then
        echo "with-desktop: Xvfb did not start within 10 s; its log:" >&2
        cat "$dir/xvfb.log" >&2 || true
        exit 125
    fi

    # The session (with-keyring.sh -> dbus-run-session -> the inner half of
    # this script -> CMD) in a process group of its own, so that a signal to
    # us can stop all of it. The caller's DISPLAY/WAYLAND_DISPLAY never reach
    # the keyring daemon; CMD gets ours.
    trap 'exit 130' INT # -> cleanup (EXIT trap)
    trap 'exit 143' TERM
    set -m
    env -u DISPLAY -u WAYLAND_DISPLAY \
        _WSYNC_DESKTOP_INNER=1 _WSYNC_DESKTOP_DISPLAY=":$display" \
        "$here/with-keyring.sh" "${BASH:-bash}" "$self" "$@" &
    session_pid=$!
    # A watchdog (own process group, no stdio) that tears everything down if
    # we die without running cleanup (SIGKILL); cleanup stops it first.
    (
        set +e
        trap - EXIT INT TERM
        exec </dev/null >/dev/null 2>&1
        tail --pid="$outer_pid" -f /dev/null
        teardown
    ) &
    watchdog_pid=$!
    set +m
    rc=0
    wait "$session_pid" || rc=$?
    exit "$rc"
fi

# -------------------------------------------------------------------- inner --
# Here we are inside the private session bus (child of with-keyring.sh).
unset _WSYNC_DESKTOP_INNER
export DISPLAY="$_WSYNC_DESKTOP_DISPLAY"
unset _WSYNC_DESKTOP_DISPLAY WAYLAND_DISPLAY
export GDK_BACKEND=x11
export NO_AT_BRIDGE="${NO_AT_BRIDGE:-1}"
dir="$WSYNC_DESKTOP_DIR"
mkdir -p "$dir/runtime"
chmod 700 "$dir/runtime"
if [[ -z "${XDG_RUNTIME_DIR:-}" ]]; then
    export XDG_RUNTIME_DIR="$dir/runtime"
fi

"$py" -u "$helpers/sni_watcher.py" --out "$dir/sni-items.json" \
    >"$dir/sni_watcher.log" 2>&1 </dev/null &
watcher_pid=$!
"$py" -u "$helpers/notify_server.py" --log "$dir/notifications.jsonl" \
    --events "$dir/notification-events.jsonl" \
    >"$dir/notify_server.log" 2>&1 </dev/null &
notifier_pid=$!

session_leftovers() { # pids to stop once CMD is done
    # Everything in our process group except this shell, its ancestors
    # (with-keyring.sh's shells, dbus-run-session) and their other children
    # (the bus daemon, the keyring daemon, with-keyring's stderr filter),
    # which with-keyring.sh stops itself. That leaves the helpers, whatever
    # CMD left running, and services the bus activated (portals, a11y bus).
    local me="$BASHPID" ancestors=" " p pgid f pid
    proc_info "$$" || return 0
    pgid="$_pgrp"
    p="$_ppid"
    while [[ "$p" -gt 1 ]] && proc_info "$p" && [[ "$_pgrp" == "$pgid" ]]; do
        ancestors+="$p "
        p="$_ppid"
    done
    for f in /proc/[0-9]*/stat; do
        pid="${f#/proc/}"
        pid="${pid%/stat}"
        [[ "$pid" == "$$" || "$pid" == "$me" ]] && continue
        proc_info "$pid" || continue
        [[ "$_pgrp" == "$pgid" && "$_state" != Z && "$_state" != X ]] || continue
        [[ "$ancestors" == *" $pid "* || "$ancestors" == *" $_ppid "* ]] && continue
        echo "$pid"
    done
}
inner_cleanup() {
    set +e
    trap '' PIPE
    local pids
    pids="$(session_leftovers)"
    if [[ -n "$pids" ]]; then
        # shellcheck disable=SC2086
        kill -TERM $pids 2>/dev/null
        for _ in $(seq 50); do
            pids="$(session_leftovers)"
            [[ -z "$pids" ]] && break
            sleep 0.1
        done
        # shellcheck disable=SC2086
        [[ -n "$pids" ]] && kill -KILL $pids 2>/dev/null
    fi
    wait 2>/dev/null
    unmount_under "$dir"
    [[ "$XDG_RUNTIME_DIR" == "$dir/runtime" ]] || unmount_under "$XDG_RUNTIME_DIR"
}
trap inner_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

has_owner() {
    dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus \
        /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner "string:$1" 2>/dev/null |
        grep -q true
}

ready=0
for _ in $(seq 100); do
    if ! kill -0 "$watcher_pid" 2>/dev/null || ! kill -0 "$notifier_pid" 2>/dev/null; then
        break
    fi
    if has_owner org.kde.StatusNotifierWatcher && has_owner org.freedesktop.Notifications; then
        ready=1
        break
    fi
    sleep 0.1
done
if [[ "$ready" != 1 ]]; then
    echo "with-desktop: the test helpers did not come up within 10 s; their logs:" >&2
    for f in sni_watcher.log notify_server.log; do
        echo "--- $f" >&2
        cat "$dir/$f" >&2 2>/dev/null || true
    done
    exit 125
fi

# Services the bus starts on demand (xdg-desktop-portal, which GTK/WebKit ask
# for; the a11y bus) get our display and a runtime dir of ours, not none.
if ! dbus-update-activation-environment DISPLAY="$DISPLAY" XDG_RUNTIME_DIR="$dir/runtime" \
    GDK_BACKEND=x11 NO_AT_BRIDGE="$NO_AT_BRIDGE" 2>/dev/null; then
    echo "with-desktop: warning: could not set the bus's activation environment" >&2
fi

rc=0
"$@" || rc=$?
exit "$rc"
