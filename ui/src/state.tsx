// The app-wide state: the overview (folders and app settings), kept live by
// engine://folder, and the provider list, loaded once when first needed.

import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import * as ipc from './ipc';
import type { AppError, AppSettings, FolderView, Overview, ProviderInfo } from './types';

export interface AppState {
  overview: Overview | undefined;
  error: AppError | undefined;
  refresh: () => Promise<void>;
  upsertFolder: (f: FolderView) => void;
  dropFolder: (id: string) => void;
  setApp: (app: AppSettings) => void;
  providers: ProviderInfo[] | undefined;
  providersError: AppError | undefined;
  loadProviders: () => void;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside <AppProvider>');
  return ctx;
}

export function useFolder(id: string | undefined): FolderView | undefined {
  const { overview } = useApp();
  return id === undefined ? undefined : overview?.folders.find((f) => f.id === id);
}

export function AppProvider({ children }: { children: ComponentChildren }) {
  const [overview, setOverview] = useState<Overview | undefined>(undefined);
  const [error, setError] = useState<AppError | undefined>(undefined);
  const [providers, setProviders] = useState<ProviderInfo[] | undefined>(undefined);
  const [providersError, setProvidersError] = useState<AppError | undefined>(undefined);
  const providersRequested = useRef(false);

  const refresh = useCallback(async () => {
    try {
      setOverview(await ipc.getOverview());
      setError(undefined);
    } catch (e) {
      setError(ipc.normaliseError(e));
    }
  }, []);

  const upsertFolder = useCallback((f: FolderView) => {
    setOverview((o) => {
      if (!o) return o;
      const i = o.folders.findIndex((x) => x.id === f.id);
      const folders = i < 0 ? [...o.folders, f] : o.folders.map((x, j) => (j === i ? f : x));
      return { ...o, folders };
    });
  }, []);

  const dropFolder = useCallback((id: string) => {
    setOverview((o) => (o ? { ...o, folders: o.folders.filter((f) => f.id !== id) } : o));
  }, []);

  const setApp = useCallback((app: AppSettings) => setOverview((o) => (o ? { ...o, app } : o)), []);

  const loadProviders = useCallback(() => {
    if (providersRequested.current) return;
    providersRequested.current = true;
    ipc.providers().then(
      (p) => {
        setProviders(p);
        setProvidersError(undefined);
      },
      (e) => {
        providersRequested.current = false; // let a later page try again
        setProvidersError(ipc.normaliseError(e));
      },
    );
  }, []);

  useEffect(() => {
    void refresh();
    return ipc.onFolder(upsertFolder);
  }, [refresh, upsertFolder]);

  const value = useMemo(
    () => ({ overview, error, refresh, upsertFolder, dropFolder, setApp, providers, providersError, loadProviders }),
    [overview, error, refresh, upsertFolder, dropFolder, setApp, providers, providersError, loadProviders],
  );
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

const OAUTH_KEYS = ['dropbox', 'gdrive', 'onedrive'];

/** Whether a folder's provider logs in through the browser. */
export function usesOauth(provider: string, providers: ProviderInfo[] | undefined): boolean {
  const p = providers?.find((x) => x.key === provider);
  return p ? p.oauth : OAUTH_KEYS.includes(provider);
}
