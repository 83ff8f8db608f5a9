// A table scan with dynamic filters (common/plan/dynamic-filter.ts): waits (bounded) for the
// summaries, offers them to the connector as conjuncts on the worker (remote SQL: bound
// parameters in the remote query; lake: partition and row-group predicates, checked per split by
// pruneSplit), and filters rows right after the scan for what the connector did not guarantee.
import type { RecordBatch } from 'apache-arrow';
import type { Expr, LiteralValue } from '../../common/expr/expr.js';
import {
  DISTINCT_VALUES_LIMIT,
  type DynamicFilterScanStats,
  type DynamicFilterSummary,
  type DynamicFilterTarget,
  describeSummary,
  rangeOf,
} from '../../common/plan/dynamic-filter.js';
import type { PhysicalNode } from '../../common/plan/physical.js';
import type { Split } from '../../common/plan/task.js';
import { BOOLEAN, type ColumnSchema, type DataType, typeEquals } from '../../common/types.js';
import type { Connector, ReadContext, TableHandle } from '../../connectors/spi.js';
import { dynamicRowFilter, type RowCheck } from '../operators/dynamic-filter-rows.js';
import type { MutableStats } from '../operators/operator.js';
import type { TaskDynamicFilters } from './dynamic-filters.js';

type ScanNode = Extract<PhysicalNode, { kind: 'table_scan' }>;

/** Remote SQL binds at most this many IN values; larger value sets are also offered as a range. */
const IN_LIST_PUSH_LIMIT = 1000;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** The summary in the scan column's type (integer and bigint keys join each other). */
export function adaptSummary(s: DynamicFilterSummary, t: DataType): DynamicFilterSummary {
  if (s.kind === 'all' || typeEquals(s.type, t)) return s;
  if (s.type.kind === 'integer' && t.kind === 'bigint') {
    const big = (v: LiteralValue) => String(v);
    return s.kind === 'values'
      ? { kind: 'values', type: t, values: s.values.map(big) }
      : { kind: 'range', type: t, min: big(s.min), max: big(s.max) };
  }
  if (s.type.kind === 'bigint' && t.kind === 'integer') {
    if (s.kind === 'values') {
      const values = s.values.map(Number).filter((v) => v >= INT32_MIN && v <= INT32_MAX);
      return { kind: 'values', type: t, values };
    }
    const min = Math.max(INT32_MIN, Number(s.min));
    const max = Math.min(INT32_MAX, Number(s.max));
    return min > max ? { kind: 'values', type: t, values: [] } : { kind: 'range', type: t, min, max };
  }
  return { kind: 'all' };
}

/** Whether summaryConjuncts says all of the summary (else a row filter must check the rest). */
export function conjunctsAreExact(s: DynamicFilterSummary): boolean {
  return !(s.kind === 'values' && s.values.length > DISTINCT_VALUES_LIMIT);
}

/** Conjuncts over connector column `name` that a summary implies. */
export function summaryConjuncts(s: DynamicFilterSummary, name: string, type: DataType): Expr[] {
  if (s.kind === 'all') return [];
  const ref: Expr = { kind: 'ref', id: name, type };
  const lit = (value: LiteralValue): Expr => ({ kind: 'literal', value, type });
  const cmp = (fn: string, v: LiteralValue): Expr => ({ kind: 'call', fn, args: [ref, lit(v)], type: BOOLEAN });
  if (s.kind === 'range') return [cmp('ge', s.min), cmp('le', s.max)];
  const [first] = s.values;
  if (first === undefined) return [];
  if (s.values.length === 1) return [cmp('eq', first)];
  // A list this long (integer keys) is offered as its range only; the row filter checks the values.
  if (!conjunctsAreExact(s)) {
    const r = rangeOf(s.values, type);
    return [cmp('ge', r.min), cmp('le', r.max)];
  }
  const out: Expr[] = [{ kind: 'in', arg: ref, list: s.values.map(lit), negated: false, type: BOOLEAN }];
  if (s.values.length > IN_LIST_PUSH_LIMIT) {
    const r = rangeOf(s.values, type);
    out.push(cmp('ge', r.min), cmp('le', r.max));
  }
  return out;
}

type Counters = { -readonly [K in keyof DynamicFilterScanStats]: DynamicFilterScanStats[K] } & { filters: string[] };

function newCounters(): Counters {
  return {
    filters: [],
    waitMs: 0,
    rowsRead: 0,
    rowsFiltered: 0,
    splits: 0,
    splitsSkipped: 0,
    files: 0,
    filesSkipped: 0,
    partitions: 0,
    partitionsSkipped: 0,
    rowGroups: 0,
    rowGroupsSkipped: 0,
  };
}

/** Tracks whether any split of a file (or partition) was read. */
class ReadTracker {
  private readonly read = new Map<string, boolean>();
  mark(key: string | undefined, wasRead: boolean): void {
    if (key === undefined) return;
    this.read.set(key, (this.read.get(key) ?? false) || wasRead);
  }
  totals(): { total: number; skipped: number } {
    let skipped = 0;
    for (const r of this.read.values()) if (!r) skipped++;
    return { total: this.read.size, skipped };
  }
}

export interface FilteredScanArgs {
  readonly node: ScanNode;
  readonly connector: Connector;
  readonly splits: readonly Split[];
  readonly columns: readonly ColumnSchema[];
  readonly ctx: ReadContext;
  readonly filters: TaskDynamicFilters | undefined;
  readonly stats: MutableStats | undefined;
}

