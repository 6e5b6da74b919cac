// The fake app's commands (those of docs/ipc.md), working on its MockData
// and telling the page about changes through engine:// events, and the step
// of the sync that moves along.

import type { ActivityItem, FolderDraft, FolderSettings, FolderView } from '../types';
import { sleep, type Args, type Emit, type Handler } from './bridge';
import type { MockData } from './data';
import { displayName, later, MIN, providersFixture, settingsFixture } from './fixtures';

const fail = (code: string, message: string) => Promise.reject({ code, message });

export function mockApp(d: MockData, emit: Emit): { handlers: Record<string, Handler>; tick: () => void } {
  const setFolder = (id: string, change: Partial<FolderView>) => {
    const i = d.overview.folders.findIndex((f) => f.id === id);
    if (i < 0) return;
    d.overview.folders[i] = { ...d.overview.folders[i], ...change };
    emit('engine://folder', d.overview.folders[i]);
  };
  const folderOf = (args: Args) => d.overview.folders.find((x) => x.id === args.folder) ?? null;
  const chosen = (args: Args) => d.overview.folders.filter((x) => !args.folder || x.id === args.folder);
  const settled = (folder: string) =>
    setFolder(folder, { state: 'idle', blocked: undefined, lastResult: 'ok', lastSync: new Date().toISOString() });

  /** A sync that moves along, finishes, and starts again a while later. */
  const tick = () => {
    for (const f of d.overview.folders) {
      if (f.state !== 'syncing' || !f.progress) continue;
      const p = f.progress;
      const filesDone = Math.min(p.filesTotal, p.filesDone + 1);
      const bytes = Math.min(p.totalBytes, p.bytes + 700_000);
      if (filesDone >= p.filesTotal && bytes >= p.totalBytes) {
        const item: ActivityItem = { folder: f.id, path: `notes/file-${Date.now() % 1000}.md`, direction: 'toRemote', action: 'copied', at: new Date().toISOString(), size: 1_200 };
        d.activity = [item, ...d.activity];
        emit('engine://activity', item);
        setFolder(f.id, { state: 'idle', progress: undefined, lastSync: new Date().toISOString(), lastResult: 'ok', nextSync: later(5 * MIN) });
      } else {
        setFolder(f.id, { progress: { ...p, filesDone, bytes, etaSeconds: Math.max(0, (p.etaSeconds ?? 60) - 8) } });
      }
    }
  };

  const handlers: Record<string, Handler> = {
    get_overview: () => structuredClone(d.overview),
    sync_now: (a) => {
      for (const f of chosen(a)) {
        if (f.state === 'needs-login') return fail('needs-login', `${f.providerName} needs you to log in again before ${f.id} can sync.`);
        setFolder(f.id, { state: 'syncing', progress: { bytes: 0, totalBytes: 3_000_000, filesDone: 0, filesTotal: 5, etaSeconds: 20, current: ['todo.txt'] } });
      }
      return null;
    },
    pause: (a) => (chosen(a).forEach((f) => setFolder(f.id, { state: 'paused', paused: true, progress: undefined })), null),
    resume: (a) => (chosen(a).forEach((f) => setFolder(f.id, { state: 'idle', paused: false, nextSync: later(5 * MIN) })), null),
    list_conflicts: (a) => d.conflicts.filter((c) => !a.folder || c.folder === a.folder),
    conflict_preview: (a) => d.previews[a.id as number] ?? { kind: 'other' },
    resolve_conflict: (a) => {
      const c = d.conflicts.find((x) => x.id === a.id);
      d.conflicts = d.conflicts.filter((x) => x.id !== a.id);
      if (c) {
        const left = d.conflicts.filter((x) => x.folder === c.folder).length;
        setFolder(c.folder, { conflicts: left, state: left ? 'conflicts' : 'idle' });
      }
      return null;
    },
    resolve_all: (a) => {
      const n = d.conflicts.filter((x) => x.folder === a.folder).length;
      d.conflicts = d.conflicts.filter((x) => x.folder !== a.folder);
      setFolder(a.folder as string, { conflicts: 0, state: 'idle' });
      return n;
    },
    open_path: () => null,
    confirm_deletes: (a) => {
      // Like the app: a confirmation applies to the list shown (its token); if
      // the list changed meanwhile, the folder blocks again with the new one.
      const b = folderOf(a)?.blocked;
      if (b && a.token !== undefined && a.token !== b.confirmToken) {
        setFolder(a.folder as string, {
          blocked: {
            ...b,
            message: `${b.message.replace(/[.;].*$/, '')}; the files that would be deleted changed since they were shown; review the new list`,
            confirmToken: `${b.confirmToken ?? ''}-2`,
          },
        });
      } else settled(a.folder as string);
      return null;
    },
    keep_everything: (a) => (settled(a.folder as string), null),
    activity: (a) => d.activity.filter((x) => !a.folder || x.folder === a.folder).slice(0, (a.limit as number) ?? 100),
    list_versions: (a) => d.versions.filter((v) => !a.path || v.path === a.path),
    restore_version: (a) =>
      d.versions.some((v) => v.path === a.path && v.keptAt === a.keptAt && (a.side === undefined || v.side === a.side))
        ? null
        : fail('invalid-input', `No version of ${a.path} was kept at ${a.keptAt}${a.side ? ` on the ${a.side} side` : ''}.`),
    get_settings: (a) =>
      folderOf(a) ? d.settings.get(a.folder as string) ?? settingsFixture() : fail('unknown-folder', `There is no folder named "${a.folder}".`),
    save_settings: (a) => {
      const s = a.settings as FolderSettings;
      if (s.exclude.some((p) => p.startsWith('/'))) return fail('invalid-input', 'Exclude patterns are relative to the folder: remove the leading "/".');
      d.settings.set(a.folder as string, s);
      return null;
    },
    set_app_settings: (a) => (Object.assign(d.overview.app, a), null),
    providers: () => providersFixture(),
    pick_local_folder: () => '/home/ada/Projects',
    test_connection: async (a) => {
      const draft = a.draft as FolderDraft;
      await sleep(700);
      if (draft.fields.password === 'wrong' || draft.fields.secretAccessKey === 'wrong') {
        return fail('remote', 'The server refused the user name or password. Check them and try again.');
      }
      // Like the app: typed secrets of an existing folder are stored once they work.
      const stored = d.overview.folders.some((f) => f.id === draft.id) && Object.values(draft.fields).some((v) => v !== '');
      return { account: draft.fields.user ? `${draft.fields.user}` : undefined, stored };
    },
    login_oauth: async (a) => {
      await sleep(1200);
      const draft = a.draft as FolderDraft;
      const f = d.overview.folders.find((x) => x.id === draft.id);
      if (f && f.state === 'needs-login') setFolder(f.id, { state: 'idle', lastError: undefined });
      return { account: 'ada@example.com', stored: true };
    },
    browse_remote: async (a) => {
      await sleep(250);
      const entries = d.tree[a.path as string];
      return entries ?? fail('remote', `There is no folder "${a.path}" in the cloud.`);
    },
    create_remote_folder: (a) => {
      const path = a.path as string;
      const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
      d.tree[parent] = [...(d.tree[parent] ?? []), { name: path.slice(path.lastIndexOf('/') + 1), isDir: true }];
      d.tree[path] = [];
      return null;
    },
    preview_first_sync: async () => (await sleep(800), { toLocal: 128, toRemote: 12, conflicts: 3 }),
    add_folder: (a) => {
      const draft = a.draft as FolderDraft;
      const p = providersFixture().find((x) => x.key === draft.provider);
      const f: FolderView = {
        id: draft.id,
        name: displayName(draft.id),
        provider: draft.provider,
        providerName: p?.name ?? draft.provider,
        localPath: draft.localPath,
        remotePath: draft.remotePath,
        direction: draft.direction ?? 'both',
        state: 'syncing',
        paused: false,
        conflicts: 0,
        progress: { bytes: 0, totalBytes: 8_000_000, filesDone: 0, filesTotal: 140, etaSeconds: 40, current: [] },
      };
      d.overview.folders.push(f);
      d.settings.set(
        f.id,
        settingsFixture({
          interval: draft.interval ?? 300,
          conflictResolve: draft.conflictResolve,
          ...(draft.exclude ? { exclude: [...settingsFixture().exclude, ...draft.exclude] } : {}),
        }),
      );
      return f;
    },
    remove_folder: (a) => ((d.overview.folders = d.overview.folders.filter((f) => f.id !== a.folder)), null),
    logout: (a) => (setFolder(a.folder as string, { state: 'needs-login' }), null),
  };

  return { handlers, tick };
}
