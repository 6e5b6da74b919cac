// A fake app behind window.__TAURI_INTERNALS__, for looking at the UI in a
// browser: `npm run dev` then open /?mock (or ?mock=empty for a first run),
// or `npm run build:mock && npm run preview:mock`. main.tsx loads this file
// only in dev and `--mode mock` builds, and only with ?mock in the address;
// the production build does not contain it.

import type {
  ActivityItem,
  ConflictPreview,
  ConflictView,
  FolderDraft,
  FolderSettings,
  FolderView,
  Overview,
  ProviderInfo,
  RemoteEntry,
  VersionView,
} from './types';

type Args = Record<string, unknown>;
const MIN = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const later = (ms: number) => new Date(Date.now() + ms).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fail = (code: string, message: string) => Promise.reject({ code, message });

const PROVIDERS: ProviderInfo[] = [
  { key: 'dropbox', name: 'Dropbox', oauth: true, fields: [] },
  { key: 'gdrive', name: 'Google Drive', oauth: true, fields: [] },
  { key: 'onedrive', name: 'OneDrive', oauth: true, fields: [] },
  {
    key: 's3',
    name: 'S3 / Cloudflare R2',
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
    name: 'WebDAV / Nextcloud',
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
      { key: 'password', label: 'Password or app password', kind: 'secret', required: true },
    ],
  },
  {
    key: 'sftp',
    name: 'SFTP',
    oauth: false,
    fields: [
      { key: 'host', label: 'Server', kind: 'text', required: true, placeholder: 'files.example.com' },
      { key: 'port', label: 'Port', kind: 'number', required: false, placeholder: '22' },
      { key: 'user', label: 'User name', kind: 'text', required: true },
      { key: 'password', label: 'Password', kind: 'secret', required: false },
      { key: 'keyFile', label: 'Key file', kind: 'text', required: false, placeholder: '~/.ssh/id_ed25519' },
    ],
  },
  {
    key: 'local',
    name: 'Local or network folder',
    oauth: false,
    fields: [{ key: 'path', label: 'Folder', kind: 'text', required: true, placeholder: '/mnt/share' }],
  },
  {
    key: 'custom',
    name: 'Other (rclone backend)',
    oauth: false,
    fields: [{ key: 'rcloneType', label: 'rclone backend', kind: 'text', required: true, placeholder: 'b2, box, pcloud…' }],
  },
];

const DEFAULT_SETTINGS: FolderSettings = {
  interval: 300,
  watch: true,
  exclude: ['.git/**', 'node_modules/**', '.env*', '*.log'],
  conflictResolve: 'ask',
  maxDeletePercent: 50,
  keepVersionsDays: 30,
};

function svgImage(color: string, label: string): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="150"><rect width="240" height="150" fill="${color}"/><circle cx="70" cy="60" r="26" fill="#fff8"/><path d="M0 150 L90 80 L150 130 L190 100 L240 140 V150Z" fill="#0004"/><text x="120" y="140" font-family="sans-serif" font-size="14" fill="#fff" text-anchor="end">${label}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

