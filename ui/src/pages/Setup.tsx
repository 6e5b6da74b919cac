import { useEffect, useState } from 'preact/hooks';
import { ErrorText, FieldError, Loading, Notice, PageHeader } from '../components';
import { baseName, firstSyncText } from '../format';
import { defaultFields, IntervalSelect, PolicyRadios, ProviderField } from '../forms';
import { useAction } from '../hooks';
import * as ipc from '../ipc';
import { navigate } from '../route';
import { useApp } from '../state';
import type { ConflictPolicy, FirstSyncPreview, FolderDraft, ProviderInfo, RemoteEntry } from '../types';
import {
  hasErrors,
  slugify,
  uniqueId,
  validateInterval,
  validateLocal,
  validateProviderFields,
  validateRemotePath,
  type FieldErrors,
} from '../validate';

const BLURBS: Record<string, string> = {
  dropbox: 'Log in with your Dropbox account.',
  gdrive: 'Log in with your Google account.',
  onedrive: 'Log in with your Microsoft account.',
  s3: 'Amazon S3, Cloudflare R2, MinIO, Backblaze B2 and other S3-compatible storage.',
  webdav: 'Nextcloud, ownCloud and other WebDAV servers.',
  sftp: 'Any server you can reach over SSH.',
  local: 'Another folder on this computer or a network drive.',
  custom: 'Any other storage that rclone supports.',
};

export function SetupPage() {
  const { overview, providers, providersError, loadProviders, upsertFolder, refresh } = useApp();
  useEffect(loadProviders, [loadProviders]);
  const [providerKey, setProviderKey] = useState<string | undefined>(undefined);
  const provider = providers?.find((p) => p.key === providerKey);
  const takenIds = overview?.folders.map((f) => f.id) ?? [];
  const firstFolder = takenIds.length === 0;

  const choose = (key: string) => {
    if (key !== providerKey) setProviderKey(key);
  };

  return (
    <section>
      <PageHeader title={firstFolder ? 'Set up Workspace Sync' : 'Add a folder'} />
      <p class="lead">
        Keep a folder on this computer and a folder in the cloud the same, both ways. Nothing is copied until you
        press Start syncing at the end.
      </p>
      <section class="card step" aria-labelledby="step-provider">
        <h2 id="step-provider">1. Where are the files in the cloud?</h2>
        {providersError && <ErrorText error={providersError} />}
        {!providers && !providersError && <Loading what="the list of services" />}
        {providers && (
          <div class="providers" role="group" aria-labelledby="step-provider">
            {providers.map((p) => (
              <button
                type="button"
                key={p.key}
                class={p.key === providerKey ? 'provider selected' : 'provider'}
                aria-pressed={p.key === providerKey}
                data-testid={`provider-${p.key}`}
                onClick={() => choose(p.key)}
              >
                <strong>{p.name}</strong>
                {BLURBS[p.key] && <span class="help">{BLURBS[p.key]}</span>}
              </button>
            ))}
          </div>
        )}
      </section>
      {provider && (
        <SetupForm
          key={provider.key}
          provider={provider}
          takenIds={takenIds}
          onAdded={async (f) => {
            upsertFolder(f);
            await refresh();
            navigate('status');
          }}
        />
      )}
    </section>
  );
}

