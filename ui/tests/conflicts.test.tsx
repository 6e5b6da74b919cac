import { act, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../src/ipc', async (importOriginal) => (await import('./ipc-mock')).mockIpcModule(await importOriginal()));

import * as ipc from '../src/ipc';
import type { ConflictView } from '../src/types';
import { ago, folder, MIN, overviewFixture } from '../src/dev-mock/fixtures';
import { emit, resetIpc } from './ipc-mock';
import { renderAt } from './render';

const conflict = (id: number, over: Partial<ConflictView> = {}): ConflictView => ({
  id,
  folder: 'notes',
  path: `plan-${id}.md`,
  localCopy: `plan-${id}.md`,
  remoteCopy: `plan-${id}.conflict-remote-2026-11-25-1432.md`,
  local: { size: 2_418, modified: ago(5 * MIN) },
  remote: { size: 2_302, modified: ago(40 * MIN) },
  foundAt: ago(3 * MIN),
  kind: 'text',
  ...over,
});

beforeEach(() => {
  resetIpc(ipc);
  vi.mocked(ipc.getOverview).mockResolvedValue(
    overviewFixture([folder({ id: 'notes', provider: 'dropbox', providerName: 'Dropbox', state: 'conflicts', conflicts: 2 })]),
  );
  vi.mocked(ipc.listConflicts).mockResolvedValue([
    conflict(1),
    conflict(3, { path: 'budget.xlsx', kind: 'other' }),
    conflict(2, { path: 'cover.png', localCopy: 'cover.png', remoteCopy: 'cover.conflict-remote-2026-11-25-1432.png', kind: 'image', local: { size: 10, modified: ago(60 * MIN) }, remote: { size: 12, modified: ago(MIN) } }),
  ]);
  vi.mocked(ipc.conflictPreview).mockImplementation(async (id) =>
    id === 1
      ? { kind: 'text', diff: [{ op: 'same', text: '# Plan' }, { op: 'del', text: 'Release: March 3' }, { op: 'add', text: 'Release: March 10' }] }
      : id === 3
        ? { kind: 'other', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }
        : { kind: 'image', localImage: 'data:image/png;base64,AAA=', remoteImage: 'data:image/png;base64,BBB=' },
  );
});

describe('Conflicts page', () => {
  it('shows both versions with the newer one marked, and the text diff', async () => {
    renderAt('#/conflicts/notes');
    const first = await screen.findByTestId('conflict-1');
    const local = within(first).getByRole('region', { name: 'This computer' });
    const remote = within(first).getByRole('region', { name: 'Dropbox' });
    expect(local).toHaveTextContent('newer');
    expect(remote).not.toHaveTextContent('newer');
    expect(local).toHaveTextContent('5 min ago');
    expect(local).toHaveTextContent('2.4 KB');
    const diff = await within(first).findByTestId('diff');
    expect(diff.querySelector('.line.del')).toHaveTextContent('Release: March 3');
    expect(diff.querySelector('.line.add')).toHaveTextContent('Release: March 10');

    const second = screen.getByTestId('conflict-2');
    expect(within(second).getByRole('region', { name: 'Dropbox' })).toHaveTextContent('newer');
    expect(await within(second).findByAltText("Dropbox's version")).toHaveAttribute('src', 'data:image/png;base64,BBB=');
    fireEvent.click(within(within(second).getByRole('region', { name: 'This computer' })).getByRole('button', { name: 'Open' }));
    expect(within(await screen.findByTestId('conflict-3')).getByTestId('no-preview')).toHaveTextContent('No preview for .xlsx files.');
    await waitFor(() => expect(ipc.openPath).toHaveBeenCalledWith('notes', 'cover.png'));
  });

  it('resolves one conflict, or all of them', async () => {
    vi.mocked(ipc.resolveAll).mockResolvedValue(2);
    renderAt('#/conflicts/notes');
    expect(await screen.findByTestId('keep-remote-1')).toHaveTextContent("Keep Dropbox's");
    expect(screen.getByText('Apply to all 3 conflicts:')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('keep-local-1'));
    await waitFor(() => expect(ipc.resolveConflict).toHaveBeenCalledWith(1, 'local'));
    await waitFor(() => expect(screen.queryByTestId('conflict-1')).toBeNull());
    expect(screen.getByRole('status')).toHaveTextContent("plan-1.md: kept this computer's version.");

    vi.mocked(ipc.listConflicts).mockResolvedValue([conflict(2), conflict(3)]);
    act(() => emit('engine://conflicts', { folder: 'notes' }));
    fireEvent.click(await screen.findByTestId('apply-all-both'));
    await waitFor(() => expect(ipc.resolveAll).toHaveBeenCalledWith('notes', 'both'));
    expect(await screen.findByText('Kept both versions of 2 files.')).toBeInTheDocument();
  });

  it('reloads when engine://conflicts names its folder', async () => {
    vi.mocked(ipc.listConflicts).mockResolvedValue([]);
    renderAt('#/conflicts/notes');
    expect(await screen.findByText('No conflicts in notes.')).toBeInTheDocument();
    vi.mocked(ipc.listConflicts).mockResolvedValue([conflict(7)]);
    act(() => emit('engine://conflicts', { folder: 'other' }));
    expect(ipc.listConflicts).toHaveBeenCalledTimes(1);
    act(() => emit('engine://conflicts', { folder: 'notes' }));
    expect(await screen.findByTestId('conflict-7')).toBeInTheDocument();
  });
});
