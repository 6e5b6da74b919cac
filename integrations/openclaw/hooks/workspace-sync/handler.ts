// OpenClaw internal hook: run `wsync sync --json` when the gateway starts,
// when a session starts (/new, /reset) and when a session ends (/stop).
//
// OpenClaw awaits every handler in turn (`await handler(event)`), and /new,
// /reset and /stop wait for their handlers before they go on. So this
// handler only *starts* the sync and returns at once; the sync runs on in
// the background, bounded by a timeout after which it is stopped (SIGTERM,
// so rclone leaves valid listings; SIGKILL of its process group if it does
// not stop within a grace period). One sync runs at a time: events during a
// sync are served by one follow-up run. Each run logs one line.
//
// Settings, first found wins:
//   1. the hook's entry in openclaw.json, hooks.internal.entries["workspace-sync"]:
//      { "enabled": true, "onStartup": true, "onSessionStart": true,
//        "onSessionEnd": true, "folder": "workspace", "timeoutSeconds": 120,
//        "env": { "WSYNC_BIN": "...", "WSYNC_CONFIG": "..." } }
//      (OpenClaw hands the config to hooks only as event.context.cfg, on
//      gateway:startup and command:new/reset; /stop carries none, so the
//      entry last seen is used for it);
//   2. the entry's "env" map (which OpenClaw does not put into process.env),
//      then the gateway's environment: WSYNC_HOOK_ON_STARTUP,
//      WSYNC_HOOK_ON_SESSION_START, WSYNC_HOOK_ON_SESSION_END (0|1),
//      WSYNC_HOOK_FOLDER, WSYNC_HOOK_TIMEOUT (seconds), WSYNC_BIN;
//   3. defaults: every branch on, every folder, 120 s, `wsync` from PATH.
// The entry's "env" map is also given to wsync (e.g. WSYNC_CONFIG, or a
// variable that the wsync config references as "${NAME}").
//
// Plain TypeScript with erasable types only, so that Node loads it as is
// (OpenClaw imports it with `import()`; Node strips the types).

import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";

const HOOK_KEY = "workspace-sync";
const TAG = "[workspace-sync]";
const DEFAULT_TIMEOUT_SECONDS = 120;
const KILL_GRACE_MS = 10_000;
const MAX_LINE = 400;

type Branch = "onStartup" | "onSessionStart" | "onSessionEnd";

type HookEvent = {
  type: string;
  action: string;
  sessionKey?: string;
  context?: Record<string, unknown>;
  messages?: string[];
};

type Entry = Record<string, unknown> & { env?: Record<string, unknown> };

export type Settings = {
  enabled: boolean;
  folder?: string;
  timeoutMs: number;
  bin: string;
  env: Record<string, string>;
};

const BRANCH_ENV: Record<Branch, string> = {
  onStartup: "WSYNC_HOOK_ON_STARTUP",
  onSessionStart: "WSYNC_HOOK_ON_SESSION_START",
  onSessionEnd: "WSYNC_HOOK_ON_SESSION_END",
};

/** The branch an event belongs to, or undefined for events this hook ignores. */
function branchOf(event: HookEvent): Branch | undefined {
  const key = `${event?.type}:${event?.action}`;
  if (key === "gateway:startup") return "onStartup";
  if (key === "command:new" || key === "command:reset") return "onSessionStart";
  if (key === "command:stop") return "onSessionEnd";
  return undefined;
}

// The hook's config entry as last seen on an event that carried the config.
let lastEntry: Entry | undefined;

function entryFrom(event: HookEvent): Entry | undefined {
  const cfg = event?.context?.cfg as { hooks?: { internal?: { entries?: Record<string, unknown> } } } | undefined;
  if (cfg && typeof cfg === "object") {
    const entry = cfg.hooks?.internal?.entries?.[HOOK_KEY];
    lastEntry = entry && typeof entry === "object" ? (entry as Entry) : undefined;
  }
  return lastEntry;
}

function stringEnv(entry: Entry | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const env = entry?.env;
  if (env && typeof env === "object") {
    for (const [k, v] of Object.entries(env)) {
      if (typeof v === "string") out[k] = v;
    }
  }
  return out;
}

function parseFlag(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value !== "string") return undefined;
  const v = value.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  return undefined;
}

