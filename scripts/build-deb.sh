#!/usr/bin/env bash
# Build the Debian package of Workspace Sync, offline, with Tauri's bundler:
#
#   scripts/build-deb.sh          → target/release/bundle/deb/Workspace Sync_<version>_amd64.deb
#   scripts/build-deb.sh --debug  → the same from a debug build (what the test command checks)
#
# It carries the app (/usr/bin/workspace-sync), the rclone sidecar
# (/usr/bin/wsync-rclone, found by the core next to the executable), the `wsync`
# CLI (/usr/bin/wsync), its man page and shell completions (generated from
# the CLI's grammar), the systemd user unit for `wsync daemon`, a desktop
# entry and the icons; its dependencies are declared in tauri.conf.json
# (bundle.linux.deb.depends).
#
# Steps: fetch the pinned rclone; build the web UI (npm run build in ui/, after
# npm ci if ui/node_modules is missing); build the CLI; generate the man page
# and completions; then `tauri build --bundles deb` with the Tauri CLI from npm
# (@tauri-apps/cli 2.x, run through npx), which builds the app and bundles it.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
cargo_flag=--release
tauri_flag=()
if [ "${1:-}" = --debug ]; then
  profile=debug; cargo_flag=; tauri_flag=(--debug); shift
fi

./scripts/fetch-rclone.sh
(cd ui && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build)
cargo build $cargo_flag --locked -p wsync-cli
extra=target/deb-extra
mkdir -p "$extra"
wsync="target/$profile/wsync"
"$wsync" man | gzip -9n > "$extra/wsync.1.gz"
"$wsync" completions bash > "$extra/wsync.bash"
"$wsync" completions zsh > "$extra/_wsync"
"$wsync" completions fish > "$extra/wsync.fish"
# The files beyond the app, for this profile.
cat > "$extra/tauri.deb.json" <<JSON
{ "bundle": { "linux": { "deb": { "files": {
  "/usr/bin/wsync": "target/$profile/wsync",
  "/usr/share/man/man1/wsync.1.gz": "$extra/wsync.1.gz",
  "/usr/share/bash-completion/completions/wsync": "$extra/wsync.bash",
  "/usr/share/zsh/vendor-completions/_wsync": "$extra/_wsync",
  "/usr/share/fish/vendor_completions.d/wsync.fish": "$extra/wsync.fish",
  "/usr/lib/systemd/user/wsync.service": "integrations/systemd/wsync.service"
} } } } }
JSON
TAURI_CLI_VERSION="${TAURI_CLI_VERSION:-^2.9}"
npx --yes "@tauri-apps/cli@$TAURI_CLI_VERSION" build "${tauri_flag[@]}" --bundles deb --config "$extra/tauri.deb.json" "$@"
deb=$(ls -t target/$profile/bundle/deb/*.deb | head -n1)
echo "build-deb: $deb"
dpkg-deb --info "$deb" | sed -n '/Package:/,/Description:/p'
dpkg-deb --contents "$deb" | sed -E "s/^([^ ]+ +){5}//" | grep -E 'bin/|\.desktop|icons/hicolor/128|man1|completions|systemd' || true
