// The dev mock through the real src/ipc.ts, as `npm run dev` with ?mock runs it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installMock } from '../src/dev-mock';
import { providersFixture } from '../src/dev-mock/fixtures';
import * as ipc from '../src/ipc';

// Answers wait a little (up to 1.2 s for a login): let the fake clock run on.
async function settle<T>(p: Promise<T>): Promise<T> {
  const outcome = p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  await vi.advanceTimersByTimeAsync(1500);
  const o = await outcome;
  if (!o.ok) throw o.error;
  return o.value;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.clearAllTimers();
  vi.useRealTimers();
});

describe('dev mock', () => {
  it('answers the provider list of the shared fixtures, descriptions included', async () => {
    installMock('');
    const providers = await settle(ipc.providers());
    expect(providers).toEqual(providersFixture());
    expect(providers.every((p) => p.description)).toBe(true);
  });

  it('holds a folder in each state, or none with ?mock=empty', async () => {
    installMock('');
    const overview = await settle(ipc.getOverview());
    expect(overview.folders.map((f) => [f.id, f.state])).toEqual([
      ['workspace', 'syncing'],
      ['notes', 'conflicts'],
      ['photos', 'needs-login'],
      ['archive', 'blocked'],
      ['music', 'paused'],
    ]);
    expect(await settle(ipc.listConflicts('notes'))).toHaveLength(3);
    installMock('empty');
    expect((await settle(ipc.getOverview())).folders).toEqual([]);
  });

  it('adds a folder, tells the page about its sync, and answers errors in the app shape', async () => {
    installMock('empty');
    const seen: string[] = [];
    const stop = ipc.onFolder((f) => seen.push(`${f.id}:${f.state}`));
    await settle(Promise.resolve());
    const draft = { id: 'docs', provider: 'webdav', localPath: '~/Docs', remotePath: 'Docs', fields: {}, conflictResolve: 'newer', interval: 900 };
    const added = await settle(ipc.addFolder(draft));
    expect(added).toMatchObject({ id: 'docs', providerName: 'WebDAV', state: 'syncing' });
    expect(await settle(ipc.getSettings('docs'))).toMatchObject({ interval: 900, conflictResolve: 'newer' });
    await settle(ipc.pause('docs'));
    expect(seen).toContain('docs:paused');
    await expect(settle(ipc.getSettings('nope'))).rejects.toEqual({ code: 'unknown-folder', message: 'There is no folder named "nope".' });
    await expect(settle(ipc.testConnection({ ...draft, fields: { password: 'wrong' } }))).rejects.toMatchObject({ code: 'remote' });
    stop();
  });
});
