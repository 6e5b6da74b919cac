import { describe, expect, it } from 'vitest';
import { diffStats, foldDiff } from '../src/diff';
import type { DiffLine } from '../src/types';

const same = (n: number, from = 1): DiffLine[] => Array.from({ length: n }, (_, i) => ({ op: 'same', text: `line ${from + i}` }));

describe('foldDiff', () => {
  it('keeps three lines of context and folds the rest, numbering both sides', () => {
    const diff: DiffLine[] = [...same(10), { op: 'del', text: 'old' }, { op: 'add', text: 'new' }, ...same(10, 11)];
    const rows = foldDiff(diff);
    expect(rows[0]).toEqual({ kind: 'gap', count: 7 });
    expect(rows.filter((r) => r.kind === 'line')).toHaveLength(3 + 2 + 3);
    expect(rows[rows.length - 1]).toEqual({ kind: 'gap', count: 7 });
    const del = rows.find((r) => r.kind === 'line' && r.op === 'del');
    const add = rows.find((r) => r.kind === 'line' && r.op === 'add');
    expect(del).toEqual({ kind: 'line', op: 'del', text: 'old', localNo: 11 });
    expect(add).toEqual({ kind: 'line', op: 'add', text: 'new', remoteNo: 11 });
  });

  it('does not fold a single line, and counts changes', () => {
    const diff: DiffLine[] = [...same(4), { op: 'add', text: 'x' }];
    expect(foldDiff(diff).every((r) => r.kind === 'line')).toBe(true);
    expect(diffStats([{ op: 'add', text: 'a' }, { op: 'del', text: 'b' }, { op: 'add', text: 'c' }, { op: 'same', text: '' }])).toEqual({
      added: 2,
      removed: 1,
    });
  });
});
