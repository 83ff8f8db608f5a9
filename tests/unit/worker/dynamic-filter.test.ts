// Dynamic filtering on the worker: the summary a hash join's build side yields, how partial
// summaries merge, the row filter a scan applies, and a fragment run where a scan of the real
// tpch connector receives its join's summary in the same task.
import type { RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { LiteralValue } from '../../../common/expr/expr.js';
import { type DynamicFilterSummary, mergeSummaries } from '../../../common/plan/dynamic-filter.js';
import type { PhysicalNode } from '../../../common/plan/physical.js';
import type { TaskSpec } from '../../../common/plan/task.js';
import { BIGINT, type ColumnSchema, DATE, DOUBLE, decimal, INTEGER, VARCHAR } from '../../../common/types.js';
import { createConnector } from '../../../connectors/registry.js';
import { readBatch } from '../../../worker/expressions/vector.js';
import { summarizeKeys } from '../../../worker/operators/dynamic-filter-collect.js';
import { dynamicRowFilter } from '../../../worker/operators/dynamic-filter-rows.js';
import { ConnectorCache } from '../../../worker/task/connector-cache.js';
import { adaptSummary, conjunctsAreExact, summaryConjuncts } from '../../../worker/task/dynamic-filter-scan.js';
import { TaskDynamicFilters } from '../../../worker/task/dynamic-filters.js';
import { runFragment } from '../../../worker/task/run-fragment.js';
import { taskInputs } from '../../../worker/task/task-inputs.js';
import { allRows, batchOf, batchText, cols, testContext, values } from './helpers.js';

/** The summary of one column of literal rows. */
function summaryOf(type: ColumnSchema['type'], rows: LiteralValue[], limit?: number): DynamicFilterSummary {
  const schema = cols(['k', type]);
  const b = batchOf(
    schema,
    rows.map((v) => [v]),
  );
  const [c] = readBatch(b, [type]);
  return summarizeKeys(c!, type, b.numRows, limit);
}

describe('build key summary', () => {
  it('collects distinct non-NULL values, sorted', () => {
    expect(summaryOf(INTEGER, [3, 1, null, 3, 2, null])).toEqual({ kind: 'values', type: INTEGER, values: [1, 2, 3] });
    expect(summaryOf(BIGINT, ['9007199254740993', '-5', '-5'])).toEqual({
      kind: 'values',
      type: BIGINT,
      values: ['-5', '9007199254740993'],
    });
    expect(summaryOf(DATE, [19844, 19843])).toEqual({ kind: 'values', type: DATE, values: [19843, 19844] });
    expect(summaryOf(decimal(30, 2), ['123456789012345678901234', '-100'])).toEqual({
      kind: 'values',
      type: decimal(30, 2),
      values: ['-100', '123456789012345678901234'],
    });
  });

  it('orders strings by their UTF-8 bytes, like the engine compares them', () => {
    const s = summaryOf(VARCHAR, ['b', 'ä', 'a', 'B', null, 'a']);
    expect(s).toEqual({ kind: 'values', type: VARCHAR, values: ['B', 'a', 'b', 'ä'] });
  });

  it('falls back to the range beyond the distinct-value limit', () => {
    expect(summaryOf(INTEGER, [5, -7, 12, 3, null], 3)).toEqual({ kind: 'range', type: INTEGER, min: -7, max: 12 });
    expect(summaryOf(VARCHAR, ['m', 'zz', 'a', 'q'], 2)).toEqual({ kind: 'range', type: VARCHAR, min: 'a', max: 'zz' });
    expect(summaryOf(BIGINT, ['1', '2', '3'], 2)).toEqual({ kind: 'range', type: BIGINT, min: '1', max: '3' });
  });

  it('finds the distinct integers of a wide or sparse key set, at the limit and beyond', () => {
    // Spread over more than the bitset covers (sorted instead), and dense with duplicates (bitset).
    const sparse = [2_000_000_000, -2_000_000_000, 7, 7, 0, -1, 31, 32];
    expect(summaryOf(INTEGER, sparse)).toEqual({
      kind: 'values',
      type: INTEGER,
      values: [-2_000_000_000, -1, 0, 7, 31, 32, 2_000_000_000],
    });
    const dense = Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 1000) - 500);
    const expected = [...new Set(dense)].sort((a, b) => a - b);
    expect(summaryOf(INTEGER, dense, 1000)).toEqual({ kind: 'values', type: INTEGER, values: expected });
    expect(summaryOf(INTEGER, dense, 999)).toEqual({ kind: 'range', type: INTEGER, min: -500, max: 499 });
    expect(summaryOf(INTEGER, [-2147483648, 2147483647, -2147483648])).toEqual({
      kind: 'values',
      type: INTEGER,
      values: [-2147483648, 2147483647],
    });
  });

  it('is empty for an empty or all-NULL build side (nothing can match)', () => {
    expect(summaryOf(INTEGER, [])).toEqual({ kind: 'values', type: INTEGER, values: [] });
    expect(summaryOf(VARCHAR, [null, null], 1)).toEqual({ kind: 'values', type: VARCHAR, values: [] });
  });

  it('does not filter on NaN keys', () => {
    expect(summaryOf(DOUBLE, [1.5, 'NaN'])).toEqual({ kind: 'all' });
    expect(summaryOf(DOUBLE, [2.5, -1])).toEqual({ kind: 'values', type: DOUBLE, values: [-1, 2.5] });
  });
});

