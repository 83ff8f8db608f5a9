import type { RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { LiteralValue } from '../../../common/expr/expr.js';
import type { PhysicalNode, SortKey } from '../../../common/plan/physical.js';
import { BIGINT, DOUBLE, decimal, INTEGER, VARCHAR } from '../../../common/types.js';
import { runFragment } from '../../../worker/task/run-fragment.js';
import { batchOf, batchText, cmp, col, cols, lit, run, runRows, testContext, testInputs, values } from './helpers.js';

const schema = cols(['i', INTEGER], ['s', VARCHAR], ['d', decimal(20, 2)], ['f', DOUBLE]);
const rows: LiteralValue[][] = [
  [3, 'b', '100', 1.5],
  [null, 'a', null, null],
  [1, 'é', '-5', -2],
  [2, null, '100', 0],
  [1, 'Z', '7', 9],
  [null, null, '1', 3],
];

/** Reference ordering over text-free values: nulls placed per key, strings by UTF-8 bytes. */
function referenceSort(keys: SortKey[]): LiteralValue[][] {
  const cmpVal = (a: LiteralValue, b: LiteralValue, k: SortKey): number => {
    if (a === null || b === null) {
      if (a === b) return 0;
      return (a === null) === k.nullsFirst ? -1 : 1;
    }
    let c: number;
    if (typeof a === 'string' && typeof b === 'string') {
      c = k.index === 2 ? Number(BigInt(a) - BigInt(b)) : Buffer.compare(Buffer.from(a), Buffer.from(b));
    } else c = (a as number) - (b as number);
    return k.ascending ? Math.sign(c) : -Math.sign(c);
  };
  return [...rows].sort((x, y) => {
    for (const k of keys) {
      const c = cmpVal(x[k.index]!, y[k.index]!, k);
      if (c !== 0) return c;
    }
    return 0;
  });
}

const text = (rs: LiteralValue[][]) =>
  rs.map((r) => r.map((v, j) => (v === null ? null : j === 2 ? fmt2(v as string) : String(v))));
const fmt2 = (s: string) => {
  const b = BigInt(s);
  const neg = b < 0n;
  const d = (neg ? -b : b).toString().padStart(3, '0');
  return `${neg ? '-' : ''}${d.slice(0, -2)}.${d.slice(-2)}`;
};

describe('sort', () => {
  const cases: SortKey[][] = [
    [{ index: 0, ascending: true, nullsFirst: false }],
    [{ index: 0, ascending: false, nullsFirst: true }],
    [{ index: 1, ascending: true, nullsFirst: true }],
    [{ index: 1, ascending: false, nullsFirst: false }],
    [
      { index: 2, ascending: false, nullsFirst: false },
      { index: 0, ascending: true, nullsFirst: true },
    ],
    [{ index: 3, ascending: true, nullsFirst: false }],
  ];
  for (const keys of cases) {
    it(`orders by ${JSON.stringify(keys)}`, async () => {
      const node: PhysicalNode = { kind: 'sort', input: values(schema, rows), keys, output: schema };
      expect(batchText(await run(node))).toEqual(text(referenceSort(keys)));
    });
  }

  it('top_n keeps the first n of the order, across many batches', async () => {
    const n = 100_000;
    const big = cols(['v', INTEGER]);
    const batches: RecordBatch[] = [];
    const all: number[] = [];
    for (let b = 0; b < 10; b++) {
      const vs = Array.from({ length: n / 10 }, (_, i) => ((b * 7919 + i * 104729) % 1000003) - 500000);
      all.push(...vs);
      batches.push(
        batchOf(
          big,
          vs.map((v) => [v]),
        ),
      );
    }
    const node: PhysicalNode = {
      kind: 'top_n',
      input: { kind: 'remote_source', fragmentId: 1, output: big },
      keys: [{ index: 0, ascending: false, nullsFirst: false }],
      limit: 25,
      output: big,
    };
    const out = await runRows(node, testInputs({ remote: { 1: batches } }));
    expect(out.map((r) => r[0])).toEqual([...all].sort((a, b) => b - a).slice(0, 25));
    const small: PhysicalNode = {
      kind: 'top_n',
      input: values(schema, rows),
      keys: [{ index: 1, ascending: true, nullsFirst: false }],
      limit: 3,
      output: schema,
    };
    expect(batchText(await run(small))).toEqual(
      text(referenceSort([{ index: 1, ascending: true, nullsFirst: false }]).slice(0, 3)),
    );
  });
});

describe('limit', () => {
  it('applies offset and limit across batches and stops pulling input', async () => {
    const one = cols(['v', INTEGER]);
    let pulled = 0;
    const inputs = testInputs({});
    const source = async function* () {
      for (let b = 0; b < 100; b++) {
        pulled++;
        yield batchOf(
          one,
          Array.from({ length: 10 }, (_, i) => [b * 10 + i]),
        );
      }
    };
    const node: PhysicalNode = {
      kind: 'limit',
      input: { kind: 'remote_source', fragmentId: 1, output: one },
      limit: 15,
      offset: 7,
      output: one,
    };
    const out = await runRows(node, { ...inputs, remote: () => source() });
    expect(out.map((r) => r[0])).toEqual(Array.from({ length: 15 }, (_, i) => i + 7));
    expect(pulled).toBe(3);
    const noLimit: PhysicalNode = { ...node, limit: null, offset: 995 } as PhysicalNode;
    expect((await runRows(noLimit, { ...inputs, remote: () => source() })).map((r) => r[0])).toEqual([
      995, 996, 997, 998, 999,
    ]);
  });
});

describe('filter, project, values, scan', () => {
  it('filters with pass-through and projects columns from a table scan', async () => {
    const scanNode: PhysicalNode = {
      kind: 'table_scan',
      catalog: 'mem',
      handle: null,
      columns: ['i', 's', 'd', 'f'],
      output: schema,
    };
    const filter: PhysicalNode = {
      kind: 'filter',
      input: scanNode,
      predicate: cmp('ge', col(0, INTEGER), lit(2, INTEGER)),
      output: schema,
    };
    const project: PhysicalNode = {
      kind: 'project',
      input: filter,
      exprs: [col(1, VARCHAR), col(0, INTEGER)],
      output: cols(['s', VARCHAR], ['i', INTEGER]),
    };
    const inputs = testInputs({ scan: [batchOf(schema, rows)] });
    expect(batchText(await run(project, inputs))).toEqual([
      ['b', '3'],
      [null, '2'],
    ]);
    // plain projection (no filter below) reuses columns
    const p2: PhysicalNode = { kind: 'project', input: scanNode, exprs: [col(3, DOUBLE)], output: cols(['f', DOUBLE]) };
    expect((await runRows(p2, inputs)).map((r) => r[0])).toEqual([1.5, null, -2, 0, 9, 3]);
    // filter only: all rows pass -> same batch
    const all: PhysicalNode = {
      kind: 'filter',
      input: scanNode,
      predicate: lit(true, { kind: 'boolean' }),
      output: schema,
    };
    expect((await runRows(all, inputs)).length).toBe(6);
  });

  it('reports per-operator stats and honours cancellation', async () => {
    const node: PhysicalNode = {
      kind: 'filter',
      input: values(schema, rows),
      predicate: cmp('gt', col(0, INTEGER), lit(1, INTEGER)),
      output: schema,
    };
    const r = runFragment(node, testInputs({}), testContext());
    for await (const _ of r.batches) {
      // drain
    }
    const stats = r.stats();
    expect(stats.map((s) => s.operator)).toEqual(['Values', 'Filter']);
    expect(stats[0]!.outputRows).toBe(6);
    expect(stats[1]!.inputRows).toBe(6);
    expect(stats[1]!.outputRows).toBe(2);
    const ac = new AbortController();
    ac.abort();
    const cancelled = runFragment(node, testInputs({}), testContext(ac.signal));
    await expect(
      (async () => {
        for await (const _ of cancelled.batches) {
          // nothing
        }
      })(),
    ).rejects.toThrow();
  });
});

describe('table_write', () => {
  it('writes every batch and outputs (rows, fragment)', async () => {
    const written: RecordBatch[] = [];
    const node: PhysicalNode = {
      kind: 'table_write',
      input: values(schema, rows),
      catalog: 'mem',
      insertHandle: { table: 't' },
      output: cols(['rows', BIGINT], ['fragment', VARCHAR]),
    };
    const out = await runRows(node, testInputs({ written }));
    expect(out).toEqual([[6n, JSON.stringify({ files: ['f1'] })]]);
    expect(written.reduce((n, b) => n + b.numRows, 0)).toBe(6);
  });
});

describe('union_all and enforce_single_row', () => {
  it('union_all concatenates its inputs in order', async () => {
    const one = cols(['v', INTEGER]);
    const node: PhysicalNode = {
      kind: 'union_all',
      inputs: [values(one, [[1], [2]]), values(one, []), values(one, [[3]])],
      output: one,
    };
    expect((await runRows(node)).map((r) => r[0])).toEqual([1, 2, 3]);
  });

  it('enforce_single_row passes one row, NULLs for none, 21000 for more', async () => {
    const one = cols(['v', INTEGER], ['s', VARCHAR]);
    const wrap = (rs: LiteralValue[][]): PhysicalNode => ({
      kind: 'enforce_single_row',
      input: values(one, rs),
      output: one,
    });
    expect(await runRows(wrap([[7, 'x']]))).toEqual([[7, 'x']]);
    expect(await runRows(wrap([]))).toEqual([[null, null]]);
    await expect(
      runRows(
        wrap([
          [1, 'a'],
          [2, 'b'],
        ]),
      ),
    ).rejects.toMatchObject({ sqlState: '21000' });
  });
});

describe('NOT IN (null-aware anti join)', () => {
  const p = cols(['k', INTEGER]);
  const b = cols(['k', INTEGER]);
  const notIn = (probeRows: LiteralValue[][], buildRows: LiteralValue[][]): PhysicalNode => ({
    kind: 'hash_join',
    joinType: 'anti',
    probe: values(p, probeRows),
    build: values(b, buildRows),
    probeKeys: [0],
    buildKeys: [0],
    residual: null,
    output: p,
    nullAware: true,
  });
  it('follows NOT IN semantics', async () => {
    const probe = [[1], [2], [null]];
    expect((await runRows(notIn(probe, [[2]]))).map((r) => r[0])).toEqual([1]);
    expect(await runRows(notIn(probe, [[2], [null]]))).toEqual([]);
    expect((await runRows(notIn(probe, []))).map((r) => r[0])).toEqual([1, 2, null]);
  });
});
