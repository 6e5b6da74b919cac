#!/usr/bin/env bash
# Build the Debian package of Workspace Sync, offline, with Tauri's bundler:
#
#   scripts/build-deb.sh        → target/release/bundle/deb/Workspace Sync_<version>_amd64.deb
#
# It carries the app (/usr/bin/workspace-sync), the rclone sidecar
# (/usr/bin/wsync-rclone, found by the core next to the executable), the `wsync`
# CLI (/usr/bin/wsync), a desktop entry and the icons; its dependencies are
# declared in tauri.conf.json (bundle.linux.deb.depends).
#
# Steps: fetch the pinned rclone; build the web UI (npm run build in ui/, after
# npm ci if ui/node_modules is missing); build the CLI in release; then
# `tauri build --bundles deb` with the Tauri CLI from npm (@tauri-apps/cli 2.x,
# run through npx), which builds the app in release and bundles it.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/fetch-rclone.sh
(cd ui && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build)
cargo build --release --locked -p wsync-cli
TAURI_CLI_VERSION="${TAURI_CLI_VERSION:-^2.9}"
npx --yes "@tauri-apps/cli@$TAURI_CLI_VERSION" build --bundles deb "$@"
deb=$(ls -t target/release/bundle/deb/*.deb | head -n1)
echo "build-deb: $deb"
dpkg-deb --info "$deb" | sed -n '/Package:/,/Description:/p'
dpkg-deb --contents "$deb" | awk '{print $NF}' | grep -E 'bin/|\.desktop|icons/hicolor/128' || true
