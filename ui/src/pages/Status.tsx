import { ErrorText, Notice, PageHeader, ProgressBar, StateDot } from '../components';
import { directionArrow, lastSyncText, nextSyncText, plural, sentence, stateText, stateTone } from '../format';
import { useAction, useNow } from '../hooks';
import * as ipc from '../ipc';
import { loginAgain } from '../draft';
import { href } from '../route';
import { useApp, usesOauth } from '../state';
import type { FolderView, ProviderInfo } from '../types';
import { useEffect, useState } from 'preact/hooks';

export function StatusPage() {
  const { overview, loadProviders, providers } = useApp();
  const now = useNow();
  useEffect(loadProviders, [loadProviders]);
  const folders = overview?.folders ?? [];
  return (
    <section>
      <PageHeader title="Status">
        <a class="button" href={href('setup')}>
          Add a folder
        </a>
      </PageHeader>
      {folders.length === 0 && <p class="muted">No folder is synced yet.</p>}
      <div class="stack">
        {folders.map((f) => (
          <FolderCard key={f.id} folder={f} now={now} providers={providers} />
        ))}
      </div>
    </section>
  );
}

function FolderCard({ folder: f, now, providers }: { folder: FolderView; now: number; providers: ProviderInfo[] | undefined }) {
  const { refresh } = useApp();
  const { busy, run, errorFor } = useAction();
  const [loggedIn, setLoggedIn] = useState<string | undefined>(undefined);
  const act = (key: string, fn: () => Promise<unknown>) =>
    run(key, async () => {
      await fn();
      await refresh();
    });
  const oauth = usesOauth(f.provider, providers);
  const login = () =>
    run('login', async () => {
      const r = await loginAgain(f);
      setLoggedIn(r.account ? `Logged in to ${f.providerName} as ${r.account}.` : `Logged in to ${f.providerName}.`);
      await refresh();
    });
  const syncError = errorFor('sync');
  const next = nextSyncText(f, now);
  const tone = stateTone(f);
  const way = directionArrow(f.direction);

  return (
    <article class={`card folder tone-${tone}`} data-testid={`folder-card-${f.id}`} aria-labelledby={`folder-title-${f.id}`}>
      <header class="folder-head">
        <div class="folder-name">
          <h2 id={`folder-title-${f.id}`}>
            <StateDot folder={f} />
            {f.id}
          </h2>
          <p class="paths muted">
            <span title={f.localPath}>{f.localPath}</span>
            <span aria-label={way.label} title={`This computer ${way.label} ${f.providerName}`}>
              {' '}
              {way.arrow}{' '}
            </span>
            <span title={`${f.providerName}: ${f.remotePath}`}>
              {f.providerName}
              {f.remotePath ? `: ${f.remotePath}` : ''}
            </span>
          </p>
        </div>
        <p class={`state badge tone-${tone}`} data-testid={`folder-state-${f.id}`}>
          {stateText(f)}
        </p>
      </header>

      {f.conflicts > 0 && (
        <div class="banner warn" data-testid={`banner-${f.id}`}>
          <p>
            {f.conflicts === 1 ? '1 file was' : `${f.conflicts} files were`} changed both on this computer and on {f.providerName}.
            Both versions are kept; choose which one keeps the name.
          </p>
          <a class="button primary" href={href('conflicts', f.id)}>
            Resolve {plural(f.conflicts, 'conflict')}
          </a>
        </div>
      )}
      {f.state === 'needs-login' && (
        <div class="banner warn" data-testid={`banner-${f.id}`}>
          <p>{f.providerName} needs you to log in again. Syncing waits until you do; your files are safe.</p>
          {oauth ? (
            <button type="button" class="primary" onClick={login} disabled={busy === 'login'} data-testid={`login-${f.id}`}>
              {busy === 'login' ? 'Waiting for the browser…' : `Log in to ${f.providerName}`}
            </button>
          ) : (
            <a class="button primary" href={`${href('settings', f.id)}`} data-testid={`login-${f.id}`}>
              Log in
            </a>
          )}
          <ErrorText error={errorFor('login')} />
        </div>
      )}
      {loggedIn && <Notice>{loggedIn}</Notice>}
      {f.state === 'blocked' && (
        <div class="banner warn" data-testid={`banner-${f.id}`}>
          <p>
            {(f.blocked && sentence(f.blocked.message)) || 'Sync stopped because it would have deleted many files.'} Nothing
            was deleted.
          </p>
          <a class="button primary" href={href('blocked', f.id)}>
            Review
          </a>
        </div>
      )}
      {(f.state === 'error' || f.state === 'offline' || (f.state === 'idle' && f.lastResult === 'failed')) && f.lastError && (
        <p class="error-detail">{f.lastError}</p>
      )}

      {f.state === 'syncing' && f.progress && <ProgressBar progress={f.progress} id={f.id} />}

      <p class="meta">
        <span title={f.lastSync}>{lastSyncText(f, now)}</span>
        {next && <span> · {next}</span>}
      </p>

      <div class="actions">
        <button
          type="button"
          class="primary"
          data-testid={`sync-now-${f.id}`}
          onClick={() => act('sync', () => ipc.syncNow(f.id))}
          disabled={f.state === 'syncing' || busy === 'sync'}
        >
          {f.state === 'syncing' ? 'Syncing…' : 'Sync now'}
        </button>
        {f.paused || f.state === 'paused' ? (
          <button type="button" data-testid={`resume-${f.id}`} onClick={() => act('resume', () => ipc.resume(f.id))} disabled={busy === 'resume'}>
            Resume
          </button>
        ) : (
          <button type="button" data-testid={`pause-${f.id}`} onClick={() => act('pause', () => ipc.pause(f.id))} disabled={busy === 'pause'}>
            Pause
          </button>
        )}
        <a class="button subtle" href={href('settings', f.id)}>
          Settings
        </a>
      </div>
      <ErrorText error={syncError ?? errorFor('pause') ?? errorFor('resume')} />
      {syncError?.code === 'needs-login' && (
        <a class="button" href={href('settings', f.id)}>
          Go to the login
        </a>
      )}
    </article>
  );
}
