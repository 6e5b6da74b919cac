import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../src/ipc', async (importOriginal) => (await import('./ipc-mock')).mockIpcModule(await importOriginal()));

import * as ipc from '../src/ipc';
import { folder, overviewFixture } from '../src/dev-mock/fixtures';
import { resetIpc } from './ipc-mock';
import { renderAt } from './render';

beforeEach(() => resetIpc(ipc));

describe('Settings page', () => {
  it('shows the folder settings and saves them', async () => {
    renderAt('#/settings/workspace');
    const exclude = (await screen.findByTestId('field-exclude')) as HTMLTextAreaElement;
    expect(exclude.value).toBe('.git/**\nnode_modules/**\n.env*\n*.log');
    const help = screen.getByText(/The defaults are/);
    expect([...help.querySelectorAll('code')].map((c) => c.textContent).slice(0, 4)).toEqual(['.git/**', 'node_modules/**', '.env*', '*.log']);
    expect(screen.getByTestId('field-watch')).toBeChecked();
    expect(screen.getByTestId('policy-ask')).toBeChecked();
    fireEvent.input(exclude, { target: { value: '.git/**\n\n build/ \n' } });
    fireEvent.change(screen.getByTestId('field-interval'), { target: { value: '0' } });
    fireEvent.click(screen.getByTestId('field-watch'));
    fireEvent.click(screen.getByTestId('policy-remote'));
    fireEvent.input(screen.getByTestId('field-keepVersionsDays'), { target: { value: '7' } });
    fireEvent.click(screen.getByTestId('save-settings'));
    await waitFor(() =>
      expect(ipc.saveSettings).toHaveBeenCalledWith('workspace', {
        interval: 0,
        watch: false,
        exclude: ['.git/**', 'build/'],
        conflictResolve: 'remote',
        maxDeletePercent: 50,
        keepVersionsDays: 7,
      }),
    );
    expect(await screen.findByText('Saved. The next sync uses these settings.')).toBeInTheDocument();
  });

  it('does not save a bad percentage', async () => {
    renderAt('#/settings/workspace');
    fireEvent.input(await screen.findByTestId('field-maxDeletePercent'), { target: { value: '0' } });
    fireEvent.click(screen.getByTestId('save-settings'));
    expect(screen.getByTestId('field-error-maxDeletePercent')).toHaveTextContent('from 1 to 100');
    expect(ipc.saveSettings).not.toHaveBeenCalled();
  });

  it('removes a folder after asking, with or without its login', async () => {
    renderAt('#/settings/workspace');
    fireEvent.click(await screen.findByTestId('remove-folder'));
    const dialog = screen.getByRole('dialog', { name: 'Stop syncing workspace?' });
    expect(dialog).toHaveTextContent('No file is deleted on either side.');
    const logout = within(dialog).getByTestId('remove-logout');
    expect(logout).toBeChecked();
    fireEvent.click(logout);
    vi.mocked(ipc.getOverview).mockResolvedValue(overviewFixture([]));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove folder' }));
    await waitFor(() => expect(ipc.removeFolder).toHaveBeenCalledWith('workspace', false));
    expect(await screen.findByRole('heading', { level: 1, name: 'Set up Workspace Sync' })).toBeInTheDocument();
  });

  it('logs a password provider in again, and switches app settings', async () => {
    vi.mocked(ipc.getOverview).mockResolvedValue(overviewFixture([folder({ state: 'needs-login' })]));
    vi.mocked(ipc.testConnection).mockResolvedValue({ account: 'ada', stored: true });
    renderAt('#/settings/workspace');
    const submit = await screen.findByTestId('login-password');
    fireEvent.click(submit);
    expect(screen.getByTestId('field-error-password')).toBeInTheDocument();
    expect(ipc.testConnection).not.toHaveBeenCalled();
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'new-secret' } });
    fireEvent.click(submit);
    await waitFor(() =>
      expect(ipc.testConnection).toHaveBeenCalledWith(
        expect.objectContaining({ id: 'workspace', provider: 'webdav', fields: { password: 'new-secret' } }),
      ),
    );
    expect(await screen.findByText('Connected to WebDAV as ada.')).toBeInTheDocument();

    fireEvent.click(screen.getByTestId('app-autostart'));
    await waitFor(() => expect(ipc.setAppSettings).toHaveBeenCalledWith({ autostart: true }));
    await waitFor(() => expect(screen.getByTestId('app-autostart')).toBeChecked());
  });
});
