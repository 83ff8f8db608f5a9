import type { RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { SqlError } from '../../../common/errors.js';
import type { LiteralValue } from '../../../common/expr/expr.js';
import { decodeLiteral, divRoundHalfAway, type KernelValue } from '../../../common/expr/literal.js';
import { type AggregateFn, aggregateResultType } from '../../../common/functions/aggregates.js';
import type { PhysicalNode, SortKey, WindowCall, WindowFrame } from '../../../common/plan/physical.js';
import { BIGINT, type ColumnSchema, type DataType, DOUBLE, decimal, INTEGER, VARCHAR } from '../../../common/types.js';
import { allRows, batchOf, cols, type Row, run, runRows, testInputs, values } from './helpers.js';

// ---- data ----

const SCHEMA = cols(
  ['id', INTEGER],
  ['p', INTEGER],
  ['o', INTEGER],
  ['x', INTEGER],
  ['d', decimal(12, 2)],
  ['D', decimal(25, 3)],
  ['f', DOUBLE],
  ['s', VARCHAR],
  ['b', BIGINT],
  ['two', INTEGER],
  ['def', INTEGER],
  ['three', INTEGER],
);
const TYPES = SCHEMA.map((c) => c.type);
const [ID, P, O, X, D, DL, F, S, B, TWO, DEF, THREE] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function makeRows(n: number, seed: number): LiteralValue[][] {
  const r = lcg(seed);
  const maybe = <T extends LiteralValue>(v: T, pNull: number): T | null => (r() < pNull ? null : v);
  const rows: LiteralValue[][] = [];
  for (let i = 0; i < n; i++) {
    rows.push([
      i,
      maybe(Math.floor(r() * 4), 0.15),
      maybe(Math.floor(r() * 6), 0.1),
      maybe(Math.floor(r() * 2001) - 1000, 0.2),
      maybe(Math.floor(r() * 2e6) - 1e6, 0.2),
      maybe(`${BigInt(Math.floor(r() * 1e9)) * 1000000000007n - 500000000000000000n}`, 0.2),
      maybe(Math.floor(r() * 400 - 200) / 4, 0.2),
      maybe(String.fromCharCode(97 + Math.floor(r() * 26), 97 + Math.floor(r() * 26)), 0.2),
      maybe(`${Math.floor(r() * 1e12) - 5e11}`, 0.2),
      2,
      -7,
      3,
    ]);
  }
  return rows;
}

// ---- reference implementation (plain, per row) ----

type KRow = KernelValue[];

function cmpValue(a: KernelValue, b: KernelValue): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

function cmpKey(a: KernelValue, b: KernelValue, k: SortKey): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === k.nullsFirst ? -1 : 1;
  }
  const c = cmpValue(a, b);
  return k.ascending ? c : -c;
}

interface RefContext {
  readonly part: KRow[];
  readonly k: number;
  readonly peer: (i: number, j: number) => boolean;
  readonly order: readonly SortKey[];
}

/** Expected value per id: partitions by equality (NULL = NULL), rows sorted by `order` within. */
function reference(
  rows: KRow[],
  partitionBy: number[],
  order: SortKey[],
  compute: (c: RefContext) => KernelValue,
): Map<number, KernelValue> {
  const groups = new Map<string, KRow[]>();
  for (const r of rows) {
    const key = JSON.stringify(partitionBy.map((c) => String(r[c])));
    let g = groups.get(key);
    if (!g) {
      g = [];
      groups.set(key, g);
    }
    g.push(r);
  }
  const out = new Map<number, KernelValue>();
  for (const g of groups.values()) {
    const part = [...g].sort((a, b) => {
      for (const k of order) {
        const c = cmpKey(a[k.index]!, b[k.index]!, k);
        if (c !== 0) return c;
      }
      return 0;
    });
    const peer = (i: number, j: number) => order.every((k) => cmpKey(part[i]![k.index]!, part[j]![k.index]!, k) === 0);
    for (let k = 0; k < part.length; k++) out.set(part[k]![ID] as number, compute({ part, k, peer, order }));
  }
  return out;
}

/** Peer group number of each row of a sorted partition (GROUPS frames). */
const groupNumbers = new WeakMap<KRow[], number[]>();