describe('merging partial summaries', () => {
  const v = (...values: LiteralValue[]): DynamicFilterSummary => ({ kind: 'values', type: INTEGER, values });
  it('unions values, turning into a range past the limit', () => {
    expect(mergeSummaries(v(1, 2), v(2, 3))).toEqual(v(1, 2, 3));
    expect(mergeSummaries(v(1, 2), v(3, 9), 3)).toEqual({ kind: 'range', type: INTEGER, min: 1, max: 9 });
    expect(mergeSummaries(v(), v(4))).toEqual(v(4));
  });
  it('widens ranges and gives up with an unrestricted side', () => {
    const r: DynamicFilterSummary = { kind: 'range', type: INTEGER, min: 10, max: 20 };
    expect(mergeSummaries(r, v(-3, 15))).toEqual({ kind: 'range', type: INTEGER, min: -3, max: 20 });
    expect(mergeSummaries(r, { kind: 'all' })).toEqual({ kind: 'all' });
  });
  it('compares strings by bytes', () => {
    const a: DynamicFilterSummary = { kind: 'range', type: VARCHAR, min: 'b', max: 'c' };
    const b: DynamicFilterSummary = { kind: 'values', type: VARCHAR, values: ['Z', 'é'] };
    expect(mergeSummaries(a, b)).toEqual({ kind: 'range', type: VARCHAR, min: 'Z', max: 'é' });
  });
});

