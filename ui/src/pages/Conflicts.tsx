import { useEffect, useState } from 'preact/hooks';
import { ErrorText, FolderTabs, Loading, Notice, PageHeader, Size } from '../components';
import { diffStats, foldDiff } from '../diff';
import { formatDateTime, newerSide, plural, timeAgo } from '../format';
import { useAction, useLoad, useNow } from '../hooks';
import * as ipc from '../ipc';
import { href } from '../route';
import { useApp } from '../state';
import type { ConflictPreview, ConflictView, FolderView, Keep, SideInfo } from '../types';

export function ConflictsPage({ folder }: { folder: string | undefined }) {
  const { overview } = useApp();
  const folders = overview?.folders ?? [];
  const chosen = folder ?? (folders.find((f) => f.conflicts > 0) ?? folders[0])?.id;
  const current = folders.find((f) => f.id === chosen);

  return (
    <section>
      <PageHeader title="Conflicts" />
      <FolderTabs page="conflicts" folders={folders} current={chosen} count={(f) => f.conflicts} />
      {folders.length === 0 && <p class="muted">No folder is synced yet.</p>}
      {chosen && !current && <ErrorText error={{ code: 'unknown-folder', message: `There is no folder named "${chosen}".` }} />}
      {current && <FolderConflicts key={current.id} folder={current} />}
    </section>
  );
}

const KEEP_DONE: Record<Keep, (cloud: string) => string> = {
  local: () => "this computer's version",
  remote: (cloud) => `${cloud}'s version`,
  both: () => 'both versions',
};

