// The answers of the set-up form and what follows from them: one reducer in
// place of a useState per answer. Changing an answer that goes into the
// FolderDraft drops the first-sync preview made for the old one; changing a
// provider field drops the login or connection test made with the old ones.

import { useReducer } from 'preact/hooks';
import { baseName } from '../../format';
import { defaultFields } from '../../forms';
import type { AccountInfo, ConflictPolicy, FirstSyncPreview, FolderDraft, ProviderInfo } from '../../types';
import {
  hasErrors,
  slugify,
  uniqueId,
  validateInterval,
  validateLocal,
  validateProviderFields,
  validateRemotePath,
  type FieldErrors,
} from '../../validate';

export interface SetupDraftState {
  fields: Record<string, string>;
  /** Set by a passed connection test or login; undefined until then. */
  account: AccountInfo | undefined;
  localPath: string;
  id: string;
  /** The name was typed by hand: the local folder no longer sets it. */
  idEdited: boolean;
  remotePath: string;
  policy: ConflictPolicy;
  interval: number;
  preview: FirstSyncPreview | undefined;
  errors: FieldErrors;
  /** The last check covered every step (so the "needs a look" line shows). */
  checkedAll: boolean;
}

export type SetupAction =
  | { type: 'field'; key: string; value: string }
  | { type: 'localPath'; path: string; takenIds: string[] }
  | { type: 'id'; id: string }
  | { type: 'remotePath'; path: string }
  | { type: 'policy'; policy: ConflictPolicy }
  | { type: 'interval'; interval: number }
  | { type: 'account'; account: AccountInfo }
  | { type: 'preview'; preview: FirstSyncPreview }
  | { type: 'check'; errors: FieldErrors; all: boolean }
  | { type: 'clearError'; key: string };

export function initialSetupState(provider: ProviderInfo): SetupDraftState {
  return {
    fields: defaultFields(provider.fields),
    account: undefined,
    localPath: '',
    id: '',
    idEdited: false,
    remotePath: '',
    policy: 'ask',
    interval: 300,
    preview: undefined,
    errors: {},
    checkedAll: false,
  };
}

/** The draft the app's commands get: trimmed, the cloud folder without outer slashes. */
export function toDraft(provider: string, s: SetupDraftState): FolderDraft {
  return {
    id: s.id.trim(),
    provider,
    localPath: s.localPath.trim(),
    remotePath: s.remotePath.trim().replace(/^\/+|\/+$/g, ''),
    fields: s.fields,
    conflictResolve: s.policy,
    interval: s.interval,
  };
}

function withoutError(errors: FieldErrors, key: string): FieldErrors {
  if (!(key in errors)) return errors;
  const { [key]: _, ...rest } = errors;
  return rest;
}

function apply(s: SetupDraftState, a: SetupAction): SetupDraftState {
  switch (a.type) {
    case 'field':
      return { ...s, fields: { ...s.fields, [a.key]: a.value }, errors: withoutError(s.errors, a.key) };
    case 'localPath': {
      const next = { ...s, localPath: a.path, errors: withoutError(s.errors, 'localPath') };
      if (s.idEdited || a.path.trim() === '') return next;
      return { ...next, id: uniqueId(slugify(baseName(a.path.trim())), a.takenIds), errors: withoutError(next.errors, 'id') };
    }
    case 'id':
      return { ...s, id: a.id, idEdited: true, errors: withoutError(s.errors, 'id') };
    case 'remotePath':
      return { ...s, remotePath: a.path, errors: withoutError(s.errors, 'remotePath') };
    case 'policy':
      return { ...s, policy: a.policy };
    case 'interval':
      return { ...s, interval: a.interval };
    case 'account':
      return { ...s, account: a.account };
    case 'preview':
      return { ...s, preview: a.preview };
    case 'check':
      return { ...s, errors: a.errors, checkedAll: a.all };
    case 'clearError': {
      const errors = withoutError(s.errors, a.key);
      return errors === s.errors ? s : { ...s, errors };
    }
  }
}

export function setupReducer(s: SetupDraftState, a: SetupAction): SetupDraftState {
  const next = apply(s, a);
  if (next === s) return s;
  const out = { ...next };
  // The provider key is the same for the whole form, so '' stands in for it.
  if (JSON.stringify(toDraft('', next)) !== JSON.stringify(toDraft('', s))) out.preview = undefined;
  if (JSON.stringify(next.fields) !== JSON.stringify(s.fields)) out.account = undefined;
  return out;
}

/** The set-up form's answers for `provider`, their checks and the draft made of them. */
export function useSetupDraft(provider: ProviderInfo, takenIds: string[]) {
  const [state, dispatch] = useReducer(setupReducer, provider, initialSetupState);

  const accountErrors = (): FieldErrors => ({
    ...validateLocal(state.id, state.localPath, takenIds),
    ...validateProviderFields(provider, state.fields),
  });
  const allErrors = (): FieldErrors => {
    const e: FieldErrors = { ...accountErrors(), ...validateRemotePath(state.remotePath), ...validateInterval(state.interval) };
    if (provider.oauth && !state.account) e.login = `Log in to ${provider.name} first.`;
    return e;
  };
  /** Shows the messages, and says whether to go ahead. */
  const check = (errors: FieldErrors, all: boolean): boolean => {
    dispatch({ type: 'check', errors, all });
    return !hasErrors(errors);
  };

  return {
    state,
    draft: (): FolderDraft => toDraft(provider.key, state),
    setField: (key: string, value: string) => dispatch({ type: 'field', key, value }),
    /** Also names the folder after it, until the name is typed by hand. */
    setLocalPath: (path: string) => dispatch({ type: 'localPath', path, takenIds }),
    setId: (id: string) => dispatch({ type: 'id', id }),
    setRemotePath: (path: string) => dispatch({ type: 'remotePath', path }),
    setPolicy: (policy: ConflictPolicy) => dispatch({ type: 'policy', policy }),
    setInterval: (interval: number) => dispatch({ type: 'interval', interval }),
    setAccount: (account: AccountInfo) => dispatch({ type: 'account', account }),
    setPreview: (preview: FirstSyncPreview) => dispatch({ type: 'preview', preview }),
    clearError: (key: string) => dispatch({ type: 'clearError', key }),
    /** Checks what a connection test, login or folder listing needs (steps 2 and 3). */
    checkAccount: () => check(accountErrors(), false),
    /** Checks every step, before the preview and the start. */
    checkAll: () => check(allErrors(), true),
  };
}

export type SetupDraft = ReturnType<typeof useSetupDraft>;
