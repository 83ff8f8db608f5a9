import { describe, expect, it } from 'vitest';
import type { Expr, LiteralValue } from '../../../common/expr/expr.js';
import type { HashJoinType, JoinType, PhysicalNode } from '../../../common/plan/physical.js';
import { INTEGER, VARCHAR } from '../../../common/types.js';
import { batchText, cmp, col, cols, run, values } from './helpers.js';

const probeCols = cols(['pk', INTEGER], ['ps', VARCHAR], ['pv', INTEGER]);
const buildCols = cols(['bk', INTEGER], ['bs', VARCHAR], ['bv', INTEGER]);
const probeRows: LiteralValue[][] = [
  [1, 'a', 10],
  [2, 'b', 20],
  [2, 'b', 21],
  [null, 'a', 30],
  [4, null, 40],
  [5, 'e', 50],
];
const buildRows: LiteralValue[][] = [
  [2, 'b', 200],
  [2, 'x', 201],
  [1, 'a', 100],
  [null, 'a', 300],
  [6, 'f', 600],
  [4, null, 400],
];

type Row = LiteralValue[];
/** Reference join by nested loops; `on` decides a match (NULL keys never match). */
function referenceJoin(type: HashJoinType, on: (p: Row, b: Row) => boolean): (string | null)[][] {
  const t = (r: Row) => r.map((v) => (v === null ? null : String(v)));
  const nulls = (n: number) => Array.from({ length: n }, () => null);
  const out: (string | null)[][] = [];
  const buildMatched = new Set<number>();
  for (const p of probeRows) {
    let matched = false;
    buildRows.forEach((b, j) => {
      if (on(p, b)) {
        matched = true;
        buildMatched.add(j);
        if (outputFor(type).length === 6) out.push([...t(p), ...t(b)]);
      }
    });
    if (type === 'semi' && matched) out.push(t(p));
    if (type === 'anti' && !matched) out.push(t(p));
    if ((type === 'left' || type === 'full') && !matched) out.push([...t(p), ...nulls(3)]);
  }
  if (type === 'right' || type === 'full') {
    buildRows.forEach((b, j) => {
      if (!buildMatched.has(j)) out.push([...nulls(3), ...t(b)]);
    });
  }
  // Build rows with (right_semi) or without (right_anti) a match, build columns only.
  if (type === 'right_semi' || type === 'right_anti') {
    buildRows.forEach((b, j) => {
      if (buildMatched.has(j) === (type === 'right_semi')) out.push(t(b));
    });
  }
  return out;
}

