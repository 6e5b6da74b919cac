// Step 2 of the set-up form: the folder on this computer and the folder's name.

import { ErrorText, FieldError } from '../../components';
import type { AppError } from '../../types';
import type { FieldErrors } from '../../validate';

export function LocalFolderStep({
  localPath,
  id,
  errors,
  picking,
  pickError,
  onLocalPath,
  onId,
  onPick,
}: {
  localPath: string;
  id: string;
  errors: FieldErrors;
  /** The folder chooser is open. */
  picking: boolean;
  pickError: AppError | undefined;
  onLocalPath: (path: string) => void;
  onId: (id: string) => void;
  onPick: () => void;
}) {
  return (
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
            onInput={(e) => onLocalPath((e.currentTarget as HTMLInputElement).value)}
            aria-invalid={errors.localPath ? true : undefined}
            aria-describedby={errors.localPath ? 'err-localPath' : undefined}
          />
          <button type="button" onClick={onPick} disabled={picking} data-testid="pick-local-folder">
            Choose…
          </button>
        </div>
        <p class="help">If it does not exist yet, it is created. Files already in it are kept and merged.</p>
        <FieldError name="localPath" message={errors.localPath} />
        <ErrorText error={pickError} />
      </div>
      <div class="field narrow">
        <label for="f-id">Name</label>
        <input
          id="f-id"
          data-testid="field-id"
          type="text"
          value={id}
          spellcheck={false}
          onInput={(e) => onId((e.currentTarget as HTMLInputElement).value)}
          aria-invalid={errors.id ? true : undefined}
          aria-describedby={errors.id ? 'help-id err-id' : 'help-id'}
        />
        <p class="help" id="help-id">
          A short name for this folder in the app and on the command line (wsync sync NAME).
        </p>
        <FieldError name="id" message={errors.id} />
      </div>
    </section>
  );
}
