// The workspace-sync hook's handler against the real `wsync` binary and the
// real bundled rclone, with a local-folder remote in a temp dir.
//
//   WSYNC_BIN=/path/to/wsync WSYNC_RCLONE=/path/to/rclone node --test "integrations/openclaw/tests/*.test.mjs"
//
// Each test imports a fresh copy of handler.ts (a new URL query gives a new
// module instance, as OpenClaw's loader does), so no state leaks between
// tests. Node loads handler.ts by stripping its types, as the gateway does.

import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const HANDLER = new URL("../hooks/workspace-sync/handler.ts", import.meta.url).href;
const WSYNC = process.env.WSYNC_BIN;
const RCLONE = process.env.WSYNC_RCLONE;
assert.ok(WSYNC && path.isAbsolute(WSYNC) && fs.existsSync(WSYNC), "set WSYNC_BIN to the absolute path of a built wsync");
assert.ok(RCLONE && fs.existsSync(RCLONE), "set WSYNC_RCLONE to the bundled rclone");

const HOOK_ENV_NAMES = [
  "WSYNC_BIN",
  "WSYNC_CONFIG",
  "WSYNC_HOOK_ON_STARTUP",
  "WSYNC_HOOK_ON_SESSION_START",
  "WSYNC_HOOK_ON_SESSION_END",
  "WSYNC_HOOK_FOLDER",
  "WSYNC_HOOK_TIMEOUT",
];

let instance = 0;
async function freshHook() {
  return import(`${HANDLER}?test=${++instance}`);
}