describe('applying a summary at the scan', () => {
  const schema = cols(['id', INTEGER], ['name', VARCHAR], ['big', BIGINT]);
  const batch = batchOf(schema, [
    [1, 'a', '10'],
    [2, 'b', '20'],
    [null, 'c', null],
    [4, null, '40'],
    [5, 'e', '50'],
  ]);

  it('keeps rows whose key is among the values (NULL keys never match)', () => {
    const f = dynamicRowFilter([{ column: 0, summary: { kind: 'values', type: INTEGER, values: [2, 4, 9] } }], schema);
    expect(batchText([f!(batch)])).toEqual([
      ['2', 'b', '20'],
      ['4', null, '40'],
    ]);
    const s = dynamicRowFilter([{ column: 1, summary: { kind: 'values', type: VARCHAR, values: ['e', 'a'] } }], schema);
    expect(batchText([s!(batch)]).map((r) => r[0])).toEqual(['1', '5']);
  });

  it('checks integer values spread wider than a bitmap covers (hash table), negatives included', () => {
    const wide = batchOf(
      cols(['k', INTEGER]),
      [-2_000_000_000, -7, 0, 5, 2_000_000_000, 2_000_000_001, null].map((v) => [v]),
    );
    const values = [-2_000_000_000, 5, 2_000_000_000, ...Array.from({ length: 100 }, (_, i) => 1000 + 17 * i)];
    const f = dynamicRowFilter(
      [{ column: 0, summary: { kind: 'values', type: INTEGER, values } }],
      cols(['k', INTEGER]),
    );
    expect(batchText([f!(wide)]).map((r) => r[0])).toEqual(['-2000000000', '5', '2000000000']);
    const dense = dynamicRowFilter(
      [{ column: 0, summary: { kind: 'values', type: INTEGER, values: [-7, 0, 3] } }],
      cols(['k', INTEGER]),
    );
    expect(batchText([dense!(wide)]).map((r) => r[0])).toEqual(['-7', '0']);
  });

  it('switches off a check that drops almost nothing, and on again when it starts to', () => {
    const schema1 = cols(['k', INTEGER]);
    const rows = (from: number) =>
      batchOf(
        schema1,
        Array.from({ length: 65_536 }, (_, i) => [from + (i % 1000)]),
      );
    const matching = rows(0);
    const other = rows(5000);
    const f = dynamicRowFilter(
      [{ column: 0, summary: { kind: 'values', type: INTEGER, values: Array.from({ length: 1000 }, (_, i) => i) } }],
      schema1,
    )!;
    // 131,072 rows judged, none dropped: the check goes off and the next batch passes unchecked
    // (the join behind it still rejects those rows).
    expect(f(matching).numRows).toBe(65_536);
    expect(f(matching).numRows).toBe(65_536);
    expect(f(other).numRows).toBe(65_536);
    // Every 8th batch is still checked; two such batches that drop everything turn it on again.
    const passed = Array.from({ length: 15 }, () => f(other).numRows);
    expect(passed.filter((n) => n === 0)).toHaveLength(2);
    expect(f(other).numRows).toBe(0);
  });

  it('checks ranges and combines filters', () => {
    const f = dynamicRowFilter(
      [
        { column: 2, summary: { kind: 'range', type: BIGINT, min: '15', max: '50' } },
        { column: 1, summary: { kind: 'range', type: VARCHAR, min: 'a', max: 'd' } },
      ],
      schema,
    );
    expect(batchText([f!(batch)])).toEqual([['2', 'b', '20']]);
  });

  it('has nothing to do for an unrestricted summary', () => {
    expect(dynamicRowFilter([{ column: 0, summary: { kind: 'all' } }], schema)).toBeUndefined();
  });

  it('converts between integer and bigint keys, and offers IN or a range to connectors', () => {
    const big: DynamicFilterSummary = { kind: 'values', type: BIGINT, values: ['5', '9999999999', '-2'] };
    expect(adaptSummary(big, INTEGER)).toEqual({ kind: 'values', type: INTEGER, values: [5, -2] });
    expect(adaptSummary({ kind: 'range', type: INTEGER, min: 1, max: 3 }, BIGINT)).toEqual({
      kind: 'range',
      type: BIGINT,
      min: '1',
      max: '3',
    });
    expect(adaptSummary({ kind: 'range', type: BIGINT, min: '3000000000', max: '4000000000' }, INTEGER)).toEqual({
      kind: 'values',
      type: INTEGER,
      values: [],
    });
    const inList = summaryConjuncts({ kind: 'values', type: INTEGER, values: [1, 2] }, 'k', INTEGER);
    expect(inList).toHaveLength(1);
    expect(inList[0]!.kind).toBe('in');
    const many = Array.from({ length: 1500 }, (_, i) => i * 2);
    const wide = summaryConjuncts({ kind: 'values', type: INTEGER, values: many }, 'k', INTEGER);
    // IN for the lake, plus the range a remote database can take when the list is too long to bind
    expect(wide.map((e) => (e.kind === 'call' ? e.fn : e.kind))).toEqual(['in', 'ge', 'le']);
    expect(conjunctsAreExact({ kind: 'values', type: INTEGER, values: many })).toBe(true);
    // Integer keys beyond the general limit: only the range is offered, the row filter checks values.
    const huge = Array.from({ length: 20_000 }, (_, i) => i * 3);
    const hugeSummary = { kind: 'values', type: INTEGER, values: huge } as const;
    const ranged = summaryConjuncts(hugeSummary, 'k', INTEGER);
    expect(ranged.map((e) => (e.kind === 'call' ? e.fn : e.kind))).toEqual(['ge', 'le']);
    expect(conjunctsAreExact(hugeSummary)).toBe(false);
  });
});

