import { describe, expect, it } from 'vitest';
import {
  firstSyncText,
  formatBytes,
  formatEta,
  lastSyncText,
  newerSide,
  nextSyncText,
  progressDetail,
  progressPercent,
  stateText,
  timeAgo,
  timeUntil,
} from '../src/format';
import { folder } from '../src/dev-mock/fixtures';

const NOW = Date.parse('2026-11-25T14:32:00Z');
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const MIN = 60_000;

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1536, '1.5 KB'],
    [43_000_000, '41 MB'],
    [1024 * 1024 - 1, '1 MB'],
    [3.2 * 1024 ** 3, '3.2 GB'],
  ])('%d bytes is %s', (n, text) => expect(formatBytes(n)).toBe(text));
});

describe('formatEta', () => {
  it.each([
    [undefined, ''],
    [20, 'less than a minute left'],
    [150, 'about 3 min left'],
    [3600, 'about 1 h left'],
    [3900, 'about 1 h 5 min left'],
  ])('%s seconds', (s, text) => expect(formatEta(s)).toBe(text));
});

describe('relative times', () => {
  it('says how long ago', () => {
    expect(timeAgo(at(-10_000), NOW)).toBe('just now');
    expect(timeAgo(at(-2 * MIN), NOW)).toBe('2 min ago');
    expect(timeAgo(at(-3 * 60 * MIN), NOW)).toBe('3 hours ago');
    expect(timeAgo(at(-26 * 60 * MIN), NOW)).toBe('yesterday');
    expect(timeAgo(at(-4 * 24 * 60 * MIN), NOW)).toBe('4 days ago');
    expect(timeAgo('not a time', NOW)).toBe('');
  });
  it('says how long until', () => {
    expect(timeUntil(at(4 * MIN), NOW)).toBe('in 4 min');
    expect(timeUntil(at(30_000), NOW)).toBe('in less than a minute');
    expect(timeUntil(at(-MIN), NOW)).toBe('now');
    expect(timeUntil(at(2 * 60 * MIN), NOW)).toBe('in 2 hours');
  });
});

describe('state in plain words', () => {
  const p = { bytes: 4_100_000, totalBytes: 10_000_000, filesDone: 3, filesTotal: 12, etaSeconds: 130, current: [] };
  it.each([
    [folder({ state: 'idle' }), 'In sync'],
    [folder({ state: 'idle', lastSync: undefined, lastResult: undefined }), 'Waiting for the first sync'],
    [folder({ state: 'syncing', progress: p }), 'Syncing 3 of 12 files, 41%'],
    [folder({ state: 'syncing' }), 'Syncing…'],
    [folder({ state: 'paused' }), 'Paused'],
    [folder({ state: 'conflicts', conflicts: 2 }), '2 conflicts'],
    [folder({ state: 'conflicts', conflicts: 1 }), '1 conflict'],
    [folder({ state: 'needs-login' }), 'Needs you to log in again'],
    [folder({ state: 'blocked' }), 'Blocked: nothing was deleted'],
    [folder({ state: 'offline' }), "Can't reach WebDAV"],
    [folder({ state: 'error' }), 'Sync failed'],
  ])('%#: %s', (f, text) => expect(stateText(f)).toBe(text));

  it('formats progress from bytes, or from files when bytes are unknown', () => {
    expect(progressPercent(p)).toBe(41);
    expect(progressPercent({ ...p, totalBytes: 0, bytes: 0 })).toBe(25);
    expect(progressPercent({ ...p, bytes: 20_000_000 })).toBe(100);
    expect(progressDetail(p)).toBe('3 of 12 files · 3.9 MB of 9.5 MB · about 2 min left');
    expect(progressDetail({ ...p, totalBytes: 0, etaSeconds: undefined, filesTotal: 1, filesDone: 0 })).toBe('0 of 1 file');
  });

  it('tells the last and next sync', () => {
    const f = folder({ lastSync: at(-2 * MIN), lastResult: 'ok', nextSync: at(5 * MIN) });
    expect(lastSyncText(f, NOW)).toBe('Last sync 2 min ago: everything matched');
    expect(nextSyncText(f, NOW)).toBe('Next sync in 5 min');
    expect(nextSyncText({ ...f, state: 'paused' }, NOW)).toBe('Timed syncs are paused');
    expect(lastSyncText(folder({ lastSync: undefined }), NOW)).toBe('Not synced yet');
  });
});

describe('first sync and conflicts', () => {
  it('describes the first sync', () => {
    expect(firstSyncText({ toLocal: 128, toRemote: 12, conflicts: 3 })).toBe(
      'The first sync will copy 128 files to this computer and 12 to the cloud; 3 files differ on both sides and both versions will be kept.',
    );
    expect(firstSyncText({ toLocal: 1, toRemote: 0, conflicts: 0 })).toBe(
      'The first sync will copy 1 file to this computer and 0 to the cloud; no file differs on both sides.',
    );
  });

  it('marks the side changed last as newer', () => {
    const side = (modified: string) => ({ size: 1, modified });
    expect(newerSide({ local: side(at(-MIN)), remote: side(at(-5 * MIN)) })).toBe('local');
    expect(newerSide({ local: side(at(-9 * MIN)), remote: side(at(-5 * MIN)) })).toBe('remote');
    expect(newerSide({ local: side(at(-MIN)), remote: side(at(-MIN)) })).toBeUndefined();
  });
});