/** A wsync world: HOME, XDG dirs, a local folder, a local-folder remote, a config. */
function world(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wsync-hook-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const home = path.join(dir, "home");
  const local = path.join(dir, "local");
  const remoteRoot = path.join(dir, "remote");
  for (const d of [home, local, remoteRoot, path.join(dir, "run")]) fs.mkdirSync(d, { recursive: true });
  const config = path.join(dir, "config.json");
  writeConfig(config, local, remoteRoot);
  // A wrapper that notes each run, then is the real wsync.
  const marker = path.join(dir, "runs.log");
  const bin = path.join(dir, "wsync");
  fs.writeFileSync(bin, `#!/bin/sh\necho "$*" >> '${marker}'\nexec '${WSYNC}' "$@"\n`, { mode: 0o755 });
  const env = {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_DATA_HOME: path.join(home, ".local/share"),
    XDG_STATE_HOME: path.join(home, ".local/state"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
    XDG_RUNTIME_DIR: path.join(dir, "run"),
    WSYNC_RCLONE: RCLONE,
    WSYNC_CONFIG: config,
    WSYNC_BIN: bin,
  };
  const runs = () => (fs.existsSync(marker) ? fs.readFileSync(marker, "utf8").trim().split("\n").filter(Boolean) : []);
  return { dir, local, remote: path.join(remoteRoot, "share"), config, env, bin, runs };
}

function writeConfig(file, local, remoteRoot) {
  const doc = {
    version: 1,
    folders: [{ id: "ws", localPath: local, provider: "local", local: { path: remoteRoot }, remotePath: "share", interval: 0, watch: false }],
  };
  fs.writeFileSync(file, JSON.stringify(doc, null, 2));
}

/** The config OpenClaw hands to hooks, with this hook's entry. */
function cfgWith(entry) {
  return { hooks: { internal: { entries: { "workspace-sync": { enabled: true, ...entry } } } } };
}

function event(type, action, cfg) {
  return { type, action, sessionKey: "agent:main:main", context: cfg ? { cfg } : {}, timestamp: new Date(), messages: [] };
}

/** The hook's log lines (console.log and console.warn) during the test. */
function captureLogs(t) {
  const lines = [];
  const keep = (...args) => lines.push(args.join(" "));
  t.mock.method(console, "log", keep);
  t.mock.method(console, "warn", keep);
  return lines;
}

/** Set process env vars for one test, restoring them after. */
function processEnv(t, vars) {
  const saved = {};
  for (const k of HOOK_ENV_NAMES.concat(Object.keys(vars))) saved[k] = process.env[k];
  for (const k of HOOK_ENV_NAMES) delete process.env[k];
  Object.assign(process.env, vars);
  t.after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

/** Call the handler; it must return at once, without a promise to wait for. */
function fire(hook, ev) {
  const t0 = Date.now();
  const ret = hook.default(ev);
  const ms = Date.now() - t0;
  assert.equal(ret, undefined, "the handler returns nothing to await");
  assert.ok(ms < 1000, `the handler returned after ${ms} ms`);
}

/** Whether a process is gone (or a zombie waiting for init), polling for up to 3 s. */
async function gone(pid) {
  for (let i = 0; i < 30; i++) {
    try {
      process.kill(pid, 0);
      const state = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
      if (state === "Z") return true;
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function idle(hook, limitMs = 60_000) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${limitMs} ms`)), limitMs);
  });
  try {
    await Promise.race([hook.whenIdle(), limit]);
  } finally {
    clearTimeout(timer);
  }
}

test("session start (/new, /reset) syncs in the background with the config's hook entry, one line each", async (t) => {
  processEnv(t, {});
  const w = world(t);
  const logs = captureLogs(t);
  const hook = await freshHook();
  const cfg = cfgWith({ folder: "ws", env: { ...w.env, SOME_TOKEN: "tok-Secret-4711" } });

  fs.writeFileSync(path.join(w.local, "hello.md"), "hello from the desktop");
  fire(hook, event("command", "new", cfg));
  assert.ok(!fs.existsSync(path.join(w.remote, "hello.md")) || logs.length === 0, "the handler did not wait for the sync");
  await idle(hook);
  assert.equal(fs.readFileSync(path.join(w.remote, "hello.md"), "utf8"), "hello from the desktop");
  assert.deepEqual(w.runs(), ["sync ws --json"]);
  assert.equal(logs.length, 1, logs.join("\n"));
  assert.match(logs[0], /^\[workspace-sync\] sync on session start of ws: ws: ok \(down 0 copied\/0 deleted, up 1 copied\/0 deleted\) \[exit 0: in sync, [\d.]+ s\]$/);

  fs.writeFileSync(path.join(w.local, "second.md"), "after a reset");
  fire(hook, event("command", "reset", cfg));
  await idle(hook);
  assert.equal(fs.readFileSync(path.join(w.remote, "second.md"), "utf8"), "after a reset");
  assert.equal(logs.length, 2, logs.join("\n"));
  assert.match(logs[1], /sync on session start of ws: ws: ok/);
  for (const l of logs) assert.ok(!l.includes("tok-Secret-4711") && !l.includes(w.config), `no env values in the log: ${l}`);
});

test("session end (/stop) syncs, with the hook entry last seen (stop events carry no config)", async (t) => {
  processEnv(t, {});
  const w = world(t);
  const logs = captureLogs(t);
  const hook = await freshHook();
  // The gateway's start hands over the config; its own branch is off here.
  fire(hook, event("gateway", "startup", cfgWith({ onStartup: false, env: w.env })));
  await idle(hook);
  assert.deepEqual(w.runs(), [], "the switched-off startup branch ran nothing");

  fs.writeFileSync(path.join(w.local, "notes.md"), "written during the session");
  fs.mkdirSync(path.join(w.remote), { recursive: true });
  fire(hook, event("command", "stop"));
  await idle(hook);
  assert.equal(fs.readFileSync(path.join(w.remote, "notes.md"), "utf8"), "written during the session");
  assert.deepEqual(w.runs(), ["sync --json"], "every folder when no folder is set");
  assert.equal(logs.length, 1, logs.join("\n"));
  assert.match(logs[0], /^\[workspace-sync\] sync on session end: ws: ok \(/);
});

test("session end with no config at all takes the gateway's environment", async (t) => {
  const w = world(t);
  processEnv(t, { ...w.env, WSYNC_HOOK_FOLDER: "ws" });
  const logs = captureLogs(t);
  const hook = await freshHook();
  fs.mkdirSync(path.join(w.remote, "from-cloud"), { recursive: true });
  fs.writeFileSync(path.join(w.remote, "from-cloud", "plan.md"), "made in the cloud");
  fire(hook, event("command", "stop"));
  await idle(hook);
  assert.equal(fs.readFileSync(path.join(w.local, "from-cloud", "plan.md"), "utf8"), "made in the cloud");
  assert.deepEqual(w.runs(), ["sync ws --json"]);
  assert.equal(logs.length, 1, logs.join("\n"));
  assert.match(logs[0], /sync on session end of ws: ws: ok \(down 1 copied\/0 deleted, up 0 copied\/0 deleted\)/);
});

test("a switched-off branch does not run wsync (config field, entry env, process env)", async (t) => {
  const w = world(t);
  processEnv(t, { ...w.env, WSYNC_HOOK_ON_STARTUP: "0" });
  const logs = captureLogs(t);
  const hook = await freshHook();
  fs.writeFileSync(path.join(w.local, "stays.md"), "not synced");
  fire(hook, event("command", "new", cfgWith({ onSessionStart: false, env: w.env })));
  fire(hook, event("command", "reset", cfgWith({ onSessionStart: "0", env: w.env })));
  fire(hook, event("command", "stop", cfgWith({ env: { ...w.env, WSYNC_HOOK_ON_SESSION_END: "0" } })));
  fire(hook, event("gateway", "startup", cfgWith({ env: w.env })));
  // Events the hook is not for.
  fire(hook, event("message", "received", cfgWith({ env: w.env })));
  fire(hook, event("command", "stop", cfgWith({ onSessionEnd: false, env: w.env })));
  await idle(hook);
  assert.deepEqual(w.runs(), []);
  assert.deepEqual(logs, []);
  assert.ok(!fs.existsSync(path.join(w.remote, "stays.md")));
});

test("a wsync failure (bad config) is logged as one line and does not throw", async (t) => {
  processEnv(t, {});
  const w = world(t);
  const logs = captureLogs(t);
  const hook = await freshHook();
  fs.writeFileSync(w.config, '{ "version": 1, "folders": [ { "id": "ws", "provider": "ftp" } ] ');
  fire(hook, event("command", "new", cfgWith({ env: w.env })));
  await idle(hook);
  assert.equal(w.runs().length, 1);
  assert.equal(logs.length, 1, logs.join("\n"));
  assert.ok(!logs[0].includes("\n"));
  assert.match(logs[0], /^\[workspace-sync\] sync on session start: wsync sync failed: wsync: error: .*config\.json: .*provider.* \[exit 2: usage or config error, [\d.]+ s\]$/);

  // An unknown folder id, and a folder id that is not one at all.
  writeConfig(w.config, w.local, path.join(w.dir, "remote"));
  fire(hook, event("command", "new", cfgWith({ folder: "elsewhere", env: w.env })));
  await idle(hook);
  assert.match(logs[1], /sync on session start of elsewhere: wsync sync failed: wsync: error: no folder "elsewhere".* \[exit 2/);
  fire(hook, event("command", "new", cfgWith({ folder: "--confirm-deletes", env: w.env })));
  await idle(hook);
  assert.match(logs[2], /"--confirm-deletes" is not a folder id/);
  assert.equal(w.runs().length, 2, "no wsync run for a bad folder id");
  assert.equal(logs.length, 3);
});

test("a missing wsync binary is logged as one line", async (t) => {
  processEnv(t, {});
  const w = world(t);
  const logs = captureLogs(t);
  const hook = await freshHook();
  fire(hook, event("gateway", "startup", cfgWith({ env: { ...w.env, WSYNC_BIN: path.join(w.dir, "no-such-wsync") } })));
  await idle(hook);
  assert.equal(logs.length, 1, logs.join("\n"));
  assert.match(logs[0], /^\[workspace-sync\] sync on gateway start: could not run wsync: .*no-such-wsync not found; install wsync on PATH or set WSYNC_BIN$/);
});

test("events during a sync are served by one follow-up run", async (t) => {
  processEnv(t, {});
  const w = world(t);
  const logs = captureLogs(t);
  const hook = await freshHook();
  const cfg = cfgWith({ folder: "ws", env: w.env });
  fs.writeFileSync(path.join(w.local, "a.md"), "a");
  fire(hook, event("gateway", "startup", cfg));
  fire(hook, event("command", "new", cfg));
  fire(hook, event("command", "reset", cfg));
  fire(hook, event("command", "stop"));
  await idle(hook);
  assert.equal(w.runs().length, 2, `runs: ${w.runs().join(" | ")}`);
  assert.equal(logs.length, 2, logs.join("\n"));
  assert.match(logs[0], /sync on gateway start of ws: ws: ok/);
  assert.match(logs[1], /sync on session end of ws: ws: ok/, "the last request wins the follow-up");
  assert.ok(fs.existsSync(path.join(w.remote, "a.md")));
});

test("a sync that outlives its timeout is stopped and logged", async (t) => {
  processEnv(t, {});
  const w = world(t);
  const logs = captureLogs(t);
  const hook = await freshHook();
  // A stand-in for a hung wsync: it records its pid and sleeps.
  const pidFile = path.join(w.dir, "hung.pid");
  const hung = path.join(w.dir, "hung-wsync");
  fs.writeFileSync(hung, `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 60\n`, { mode: 0o755 });
  const t0 = Date.now();
  fire(hook, event("command", "new", cfgWith({ timeoutSeconds: 1, env: { ...w.env, WSYNC_BIN: hung } })));
  await idle(hook, 20_000);
  assert.ok(Date.now() - t0 < 15_000);
  assert.equal(logs.length, 1, logs.join("\n"));
  assert.match(logs[0], /^\[workspace-sync\] sync on session start: wsync sync timed out after 1 s and was stopped$/);
  const pid = Number(fs.readFileSync(pidFile, "utf8"));
  assert.ok(await gone(pid), "the hung process is gone");
});

test("a sync that ignores SIGTERM is killed with its process group after the grace period", async (t) => {
  processEnv(t, {});
  const w = world(t);
  const logs = captureLogs(t);
  const hook = await freshHook();
  // A stand-in for a stuck wsync with a child (like its rclone): both ignore SIGTERM.
  const pidFile = path.join(w.dir, "stuck.pids");
  const stuck = path.join(w.dir, "stuck-wsync");
  fs.writeFileSync(stuck, `#!/bin/sh\ntrap '' TERM\nsleep 60 &\necho "$$ $!" > '${pidFile}'\nwait\n`, { mode: 0o755 });
  const t0 = Date.now();
  fire(hook, event("command", "stop", cfgWith({ timeoutSeconds: 1, env: { ...w.env, WSYNC_BIN: stuck } })));
  await idle(hook, 30_000);
  const ms = Date.now() - t0;
  assert.ok(ms >= 10_000 && ms < 20_000, `stopped after ${ms} ms (1 s timeout + 10 s grace)`);
  assert.equal(logs.length, 1, logs.join("\n"));
  assert.match(logs[0], /sync on session end: wsync sync timed out after 1 s and was stopped$/);
  for (const pid of fs.readFileSync(pidFile, "utf8").trim().split(" ").map(Number)) {
    assert.ok(await gone(pid), `process ${pid} is gone`);
  }
});
