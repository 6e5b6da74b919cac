#!/usr/bin/env bash
# Set up a fresh machine, build Workspace Sync and run it.
#   - On a desktop (DISPLAY or WAYLAND_DISPLAY set): the tray app.
#   - On a server without a desktop: the `wsync` setup wizard when no folder
#     is configured yet, then the sync daemon (Ctrl-C stops it cleanly).
#   - With arguments: `wsync ARGS`.
set -euo pipefail
cd "$(dirname "$0")/.."

desktop=0
if [ $# -eq 0 ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
  desktop=1
fi
WSYNC_DESKTOP_DEPS=$desktop ./scripts/install-deps.sh
export WSYNC_RCLONE="${WSYNC_RCLONE:-$PWD/src-tauri/binaries/rclone-x86_64-unknown-linux-gnu}"
if [ "$desktop" = 1 ]; then
  (cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build)
  cargo build --release --locked -p workspace-sync -p wsync-cli
  exec target/release/workspace-sync
fi
cargo build --release --locked -p wsync-cli
WSYNC=target/release/wsync
if [ $# -gt 0 ]; then
  exec "$WSYNC" "$@"
fi
config="${WSYNC_CONFIG:-${XDG_CONFIG_HOME:-$HOME/.config}/workspace-sync/config.json}"
if [ ! -f "$config" ]; then
  "$WSYNC" setup
fi
exec "$WSYNC" daemon