/** The settings in force for one branch. */
export function resolveSettings(branch: Branch, entry: Entry | undefined, processEnv: NodeJS.ProcessEnv = process.env): Settings {
  const hookEnv = stringEnv(entry);
  const fromEnv = (name: string): string | undefined => {
    const v = hookEnv[name] ?? processEnv[name];
    return v === undefined || v.trim() === "" ? undefined : v.trim();
  };
  const enabled = parseFlag(entry?.[branch]) ?? parseFlag(fromEnv(BRANCH_ENV[branch])) ?? true;
  const folderRaw = entry?.folder ?? fromEnv("WSYNC_HOOK_FOLDER");
  const folder = typeof folderRaw === "string" && folderRaw.trim() !== "" ? folderRaw.trim() : undefined;
  const timeoutRaw = entry?.timeoutSeconds ?? fromEnv("WSYNC_HOOK_TIMEOUT");
  const timeoutSeconds = Number(timeoutRaw);
  const timeoutMs = (Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 ? timeoutSeconds : DEFAULT_TIMEOUT_SECONDS) * 1000;
  return { enabled, folder, timeoutMs, bin: fromEnv("WSYNC_BIN") ?? "wsync", env: hookEnv };
}

// ---------------------------------------------------------------------------
// Running wsync: one at a time, with one follow-up run for requests during it.

type Job = { label: string; settings: Settings };

let running: ChildProcess | undefined;
let pending: Job | undefined;
let idleWaiters: Array<() => void> = [];

/** Resolves when no sync started by this hook runs or waits (for tests and shutdown). */
export function whenIdle(): Promise<void> {
  if (!running && !pending) return Promise.resolve();
  return new Promise((resolve) => idleWaiters.push(resolve));
}

function settleIdle(): void {
  if (running || pending) return;
  const waiters = idleWaiters;
  idleWaiters = [];
  for (const w of waiters) w();
}

/** One line, no control characters, bounded length. */
function oneLine(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, " ").replace(/\s+/g, " ").trim();
  return flat.length > MAX_LINE ? `${flat.slice(0, MAX_LINE - 1)}…` : flat;
}

type Report = {
  folder?: string;
  result?: string;
  toLocal?: { copied?: number; deleted?: number };
  toRemote?: { copied?: number; deleted?: number };
  conflicts?: unknown[];
  error?: string | null;
  blocked?: { reason?: string; message?: string; wouldDelete?: number } | null;
  durationMs?: number;
};

function describe(r: Report): string {
  const folder = r.folder ?? "?";
  const n = (x: number | undefined) => (typeof x === "number" ? x : 0);
  const counts = `down ${n(r.toLocal?.copied)} copied/${n(r.toLocal?.deleted)} deleted, up ${n(r.toRemote?.copied)} copied/${n(r.toRemote?.deleted)} deleted`;
  switch (r.result) {
    case "ok":
      return `${folder}: ok (${counts})`;
    case "conflicts":
      return `${folder}: conflicts (${Array.isArray(r.conflicts) ? r.conflicts.length : 0} wait: wsync conflicts ${folder}; ${counts})`;
    case "blocked": {
      const b = r.blocked ?? {};
      const would = typeof b.wouldDelete === "number" ? `, ${b.wouldDelete} file(s) would be deleted` : "";
      return `${folder}: blocked (${b.reason ?? "safety guard"}${would}; nothing was deleted; see wsync status ${folder})`;
    }
    case "failed":
      return `${folder}: failed: ${r.error ?? "unknown error"}`;
    default:
      return `${folder}: ${r.result ?? "unknown result"}`;
  }
}

const EXIT_MEANING: Record<number, string> = { 0: "in sync", 1: "failed", 2: "usage or config error", 3: "conflicts wait", 4: "blocked" };

