#!/usr/bin/env bash
# Soak the model-based safety suite (issue #9 "Safety on every path"):
# build once, then run SCENARIOS (default 1000) seeded random scenarios,
# a few at a time, with enough SIGKILLs (of wsync or of its rclone child)
# for at least 200 kills, and print the summary counts and failing seeds.
# Exit status: non-zero when an invariant failed (or too few kills).
#
#   scripts/soak.sh [SCENARIOS]
#
# Knobs (environment): WSYNC_MODEL_BASE_SEED (first seed, default 100000),
# WSYNC_MODEL_KILL_RATE (default 0.1), WSYNC_MODEL_PARALLEL (default 3),
# WSYNC_MODEL_STEPS (default 3-6), WSYNC_MODEL_REMOTE, WSYNC_MODEL_LOGS
# (full operations logs printed for this many failing scenarios, default 30).
# Replay one failing seed: WSYNC_MODEL_SEED=<n> cargo test -p wsync-cli
# --test it randomized_model -- --nocapture (with the same WSYNC_MODEL_STEPS).
set -euo pipefail
cd "$(dirname "$0")/.."

scenarios="${1:-1000}"
case "$scenarios" in '' | *[!0-9]*) echo "usage: scripts/soak.sh [SCENARIOS]" >&2; exit 2 ;; esac
export WSYNC_RCLONE="${WSYNC_RCLONE:-$PWD/src-tauri/binaries/rclone-x86_64-unknown-linux-gnu}"
if [ ! -x "$WSYNC_RCLONE" ]; then
  echo "soak: rclone is missing at $WSYNC_RCLONE: run scripts/fetch-rclone.sh (or set WSYNC_RCLONE)" >&2
  exit 2
fi
export WSYNC_MODEL_SCENARIOS="$scenarios"
export WSYNC_MODEL_BASE_SEED="${WSYNC_MODEL_BASE_SEED:-100000}"
export WSYNC_MODEL_KILL_RATE="${WSYNC_MODEL_KILL_RATE:-0.1}"
export WSYNC_MODEL_PARALLEL="${WSYNC_MODEL_PARALLEL:-3}"
export WSYNC_MODEL_LOGS="${WSYNC_MODEL_LOGS:-30}"
# Shorter histories than the default test (4-8 steps), so that a thousand
# scenarios finish in well under an hour on 2 cores.
export WSYNC_MODEL_STEPS="${WSYNC_MODEL_STEPS:-3-6}"
unset WSYNC_MODEL_SEED

target="${CARGO_TARGET_DIR:-$PWD/target}"
mkdir -p "$target"
log="$target/soak-$(date -u +%Y%m%dT%H%M%SZ).log"

echo "soak: building once" >&2
cargo test -p wsync-cli --test it --locked --no-run >&2
echo "soak: $scenarios scenarios from seed $WSYNC_MODEL_BASE_SEED, kill rate $WSYNC_MODEL_KILL_RATE, $WSYNC_MODEL_PARALLEL at a time; full log: $log" >&2
status=0
started=$(date +%s)
cargo test -p wsync-cli --test it --locked model::randomized_model_small_seed_set -- --exact --nocapture >"$log" 2>&1 || status=$?
elapsed=$(( $(date +%s) - started ))

# What failed, by kind (one line per failure kind and cause).
echo "soak: failures by kind:"
norm='s#/tmp/wsync-it-[A-Za-z0-9]+#TMP#g; s#127\.0\.0\.1:[0-9]+#PORT#g; s#[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9:.]+( \+0000 UTC)?#TIME#g'
grep -h '^MODEL FAILURE' "$log" | sed -E 's/^MODEL FAILURE seed=[0-9]+ step=[0-9?]+: //' | sed -E "$norm" \
  | sed -E 's/^version lost: .*; ([^;]+)$/version lost: \1/; s/^(sides differ after the quiet sync).*/\1/; s/^(a run asked for --resync).*/\1/; s/^(stray partial files).*/\1/; s/^(stuck: an emptied side fails every sync \("Empty [a-z]+ Path[12] listing)[^"]*"\).*/\1")/; t; s/^(stuck: an emptied side fails every sync).*/\1/; s/^(the scenario panicked).*/\1/' \
  | sort | uniq -c | sort -rn || true
echo "soak: notes by kind:"
grep -h '^MODEL NOTE' "$log" | sed -E "$norm" | sed -E 's/^MODEL NOTE seed=[0-9]+ step=[0-9?]+: //; s/^(false block \([a-z-]+\)).*/\1/; s/^(sync failed [0-9]+ times in a row).*error: (.{0,90}).*/\1: \2/; s/^(a run hung: no answer within [0-9]+ s).*/\1/; s/^(a mass delete went through without a block).*/\1/' \
  | sort | uniq -c | sort -rn || true
grep -h '^model: .*failing seeds' "$log" || true
grep -h '^model notes:' "$log" || true
summary=$(grep -h -m1 "^model: scenarios=" "$log" || true)
echo "${summary:-soak: no summary line (the test did not finish; see $log)}"
echo "soak: ${elapsed}s; full log: $log"
[ -n "$summary" ] || exit 1
kills=$(sed -E 's/.* kills=([0-9]+).*/\1/' <<<"$summary")
if [ "$scenarios" -ge 1000 ] && [ "$kills" -lt 200 ]; then
  echo "soak: only $kills kills; raise WSYNC_MODEL_KILL_RATE" >&2
  status=1
fi
exit "$status"
