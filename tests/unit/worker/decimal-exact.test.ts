// Long decimals computed on JS numbers while exact (|scaled value| < 2^53) and on BigInt beyond:
// every expected value here is computed with BigInt from the input digits, never from numbers.
import { describe, expect, it } from 'vitest';
import { schemaColumns } from '../../../common/arrow/schema.js';
import type { Expr, LiteralValue } from '../../../common/expr/expr.js';
import {
  type AggregateCall,
  type AggregateFn,
  aggregateResultType,
  aggregateStateTypes,
} from '../../../common/functions/aggregates.js';
import type { PhysicalNode } from '../../../common/plan/physical.js';
import { BOOLEAN, type ColumnSchema, type DataType, decimal, INTEGER } from '../../../common/types.js';
import { d128Get, d128Num, d128Set, d128SetNum } from '../../../worker/expressions/vector.js';
import { allRows, call, col, cols, lit, run, values } from './helpers.js';

const P53 = 2n ** 53n;
const SAFE = P53 - 1n;

/** Boundaries of the number form: 2^32 (word edge), 2^53 (float exactness), 2^63, 2^64, 10^37. */
const EDGES: bigint[] = [0n, 1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 32n + 1n, SAFE - 1n, SAFE, P53, P53 + 1n];
const BOUNDARY: bigint[] = [
  ...EDGES.flatMap((x) => [x, -x]),
  2n ** 63n - 1n,
  -(2n ** 63n),
  2n ** 64n + 5n,
  -(10n ** 37n) + 1n,
  10n ** 37n,
];

/** round(a / b) half away from zero, in BigInt. */
function divHalfAway(a: bigint, b: bigint): bigint {
  const q = a / b;
  const r = a % b;
  const neg = a < 0n !== b < 0n;
  const r2 = (r < 0n ? -r : r) * 2n;
  return r2 >= (b < 0n ? -b : b) ? q + (neg ? -1n : 1n) : q;
}

/** Deterministic pseudo-random integers. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

async function project(input: ColumnSchema[], rows: LiteralValue[][], exprs: Expr[]) {
  const output = exprs.map((e, i) => ({ name: `e${i}`, type: e.type }));
  const batches = await run({ kind: 'project', input: values(input, rows), exprs, output });
  return { rows: allRows(batches), types: batches.length ? schemaColumns(batches[0]!.schema).map((c) => c.type) : [] };
}

/** A kernel value of a decimal as BigInt (short decimals come back as numbers). */
function big(v: unknown): bigint | null {
  if (v === null) return null;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  throw new Error(`not a decimal value: ${String(v)}`);
}

describe('d128 number form', () => {
  it('reads a number exactly when |x| <= 2^53 - 1 and NaN beyond; writes numbers exactly', () => {
    const v = new Uint32Array(4);
    for (const x of BOUNDARY) {
      d128Set(v, 0, x);
      const n = d128Num(v, 0);
      if (x <= SAFE && x >= -SAFE) expect(BigInt(n)).toBe(x);
      else expect(n).toBeNaN();
      if (x <= SAFE && x >= -SAFE) {
        v.fill(0xabcdef01);
        d128SetNum(v, 0, Number(x));
        expect(d128Get(v, 0)).toBe(x);
      }
    }
    d128SetNum(v, 0, -0);
    expect(d128Get(v, 0)).toBe(0n);
  });
});

