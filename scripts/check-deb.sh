#!/usr/bin/env bash
# Build the .deb from the debug build and check what it carries: the app,
# `wsync`, the rclone sidecar (and that it is rclone 1.75.2), the desktop
# entry, the icons, the man page, the completions and the systemd user
# unit. Prints one closing line "deb: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."

pass=0; fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
bad() { echo "not ok - $1"; fail=$((fail + 1)); }

if ! ./scripts/build-deb.sh --debug >target/build-deb.log 2>&1; then
  tail -30 target/build-deb.log
  bad "scripts/build-deb.sh --debug builds the package"
  echo "deb: $pass passed, $fail failed"; exit 1
fi
ok "scripts/build-deb.sh --debug builds the package"
deb=$(ls -t target/debug/bundle/deb/*.deb | head -n1)
# Paths may hold spaces (Tauri names the desktop entry after the product,
# "Workspace Sync.desktop"): drop the five leading columns, keep the rest.
contents=$(dpkg-deb --contents "$deb" | sed -E 's/^([^ ]+ +){5}//; s#^\./##; s#^#/#; s# -> .*$##')
for f in /usr/bin/workspace-sync /usr/bin/wsync /usr/bin/wsync-rclone \
         /usr/share/man/man1/wsync.1.gz /usr/share/bash-completion/completions/wsync \
         /usr/share/zsh/vendor-completions/_wsync /usr/share/fish/vendor_completions.d/wsync.fish \
         /usr/lib/systemd/user/wsync.service; do
  if grep -qx "$f" <<<"$contents"; then ok "carries $f"; else bad "carries $f"; fi
done
desktop=$(grep -E '^/usr/share/applications/.*\.desktop$' <<<"$contents" | head -n1)
if [ -n "$desktop" ]; then ok "carries a desktop entry"; else bad "carries a desktop entry (applications/: $(grep applications <<<"$contents" | tr '\n' ' '))"; fi
if grep -qE '^/usr/share/icons/hicolor/.*/apps/.*\.png$' <<<"$contents"; then ok "carries its icons"; else bad "carries its icons"; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp"
v=$("$tmp/usr/bin/wsync-rclone" version 2>/dev/null | head -n1)
if [ "$v" = "rclone v1.75.2" ]; then ok "the sidecar is rclone 1.75.2"; else bad "the sidecar is rclone 1.75.2 (got '$v')"; fi
if zcat "$tmp/usr/share/man/man1/wsync.1.gz" | grep -q '^\.TH'; then ok "the man page is a man page"; else bad "the man page is a man page"; fi
if grep -q '^ExecStart=/usr/bin/wsync daemon' "$tmp/usr/lib/systemd/user/wsync.service"; then ok "the unit runs wsync daemon"; else bad "the unit runs wsync daemon"; fi
if [ -n "$desktop" ] && grep -q '^Exec=workspace-sync' "$tmp$desktop"; then ok "the desktop entry starts the app"; else bad "the desktop entry starts the app"; fi
if "$tmp/usr/bin/wsync" --version | grep -q '^wsync '; then ok "the packaged wsync runs"; else bad "the packaged wsync runs"; fi
echo "deb: $pass passed, $fail failed"
[ "$fail" = 0 ]
