import { describe, expect, it } from 'vitest';
import { makeBatch } from '../../../common/arrow/batch.js';
import { SqlError } from '../../../common/errors.js';
import type { LiteralValue } from '../../../common/expr/expr.js';
import {
  type AggregateCall,
  type AggregateFn,
  aggregateResultType,
  aggregateStateTypes,
} from '../../../common/functions/aggregates.js';
import type { PhysicalNode } from '../../../common/plan/physical.js';
import { BIGINT, type ColumnSchema, type DataType, DOUBLE, decimal, INTEGER, VARCHAR } from '../../../common/types.js';
import { batchText, cols, run, runRows, testInputs, values } from './helpers.js';

function agg(fn: AggregateFn, arg: number | null, argType: DataType | null, distinct = false): AggregateCall {
  return {
    fn,
    args: arg === null ? [] : [arg],
    argTypes: argType ? [argType] : [],
    distinct,
    type: aggregateResultType(fn, argType ?? undefined),
  };
}

function aggNode(
  input: PhysicalNode,
  step: 'single' | 'partial' | 'final',
  groupBy: number[],
  aggregates: AggregateCall[],
): PhysicalNode {
  const inCols = input.output;
  const keys = groupBy.map((k) => inCols[k]!);
  const aggCols: ColumnSchema[] =
    step === 'partial'
      ? aggregates.flatMap((a, i) =>
          aggregateStateTypes(a.fn, a.argTypes[0]).map((t, j) => ({ name: `s${i}_${j}`, type: t })),
        )
      : aggregates.map((a, i) => ({ name: `a${i}`, type: a.type }));
  return { kind: 'aggregate', input, step, groupBy, aggregates, output: [...keys, ...aggCols] };
}

/** partial -> final over the same input; final's args point at the state columns. */
function twoStep(input: PhysicalNode, groupBy: number[], aggregates: AggregateCall[]): PhysicalNode {
  const partial = aggNode(input, 'partial', groupBy, aggregates);
  let pos = groupBy.length;
  const finals = aggregates.map((a) => {
    const width = aggregateStateTypes(a.fn, a.argTypes[0]).length;
    const f = { ...a, args: [pos] };
    pos += width;
    return f;
  });
  const node = aggNode(
    partial,
    'final',
    groupBy.map((_, i) => i),
    finals,
  );
  return { ...node, output: aggNode(input, 'single', groupBy, aggregates).output };
}