describe('long-decimal arithmetic', () => {
  it('products of short decimals on both sides of 2^53 equal the BigInt products', async () => {
    const t = decimal(15, 0);
    const pairs: [bigint, bigint][] = [
      [94906265n, 94906265n], // 9007199136250225 < 2^53
      [94906266n, 94906266n], // 9007199326062756 > 2^53
      [2n ** 26n, 2n ** 27n], // exactly 2^53
      [2n ** 26n, 2n ** 27n - 1n],
      [999999999999999n, 999999999999999n],
      [999999999999999n, 9n],
      [999999999999999n, 10n], // 9999999999999990: even, representable, but beyond 2^53
      [-94906265n, 94906265n],
      [-94906266n, 94906266n],
      [-999999999999999n, -999999999999999n],
      [0n, -5n],
      [-3n, 0n],
      [123456789n, 72957n], // 9007199...: just around the bound
      [123456789n, 72958n],
    ];
    const rnd = lcg(3);
    for (let i = 0; i < 300; i++) {
      const a = BigInt(Math.floor(rnd() * 2 ** 30)) * (rnd() < 0.5 ? -1n : 1n);
      const b = BigInt(Math.floor(rnd() * 2 ** (15 + rnd() * 20)));
      pairs.push([a, b]);
    }
    const product = call('multiply', decimal(30, 0), col(0, t), col(1, t));
    const { rows, types } = await project(
      cols(['a', t], ['b', t]),
      pairs.map(([a, b]) => [a.toString(), b.toString()]),
      [product],
    );
    expect(types[0]).toEqual(decimal(30, 0));
    rows.forEach((r, i) => {
      expect(big(r[0])).toBe(pairs[i]![0] * pairs[i]![1]);
    });
  });

  it('price * (1 - discount) * (1 + tax) in Trino types matches BigInt for small and huge prices', async () => {
    const d = decimal(15, 2);
    const one = lit('1', decimal(10, 0));
    const oneMinus = call('subtract', decimal(16, 2), one, col(1, d));
    const onePlus = call('add', decimal(16, 2), one, col(2, d));
    const disc = call('multiply', decimal(31, 4), col(0, d), oneMinus);
    const charge = call('multiply', decimal(38, 6), disc, onePlus);
    const rnd = lcg(11);
    const rows: [bigint, bigint, bigint][] = [
      [999999999999999n, 0n, 8n],
      [999999999999999n, -999999999999999n, 9999999n], // far beyond 2^53 at every step
      [-999999999999999n, 10n, -999999999999999n],
      [9007199254740n, 1n, 1n],
      [0n, 5n, 5n],
    ];
    for (let i = 0; i < 400; i++) {
      const price = BigInt(Math.floor(rnd() * 10 ** (3 + Math.floor(rnd() * 12))));
      rows.push([rnd() < 0.2 ? -price : price, BigInt(Math.floor(rnd() * 11)), BigInt(Math.floor(rnd() * 9))]);
    }
    const input: LiteralValue[][] = rows.map((r) => r.map((x) => x.toString()));
    input.push([null, '1', '2'], ['100', null, '2']);
    const out = await project(cols(['p', d], ['d', d], ['t', d]), input, [oneMinus, disc, charge]);
    rows.forEach(([p, dd, tt], i) => {
      const om = 100n - dd;
      expect(big(out.rows[i]![0])).toBe(om);
      expect(big(out.rows[i]![1])).toBe(p * om);
      expect(big(out.rows[i]![2])).toBe(p * om * (100n + tt));
    });
    expect(out.rows[rows.length]).toEqual([99n, null, null]);
    expect(out.rows[rows.length + 1]).toEqual([null, null, null]);
  });

  it('sums and differences with rescaled operands, long columns above and below 2^53', async () => {
    const s = decimal(15, 1);
    const l = decimal(20, 3);
    const longs = [0n, 1n, -1n, SAFE, -SAFE, P53, -P53, P53 + 1n, 10n ** 19n, -(10n ** 19n), 2n ** 60n + 7n];
    const shorts = [0n, 1n, -1n, 999999999999999n, -999999999999999n, 900719925474099n, -900719925474100n];
    const rows: [bigint, bigint][] = [];
    for (const a of shorts) for (const b of longs) rows.push([a, b]);
    // a * 100 lands near the opposite of b: an inexact scaled operand must not cancel into range
    rows.push([900719925474099n, -90071992547409900n + 3n], [-900719925474099n, 90071992547409901n]);
    const t = decimal(21, 3);
    const add = call('add', t, col(0, s), col(1, l));
    const sub = call('subtract', t, col(1, l), col(0, s));
    const out = await project(
      cols(['a', s], ['b', l]),
      rows.map(([a, b]) => [a.toString(), b.toString()]),
      [add, sub],
    );
    rows.forEach(([a, b], i) => {
      expect(big(out.rows[i]![0])).toBe(a * 100n + b);
      expect(big(out.rows[i]![1])).toBe(b - a * 100n);
    });
  });

  it('long products feed comparisons, division and products of long operands exactly', async () => {
    const t = decimal(15, 0);
    const l = decimal(25, 0);
    const prod = call('multiply', decimal(30, 0), col(0, t), col(1, t));
    const cmp = call('lt', BOOLEAN, prod, col(2, l));
    const quot = call('divide', decimal(30, 0), prod, col(0, t));
    const prod2 = call('multiply', decimal(38, 0), prod, col(2, l));
    const rows: [bigint, bigint, bigint][] = [
      [94906265n, 94906265n, 9007199136250226n],
      [94906266n, 94906266n, 9007199326062756n],
      [94906266n, 94906266n, 9007199326062757n],
      [-999999999999999n, 3n, -2999999999999996n],
      [7n, 11n, P53 + 1n],
      [7n, 11n, -(10n ** 24n)],
    ];
    const out = await project(
      cols(['a', t], ['b', t], ['c', l]),
      rows.map((r) => r.map((x) => x.toString())),
      [cmp, quot, prod2],
    );
    rows.forEach(([a, b, c], i) => {
      expect(out.rows[i]![0]).toBe(a * b < c);
      expect(big(out.rows[i]![1])).toBe(b);
      expect(big(out.rows[i]![2])).toBe(a * b * c);
    });
  });
});

function agg(fn: AggregateFn, arg: number, argType: DataType): AggregateCall {
  return { fn, args: [arg], argTypes: [argType], distinct: false, type: aggregateResultType(fn, argType) };
}