const sorted = (rows: (string | null)[][]) =>
  [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const types: JoinType[] = ['inner', 'left', 'right', 'full', 'semi', 'anti'];
const hashTypes: HashJoinType[] = [...types, 'right_semi', 'right_anti'];

function outputFor(type: HashJoinType) {
  if (type === 'right_semi' || type === 'right_anti') return buildCols;
  return type === 'semi' || type === 'anti' ? probeCols : [...probeCols, ...buildCols];
}

/** A hash join of `probe` and `build` rows on their first column (integer keys). */
function keyJoin(joinType: HashJoinType, probe: LiteralValue[][], build: LiteralValue[][]): PhysicalNode {
  return {
    kind: 'hash_join',
    joinType,
    probe: values(probeCols, probe),
    build: values(buildCols, build),
    probeKeys: [0],
    buildKeys: [0],
    residual: null,
    output: outputFor(joinType),
  };
}

describe('hash join', () => {
  for (const type of hashTypes) {
    it(`${type}: single key, NULL keys never match`, async () => {
      const node = keyJoin(type, probeRows, buildRows);
      const expected = referenceJoin(type, (p, b) => p[0] !== null && b[0] !== null && p[0] === b[0]);
      expect(sorted(batchText(await run(node)))).toEqual(sorted(expected));
    });

    it(`${type}: two keys (int, varchar) with a residual`, async () => {
      // residual: pv * 10 < bv + 5   (probe col 2, build col 5)
      const residual: Expr = cmp(
        'lt',
        {
          kind: 'call',
          fn: 'multiply',
          args: [col(2, INTEGER), { kind: 'literal', value: 10, type: INTEGER }],
          type: INTEGER,
        },
        {
          kind: 'call',
          fn: 'add',
          args: [col(5, INTEGER), { kind: 'literal', value: 5, type: INTEGER }],
          type: INTEGER,
        },
      );
      const node: PhysicalNode = {
        kind: 'hash_join',
        joinType: type,
        probe: values(probeCols, probeRows),
        build: values(buildCols, buildRows),
        probeKeys: [0, 1],
        buildKeys: [0, 1],
        residual,
        output: outputFor(type),
      };
      const expected = referenceJoin(
        type,
        (p, b) =>
          p[0] !== null &&
          b[0] !== null &&
          p[1] !== null &&
          b[1] !== null &&
          p[0] === b[0] &&
          p[1] === b[1] &&
          (p[2] as number) * 10 < (b[2] as number) + 5,
      );
      expect(sorted(batchText(await run(node)))).toEqual(sorted(expected));
    });
  }

  it('anti join with an empty build side returns every probe row (NOT EXISTS)', async () => {
    const node = keyJoin('anti', probeRows, []);
    expect((await run(node)).reduce((n, b) => n + b.numRows, 0)).toBe(probeRows.length);
  });

  it('right_semi and right_anti emit each build row once, however many probe rows match it', async () => {
    const p = Array.from({ length: 30000 }, (_, i) => [i % 700, `p${i}`, i]);
    const b = Array.from({ length: 1000 }, (_, i) => [i, `b${i}`, i]);
    for (const joinType of ['right_semi', 'right_anti'] as const) {
      const node = keyJoin(joinType, p, b);
      const out = await run(node);
      expect(out.reduce((s, x) => s + x.numRows, 0)).toBe(joinType === 'right_semi' ? 700 : 300);
    }
  });

  it('many-to-many on a larger input matches the reference count', async () => {
    const n = 20000;
    const p = Array.from({ length: n }, (_, i) => [i % 1000, `p${i}`, i]);
    const b = Array.from({ length: 3000 }, (_, i) => [i % 1500, `b${i}`, i]);
    const node = keyJoin('inner', p, b);
    const out = await run(node);
    // keys 0..999 appear 20 times in probe and 2 times in build
    expect(out.reduce((s, x) => s + x.numRows, 0)).toBe(1000 * 20 * 2);
  });
});

describe('hash join on one integer key', () => {
  it('finds every match when one probe batch yields more than one output batch', async () => {
    // 300 probe rows x 300 build rows on one key: 90,000 pairs, more than an output batch holds.
    const p = Array.from({ length: 600 }, (_, i) => [i % 2 === 0 ? 7 : -i, `p${i}`, i]);
    const b = Array.from({ length: 400 }, (_, i) => [i < 300 ? 7 : 2_000_000_000 - i, `b${i}`, i]);
    const node = keyJoin('inner', p, b);
    const out = await run(node);
    expect(out.length).toBeGreaterThan(1);
    expect(out.reduce((s, x) => s + x.numRows, 0)).toBe(300 * 300);
  });

  it('matches negative and extreme keys and nothing else', async () => {
    const keys = [-2147483648, -1, 0, 1, 2147483647, 65536, -65536];
    const p = [...keys, 5, 6, null].map((k, i) => [k, `p${i}`, i]);
    const b = [...keys, 8, null].map((k, i) => [k, `b${i}`, i]);
    const node = keyJoin('semi', p, b);
    const got = batchText(await run(node)).map((r) => Number(r[0]));
    expect(got.sort((x, y) => x - y)).toEqual([...keys].sort((x, y) => x - y));
  });
});

describe('nested loop join', () => {
  for (const type of types) {
    it(`${type} with a non-equi condition`, async () => {
      const condition = cmp('lt', col(2, INTEGER), {
        kind: 'call',
        fn: 'divide',
        args: [col(5, INTEGER), { kind: 'literal', value: 10, type: INTEGER }],
        type: INTEGER,
      });
      const node: PhysicalNode = {
        kind: 'nested_loop_join',
        joinType: type,
        probe: values(probeCols, probeRows),
        build: values(buildCols, buildRows),
        condition,
        output: outputFor(type),
      };
      const expected = referenceJoin(type, (p, b) => (p[2] as number) < Math.trunc((b[2] as number) / 10));
      expect(sorted(batchText(await run(node)))).toEqual(sorted(expected));
    });
  }

  it('cross join (no condition)', async () => {
    const node: PhysicalNode = {
      kind: 'nested_loop_join',
      joinType: 'inner',
      probe: values(probeCols, probeRows),
      build: values(buildCols, buildRows),
      condition: null,
      output: [...probeCols, ...buildCols],
    };
    expect(sorted(batchText(await run(node)))).toEqual(sorted(referenceJoin('inner', () => true)));
  });
});

describe('hash join key widening', () => {
  it('joins an integer probe key with a bigint build key', async () => {
    const { BIGINT } = await import('../../../common/types.js');
    const p = cols(['k', INTEGER]);
    const b = cols(['k', BIGINT]);
    const node: PhysicalNode = {
      kind: 'hash_join',
      joinType: 'inner',
      probe: values(p, [[1], [2], [3000000]]),
      build: values(b, [['2'], ['3000000'], ['4']]),
      probeKeys: [0],
      buildKeys: [0],
      residual: null,
      output: [...p, ...b],
    };
    expect(batchText(await run(node))).toEqual([
      ['2', '2'],
      ['3000000', '3000000'],
    ]);
  });
});