/** Positions of the frame of row k, by the definition. */
function frameOf(c: RefContext, f: WindowFrame): number[] {
  const { part, k, peer } = c;
  const out: number[] = [];
  for (let j = 0; j < part.length; j++) {
    let ok: boolean;
    if (f.mode === 'rows') {
      const pos = (b: WindowFrame['start']) =>
        b.kind === 'unbounded_preceding'
          ? Number.NEGATIVE_INFINITY
          : b.kind === 'unbounded_following'
            ? Number.POSITIVE_INFINITY
            : b.kind === 'current_row'
              ? k
              : b.kind === 'preceding'
                ? k - b.offset
                : k + b.offset;
      ok = j >= pos(f.start) && j <= pos(f.end);
    } else if (f.mode === 'groups') {
      // Peer group numbers of j and k, compared like ROWS positions.
      let groups = groupNumbers.get(part);
      if (!groups) {
        groups = [0];
        for (let q = 1; q < part.length; q++) groups.push(groups[q - 1]! + (peer(q - 1, q) ? 0 : 1));
        groupNumbers.set(part, groups);
      }
      const gj = groups[j]!;
      const gk = groups[k]!;
      const pos = (b: WindowFrame['start']) =>
        b.kind === 'unbounded_preceding'
          ? Number.NEGATIVE_INFINITY
          : b.kind === 'unbounded_following'
            ? Number.POSITIVE_INFINITY
            : b.kind === 'current_row'
              ? gk
              : b.kind === 'preceding'
                ? gk - b.offset
                : gk + b.offset;
      ok = gj >= pos(f.start) && gj <= pos(f.end);
    } else {
      ok = rangeAfterStart(c, f.start, j) && rangeBeforeEnd(c, f.end, j);
    }
    if (ok) out.push(j);
  }
  return out;
}

/** RANGE: the key of row i of the partition as a number (offsets are in the key's units). */
function rangeKeyOf(c: RefContext, i: number): number | null {
  const v = c.part[i]![c.order[0]!.index]!;
  return v === null ? null : Number(v);
}

/**
 * RANGE bound by definition: UNBOUNDED / CURRENT ROW (peers); with an offset, a NULL current
 * row frames with its NULL peers, a non-NULL one compares keys (NULL rows count as before the
 * start / after the end on the side the NULLs sort to).
 */
function rangeAfterStart(c: RefContext, b: WindowFrame['start'], j: number): boolean {
  const { k, peer } = c;
  if (b.kind === 'unbounded_preceding') return true;
  if (b.kind === 'unbounded_following') return false;
  const cur = rangeKeyOf(c, k);
  if (b.kind === 'current_row' || cur === null) return j >= k || peer(j, k);
  const key = c.order[0]!;
  const v = rangeKeyOf(c, j);
  if (v === null) return !key.nullsFirst;
  const d = (b.kind === 'following') === key.ascending ? b.offset : -b.offset;
  return key.ascending ? v >= cur + d : v <= cur + d;
}

function rangeBeforeEnd(c: RefContext, b: WindowFrame['end'], j: number): boolean {
  const { k, peer } = c;
  if (b.kind === 'unbounded_following') return true;
  if (b.kind === 'unbounded_preceding') return false;
  const cur = rangeKeyOf(c, k);
  if (b.kind === 'current_row' || cur === null) return j <= k || peer(j, k);
  const key = c.order[0]!;
  const v = rangeKeyOf(c, j);
  if (v === null) return key.nullsFirst;
  const d = (b.kind === 'following') === key.ascending ? b.offset : -b.offset;
  return key.ascending ? v <= cur + d : v >= cur + d;
}

function refAggregate(fn: AggregateFn, arg: number, argType: DataType, c: RefContext, f: WindowFrame): KernelValue {
  const frame = frameOf(c, f);
  if (fn === 'count_star') return BigInt(frame.length);
  const vs = frame.map((j) => c.part[j]![arg]!).filter((v) => v !== null);
  if (fn === 'count') return BigInt(vs.length);
  if (vs.length === 0) return null;
  switch (fn) {
    case 'min':
      return vs.reduce((a, b) => (cmpValue(a, b) <= 0 ? a : b));
    case 'max':
      return vs.reduce((a, b) => (cmpValue(a, b) >= 0 ? a : b));
    case 'sum':
    case 'avg': {
      if (argType.kind === 'double') {
        const s = (vs as number[]).reduce((a, b) => a + b, 0);
        return fn === 'sum' ? s : s / vs.length;
      }
      const s = vs.reduce<bigint>((a, b) => a + BigInt(b as number | bigint), 0n);
      if (fn === 'sum') return s;
      if (argType.kind === 'decimal') {
        const q = divRoundHalfAway(s, BigInt(vs.length));
        return argType.precision <= 15 ? Number(q) : q;
      }
      return Number(s) / vs.length;
    }
    default:
      throw new Error(`no reference for window ${fn}`);
  }
}

