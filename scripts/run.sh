#!/usr/bin/env bash
# Set up a fresh machine, build Workspace Sync and run it: with arguments,
# `wsync ARGS`; without, the setup wizard when no folder is configured yet,
# else the sync daemon (Ctrl-C stops it cleanly).
set -euo pipefail
cd "$(dirname "$0")/.."

WSYNC_DESKTOP_DEPS=${WSYNC_DESKTOP_DEPS:-0} ./scripts/install-deps.sh
cargo build --release --locked -p wsync-cli
export WSYNC_RCLONE="${WSYNC_RCLONE:-$PWD/src-tauri/binaries/rclone-x86_64-unknown-linux-gnu}"
WSYNC=target/release/wsync
if [ $# -gt 0 ]; then
  exec "$WSYNC" "$@"
fi
config="${WSYNC_CONFIG:-${XDG_CONFIG_HOME:-$HOME/.config}/workspace-sync/config.json}"
if [ ! -f "$config" ]; then
  "$WSYNC" setup
fi
exec "$WSYNC" daemon
