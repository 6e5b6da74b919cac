import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { normaliseError } from './ipc';
import type { AppError } from './types';

/** The current time, refreshed every `ms` so that "2 min ago" moves on. */
export function useNow(ms = 20_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

export interface Loaded<T> {
  data: T | undefined;
  error: AppError | undefined;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (update: (old: T | undefined) => T | undefined) => void;
}

/** Runs `load` when `deps` change; answers of an older call are dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<AppError | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const value = await loadRef.current();
      if (mine !== generation.current) return;
      setDataState(() => value);
      setError(undefined);
    } catch (e) {
      if (mine !== generation.current) return;
      setError(normaliseError(e));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setDataState(undefined);
    void reload();
    return () => {
      generation.current++;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  const setData = useCallback((update: (old: T | undefined) => T | undefined) => setDataState(update), []);
  return { data, error, loading, reload, setData };
}

/**
 * Runs an action and keeps its error; `busy` names the running action so a
 * page can disable its buttons and show which one is working.
 */
export function useAction() {
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [error, setError] = useState<{ key: string; error: AppError } | undefined>(undefined);
  const run = useCallback(async <T,>(key: string, fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(key);
    setError(undefined);
    try {
      return await fn();
    } catch (e) {
      setError({ key, error: normaliseError(e) });
      return undefined;
    } finally {
      setBusy(undefined);
    }
  }, []);
  const errorFor = (key: string) => (error && error.key === key ? error.error : undefined);
  return { busy, run, errorFor, clearError: () => setError(undefined) };
}