// ---- plan helpers ----

const RANGE_RUNNING: WindowFrame = {
  mode: 'range',
  start: { kind: 'unbounded_preceding' },
  end: { kind: 'current_row' },
};
const WHOLE: WindowFrame = {
  mode: 'rows',
  start: { kind: 'unbounded_preceding' },
  end: { kind: 'unbounded_following' },
};

function call(fn: string, args: number[], type: DataType, frame: WindowFrame = RANGE_RUNNING): WindowCall {
  return { fn, args, argTypes: args.map((a) => TYPES[a]!), frame, type };
}
function aggCall(fn: AggregateFn, arg: number | null, frame: WindowFrame): WindowCall {
  const argType = arg === null ? undefined : TYPES[arg];
  return call(fn, arg === null ? [] : [arg], aggregateResultType(fn, argType), frame);
}

function windowNode(
  input: PhysicalNode,
  partitionBy: number[],
  orderBy: SortKey[],
  functions: WindowCall[],
): PhysicalNode {
  const output: ColumnSchema[] = [...input.output, ...functions.map((f, i) => ({ name: `w${i}`, type: f.type }))];
  return { kind: 'window', input, partitionBy, orderBy, functions, output };
}

function toKernel(rows: LiteralValue[][]): KRow[] {
  return rows.map((r) => r.map((v, j) => decodeLiteral(v, TYPES[j]!)));
}

function byId(out: Row[]): Map<number, Row> {
  return new Map(out.map((r) => [r[ID] as number, r]));
}

/** Checks every function column against its reference, and the input columns pass through. */
function expectMatches(
  out: Row[],
  krows: KRow[],
  partitionBy: number[],
  order: SortKey[],
  refs: ((c: RefContext) => KernelValue)[],
  names: string[],
): void {
  expect(out.length).toBe(krows.length);
  const got = byId(out);
  for (const r of krows) expect(got.get(r[ID] as number)!.slice(0, r.length)).toEqual(r);
  refs.forEach((ref, j) => {
    const want = reference(krows, partitionBy, order, ref);
    const mismatches: string[] = [];
    for (const [id, v] of want) {
      const g = got.get(id)![krows[0]!.length + j];
      if (g !== v && !(typeof g === 'number' && typeof v === 'number' && Object.is(g, v))) {
        mismatches.push(`id ${id}: got ${String(g)} want ${String(v)}`);
      }
    }
    expect(mismatches.slice(0, 5), names[j]).toEqual([]);
  });
}

const AGG_COLUMNS: [number, AggregateFn[]][] = [
  [X, ['count', 'sum', 'avg', 'min', 'max']],
  [D, ['count', 'sum', 'avg', 'min', 'max']],
  [DL, ['sum', 'avg', 'min', 'max']],
  [F, ['sum', 'avg', 'min', 'max']],
  [S, ['count', 'min', 'max']],
  [B, ['sum', 'avg', 'min', 'max']],
];

function aggregateCases(frame: WindowFrame): { calls: WindowCall[]; refs: ((c: RefContext) => KernelValue)[] } {
  const calls: WindowCall[] = [aggCall('count_star', null, frame)];
  const refs: ((c: RefContext) => KernelValue)[] = [(c) => refAggregate('count_star', -1, INTEGER, c, frame)];
  for (const [col, fns] of AGG_COLUMNS) {
    for (const fn of fns) {
      calls.push(aggCall(fn, col, frame));
      refs.push((c) => refAggregate(fn, col, TYPES[col]!, c, frame));
    }
  }
  return { calls, refs };
}

// ---- tests ----

