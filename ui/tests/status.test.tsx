import { act, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../src/ipc', async (importOriginal) => (await import('./ipc-mock')).mockIpcModule(await importOriginal()));

import * as ipc from '../src/ipc';
import { emit, resetIpc } from './ipc-mock';
import { folder, MIN, ago, overviewFixture } from '../src/dev-mock/fixtures';
import { renderAt } from './render';

beforeEach(() => resetIpc(ipc));

describe('Status page', () => {
  it('shows each folder in plain words with its progress, times and buttons', async () => {
    vi.mocked(ipc.getOverview).mockResolvedValue(
      overviewFixture([
        folder({
          id: 'workspace',
          state: 'syncing',
          progress: { bytes: 4_100_000, totalBytes: 10_000_000, filesDone: 3, filesTotal: 12, etaSeconds: 130, current: ['notes.md'] },
        }),
        folder({ id: 'music', provider: 'sftp', providerName: 'SFTP', state: 'paused', nextSync: undefined }),
        folder({ id: 'photos', providerName: 'Google Drive', state: 'offline', lastError: 'Google Drive did not answer.' }),
      ]),
    );
    renderAt('#/status');
    expect(await screen.findByTestId('folder-state-workspace')).toHaveTextContent('Syncing 3 of 12 files, 41%');
    const card = screen.getByTestId('folder-card-workspace');
    expect(within(card).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '41');
    expect(card).toHaveTextContent('3 of 12 files · 3.9 MB of 9.5 MB · about 2 min left');
    expect(card).toHaveTextContent('Last sync 2 min ago: everything matched');
    expect(card).toHaveTextContent('Next sync in 4 min');
    expect(screen.getByTestId('sync-now-workspace')).toBeDisabled();
    expect(screen.getByTestId('folder-state-music')).toHaveTextContent('Paused');
    expect(screen.getByTestId('resume-music')).toBeInTheDocument();
    expect(screen.queryByTestId('pause-music')).toBeNull();
    expect(screen.getByTestId('folder-state-photos')).toHaveTextContent("Can't reach Google Drive");
    expect(screen.getByTestId('folder-card-photos')).toHaveTextContent('Google Drive did not answer.');
  });

  it('runs Sync now and Pause for that folder, and shows an app error in place', async () => {
    renderAt('#/status');
    fireEvent.click(await screen.findByTestId('sync-now-workspace'));
    await waitFor(() => expect(ipc.syncNow).toHaveBeenCalledWith('workspace'));
    fireEvent.click(screen.getByTestId('pause-workspace'));
    await waitFor(() => expect(ipc.pause).toHaveBeenCalledWith('workspace'));

    vi.mocked(ipc.syncNow).mockRejectedValueOnce({ code: 'busy', message: 'workspace is already syncing.' });
    fireEvent.click(screen.getByTestId('sync-now-workspace'));
    expect(await within(screen.getByTestId('folder-card-workspace')).findByRole('alert')).toHaveTextContent(
      'workspace is already syncing.',
    );
  });

  it('follows engine://folder live', async () => {
    renderAt('#/status');
    expect(await screen.findByTestId('folder-state-workspace')).toHaveTextContent('In sync');
    act(() => emit('engine://folder', folder({ state: 'conflicts', conflicts: 2, providerName: 'WebDAV' })));
    expect(screen.getByTestId('folder-state-workspace')).toHaveTextContent('2 conflicts');
    const banner = screen.getByTestId('banner-workspace');
    expect(banner).toHaveTextContent('2 files were changed both on this computer and on WebDAV');
    expect(within(banner).getByRole('link', { name: 'Resolve 2 conflicts' })).toHaveAttribute('href', '#/conflicts/workspace');
  });

  it('offers the fix for a login that ran out and for a blocked sync', async () => {
    vi.mocked(ipc.getOverview).mockResolvedValue(
      overviewFixture([
        folder({ id: 'notes', provider: 'dropbox', providerName: 'Dropbox', state: 'needs-login', lastSync: ago(60 * MIN) }),
        folder({ id: 'nc', state: 'needs-login' }),
        folder({
          id: 'archive',
          state: 'blocked',
          blocked: {
            reason: 'too-many-deletes',
            message: '312 of 540 files were deleted in the cloud',
            fix: 'if the deletions are wanted, confirm them',
            actions: [
              { action: 'confirm-deletes', folder: 'archive' },
              { action: 'resync', folder: 'archive' },
            ],
            wouldDelete: 312,
            files: [],
            confirmToken: 'c0ffee',
          },
        }),
      ]),
    );
    vi.mocked(ipc.loginOauth).mockResolvedValue({ account: 'ada@example.com', stored: true });
    renderAt('#/status');
    const login = await screen.findByTestId('login-notes');
    expect(login).toHaveTextContent('Log in to Dropbox');
    fireEvent.click(login);
    await waitFor(() =>
      expect(ipc.loginOauth).toHaveBeenCalledWith(expect.objectContaining({ id: 'notes', provider: 'dropbox', conflictResolve: 'ask', interval: 300 })),
    );
    expect(await screen.findByText('Logged in to Dropbox as ada@example.com.')).toBeInTheDocument();
    // A password provider logs in on its settings page.
    expect(screen.getByTestId('login-nc')).toHaveAttribute('href', '#/settings/nc');
    const blocked = screen.getByTestId('banner-archive');
    expect(blocked).toHaveTextContent('312 of 540 files were deleted in the cloud. Nothing was deleted.');
    expect(within(blocked).getByRole('link', { name: 'Review' })).toHaveAttribute('href', '#/blocked/archive');
  });
});

describe('App shell', () => {
  it('opens the setup page when there is no folder, and follows app://navigate', async () => {
    vi.mocked(ipc.getOverview).mockResolvedValue(overviewFixture([]));
    renderAt('');
    expect(await screen.findByRole('heading', { level: 1, name: 'Set up Workspace Sync' })).toBeInTheDocument();
    expect(await screen.findByTestId('provider-dropbox')).toBeInTheDocument();
    act(() => emit('app://navigate', { page: 'activity' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Activity' })).toBeInTheDocument();
    expect(window.location.hash).toBe('#/activity');
    expect(screen.getByTestId('nav-activity')).toHaveAttribute('aria-current', 'page');
  });

  it('says what went wrong when the overview cannot be read', async () => {
    vi.mocked(ipc.getOverview).mockRejectedValueOnce({ code: 'config', message: 'config.json line 4: unknown key "intervall".' });
    renderAt('#/status');
    expect(await screen.findByRole('alert')).toHaveTextContent('config.json line 4: unknown key "intervall".');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('folder-card-workspace')).toBeInTheDocument();
  });
});
