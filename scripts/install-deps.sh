#!/usr/bin/env bash
# Install what building and testing Workspace Sync needs on a fresh
# Debian/Ubuntu machine: system packages (apt) and the pinned rclone.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: a session bus and gnome-keyring for the keychain tests,
# Xvfb and the WebKit/appindicator stack for the desktop app and its tests.
PACKAGES=(
  build-essential pkg-config file curl python3
  dbus-daemon dbus-bin dbus-x11 gnome-keyring libsecret-tools
)
if [ "${WSYNC_DESKTOP_DEPS:-1}" = 1 ]; then
  PACKAGES+=(libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libssl-dev
             xvfb webkit2gtk-driver python3-gi gir1.2-glib-2.0)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { echo "install-deps: cargo is missing; install Rust (rustup) first" >&2; exit 1; }
command -v npm >/dev/null || { echo "install-deps: npm is missing; install Node.js 20 or newer first" >&2; exit 1; }
# WebDriver bridge for the desktop app's end-to-end tests.
if [ "${WSYNC_DESKTOP_DEPS:-1}" = 1 ] && ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  cargo install tauri-driver --locked --version "^2" --quiet
fi
./scripts/fetch-rclone.sh