const sortText = (rows: (string | null)[][]) =>
  [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

const input = cols(['g', VARCHAR], ['k', INTEGER], ['x', INTEGER], ['d', decimal(10, 2)], ['f', DOUBLE]);
const rows: LiteralValue[][] = [
  ['a', 1, 10, '150', 1.5],
  ['a', 1, null, '-25', null],
  ['b', 2, 5, null, 2],
  [null, null, 7, '1', 4],
  ['a', 2, 10, '100', 0.5],
  [null, null, null, null, null],
  ['b', 2, 5, '3', 1],
];

/** Reference group-by written the obvious way. */
function reference(groupCols: number[]) {
  const groups = new Map<string, LiteralValue[][]>();
  for (const r of rows) {
    const key = JSON.stringify(groupCols.map((c) => r[c]));
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.entries()].map(([key, rs]) => {
    const xs = rs.map((r) => r[2]).filter((v) => v !== null) as number[];
    const ds = rs
      .map((r) => r[3])
      .filter((v) => v !== null)
      .map((v) => BigInt(v as string));
    const fs = rs.map((r) => r[4]).filter((v) => v !== null) as number[];
    const dsum = ds.reduce((a, b) => a + b, 0n);
    const fmtDec = (v: bigint) => {
      const neg = v < 0n;
      const s = (neg ? -v : v).toString().padStart(3, '0');
      return `${neg ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`;
    };
    const avgDec = ds.length
      ? (() => {
          const q = (dsum * 2n + (dsum >= 0n ? BigInt(ds.length) : -BigInt(ds.length))) / (2n * BigInt(ds.length));
          return fmtDec(q);
        })()
      : null;
    return [
      ...(JSON.parse(key) as LiteralValue[]).map((v) => (v === null ? null : String(v))),
      String(rs.length),
      String(xs.length),
      xs.length ? String(xs.reduce((a, b) => a + b, 0)) : null,
      ds.length ? fmtDec(dsum) : null,
      xs.length ? String(Math.min(...xs)) : null,
      xs.length ? String(Math.max(...xs)) : null,
      avgDec,
      fs.length ? String(fs.reduce((a, b) => a + b, 0) / fs.length) : null,
      String(new Set(xs).size),
    ];
  });
}

const calls = [
  agg('count_star', null, null),
  agg('count', 2, INTEGER),
  agg('sum', 2, INTEGER),
  agg('sum', 3, decimal(10, 2)),
  agg('min', 2, INTEGER),
  agg('max', 2, INTEGER),
  agg('avg', 3, decimal(10, 2)),
  agg('avg', 4, DOUBLE),
];

describe('aggregate', () => {
  it('single step with varchar and multi-column keys (NULL is a group) matches a reference', async () => {
    for (const groupBy of [[0], [0, 1], [1]]) {
      const all = [...calls, agg('count', 2, INTEGER, true)];
      const out = batchText(await run(aggNode(values(input, rows), 'single', groupBy, all)));
      expect(sortText(out)).toEqual(sortText(reference(groupBy)));
    }
  });

  it('partial -> final equals single', async () => {
    for (const groupBy of [[0], [0, 1], []]) {
      const single = batchText(await run(aggNode(values(input, rows), 'single', groupBy, calls)));
      // feed the partial step two batches through a remote source to exercise merging
      const half1 = rows.slice(0, 3);
      const half2 = rows.slice(3);
      const src: PhysicalNode = { kind: 'remote_source', fragmentId: 1, output: input };
      const { batchOf } = await import('./helpers.js');
      const inputs = testInputs({ remote: { 1: [batchOf(input, half1), batchOf(input, half2)] } });
      const twoStepOut = batchText(await run(twoStep(src, groupBy, calls), inputs));
      expect(sortText(twoStepOut)).toEqual(sortText(single));
    }
  });

  it('global aggregation on empty input yields one row (count 0, others NULL); grouped yields none', async () => {
    const empty = values(input, []);
    expect(batchText(await run(aggNode(empty, 'single', [], calls)))).toEqual([
      ['0', '0', null, null, null, null, null, null],
    ]);
    expect(await runRows(aggNode(empty, 'single', [0], calls))).toEqual([]);
    // partial emits one state row; final of that is the same single row
    const partial = await runRows(aggNode(empty, 'partial', [], calls));
    expect(partial.length).toBe(1);
    expect(batchText(await run(twoStep(empty, [], calls)))).toEqual([['0', '0', null, null, null, null, null, null]]);
  });

  it('sums 0.1 one million times exactly (decimal(38,1) result)', async () => {
    const n = 1_000_000;
    const t = decimal(12, 1);
    const schema = cols(['v', t]);
    const batches = [];
    for (let start = 0; start < n; start += 65536) {
      const len = Math.min(65536, n - start);
      batches.push(makeBatch(schema, len, [{ values: new Float64Array(len).fill(1), validity: null }]));
    }
    const src: PhysicalNode = { kind: 'remote_source', fragmentId: 1, output: schema };
    const out = await run(
      aggNode(src, 'single', [], [agg('sum', 0, t), agg('avg', 0, t)]),
      testInputs({ remote: { 1: batches } }),
    );
    expect(batchText(out)).toEqual([['100000.0', '0.1']]);
  });

  it('decimal sums stay exact near 2^53 per value', async () => {
    const t = decimal(15, 0);
    const big = '999999999999999';
    const out = batchText(
      await run(
        aggNode(
          values(
            cols(['v', t]),
            Array.from({ length: 20 }, () => [big]),
          ),
          'single',
          [],
          [agg('sum', 0, t)],
        ),
      ),
    );
    expect(out).toEqual([[(999999999999999n * 20n).toString()]]);
  });

  it('exact sums of large mixed-sign short decimals match a BigInt reference, per group', async () => {
    const t = decimal(15, 3);
    const n = 200_000;
    const keys = new Int32Array(n);
    const vals = new Float64Array(n);
    let seed = 7;
    const expected = [0n, 0n, 0n];
    for (let i = 0; i < n; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      keys[i] = seed % 3;
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const v = Math.floor((seed / 4294967296 - 0.3) * 2e14) * 5 + (i % 7);
      vals[i] = v;
      expected[keys[i]!]! += BigInt(v);
    }
    const schema = cols(['k', INTEGER], ['v', t]);
    const batch = makeBatch(schema, n, [
      { values: keys, validity: null },
      { values: vals, validity: null },
    ]);
    const src: PhysicalNode = { kind: 'remote_source', fragmentId: 1, output: schema };
    const out = await runRows(aggNode(src, 'single', [0], [agg('sum', 1, t)]), testInputs({ remote: { 1: [batch] } }));
    const got = new Map(out.map((r) => [r[0], r[1]]));
    for (let g = 0; g < 3; g++) expect(got.get(g)).toBe(expected[g]);
  });

  it('sum of bigint overflowing raises 22003', async () => {
    const node = aggNode(
      values(cols(['v', BIGINT]), [['9223372036854775807'], ['1']]),
      'single',
      [],
      [agg('sum', 0, BIGINT)],
    );
    await expect(run(node)).rejects.toSatisfy((e) => e instanceof SqlError && e.sqlState === '22003');
  });

  it('min/max over varchar and many groups (hash table growth)', async () => {
    const n = 5000;
    const vrows: LiteralValue[][] = Array.from({ length: n * 2 }, (_, i) => [i % n, `s${(i * 7919) % 10007}`]);
    const out = await runRows(
      aggNode(
        values(cols(['k', INTEGER], ['s', VARCHAR]), vrows),
        'single',
        [0],
        [agg('min', 1, VARCHAR), agg('max', 1, VARCHAR), agg('count_star', null, null)],
      ),
    );
    expect(out.length).toBe(n);
    const expected = new Map<number, string[]>();
    for (const [k, s] of vrows) expected.set(k as number, [...(expected.get(k as number) ?? []), s as string]);
    for (const [k, mn, mx, c] of out) {
      const ss = expected.get(k as number)!.sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1));
      expect([mn, mx, c]).toEqual([ss[0], ss[ss.length - 1], 2n]);
    }
  });
});
