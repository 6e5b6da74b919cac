// The types of docs/ipc.md, one to one. Times are RFC 3339 strings.

export type FolderState =
  | 'idle'
  | 'syncing'
  | 'paused'
  | 'conflicts'
  | 'needs-login'
  | 'blocked'
  | 'error'
  | 'offline';

export type SyncResult = 'ok' | 'conflicts' | 'blocked' | 'failed';
export type Keep = 'local' | 'remote' | 'both';
export type ConflictPolicy = 'ask' | 'newer' | 'local' | 'remote';

export interface Progress {
  bytes: number;
  totalBytes: number;
  filesDone: number;
  filesTotal: number;
  etaSeconds?: number;
  current: string[];
}

export interface BlockedView {
  reason: string;
  message: string;
  fix: string;
  wouldDelete?: number;
  files: string[];
}

export interface FolderView {
  id: string;
  provider: string;
  providerName: string;
  localPath: string;
  remotePath: string;
  state: FolderState;
  lastSync?: string;
  lastResult?: SyncResult;
  lastError?: string;
  nextSync?: string;
  progress?: Progress;
  conflicts: number;
  blocked?: BlockedView;
}

export interface AppSettings {
  notifications: boolean;
  autostart: boolean;
}

export interface Overview {
  folders: FolderView[];
  app: AppSettings;
}

export interface SideInfo {
  size: number;
  modified: string;
}

export type PreviewKind = 'text' | 'image' | 'other';

export interface ConflictView {
  id: number;
  folder: string;
  path: string;
  localCopy: string;
  remoteCopy: string;
  local: SideInfo;
  remote: SideInfo;
  foundAt: string;
  kind: PreviewKind;
}

export interface DiffLine {
  op: 'same' | 'add' | 'del';
  text: string;
}

export interface ConflictPreview {
  kind: PreviewKind;
  diff?: DiffLine[];
  localImage?: string;
  remoteImage?: string;
  mime?: string;
}

export interface ActivityItem {
  folder: string;
  path: string;
  direction: 'toLocal' | 'toRemote';
  action: 'copied' | 'deleted';
  at: string;
  size?: number;
}

export interface VersionView {
  path: string;
  keptAt: string;
  size: number;
}

export interface FolderSettings {
  interval: number;
  watch: boolean;
  exclude: string[];
  conflictResolve: ConflictPolicy;
  maxDeletePercent: number;
  keepVersionsDays: number;
}

export type FieldKind = 'text' | 'url' | 'number' | 'secret' | 'select' | 'checkbox';

export interface FieldInfo {
  key: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  options?: string[];
  placeholder?: string;
  help?: string;
}

export interface ProviderInfo {
  key: string;
  name: string;
  /** One line under the name on the set-up page; nothing is shown without it. */
  description?: string;
  oauth: boolean;
  fields: FieldInfo[];
}

export interface FolderDraft {
  id: string;
  provider: string;
  localPath: string;
  remotePath: string;
  fields: Record<string, string>;
  conflictResolve: string;
  interval: number;
}

export interface RemoteEntry {
  name: string;
  isDir: boolean;
}

export interface FirstSyncPreview {
  toLocal: number;
  toRemote: number;
  conflicts: number;
}

export interface AccountInfo {
  account?: string;
}

export type Page = 'status' | 'setup' | 'conflicts' | 'blocked' | 'activity' | 'versions' | 'settings';

export interface NavigateRequest {
  page: Page;
  folder?: string;
}

/** Every error from the app, whatever shape it crossed the boundary in. */
export interface AppError {
  code: string;
  message: string;
}
