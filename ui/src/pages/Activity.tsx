import { useEffect } from 'preact/hooks';
import { ErrorText, Loading, PageHeader, Size } from '../components';
import { formatDateTime, timeAgo } from '../format';
import { useLoad, useNow } from '../hooks';
import * as ipc from '../ipc';
import { useApp } from '../state';
import type { ActivityItem } from '../types';

const LIMIT = 200;

/** Items grouped by folder, each group newest first, groups by their newest item. */
export function groupActivity(items: ActivityItem[]): { folder: string; items: ActivityItem[] }[] {
  const groups = new Map<string, ActivityItem[]>();
  const sorted = [...items].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  for (const it of sorted) {
    const g = groups.get(it.folder);
    if (g) g.push(it);
    else groups.set(it.folder, [it]);
  }
  return [...groups].map(([folder, items]) => ({ folder, items }));
}

export function ActivityPage() {
  const { overview } = useApp();
  const now = useNow();
  const list = useLoad(() => ipc.activity(undefined, LIMIT), []);
  useEffect(() => ipc.onActivity((item) => list.setData((old) => [item, ...(old ?? [])].slice(0, LIMIT * 2))), []);
  const cloudOf = (folder: string) => overview?.folders.find((f) => f.id === folder)?.providerName ?? 'the cloud';

  return (
    <section>
      <PageHeader title="Activity" />
      <p class="lead">What the latest syncs copied and deleted, newest first. ↑ went to the cloud, ↓ came to this computer.</p>
      <ErrorText error={list.error} />
      {list.data === undefined && !list.error && <Loading what="activity" />}
      {list.data && list.data.length === 0 && <p class="muted card empty">Nothing was copied or deleted yet.</p>}
      {list.data &&
        groupActivity(list.data).map((g) => (
          <section class="card" key={g.folder} aria-labelledby={`act-${g.folder}`} data-testid={`activity-${g.folder}`}>
            <h2 id={`act-${g.folder}`}>{g.folder}</h2>
            <ul class="activity">
              {g.items.map((it, i) => {
                const up = it.direction === 'toRemote';
                const where = up ? cloudOf(it.folder) : 'this computer';
                const what = it.action === 'deleted' ? `Deleted on ${where}` : `Copied to ${where}`;
                return (
                  <li key={`${it.at}-${it.path}-${i}`} class={it.action === 'deleted' ? 'deleted' : undefined} title={what}>
                    <span class={`arrow ${up ? 'up' : 'down'}`} aria-label={what}>
                      {up ? '↑' : '↓'}
                    </span>
                    <span class="path">{it.path}</span>
                    {it.action === 'deleted' && <span class="badge tone-bad">deleted</span>}
                    {it.size != null && it.action !== 'deleted' && (
                      <span class="muted size">
                        <Size bytes={it.size} />
                      </span>
                    )}
                    <time class="muted when" dateTime={it.at} title={formatDateTime(it.at, now)}>
                      {timeAgo(it.at, now)}
                    </time>
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
    </section>
  );
}
