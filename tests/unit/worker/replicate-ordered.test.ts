// Replicate (INTERSECT ALL / EXCEPT ALL copies) and ordered aggregates (ORDER BY inside a call,
// WITHIN GROUP) over several input batches, against plain per-row references.
import { describe, expect, it } from 'vitest';
import type { AggregateCall } from '../../../common/functions/aggregates.js';
import type { PhysicalNode } from '../../../common/plan/physical.js';
import { BIGINT, DOUBLE, INTEGER, VARCHAR } from '../../../common/types.js';
import { cols, run, runRows, values } from './helpers.js';

describe('replicate', () => {
  const schema = cols(['v', VARCHAR], ['n', BIGINT]);

  it('repeats each row n times (NULL or below 1: none), in batches of at most 65536 rows', async () => {
    const rows = [
      ['a', '3'],
      ['b', '0'],
      [null, '2'],
      ['c', null],
      ['d', '-4'],
      ['e', '70000'],
      ['f', '1'],
    ];
    const node: PhysicalNode = { kind: 'replicate', input: values(schema, rows), count: 1, output: schema };
    const batches = await run(node);
    expect(batches.every((b) => b.numRows <= 65536)).toBe(true);
    const counts = new Map<string | null, number>();
    let total = 0;
    for (const b of batches) {
      for (let i = 0; i < b.numRows; i++) {
        const v = b.getChildAt(0)!.get(i) as string | null;
        counts.set(v, (counts.get(v) ?? 0) + 1);
        total++;
      }
    }
    expect(total).toBe(3 + 2 + 70000 + 1);
    expect([...counts.entries()].sort()).toEqual(
      [
        ['a', 3],
        [null, 2],
        ['e', 70000],
        ['f', 1],
      ].sort(),
    );
  });
});

describe('ordered aggregates', () => {
  // g, s, y, v: many rows in several batches, group g = i % 7.
  const schema = cols(['g', INTEGER], ['s', VARCHAR], ['y', INTEGER], ['v', DOUBLE], ['sep', VARCHAR], ['f', DOUBLE]);
  const rows = Array.from({ length: 3000 }, (_, i) => [
    i % 7,
    i % 11 === 0 ? null : `s${(i * 7919) % 1000}`,
    i % 13 === 0 ? null : (i * 104729) % 500,
    i % 17 === 0 ? null : ((i * 31) % 997) / 4,
    ',',
    0.3,
  ]);
  const input: PhysicalNode = {
    kind: 'union_all',
    inputs: [
      values(schema, rows.slice(0, 1000)),
      values(schema, rows.slice(1000, 2200)),
      values(schema, rows.slice(2200)),
    ],
    output: schema,
  };
  const agg = (calls: AggregateCall[]): PhysicalNode => ({
    kind: 'aggregate',
    input,
    step: 'single',
    groupBy: [0],
    aggregates: calls,
    output: [{ name: 'g', type: INTEGER }, ...calls.map((c, i) => ({ name: `a${i}`, type: c.type }))],
  });
  const byGroup = (g: number) => rows.filter((r) => r[0] === g);

  it('string_agg ORDER BY y DESC NULLS LAST, s; DISTINCT ORDER BY; percentile_disc / percentile_cont / mode', async () => {
    const out = await runRows(
      agg([
        {
          fn: 'string_agg',
          args: [1, 4],
          argTypes: [VARCHAR, VARCHAR],
          distinct: false,
          orderBy: [
            { index: 2, ascending: false, nullsFirst: false },
            { index: 1, ascending: true, nullsFirst: false },
          ],
          type: VARCHAR,
        },
        {
          fn: 'string_agg',
          args: [1, 4],
          argTypes: [VARCHAR, VARCHAR],
          distinct: true,
          orderBy: [{ index: 1, ascending: false, nullsFirst: true }],
          type: VARCHAR,
        },
        {
          fn: 'percentile_disc',
          args: [3, 5],
          argTypes: [DOUBLE, DOUBLE],
          distinct: false,
          orderBy: [{ index: 3, ascending: true, nullsFirst: false }],
          type: DOUBLE,
        },
        {
          fn: 'percentile_cont',
          args: [3, 5],
          argTypes: [DOUBLE, DOUBLE],
          distinct: false,
          orderBy: [{ index: 3, ascending: false, nullsFirst: true }],
          type: DOUBLE,
        },
        {
          fn: 'mode',
          args: [2],
          argTypes: [INTEGER],
          distinct: false,
          orderBy: [{ index: 2, ascending: true, nullsFirst: false }],
          type: INTEGER,
        },
      ]),
    );
    expect(out.length).toBe(7);
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    for (const r of out) {
      const g = r[0] as number;
      const grp = byGroup(g);
      const withS = grp.filter((x) => x[1] !== null);
      const ordered = [...withS].sort((a, b) => {
        const ya = a[2] as number | null;
        const yb = b[2] as number | null;
        if (ya !== yb) {
          if (ya === null) return 1;
          if (yb === null) return -1;
          return yb - ya;
        }
        return cmp(a[1] as string, b[1] as string);
      });
      expect(r[1]).toBe(ordered.map((x) => x[1]).join(','));
      const distinct = [...new Set(withS.map((x) => x[1] as string))].sort(cmp).reverse();
      expect(r[2]).toBe(distinct.join(','));
      const vs = grp.map((x) => x[3] as number | null).filter((x): x is number => x !== null);
      const asc = [...vs].sort((a, b) => a - b);
      expect(r[3]).toBe(asc[Math.max(Math.ceil(0.3 * asc.length), 1) - 1]);
      const desc = [...asc].reverse();
      const at = 0.3 * (desc.length - 1);
      const lo = Math.floor(at);
      const hi = Math.ceil(at);
      expect(r[4]).toBeCloseTo(desc[lo]! + (at - lo) * (desc[hi]! - desc[lo]!), 9);
      const freq = new Map<number, number>();
      for (const x of grp) if (x[2] !== null) freq.set(x[2] as number, (freq.get(x[2] as number) ?? 0) + 1);
      const best = Math.max(...freq.values());
      expect(r[5]).toBe(Math.min(...[...freq.entries()].filter(([, c]) => c === best).map(([k]) => k)));
    }
  });
});
