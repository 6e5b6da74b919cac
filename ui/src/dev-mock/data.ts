// What the dev mock's fake app holds: five folders in every state there is,
// their conflicts, activity, kept versions and a cloud folder tree. Each
// install gets its own copy, which the commands then change.

import type {
  ActivityItem,
  ConflictPreview,
  ConflictView,
  FolderSettings,
  Overview,
  RemoteEntry,
  VersionView,
} from '../types';
import { ago, folder, later, MIN, overviewFixture, settingsFixture } from './fixtures';

export interface MockData {
  overview: Overview;
  settings: Map<string, FolderSettings>;
  conflicts: ConflictView[];
  previews: Record<number, ConflictPreview>;
  activity: ActivityItem[];
  versions: VersionView[];
  /** The cloud's folders: path → entries ('' is the top). */
  tree: Record<string, RemoteEntry[]>;
}

function svgImage(color: string, label: string): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="150"><rect width="240" height="150" fill="${color}"/><circle cx="70" cy="60" r="26" fill="#fff8"/><path d="M0 150 L90 80 L150 130 L190 100 L240 140 V150Z" fill="#0004"/><text x="120" y="140" font-family="sans-serif" font-size="14" fill="#fff" text-anchor="end">${label}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

function sampleFolders() {
  return [
    folder({
      providerName: 'Nextcloud',
      state: 'syncing',
      nextSync: later(4 * MIN),
      progress: { bytes: 4_300_000, totalBytes: 10_500_000, filesDone: 3, filesTotal: 12, etaSeconds: 95, current: ['notes/meeting-2026-11-25.md'] },
    }),
    folder({
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
    }),
    folder({
      id: 'photos',
      provider: 'gdrive',
      providerName: 'Google Drive',
      localPath: '~/Pictures/Shared',
      remotePath: 'Family photos',
      state: 'needs-login',
      lastSync: ago(3 * 60 * MIN),
      lastResult: 'failed',
      lastError: 'Google Drive refused the saved login (it expired or was revoked).',
      nextSync: undefined,
    }),
    folder({
      id: 'archive',
      provider: 's3',
      providerName: 'Cloudflare R2',
      localPath: '~/Archive',
      remotePath: 'backups/archive',
      state: 'blocked',
      lastSync: ago(26 * MIN),
      lastResult: 'blocked',
      nextSync: undefined,
      blocked: {
        reason: 'too-many-deletes',
        message: '312 of 540 files (58%) were deleted in Cloudflare R2 since the last sync, more than the 50% you allow.',
        fix: 'If the deletions are wanted, confirm them; otherwise choose "Keep everything" to merge both sides again (nothing is deleted).',
        actions: [
          { action: 'confirm-deletes', folder: 'archive' },
          { action: 'resync', folder: 'archive' },
        ],
        wouldDelete: 312,
        files: Array.from({ length: 40 }, (_, i) => `2025/invoices/invoice-${String(i + 1).padStart(3, '0')}.pdf`),
        confirmToken: '5f1c0a9e3b2d4c71',
      },
    }),
    folder({
      id: 'music',
      provider: 'sftp',
      providerName: 'SFTP',
      localPath: '~/Music',
      remotePath: '/srv/music',
      state: 'paused',
      lastSync: ago(2 * 24 * 60 * MIN),
      nextSync: undefined,
    }),
  ];
}

function sampleConflicts(): ConflictView[] {
  return [
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
}

function samplePreviews(): Record<number, ConflictPreview> {
  return {
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
}

function sampleActivity(): ActivityItem[] {
  return [
    { folder: 'workspace', path: 'notes/meeting-2026-11-25.md', direction: 'toRemote', action: 'copied', at: ago(2 * MIN), size: 4_210 },
    { folder: 'workspace', path: 'drafts/old-idea.md', direction: 'toLocal', action: 'deleted', at: ago(2 * MIN), size: null },
    { folder: 'workspace', path: 'reports/2026-11.pdf', direction: 'toLocal', action: 'copied', at: ago(9 * MIN), size: 1_804_331 },
    { folder: 'notes', path: 'plans/q1-roadmap.md', direction: 'toLocal', action: 'copied', at: ago(14 * MIN), size: 2_302 },
    { folder: 'notes', path: 'todo.txt', direction: 'toRemote', action: 'copied', at: ago(62 * MIN), size: 311 },
    { folder: 'notes', path: 'scratch.txt', direction: 'toRemote', action: 'deleted', at: ago(65 * MIN), size: null },
  ];
}

const sampleVersions = (): VersionView[] => [
  { path: 'plans/q1-roadmap.md', keptAt: ago(14 * MIN), size: 2_101, side: 'local' },
  { path: 'todo.txt', keptAt: ago(2 * 60 * MIN), size: 298, side: 'remote' },
  { path: 'drafts/old-idea.md', keptAt: ago(26 * 60 * MIN), size: 1_520, side: 'local' },
  { path: 'images/cover.png', keptAt: ago(4 * 24 * 60 * MIN), size: 177_012, side: 'remote' },
];

const sampleTree = (): Record<string, RemoteEntry[]> => ({
  '': [
    { name: 'Documents', isDir: true },
    { name: 'Photos', isDir: true },
    { name: 'openclaw-share', isDir: true },
    { name: 'readme.txt', isDir: false, size: 1_204, modified: ago(3 * 24 * 60 * MIN) },
  ],
  Documents: [
    { name: 'Taxes', isDir: true },
    { name: 'letter.odt', isDir: false, size: 18_430, modified: ago(9 * 24 * 60 * MIN) },
  ],
  'Documents/Taxes': [],
  Photos: [],
  'openclaw-share': [{ name: 'notes', isDir: true }],
  'openclaw-share/notes': [],
});

/** The fake app's data; `empty`: a first run, no folder yet. */
export function mockData(empty: boolean): MockData {
  const overview = overviewFixture(empty ? [] : sampleFolders());
  return {
    overview,
    settings: new Map(overview.folders.map((f) => [f.id, settingsFixture()])),
    conflicts: empty ? [] : sampleConflicts(),
    previews: samplePreviews(),
    activity: empty ? [] : sampleActivity(),
    versions: sampleVersions(),
    tree: sampleTree(),
  };
}
