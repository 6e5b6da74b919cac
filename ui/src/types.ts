// The types of docs/ipc.md. Times are RFC 3339 strings.
//
// Everything the app sends to the window is generated from the Rust core by
// ts-rs into ./bindings (`cargo test -p wsync-core` writes them; never edit
// them by hand) and re-exported here, so that these types cannot drift from
// the app's. `npm run build` and `npm test` type-check the UI against them.
// Only the types the app does not generate are written out below.

export type { AccountInfo } from './bindings/AccountInfo';
export type { BlockedReason } from './bindings/BlockedReason';
export type { BlockedView } from './bindings/BlockedView';
export type { ChangeRecord } from './bindings/ChangeRecord';
export type { ConflictPreview } from './bindings/ConflictPreview';
export type { ConflictView } from './bindings/ConflictView';
export type { DiffLine } from './bindings/DiffLine';
export type { DiffOp } from './bindings/DiffOp';
export type { Direction } from './bindings/Direction';
export type { ErrorCode } from './bindings/ErrorCode';
export type { FieldInfo } from './bindings/FieldInfo';
export type { FileAction } from './bindings/FileAction';
export type { FileKind } from './bindings/FileKind';
export type { FirstSyncPreview } from './bindings/FirstSyncPreview';
export type { Fix } from './bindings/Fix';
export type { FolderDraft } from './bindings/FolderDraft';
export type { FolderSettings } from './bindings/FolderSettings';
export type { FolderState } from './bindings/FolderState';
export type { FolderView } from './bindings/FolderView';
export type { Progress } from './bindings/Progress';
export type { ProviderInfo } from './bindings/ProviderInfo';
export type { RemoteEntry } from './bindings/RemoteEntry';
export type { SideInfo } from './bindings/SideInfo';
export type { SyncDirection } from './bindings/SyncDirection';
export type { SyncResult } from './bindings/SyncResult';
export type { Version } from './bindings/Version';
export type { VersionSide } from './bindings/VersionSide';

import type { ChangeRecord } from './bindings/ChangeRecord';
import type { FolderView } from './bindings/FolderView';
import type { Version } from './bindings/Version';

/** One file a sync copied or deleted (`activity`, `engine://activity`). */
export type ActivityItem = ChangeRecord;
/** One kept version of a file (`list_versions`). */
export type VersionView = Version;

// ---- Not generated -------------------------------------------------------

/** Which side a conflict resolution keeps (`resolve_conflict`, `resolve_all`). */
export type Keep = 'local' | 'remote' | 'both';

/**
 * The conflict policies the UI offers. `FolderSettings.conflictResolve` and
 * `FolderDraft.conflictResolve` are plain strings in the bindings.
 */
export type ConflictPolicy = 'ask' | 'newer' | 'local' | 'remote';

export interface AppSettings {
  notifications: boolean;
  autostart: boolean;
}

/** `get_overview` (built by the Tauri app, not by the core). */
export interface Overview {
  folders: FolderView[];
  app: AppSettings;
}

export type Page = 'status' | 'setup' | 'conflicts' | 'blocked' | 'activity' | 'versions' | 'settings';

/** `app://navigate`. */
export interface NavigateRequest {
  page: Page;
  folder?: string;
}

/** Every error from the app, whatever shape it crossed the boundary in. */
export interface AppError {
  code: string;
  message: string;
}
