import { act, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../src/ipc', async (importOriginal) => (await import('./ipc-mock')).mockIpcModule(await importOriginal()));

import * as ipc from '../src/ipc';
import { folder, overviewFixture } from '../src/dev-mock/fixtures';
import { emit, resetIpc } from './ipc-mock';
import { renderAt } from './render';
import type { BlockedView, Fix } from '../src/types';

const ACTIONS: Fix[] = [
  { action: 'confirm-deletes', folder: 'archive' },
  { action: 'resync', folder: 'archive' },
];

/** The archive folder blocked on `over` (three files that would be deleted). */
function blockedArchive(over: Partial<BlockedView> = {}) {
  return folder({
    id: 'archive',
    state: 'blocked',
    blocked: {
      reason: 'too-many-deletes',
      message: '3 of 4 files were deleted on this computer since the last sync, more than the 50% limit',
      fix: 'if the deletions are wanted, confirm them',
      actions: ACTIONS,
      wouldDelete: 3,
      files: ['a.pdf', 'b.pdf', 'c.pdf'],
      confirmToken: 'token-1',
      ...over,
    },
  });
}

beforeEach(() => {
  resetIpc(ipc);
  vi.mocked(ipc.getOverview).mockResolvedValue(overviewFixture([blockedArchive()]));
});

describe('Blocked page', () => {
  it('tells why, how many, and which files', async () => {
    renderAt('#/blocked/archive');
    expect(await screen.findByTestId('blocked-message')).toHaveTextContent(
      /^3 of 4 files were deleted on this computer since the last sync, more than the 50% limit\.$/,
    );
    expect(screen.getByTestId('blocked-fix')).toHaveTextContent(/^If the deletions are wanted, confirm them\.$/);
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
    await waitFor(() => expect(ipc.confirmDeletes).toHaveBeenCalledWith('archive', 'token-1'));
    await waitFor(() => expect(window.location.hash).toBe('#/status'));
  });

  it('confirms without a token when the app gave none', async () => {
    vi.mocked(ipc.getOverview).mockResolvedValue(overviewFixture([blockedArchive({ confirmToken: undefined })]));
    renderAt('#/blocked/archive');
    fireEvent.click(await screen.findByTestId('confirm-deletes'));
    fireEvent.click(screen.getByTestId('confirm-deletes-dialog-confirm'));
    await waitFor(() => expect(ipc.confirmDeletes).toHaveBeenCalledWith('archive', undefined));
  });

  it('shows a new list that arrives, closes the dialog opened on the old one, and confirms the new one', async () => {
    renderAt('#/blocked/archive');
    fireEvent.click(await screen.findByTestId('confirm-deletes'));
    expect(screen.getByRole('dialog', { name: 'Delete 3 files?' })).toBeInTheDocument();
    act(() =>
      emit(
        'engine://folder',
        blockedArchive({
          message: '4 of 4 files were deleted on this computer since the last sync; review the new list',
          wouldDelete: 4,
          files: ['a.pdf', 'b.pdf', 'c.pdf', 'd.pdf'],
          confirmToken: 'token-2',
        }),
      ),
    );
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('status')).toHaveTextContent('The list of files changed');
    expect(within(screen.getByTestId('blocked-files')).getAllByRole('listitem')).toHaveLength(4);
    expect(screen.getByTestId('blocked-count')).toHaveTextContent('4 files would be deleted.');
    expect(ipc.confirmDeletes).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('confirm-deletes'));
    fireEvent.click(within(screen.getByRole('dialog', { name: 'Delete 4 files?' })).getByRole('button', { name: 'Delete 4 files' }));
    await waitFor(() => expect(ipc.confirmDeletes).toHaveBeenCalledWith('archive', 'token-2'));
    expect(ipc.confirmDeletes).toHaveBeenCalledTimes(1);
  });

  it('offers only the ways on the app names', async () => {
    vi.mocked(ipc.getOverview).mockResolvedValue(
      overviewFixture([
        blockedArchive({
          reason: 'listings-lost',
          message: "the records of this folder's last sync are missing",
          fix: 'choose "Keep everything" to merge both sides again (nothing is deleted)',
          actions: [{ action: 'resync', folder: 'archive' }],
          wouldDelete: undefined,
          files: [],
          confirmToken: undefined,
        }),
      ]),
    );
    renderAt('#/blocked/archive');
    expect(await screen.findByTestId('keep-everything')).toHaveTextContent('Keep everything');
    expect(screen.queryByTestId('confirm-deletes')).toBeNull();
    expect(screen.getByTestId('blocked-count')).toHaveTextContent('No file was deleted.');
    expect(screen.getByTestId('blocked-fix')).toHaveTextContent('Choose "Keep everything" to merge both sides again');
  });
});
