import { act, renderHook } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { initialSetupState, setupReducer, toDraft, useSetupDraft, type SetupAction, type SetupDraftState } from '../src/pages/setup/useSetupDraft';
import { providersFixture } from '../src/dev-mock/fixtures';

const webdav = providersFixture().find((p) => p.key === 'webdav')!;
const dropbox = providersFixture().find((p) => p.key === 'dropbox')!;
const run = (s: SetupDraftState, ...actions: SetupAction[]) => actions.reduce(setupReducer, s);

describe('setup draft reducer', () => {
  it('starts from the provider fields, with the first option of a required select', () => {
    const s = initialSetupState(webdav);
    expect(s.fields).toEqual({ url: '', vendor: 'nextcloud', user: '', password: '' });
    expect(toDraft('webdav', s)).toEqual({
      id: '',
      provider: 'webdav',
      localPath: '',
      remotePath: '',
      fields: s.fields,
      conflictResolve: 'ask',
      interval: 300,
    });
  });

  it('names the folder after the local folder until the name is typed', () => {
    const taken = ['notes'];
    let s = run(initialSetupState(webdav), { type: 'localPath', path: ' ~/Notes ', takenIds: taken });
    expect(s.id).toBe('notes-2');
    s = run(s, { type: 'localPath', path: '   ', takenIds: taken });
    expect(s.id).toBe('notes-2');
    s = run(s, { type: 'id', id: 'mine' }, { type: 'localPath', path: '~/Work', takenIds: taken });
    expect(s).toMatchObject({ id: 'mine', idEdited: true, localPath: '~/Work' });
  });

  it('takes away the message of the answer that changes', () => {
    let s = run(initialSetupState(webdav), { type: 'check', errors: { localPath: 'a', id: 'b', user: 'c', remotePath: 'd' }, all: true });
    expect(s.checkedAll).toBe(true);
    s = run(s, { type: 'field', key: 'user', value: 'ada' });
    expect(Object.keys(s.errors)).toEqual(['localPath', 'id', 'remotePath']);
    s = run(s, { type: 'localPath', path: '~/Docs', takenIds: [] });
    expect(Object.keys(s.errors)).toEqual(['remotePath']);
    s = run(s, { type: 'remotePath', path: 'Docs' });
    expect(s.errors).toEqual({});
    expect(setupReducer(s, { type: 'clearError', key: 'login' })).toBe(s);
  });

  it('drops the preview when the draft changes, not when only spaces or slashes do', () => {
    const preview = { toLocal: 1, toRemote: 2, conflicts: 0 };
    let s = run(initialSetupState(webdav), { type: 'remotePath', path: 'Notes' }, { type: 'preview', preview });
    s = run(s, { type: 'remotePath', path: ' /Notes/ ' });
    expect(s.preview).toBe(preview);
    expect(toDraft('webdav', s).remotePath).toBe('Notes');
    for (const a of [
      { type: 'remotePath', path: 'Other' },
      { type: 'policy', policy: 'newer' },
      { type: 'interval', interval: 0 },
      { type: 'field', key: 'user', value: 'bob' },
      { type: 'id', id: 'x' },
    ] as SetupAction[]) {
      expect(run(s, a).preview).toBeUndefined();
    }
    expect(run(s, { type: 'check', errors: {}, all: true }).preview).toBe(preview);
  });

  it('drops the login when a provider field changes, and only then', () => {
    const s = run(initialSetupState(webdav), { type: 'account', account: { account: 'ada', stored: false } });
    expect(run(s, { type: 'remotePath', path: 'Notes' }, { type: 'policy', policy: 'local' }).account).toEqual({ account: 'ada', stored: false });
    expect(run(s, { type: 'field', key: 'vendor', value: 'nextcloud' }).account).toEqual({ account: 'ada', stored: false });
    expect(run(s, { type: 'field', key: 'user', value: 'bob' }).account).toBeUndefined();
  });
});

describe('useSetupDraft', () => {
  it('checks the account steps, then every step, and asks an OAuth provider to log in', () => {
    const { result } = renderHook(() => useSetupDraft(dropbox, ['projects']));
    let ok = true;
    act(() => {
      ok = result.current.checkAccount();
    });
    expect(ok).toBe(false);
    expect(result.current.state.errors).toEqual({ localPath: 'Choose the folder on this computer to sync.' });
    expect(result.current.state.checkedAll).toBe(false);
    act(() => result.current.setLocalPath('/home/ada/Projects'));
    expect(result.current.draft()).toMatchObject({ id: 'projects-2', localPath: '/home/ada/Projects', provider: 'dropbox' });
    act(() => {
      ok = result.current.checkAccount();
    });
    expect(ok).toBe(true);
    act(() => {
      ok = result.current.checkAll();
    });
    expect(ok).toBe(false);
    expect(Object.keys(result.current.state.errors).sort()).toEqual(['login', 'remotePath']);
    expect(result.current.state.errors.login).toBe('Log in to Dropbox first.');
    act(() => {
      result.current.setAccount({ account: 'ada@example.com', stored: false });
      result.current.clearError('login');
      result.current.setRemotePath('Docs');
    });
    act(() => {
      ok = result.current.checkAll();
    });
    expect(ok).toBe(true);
    expect(result.current.state.errors).toEqual({});
  });
});
