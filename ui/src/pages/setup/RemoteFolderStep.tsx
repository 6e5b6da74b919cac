// Step 4 of the set-up form: the folder in the cloud, typed or chosen in the
// folder browser.

import { useState } from 'preact/hooks';
import { FieldError } from '../../components';
import type { FolderDraft } from '../../types';
import { FolderBrowser } from './FolderBrowser';

export function RemoteFolderStep({
  cloud,
  draft,
  remotePath,
  error,
  onRemotePath,
  canBrowse,
}: {
  /** The provider's name. */
  cloud: string;
  /** The form's draft now (the browser lists with its account). */
  draft: FolderDraft;
  remotePath: string;
  error: string | undefined;
  onRemotePath: (path: string) => void;
  /** Checks what listing folders needs; false keeps the browser closed. */
  canBrowse: () => boolean;
}) {
  const [browsing, setBrowsing] = useState(false);
  const browse = () => {
    if (canBrowse()) setBrowsing(true);
  };
  return (
    <section class="card step" aria-labelledby="step-remote">
      <h2 id="step-remote">4. Which folder on {cloud}?</h2>
      <div class="field">
        <label for="f-remotePath">Folder on {cloud}</label>
        <div class="row">
          <input
            id="f-remotePath"
            data-testid="field-remotePath"
            type="text"
            value={remotePath}
            placeholder="Workspace"
            spellcheck={false}
            onInput={(e) => onRemotePath((e.currentTarget as HTMLInputElement).value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'err-remotePath' : undefined}
          />
          <button type="button" onClick={browse} data-testid="browse-remote" aria-expanded={browsing}>
            Browse…
          </button>
        </div>
        <p class="help">A folder that does not exist yet is created by the first sync.</p>
        <FieldError name="remotePath" message={error} />
      </div>
      {browsing && (
        <FolderBrowser
          draft={draft}
          cloud={cloud}
          start={draft.remotePath}
          onChoose={(p) => {
            onRemotePath(p);
            setBrowsing(false);
          }}
          onClose={() => setBrowsing(false)}
        />
      )}
    </section>
  );
}
