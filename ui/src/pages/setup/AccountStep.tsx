// Step 3 of the set-up form: the provider's own fields, then a connection
// test (password providers) or a login through the browser (OAuth ones).

import { ErrorText, FieldError, Notice } from '../../components';
import { ProviderField } from '../../forms';
import type { AccountInfo, AppError, ProviderInfo } from '../../types';
import type { FieldErrors } from '../../validate';

export function AccountStep({
  provider,
  fields,
  errors,
  account,
  working,
  error,
  onField,
  onTest,
  onLogin,
}: {
  provider: ProviderInfo;
  fields: Record<string, string>;
  errors: FieldErrors;
  /** What the last passed test or login said; undefined before one. */
  account: AccountInfo | undefined;
  /** A test or login is running. */
  working: boolean;
  error: AppError | undefined;
  onField: (key: string, value: string) => void;
  onTest: () => void;
  onLogin: () => void;
}) {
  const accountDone = account !== undefined;
  const who = account?.account ? ` as ${account.account}` : '';
  return (
    <section class="card step" aria-labelledby="step-account">
      <h2 id="step-account">3. Your {provider.name} account</h2>
      {provider.fields.map((f) => (
        <ProviderField key={f.key} field={f} value={fields[f.key] ?? ''} error={errors[f.key]} onChange={(v) => onField(f.key, v)} />
      ))}
      <div class="actions">
        {provider.oauth ? (
          <button type="button" class="primary" data-testid="login-oauth" onClick={onLogin} disabled={working}>
            {working ? 'Waiting for the browser…' : accountDone ? `Log in to ${provider.name} again` : `Log in with ${provider.name}`}
          </button>
        ) : (
          <button type="button" data-testid="test-connection" onClick={onTest} disabled={working}>
            {working ? 'Testing…' : 'Test connection'}
          </button>
        )}
      </div>
      {provider.oauth && !accountDone && !working && (
        <p class="help">Your browser opens {provider.name}'s login page. The login is kept in your system keychain.</p>
      )}
      <FieldError name="login" message={errors.login} />
      {accountDone && (
        <Notice>{provider.oauth ? `Logged in to ${provider.name}${who}.` : `Connected to ${provider.name}${who}.`}</Notice>
      )}
      <ErrorText error={error} testId="account-error" />
    </section>
  );
}