describe('a broadcast join filtering its probe scan in the same task', () => {
  it('gives the same rows with fewer read, and reports what it did', async () => {
    const tpch = { name: 'tpch', connectorName: 'tpch', properties: {}, configDir: '.' };
    const coordinatorSide = createConnector(tpch, 'coordinator', 'c');
    const meta = { session: { user: 'test', timeZone: 'UTC' }, workers: [] };
    const info = await coordinatorSide.metadata.getTable('tiny', 'orders', meta);
    const splits = await coordinatorSide.splits.getSplits(info!.handle, meta);
    const scanOutput = cols(['o_orderkey', INTEGER], ['o_custkey', INTEGER]);
    const scanColumns = info!.columns.filter((c) => c.name === 'o_orderkey' || c.name === 'o_custkey');
    expect(scanColumns.map((c) => c.type.kind)).toEqual(scanOutput.map((c) => c.type.kind));
    const join = (withFilter: boolean): PhysicalNode => ({
      kind: 'hash_join',
      joinType: 'inner',
      probe: {
        kind: 'table_scan',
        catalog: 'tpch',
        handle: info!.handle,
        columns: ['o_orderkey', 'o_custkey'],
        output: scanOutput,
        ...(withFilter ? { dynamicFilters: [{ id: 'df0', column: 1, remote: false }] } : {}),
      },
      build: values(cols(['c_custkey', INTEGER]), [[7], [4], [null]]),
      probeKeys: [1],
      buildKeys: [0],
      residual: null,
      output: [...scanOutput, { name: 'c_custkey', type: INTEGER }],
      ...(withFilter ? { dynamicFilters: [{ id: 'df0', buildKey: 0, remote: false }] } : {}),
    });
    const run = async (withFilter: boolean) => {
      const root = join(withFilter);
      const spec: TaskSpec = {
        queryId: 'q',
        taskId: 'q.0.0',
        partition: 0,
        fragment: { id: 0, root, distribution: 'source', outputPartitioning: { kind: 'single' } },
        splits,
        sources: {},
        outputPartitions: 1,
        catalogs: [tpch],
        session: { user: 'test', timeZone: 'UTC' },
      };
      const ctx = testContext();
      const filters = new TaskDynamicFilters({ queryId: 'q', taskId: 'q.0.0', waitMs: 0, signal: ctx.signal });
      const r = runFragment(root, taskInputs(spec, new ConnectorCache('w1'), ctx, filters), ctx);
      const out: RecordBatch[] = [];
      for await (const b of r.batches) out.push(b);
      return { rows: allRows(out), stats: r.stats() };
    };
    const plain = await run(false);
    const filtered = await run(true);
    const key = (r: unknown[]) => String(r[0]);
    expect(filtered.rows.map(key).sort()).toEqual(plain.rows.map(key).sort());
    expect(filtered.rows.length).toBeGreaterThan(0);
    const scan = filtered.stats.find((s) => s.operator === 'TableScan(tpch)')!;
    expect(scan.dynamicFilter?.filters).toEqual(['df0 o_custkey IN (4, 7) (row filter)']);
    expect(scan.dynamicFilter?.rowsRead).toBe(15000);
    expect(scan.outputRows).toBe(filtered.rows.length);
    expect(scan.dynamicFilter?.rowsFiltered).toBe(15000 - filtered.rows.length);
    const plainScan = plain.stats.find((s) => s.operator === 'TableScan(tpch)')!;
    expect(plainScan.outputRows).toBe(15000);
  });
});
