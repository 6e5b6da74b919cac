import type { FolderView, Overview, ProviderInfo } from '../src/types';

export const MIN = 60_000;
export const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
export const later = (ms: number) => new Date(Date.now() + ms).toISOString();

export function folder(over: Partial<FolderView> = {}): FolderView {
  return {
    id: 'workspace',
    provider: 'webdav',
    providerName: 'WebDAV',
    localPath: '~/Workspace',
    remotePath: 'openclaw-share',
    state: 'idle',
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

export function providersFixture(): ProviderInfo[] {
  return [
    { key: 'dropbox', name: 'Dropbox', oauth: true, fields: [] },
    {
      key: 'webdav',
      name: 'WebDAV',
      oauth: false,
      fields: [
        { key: 'url', label: 'Server address', kind: 'url', required: true },
        { key: 'vendor', label: 'Server', kind: 'select', required: true, options: ['nextcloud', 'owncloud', 'other'] },
        { key: 'user', label: 'User name', kind: 'text', required: true },
        { key: 'password', label: 'Password', kind: 'secret', required: true },
      ],
    },
    {
      key: 'sftp',
      name: 'SFTP',
      oauth: false,
      fields: [
        { key: 'host', label: 'Server', kind: 'text', required: true },
        { key: 'port', label: 'Port', kind: 'number', required: false },
        { key: 'password', label: 'Password', kind: 'secret', required: false },
      ],
    },
  ];
}