describe('window operator', () => {
  const rows = makeRows(400, 7);
  const krows = toKernel(rows);
  const input = values(SCHEMA, rows);

  it('ranks with peers (rank, dense_rank, percent_rank, cume_dist), partitions with NULL keys', async () => {
    const order: SortKey[] = [{ index: O, ascending: true, nullsFirst: false }];
    const calls = [
      call('rank', [], BIGINT),
      call('dense_rank', [], BIGINT),
      call('percent_rank', [], DOUBLE),
      call('cume_dist', [], DOUBLE),
    ];
    const rankOf = (c: RefContext) => {
      let j = c.k;
      while (j > 0 && c.peer(j - 1, c.k)) j--;
      return j;
    };
    const refs = [
      (c: RefContext) => BigInt(rankOf(c) + 1),
      (c: RefContext) => {
        let groups = 1;
        for (let j = 1; j <= rankOf(c); j++) if (!c.peer(j - 1, j)) groups++;
        return BigInt(groups);
      },
      (c: RefContext) => (c.part.length === 1 ? 0 : rankOf(c) / (c.part.length - 1)),
      (c: RefContext) => {
        let j = c.k;
        while (j + 1 < c.part.length && c.peer(j + 1, c.k)) j++;
        return (j + 1) / c.part.length;
      },
    ];
    const out = await runRows(windowNode(input, [P], order, calls));
    expectMatches(
      out,
      krows,
      [P],
      order,
      refs,
      calls.map((c) => c.fn),
    );
    // NULL partition keys form one partition: its row_count is the number of NULL-keyed rows.
    const nullRows = krows.filter((r) => r[P] === null).length;
    expect(nullRows).toBeGreaterThan(0);
    const cd = out.filter((r) => r[P] === null).map((r) => r[SCHEMA.length + 3] as number);
    expect(Math.max(...cd)).toBe(1);
    expect(Math.min(...cd)).toBeGreaterThanOrEqual(1 / nullRows);
  });

  const frames: [string, WindowFrame, SortKey[]][] = [
    [
      'RANGE UNBOUNDED PRECEDING .. CURRENT ROW (peers)',
      RANGE_RUNNING,
      [{ index: O, ascending: true, nullsFirst: true }],
    ],
    [
      'RANGE CURRENT ROW .. UNBOUNDED FOLLOWING',
      { mode: 'range', start: { kind: 'current_row' }, end: { kind: 'unbounded_following' } },
      [{ index: O, ascending: false, nullsFirst: false }],
    ],
    [
      'RANGE CURRENT ROW .. CURRENT ROW',
      { mode: 'range', start: { kind: 'current_row' }, end: { kind: 'current_row' } },
      [{ index: O, ascending: true, nullsFirst: false }],
    ],
    ['whole partition', WHOLE, [{ index: O, ascending: true, nullsFirst: false }]],
    [
      'ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING',
      { mode: 'rows', start: { kind: 'preceding', offset: 2 }, end: { kind: 'following', offset: 1 } },
      [
        { index: O, ascending: false, nullsFirst: true },
        { index: ID, ascending: true, nullsFirst: false },
      ],
    ],
    [
      'ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING',
      { mode: 'rows', start: { kind: 'preceding', offset: 3 }, end: { kind: 'preceding', offset: 1 } },
      [{ index: ID, ascending: true, nullsFirst: false }],
    ],
    [
      'ROWS BETWEEN 1 FOLLOWING AND 4 FOLLOWING',
      { mode: 'rows', start: { kind: 'following', offset: 1 }, end: { kind: 'following', offset: 4 } },
      [{ index: ID, ascending: false, nullsFirst: false }],
    ],
    [
      'ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW',
      { mode: 'rows', start: { kind: 'unbounded_preceding' }, end: { kind: 'current_row' } },
      [
        { index: O, ascending: true, nullsFirst: false },
        { index: ID, ascending: true, nullsFirst: false },
      ],
    ],
    [
      'ROWS BETWEEN CURRENT ROW AND 5 FOLLOWING',
      { mode: 'rows', start: { kind: 'current_row' }, end: { kind: 'following', offset: 5 } },
      [{ index: ID, ascending: true, nullsFirst: false }],
    ],
  ];
  const offsetFrames: [string, WindowFrame, SortKey[]][] = [
    [
      'RANGE BETWEEN 200 PRECEDING AND 150 FOLLOWING (integer key, NULLS LAST)',
      { mode: 'range', start: { kind: 'preceding', offset: 200 }, end: { kind: 'following', offset: 150 } },
      [{ index: X, ascending: true, nullsFirst: false }],
    ],
    [
      'RANGE BETWEEN 1 FOLLOWING AND 300 FOLLOWING (integer key DESC, NULLS FIRST)',
      { mode: 'range', start: { kind: 'following', offset: 1 }, end: { kind: 'following', offset: 300 } },
      [{ index: X, ascending: false, nullsFirst: true }],
    ],
    [
      'RANGE BETWEEN UNBOUNDED PRECEDING AND 100 PRECEDING (NULLS FIRST)',
      { mode: 'range', start: { kind: 'unbounded_preceding' }, end: { kind: 'preceding', offset: 100 } },
      [{ index: X, ascending: true, nullsFirst: true }],
    ],
    [
      'RANGE BETWEEN 100 PRECEDING AND UNBOUNDED FOLLOWING (DESC, NULLS LAST)',
      { mode: 'range', start: { kind: 'preceding', offset: 100 }, end: { kind: 'unbounded_following' } },
      [{ index: X, ascending: false, nullsFirst: false }],
    ],
    [
      'RANGE BETWEEN 12.5 PRECEDING AND CURRENT ROW (double key)',
      { mode: 'range', start: { kind: 'preceding', offset: 12.5 }, end: { kind: 'current_row' } },
      [{ index: F, ascending: true, nullsFirst: false }],
    ],
    [
      'RANGE BETWEEN CURRENT ROW AND 0.25 FOLLOWING (double key DESC)',
      { mode: 'range', start: { kind: 'current_row' }, end: { kind: 'following', offset: 0.25 } },
      [{ index: F, ascending: false, nullsFirst: true }],
    ],
    [
      'RANGE BETWEEN 50000 PRECEDING AND 50000.5 FOLLOWING (decimal key, scaled units)',
      { mode: 'range', start: { kind: 'preceding', offset: 50000 }, end: { kind: 'following', offset: 50000.5 } },
      [{ index: D, ascending: false, nullsFirst: false }],
    ],
    [
      'RANGE BETWEEN 100000000000 PRECEDING AND 1 PRECEDING (bigint key)',
      { mode: 'range', start: { kind: 'preceding', offset: 1e11 }, end: { kind: 'preceding', offset: 1 } },
      [{ index: B, ascending: true, nullsFirst: true }],
    ],
    [
      'GROUPS BETWEEN 1 PRECEDING AND 2 FOLLOWING',
      { mode: 'groups', start: { kind: 'preceding', offset: 1 }, end: { kind: 'following', offset: 2 } },
      [{ index: O, ascending: true, nullsFirst: false }],
    ],
    [
      'GROUPS BETWEEN 2 FOLLOWING AND UNBOUNDED FOLLOWING (DESC)',
      { mode: 'groups', start: { kind: 'following', offset: 2 }, end: { kind: 'unbounded_following' } },
      [{ index: O, ascending: false, nullsFirst: true }],
    ],
    [
      'GROUPS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING (two keys)',
      { mode: 'groups', start: { kind: 'unbounded_preceding' }, end: { kind: 'preceding', offset: 1 } },
      [
        { index: O, ascending: true, nullsFirst: true },
        { index: TWO, ascending: true, nullsFirst: true },
      ],
    ],
  ];
  for (const [name, frame, order] of offsetFrames) {
    it(`aggregates and frame values over ${name}`, async () => {
      const { calls, refs } = aggregateCases(frame);
      const nav = [call('first_value', [S], VARCHAR, frame), call('last_value', [X], INTEGER, frame)];
      const navRefs = [
        (c: RefContext) => {
          const fr = frameOf(c, frame);
          return fr.length === 0 ? null : c.part[fr[0]!]![S]!;
        },
        (c: RefContext) => {
          const fr = frameOf(c, frame);
          return fr.length === 0 ? null : c.part[fr[fr.length - 1]!]![X]!;
        },
      ];
      const out = await runRows(windowNode(input, [P], order, [...calls, ...nav]));
      expectMatches(
        out,
        krows,
        [P],
        order,
        [...refs, ...navRefs],
        [...calls, ...nav].map((c) => `${c.fn}(${c.args.join(',')})`),
      );
    });
  }

  it('RANGE offsets of +Infinity over doubles, and negative offsets fail with 22013', async () => {
    const inf: WindowFrame = {
      mode: 'range',
      start: { kind: 'preceding', offset: 0, infinite: true },
      end: { kind: 'current_row' },
    };
    const order: SortKey[] = [{ index: F, ascending: true, nullsFirst: false }];
    const out = await runRows(windowNode(input, [P], order, [aggCall('count_star', null, inf)]));
    const running: WindowFrame = {
      mode: 'range',
      start: { kind: 'unbounded_preceding' },
      end: { kind: 'current_row' },
    };
    const want = await runRows(windowNode(input, [P], order, [aggCall('count_star', null, running)]));
    const base = SCHEMA.length;
    // Non-NULL keys: everything before (NULLs sort last); NULL keys: their peers only.
    const wantById = byId(want);
    for (const r of out) {
      const id = r[ID] as number;
      const expected =
        r[F] === null ? krows.filter((k) => k[P] === r[P] && k[F] === null).length : Number(wantById.get(id)![base]);
      expect(Number(r[base])).toBe(expected);
    }
    for (const mode of ['rows', 'range', 'groups'] as const) {
      const bad: WindowFrame = { mode, start: { kind: 'preceding', offset: -1 }, end: { kind: 'current_row' } };
      await expect(runRows(windowNode(input, [P], order, [aggCall('count_star', null, bad)]))).rejects.toMatchObject({
        sqlState: '22013',
      });
    }
  });

  for (const [name, frame, order] of frames) {
    it(`aggregates over ${name}`, async () => {
      const { calls, refs } = aggregateCases(frame);
      const out = await runRows(windowNode(input, [P], order, calls));
      expectMatches(
        out,
        krows,
        [P],
        order,
        refs,
        calls.map((c) => `${c.fn}(${c.args.join(',')})`),
      );
    });
  }

  it('row_number, ntile, lag/lead with offsets and defaults, first/last/nth_value', async () => {
    const order: SortKey[] = [
      { index: O, ascending: false, nullsFirst: true },
      { index: ID, ascending: true, nullsFirst: false },
    ];
    const rows2: WindowFrame = {
      mode: 'rows',
      start: { kind: 'preceding', offset: 2 },
      end: { kind: 'following', offset: 1 },
    };
    const calls = [
      call('row_number', [], BIGINT),
      call('ntile', [THREE], BIGINT),
      call('lag', [X], INTEGER),
      call('lead', [X], INTEGER),
      call('lag', [X, TWO, DEF], INTEGER),
      call('lead', [S, TWO], VARCHAR),
      call('lead', [DL, TWO], decimal(25, 3)),
      call('first_value', [S], VARCHAR, rows2),
      call('last_value', [X], INTEGER, rows2),
      call('nth_value', [D, TWO], decimal(12, 2), rows2),
      call('first_value', [X], INTEGER, RANGE_RUNNING),
      call('last_value', [DL], decimal(25, 3), WHOLE),
      call('nth_value', [X, THREE], INTEGER, WHOLE),
    ];
    const at = (c: RefContext, j: number, col: number, dflt: KernelValue = null) =>
      j >= 0 && j < c.part.length ? c.part[j]![col]! : dflt;
    const inFrame = (c: RefContext, f: WindowFrame, nth: number, col: number, last = false) => {
      const fr = frameOf(c, f);
      const j = last ? fr[fr.length - 1] : fr[nth - 1];
      return j === undefined ? null : c.part[j]![col]!;
    };
    const refs = [
      (c: RefContext) => BigInt(c.k + 1),
      (c: RefContext) => {
        const n = c.part.length;
        const per = Math.floor(n / 3);
        const rem = n % 3;
        // bucket sizes: rem buckets of per+1, then per
        let start = 0;
        for (let b = 1; b <= 3; b++) {
          const size = per + (b <= rem ? 1 : 0);
          if (c.k < start + size) return BigInt(b);
          start += size;
        }
        return null;
      },
      (c: RefContext) => at(c, c.k - 1, X),
      (c: RefContext) => at(c, c.k + 1, X),
      (c: RefContext) => at(c, c.k - 2, X, -7),
      (c: RefContext) => at(c, c.k + 2, S),
      (c: RefContext) => at(c, c.k + 2, DL),
      (c: RefContext) => inFrame(c, rows2, 1, S),
      (c: RefContext) => inFrame(c, rows2, 0, X, true),
      (c: RefContext) => inFrame(c, rows2, 2, D),
      (c: RefContext) => inFrame(c, RANGE_RUNNING, 1, X),
      (c: RefContext) => inFrame(c, WHOLE, 0, DL, true),
      (c: RefContext) => inFrame(c, WHOLE, 3, X),
    ];
    const out = await runRows(windowNode(input, [P], order, calls));
    expectMatches(
      out,
      krows,
      [P],
      order,
      refs,
      calls.map((c) => `${c.fn}(${c.args.join(',')})`),
    );
  });

  it('without PARTITION BY and ORDER BY: one partition, all rows peers', async () => {
    const calls = [
      call('rank', [], BIGINT),
      call('row_number', [], BIGINT),
      aggCall('sum', X, RANGE_RUNNING),
      aggCall('count_star', null, RANGE_RUNNING),
    ];
    const out = await runRows(windowNode(input, [], [], calls));
    const n = rows.length;
    const base = SCHEMA.length;
    expect(out.every((r) => r[base] === 1n)).toBe(true);
    expect(out.map((r) => Number(r[base + 1])).sort((a, b) => a - b)).toEqual(
      Array.from({ length: n }, (_, i) => i + 1),
    );
    const total = krows.reduce((a, r) => a + (r[X] === null ? 0n : BigInt(r[X] as number)), 0n);
    expect(out.every((r) => r[base + 2] === total && r[base + 3] === BigInt(n))).toBe(true);
  });

  it('empty input gives no rows', async () => {
    const out = await run(windowNode(values(SCHEMA, []), [P], [], [call('row_number', [], BIGINT)]));
    expect(allRows(out)).toEqual([]);
  });

  it('empty frames give NULL, count 0', async () => {
    const frame: WindowFrame = {
      mode: 'rows',
      start: { kind: 'following', offset: 1 },
      end: { kind: 'preceding', offset: 1 },
    };
    const out = await runRows(
      windowNode(
        input,
        [P],
        [{ index: ID, ascending: true, nullsFirst: false }],
        [
          aggCall('count', X, frame),
          aggCall('sum', D, frame),
          aggCall('max', S, frame),
          call('first_value', [X], INTEGER, frame),
        ],
      ),
    );
    const base = SCHEMA.length;
    expect(
      out.every((r) => r[base] === 0n && r[base + 1] === null && r[base + 2] === null && r[base + 3] === null),
    ).toBe(true);
  });
});

