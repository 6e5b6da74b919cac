#!/usr/bin/env bash
# Workspace Sync's benchmark (issue #10): builds the release `wsync` (and,
# for section 6, the release tray app and a bare Tauri tray app as the
# floor), then prints each figure beside raw rclone's on identical trees in
# the same run. No figure is asserted: read them, and quote medians.
#
#   scripts/bench.sh                 sections 1-6 (about an hour on 2 cores)
#   scripts/bench.sh --sections 1,3  only those (6: the idle tray app)
#   scripts/bench.sh --quick         small trees: a check of the script
#
# Sections: 1 no-op over large files; 2 bytes a no-op moves against a
# loopback WebDAV server without hashes; 3 no-op over 10,000 and 100,000
# small files; 4 save -> remote latency with `wsync daemon` watching; 5 the
# first sync of 100,000 files (time, peak memory); 6 the tray app idle.
# Scratch trees go under $BENCH_SCRATCH (default: the system temp dir;
# about 5 GB free needed) and are removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

sections=1,2,3,4,5,6
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sections) sections="$2"; shift 2 ;;
    --sections=*) sections="${1#*=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done

./scripts/fetch-rclone.sh >/dev/null
cargo build --release --locked -p wsync-cli
export WSYNC_RCLONE="$PWD/src-tauri/binaries/rclone-x86_64-unknown-linux-gnu"
export WSYNC_BIN="$PWD/target/release/wsync"
core="${sections//6/}"; core="${core//,,/,}"; core="${core#,}"; core="${core%,}"
if [ -n "$core" ]; then
  python3 scripts/bench/run.py --sections "$core" "${args[@]}"
fi
case ",$sections," in
  *,6,*) bash scripts/bench/idle.sh ;;
esac