/** What a scan does with the summaries it has so far: handle, row filter, split pruning. */
interface Applied {
  readonly handle: TableHandle;
  readonly rowFilter: ((b: RecordBatch) => RecordBatch) | undefined;
  readonly prune: boolean;
  readonly nothingMatches: boolean;
  readonly lines: string[];
}

function applySummaries(
  node: ScanNode,
  connector: Connector,
  summaries: readonly (DynamicFilterSummary | undefined)[],
  late: ReadonlySet<number>,
): Applied {
  const lines: string[] = [];
  const checks: RowCheck[] = [];
  const offered: { target: DynamicFilterTarget; summary: DynamicFilterSummary; conjuncts: Expr[]; late: boolean }[] =
    [];
  let nothingMatches = false;
  (node.dynamicFilters ?? []).forEach((t, i) => {
    const name = node.columns[t.column] ?? `#${t.column}`;
    const type = node.output[t.column]?.type;
    const got = summaries[i];
    if (got === undefined || type === undefined) {
      lines.push(`${t.id} ${name}: ${t.remote ? 'not ready in time' : 'not available'}`);
      return;
    }
    const s = adaptSummary(got, type);
    if (s.kind === 'values' && s.values.length === 0) nothingMatches = true;
    offered.push({ target: t, summary: s, conjuncts: summaryConjuncts(s, name, type), late: late.has(i) });
  });
  // The connector takes what it can; accepted conjuncts are guaranteed, the rest is re-checked here.
  const all = offered.flatMap((o) => o.conjuncts);
  const pushed = all.length > 0 && !nothingMatches ? connector.metadata.applyFilter?.(node.handle, all) : undefined;
  const accepted = new Set((pushed?.accepted ?? []).map((e) => JSON.stringify(e)));
  for (const o of offered) {
    const name = node.columns[o.target.column] ?? `#${o.target.column}`;
    const exact =
      conjunctsAreExact(o.summary) &&
      o.conjuncts.length > 0 &&
      o.conjuncts.every((e) => accepted.has(JSON.stringify(e)));
    if (!exact && o.summary.kind !== 'all') checks.push({ column: o.target.column, summary: o.summary });
    const how =
      o.summary.kind === 'all'
        ? ''
        : exact
          ? ' (by the connector'
          : pushed
            ? ' (connector + row filter'
            : ' (row filter';
    const when = o.summary.kind === 'all' ? '' : o.late ? ', arrived while reading)' : ')';
    lines.push(`${o.target.id} ${name} ${describeSummary(o.summary)}${how}${when}`);
  }
  return {
    handle: pushed?.handle ?? node.handle,
    rowFilter: dynamicRowFilter(checks, node.output),
    prune: pushed !== undefined && connector.pageSource.pruneSplit !== undefined,
    nothingMatches,
    lines,
  };
}

export async function* dynamicallyFilteredScan(a: FilteredScanArgs): AsyncGenerator<RecordBatch> {
  const { node, connector, columns, ctx, filters } = a;
  const targets: readonly DynamicFilterTarget[] = node.dynamicFilters ?? [];
  const c = newCounters();
  if (a.stats) a.stats.dynamicFilter = c;
  const started = performance.now();
  const deadline = started + (filters?.waitMs ?? 0);
  const summaries = await Promise.all(targets.map((t) => filters?.resolve(t, deadline)));
  c.waitMs = Math.round(performance.now() - started);
  // Filters not ready in time still help the splits and batches read after they arrive.
  const late = new Set<number>();
  let changed = false;
  const stopWaiting = new AbortController();
  if (filters) {
    targets.forEach((t, i) => {
      if (summaries[i] !== undefined || !t.remote) return;
      filters
        .resolve(t, Number.POSITIVE_INFINITY, stopWaiting.signal)
        .then((s) => {
          if (s === undefined || stopWaiting.signal.aborted) return;
          summaries[i] = s;
          late.add(i);
          changed = true;
        })
        .catch(() => undefined);
    });
  }
  let applied = applySummaries(node, connector, summaries, late);
  c.filters = applied.lines;
  const refresh = () => {
    if (!changed) return;
    changed = false;
    applied = applySummaries(node, connector, summaries, late);
    c.filters = applied.lines;
  };
  const files = new ReadTracker();
  const partitions = new ReadTracker();
  const tally = () => {
    const f = files.totals();
    const p = partitions.totals();
    c.files = f.total;
    c.filesSkipped = f.skipped;
    c.partitions = p.total;
    c.partitionsSkipped = p.skipped;
  };

  try {
    for (const split of a.splits) {
      if (split.catalog !== node.catalog) continue;
      ctx.signal.throwIfAborted();
      refresh();
      c.splits++;
      if (applied.nothingMatches) {
        c.splitsSkipped++;
        continue;
      }
      let s: Split | null = split;
      const handle = applied.handle;
      if (applied.prune && connector.pageSource.pruneSplit) {
        const r = await connector.pageSource.pruneSplit(split, handle, ctx);
        s = r.split;
        files.mark(r.file, s !== null);
        partitions.mark(r.partition, s !== null);
        if (r.rowGroups) {
          c.rowGroups += r.rowGroups.total;
          c.rowGroupsSkipped += r.rowGroups.total - r.rowGroups.kept;
        }
        tally();
      }
      if (s === null) {
        c.splitsSkipped++;
        continue;
      }
      for await (const b of connector.pageSource.open(s, handle, columns, ctx)) {
        c.rowsRead += b.numRows;
        refresh();
        const out = applied.nothingMatches ? b.slice(0, 0) : applied.rowFilter ? applied.rowFilter(b) : b;
        c.rowsFiltered += b.numRows - out.numRows;
        if (out.numRows > 0) yield out;
      }
    }
  } finally {
    stopWaiting.abort();
  }
}
