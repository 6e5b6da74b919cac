import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../src/ipc', async (importOriginal) => (await import('./ipc-mock')).mockIpcModule(await importOriginal()));

import * as ipc from '../src/ipc';
import { folder, overviewFixture } from '../src/dev-mock/fixtures';
import { resetIpc } from './ipc-mock';
import { renderAt } from './render';

beforeEach(() => {
  resetIpc(ipc);
  vi.mocked(ipc.getOverview).mockResolvedValue(
    overviewFixture([
      folder({
        id: 'archive',
        state: 'blocked',
        blocked: {
          reason: 'max-delete',
          message: '3 of 4 files (75%) were deleted in WebDAV since the last sync, more than the 50% you allow.',
          fix: 'Let it go ahead if you meant it.',
          wouldDelete: 3,
          files: ['a.pdf', 'b.pdf', 'c.pdf'],
        },
      }),
    ]),
  );
});

describe('Blocked page', () => {
  it('tells why, how many, and which files', async () => {
    renderAt('#/blocked/archive');
    expect(await screen.findByTestId('blocked-message')).toHaveTextContent('3 of 4 files (75%) were deleted in WebDAV');
    expect(screen.getByTestId('blocked-count')).toHaveTextContent('3 files would be deleted. Nothing was deleted yet.');
    expect(within(screen.getByTestId('blocked-files')).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'a.pdf',
      'b.pdf',
      'c.pdf',
    ]);
  });

  it('keeps everything', async () => {
    renderAt('#/blocked/archive');
    fireEvent.click(await screen.findByTestId('keep-everything'));
    await waitFor(() => expect(ipc.keepEverything).toHaveBeenCalledWith('archive'));
    await waitFor(() => expect(window.location.hash).toBe('#/status'));
    expect(ipc.confirmDeletes).not.toHaveBeenCalled();
  });

  it('deletes only after a second yes', async () => {
    renderAt('#/blocked/archive');
    fireEvent.click(await screen.findByTestId('confirm-deletes'));
    const dialog = screen.getByRole('dialog', { name: 'Delete 3 files?' });
    expect(ipc.confirmDeletes).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(screen.getByTestId('confirm-deletes'));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete 3 files' }));
    await waitFor(() => expect(ipc.confirmDeletes).toHaveBeenCalledWith('archive'));
  });
});
