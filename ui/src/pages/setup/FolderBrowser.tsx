// The folder browser of the set-up form's step 4: lists the cloud's folders
// with the draft's account, opens them, makes new ones, and hands back the
// chosen path.

import { useEffect, useState } from 'preact/hooks';
import { ErrorText, FieldError, Loading } from '../../components';
import { useAction } from '../../hooks';
import * as ipc from '../../ipc';
import type { FolderDraft, RemoteEntry } from '../../types';

const FolderIcon = () => (
  <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
    <path d="M1.5 3.5h4.2l1.5 1.6h7.3v7.4h-13z" fill="currentColor" opacity="0.85" />
  </svg>
);

const FileIcon = () => (
  <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
    <path d="M3.5 1.5h6l3 3v10h-9z" fill="none" stroke="currentColor" stroke-width="1.2" />
  </svg>
);

function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

export function FolderBrowser({
  draft,
  cloud,
  start,
  onChoose,
  onClose,
}: {
  draft: FolderDraft;
  cloud: string;
  start: string;
  onChoose: (path: string) => void;
  onClose: () => void;
}) {
  const [path, setPath] = useState('');
  const [entries, setEntries] = useState<RemoteEntry[] | undefined>(undefined);
  const [newName, setNewName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>(undefined);
  const { busy, run, errorFor } = useAction();

  const open = (p: string) =>
    run('list', async () => {
      const list = await ipc.browseRemote(draft, p);
      setEntries([...list].sort((a, b) => Number(b.isDir) - Number(a.isDir) || a.name.localeCompare(b.name)));
      setPath(p);
      return true;
    });

  useEffect(() => {
    // Start where the typed path points, or at the top if it does not exist.
    void (async () => {
      if (start && (await open(start))) return;
      await open('');
    })();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const create = (e: Event) => {
    e.preventDefault();
    const name = newName.trim();
    if (name === '' || name.includes('/')) {
      setNameError(name === '' ? 'Enter a name for the new folder.' : 'A folder name cannot contain "/".');
      return;
    }
    setNameError(undefined);
    void run('create', async () => {
      const target = joinPath(path, name);
      await ipc.createRemoteFolder(draft, target);
      setNewName('');
      await open(target);
    });
  };

  const up = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const crumbs = path ? path.split('/') : [];
  return (
    <div class="browser" role="group" aria-label={`Folders on ${cloud}`} data-testid="remote-browser">
      <div class="browser-bar">
        <nav aria-label="Current folder" class="crumbs">
          <button type="button" class="link" onClick={() => void open('')}>
            {cloud}
          </button>
          {crumbs.map((c, i) => (
            <span key={i}>
              {' / '}
              <button type="button" class="link" onClick={() => void open(crumbs.slice(0, i + 1).join('/'))}>
                {c}
              </button>
            </span>
          ))}
        </nav>
        <button type="button" class="subtle" onClick={() => void open(up)} disabled={path === '' || busy === 'list'}>
          Up
        </button>
      </div>
      <ErrorText error={errorFor('list')} />
      {busy === 'list' && entries === undefined && <Loading what="folders" />}
      {entries && (
        <ul class="entries">
          {entries.length === 0 && <li class="muted">This folder is empty.</li>}
          {entries.map((en) =>
            en.isDir ? (
              <li key={en.name}>
                <button type="button" class="entry" onClick={() => void open(joinPath(path, en.name))}>
                  <FolderIcon /> {en.name}
                </button>
              </li>
            ) : (
              <li key={en.name} class="entry file muted">
                <FileIcon /> {en.name}
              </li>
            ),
          )}
        </ul>
      )}
      <div class="row create">
        <label for="new-remote-folder" class="sr-only">
          New folder name
        </label>
        <input
          id="new-remote-folder"
          type="text"
          placeholder="New folder name"
          value={newName}
          onInput={(e) => {
            setNewName((e.currentTarget as HTMLInputElement).value);
            setNameError(undefined);
          }}
          onKeyDown={(e) => e.key === 'Enter' && create(e)}
          data-testid="new-remote-folder"
        />
        <button type="button" onClick={create} disabled={busy === 'create'} data-testid="create-remote-folder">
          Create folder
        </button>
      </div>
      <FieldError name="newFolder" message={nameError} />
      <ErrorText error={errorFor('create')} />
      <div class="actions">
        <button type="button" class="primary" onClick={() => onChoose(path)} disabled={path === ''} data-testid="use-remote-folder">
          {path ? `Sync with “${path}”` : 'Open a folder to choose it'}
        </button>
        <button type="button" class="subtle" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
