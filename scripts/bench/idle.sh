#!/usr/bin/env bash
# Benchmark section 6 (issue #10): the tray app idle with its window closed,
# release build, beside a bare Tauri 2 tray app built in the same run (the
# floor). Goal: RSS <= 1.15x the floor's, 0 CPU ticks.
#
#   scripts/bench/idle.sh [idle.py options, e.g. --seconds 60]
#
# 1. the bundled rclone (scripts/fetch-rclone.sh) and, if ui/dist is missing,
#    the web UI (npm ci if ui/node_modules is missing, npm run build; the
#    app's build.rs copies ui/dist to target/ui-dist, which the app embeds);
# 2. the app: cargo build --release --locked -p workspace-sync;
# 3. the floor: scripts/bench/floor/ copied to target/bench-floor/ with the
#    root Cargo.lock and two icons, built --release into the same target dir
#    (CARGO_TARGET_DIR=target), so it shares the app's compiled dependencies
#    (its Cargo.toml aligns the features for that): only the floor compiles;
# 4. scripts/with-desktop.sh python3 scripts/bench/idle.py --app ... --floor ...
#    (Xvfb, private session bus, keyring, StatusNotifierWatcher).
#
# Exits non-zero only if a build or the measurement itself fails, never
# because a goal is missed. Build times go to stderr.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"

step() { echo "idle.sh: $*" >&2; }

t=$SECONDS
./scripts/fetch-rclone.sh >/dev/null
# As tests/app/run.sh: only when missing. Rebuilding it every time would make
# the app's build.rs (rerun-if-changed=ui/dist) recompile and relink the app
# on every run, and the window's content does not matter to an idle tray.
if [[ ! -f ui/dist/index.html ]]; then
    (cd ui && { [[ -d node_modules ]] || npm ci --no-audit --no-fund; } && npm run build) >&2
    step "web UI built in $((SECONDS - t)) s"
fi

t=$SECONDS
cargo build --release --locked -p workspace-sync >&2
step "app (release) built in $((SECONDS - t)) s"

t=$SECONDS
floor="$root/target/bench-floor"
# capabilities/: empty (no capability), but present: tauri-build watches it
# (rerun-if-changed), and a missing path would rerun the build every time.
mkdir -p "$floor/icons" "$floor/capabilities"
# -p keeps the template's times, so an unchanged floor is not rebuilt.
cp -rp scripts/bench/floor/. "$floor/"
cp -p Cargo.lock "$floor/Cargo.lock"
cp -p icons/icon.png icons/tray-idle@2x.png "$floor/icons/"
# Not --locked: cargo drops the app's packages from the copied lock file
# (the versions of those the floor uses stay as the app's).
(cd "$floor" && CARGO_TARGET_DIR="$root/target" cargo build --release) >&2
step "floor (release) built in $((SECONDS - t)) s"

exec ./scripts/with-desktop.sh python3 scripts/bench/idle.py \
    --app "$root/target/release/workspace-sync" \
    --floor "$root/target/release/wsync-bench-floor" "$@"
