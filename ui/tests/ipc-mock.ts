// A stand-in for src/ipc.ts in page tests: every command is a vi.fn() (set
// their answers per test), the event helpers record handlers so that a test
// can `emit` an app event, and the real normaliseError is kept.
import { vi } from 'vitest';
import type * as Ipc from '../src/ipc';
import { overviewFixture, providersFixture, settingsFixture } from '../src/dev-mock/fixtures';

type IpcModule = typeof Ipc;

const handlers = new Map<string, Set<(payload: unknown) => void>>();

export function emit(event: string, payload: unknown): void {
  for (const h of handlers.get(event) ?? []) h(payload);
}

export function listenerCount(event: string): number {
  return handlers.get(event)?.size ?? 0;
}

function subscriber(event: string) {
  return (h: (payload: never) => void) => {
    const set = handlers.get(event) ?? new Set();
    set.add(h as (payload: unknown) => void);
    handlers.set(event, set);
    return () => set.delete(h as (payload: unknown) => void);
  };
}

const COMMANDS = [
  'getOverview',
  'syncNow',
  'pause',
  'resume',
  'listConflicts',
  'conflictPreview',
  'resolveConflict',
  'resolveAll',
  'openPath',
  'confirmDeletes',
  'keepEverything',
  'activity',
  'listVersions',
  'restoreVersion',
  'getSettings',
  'saveSettings',
  'setAppSettings',
  'providers',
  'pickLocalFolder',
  'testConnection',
  'loginOauth',
  'browseRemote',
  'createRemoteFolder',
  'previewFirstSync',
  'addFolder',
  'removeFolder',
  'logout',
] as const;

export function mockIpcModule(real: IpcModule): IpcModule {
  const fns = Object.fromEntries(COMMANDS.map((c) => [c, vi.fn()]));
  return {
    ...real,
    ...fns,
    onFolder: subscriber('engine://folder'),
    onActivity: subscriber('engine://activity'),
    onConflicts: subscriber('engine://conflicts'),
    onNavigate: subscriber('app://navigate'),
  } as IpcModule;
}

/** Default answers; each test overrides what it is about. */
export function resetIpc(ipc: IpcModule): void {
  handlers.clear();
  for (const c of COMMANDS) vi.mocked(ipc[c] as (...a: unknown[]) => unknown).mockReset().mockResolvedValue(undefined);
  vi.mocked(ipc.getOverview).mockResolvedValue(overviewFixture());
  vi.mocked(ipc.providers).mockResolvedValue(providersFixture());
  vi.mocked(ipc.getSettings).mockResolvedValue(settingsFixture());
  vi.mocked(ipc.listConflicts).mockResolvedValue([]);
  vi.mocked(ipc.activity).mockResolvedValue([]);
  vi.mocked(ipc.listVersions).mockResolvedValue([]);
}