function SetupForm({
  provider,
  takenIds,
  onAdded,
}: {
  provider: ProviderInfo;
  takenIds: string[];
  onAdded: (f: Awaited<ReturnType<typeof ipc.addFolder>>) => Promise<void>;
}) {
  const [fields, setFields] = useState<Record<string, string>>(() => defaultFields(provider.fields));
  const [account, setAccount] = useState<{ account?: string } | undefined>(undefined);
  const [localPath, setLocalPath] = useState('');
  const [id, setId] = useState('');
  const [idEdited, setIdEdited] = useState(false);
  const [remotePath, setRemotePath] = useState('');
  const [policy, setPolicy] = useState<ConflictPolicy>('ask');
  const [interval, setIntervalValue] = useState(300);
  const [preview, setPreview] = useState<FirstSyncPreview | undefined>(undefined);
  const [browsing, setBrowsing] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [checkedAll, setCheckedAll] = useState(false);
  const { busy, run, errorFor } = useAction();

  const draft = (): FolderDraft => ({
    id: id.trim(),
    provider: provider.key,
    localPath: localPath.trim(),
    remotePath: remotePath.trim().replace(/^\/+|\/+$/g, ''),
    fields,
    conflictResolve: policy,
    interval,
  });

  const draftKey = JSON.stringify(draft());
  useEffect(() => setPreview(undefined), [draftKey]);
  const fieldsKey = JSON.stringify(fields);
  useEffect(() => setAccount(undefined), [fieldsKey]);

  const clearError = (key: string) =>
    setErrors((e) => {
      if (!(key in e)) return e;
      const { [key]: _, ...rest } = e;
      return rest;
    });

  const setField = (key: string, value: string) => {
    setFields((f) => ({ ...f, [key]: value }));
    clearError(key);
  };

  const updateLocal = (path: string) => {
    setLocalPath(path);
    clearError('localPath');
    if (!idEdited && path.trim() !== '') {
      setId(uniqueId(slugify(baseName(path.trim())), takenIds));
      clearError('id');
    }
  };

  /** Shows the messages, and says whether to go ahead. */
  const check = (e: FieldErrors, all = false): boolean => {
    setErrors(e);
    setCheckedAll(all);
    return !hasErrors(e);
  };
  const accountErrors = () => ({ ...validateLocal(id, localPath, takenIds), ...validateProviderFields(provider, fields) });
  const allErrors = (): FieldErrors => {
    const e: FieldErrors = { ...accountErrors(), ...validateRemotePath(remotePath), ...validateInterval(interval) };
    if (provider.oauth && !account) e.login = `Log in to ${provider.name} first.`;
    return e;
  };

  const pickLocal = () =>
    run('local', async () => {
      const picked = await ipc.pickLocalFolder();
      if (picked) updateLocal(picked);
    });

  const testConnection = () => {
    if (!check(accountErrors())) return;
    void run('account', async () => setAccount(await ipc.testConnection(draft())));
  };
  const login = () => {
    if (!check(accountErrors())) return;
    void run('account', async () => {
      setAccount(await ipc.loginOauth(draft()));
      clearError('login');
    });
  };
  const browse = () => {
    if (!check(accountErrors())) return;
    setBrowsing(true);
  };
  const makePreview = () => {
    if (!check(allErrors(), true)) return;
    void run('preview', async () => setPreview(await ipc.previewFirstSync(draft())));
  };
  const start = () => {
    if (!check(allErrors(), true)) return;
    void run('start', async () => onAdded(await ipc.addFolder(draft())));
  };

  const accountDone = account !== undefined;
  const who = account?.account ? ` as ${account.account}` : '';

  return (
    <form class="setup" noValidate onSubmit={(e) => e.preventDefault()}>
      <section class="card step" aria-labelledby="step-local">
        <h2 id="step-local">2. Which folder on this computer?</h2>
        <div class="field">
          <label for="f-localPath">Folder on this computer</label>
          <div class="row">
            <input
              id="f-localPath"
              data-testid="field-localPath"
              type="text"
              value={localPath}
              placeholder="~/Workspace"
              spellcheck={false}
              onInput={(e) => updateLocal((e.currentTarget as HTMLInputElement).value)}
              aria-invalid={errors.localPath ? true : undefined}
              aria-describedby={errors.localPath ? 'err-localPath' : undefined}
            />
            <button type="button" onClick={pickLocal} disabled={busy === 'local'} data-testid="pick-local-folder">
              Choose…
            </button>
          </div>
          <p class="help">If it does not exist yet, it is created. Files already in it are kept and merged.</p>
          <FieldError name="localPath" message={errors.localPath} />
          <ErrorText error={errorFor('local')} />
        </div>
        <div class="field narrow">
          <label for="f-id">Name</label>
          <input
            id="f-id"
            data-testid="field-id"
            type="text"
            value={id}
            spellcheck={false}
            onInput={(e) => {
              setId((e.currentTarget as HTMLInputElement).value);
              setIdEdited(true);
              clearError('id');
            }}
            aria-invalid={errors.id ? true : undefined}
            aria-describedby={errors.id ? 'help-id err-id' : 'help-id'}
          />
          <p class="help" id="help-id">
            A short name for this folder in the app and on the command line (wsync sync NAME).
          </p>
          <FieldError name="id" message={errors.id} />
        </div>
      </section>

      <section class="card step" aria-labelledby="step-account">
        <h2 id="step-account">3. Your {provider.name} account</h2>
        {provider.fields.map((f) => (
          <ProviderField key={f.key} field={f} value={fields[f.key] ?? ''} error={errors[f.key]} onChange={(v) => setField(f.key, v)} />
        ))}
        <div class="actions">
          {provider.oauth ? (
            <button type="button" class="primary" data-testid="login-oauth" onClick={login} disabled={busy === 'account'}>
              {busy === 'account' ? 'Waiting for the browser…' : accountDone ? `Log in to ${provider.name} again` : `Log in with ${provider.name}`}
            </button>
          ) : (
            <button type="button" data-testid="test-connection" onClick={testConnection} disabled={busy === 'account'}>
              {busy === 'account' ? 'Testing…' : 'Test connection'}
            </button>
          )}
        </div>
        {provider.oauth && !accountDone && busy !== 'account' && (
          <p class="help">Your browser opens {provider.name}'s login page. The login is kept in your system keychain.</p>
        )}
        <FieldError name="login" message={errors.login} />
        {accountDone && (
          <Notice>
            {provider.oauth ? `Logged in to ${provider.name}${who}.` : `Connected to ${provider.name}${who}.`}
          </Notice>
        )}
        <ErrorText error={errorFor('account')} testId="account-error" />
      </section>

      <section class="card step" aria-labelledby="step-remote">
        <h2 id="step-remote">4. Which folder on {provider.name}?</h2>
        <div class="field">
          <label for="f-remotePath">Folder on {provider.name}</label>
          <div class="row">
            <input
              id="f-remotePath"
              data-testid="field-remotePath"
              type="text"
              value={remotePath}
              placeholder="Workspace"
              spellcheck={false}
              onInput={(e) => {
                setRemotePath((e.currentTarget as HTMLInputElement).value);
                clearError('remotePath');
              }}
              aria-invalid={errors.remotePath ? true : undefined}
              aria-describedby={errors.remotePath ? 'err-remotePath' : undefined}
            />
            <button type="button" onClick={browse} data-testid="browse-remote" aria-expanded={browsing}>
              Browse…
            </button>
          </div>
          <p class="help">A folder that does not exist yet is created by the first sync.</p>
          <FieldError name="remotePath" message={errors.remotePath} />
        </div>
        {browsing && (
          <FolderBrowser
            draft={draft()}
            cloud={provider.name}
            start={draft().remotePath}
            onChoose={(p) => {
              setRemotePath(p);
              clearError('remotePath');
              setBrowsing(false);
            }}
            onClose={() => setBrowsing(false)}
          />
        )}
      </section>

      <section class="card step" aria-labelledby="step-how">
        <h2 id="step-how">5. How to sync</h2>
        <PolicyRadios value={policy} cloud={provider.name} onChange={setPolicy} />
        <IntervalSelect
          value={interval}
          error={errors.interval}
          onChange={setIntervalValue}
          help="Changes on this computer are also picked up as they happen; you can turn that off in Settings."
        />
      </section>

      <section class="card step" aria-labelledby="step-start">
        <h2 id="step-start">6. Check and start</h2>
        <p class="help">
          First see what the first sync will do. Nothing is copied or deleted until you press Start syncing.
        </p>
        <div class="actions">
          <button type="button" data-testid="preview-first-sync" onClick={makePreview} disabled={busy === 'preview'}>
            {busy === 'preview' ? 'Comparing both sides…' : 'Show what the first sync will do'}
          </button>
        </div>
        <ErrorText error={errorFor('preview')} testId="preview-error" />
        {checkedAll && hasErrors(errors) && (
          <p class="field-error" role="alert">
            Some answers above need a look before going on.
          </p>
        )}
        {preview && (
          <div class="preview">
            <p data-testid="first-sync-text">{firstSyncText(preview)}</p>
            <div class="actions">
              <button type="button" class="primary" data-testid="start-syncing" onClick={start} disabled={busy === 'start'}>
                {busy === 'start' ? 'Saving…' : 'Start syncing'}
              </button>
            </div>
          </div>
        )}
        <ErrorText error={errorFor('start')} testId="start-error" />
      </section>
    </form>
  );
}

