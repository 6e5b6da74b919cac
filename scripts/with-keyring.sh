#!/usr/bin/env bash
# Run a command inside a private D-Bus session bus with an unlocked
# gnome-keyring Secret Service (org.freedesktop.secrets), non-interactively.
#
#   scripts/with-keyring.sh CMD [ARGS...]
#
# - A private session bus (dbus-run-session) so the real desktop keyring, if
#   any, is never touched.
# - gnome-keyring-daemon --unlock --components=secrets, fed a throwaway
#   password on stdin: it creates the "login" collection, unlocks it and makes
#   it the "default" alias, so `secret-tool store/lookup` and the Rust
#   `keyring` crate work without prompts (no display needed, works as root).
# - gnome-keyring keeps its files in $XDG_DATA_HOME/keyrings; the daemon always
#   gets a fresh temp XDG_DATA_HOME and XDG_RUNTIME_DIR, so nothing is written to
#   (or read from) the caller's real ~/.local/share/keyrings.
# - WSYNC_KEYRING_TMP_HOME=1: CMD also gets HOME and XDG_{CONFIG,DATA,STATE,
#   CACHE}_HOME and XDG_RUNTIME_DIR pointed into that temp dir. CARGO_HOME and
#   RUSTUP_HOME are pinned to their previous locations so `cargo` keeps working.
#   Without it, CMD's HOME and XDG_* variables are left as they are.
# - Exits with CMD's exit code (125 if the keyring could not be set up); the
#   keyring daemon is killed and the temp dir removed at the end.
#
# Needs (Debian): dbus-daemon dbus-bin gnome-keyring; libsecret-tools for
# secret-tool (only used by callers/tests, not by this script).
set -euo pipefail

if [[ "${_WSYNC_KEYRING_INNER:-}" != 1 ]]; then
    # ---------------------------------------------------------------- outer --
    if [[ $# -eq 0 ]]; then
        echo "usage: $0 CMD [ARGS...]" >&2
        exit 2
    fi
    for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "with-keyring: '$tool' not found (apt-get install dbus-daemon dbus-bin gnome-keyring)" >&2
            exit 125
        fi
    done

    tmp="$(mktemp -d "${TMPDIR:-/tmp}/wsync-keyring.XXXXXX")"
    cleanup() { rm -rf -- "$tmp"; }
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    mkdir -p "$tmp/keyring-data" "$tmp/keyring-runtime"
    chmod 700 "$tmp" "$tmp/keyring-runtime"
    export _WSYNC_KEYRING_DAEMON_DATA="$tmp/keyring-data"
    export _WSYNC_KEYRING_DAEMON_RUNTIME="$tmp/keyring-runtime"

    if [[ "${WSYNC_KEYRING_TMP_HOME:-}" == 1 ]]; then
        # Keep the Rust toolchain reachable after HOME moves.
        if [[ -z "${CARGO_HOME:-}" && -d "${HOME:-/nonexistent}/.cargo" ]]; then
            export CARGO_HOME="$HOME/.cargo"
        fi
        if [[ -z "${RUSTUP_HOME:-}" && -d "${HOME:-/nonexistent}/.rustup" ]]; then
            export RUSTUP_HOME="$HOME/.rustup"
        fi
        mkdir -p "$tmp/home" "$tmp/config" "$tmp/data" "$tmp/state" "$tmp/cache" "$tmp/runtime"
        chmod 700 "$tmp/runtime"
        export HOME="$tmp/home"
        export XDG_CONFIG_HOME="$tmp/config"
        export XDG_DATA_HOME="$tmp/data"
        export XDG_STATE_HOME="$tmp/state"
        export XDG_CACHE_HOME="$tmp/cache"
        export XDG_RUNTIME_DIR="$tmp/runtime"
        # In this mode the keyring lives where CMD's XDG_DATA_HOME says.
        export _WSYNC_KEYRING_DAEMON_DATA="$XDG_DATA_HOME"
        export _WSYNC_KEYRING_DAEMON_RUNTIME="$XDG_RUNTIME_DIR"
    fi

    # dbus-daemon (as root without CAP_SYS_RESOURCE) warns "Failed to set fd
    # limit"; that is harmless, so filter just that line out of the bus's
    # stderr. CMD gets the caller's untouched stderr back through fd 9.
    rc=0
    _WSYNC_KEYRING_INNER=1 dbus-run-session -- "${BASH:-bash}" "$0" "$@" 9>&2 \
        2> >(grep -v --line-buffered 'Failed to set fd limit' >&2) || rc=$?
    exit "$rc"
fi

# -------------------------------------------------------------------- inner --
# Here we are the child of dbus-run-session: DBUS_SESSION_BUS_ADDRESS is the
# private bus.
exec 2>&9 9>&-
unset _WSYNC_KEYRING_INNER
daemon_data="$_WSYNC_KEYRING_DAEMON_DATA"
daemon_runtime="$_WSYNC_KEYRING_DAEMON_RUNTIME"
unset _WSYNC_KEYRING_DAEMON_DATA _WSYNC_KEYRING_DAEMON_RUNTIME
daemon_log="$daemon_runtime/gnome-keyring.log"

# --foreground so that we own its pid; --unlock reads the password from stdin
# until EOF, creates the "login" keyring if missing and unlocks it.
printf '%s' "wsync-throwaway-$$-$RANDOM" |
    XDG_DATA_HOME="$daemon_data" XDG_RUNTIME_DIR="$daemon_runtime" \
        gnome-keyring-daemon --foreground --unlock --components=secrets \
        >"$daemon_log" 2>&1 &
daemon_pid=$!

stop_daemon() {
    if kill -0 "$daemon_pid" 2>/dev/null; then
        kill "$daemon_pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$daemon_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$daemon_pid" 2>/dev/null || true
    fi
    wait "$daemon_pid" 2>/dev/null || true
}
trap stop_daemon EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bus_call() {
    dbus-send --session --print-reply=literal "$@" 2>/dev/null
}

# Wait (up to ~10 s) until the Secret Service is on the bus, the "default"
# alias points at a collection and that collection is unlocked.
ready=0
collection=""
for _ in $(seq 100); do
    if ! kill -0 "$daemon_pid" 2>/dev/null; then
        break
    fi
    if bus_call --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets |
        grep -q true; then
        collection="$(bus_call --dest=org.freedesktop.secrets /org/freedesktop/secrets \
            org.freedesktop.Secret.Service.ReadAlias string:default | tr -d '[:space:]')" || true
        if [[ -z "$collection" || "$collection" == "/" ]]; then
            # No default alias yet: point it at the login collection.
            bus_call --dest=org.freedesktop.secrets /org/freedesktop/secrets \
                org.freedesktop.Secret.Service.SetAlias string:default \
                objpath:/org/freedesktop/secrets/collection/login >/dev/null || true
        elif bus_call --dest=org.freedesktop.secrets "$collection" \
            org.freedesktop.DBus.Properties.Get \
            string:org.freedesktop.Secret.Collection string:Locked |
            grep -q false; then
            ready=1
            break
        fi
    fi
    sleep 0.1
done

if [[ "$ready" != 1 ]]; then
    echo "with-keyring: Secret Service did not come up unlocked (default collection: '${collection:-none}')" >&2
    cat "$daemon_log" >&2 2>/dev/null || true
    exit 125
fi

export WSYNC_KEYRING_COLLECTION="$collection"
rc=0
"$@" || rc=$?
exit "$rc"
