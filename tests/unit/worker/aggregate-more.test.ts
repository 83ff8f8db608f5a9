import { describe, expect, it } from 'vitest';
import type { LiteralValue } from '../../../common/expr/expr.js';
import {
  type AggregateCall,
  type AggregateFn,
  aggregateResultType,
  aggregateStateTypes,
} from '../../../common/functions/aggregates.js';
import type { PhysicalNode } from '../../../common/plan/physical.js';
import { BOOLEAN, type ColumnSchema, type DataType, DOUBLE, decimal, INTEGER, VARCHAR } from '../../../common/types.js';
import { batchOf, batchText, cols, run, runRows, testInputs, values } from './helpers.js';

function agg(fn: AggregateFn, args: number[], argTypes: DataType[], distinct = false): AggregateCall {
  return { fn, args, argTypes, distinct, type: aggregateResultType(fn, argTypes[0]) };
}

function aggNode(
  input: PhysicalNode,
  step: 'single' | 'partial' | 'final',
  groupBy: number[],
  aggregates: AggregateCall[],
) {
  const keys = groupBy.map((k) => input.output[k]!);
  const aggCols: ColumnSchema[] =
    step === 'partial'
      ? aggregates.flatMap((a, i) =>
          aggregateStateTypes(a.fn, a.argTypes[0]).map((t, j) => ({ name: `s${i}_${j}`, type: t })),
        )
      : aggregates.map((a, i) => ({ name: `a${i}`, type: a.type }));
  return { kind: 'aggregate' as const, input, step, groupBy, aggregates, output: [...keys, ...aggCols] };
}

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

const input = cols(
  ['g', VARCHAR],
  ['x', INTEGER],
  ['b', BOOLEAN],
  ['s', VARCHAR],
  ['f', DOUBLE],
  ['d', decimal(20, 4)],
);
const rows: LiteralValue[][] = [
  ['a', 1, true, 'p', 1.5, '100000'],
  ['a', 2, false, 'q r', 2.5, '-5'],
  ['b', 3, true, null, null, null],
  ['b', null, null, '', -1, '123456789012345678'],
  ['a', 2, null, 'NULL', 2.5, '7'],
  ['c', null, null, null, null, null],
];
const calls = [
  agg('bool_and', [2], [BOOLEAN]),
  agg('bool_or', [2], [BOOLEAN]),
  agg('stddev_samp', [1], [INTEGER]),
  agg('var_pop', [4], [DOUBLE]),
  agg('var_samp', [5], [decimal(20, 4)]),
  agg('string_agg', [3, 0], [VARCHAR, VARCHAR]),
  agg('approx_distinct', [1], [INTEGER]),
];
const sortText = (r: (string | null)[][]) => [...r].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('more aggregates', () => {
  it('single step values (PostgreSQL semantics)', async () => {
    const out = sortText(batchText(await run(aggNode(values(input, rows), 'single', [0], calls))));
    expect(out).toEqual([
      ['a', 'false', 'true', '0.5773502691896257', '0.22222222222222224', '33.332667029999996', 'paq raNULL', '2'],
      ['b', 'true', 'true', null, '0', null, '', '1'],
      ['c', null, null, null, null, null, null, '0'],
    ]);
  });

  it('array_agg keeps NULLs and quotes like PostgreSQL', async () => {
    const a = [
      agg('array_agg', [3], [VARCHAR]),
      agg('array_agg', [2], [BOOLEAN]),
      agg('array_agg', [5], [decimal(20, 4)]),
    ];
    const out = sortText(batchText(await run(aggNode(values(input, rows), 'single', [0], a))));
    expect(out).toEqual([
      ['a', '{p,"q r","NULL"}', '{t,f,NULL}', '{10.0000,-0.0005,0.0007}'],
      ['b', '{NULL,""}', '{t,NULL}', '{NULL,12345678901234.5678}'],
      ['c', '{NULL}', '{NULL}', '{NULL}'],
    ]);
  });

  it('partial -> final over two batches equals single', async () => {
    const all = [...calls, agg('array_agg', [1], [INTEGER])];
    for (const groupBy of [[0], []]) {
      const single = batchText(await run(aggNode(values(input, rows), 'single', groupBy, all)));
      const src: PhysicalNode = { kind: 'remote_source', fragmentId: 1, output: input };
      const inputs = testInputs({ remote: { 1: [batchOf(input, rows.slice(0, 2)), batchOf(input, rows.slice(2))] } });
      const two = batchText(await run(twoStep(src, groupBy, all), inputs));
      // string_agg / array_agg order follows input order here (one partial task)
      expect(sortText(two)).toEqual(sortText(single));
    }
  });

  it('variance merges stay accurate with a large common offset (Chan et al.)', async () => {
    const t = cols(['v', DOUBLE]);
    const vs = Array.from({ length: 1000 }, (_, i) => 1e9 + (i % 10));
    const batches = [0, 1, 2, 3].map((p) =>
      batchOf(
        t,
        vs.slice(p * 250, p * 250 + 250).map((v) => [v]),
      ),
    );
    const src: PhysicalNode = { kind: 'remote_source', fragmentId: 1, output: t };
    const c = [agg('var_pop', [0], [DOUBLE]), agg('stddev_pop', [0], [DOUBLE])];
    const [row] = await runRows(twoStep(src, [], c), testInputs({ remote: { 1: batches } }));
    expect(row![0] as number).toBeCloseTo(8.25, 6);
    expect(row![1] as number).toBeCloseTo(Math.sqrt(8.25), 6);
  });

  it('approx_distinct is within 3 standard errors at several cardinalities, merged across partials', async () => {
    const t = cols(['v', INTEGER]);
    for (const n of [10, 100, 1000, 5000, 20000, 100000]) {
      const batches = [0, 1].map((p) =>
        batchOf(
          t,
          // both partials see overlapping halves: values 0..n-1, each many times
          Array.from({ length: n }, (_, i) => [(i * 7919 + p * 13) % n]),
        ),
      );
      const src: PhysicalNode = { kind: 'remote_source', fragmentId: 1, output: t };
      const [row] = await runRows(
        twoStep(src, [], [agg('approx_distinct', [0], [INTEGER])]),
        testInputs({ remote: { 1: batches } }),
      );
      const est = Number(row![0]);
      expect(Math.abs(est - n) / n).toBeLessThan(0.07);
    }
  });

  it('DISTINCT over several arguments and mixed with plain aggregates', async () => {
    const a = [
      agg('count', [1], [INTEGER], true),
      agg('sum', [5], [decimal(20, 4)]),
      agg('sum', [1], [INTEGER], true),
      agg('string_agg', [3, 0], [VARCHAR, VARCHAR], true),
      agg('stddev_pop', [1], [INTEGER], true),
    ];
    const out = sortText(batchText(await run(aggNode(values(input, rows), 'single', [0], a))));
    expect(out).toEqual([
      ['a', '2', '10.0002', '3', 'paq raNULL', '0.5'],
      ['b', '1', '12345678901234.5678', '3', '', '0'],
      ['c', '0', null, null, null, null],
    ]);
  });
});
