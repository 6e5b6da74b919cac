import { useEffect, useState } from 'preact/hooks';
import { ConfirmDialog, ErrorText, FieldError, FolderTabs, Loading, Notice, PageHeader } from '../components';
import { draftForFolder, loginAgain } from '../draft';
import { IntervalSelect, PolicyRadios, ProviderField } from '../forms';
import { useAction, useLoad } from '../hooks';
import * as ipc from '../ipc';
import { navigate } from '../route';
import { useApp, usesOauth } from '../state';
import type { FolderSettings, FolderView } from '../types';
import {
  DEFAULT_EXCLUDES,
  hasErrors,
  parseExcludes,
  validateProviderFields,
  validateSettings,
  type FieldErrors,
} from '../validate';

export function SettingsPage({ folder }: { folder: string | undefined }) {
  const { overview } = useApp();
  const folders = overview?.folders ?? [];
  const id = folder ?? folders[0]?.id;
  const f = folders.find((x) => x.id === id);
  return (
    <section>
      <PageHeader title="Settings" />
      <FolderTabs page="settings" folders={folders} current={id} />
      {id && !f && <ErrorText error={{ code: 'unknown-folder', message: `There is no folder named "${id}".` }} />}
      {f && <FolderSettingsForm key={f.id} folder={f} />}
      {f && <AccountSection key={`account-${f.id}`} folder={f} />}
      {f && <RemoveSection key={`remove-${f.id}`} folder={f} />}
      <AppSection />
    </section>
  );
}

interface Draft {
  interval: number;
  watch: boolean;
  exclude: string;
  /** One of the policies PolicyRadios offers (a plain string in FolderSettings). */
  conflictResolve: string;
  maxDeletePercent: string;
  keepVersionsDays: string;
}

function toDraft(s: FolderSettings): Draft {
  return {
    interval: s.interval,
    watch: s.watch,
    exclude: s.exclude.join('\n'),
    conflictResolve: s.conflictResolve,
    maxDeletePercent: String(s.maxDeletePercent),
    keepVersionsDays: String(s.keepVersionsDays),
  };
}

function fromDraft(d: Draft): FolderSettings {
  const num = (s: string) => (s.trim() === '' ? NaN : Number(s));
  return {
    interval: d.interval,
    watch: d.watch,
    exclude: parseExcludes(d.exclude),
    conflictResolve: d.conflictResolve,
    maxDeletePercent: num(d.maxDeletePercent),
    keepVersionsDays: num(d.keepVersionsDays),
  };
}

function FolderSettingsForm({ folder }: { folder: FolderView }) {
  const loaded = useLoad(() => ipc.getSettings(folder.id), [folder.id]);
  const [draft, setDraft] = useState<Draft | undefined>(undefined);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  const { busy, run, errorFor } = useAction();

  useEffect(() => {
    if (loaded.data) setDraft(toDraft(loaded.data));
  }, [loaded.data]);

  if (loaded.error) return <ErrorText error={loaded.error} />;
  if (!draft) return <Loading what="settings" />;

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft({ ...draft, [key]: value });
    setSaved(false);
    setErrors((e) => {
      const { [key]: _, ...rest } = e;
      return rest;
    });
  };
  const save = (e: Event) => {
    e.preventDefault();
    const settings = fromDraft(draft);
    const errs = validateSettings(settings);
    setErrors(errs);
    if (hasErrors(errs)) return;
    void run('save', async () => {
      await ipc.saveSettings(folder.id, settings);
      setSaved(true);
    });
  };

  return (
    <form class="card" noValidate onSubmit={save} aria-labelledby="folder-settings">
      <h2 id="folder-settings">{folder.id}</h2>
      <p class="muted paths">
        {folder.localPath} ⇄ {folder.providerName}
        {folder.remotePath ? `: ${folder.remotePath}` : ''}
      </p>
      <IntervalSelect value={draft.interval} error={errors.interval} onChange={(v) => set('interval', v)} />
      <div class="field check">
        <label>
          <input
            type="checkbox"
            data-testid="field-watch"
            checked={draft.watch}
            onChange={(e) => set('watch', (e.currentTarget as HTMLInputElement).checked)}
          />{' '}
          Sync soon after files change on this computer
        </label>
      </div>
      <div class="field">
        <label for="f-exclude">Never sync these (one pattern a line)</label>
        <textarea
          id="f-exclude"
          data-testid="field-exclude"
          rows={5}
          spellcheck={false}
          value={draft.exclude}
          onInput={(e) => set('exclude', (e.currentTarget as HTMLTextAreaElement).value)}
          aria-describedby="help-exclude"
        />
        <p class="help" id="help-exclude">
          The defaults are{' '}
          {DEFAULT_EXCLUDES.map((p, i) => (
            <span key={p}>
              <code>{p}</code>
              {i < DEFAULT_EXCLUDES.length - 1 ? ', ' : ''}
            </span>
          ))}
          . <code>**</code> matches everything inside a folder,{' '}
          <code>*</code> any part of a name.{' '}
          <button type="button" class="link" onClick={() => set('exclude', DEFAULT_EXCLUDES.join('\n'))}>
            Use the defaults
          </button>
        </p>
      </div>
      <PolicyRadios value={draft.conflictResolve} cloud={folder.providerName} onChange={(v) => set('conflictResolve', v)} />
      <div class="field narrow">
        <label for="f-maxDeletePercent">Stop and ask when a sync would delete more than (%)</label>
        <input
          id="f-maxDeletePercent"
          data-testid="field-maxDeletePercent"
          type="number"
          min={1}
          max={100}
          value={draft.maxDeletePercent}
          onInput={(e) => set('maxDeletePercent', (e.currentTarget as HTMLInputElement).value)}
          aria-invalid={errors.maxDeletePercent ? true : undefined}
          aria-describedby="help-maxDelete"
        />
        <p class="help" id="help-maxDelete">
          Of the folder's files. A sync that would delete more waits on the Status page until you say so.
        </p>
        <FieldError name="maxDeletePercent" message={errors.maxDeletePercent} />
      </div>
      <div class="field narrow">
        <label for="f-keepVersionsDays">Keep replaced and deleted files for (days)</label>
        <input
          id="f-keepVersionsDays"
          data-testid="field-keepVersionsDays"
          type="number"
          min={0}
          value={draft.keepVersionsDays}
          onInput={(e) => set('keepVersionsDays', (e.currentTarget as HTMLInputElement).value)}
          aria-invalid={errors.keepVersionsDays ? true : undefined}
        />
        <FieldError name="keepVersionsDays" message={errors.keepVersionsDays} />
      </div>
      <div class="actions">
        <button type="submit" class="primary" data-testid="save-settings" disabled={busy === 'save'}>
          {busy === 'save' ? 'Saving…' : 'Save'}
        </button>
      </div>
      {saved && <Notice>Saved. The next sync uses these settings.</Notice>}
      <ErrorText error={errorFor('save')} />
    </form>
  );
}