function start(job: Job): void {
  const { settings, label } = job;
  const args = ["sync", ...(settings.folder ? [settings.folder] : []), "--json"];
  const began = Date.now();
  let stdout = "";
  let stderr = "";
  let timedOut = false;
  let done = false;
  let child: ChildProcess;
  try {
    child = spawn(settings.bin, args, {
      env: { ...process.env, ...settings.env },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so that a kill after the timeout reaches rclone too.
      detached: true,
    });
  } catch (err) {
    log("warn", `${label}: could not start ${settings.bin}: ${errorText(err)}`);
    return next();
  }
  running = child;
  const cap = (s: string, chunk: Buffer) => (s.length > 1_000_000 ? s : s + chunk.toString("utf8"));
  child.stdout?.on("data", (c: Buffer) => (stdout = cap(stdout, c)));
  child.stderr?.on("data", (c: Buffer) => (stderr = cap(stderr, c)));

  let killTimer: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    signal(child, "SIGTERM", false);
    killTimer = setTimeout(() => signal(child, "SIGKILL", true), KILL_GRACE_MS);
    killTimer.unref?.();
  }, settings.timeoutMs);
  timer.unref?.();

  const finish = (code: number | null, sig: NodeJS.Signals | null, spawnError?: unknown) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    if (killTimer) clearTimeout(killTimer);
    const secs = `${((Date.now() - began) / 1000).toFixed(1)} s`;
    if (spawnError) {
      const e = spawnError as NodeJS.ErrnoException;
      const why = e?.code === "ENOENT" ? `${settings.bin} not found; install wsync on PATH or set WSYNC_BIN` : errorText(spawnError);
      log("warn", `${label}: could not run wsync: ${why}`);
    } else if (timedOut) {
      log("warn", `${label}: wsync sync timed out after ${settings.timeoutMs / 1000} s and was stopped`);
    } else {
      const reports = stdout
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l.startsWith("{"))
        .map((l) => {
          try {
            return JSON.parse(l) as Report;
          } catch {
            return undefined;
          }
        })
        .filter((r): r is Report => !!r && typeof r === "object");
      const meaning = code === null ? `killed by ${sig}` : (EXIT_MEANING[code] ?? `exit ${code}`);
      if (reports.length > 0) {
        const level = code === 0 ? "info" : "warn";
        log(level, `${label}: ${reports.map(describe).join("; ")} [exit ${code ?? sig}: ${meaning}, ${secs}]`);
      } else if (code === 0) {
        log("info", `${label}: nothing to sync (${lastLine(stderr) || "no folders"}) [exit 0, ${secs}]`);
      } else {
        log("warn", `${label}: wsync sync failed: ${lastLine(stderr) || "no output"} [exit ${code ?? sig}: ${meaning}, ${secs}]`);
      }
    }
    if (running === child) running = undefined;
    next();
  };
  child.once("error", (err) => finish(null, null, err));
  child.once("close", (code, sig) => finish(code, sig));
}

function next(): void {
  const job = pending;
  pending = undefined;
  if (job) start(job);
  else settleIdle();
}

function signal(child: ChildProcess, sig: NodeJS.Signals, group: boolean): void {
  try {
    if (group && child.pid) process.kill(-child.pid, sig);
    else child.kill(sig);
  } catch {
    // already gone
  }
}

function lastLine(text: string): string {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.length ? lines[lines.length - 1] : "";
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function log(level: "info" | "warn", text: string): void {
  const line = `${TAG} ${oneLine(text)}`;
  if (level === "warn") console.warn(line);
  else console.log(line);
}

const LABELS: Record<Branch, string> = {
  onStartup: "gateway start",
  onSessionStart: "session start",
  onSessionEnd: "session end",
};

/** The hook: starts a sync for the events it is for, and returns at once. */
export default function workspaceSyncHook(event: HookEvent): void {
  try {
    const branch = branchOf(event);
    const entry = entryFrom(event);
    if (!branch) return;
    const settings = resolveSettings(branch, entry);
    if (!settings.enabled) return;
    const label = `sync on ${LABELS[branch]}${settings.folder ? ` of ${settings.folder}` : ""}`;
    if (settings.folder !== undefined && !/^[a-z0-9][a-z0-9-]{0,31}$/.test(settings.folder)) {
      log("warn", `${label}: "${settings.folder}" is not a folder id; set "folder" to an id from wsync status (lowercase letters, digits, dashes)`);
      return;
    }
    const job = { label, settings };
    if (running) pending = job; // one follow-up run serves every request during a sync
    else start(job);
  } catch (err) {
    log("warn", `hook error: ${errorText(err)}`);
  }
}