describe('window operator: decimals', () => {
  const dschema = cols(['id', INTEGER], ['p', INTEGER], ['d', decimal(15, 0)], ['D', decimal(38, 2)]);
  const dtypes = dschema.map((c) => c.type);
  const node = (rows: LiteralValue[][], fns: WindowCall[]): PhysicalNode => ({
    kind: 'window',
    input: values(dschema, rows),
    partitionBy: [1],
    orderBy: [{ index: 0, ascending: true, nullsFirst: false }],
    functions: fns,
    output: [...dschema, ...fns.map((f, i) => ({ name: `w${i}`, type: f.type }))],
  });
  const dcall = (fn: AggregateFn, arg: number, frame: WindowFrame): WindowCall => ({
    fn,
    args: [arg],
    argTypes: [dtypes[arg]!],
    frame,
    type: aggregateResultType(fn, dtypes[arg]),
  });

  it('sums short decimals exactly past 2^53, long decimals past 2^64; avg rounds half away from zero', async () => {
    const max = 999_999_999_999_999; // 10^15 - 1
    const rows: LiteralValue[][] = [];
    for (let i = 0; i < 40; i++) rows.push([i, 0, max - i, `${10n ** 35n + BigInt(i)}`]);
    rows.push([100, 1, 1, '-1'], [101, 1, 2, '-2'], [102, 1, null, null]);
    const fns = [
      dcall('sum', 2, RANGE_RUNNING),
      dcall('avg', 2, RANGE_RUNNING),
      dcall('sum', 3, WHOLE),
      dcall('avg', 3, RANGE_RUNNING),
      dcall('sum', 2, { mode: 'rows', start: { kind: 'preceding', offset: 10 }, end: { kind: 'current_row' } }),
    ];
    const out = byId(await runRows(node(rows, fns)));
    let run = 0n;
    for (let i = 0; i < 40; i++) {
      run += BigInt(max - i);
      const r = out.get(i)!;
      expect(r[4]).toBe(run);
      expect(r[5]).toBe(Number(divRoundHalfAway(run, BigInt(i + 1))));
      expect(r[6]).toBe(40n * 10n ** 35n + 780n);
      let win = 0n;
      for (let j = Math.max(0, i - 10); j <= i; j++) win += BigInt(max - j);
      expect(r[8]).toBe(win);
    }
    // avg(1, 2) at scale 0 = 1.5 -> 2; avg(-1, -2) at scale 2 = -0.015 -> -0.02 (scaled -2)
    expect(out.get(101)![5]).toBe(2);
    expect(out.get(101)![7]).toBe(-2n);
    expect(out.get(102)![5]).toBe(2);
    expect(out.get(100)![4]).toBe(1n);
  });

  it('decimal(38) sum overflow is an error', async () => {
    const big = `${10n ** 37n * 9n}`;
    const rows: LiteralValue[][] = [
      [0, 0, 1, big],
      [1, 0, 1, big],
    ];
    await expect(runRows(node(rows, [dcall('sum', 3, WHOLE)]))).rejects.toBeInstanceOf(SqlError);
  });
});

