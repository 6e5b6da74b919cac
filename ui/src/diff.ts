// Rendering help for the line diff the app sends with a text conflict
// (ConflictPreview.diff, from this computer's version to the cloud's):
// long runs of unchanged lines fold into "N unchanged lines".

import type { DiffLine } from './types';

export type DiffRow =
  | { kind: 'line'; op: DiffLine['op']; text: string; localNo?: number; remoteNo?: number }
  | { kind: 'gap'; count: number };

export interface DiffStats {
  added: number;
  removed: number;
}

export function diffStats(diff: DiffLine[]): DiffStats {
  let added = 0;
  let removed = 0;
  for (const l of diff) {
    if (l.op === 'add') added++;
    else if (l.op === 'del') removed++;
  }
  return { added, removed };
}

/**
 * Numbers the lines on each side and keeps `context` unchanged lines around
 * each change; longer unchanged runs become one gap row. A run is folded only
 * when that hides at least two lines.
 */
export function foldDiff(diff: DiffLine[], context = 3): DiffRow[] {
  const numbered: Extract<DiffRow, { kind: 'line' }>[] = [];
  let localNo = 0;
  let remoteNo = 0;
  for (const l of diff) {
    if (l.op === 'same') numbered.push({ kind: 'line', op: l.op, text: l.text, localNo: ++localNo, remoteNo: ++remoteNo });
    else if (l.op === 'del') numbered.push({ kind: 'line', op: l.op, text: l.text, localNo: ++localNo });
    else numbered.push({ kind: 'line', op: l.op, text: l.text, remoteNo: ++remoteNo });
  }
  const keep = numbered.map(() => false);
  numbered.forEach((row, i) => {
    if (row.op === 'same') return;
    for (let j = Math.max(0, i - context); j <= Math.min(numbered.length - 1, i + context); j++) keep[j] = true;
  });
  const rows: DiffRow[] = [];
  let i = 0;
  while (i < numbered.length) {
    if (keep[i]) {
      rows.push(numbered[i]);
      i++;
      continue;
    }
    let j = i;
    while (j < numbered.length && !keep[j]) j++;
    const hidden = j - i;
    if (hidden >= 2) rows.push({ kind: 'gap', count: hidden });
    else rows.push(...numbered.slice(i, j));
    i = j;
  }
  return rows;
}
