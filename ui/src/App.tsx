import { useEffect, useRef } from 'preact/hooks';
import { ErrorText, Loading } from './components';
import * as ipc from './ipc';
import { ActivityPage } from './pages/Activity';
import { BlockedPage } from './pages/Blocked';
import { ConflictsPage } from './pages/Conflicts';
import { SettingsPage } from './pages/Settings';
import { SetupPage } from './pages/Setup';
import { StatusPage } from './pages/Status';
import { VersionsPage } from './pages/Versions';
import { href, navigate, useRoute, type Route } from './route';
import { AppProvider, useApp } from './state';
import type { Page } from './types';

const NAV: { page: Page; label: string; perFolder: boolean }[] = [
  { page: 'status', label: 'Status', perFolder: false },
  { page: 'conflicts', label: 'Conflicts', perFolder: true },
  { page: 'activity', label: 'Activity', perFolder: false },
  { page: 'versions', label: 'Versions', perFolder: true },
  { page: 'settings', label: 'Settings', perFolder: true },
  { page: 'setup', label: 'Add folder', perFolder: false },
];

export function App() {
  return (
    <AppProvider>
      <Shell />
    </AppProvider>
  );
}

function Shell() {
  const route = useRoute();
  const { overview, error, refresh } = useApp();
  const mainRef = useRef<HTMLElement>(null);
  const firstRoute = useRef(true);

  useEffect(() => ipc.onNavigate((r) => navigate(r.page, r.folder)), []);

  // Keyboard and screen-reader users land on the new page's title.
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    const t = setTimeout(() => mainRef.current?.querySelector<HTMLElement>('[data-page-title]')?.focus(), 0);
    return () => clearTimeout(t);
  }, [route.page, route.folder]);

  const noFolders = overview !== undefined && overview.folders.length === 0;
  // The first page of a fresh install is the setup page.
  const shown: Route = noFolders && route.page === 'status' ? { page: 'setup' } : route;
  const conflictCount = overview?.folders.reduce((n, f) => n + f.conflicts, 0) ?? 0;
  const current = shown.folder;

  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), mainRef.current?.focus())}>
        Skip to content
      </a>
      <nav class="nav" aria-label="Pages">
        <div class="brand">
          <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
            <path
              d="M7 18a5 5 0 0 1-.6-9.96A6 6 0 0 1 18 9a4.5 4.5 0 0 1-.5 9H7z"
              fill="none"
              stroke="currentColor"
              stroke-width="1.8"
              stroke-linejoin="round"
            />
            <path d="M10 12.5l2-2 2 2M12 10.5v5" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
          </svg>
          <span>Workspace Sync</span>
        </div>
        <ul>
          {NAV.map((n) => {
            // Per-folder pages keep the folder that is on screen.
            const target = n.perFolder && current && overview?.folders.some((f) => f.id === current) ? href(n.page, current) : href(n.page);
            const active = shown.page === n.page || (n.page === 'status' && shown.page === 'blocked');
            return (
              <li key={n.page}>
                <a
                  href={target}
                  data-testid={`nav-${n.page}`}
                  class={active ? 'active' : undefined}
                  aria-current={active ? 'page' : undefined}
                >
                  {n.label}
                  {n.page === 'conflicts' && conflictCount > 0 && (
                    <span class="count" aria-label={`${conflictCount} waiting`}>
                      {conflictCount}
                    </span>
                  )}
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {overview === undefined ? (
          error ? (
            <div class="card">
              <h1>Workspace Sync can't show your folders</h1>
              <ErrorText error={error} />
              <button type="button" class="primary" onClick={() => void refresh()}>
                Try again
              </button>
            </div>
          ) : (
            <Loading what="your folders" />
          )
        ) : (
          <PageFor route={shown} />
        )}
      </main>
    </div>
  );
}

function PageFor({ route }: { route: Route }) {
  switch (route.page) {
    case 'setup':
      return <SetupPage />;
    case 'conflicts':
      return <ConflictsPage folder={route.folder} />;
    case 'blocked':
      return <BlockedPage folder={route.folder} />;
    case 'activity':
      return <ActivityPage />;
    case 'versions':
      return <VersionsPage folder={route.folder} />;
    case 'settings':
      return <SettingsPage folder={route.folder} />;
    case 'status':
    default:
      return <StatusPage />;
  }
}
