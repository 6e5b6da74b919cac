// Form pieces shared by the setup and settings pages.

import { FieldError } from './components';
import { INTERVALS, intervalLabel, policyChoices } from './format';
import type { ConflictPolicy, FieldInfo } from './types';

export const KEYCHAIN_NOTE = 'Stored in your system keychain, not in a file.';

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const s = ids.filter(Boolean).join(' ');
  return s || undefined;
}

/** One field of a provider's FieldInfo list. */
export function ProviderField({
  field,
  value,
  error,
  onChange,
}: {
  field: FieldInfo;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const id = `f-${field.key}`;
  const help = field.kind === 'secret' ? [field.help, KEYCHAIN_NOTE].filter(Boolean).join(' ') : field.help;
  const helpId = help ? `help-${field.key}` : undefined;
  const errId = error ? `err-${field.key}` : undefined;
  const label = (
    <>
      {field.label}
      {!field.required && field.kind !== 'checkbox' && <span class="optional"> (optional)</span>}
    </>
  );
  if (field.kind === 'checkbox') {
    return (
      <div class="field check">
        <label>
          <input
            type="checkbox"
            id={id}
            data-testid={`field-${field.key}`}
            checked={value === 'true'}
            onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked ? 'true' : 'false')}
            aria-describedby={describedBy(helpId)}
          />{' '}
          {label}
        </label>
        {help && <p class="help" id={helpId}>{help}</p>}
      </div>
    );
  }
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {field.kind === 'select' ? (
        <select
          id={id}
          data-testid={`field-${field.key}`}
          value={value}
          onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(helpId, errId)}
        >
          {!field.required && <option value="">—</option>}
          {(field.options ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          data-testid={`field-${field.key}`}
          type={field.kind === 'secret' ? 'password' : field.kind === 'url' ? 'url' : 'text'}
          inputMode={field.kind === 'number' ? 'numeric' : field.kind === 'url' ? 'url' : undefined}
          autoComplete={field.kind === 'secret' ? 'new-password' : 'off'}
          spellcheck={false}
          value={value}
          placeholder={field.placeholder}
          onInput={(e) => onChange((e.currentTarget as HTMLInputElement).value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(helpId, errId)}
          aria-required={field.required || undefined}
        />
      )}
      {help && (
        <p class="help" id={helpId}>
          {help}
        </p>
      )}
      <FieldError name={field.key} message={error} />
    </div>
  );
}

/** The starting values of a provider's fields. */
export function defaultFields(fields: FieldInfo[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    if (f.kind === 'checkbox') out[f.key] = 'false';
    else if (f.kind === 'select' && f.required && f.options?.length) out[f.key] = f.options[0];
    else out[f.key] = '';
  }
  return out;
}

export function PolicyRadios({
  value,
  cloud,
  onChange,
}: {
  value: string;
  cloud: string;
  onChange: (v: ConflictPolicy) => void;
}) {
  return (
    <fieldset class="field radios">
      <legend>When a file was changed on both sides</legend>
      {policyChoices(cloud).map((c) => (
        <label key={c.value} class={value === c.value ? 'radio selected' : 'radio'}>
          <input
            type="radio"
            name="conflictResolve"
            value={c.value}
            checked={value === c.value}
            data-testid={`policy-${c.value}`}
            onChange={() => onChange(c.value)}
          />
          <span>
            <strong>{c.label}</strong>
            <span class="help">{c.help}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

export function IntervalSelect({
  value,
  error,
  onChange,
  label = 'Sync every',
  help,
}: {
  value: number;
  error?: string;
  onChange: (v: number) => void;
  label?: string;
  help?: string;
}) {
  const options = INTERVALS.some((i) => i.value === value) ? INTERVALS : [...INTERVALS, { value, label: intervalLabel(value) }];
  return (
    <div class="field">
      <label for="f-interval">{label}</label>
      <select
        id="f-interval"
        data-testid="field-interval"
        value={String(value)}
        onChange={(e) => onChange(Number((e.currentTarget as HTMLSelectElement).value))}
      >
        {options.map((o) => (
          <option key={o.value} value={String(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
      {help && <p class="help">{help}</p>}
      <FieldError name="interval" message={error} />
    </div>
  );
}
