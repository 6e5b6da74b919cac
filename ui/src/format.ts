// Plain words for states, sizes, times and progress. Pure functions: `now`
// is passed in so that tests (and the ticking clock) decide what "now" is.

import type { FolderView, Progress, SyncDirection, SyncResult } from './types';

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * A message of the app as a sentence: the core words its messages and fixes
 * as lowercase clauses ("the cloud folder is empty; …"), as the terminal
 * shows them after "blocked:". Capitalised, with a full stop if it has none.
 */
export function sentence(text: string): string {
  const t = text.trim();
  if (t === '') return '';
  const s = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(s) ? s : `${s}.`;
}

const UNITS = ['KB', 'MB', 'GB', 'TB'];

/** 0 B, 512 B, 1.5 KB, 41 MB, 3.2 GB (1 KB = 1024 bytes). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const rounded = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  // 1023.9 KB rounds to 1024 KB: say 1 MB instead.
  if (rounded >= 1024 && unit < UNITS.length - 1) return `1 ${UNITS[unit + 1]}`;
  return `${rounded} ${UNITS[unit]}`;
}

/** "less than a minute left", "about 3 min left", "about 1 h 5 min left". */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 60) return 'less than a minute left';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `about ${h} h left` : `about ${h} h ${m} min left`;
}

