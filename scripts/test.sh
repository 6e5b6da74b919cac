#!/usr/bin/env bash
# Set up a fresh machine and run every test: unit tests, and integration
# tests of the real `wsync` binary against the real rclone and its loopback
# servers (WebDAV, S3, SFTP), with the keychain tests in a private session
# bus with an unlocked gnome-keyring (the randomized model-based suite's
# fixed seed set among them); the web UI's tests and type check (its types
# are generated from the Rust ones and must be up to date); the tray app
# end to end under Xvfb (tray menu over D-Bus, notifications, WebDriver);
# the OpenClaw skill and hook in the real gateway; and the .deb's contents.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
export WSYNC_RCLONE="$PWD/src-tauri/binaries/rclone-x86_64-unknown-linux-gnu"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
step() { echo "==== $* ($(date +%T))"; }
# The web UI: its unit tests, and the build that the desktop app embeds.
step "web UI"
(cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build && npm test) 2>&1 | tee "$log" || status=$?
step "cargo build"
cargo build --workspace --locked --all-targets
step "cargo test"
./scripts/with-keyring.sh cargo test --workspace --locked 2>&1 | tee -a "$log" || status=$?
# `cargo test` writes the TypeScript types of the views again: the
# committed ones must be what the Rust code says.
if ! git diff --quiet -- ui/src/bindings || [ -n "$(git ls-files --others --exclude-standard -- ui/src/bindings)" ]; then
  echo "bindings: ui/src/bindings is out of date with the Rust types; commit what cargo test wrote" | tee -a "$log"
  echo "bindings: 0 passed, 1 failed" >>"$log"; status=1
else
  echo "bindings: 1 passed, 0 failed" | tee -a "$log"
fi
# The desktop app end to end: tray over D-Bus, notifications, the WebView.
step "app end to end"
WSYNC_APP_SKIP_BUILD=1 tests/app/run.sh 2>&1 | tee -a "$log" || status=$?
# The OpenClaw half: the skill and the hook in the real gateway.
step "openclaw"
WSYNC_BIN=target/debug/wsync ./scripts/test-openclaw.sh 2>&1 | tee -a "$log" || status=$?
# The .deb: built from the debug build, its contents checked.
step "deb"
./scripts/check-deb.sh 2>&1 | tee -a "$log" || status=$?
# One closing line over every test runner (cargo's, vitest's, the app's, ...).
awk '/^test result:/ || /^ *Tests +[0-9]/ || /^(app|openclaw|deb|bindings): [0-9]+ passed/ {
       for (i = 2; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }
     END { printf "%d passed, %d failed\n", p, f }' "$log"
exit "$status"
