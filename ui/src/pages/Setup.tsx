// The set-up page: pick a provider (step 1), then the form for it (steps 2
// to 6, in setup/). A new provider starts a fresh form.

import { useEffect, useState } from 'preact/hooks';
import { PageHeader } from '../components';
import { navigate } from '../route';
import { useApp } from '../state';
import { ProviderPicker } from './setup/ProviderPicker';
import { SetupForm } from './setup/SetupForm';

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
      <ProviderPicker providers={providers} error={providersError} selected={providerKey} onChoose={choose} />
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
