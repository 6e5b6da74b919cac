#!/usr/bin/env bash
# End-to-end tests of the Workspace Sync tray app (the product's acceptance
# tests for the app): tray menu over D-Bus, notifications and their actions,
# the window through WebDriver, and resource use after the window closes.
#
#   tests/app/run.sh [tray] [notifications] [webui] [resources] [host] [ui]   (default: all)
#
# `ui`: the flows through the window (tests/app/ui_flows.py: WebDAV setup,
# Dropbox login against a fake OAuth server, conflicts, blocked, versions,
# bad input); `ui-NAME` runs one of them.
#
# Builds the UI (ui/dist, if missing), the app and the CLI (debug), then runs
# tests/app/e2e.py inside scripts/with-desktop.sh (Xvfb, private session bus,
# unlocked gnome-keyring, StatusNotifierWatcher, recording notification
# server) with a throwaway HOME. Ends with "app: N passed, N failed".
#
# Needs (Debian): xvfb python3 python3-gi gir1.2-glib-2.0 dbus-daemon dbus-bin
# gnome-keyring libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev
# webkit2gtk-driver (WebKitWebDriver), nodejs/npm for the UI; cargo:
# `cargo install tauri-driver --locked --version "^2"`; the bundled rclone
# (scripts/fetch-rclone.sh). WSYNC_APP_SKIP_BUILD=1 skips the builds.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [[ "${WSYNC_APP_SKIP_BUILD:-}" != 1 ]]; then
    ./scripts/fetch-rclone.sh >/dev/null
    if [[ ! -f ui/dist/index.html ]]; then
        echo "run.sh: building the web UI (ui/dist)" >&2
        (cd ui && { [[ -d node_modules ]] || npm ci --no-audit --no-fund; } && npm run build) >&2
    fi
    cargo build -p workspace-sync -p wsync-cli >&2
fi
for tool in WebKitWebDriver Xvfb; do
    command -v "$tool" >/dev/null || echo "run.sh: warning: $tool not found; install webkit2gtk-driver / xvfb" >&2
done
if ! command -v tauri-driver >/dev/null && [[ ! -x "$HOME/.cargo/bin/tauri-driver" ]]; then
    echo "run.sh: warning: tauri-driver not found (cargo install tauri-driver --locked --version '^2'); the webui test will fail" >&2
fi

export WSYNC_APP_BIN="${WSYNC_APP_BIN:-$PWD/target/debug/workspace-sync}"
export WSYNC_CLI_BIN="${WSYNC_CLI_BIN:-$PWD/target/debug/wsync}"
export WSYNC_RCLONE="${WSYNC_RCLONE:-$PWD/src-tauri/binaries/rclone-x86_64-unknown-linux-gnu}"
export TAURI_DRIVER="${TAURI_DRIVER:-$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")}"
# A throwaway HOME/XDG for everything the app and the keyring write.
export WSYNC_KEYRING_TMP_HOME=1
exec ./scripts/with-desktop.sh /usr/bin/python3 tests/app/e2e.py "$@"