function aggNode(
  input: PhysicalNode,
  step: 'single' | 'partial' | 'final',
  groupBy: number[],
  aggregates: AggregateCall[],
): PhysicalNode {
  const keys = groupBy.map((k) => input.output[k]!);
  const aggCols: ColumnSchema[] =
    step === 'partial'
      ? aggregates.flatMap((a, i) =>
          aggregateStateTypes(a.fn, a.argTypes[0]).map((t, j) => ({ name: `s${i}_${j}`, type: t })),
        )
      : aggregates.map((a, i) => ({ name: `a${i}`, type: a.type }));
  return { kind: 'aggregate', input, step, groupBy, aggregates, output: [...keys, ...aggCols] };
}

/** partial -> final over the same input (the final step sums decimal(38,s) states). */
function twoStep(input: PhysicalNode, groupBy: number[], aggregates: AggregateCall[]): PhysicalNode {
  const partial = aggNode(input, 'partial', groupBy, aggregates);
  let pos = groupBy.length;
  const finals = aggregates.map((a) => {
    const f = { ...a, args: [pos] };
    pos += aggregateStateTypes(a.fn, a.argTypes[0]).length;
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

describe('sums of long decimals', () => {
  /** Group k -> values, mixing magnitudes around 2^53 and far beyond it, both signs. */
  function data(n: number, seed: number): { rows: LiteralValue[][]; sums: bigint[]; counts: bigint[] } {
    const rnd = lcg(seed);
    const sums = [0n, 0n, 0n];
    const counts = [0n, 0n, 0n];
    const rows: LiteralValue[][] = [];
    for (let i = 0; i < n; i++) {
      const k = Math.floor(rnd() * 3);
      const kind = rnd();
      let v: bigint;
      if (kind < 0.5)
        v = SAFE - BigInt(Math.floor(rnd() * 1000)); // each just below 2^53
      else if (kind < 0.7) v = -SAFE + BigInt(Math.floor(rnd() * 1000));
      else if (kind < 0.8)
        v = P53 + BigInt(Math.floor(rnd() * 1000)); // no number form
      else if (kind < 0.85) v = -(10n ** 25n) - BigInt(i);
      else v = BigInt(Math.floor(rnd() * 2 ** 40)) - 2n ** 39n;
      if (i % 97 === 0) {
        rows.push([k, null]);
        continue;
      }
      sums[k]! += v;
      counts[k]! += 1n;
      rows.push([k, v.toString()]);
    }
    return { rows, sums, counts };
  }

  it('sum and avg of decimal(30,2) per group, single step and partial -> final', async () => {
    const t = decimal(30, 2);
    const { rows, sums, counts } = data(30_000, 5);
    const input = values(cols(['k', INTEGER], ['v', t]), rows);
    const calls = [agg('sum', 1, t), agg('avg', 1, t)];
    for (const plan of [aggNode(input, 'single', [0], calls), twoStep(input, [0], calls)]) {
      const batches = await run(plan);
      expect(schemaColumns(batches[0]!.schema).map((c) => c.type)).toEqual([INTEGER, decimal(38, 2), t]);
      const got = new Map(allRows(batches).map((r) => [r[0], r]));
      for (let k = 0; k < 3; k++) {
        expect(got.get(k)![1]).toBe(sums[k]);
        expect(got.get(k)![2]).toBe(divHalfAway(sums[k]!, counts[k]!));
      }
    }
  });

  it('sum of products that cross 2^53 (project -> aggregate), result decimal(38,4)', async () => {
    const d = decimal(15, 2);
    const rnd = lcg(9);
    const rows: LiteralValue[][] = [];
    let expected = 0n;
    for (let i = 0; i < 20_000; i++) {
      const a = BigInt(Math.floor(rnd() * 10 ** (4 + Math.floor(rnd() * 11)))) * (rnd() < 0.3 ? -1n : 1n);
      const b = BigInt(Math.floor(rnd() * 10 ** (1 + Math.floor(rnd() * 14))));
      expected += a * b;
      rows.push([a.toString(), b.toString()]);
    }
    const prodType = decimal(30, 4);
    const prod: PhysicalNode = {
      kind: 'project',
      input: values(cols(['a', d], ['b', d]), rows),
      exprs: [call('multiply', prodType, col(0, d), col(1, d))],
      output: cols(['p', prodType]),
    };
    const batches = await run(twoStep(prod, [], [agg('sum', 0, prodType)]));
    expect(schemaColumns(batches[0]!.schema)[0]!.type).toEqual(decimal(38, 4));
    expect(allRows(batches)).toEqual([[expected]]);
  });

  it('sum of many decimal(15,2) values near the short maximum is decimal(38,2) and exact', async () => {
    const t = decimal(15, 2);
    const n = 5000;
    const rows: LiteralValue[][] = Array.from({ length: n }, (_, i) => [i % 2 ? '999999999999999' : '999999999999998']);
    const expected = 999999999999999n * BigInt(n / 2) + 999999999999998n * BigInt(n / 2);
    const batches = await run(twoStep(values(cols(['v', t]), rows), [], [agg('sum', 0, t)]));
    expect(schemaColumns(batches[0]!.schema)[0]!.type).toEqual(decimal(38, 2));
    expect(allRows(batches)).toEqual([[expected]]);
  });
});
