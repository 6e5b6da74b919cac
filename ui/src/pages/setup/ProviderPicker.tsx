// Step 1 of the set-up page: which cloud service. The descriptions come with
// the app's provider list (ProviderInfo.description); without one, only the
// name shows.

import { ErrorText, Loading } from '../../components';
import type { AppError, ProviderInfo } from '../../types';

export function ProviderPicker({
  providers,
  error,
  selected,
  onChoose,
}: {
  providers: ProviderInfo[] | undefined;
  error: AppError | undefined;
  selected: string | undefined;
  onChoose: (key: string) => void;
}) {
  return (
    <section class="card step" aria-labelledby="step-provider">
      <h2 id="step-provider">1. Where are the files in the cloud?</h2>
      {error && <ErrorText error={error} />}
      {!providers && !error && <Loading what="the list of services" />}
      {providers && (
        <div class="providers" role="group" aria-labelledby="step-provider">
          {providers.map((p) => (
            <button
              type="button"
              key={p.key}
              class={p.key === selected ? 'provider selected' : 'provider'}
              aria-pressed={p.key === selected}
              data-testid={`provider-${p.key}`}
              onClick={() => onChoose(p.key)}
            >
              <strong>{p.name}</strong>
              {p.description && <span class="help">{p.description}</span>}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}