describe('window operator: errors and sizes', () => {
  it('ntile(0) and RANGE with a negative offset are errors', async () => {
    const rows = makeRows(10, 3);
    const input = values(
      SCHEMA,
      rows.map((r) => r.map((v, j) => (j === THREE ? 0 : v))),
    );
    await expect(runRows(windowNode(input, [], [], [call('ntile', [THREE], BIGINT)]))).rejects.toBeInstanceOf(SqlError);
    const frame: WindowFrame = {
      mode: 'range',
      start: { kind: 'preceding', offset: -1 },
      end: { kind: 'current_row' },
    };
    await expect(
      runRows(windowNode(input, [], [{ index: O, ascending: true, nullsFirst: false }], [aggCall('sum', X, frame)])),
    ).rejects.toBeInstanceOf(SqlError);
  });

  it('many batches in, batches of at most 65536 rows out', async () => {
    const schema = cols(['id', INTEGER], ['v', INTEGER]);
    const n = 150_000;
    const batches: RecordBatch[] = [];
    for (let b = 0; b < 5; b++) {
      const rows: LiteralValue[][] = [];
      for (let i = b; i < n; i += 5) rows.push([i, (i * 7919) % 1000]);
      batches.push(batchOf(schema, rows));
    }
    const fns: WindowCall[] = [
      { fn: 'row_number', args: [], argTypes: [], frame: RANGE_RUNNING, type: BIGINT },
      { fn: 'sum', args: [1], argTypes: [INTEGER], frame: RANGE_RUNNING, type: BIGINT },
      {
        fn: 'max',
        args: [1],
        argTypes: [INTEGER],
        frame: { mode: 'rows', start: { kind: 'preceding', offset: 100 }, end: { kind: 'current_row' } },
        type: INTEGER,
      },
    ];
    const plan: PhysicalNode = {
      kind: 'window',
      input: { kind: 'remote_source', fragmentId: 1, output: schema },
      partitionBy: [],
      orderBy: [{ index: 0, ascending: true, nullsFirst: false }],
      functions: fns,
      output: [...schema, ...fns.map((f, i) => ({ name: `w${i}`, type: f.type }))],
    };
    const t0 = performance.now();
    const out = await run(plan, testInputs({ remote: { 1: batches } }));
    const ms = performance.now() - t0;
    expect(out.every((b) => b.numRows <= 65536)).toBe(true);
    const rows = byId(allRows(out));
    expect(rows.size).toBe(n);
    let sum = 0n;
    for (let i = 0; i < n; i++) {
      const r = rows.get(i)!;
      sum += BigInt((i * 7919) % 1000);
      expect(r[2]).toBe(BigInt(i + 1));
      if (r[3] !== sum) expect(r[3]).toBe(sum);
      if (i % 997 === 0) {
        let m = 0;
        for (let j = Math.max(0, i - 100); j <= i; j++) m = Math.max(m, (j * 7919) % 1000);
        expect(r[4]).toBe(m);
      }
    }
    expect(ms).toBeLessThan(20_000);
  });
});
