import { useState } from 'preact/hooks';
import { ErrorText, FolderTabs, Loading, Notice, PageHeader, Size } from '../components';
import { formatDateTime, timeAgo } from '../format';
import { useAction, useLoad, useNow } from '../hooks';
import * as ipc from '../ipc';
import { useApp } from '../state';
import type { FolderView, VersionSide, VersionView } from '../types';

/** Where a version was kept. */
const SIDE_LABEL: Record<VersionSide, string> = { local: 'This computer', remote: 'The cloud' };
const SIDE_TITLE: Record<VersionSide, string> = {
  local: 'Kept on this computer: a sync replaced or deleted it here',
  remote: 'Kept in the cloud, beside the synced folder: a sync replaced or deleted it there',
};

export function VersionsPage({ folder }: { folder: string | undefined }) {
  const { overview } = useApp();
  const folders = overview?.folders ?? [];
  const id = folder ?? folders[0]?.id;
  const f = folders.find((x) => x.id === id);
  return (
    <section>
      <PageHeader title="Versions" />
      <FolderTabs page="versions" folders={folders} current={id} />
      {!id && <p class="muted">No folder is synced yet.</p>}
      {id && !f && <ErrorText error={{ code: 'unknown-folder', message: `There is no folder named "${id}".` }} />}
      {f && <FolderVersions key={f.id} folder={f} />}
    </section>
  );
}

function FolderVersions({ folder }: { folder: FolderView }) {
  const now = useNow();
  const list = useLoad(() => ipc.listVersions(folder.id), [folder.id]);
  const [filter, setFilter] = useState('');
  const [restored, setRestored] = useState<string | undefined>(undefined);
  const { busy, run, errorFor } = useAction();

  const restore = (v: VersionView, index: number) =>
    run(`restore-${index}`, async () => {
      await ipc.restoreVersion(folder.id, v.path, v.keptAt, v.side);
      setRestored(`${v.path} is back as it was on ${formatDateTime(v.keptAt, now)}.`);
      await list.reload();
    });

  const needle = filter.trim().toLowerCase();
  // Indexes stay those of the full list, so restore-<index> does not move with the filter.
  const rows = (list.data ?? []).map((v, index) => ({ v, index })).filter(({ v }) => v.path.toLowerCase().includes(needle));

  return (
    <div>
      <p class="lead">
        Every file that a sync replaced or deleted in <strong>{folder.id}</strong> is kept for a while, on this computer or in
        the cloud ({folder.providerName}). Restore puts that version back in the folder.
      </p>
      {restored && <Notice>{restored}</Notice>}
      <div class="field">
        <label for="versions-filter">Find a file</label>
        <input
          id="versions-filter"
          type="search"
          placeholder="Part of a file name"
          value={filter}
          onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)}
          data-testid="versions-filter"
        />
      </div>
      <ErrorText error={list.error} />
      {list.data === undefined && !list.error && <Loading what="kept versions" />}
      {list.data && list.data.length === 0 && <p class="muted card empty">No versions are kept for this folder yet.</p>}
      {list.data && list.data.length > 0 && rows.length === 0 && <p class="muted">No kept version matches “{filter}”.</p>}
      {rows.length > 0 && (
        <ul class="card versions">
          {rows.map(({ v, index }) => (
            <li key={`${v.side}:${v.path}@${v.keptAt}`} data-testid={`version-${index}`}>
              <div class="grow">
                <span class="path">{v.path}</span>
                <span class="muted">
                  <span class={`side side-${v.side}`} data-testid={`kept-side-${index}`} title={SIDE_TITLE[v.side]}>
                    {SIDE_LABEL[v.side]}
                  </span>{' '}
                  · kept <time dateTime={v.keptAt} title={formatDateTime(v.keptAt, now)}>{timeAgo(v.keptAt, now)}</time> ·{' '}
                  <Size bytes={v.size} />
                </span>
                <ErrorText error={errorFor(`restore-${index}`)} />
              </div>
              <button type="button" data-testid={`restore-${index}`} onClick={() => restore(v, index)} disabled={!!busy}>
                {busy === `restore-${index}` ? 'Restoring…' : 'Restore'}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