function parse(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Nov 25, 14:32" (local time), with the year when it is not this year's. */
export function formatDateTime(iso: string | undefined, now: number = Date.now()): string {
  const t = parse(iso);
  if (t === undefined) return '';
  const d = new Date(t);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  const year = d.getFullYear() === new Date(now).getFullYear() ? '' : ` ${d.getFullYear()}`;
  return `${MONTHS[d.getMonth()]} ${d.getDate()}${year}, ${hm}`;
}

/** "just now", "2 min ago", "3 hours ago", "yesterday", "4 days ago", then the date. */
export function timeAgo(iso: string | undefined, now: number = Date.now()): string {
  const t = parse(iso);
  if (t === undefined) return '';
  const s = Math.round((now - t) / 1000);
  if (s < 45) return 'just now';
  const min = Math.round(s / 60);
  if (min < 60) return `${Math.max(1, min)} min ago`;
  const h = Math.round(min / 60);
  if (h < 24) return h === 1 ? '1 hour ago' : `${h} hours ago`;
  const days = Math.round(h / 24);
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  return formatDateTime(iso, now);
}

/** "in less than a minute", "in 4 min", "in 2 hours", "now". */
export function timeUntil(iso: string | undefined, now: number = Date.now()): string {
  const t = parse(iso);
  if (t === undefined) return '';
  const s = Math.round((t - now) / 1000);
  if (s <= 5) return 'now';
  if (s < 60) return 'in less than a minute';
  const min = Math.round(s / 60);
  if (min < 60) return `in ${min} min`;
  const h = Math.round(min / 60);
  if (h < 24) return h === 1 ? 'in 1 hour' : `in ${h} hours`;
  return `on ${formatDateTime(iso, now)}`;
}

/** 0–100, from bytes when their total is known, else from files. */
export function progressPercent(p: Progress): number {
  let ratio = 0;
  if (p.totalBytes > 0) ratio = p.bytes / p.totalBytes;
  else if (p.filesTotal > 0) ratio = p.filesDone / p.filesTotal;
  return Math.max(0, Math.min(100, Math.floor(ratio * 100)));
}

/** "3 of 12 files · 4.1 MB of 10 MB · about 2 min left" */
export function progressDetail(p: Progress): string {
  const parts = [`${p.filesDone} of ${plural(p.filesTotal, 'file')}`];
  if (p.totalBytes > 0) parts.push(`${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)}`);
  const eta = formatEta(p.etaSeconds);
  if (eta) parts.push(eta);
  return parts.join(' · ');
}

/** The folder's state in plain words, as the status card's headline. */
export function stateText(f: FolderView): string {
  switch (f.state) {
    case 'syncing':
      if (f.progress && f.progress.filesTotal > 0) {
        return `Syncing ${f.progress.filesDone} of ${plural(f.progress.filesTotal, 'file')}, ${progressPercent(f.progress)}%`;
      }
      return 'Syncing…';
    case 'paused':
      return 'Paused';
    case 'conflicts':
      return plural(Math.max(f.conflicts, 1), 'conflict');
    case 'needs-login':
      return 'Needs you to log in again';
    case 'blocked':
      return 'Blocked: nothing was deleted';
    case 'error':
      return 'Sync failed';
    case 'offline':
      return `Can't reach ${f.providerName}`;
    case 'idle':
    default:
      if (!f.lastSync) return 'Waiting for the first sync';
      if (f.lastResult === 'failed') return 'Last sync failed';
      return 'In sync';
  }
}

/** A tone for the state dot and badge. */
export function stateTone(f: FolderView): 'ok' | 'busy' | 'warn' | 'bad' | 'muted' {
  switch (f.state) {
    case 'syncing':
      return 'busy';
    case 'paused':
      return 'muted';
    case 'conflicts':
    case 'needs-login':
    case 'blocked':
      return 'warn';
    case 'error':
    case 'offline':
      return 'bad';
    default:
      return f.lastResult === 'failed' ? 'bad' : 'ok';
  }
}

const RESULT_WORDS: Record<SyncResult, string> = {
  ok: 'everything matched',
  conflicts: 'some files changed on both sides',
  blocked: 'stopped before deleting files',
  failed: 'failed',
};

/** "Last sync 2 min ago: everything matched" */
export function lastSyncText(f: FolderView, now: number = Date.now()): string {
  if (!f.lastSync) return 'Not synced yet';
  const when = timeAgo(f.lastSync, now);
  return f.lastResult ? `Last sync ${when}: ${RESULT_WORDS[f.lastResult]}` : `Last sync ${when}`;
}

export function nextSyncText(f: FolderView, now: number = Date.now()): string {
  if (f.state === 'paused' || f.paused) return 'Timed syncs are paused';
  if (!f.nextSync) return '';
  return `Next sync ${timeUntil(f.nextSync, now)}`;
}

/** The arrow between a folder's two paths on its card, and what it says. */
export function directionArrow(direction: SyncDirection): { arrow: string; label: string } {
  switch (direction) {
    case 'pull':
      return { arrow: '←', label: 'follows' };
    case 'push':
      return { arrow: '→', label: 'copies its files up to' };
    default:
      return { arrow: '⇄', label: 'synced with' };
  }
}

/** The last part of a path, for names built from a folder. */
export function baseName(path: string): string {
  const parts = path.replace(/[\\/]+$/, '').split(/[\\/]/);
  return parts[parts.length - 1] ?? '';
}

/** The sentence before "Start syncing". */
export function firstSyncText(p: { toLocal: number; toRemote: number; conflicts: number }): string {
  const both =
    p.conflicts === 0
      ? 'no file differs on both sides'
      : p.conflicts === 1
        ? '1 file differs on both sides and both versions will be kept'
        : `${p.conflicts} files differ on both sides and both versions will be kept`;
  return `The first sync will copy ${plural(p.toLocal, 'file')} to this computer and ${p.toRemote} to the cloud; ${both}.`;
}

/** Which side of a conflict was changed last, if the times differ. */
export function newerSide(c: { local: { modified: string }; remote: { modified: string } }): 'local' | 'remote' | undefined {
  const l = Date.parse(c.local.modified);
  const r = Date.parse(c.remote.modified);
  if (Number.isNaN(l) || Number.isNaN(r) || l === r) return undefined;
  return l > r ? 'local' : 'remote';
}

export const INTERVALS: { value: number; label: string }[] = [
  { value: 60, label: 'Every minute' },
  { value: 300, label: 'Every 5 minutes' },
  { value: 900, label: 'Every 15 minutes' },
  { value: 3600, label: 'Every hour' },
  { value: 0, label: 'Only when I click Sync now' },
];

export function intervalLabel(seconds: number): string {
  const known = INTERVALS.find((i) => i.value === seconds);
  if (known) return known.label;
  return seconds % 60 === 0 ? `Every ${seconds / 60} minutes` : `Every ${seconds} seconds`;
}

/** What each conflict policy does, in plain words; `cloud` is the provider's name. */
export function policyChoices(cloud: string): { value: 'ask' | 'newer' | 'local' | 'remote'; label: string; help: string }[] {
  return [
    {
      value: 'ask',
      label: 'Ask me',
      help: `This computer's version keeps the name for now, ${cloud}'s is kept beside it, and the conflict waits on the Conflicts page for you to choose.`,
    },
    {
      value: 'newer',
      label: 'The newer version wins',
      help: 'The version changed last keeps the name; the other one is kept beside it.',
    },
    {
      value: 'local',
      label: 'This computer wins',
      help: `This computer's version keeps the name; ${cloud}'s is kept beside it.`,
    },
    {
      value: 'remote',
      label: `${cloud} wins`,
      help: `${cloud}'s version keeps the name; this computer's is kept beside it.`,
    },
  ];
}
