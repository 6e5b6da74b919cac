import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));

import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import * as ipc from '../src/ipc';
import { normaliseError } from '../src/ipc';

const inApp = () => {
  (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {};
};

describe('normaliseError', () => {
  it('passes {code, message} objects through and drops other keys', () => {
    expect(normaliseError({ code: 'needs-login', message: 'Log in to Dropbox again.', extra: 1 })).toEqual({
      code: 'needs-login',
      message: 'Log in to Dropbox again.',
    });
  });

  it('gives string errors the code "unknown" and unpacks JSON strings', () => {
    expect(normaliseError('rclone is missing')).toEqual({ code: 'unknown', message: 'rclone is missing' });
    expect(normaliseError('{"code":"busy","message":"Already syncing."}')).toEqual({ code: 'busy', message: 'Already syncing.' });
    expect(normaliseError('{not json')).toEqual({ code: 'unknown', message: '{not json' });
  });

  it('keeps the message of Error instances, and their code when they have one', () => {
    expect(normaliseError(new TypeError('boom'))).toEqual({ code: 'unknown', message: 'boom' });
    const withCode = Object.assign(new Error('disk full'), { code: 'io' });
    expect(normaliseError(withCode)).toEqual({ code: 'io', message: 'disk full' });
  });

  it('never returns an empty message', () => {
    for (const e of [undefined, null, 42, '', { code: 'remote' }, {}]) {
      const n = normaliseError(e);
      expect(n.message.length).toBeGreaterThan(10);
      expect(typeof n.code).toBe('string');
    }
    expect(normaliseError({ code: 'remote' }).code).toBe('remote');
  });
});

describe('commands', () => {
  beforeEach(() => {
    vi.mocked(invoke).mockReset();
    vi.mocked(listen).mockReset();
  });

  it('rejects with {code, message} whatever the app rejected with', async () => {
    inApp();
    vi.mocked(invoke).mockRejectedValueOnce('plain text error');
    await expect(ipc.getOverview()).rejects.toEqual({ code: 'unknown', message: 'plain text error' });
    vi.mocked(invoke).mockRejectedValueOnce({ code: 'unknown-folder', message: 'No folder "x".' });
    await expect(ipc.syncNow('x')).rejects.toEqual({ code: 'unknown-folder', message: 'No folder "x".' });
    vi.mocked(invoke).mockRejectedValueOnce(new Error('IPC channel closed'));
    await expect(ipc.pause()).rejects.toEqual({ code: 'unknown', message: 'IPC channel closed' });
  });

  it('says "no-app" outside the app and calls nothing', async () => {
    await expect(ipc.getOverview()).rejects.toMatchObject({ code: 'no-app' });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('sends the argument names of docs/ipc.md', async () => {
    inApp();
    vi.mocked(invoke).mockResolvedValue(undefined);
    await ipc.syncNow();
    await ipc.syncNow('notes');
    await ipc.resolveAll('notes', 'both');
    await ipc.restoreVersion('notes', 'a.md', '2026-11-25T14:32:00Z', 'remote');
    await ipc.confirmDeletes('archive', '5f1c0a9e3b2d4c71');
    await ipc.confirmDeletes('archive');
    await ipc.keepEverything('archive');
    await ipc.activity(undefined, 50);
    await ipc.setAppSettings({ autostart: true });
    expect(vi.mocked(invoke).mock.calls).toEqual([
      ['sync_now', {}],
      ['sync_now', { folder: 'notes' }],
      ['resolve_all', { folder: 'notes', keep: 'both' }],
      ['restore_version', { folder: 'notes', path: 'a.md', keptAt: '2026-11-25T14:32:00Z', side: 'remote' }],
      ['confirm_deletes', { folder: 'archive', token: '5f1c0a9e3b2d4c71' }],
      ['confirm_deletes', { folder: 'archive' }],
      ['keep_everything', { folder: 'archive' }],
      ['activity', { limit: 50 }],
      ['set_app_settings', { autostart: true }],
    ]);
  });
});

describe('events', () => {
  it('delivers payloads and unlistens even when stopped before listen resolved', async () => {
    inApp();
    const unlisten = vi.fn();
    let registered: ((e: { payload: unknown }) => void) | undefined;
    let resolveListen: (u: () => void) => void = () => {};
    vi.mocked(listen).mockImplementation((_name, h) => {
      registered = h as (e: { payload: unknown }) => void;
      return new Promise((r) => (resolveListen = r));
    });
    const seen: string[] = [];
    const stop = ipc.onFolder((f) => seen.push(f.id));
    expect(vi.mocked(listen).mock.calls[0][0]).toBe('engine://folder');
    registered?.({ payload: { id: 'notes' } });
    stop();
    registered?.({ payload: { id: 'late' } });
    resolveListen(unlisten);
    await Promise.resolve();
    await Promise.resolve();
    expect(seen).toEqual(['notes']);
    expect(unlisten).toHaveBeenCalledTimes(1);
  });
});
