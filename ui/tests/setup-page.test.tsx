import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../src/ipc', async (importOriginal) => (await import('./ipc-mock')).mockIpcModule(await importOriginal()));

import * as ipc from '../src/ipc';
import { folder, providersFixture } from '../src/dev-mock/fixtures';
import { resetIpc } from './ipc-mock';
import { renderAt } from './render';

beforeEach(() => resetIpc(ipc));

const type = (testId: string, value: string) => fireEvent.input(screen.getByTestId(testId), { target: { value } });

async function chooseWebdav() {
  renderAt('#/setup');
  fireEvent.click(await screen.findByTestId('provider-webdav'));
  await screen.findByTestId('field-url');
}

function fillWebdav() {
  type('field-localPath', '/home/ada/Team Notes');
  type('field-url', 'https://cloud.example.com/remote.php/dav/files/ada');
  type('field-user', 'ada');
  type('field-password', 'hunter2');
}

const noCommandCalled = () => {
  for (const c of [ipc.testConnection, ipc.loginOauth, ipc.browseRemote, ipc.previewFirstSync, ipc.addFolder]) {
    expect(c).not.toHaveBeenCalled();
  }
};

describe('Setup page', () => {
  it('shows each provider with the description the app sends, and only the name with an empty one', async () => {
    vi.mocked(ipc.providers).mockResolvedValue([
      ...providersFixture().filter((p) => p.key === 'webdav'),
      { key: 'plain', name: 'Plain', description: '', oauth: false, fields: [] },
    ]);
    renderAt('#/setup');
    const webdav = await screen.findByTestId('provider-webdav');
    expect(webdav).toHaveTextContent('WebDAVNextcloud, ownCloud and other WebDAV servers.');
    expect(webdav.querySelector('.help')).toHaveTextContent('Nextcloud, ownCloud and other WebDAV servers.');
    const plain = screen.getByTestId('provider-plain');
    expect(plain).toHaveTextContent(/^Plain$/);
    expect(plain.querySelector('.help')).toBeNull();
  });

  it('builds the form from the provider fields, with secrets as password inputs', async () => {
    await chooseWebdav();
    expect(screen.getByTestId('provider-webdav')).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByLabelText('Server address')).toHaveAttribute('type', 'url');
    const password = screen.getByLabelText('Password');
    expect(password).toHaveAttribute('type', 'password');
    expect(password.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(password.getAttribute('aria-describedby')!)).toHaveTextContent('system keychain');
    expect((screen.getByTestId('field-vendor') as HTMLSelectElement).value).toBe('nextcloud');
  });

  it('shows what is missing next to each field and calls nothing', async () => {
    await chooseWebdav();
    type('field-url', 'cloud.example.com');
    fireEvent.click(screen.getByTestId('test-connection'));
    expect(screen.getByTestId('field-error-localPath')).toHaveTextContent('Choose the folder on this computer');
    expect(screen.getByTestId('field-error-url')).toHaveTextContent('https://');
    expect(screen.getByTestId('field-error-user')).toBeInTheDocument();
    expect(screen.getByTestId('field-error-password')).toBeInTheDocument();
    expect(screen.getByTestId('field-url')).toHaveAttribute('aria-invalid', 'true');
    fireEvent.click(screen.getByTestId('preview-first-sync'));
    expect(screen.getByTestId('field-error-remotePath')).toBeInTheDocument();
    noCommandCalled();
    // Fixing a field takes its message away.
    type('field-user', 'ada');
    expect(screen.queryByTestId('field-error-user')).toBeNull();
  });

  it('tests the connection, previews the first sync and starts syncing', async () => {
    vi.mocked(ipc.testConnection).mockResolvedValue({ account: 'ada', stored: false });
    vi.mocked(ipc.previewFirstSync).mockResolvedValue({ toLocal: 128, toRemote: 12, conflicts: 3 });
    vi.mocked(ipc.addFolder).mockResolvedValue(folder({ id: 'team-notes' }));
    await chooseWebdav();
    fillWebdav();
    expect(screen.getByTestId('field-id')).toHaveValue('team-notes');
    fireEvent.click(screen.getByTestId('test-connection'));
    expect(await screen.findByText('Connected to WebDAV as ada.')).toBeInTheDocument();
    type('field-remotePath', '/Notes/');
    fireEvent.click(screen.getByTestId('policy-newer'));
    fireEvent.change(screen.getByTestId('field-interval'), { target: { value: '900' } });
    fireEvent.click(screen.getByTestId('preview-first-sync'));
    expect(await screen.findByTestId('first-sync-text')).toHaveTextContent(
      'The first sync will copy 128 files to this computer and 12 to the cloud; 3 files differ on both sides and both versions will be kept.',
    );
    fireEvent.click(screen.getByTestId('start-syncing'));
    await waitFor(() => expect(window.location.hash).toBe('#/status'));
    expect(ipc.addFolder).toHaveBeenCalledWith({
      id: 'team-notes',
      provider: 'webdav',
      localPath: '/home/ada/Team Notes',
      remotePath: 'Notes',
      fields: { url: 'https://cloud.example.com/remote.php/dav/files/ada', vendor: 'nextcloud', user: 'ada', password: 'hunter2' },
      conflictResolve: 'newer',
      interval: 900,
    });
  });

  it('shows an app error next to the step that failed and saves nothing', async () => {
    vi.mocked(ipc.testConnection).mockRejectedValue({ code: 'remote', message: 'The server refused the password.' });
    vi.mocked(ipc.previewFirstSync).mockRejectedValue({ code: 'remote', message: 'The cloud folder cannot be read.' });
    await chooseWebdav();
    fillWebdav();
    fireEvent.click(screen.getByTestId('test-connection'));
    expect(await screen.findByTestId('account-error')).toHaveTextContent('The server refused the password.');
    type('field-remotePath', 'Notes');
    fireEvent.click(screen.getByTestId('preview-first-sync'));
    expect(await screen.findByTestId('preview-error')).toHaveTextContent('The cloud folder cannot be read.');
    expect(screen.queryByTestId('start-syncing')).toBeNull();
    expect(ipc.addFolder).not.toHaveBeenCalled();
  });

  it('logs in to an OAuth provider, picks the local folder and browses the cloud', async () => {
    vi.mocked(ipc.pickLocalFolder).mockResolvedValue('/home/ada/Projects');
    vi.mocked(ipc.loginOauth).mockResolvedValue({ account: 'ada@example.com', stored: true });
    vi.mocked(ipc.browseRemote).mockImplementation(async (_d, path) =>
      path === '' ? [{ name: 'Docs', isDir: true }, { name: 'a.txt', isDir: false }] : [],
    );
    renderAt('#/setup');
    fireEvent.click(await screen.findByTestId('provider-dropbox'));
    // Preview before logging in: asked to log in first, nothing called.
    fireEvent.click(screen.getByTestId('preview-first-sync'));
    expect(screen.getByTestId('field-error-login')).toHaveTextContent('Log in to Dropbox first.');
    fireEvent.click(screen.getByTestId('pick-local-folder'));
    await waitFor(() => expect(screen.getByTestId('field-localPath')).toHaveValue('/home/ada/Projects'));
    expect(screen.getByTestId('login-oauth')).toHaveTextContent('Log in with Dropbox');
    fireEvent.click(screen.getByTestId('login-oauth'));
    expect(await screen.findByText('Logged in to Dropbox as ada@example.com.')).toBeInTheDocument();
    expect(ipc.loginOauth).toHaveBeenCalledWith(expect.objectContaining({ id: 'projects', provider: 'dropbox' }));

    fireEvent.click(screen.getByTestId('browse-remote'));
    const browser = await screen.findByTestId('remote-browser');
    fireEvent.click(await within(browser).findByRole('button', { name: /Docs/ }));
    await waitFor(() => expect(ipc.browseRemote).toHaveBeenLastCalledWith(expect.anything(), 'Docs'));
    type('new-remote-folder', 'Shared');
    fireEvent.click(screen.getByTestId('create-remote-folder'));
    await waitFor(() => expect(ipc.createRemoteFolder).toHaveBeenCalledWith(expect.objectContaining({ provider: 'dropbox' }), 'Docs/Shared'));
    fireEvent.click(await screen.findByTestId('use-remote-folder'));
    expect(screen.getByTestId('field-remotePath')).toHaveValue('Docs/Shared');
  });
});