function FolderConflicts({ folder }: { folder: FolderView }) {
  const list = useLoad(() => ipc.listConflicts(folder.id), [folder.id]);
  const { refresh } = useApp();
  const { busy, run, errorFor } = useAction();
  const [done, setDone] = useState<string | undefined>(undefined);
  const cloud = folder.providerName;

  useEffect(
    () =>
      ipc.onConflicts((c) => {
        if (c.folder === folder.id) void list.reload();
      }),
    [folder.id],
  );

  const resolveAll = (keep: Keep) =>
    run(`all-${keep}`, async () => {
      const n = await ipc.resolveAll(folder.id, keep);
      setDone(`Kept ${KEEP_DONE[keep](cloud)} of ${plural(n, 'file')}.`);
      await Promise.all([list.reload(), refresh()]);
    });

  const resolved = (c: ConflictView, keep: Keep) => {
    setDone(`${c.path}: kept ${KEEP_DONE[keep](cloud)}.`);
    list.setData((old) => old?.filter((x) => x.id !== c.id));
    void refresh();
  };

  const conflicts = list.data;
  return (
    <div>
      {done && <Notice>{done}</Notice>}
      <ErrorText error={list.error} />
      {conflicts === undefined && !list.error && <Loading what="conflicts" />}
      {conflicts && conflicts.length === 0 && (
        <div class="card empty">
          <p>
            <strong>No conflicts in {folder.id}.</strong> When a file is changed both on this computer and on {cloud}{' '}
            before they sync, both versions are kept and the file shows up here.
          </p>
          <a class="button" href={href('status')}>
            Back to Status
          </a>
        </div>
      )}
      {conflicts && conflicts.length > 0 && (
        <>
          <p class="lead">
            {conflicts.length === 1 ? 'This file was' : `These ${conflicts.length} files were`} changed both on this computer
            and on {cloud}. Both versions are kept until you choose; the one you keep takes the file's name.
          </p>
          {conflicts.length > 1 && (
            <div class="card bulk" role="group" aria-label={`Apply to all ${conflicts.length} conflicts`}>
              <p>
                <strong>Apply to all {conflicts.length} conflicts:</strong>
              </p>
              <div class="actions">
                <button type="button" data-testid="apply-all-local" onClick={() => resolveAll('local')} disabled={!!busy}>
                  Keep this computer's
                </button>
                <button type="button" data-testid="apply-all-remote" onClick={() => resolveAll('remote')} disabled={!!busy}>
                  Keep {cloud}'s
                </button>
                <button type="button" data-testid="apply-all-both" onClick={() => resolveAll('both')} disabled={!!busy}>
                  Keep both
                </button>
              </div>
              <ErrorText error={errorFor('all-local') ?? errorFor('all-remote') ?? errorFor('all-both')} />
            </div>
          )}
          <div class="stack">
            {conflicts.map((c) => (
              <ConflictItem key={c.id} conflict={c} cloud={cloud} onResolved={(keep) => resolved(c, keep)} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}

export function ConflictItem({
  conflict: c,
  cloud,
  onResolved,
}: {
  conflict: ConflictView;
  cloud: string;
  onResolved: (keep: Keep) => void;
}) {
  const now = useNow();
  const preview = useLoad(() => ipc.conflictPreview(c.id), [c.id]);
  const { busy, run, errorFor } = useAction();
  const newer = newerSide(c);
  const resolve = (keep: Keep) =>
    run('resolve', async () => {
      await ipc.resolveConflict(c.id, keep);
      onResolved(keep);
    });
  const open = (path: string) => run('open', () => ipc.openPath(c.folder, path));

  return (
    <article class="card conflict" data-testid={`conflict-${c.id}`} aria-labelledby={`conflict-title-${c.id}`}>
      <header>
        <h2 id={`conflict-title-${c.id}`} class="path">
          {c.path}
        </h2>
        <p class="muted" title={formatDateTime(c.foundAt, now)}>
          Found {timeAgo(c.foundAt, now)}
        </p>
      </header>
      <div class="sides">
        <SideCard
          label="This computer"
          side={c.local}
          isNewer={newer === 'local'}
          image={preview.data?.localImage}
          file={c.localCopy}
          onOpen={() => open(c.localCopy)}
          now={now}
          testId={`side-local-${c.id}`}
        />
        <SideCard
          label={cloud}
          side={c.remote}
          isNewer={newer === 'remote'}
          image={preview.data?.remoteImage}
          file={c.remoteCopy}
          onOpen={() => open(c.remoteCopy)}
          now={now}
          testId={`side-remote-${c.id}`}
        />
      </div>
      <PreviewBody preview={preview.data} loading={preview.loading} cloud={cloud} kind={c.kind} path={c.path} />
      <ErrorText error={preview.error} />
      <div class="actions">
        <button type="button" data-testid={`keep-local-${c.id}`} onClick={() => resolve('local')} disabled={!!busy}>
          Keep this computer's
        </button>
        <button type="button" data-testid={`keep-remote-${c.id}`} onClick={() => resolve('remote')} disabled={!!busy}>
          Keep {cloud}'s
        </button>
        <button type="button" data-testid={`keep-both-${c.id}`} onClick={() => resolve('both')} disabled={!!busy}>
          Keep both
        </button>
      </div>
      <ErrorText error={errorFor('resolve') ?? errorFor('open')} />
    </article>
  );
}

function SideCard({
  label,
  side,
  isNewer,
  image,
  file,
  onOpen,
  now,
  testId,
}: {
  label: string;
  side: SideInfo;
  isNewer: boolean;
  image: string | undefined;
  file: string;
  onOpen: () => void;
  now: number;
  testId: string;
}) {
  return (
    <section class={isNewer ? 'side newer' : 'side'} data-testid={testId} aria-label={label}>
      <h3>
        {label}
        {isNewer && <span class="badge tone-busy">newer</span>}
      </h3>
      {image && <img class="thumb" src={image} alt={`${label}'s version`} />}
      <dl>
        <dt>Changed</dt>
        <dd title={formatDateTime(side.modified, now)}>
          {timeAgo(side.modified, now)} <span class="muted">({formatDateTime(side.modified, now)})</span>
        </dd>
        <dt>Size</dt>
        <dd>
          <Size bytes={side.size} />
        </dd>
      </dl>
      <p class="muted file-name" title={file}>
        {file}
      </p>
      <button type="button" class="subtle" onClick={onOpen}>
        Open
      </button>
    </section>
  );
}

function PreviewBody({
  preview,
  loading,
  cloud,
  kind,
  path,
}: {
  preview: ConflictPreview | undefined;
  loading: boolean;
  cloud: string;
  kind: ConflictView['kind'];
  path: string;
}) {
  if (!preview) return loading ? <Loading what="the preview" /> : null;
  if (preview.kind === 'text' && preview.diff) {
    const stats = diffStats(preview.diff);
    if (stats.added === 0 && stats.removed === 0) {
      return <p class="muted">The two versions have the same lines (they differ only in spacing or line endings).</p>;
    }
    return (
      <figure class="diff-wrap">
        <figcaption class="muted">
          <span class="del-key">− only on this computer ({stats.removed})</span>{' '}
          <span class="add-key">
            + only on {cloud} ({stats.added})
          </span>
        </figcaption>
        <pre class="diff" data-testid="diff">
          {foldDiff(preview.diff).map((row, i) =>
            row.kind === 'gap' ? (
              <div key={i} class="gap">
                ⋯ {row.count} unchanged lines
              </div>
            ) : (
              <div key={i} class={`line ${row.op}`}>
                <span class="sign" aria-label={row.op === 'add' ? `only on ${cloud}` : row.op === 'del' ? 'only on this computer' : undefined}>
                  {row.op === 'add' ? '+' : row.op === 'del' ? '−' : ' '}
                </span>
                {row.text || ' '}
              </div>
            ),
          )}
        </pre>
      </figure>
    );
  }
  if (preview.kind === 'image') return null; // the thumbnails are in the cards
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(path)?.[1];
  const type = ext ? `.${ext.toLowerCase()} files` : preview.mime ? `${preview.mime} files` : `this kind of file (${kind})`;
  return (
    <p class="muted" data-testid="no-preview">
      No preview for {type}. Open each version to compare them.
    </p>
  );
}

