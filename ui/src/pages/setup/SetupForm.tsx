// Steps 2 to 6 of the set-up page for one provider: the answers live in
// useSetupDraft, the app's commands run here, and each step shows its part.

import { IntervalSelect, PolicyRadios } from '../../forms';
import { useAction } from '../../hooks';
import * as ipc from '../../ipc';
import type { FolderView, ProviderInfo } from '../../types';
import { hasErrors } from '../../validate';
import { AccountStep } from './AccountStep';
import { FirstSyncStep } from './FirstSyncStep';
import { LocalFolderStep } from './LocalFolderStep';
import { RemoteFolderStep } from './RemoteFolderStep';
import { useSetupDraft } from './useSetupDraft';

export function SetupForm({
  provider,
  takenIds,
  onAdded,
}: {
  provider: ProviderInfo;
  /** The names of the folders there are already. */
  takenIds: string[];
  onAdded: (f: FolderView) => Promise<void>;
}) {
  const setup = useSetupDraft(provider, takenIds);
  const { state, draft } = setup;
  const { busy, run, errorFor } = useAction();

  const pickLocal = () =>
    run('local', async () => {
      const picked = await ipc.pickLocalFolder();
      if (picked) setup.setLocalPath(picked);
    });
  const testConnection = () => {
    if (!setup.checkAccount()) return;
    void run('account', async () => setup.setAccount(await ipc.testConnection(draft())));
  };
  const login = () => {
    if (!setup.checkAccount()) return;
    void run('account', async () => {
      setup.setAccount(await ipc.loginOauth(draft()));
      setup.clearError('login');
    });
  };
  const makePreview = () => {
    if (!setup.checkAll()) return;
    void run('preview', async () => setup.setPreview(await ipc.previewFirstSync(draft())));
  };
  const start = () => {
    if (!setup.checkAll()) return;
    void run('start', async () => onAdded(await ipc.addFolder(draft())));
  };

  return (
    <form class="setup" noValidate onSubmit={(e) => e.preventDefault()}>
      <LocalFolderStep
        localPath={state.localPath}
        id={state.id}
        errors={state.errors}
        picking={busy === 'local'}
        pickError={errorFor('local')}
        onLocalPath={setup.setLocalPath}
        onId={setup.setId}
        onPick={pickLocal}
      />
      <AccountStep
        provider={provider}
        fields={state.fields}
        errors={state.errors}
        account={state.account}
        working={busy === 'account'}
        error={errorFor('account')}
        onField={setup.setField}
        onTest={testConnection}
        onLogin={login}
      />
      <RemoteFolderStep
        cloud={provider.name}
        draft={draft()}
        remotePath={state.remotePath}
        error={state.errors.remotePath}
        onRemotePath={setup.setRemotePath}
        canBrowse={setup.checkAccount}
      />
      <section class="card step" aria-labelledby="step-how">
        <h2 id="step-how">5. How to sync</h2>
        <PolicyRadios value={state.policy} cloud={provider.name} onChange={setup.setPolicy} />
        <IntervalSelect
          value={state.interval}
          error={state.errors.interval}
          onChange={setup.setInterval}
          help="Changes on this computer are also picked up as they happen; you can turn that off in Settings."
        />
      </section>
      <FirstSyncStep
        preview={state.preview}
        previewing={busy === 'preview'}
        starting={busy === 'start'}
        previewError={errorFor('preview')}
        startError={errorFor('start')}
        needsLook={state.checkedAll && hasErrors(state.errors)}
        onPreview={makePreview}
        onStart={start}
      />
    </form>
  );
}
