// Sample data shared by the dev mock (src/dev-mock/) and the vitest tests
// (tests/): the provider list the app's `providers` command answers, the
// default folder settings, and builders for folders and overviews. Only the
// dev mock and the tests import it, so the production build does not
// contain it.

import type { FolderSettings, FolderView, Overview, ProviderInfo } from '../types';

export const MIN = 60_000;
export const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
export const later = (ms: number) => new Date(Date.now() + ms).toISOString();

const PROVIDERS: ProviderInfo[] = [
  { key: 'dropbox', name: 'Dropbox', description: 'Log in with your Dropbox account.', oauth: true, fields: [] },
  { key: 'gdrive', name: 'Google Drive', description: 'Log in with your Google account.', oauth: true, fields: [] },
  { key: 'onedrive', name: 'OneDrive', description: 'Log in with your Microsoft account.', oauth: true, fields: [] },
  {
    key: 's3',
    name: 'S3 / Cloudflare R2',
    description: 'Amazon S3, Cloudflare R2, MinIO, Backblaze B2 and other S3-compatible storage.',
    oauth: false,
    fields: [
      { key: 'provider', label: 'Service', kind: 'select', required: true, options: ['Cloudflare', 'AWS', 'Minio', 'Other'] },
      { key: 'endpoint', label: 'Endpoint', kind: 'url', required: false, placeholder: 'https://<account>.r2.cloudflarestorage.com' },
      { key: 'region', label: 'Region', kind: 'text', required: false, placeholder: 'auto' },
      { key: 'bucket', label: 'Bucket', kind: 'text', required: true },
      { key: 'accessKeyId', label: 'Access key ID', kind: 'text', required: true },
      { key: 'secretAccessKey', label: 'Secret access key', kind: 'secret', required: true },
    ],
  },
  {
    key: 'webdav',
    name: 'WebDAV',
    description: 'Nextcloud, ownCloud and other WebDAV servers.',
    oauth: false,
    fields: [
      {
        key: 'url',
        label: 'Server address',
        kind: 'url',
        required: true,
        placeholder: 'https://cloud.example.com/remote.php/dav/files/me',
        help: 'In Nextcloud: Files → Settings → WebDAV.',
      },
      { key: 'vendor', label: 'Server', kind: 'select', required: true, options: ['nextcloud', 'owncloud', 'other'] },
      { key: 'user', label: 'User name', kind: 'text', required: true },
      { key: 'password', label: 'Password', kind: 'secret', required: true },
    ],
  },
  {
    key: 'sftp',
    name: 'SFTP',
    description: 'Any server you can reach over SSH.',
    oauth: false,
    fields: [
      { key: 'host', label: 'Server', kind: 'text', required: true, placeholder: 'files.example.com' },
      { key: 'port', label: 'Port', kind: 'number', required: false, placeholder: '22' },
      { key: 'user', label: 'User name', kind: 'text', required: false },
      { key: 'password', label: 'Password', kind: 'secret', required: false },
      { key: 'keyFile', label: 'Key file', kind: 'text', required: false, placeholder: '~/.ssh/id_ed25519' },
    ],
  },
  {
    key: 'local',
    name: 'Local or network folder',
    description: 'Another folder on this computer or a network drive.',
    oauth: false,
    fields: [{ key: 'path', label: 'Folder', kind: 'text', required: true, placeholder: '/mnt/share' }],
  },
  {
    key: 'custom',
    name: 'Other (rclone backend)',
    description: 'Any other storage that rclone supports.',
    oauth: false,
    fields: [{ key: 'rcloneType', label: 'rclone backend', kind: 'text', required: true, placeholder: 'b2, box, pcloud…' }],
  },
];

/** The answer of `providers`: a fresh copy each call. */
export function providersFixture(): ProviderInfo[] {
  return structuredClone(PROVIDERS);
}

/** A folder's settings as a new folder gets them. */
export function settingsFixture(over: Partial<FolderSettings> = {}): FolderSettings {
  return {
    interval: 300,
    watch: true,
    exclude: ['.git/**', 'node_modules/**', '.env*', '*.log'],
    conflictResolve: 'ask',
    maxDeletePercent: 50,
    keepVersionsDays: 30,
    ...over,
  };
}

/** The app's display name of a folder id: "my-notes" → "My notes". */
export function displayName(id: string): string {
  const text = id.replace(/-/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A WebDAV folder "workspace", in sync; `over` changes any part. */
export function folder(over: Partial<FolderView> = {}): FolderView {
  const id = over.id ?? 'workspace';
  const state = over.state ?? 'idle';
  return {
    id,
    name: displayName(id),
    provider: 'webdav',
    providerName: 'WebDAV',
    localPath: '~/Workspace',
    remotePath: 'openclaw-share',
    direction: 'both',
    state,
    paused: state === 'paused',
    lastSync: ago(2 * MIN),
    lastResult: 'ok',
    nextSync: later(4 * MIN + 10_000),
    conflicts: 0,
    ...over,
  };
}

export function overviewFixture(folders: FolderView[] = [folder()]): Overview {
  return { folders, app: { notifications: true, autostart: false } };
}
