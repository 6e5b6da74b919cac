import { useEffect, useState } from 'preact/hooks';
import { ConfirmDialog, ErrorText, FolderTabs, Notice, PageHeader } from '../components';
import { plural, sentence } from '../format';
import { useAction } from '../hooks';
import * as ipc from '../ipc';
import { href, navigate } from '../route';
import { useApp } from '../state';
import type { Fix } from '../types';

const SHOWN = 500;

/** The ways on other than the two buttons below ("log in", "resume", …), as links or a button. */
function OtherFix({ fix, busy, run }: { fix: Fix; busy: boolean; run: (key: string, fn: () => Promise<void>) => void }) {
  switch (fix.action) {
    case 'login':
      return <a class="button" href={href('settings', fix.folder)}>Log in again</a>;
    case 'resume':
      return (
        <button type="button" onClick={() => run('resume', () => ipc.resume(fix.folder))} disabled={busy}>
          Resume
        </button>
      );
    case 'setup':
      return <a class="button" href={href('setup')}>Add a folder</a>;
    case 'conflicts':
      return <a class="button" href={href('conflicts', fix.folder)}>See the conflicts</a>;
    case 'versions':
      return <a class="button" href={href('versions', fix.folder)}>See the kept versions</a>;
    default:
      return null;
  }
}

export function BlockedPage({ folder }: { folder: string | undefined }) {
  const { overview, refresh } = useApp();
  const folders = overview?.folders ?? [];
  const blockedFolders = folders.filter((f) => f.state === 'blocked');
  const id = folder ?? blockedFolders[0]?.id ?? folders[0]?.id;
  const f = folders.find((x) => x.id === id);
  const { busy, run, errorFor } = useAction();
  // The dialog is open for the list whose confirmToken this holds (null: closed).
  const [confirming, setConfirming] = useState<string | undefined | null>(null);
  const [listChanged, setListChanged] = useState(false);
  const token = f?.blocked?.confirmToken;
  useEffect(() => {
    // A new list arrived while the dialog was open: that yes was for the old one.
    if (confirming !== null && confirming !== token) {
      setConfirming(null);
      setListChanged(token !== undefined);
    }
  }, [token, confirming]);

  if (!f) {
    return (
      <section>
        <PageHeader title="Blocked sync" />
        <p class="muted">{id ? `There is no folder named "${id}".` : 'No folder is synced yet.'}</p>
      </section>
    );
  }
  const b = f.blocked;
  if (f.state !== 'blocked' || !b) {
    return (
      <section>
        <PageHeader title="Blocked sync" />
        <FolderTabs page="blocked" folders={blockedFolders.length > 1 ? blockedFolders : []} current={f.id} />
        <div class="card empty">
          <p>
            <strong>{f.id} is not blocked.</strong> Syncing goes ahead as usual.
          </p>
          <a class="button" href={href('status')}>
            Back to Status
          </a>
        </div>
      </section>
    );
  }

  const count = b.wouldDelete ?? b.files.length;
  const done = async () => {
    await refresh();
    navigate('status');
  };
  const offers = (action: Fix['action']) => b.actions.some((x) => x.action === action);
  const canKeep = offers('resync');
  const canDelete = offers('confirm-deletes');
  const others = b.actions.filter((x) => x.action !== 'resync' && x.action !== 'confirm-deletes');
  const askToDelete = () => {
    setListChanged(false);
    setConfirming(b.confirmToken);
  };
  const deleteThem = () =>
    run('confirm', async () => {
      // The token of the list the dialog was opened on: the app deletes that list only.
      await ipc.confirmDeletes(f.id, confirming ?? undefined);
      setConfirming(null);
      await done();
    });
  const keepAll = () =>
    run('keep', async () => {
      await ipc.keepEverything(f.id);
      await done();
    });

  return (
    <section>
      <PageHeader title={`${f.id}: sync is waiting for you`} />
      <FolderTabs page="blocked" folders={blockedFolders} current={f.id} />
      <div class="card banner-card warn">
        <p class="big" data-testid="blocked-message">
          {sentence(b.message)}
        </p>
        <p>
          <strong data-testid="blocked-count">
            {count === 0 ? 'No file was deleted.' : `${plural(count, 'file')} would be deleted. Nothing was deleted yet.`}
          </strong>
        </p>
        {b.fix && (
          <p class="muted" data-testid="blocked-fix">
            {sentence(b.fix)}
          </p>
        )}
      </div>
      {listChanged && (
        <Notice tone="info">The list of files changed while you were looking at it. Review the new list before deleting.</Notice>
      )}

      {b.files.length > 0 && (
        <section class="card" aria-labelledby="would-delete">
          <h2 id="would-delete">Files that would be deleted</h2>
          <ul class="file-list" data-testid="blocked-files">
            {b.files.slice(0, SHOWN).map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
          {b.files.length > SHOWN && <p class="muted">and {b.files.length - SHOWN} more</p>}
          {count > b.files.length && b.files.length <= SHOWN && <p class="muted">and {count - b.files.length} more</p>}
        </section>
      )}

      {b.actions.length === 0 ? (
        <a class="button" href={href('status')}>
          Back to Status
        </a>
      ) : (
        <section class="card" aria-labelledby="what-now">
          <h2 id="what-now">What should happen?</h2>
          <div class="choice">
            {canKeep && (
              <div>
                <button type="button" class="primary" data-testid="keep-everything" onClick={keepAll} disabled={!!busy}>
                  {busy === 'keep' ? 'Merging…' : 'Keep everything'}
                </button>
                <p class="help">
                  Nothing is deleted. Files missing on one side are copied back from the other, and syncing goes on.
                </p>
                <ErrorText error={errorFor('keep')} />
              </div>
            )}
            {canDelete && (
              <div>
                <button type="button" class="danger" data-testid="confirm-deletes" onClick={askToDelete} disabled={!!busy}>
                  Delete them…
                </button>
                <p class="help">
                  The deletions were meant: the sync goes ahead and deletes {count === 1 ? 'this file' : `these ${count} files`}{' '}
                  on the other side too. You are asked once more first.
                </p>
                <ErrorText error={errorFor('confirm')} />
              </div>
            )}
          </div>
          {others.length > 0 && (
            <div class="actions">
              {others.map((x) => (
                <OtherFix key={x.action} fix={x} busy={!!busy} run={run} />
              ))}
            </div>
          )}
          <ErrorText error={errorFor('resume')} />
        </section>
      )}
      {confirming !== null && (
        <ConfirmDialog
          title={`Delete ${plural(count, 'file')}?`}
          confirmLabel={`Delete ${plural(count, 'file')}`}
          danger
          busy={busy === 'confirm'}
          onConfirm={deleteThem}
          onCancel={() => setConfirming(null)}
          testId="confirm-deletes-dialog"
        >
          <p>
            The sync goes ahead and deletes {count === 1 ? 'the file' : `the ${count} files`} listed on this page where
            {count === 1 ? ' it is' : ' they are'} still present. Files this computer loses are kept under Versions.
          </p>
          <ErrorText error={errorFor('confirm')} />
        </ConfirmDialog>
      )}
    </section>
  );
}