function AccountSection({ folder }: { folder: FolderView }) {
  const { providers, loadProviders, refresh } = useApp();
  useEffect(loadProviders, [loadProviders]);
  const oauth = usesOauth(folder.provider, providers);
  const provider = providers?.find((p) => p.key === folder.provider);
  const secretFields = provider?.fields.filter((f) => f.kind === 'secret') ?? [];
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [confirmLogout, setConfirmLogout] = useState(false);
  const [showPassword, setShowPassword] = useState(false);
  const { busy, run, errorFor } = useAction();
  const cloud = folder.providerName;
  const needsLogin = folder.state === 'needs-login';

  const loginOauth = () =>
    run('login', async () => {
      const r = await loginAgain(folder);
      setNotice(r.account ? `Logged in to ${cloud} as ${r.account}.` : `Logged in to ${cloud}.`);
      await refresh();
    });
  const loginPassword = (e: Event) => {
    e.preventDefault();
    if (!provider) return;
    const required = { ...provider, fields: secretFields.map((f) => ({ ...f, required: true })) };
    const errs = validateProviderFields(required, secrets);
    setErrors(errs);
    if (hasErrors(errs)) return;
    void run('login', async () => {
      const r = await ipc.testConnection(await draftForFolder(folder, secrets));
      setSecrets({});
      setShowPassword(false);
      setNotice(r.account ? `Connected to ${cloud} as ${r.account}.` : `Connected to ${cloud}.`);
      await refresh();
    });
  };
  const logout = () =>
    run('logout', async () => {
      await ipc.logout(folder.id);
      setConfirmLogout(false);
      setNotice(`Logged out. ${folder.id} stops syncing until you log in again.`);
      await refresh();
    });

  return (
    <section class="card" aria-labelledby="account-title" id="account">
      <h2 id="account-title">{cloud} login</h2>
      {folder.state === 'needs-login' && (
        <p class="banner warn" data-testid={`banner-${folder.id}`}>
          {cloud} needs you to log in again. Syncing waits until you do.
        </p>
      )}
      {oauth ? (
        <div class="actions">
          <button type="button" class="primary" data-testid="login-oauth" onClick={loginOauth} disabled={!!busy}>
            {busy === 'login' ? 'Waiting for the browser…' : `Log in to ${cloud} again`}
          </button>
        </div>
      ) : secretFields.length > 0 && !needsLogin && !showPassword ? (
        <div class="actions">
          <button type="button" data-testid="show-login" onClick={() => setShowPassword(true)}>
            Change the {secretFields.map((f) => f.label.toLowerCase()).join(' or ')}…
          </button>
        </div>
      ) : secretFields.length > 0 ? (
        <form noValidate onSubmit={loginPassword}>
          {secretFields.map((f) => (
            <ProviderField
              key={f.key}
              field={{ ...f, required: true }}
              value={secrets[f.key] ?? ''}
              error={errors[f.key]}
              onChange={(v) => {
                setSecrets((s) => ({ ...s, [f.key]: v }));
                setErrors((e) => {
                  const { [f.key]: _, ...rest } = e;
                  return rest;
                });
              }}
            />
          ))}
          <div class="actions">
            <button type="submit" class="primary" data-testid="login-password" disabled={!!busy}>
              {busy === 'login' ? 'Checking…' : 'Log in'}
            </button>
          </div>
        </form>
      ) : (
        provider === undefined && !providers && <Loading what="login options" />
      )}
      {notice && <Notice>{notice}</Notice>}
      <ErrorText error={errorFor('login')} />
      <p class="help">
        The login is kept in your system keychain. Logging out removes it from there; files stay where they are.
      </p>
      <div class="actions">
        <button type="button" data-testid="logout" onClick={() => setConfirmLogout(true)} disabled={!!busy}>
          Log out
        </button>
      </div>
      <ErrorText error={errorFor('logout')} />
      {confirmLogout && (
        <ConfirmDialog
          title={`Log out of ${cloud}?`}
          confirmLabel="Log out"
          busy={busy === 'logout'}
          onConfirm={logout}
          onCancel={() => setConfirmLogout(false)}
          testId="logout-dialog"
        >
          <p>
            The login for {folder.id} is removed from your system keychain and syncing stops until you log in again. No file
            is deleted.
          </p>
          <ErrorText error={errorFor('logout')} />
        </ConfirmDialog>
      )}
    </section>
  );
}

