import { act, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../src/ipc', async (importOriginal) => (await import('./ipc-mock')).mockIpcModule(await importOriginal()));

import * as ipc from '../src/ipc';
import { ago, folder, MIN, overviewFixture } from '../src/dev-mock/fixtures';
import { emit, resetIpc } from './ipc-mock';
import { renderAt } from './render';
import type { VersionView } from '../src/types';

beforeEach(() => {
  resetIpc(ipc);
  vi.mocked(ipc.getOverview).mockResolvedValue(
    overviewFixture([folder({ id: 'notes', providerName: 'Dropbox' }), folder({ id: 'work' })]),
  );
});

describe('Activity page', () => {
  it('lists what moved per folder, newest first, with arrows and deletions marked', async () => {
    vi.mocked(ipc.activity).mockResolvedValue([
      { folder: 'notes', path: 'notes.md', direction: 'toRemote', action: 'copied', at: ago(2 * MIN), size: 100 },
      { folder: 'work', path: 'report.pdf', direction: 'toLocal', action: 'copied', at: ago(5 * MIN), size: null },
      { folder: 'notes', path: 'old.md', direction: 'toLocal', action: 'deleted', at: ago(60 * MIN), size: null },
    ]);
    renderAt('#/activity');
    const notes = await screen.findByTestId('activity-notes');
    const items = within(notes).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(/^↑notes\.md.*2 min ago$/);
    expect(items[0]).toHaveAttribute('title', 'Copied to Dropbox');
    expect(items[1]).toHaveTextContent('↓old.mddeleted1 hour ago');
    expect(items[1]).toHaveAttribute('title', 'Deleted on this computer');
    expect(within(screen.getByTestId('activity-work')).getByRole('listitem')).toHaveTextContent('↓report.pdf');
    expect(ipc.activity).toHaveBeenCalledWith(undefined, 200);

    act(() => emit('engine://activity', { folder: 'notes', path: 'fresh.md', direction: 'toRemote', action: 'copied', at: new Date().toISOString() }));
    expect(within(screen.getByTestId('activity-notes')).getAllByRole('listitem')[0]).toHaveTextContent('↑fresh.mdjust now');
  });
});

describe('Versions page', () => {
  const versions: VersionView[] = [
    { path: 'plans/q1.md', keptAt: '2026-11-25T14:00:00Z', size: 2_101, side: 'local' },
    { path: 'todo.txt', keptAt: '2026-11-25T12:00:00Z', size: 298, side: 'local' },
    { path: 'plans/q2.md', keptAt: '2026-11-24T09:00:00Z', size: 5_000, side: 'remote' },
  ];

  it('filters by name and restores the chosen version', async () => {
    vi.mocked(ipc.listVersions).mockResolvedValue(versions);
    renderAt('#/versions/notes');
    expect(await screen.findByTestId('restore-2')).toBeInTheDocument();
    expect(ipc.listVersions).toHaveBeenCalledWith('notes');
    fireEvent.input(screen.getByLabelText('Find a file'), { target: { value: 'PLANS' } });
    expect(screen.queryByTestId('restore-1')).toBeNull();
    expect(screen.getByTestId('version-2')).toHaveTextContent('plans/q2.md');
    expect(screen.getByTestId('version-2')).toHaveTextContent('4.9 KB');
    fireEvent.click(screen.getByTestId('restore-2'));
    await waitFor(() => expect(ipc.restoreVersion).toHaveBeenCalledWith('notes', 'plans/q2.md', '2026-11-24T09:00:00Z', 'remote'));
    expect(await screen.findByRole('status')).toHaveTextContent('plans/q2.md is back as it was on');
  });

  it('shows where each version was kept and restores it from that side', async () => {
    // The same file kept on both sides at the same moment: two rows, two sides.
    vi.mocked(ipc.listVersions).mockResolvedValue([
      { path: 'a.txt', keptAt: '2026-11-25T14:00:00Z', size: 10, side: 'local' },
      { path: 'a.txt', keptAt: '2026-11-25T14:00:00Z', size: 12, side: 'remote' },
    ]);
    renderAt('#/versions/notes');
    expect(await screen.findByTestId('kept-side-0')).toHaveTextContent('This computer');
    expect(screen.getByTestId('kept-side-1')).toHaveTextContent('The cloud');
    expect(screen.getByTestId('version-1')).toHaveTextContent(/^a\.txtThe cloud · kept/);
    fireEvent.click(screen.getByTestId('restore-1'));
    await waitFor(() => expect(ipc.restoreVersion).toHaveBeenCalledWith('notes', 'a.txt', '2026-11-25T14:00:00Z', 'remote'));
    fireEvent.click(await screen.findByTestId('restore-0'));
    await waitFor(() => expect(ipc.restoreVersion).toHaveBeenLastCalledWith('notes', 'a.txt', '2026-11-25T14:00:00Z', 'local'));
    // The rows the end-to-end tests find by [data-testid^="version-"] are the rows only.
    expect(document.querySelectorAll('[data-testid^="version-"]')).toHaveLength(2);
  });

  it('says so when nothing matches, and shows a restore error by its row', async () => {
    vi.mocked(ipc.listVersions).mockResolvedValue(versions);
    vi.mocked(ipc.restoreVersion).mockRejectedValue({ code: 'io', message: 'todo.txt could not be written: disk full.' });
    renderAt('#/versions/notes');
    fireEvent.click(await screen.findByTestId('restore-1'));
    expect(await within(screen.getByTestId('version-1')).findByRole('alert')).toHaveTextContent('disk full');
    fireEvent.input(screen.getByLabelText('Find a file'), { target: { value: 'zzz' } });
    expect(screen.getByText('No kept version matches “zzz”.')).toBeInTheDocument();
  });
});
