// Step 6 of the set-up form: what the first sync will do, then Start syncing.

import { ErrorText } from '../../components';
import { firstSyncText } from '../../format';
import type { AppError, FirstSyncPreview } from '../../types';

export function FirstSyncStep({
  preview,
  previewing,
  starting,
  previewError,
  startError,
  needsLook,
  onPreview,
  onStart,
}: {
  /** The preview of the current draft; undefined before one, or after a change. */
  preview: FirstSyncPreview | undefined;
  previewing: boolean;
  starting: boolean;
  previewError: AppError | undefined;
  startError: AppError | undefined;
  /** A check of every step found something to fix. */
  needsLook: boolean;
  onPreview: () => void;
  onStart: () => void;
}) {
  return (
    <section class="card step" aria-labelledby="step-start">
      <h2 id="step-start">6. Check and start</h2>
      <p class="help">
        First see what the first sync will do. Nothing is copied or deleted until you press Start syncing.
      </p>
      <div class="actions">
        <button type="button" data-testid="preview-first-sync" onClick={onPreview} disabled={previewing}>
          {previewing ? 'Comparing both sides…' : 'Show what the first sync will do'}
        </button>
      </div>
      <ErrorText error={previewError} testId="preview-error" />
      {needsLook && (
        <p class="field-error" role="alert">
          Some answers above need a look before going on.
        </p>
      )}
      {preview && (
        <div class="preview">
          <p data-testid="first-sync-text">{firstSyncText(preview)}</p>
          <div class="actions">
            <button type="button" class="primary" data-testid="start-syncing" onClick={onStart} disabled={starting}>
              {starting ? 'Saving…' : 'Start syncing'}
            </button>
          </div>
        </div>
      )}
      <ErrorText error={startError} testId="start-error" />
    </section>
  );
}
