// Hash routing: #/status, #/setup, #/activity, #/conflicts/FOLDER,
// #/blocked/FOLDER, #/versions/FOLDER, #/settings/FOLDER.

import { useEffect, useState } from 'preact/hooks';
import type { Page } from './types';

export interface Route {
  page: Page;
  folder?: string;
}

export const PAGES: Page[] = ['status', 'setup', 'conflicts', 'blocked', 'activity', 'versions', 'settings'];

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter((p) => p !== '');
  const page = (PAGES as string[]).includes(parts[0] ?? '') ? (parts[0] as Page) : 'status';
  if (parts.length < 2) return { page };
  let folder: string;
  try {
    folder = decodeURIComponent(parts.slice(1).join('/'));
  } catch {
    folder = parts.slice(1).join('/');
  }
  return { page, folder };
}

export function href(page: Page, folder?: string): string {
  return folder ? `#/${page}/${encodeURIComponent(folder)}` : `#/${page}`;
}

export function navigate(page: Page, folder?: string): void {
  const target = href(page, folder);
  if (window.location.hash !== target) window.location.hash = target;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    onChange();
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