const FolderIcon = () => (
  <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
    <path d="M1.5 3.5h4.2l1.5 1.6h7.3v7.4h-13z" fill="currentColor" opacity="0.85" />
  </svg>
);

const FileIcon = () => (
  <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
    <path d="M3.5 1.5h6l3 3v10h-9z" fill="none" stroke="currentColor" stroke-width="1.2" />
  </svg>
);

function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

function FolderBrowser({
  draft,
  cloud,
  start,
  onChoose,
  onClose,
}: {
  draft: FolderDraft;
  cloud: string;
  start: string;
  onChoose: (path: string) => void;
  onClose: () => void;
}) {
  const [path, setPath] = useState('');
  const [entries, setEntries] = useState<RemoteEntry[] | undefined>(undefined);
  const [newName, setNewName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>(undefined);
  const { busy, run, errorFor } = useAction();

  const open = (p: string) =>
    run('list', async () => {
      const list = await ipc.browseRemote(draft, p);
      setEntries([...list].sort((a, b) => Number(b.isDir) - Number(a.isDir) || a.name.localeCompare(b.name)));
      setPath(p);
      return true;
    });

  useEffect(() => {
    // Start where the typed path points, or at the top if it does not exist.
    void (async () => {
      if (start && (await open(start))) return;
      await open('');
    })();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const create = (e: Event) => {
    e.preventDefault();
    const name = newName.trim();
    if (name === '' || name.includes('/')) {
      setNameError(name === '' ? 'Enter a name for the new folder.' : 'A folder name cannot contain "/".');
      return;
    }
    setNameError(undefined);
    void run('create', async () => {
      const target = joinPath(path, name);
      await ipc.createRemoteFolder(draft, target);
      setNewName('');
      await open(target);
    });
  };

  const up = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const crumbs = path ? path.split('/') : [];
  return (
    <div class="browser" role="group" aria-label={`Folders on ${cloud}`} data-testid="remote-browser">
      <div class="browser-bar">
        <nav aria-label="Current folder" class="crumbs">
          <button type="button" class="link" onClick={() => void open('')}>
            {cloud}
          </button>
          {crumbs.map((c, i) => (
            <span key={i}>
              {' / '}
              <button type="button" class="link" onClick={() => void open(crumbs.slice(0, i + 1).join('/'))}>
                {c}
              </button>
            </span>
          ))}
        </nav>
        <button type="button" class="subtle" onClick={() => void open(up)} disabled={path === '' || busy === 'list'}>
          Up
        </button>
      </div>
      <ErrorText error={errorFor('list')} />
      {busy === 'list' && entries === undefined && <Loading what="folders" />}
      {entries && (
        <ul class="entries">
          {entries.length === 0 && <li class="muted">This folder is empty.</li>}
          {entries.map((en) =>
            en.isDir ? (
              <li key={en.name}>
                <button type="button" class="entry" onClick={() => void open(joinPath(path, en.name))}>
                  <FolderIcon /> {en.name}
                </button>
              </li>
            ) : (
              <li key={en.name} class="entry file muted">
                <FileIcon /> {en.name}
              </li>
            ),
          )}
        </ul>
      )}
      <div class="row create">
        <label for="new-remote-folder" class="sr-only">
          New folder name
        </label>
        <input
          id="new-remote-folder"
          type="text"
          placeholder="New folder name"
          value={newName}
          onInput={(e) => {
            setNewName((e.currentTarget as HTMLInputElement).value);
            setNameError(undefined);
          }}
          onKeyDown={(e) => e.key === 'Enter' && create(e)}
          data-testid="new-remote-folder"
        />
        <button type="button" onClick={create} disabled={busy === 'create'} data-testid="create-remote-folder">
          Create folder
        </button>
      </div>
      <FieldError name="newFolder" message={nameError} />
      <ErrorText error={errorFor('create')} />
      <div class="actions">
        <button type="button" class="primary" onClick={() => onChoose(path)} disabled={path === ''} data-testid="use-remote-folder">
          {path ? `Sync with “${path}”` : 'Open a folder to choose it'}
        </button>
        <button type="button" class="subtle" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