export function installMock(scenario: string): void {
  const empty = scenario === 'empty';
  const folders: FolderView[] = empty
    ? []
    : [
        {
          id: 'workspace',
          provider: 'webdav',
          providerName: 'Nextcloud',
          localPath: '~/Workspace',
          remotePath: 'openclaw-share',
          state: 'syncing',
          lastSync: ago(2 * MIN),
          lastResult: 'ok',
          nextSync: later(4 * MIN),
          conflicts: 0,
          progress: { bytes: 4_300_000, totalBytes: 10_500_000, filesDone: 3, filesTotal: 12, etaSeconds: 95, current: ['notes/meeting-2026-11-25.md'] },
        },
        {
          id: 'notes',
          provider: 'dropbox',
          providerName: 'Dropbox',
          localPath: '~/Notes',
          remotePath: 'Notes',
          state: 'conflicts',
          lastSync: ago(14 * MIN),
          lastResult: 'conflicts',
          nextSync: later(MIN),
          conflicts: 3,
        },
        {
          id: 'photos',
          provider: 'gdrive',
          providerName: 'Google Drive',
          localPath: '~/Pictures/Shared',
          remotePath: 'Family photos',
          state: 'needs-login',
          lastSync: ago(3 * 60 * MIN),
          lastResult: 'failed',
          lastError: 'Google Drive refused the saved login (it expired or was revoked).',
          conflicts: 0,
        },
        {
          id: 'archive',
          provider: 's3',
          providerName: 'Cloudflare R2',
          localPath: '~/Archive',
          remotePath: 'backups/archive',
          state: 'blocked',
          lastSync: ago(26 * MIN),
          lastResult: 'blocked',
          conflicts: 0,
          blocked: {
            reason: 'max-delete',
            message: '312 of 540 files (58%) were deleted in Cloudflare R2 since the last sync, more than the 50% you allow.',
            fix: 'If you meant to delete them, let the sync go ahead; if not, keep everything and the files are copied back.',
            wouldDelete: 312,
            files: Array.from({ length: 40 }, (_, i) => `2025/invoices/invoice-${String(i + 1).padStart(3, '0')}.pdf`),
          },
        },
        {
          id: 'music',
          provider: 'sftp',
          providerName: 'SFTP',
          localPath: '~/Music',
          remotePath: '/srv/music',
          state: 'paused',
          lastSync: ago(2 * 24 * 60 * MIN),
          lastResult: 'ok',
          conflicts: 0,
        },
      ];
  const overview: Overview = { folders, app: { notifications: true, autostart: false } };
  const settings = new Map<string, FolderSettings>(folders.map((f) => [f.id, { ...DEFAULT_SETTINGS }]));

  let conflicts: ConflictView[] = empty
    ? []
    : [
        {
          id: 1,
          folder: 'notes',
          path: 'plans/q1-roadmap.md',
          localCopy: 'plans/q1-roadmap.md',
          remoteCopy: 'plans/q1-roadmap.conflict-remote-2026-11-25-1432.md',
          local: { size: 2_418, modified: ago(18 * MIN) },
          remote: { size: 2_302, modified: ago(41 * MIN) },
          foundAt: ago(14 * MIN),
          kind: 'text',
        },
        {
          id: 2,
          folder: 'notes',
          path: 'images/cover.png',
          localCopy: 'images/cover.png',
          remoteCopy: 'images/cover.conflict-remote-2026-11-25-1432.png',
          local: { size: 184_220, modified: ago(3 * 60 * MIN) },
          remote: { size: 201_904, modified: ago(25 * MIN) },
          foundAt: ago(14 * MIN),
          kind: 'image',
        },
        {
          id: 3,
          folder: 'notes',
          path: 'budget.xlsx',
          localCopy: 'budget.xlsx',
          remoteCopy: 'budget.conflict-remote-2026-11-25-1432.xlsx',
          local: { size: 48_911, modified: ago(50 * MIN) },
          remote: { size: 48_911, modified: ago(50 * MIN) },
          foundAt: ago(14 * MIN),
          kind: 'other',
        },
      ];
  const previews: Record<number, ConflictPreview> = {
    1: {
      kind: 'text',
      diff: [
        { op: 'same', text: '# Q1 roadmap' },
        { op: 'same', text: '' },
        { op: 'same', text: '## Goals' },
        { op: 'same', text: '- Ship the tray app' },
        { op: 'del', text: '- Two-way sync for Nextcloud and Dropbox' },
        { op: 'add', text: '- Two-way sync for Nextcloud, Dropbox and R2' },
        { op: 'same', text: '- Conflict review in the app' },
        { op: 'same', text: '' },
        { op: 'same', text: '## Dates' },
        { op: 'same', text: '- Beta: January 12' },
        { op: 'same', text: '- Docs freeze: February 2' },
        { op: 'same', text: '- Translations: February 9' },
        { op: 'same', text: '- Release candidate: February 20' },
        { op: 'same', text: '- Marketing site: February 27' },
        { op: 'del', text: '- Release: March 3' },
        { op: 'add', text: '- Release: March 10' },
        { op: 'add', text: '- Retrospective: March 17' },
      ],
    },
    2: { kind: 'image', mime: 'image/png', localImage: svgImage('#4f7cac', 'this computer'), remoteImage: svgImage('#c0794f', 'Dropbox') },
    3: { kind: 'other', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  };

  let activity: ActivityItem[] = empty
    ? []
    : [
        { folder: 'workspace', path: 'notes/meeting-2026-11-25.md', direction: 'toRemote', action: 'copied', at: ago(2 * MIN), size: 4_210 },
        { folder: 'workspace', path: 'drafts/old-idea.md', direction: 'toLocal', action: 'deleted', at: ago(2 * MIN) },
        { folder: 'workspace', path: 'reports/2026-11.pdf', direction: 'toLocal', action: 'copied', at: ago(9 * MIN), size: 1_804_331 },
        { folder: 'notes', path: 'plans/q1-roadmap.md', direction: 'toLocal', action: 'copied', at: ago(14 * MIN), size: 2_302 },
        { folder: 'notes', path: 'todo.txt', direction: 'toRemote', action: 'copied', at: ago(62 * MIN), size: 311 },
        { folder: 'notes', path: 'scratch.txt', direction: 'toRemote', action: 'deleted', at: ago(65 * MIN) },
      ];
  const versions: VersionView[] = [
    { path: 'plans/q1-roadmap.md', keptAt: ago(14 * MIN), size: 2_101 },
    { path: 'todo.txt', keptAt: ago(2 * 60 * MIN), size: 298 },
    { path: 'drafts/old-idea.md', keptAt: ago(26 * 60 * MIN), size: 1_520 },
    { path: 'images/cover.png', keptAt: ago(4 * 24 * 60 * MIN), size: 177_012 },
  ];
  const tree: Record<string, RemoteEntry[]> = {
    '': [
      { name: 'Documents', isDir: true },
      { name: 'Photos', isDir: true },
      { name: 'openclaw-share', isDir: true },
      { name: 'readme.txt', isDir: false },
    ],
    Documents: [
      { name: 'Taxes', isDir: true },
      { name: 'letter.odt', isDir: false },
    ],
    'Documents/Taxes': [],
    Photos: [],
    'openclaw-share': [{ name: 'notes', isDir: true }],
    'openclaw-share/notes': [],
  };

  // ---- events ----
  const callbacks = new Map<number, (data: unknown) => void>();
  const listeners = new Map<string, number[]>();
  let nextCallback = 1;
  const emit = (event: string, payload: unknown) => {
    for (const id of listeners.get(event) ?? []) callbacks.get(id)?.({ event, id, payload });
  };
  const setFolder = (id: string, change: Partial<FolderView>) => {
    const i = overview.folders.findIndex((f) => f.id === id);
    if (i < 0) return;
    overview.folders[i] = { ...overview.folders[i], ...change };
    emit('engine://folder', overview.folders[i]);
  };
  const folderOf = (args: Args) => {
    const f = overview.folders.find((x) => x.id === args.folder);
    return f ?? null;
  };

  // A sync that moves along, finishes, and starts again a while later.
  setInterval(() => {
    for (const f of overview.folders) {
      if (f.state !== 'syncing' || !f.progress) continue;
      const p = f.progress;
      const filesDone = Math.min(p.filesTotal, p.filesDone + 1);
      const bytes = Math.min(p.totalBytes, p.bytes + 700_000);
      if (filesDone >= p.filesTotal && bytes >= p.totalBytes) {
        const item: ActivityItem = { folder: f.id, path: `notes/file-${Date.now() % 1000}.md`, direction: 'toRemote', action: 'copied', at: new Date().toISOString(), size: 1_200 };
        activity = [item, ...activity];
        emit('engine://activity', item);
        setFolder(f.id, { state: 'idle', progress: undefined, lastSync: new Date().toISOString(), lastResult: 'ok', nextSync: later(5 * MIN) });
      } else {
        setFolder(f.id, { progress: { ...p, filesDone, bytes, etaSeconds: Math.max(0, (p.etaSeconds ?? 60) - 8) } });
      }
    }
  }, 1500);

  const handlers: Record<string, (args: Args) => unknown> = {
    'plugin:event|listen': (a) => {
      const list = listeners.get(a.event as string) ?? [];
      list.push(a.handler as number);
      listeners.set(a.event as string, list);
      return a.handler;
    },
    'plugin:event|unlisten': (a) => {
      const list = listeners.get(a.event as string) ?? [];
      listeners.set(a.event as string, list.filter((x) => x !== a.eventId));
      return null;
    },
    get_overview: () => structuredClone(overview),
    sync_now: (a) => {
      for (const f of overview.folders.filter((x) => !a.folder || x.id === a.folder)) {
        if (f.state === 'needs-login') return fail('needs-login', `${f.providerName} needs you to log in again before ${f.id} can sync.`);
        setFolder(f.id, { state: 'syncing', progress: { bytes: 0, totalBytes: 3_000_000, filesDone: 0, filesTotal: 5, etaSeconds: 20, current: ['todo.txt'] } });
      }
      return null;
    },
    pause: (a) => (overview.folders.filter((x) => !a.folder || x.id === a.folder).forEach((f) => setFolder(f.id, { state: 'paused', progress: undefined })), null),
    resume: (a) => (overview.folders.filter((x) => !a.folder || x.id === a.folder).forEach((f) => setFolder(f.id, { state: 'idle', nextSync: later(5 * MIN) })), null),
    list_conflicts: (a) => conflicts.filter((c) => !a.folder || c.folder === a.folder),
    conflict_preview: (a) => previews[a.id as number] ?? { kind: 'other' },
    resolve_conflict: (a) => {
      const c = conflicts.find((x) => x.id === a.id);
      conflicts = conflicts.filter((x) => x.id !== a.id);
      if (c) {
        const left = conflicts.filter((x) => x.folder === c.folder).length;
        setFolder(c.folder, { conflicts: left, state: left ? 'conflicts' : 'idle' });
      }
      return null;
    },
    resolve_all: (a) => {
      const n = conflicts.filter((x) => x.folder === a.folder).length;
      conflicts = conflicts.filter((x) => x.folder !== a.folder);
      setFolder(a.folder as string, { conflicts: 0, state: 'idle' });
      return n;
    },
    open_path: () => null,
    confirm_deletes: (a) => (setFolder(a.folder as string, { state: 'idle', blocked: undefined, lastResult: 'ok', lastSync: new Date().toISOString() }), null),
    keep_everything: (a) => (setFolder(a.folder as string, { state: 'idle', blocked: undefined, lastResult: 'ok', lastSync: new Date().toISOString() }), null),
    activity: (a) => activity.filter((x) => !a.folder || x.folder === a.folder).slice(0, (a.limit as number) ?? 100),
    list_versions: () => versions,
    restore_version: () => null,
    get_settings: (a) => (folderOf(a) ? settings.get(a.folder as string) ?? { ...DEFAULT_SETTINGS } : fail('unknown-folder', `There is no folder named "${a.folder}".`)),
    save_settings: (a) => {
      const s = a.settings as FolderSettings;
      if (s.exclude.some((p) => p.startsWith('/'))) return fail('invalid-input', 'Exclude patterns are relative to the folder: remove the leading "/".');
      settings.set(a.folder as string, s);
      return null;
    },
    set_app_settings: (a) => (Object.assign(overview.app, a), null),
    providers: () => PROVIDERS,
    pick_local_folder: () => '/home/ada/Projects',
    test_connection: async (a) => {
      const d = a.draft as FolderDraft;
      await sleep(700);
      if (d.fields.password === 'wrong' || d.fields.secretAccessKey === 'wrong') {
        return fail('remote', 'The server refused the user name or password. Check them and try again.');
      }
      return { account: d.fields.user ? `${d.fields.user}` : undefined };
    },
    login_oauth: async (a) => {
      await sleep(1200);
      const d = a.draft as FolderDraft;
      const f = overview.folders.find((x) => x.id === d.id);
      if (f && f.state === 'needs-login') setFolder(f.id, { state: 'idle', lastError: undefined });
      return { account: 'ada@example.com' };
    },
    browse_remote: async (a) => {
      await sleep(250);
      const entries = tree[a.path as string];
      return entries ?? fail('remote', `There is no folder "${a.path}" in the cloud.`);
    },
    create_remote_folder: (a) => {
      const path = a.path as string;
      const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
      tree[parent] = [...(tree[parent] ?? []), { name: path.slice(path.lastIndexOf('/') + 1), isDir: true }];
      tree[path] = [];
      return null;
    },
    preview_first_sync: async () => (await sleep(800), { toLocal: 128, toRemote: 12, conflicts: 3 }),
    add_folder: (a) => {
      const d = a.draft as FolderDraft;
      const p = PROVIDERS.find((x) => x.key === d.provider);
      const f: FolderView = {
        id: d.id,
        provider: d.provider,
        providerName: p?.name ?? d.provider,
        localPath: d.localPath,
        remotePath: d.remotePath,
        state: 'syncing',
        conflicts: 0,
        progress: { bytes: 0, totalBytes: 8_000_000, filesDone: 0, filesTotal: 140, etaSeconds: 40, current: [] },
      };
      overview.folders.push(f);
      settings.set(f.id, { ...DEFAULT_SETTINGS, interval: d.interval, conflictResolve: d.conflictResolve as FolderSettings['conflictResolve'] });
      return f;
    },
    remove_folder: (a) => ((overview.folders = overview.folders.filter((f) => f.id !== a.folder)), null),
    logout: (a) => (setFolder(a.folder as string, { state: 'needs-login' }), null),
  };

  const w = window as unknown as Record<string, unknown>;
  w.__TAURI_INTERNALS__ = {
    metadata: { currentWindow: { label: 'main' }, currentWebview: { windowLabel: 'main', label: 'main' } },
    transformCallback(cb: (data: unknown) => void, once = false) {
      const id = nextCallback++;
      callbacks.set(id, (data) => {
        if (once) callbacks.delete(id);
        cb?.(data);
      });
      return id;
    },
    unregisterCallback(id: number) {
      callbacks.delete(id);
    },
    async invoke(cmd: string, args: Args = {}) {
      await sleep(cmd.startsWith('plugin:') ? 0 : 60);
      const h = handlers[cmd];
      if (!h) throw { code: 'invalid-input', message: `The mock does not know the command ${cmd}.` };
      return structuredClone(await h(args));
    },
  };
  w.__TAURI_EVENT_PLUGIN_INTERNALS__ = {
    unregisterListener(event: string, id: number) {
      listeners.set(event, (listeners.get(event) ?? []).filter((x) => x !== id));
    },
  };
  // For poking at it from the console: __mock.emit('app://navigate', { page: 'activity' })
  w.__mock = { emit, overview };
}
