#!/usr/bin/env bash
# Set up a fresh machine and run every test: unit tests, and integration
# tests of the real `wsync` binary against the real rclone and its loopback
# servers (WebDAV, S3, SFTP), with the keychain tests in a private session
# bus with an unlocked gnome-keyring; the web UI's tests; and the tray app
# end to end under Xvfb (tray menu over D-Bus, notifications, WebDriver).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
export WSYNC_RCLONE="$PWD/src-tauri/binaries/rclone-x86_64-unknown-linux-gnu"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# The web UI: its unit tests, and the build that the desktop app embeds.
(cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build && npm test) 2>&1 | tee "$log" || status=$?
cargo build --workspace --locked --all-targets
./scripts/with-keyring.sh cargo test --workspace --locked 2>&1 | tee -a "$log" || status=$?
# The desktop app end to end: tray over D-Bus, notifications, the WebView.
WSYNC_APP_SKIP_BUILD=1 tests/app/run.sh 2>&1 | tee -a "$log" || status=$?
# One closing line over every test runner (cargo's, vitest's, the app's).
awk '/^test result:/ || /^ *Tests +[0-9]/ || /^app: [0-9]+ passed/ {
       for (i = 2; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }
     END { printf "%d passed, %d failed\n", p, f }' "$log"
exit "$status"