function RemoveSection({ folder }: { folder: FolderView }) {
  const { refresh, dropFolder } = useApp();
  const [asking, setAsking] = useState(false);
  const [alsoLogout, setAlsoLogout] = useState(true);
  const { busy, run, errorFor } = useAction();
  const remove = () =>
    run('remove', async () => {
      await ipc.removeFolder(folder.id, alsoLogout);
      setAsking(false);
      dropFolder(folder.id);
      navigate('status');
      await refresh();
    });
  return (
    <section class="card" aria-labelledby="remove-title">
      <h2 id="remove-title">Stop syncing this folder</h2>
      <p class="help">
        Removes {folder.id} from Workspace Sync. Its files stay where they are, on this computer and on {folder.providerName}.
      </p>
      <div class="actions">
        <button type="button" class="danger" data-testid="remove-folder" onClick={() => setAsking(true)}>
          Remove folder…
        </button>
      </div>
      {asking && (
        <ConfirmDialog
          title={`Stop syncing ${folder.id}?`}
          confirmLabel="Remove folder"
          danger
          busy={busy === 'remove'}
          onConfirm={remove}
          onCancel={() => setAsking(false)}
          testId="remove-dialog"
        >
          <p>
            {folder.localPath} and {folder.providerName}
            {folder.remotePath ? `: ${folder.remotePath}` : ''} are no longer kept the same. No file is deleted on either side.
          </p>
          <div class="field check">
            <label>
              <input
                type="checkbox"
                data-testid="remove-logout"
                checked={alsoLogout}
                onChange={(e) => setAlsoLogout((e.currentTarget as HTMLInputElement).checked)}
              />{' '}
              Also remove its login from the system keychain
            </label>
          </div>
          <ErrorText error={errorFor('remove')} />
        </ConfirmDialog>
      )}
    </section>
  );
}

function AppSection() {
  const { overview, setApp } = useApp();
  const { busy, run, errorFor } = useAction();
  if (!overview) return null;
  const app = overview.app;
  const toggle = (key: 'notifications' | 'autostart', value: boolean) =>
    run(key, async () => {
      await ipc.setAppSettings({ [key]: value });
      setApp({ ...app, [key]: value });
    });
  return (
    <section class="card" aria-labelledby="app-title">
      <h2 id="app-title">Workspace Sync</h2>
      <div class="field check">
        <label>
          <input
            type="checkbox"
            data-testid="app-notifications"
            checked={app.notifications}
            disabled={busy === 'notifications'}
            onChange={(e) => toggle('notifications', (e.currentTarget as HTMLInputElement).checked)}
          />{' '}
          Show notifications (conflicts, blocked syncs, logins that ran out)
        </label>
        <ErrorText error={errorFor('notifications')} />
      </div>
      <div class="field check">
        <label>
          <input
            type="checkbox"
            data-testid="app-autostart"
            checked={app.autostart}
            disabled={busy === 'autostart'}
            onChange={(e) => toggle('autostart', (e.currentTarget as HTMLInputElement).checked)}
          />{' '}
          Start Workspace Sync when I log in to this computer
        </label>
        <ErrorText error={errorFor('autostart')} />
      </div>
    </section>
  );
}
