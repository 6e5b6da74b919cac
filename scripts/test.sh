#!/usr/bin/env bash
# Set up a fresh machine and run every test: unit tests, and integration
# tests of the real `wsync` binary against the real rclone and its loopback
# servers (WebDAV, S3, SFTP), with the keychain tests in a private session
# bus with an unlocked gnome-keyring.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
export WSYNC_RCLONE="$PWD/src-tauri/binaries/rclone-x86_64-unknown-linux-gnu"
cargo build --workspace --locked --all-targets
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
./scripts/with-keyring.sh cargo test --workspace --locked 2>&1 | tee "$log" || status=$?
# One closing line over every test binary.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }
     END { printf "%d passed, %d failed\n", p, f }' "$log"
exit "$status"
