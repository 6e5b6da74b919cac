import * as ipc from './ipc';
import type { FolderDraft, FolderView } from './types';

/**
 * A draft that names an existing folder, for logging it in again
 * (login_oauth, or test_connection with a new password in `fields`). The
 * app knows the folder by its id; policy and interval come from its settings.
 */
export async function draftForFolder(f: FolderView, fields: Record<string, string> = {}): Promise<FolderDraft> {
  let conflictResolve = 'ask';
  let interval = 0;
  try {
    const s = await ipc.getSettings(f.id);
    conflictResolve = s.conflictResolve;
    interval = s.interval;
  } catch {
    // The login matters more than these two; the app keeps the saved ones.
  }
  return { id: f.id, provider: f.provider, localPath: f.localPath, remotePath: f.remotePath, fields, conflictResolve, interval };
}

export async function loginAgain(f: FolderView) {
  return ipc.loginOauth(await draftForFolder(f));
}
