// The one IPC wrapper: the only module that imports @tauri-apps/api.
// Every command of docs/ipc.md has a typed function here; every failure is
// rejected as a plain `AppError` ({ code, message }). The UI shows `message`
// and branches on `code` only.

import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type {
  AccountInfo,
  ActivityItem,
  AppError,
  AppSettings,
  ConflictPreview,
  ConflictView,
  ErrorCode,
  FirstSyncPreview,
  FolderDraft,
  FolderSettings,
  FolderView,
  Keep,
  NavigateRequest,
  Overview,
  ProviderInfo,
  RemoteEntry,
  VersionSide,
  VersionView,
} from './types';

export type * from './types';

/**
 * Every error code the app sends (the generated `ErrorCode`): a code added on
 * the Rust side fails the type check here until it is listed.
 */
const APP_ERROR_CODES: Record<ErrorCode, true> = {
  config: true,
  'unknown-folder': true,
  'invalid-input': true,
  rclone: true,
  secret: true,
  keychain: true,
  'needs-login': true,
  'local-folder': true,
  remote: true,
  offline: true,
  'auth-failed': true,
  'rate-limited': true,
  busy: true,
  interrupted: true,
  paused: true,
  io: true,
};

/** The two codes the wrapper makes up: the page runs outside the app, or the error had no code. */
export type UiErrorCode = 'no-app' | 'unknown';

/** Error codes the app sends (docs/ipc.md) plus the two the wrapper makes up. */
export const ERROR_CODES: readonly (ErrorCode | UiErrorCode)[] = [
  ...(Object.keys(APP_ERROR_CODES) as ErrorCode[]),
  'no-app',
  'unknown',
];

const NO_DETAILS = 'Something went wrong, and the app gave no details.';

function hasTauri(): boolean {
  return typeof window !== 'undefined' && (window as unknown as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__ != null;
}

function nonEmpty(s: unknown): s is string {
  return typeof s === 'string' && s.trim() !== '';
}

/**
 * Turns whatever a command rejected with into `{ code, message }`:
 * - `{ code, message }` objects (the contract) pass through (extra keys dropped);
 * - strings (a command returning `Err(String)`) become code `unknown`;
 * - `Error` instances keep their `code` property if they have a string one;
 * - anything else gets a generic message.
 * A JSON string holding `{ code, message }` is unpacked too.
 */
export function normaliseError(e: unknown): AppError {
  if (e != null && typeof e === 'object' && !(e instanceof Error)) {
    const o = e as Record<string, unknown>;
    const message = nonEmpty(o.message) ? o.message : nonEmpty(o.error) ? o.error : NO_DETAILS;
    return { code: nonEmpty(o.code) ? o.code : 'unknown', message };
  }
  if (e instanceof Error) {
    const code = (e as Error & { code?: unknown }).code;
    return { code: nonEmpty(code) ? code : 'unknown', message: nonEmpty(e.message) ? e.message : NO_DETAILS };
  }
  if (typeof e === 'string') {
    const s = e.trim();
    if (s.startsWith('{')) {
      try {
        const parsed: unknown = JSON.parse(s);
        if (parsed && typeof parsed === 'object') return normaliseError(parsed);
      } catch {
        // not JSON: the string is the message
      }
    }
    return { code: 'unknown', message: s || NO_DETAILS };
  }
  return { code: 'unknown', message: NO_DETAILS };
}

export function isAppError(e: unknown): e is AppError {
  return e != null && typeof e === 'object' && typeof (e as AppError).code === 'string' && typeof (e as AppError).message === 'string';
}

const NO_APP: AppError = {
  code: 'no-app',
  message: 'This page only works inside the Workspace Sync app.',
};

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  if (!hasTauri()) throw { ...NO_APP };
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw normaliseError(e);
  }
}

/** `{ folder }` when a folder is given, `{}` (all folders) when not. */
function folderArg(folder?: string): Record<string, unknown> {
  return folder === undefined ? {} : { folder };
}

// ---- Commands -------------------------------------------------------------

export const getOverview = () => call<Overview>('get_overview');
export const syncNow = (folder?: string) => call<void>('sync_now', folderArg(folder));
export const pause = (folder?: string) => call<void>('pause', folderArg(folder));
export const resume = (folder?: string) => call<void>('resume', folderArg(folder));

export const listConflicts = (folder?: string) => call<ConflictView[]>('list_conflicts', folderArg(folder));
export const conflictPreview = (id: number) => call<ConflictPreview>('conflict_preview', { id });
export const resolveConflict = (id: number, keep: Keep) => call<void>('resolve_conflict', { id, keep });
export const resolveAll = (folder: string, keep: Keep) => call<number>('resolve_all', { folder, keep });
export const openPath = (folder: string, path?: string) =>
  call<void>('open_path', path === undefined ? { folder } : { folder, path });

/**
 * Go ahead with the deletions shown. `token` is the blocked view's
 * `confirmToken`: the confirmation then applies to exactly that list, and if
 * the list changed meanwhile the folder blocks again with the new one.
 */
export const confirmDeletes = (folder: string, token?: string) =>
  call<void>('confirm_deletes', token === undefined ? { folder } : { folder, token });
export const keepEverything = (folder: string) => call<void>('keep_everything', { folder });

export const activity = (folder?: string, limit?: number) =>
  call<ActivityItem[]>('activity', { ...folderArg(folder), ...(limit === undefined ? {} : { limit }) });

export const listVersions = (folder: string, path?: string) =>
  call<VersionView[]>('list_versions', path === undefined ? { folder } : { folder, path });
/** Puts back the version of `path` kept at `keptAt` on `side` (this computer's or the cloud's). */
export const restoreVersion = (folder: string, path: string, keptAt: string, side: VersionSide) =>
  call<void>('restore_version', { folder, path, keptAt, side });

export const getSettings = (folder: string) => call<FolderSettings>('get_settings', { folder });
export const saveSettings = (folder: string, settings: FolderSettings) =>
  call<void>('save_settings', { folder, settings });
export const setAppSettings = (settings: Partial<AppSettings>) => call<void>('set_app_settings', { ...settings });

export const providers = () => call<ProviderInfo[]>('providers');
export const pickLocalFolder = () => call<string | null>('pick_local_folder');
export const testConnection = (draft: FolderDraft) => call<AccountInfo>('test_connection', { draft });
export const loginOauth = (draft: FolderDraft) => call<AccountInfo>('login_oauth', { draft });
export const browseRemote = (draft: FolderDraft, path: string) => call<RemoteEntry[]>('browse_remote', { draft, path });
export const createRemoteFolder = (draft: FolderDraft, path: string) =>
  call<void>('create_remote_folder', { draft, path });
export const previewFirstSync = (draft: FolderDraft) => call<FirstSyncPreview>('preview_first_sync', { draft });
export const addFolder = (draft: FolderDraft) => call<FolderView>('add_folder', { draft });
export const removeFolder = (folder: string, logout: boolean) => call<void>('remove_folder', { folder, logout });
export const logout = (folder: string) => call<void>('logout', { folder });

// ---- Events ---------------------------------------------------------------

export type Unsubscribe = () => void;

/**
 * Listens to an app event; returns a synchronous unsubscribe that also works
 * before the listener is registered. Outside the app it does nothing.
 */
function subscribe<T>(event: string, handler: (payload: T) => void): Unsubscribe {
  if (!hasTauri()) return () => {};
  let stopped = false;
  let unlisten: (() => void) | undefined;
  listen<T>(event, (e) => {
    if (!stopped) handler(e.payload);
  }).then(
    (u) => {
      if (stopped) u();
      else unlisten = u;
    },
    (e) => console.warn(`listening to ${event} failed:`, normaliseError(e).message),
  );
  return () => {
    stopped = true;
    unlisten?.();
  };
}

export const onFolder = (handler: (folder: FolderView) => void) => subscribe<FolderView>('engine://folder', handler);
export const onActivity = (handler: (item: ActivityItem) => void) => subscribe<ActivityItem>('engine://activity', handler);
export const onConflicts = (handler: (change: { folder: string }) => void) =>
  subscribe<{ folder: string }>('engine://conflicts', handler);
export const onNavigate = (handler: (request: NavigateRequest) => void) =>
  subscribe<NavigateRequest>('app://navigate', handler);
