// Dynamic filtering (Trino's term). A hash join whose build side is complete knows every key value
// a probe row can match; a summary of those values, applied to the table scan that feeds the probe
// side, keeps rows that cannot match from being read at all.
//
// Summary: the distinct non-NULL key values (NULLs never match an equi-join key) while there are at
// most DISTINCT_VALUES_LIMIT of them, else their [min, max] range; `all` when the key type cannot
// be summarized (or a double key holds NaN). The join re-checks every row, so a summary only has
// to be a superset of the matching keys.
//
// Plan time (coordinator/planner/dynamic-filters.ts): for every inner, right and semi hash join,
// each probe key is traced down the probe side (filter, project, sort, aggregate group keys, window
// partition keys, the probe side of other joins, exchanges) to a table scan column. The join gets
// `dynamicFilters: [{id, buildKey}]`, the scan `dynamicFilters: [{id, column}]`, and EXPLAIN shows
// both (`dynamicFilters=[df0: l_orderkey]`). `remote` is true when scan and join are in different
// fragments. `SET enable_dynamic_filtering = off` plans none.
//
// Run time, same fragment (broadcast or single-task joins): the build side is drained in a
// pipeline `prepare` step before the probe pipeline pulls its first batch, so the scan finds the
// task-local summary ready (worker/task/dynamic-filters.ts).
//
// Run time, different fragments (partitioned joins): every task of the join's fragment reports its
// partial summary to the coordinator once its build is done, and probe scans long-poll for the
// merged one (coordinator/scheduler/dynamic-filters.ts, which knows how many reports to expect
// because the scheduler registers each query's remote filters with their task counts):
//   PUT /v1/queries/:queryId/dynamic-filters/:filterId          body { taskId, summary }
//   GET /v1/queries/:queryId/dynamic-filters/:filterId?waitMs=N  -> { summary: Summary | null }
// A scan waits at most `dynamic_filtering_wait_timeout` (default 2 s), then reads, and applies a
// filter that arrives later to the splits and batches it reads after that. Requests carry the
// task's abort signal (and end with the scan), and the coordinator answers waiting scans when the
// query ends, so cancellation never hangs on a filter.
//
// Applying (worker/task/dynamic-filter-scan.ts): the summary becomes conjuncts over the scan column
// (`col IN (...)`, `col >= min AND col <= max`) offered to the connector's applyFilter on the worker:
// postgresql/mysql send them to the source as bound parameters, the lake turns them into partition
// and row-group predicates that PageSource.pruneSplit checks per split. Whatever the connector does
// not guarantee is checked by a row filter right after the scan (memory, tpch: only that).
import type { LiteralValue } from '../expr/expr.js';
import { decodeLiteral, formatValue } from '../expr/literal.js';
import type { DataType } from '../types.js';

/** Up to this many distinct build keys are kept as values; beyond, the range. */
export const DISTINCT_VALUES_LIMIT = 10_000;
/**
 * Integer and date keys keep up to this many: the scan's row filter checks them with a bitmap or
 * an integer hash set (worker/operators/dynamic-filter-rows.ts), so an EXISTS over a filtered
 * outer table (tens of thousands of keys) still thins a big table's rows before they move.
 */
export const INTEGER_VALUES_LIMIT = 250_000;

/** How many distinct build keys of type `t` a summary keeps as values. */
export function valuesLimit(t: DataType): number {
  return t.kind === 'integer' || t.kind === 'date' ? INTEGER_VALUES_LIMIT : DISTINCT_VALUES_LIMIT;
}

/** Join types whose probe rows without a build match are dropped: a probe-side filter is correct. */
export const FILTERING_JOIN_TYPES: ReadonlySet<string> = new Set([
  'inner',
  'right',
  'semi',
  'right_semi',
  'right_anti',
]);

/** Key types a summary can carry. */
export function summarizableType(t: DataType): boolean {
  return ['integer', 'bigint', 'double', 'decimal', 'date', 'timestamp', 'varchar'].includes(t.kind);
}

export type DynamicFilterSummary =
  /** Every distinct non-NULL build key value (none: no probe row can match). */
  | { readonly kind: 'values'; readonly type: DataType; readonly values: readonly LiteralValue[] }
  /** Too many distinct values: their inclusive range. */
  | { readonly kind: 'range'; readonly type: DataType; readonly min: LiteralValue; readonly max: LiteralValue }
  /** No restriction. */
  | { readonly kind: 'all' };

/** On a hash_join: a filter produced from build key `buildKey` (an index into buildKeys). */
export interface DynamicFilterSource {
  readonly id: string;
  readonly buildKey: number;
  /** The target scan is in another fragment: report the summary to the coordinator. */
  readonly remote: boolean;
}

/** On a table_scan: a filter applied to output column `column`. */
export interface DynamicFilterTarget {
  readonly id: string;
  readonly column: number;
  /** The producing join is in another fragment: fetch the merged summary from the coordinator. */
  readonly remote: boolean;
}

/** What a scan did with its dynamic filters (EXPLAIN ANALYZE), summed over a fragment's tasks. */
export interface DynamicFilterScanStats {
  /** One line per filter, e.g. `df0 l_orderkey IN (3 values) pushed` or `df1 not ready after 2000 ms`. */
  readonly filters: readonly string[];
  readonly waitMs: number;
  /** Rows the connector returned, and how many of them the row filter dropped. */
  readonly rowsRead: number;
  readonly rowsFiltered: number;
  readonly splits: number;
  readonly splitsSkipped: number;
  /** Counted when the connector prunes splits (the lake): files, partitions, row groups. */
  readonly files: number;
  readonly filesSkipped: number;
  readonly partitions: number;
  readonly partitionsSkipped: number;
  readonly rowGroups: number;
  readonly rowGroupsSkipped: number;
}

type Comparable = number | bigint | string;

const utf8 = new TextEncoder();

function comparable(v: LiteralValue, t: DataType): Comparable | null {
  const k = decodeLiteral(v, t);
  return typeof k === 'boolean' ? null : k;
}

/** Orders two values of type `t` as the engine does (strings by UTF-8 bytes). */
export function compareValues(a: LiteralValue, b: LiteralValue, t: DataType): number {
  const x = comparable(a, t);
  const y = comparable(b, t);
  if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
  if (typeof x === 'string' && typeof y === 'string') return compareUtf8(utf8.encode(x), utf8.encode(y));
  return x < y ? -1 : x > y ? 1 : 0;
}

export function compareUtf8(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Types whose literal values are plain numbers that order as the values do. */
function numericKeys(t: DataType): boolean {
  return t.kind === 'integer' || t.kind === 'date' || t.kind === 'double';
}

/** The range of a non-empty list of values. */
export function rangeOf(values: readonly LiteralValue[], t: DataType): { min: LiteralValue; max: LiteralValue } {
  if (numericKeys(t) && values.length > 0) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const v of values) {
      const x = Number(v);
      if (x < min) min = x;
      if (x > max) max = x;
    }
    return { min, max };
  }
  let min: LiteralValue = values[0] ?? null;
  let max: LiteralValue = values[0] ?? null;
  for (const v of values) {
    if (compareValues(v, min, t) < 0) min = v;
    if (compareValues(v, max, t) > 0) max = v;
  }
  return { min, max };
}

/** The summary of the union of two build sides (the coordinator merges partitioned joins). */
export function mergeSummaries(a: DynamicFilterSummary, b: DynamicFilterSummary, limit?: number): DynamicFilterSummary {
  if (a.kind === 'all' || b.kind === 'all') return { kind: 'all' };
  const type = a.type;
  const max = limit ?? valuesLimit(type);
  if (a.kind === 'values' && a.values.length === 0) return b;
  if (b.kind === 'values' && b.values.length === 0) return a;
  if (a.kind === 'values' && b.kind === 'values') {
    // Tens of thousands of integer keys per task: sorting numbers beats a Set of them.
    if (numericKeys(type)) {
      const all = new Float64Array(a.values.length + b.values.length);
      let n = 0;
      for (const v of a.values) all[n++] = Number(v);
      for (const v of b.values) all[n++] = Number(v);
      all.sort();
      const values: number[] = [];
      for (let i = 0; i < n; i++) if (i === 0 || all[i] !== all[i - 1]) values.push(all[i]!);
      if (values.length <= max) return { kind: 'values', type, values };
      return { kind: 'range', type, min: values[0]!, max: values[values.length - 1]! };
    }
    const set = new Set<LiteralValue>(a.values);
    for (const v of b.values) set.add(v);
    if (set.size <= max) return { kind: 'values', type, values: [...set] };
    return { kind: 'range', type, ...rangeOf([...set], type) };
  }
  const bounds = (s: typeof a): LiteralValue[] => (s.kind === 'values' ? [...s.values] : [s.min, s.max]);
  return { kind: 'range', type, ...rangeOf([...bounds(a), ...bounds(b)], type) };
}

/** A value as SQL text: `12`, `'abc'`, `DATE '2024-05-01'`. */
function valueText(v: LiteralValue, t: DataType): string {
  const text = formatValue(decodeLiteral(v, t), t) ?? 'NULL';
  if (t.kind === 'varchar') return `'${text.replace(/'/g, "''")}'`;
  if (t.kind === 'date' || t.kind === 'timestamp') return `${t.kind.toUpperCase()} '${text}'`;
  return text;
}

/** Short text for EXPLAIN ANALYZE: `IN (1, 2, 3)`, `IN (120 values)`, `BETWEEN 1 AND 9`. */
export function describeSummary(s: DynamicFilterSummary): string {
  switch (s.kind) {
    case 'all':
      return 'no restriction';
    case 'values':
      if (s.values.length === 0) return 'no values (nothing can match)';
      if (s.values.length <= 5) return `IN (${s.values.map((v) => valueText(v, s.type)).join(', ')})`;
      return `IN (${s.values.length} values)`;
    case 'range':
      return `BETWEEN ${valueText(s.min, s.type)} AND ${valueText(s.max, s.type)}`;
    default:
      return 'unknown';
  }
}

function isLiteral(v: unknown): v is LiteralValue {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Validates a summary received over HTTP. */
export function parseSummary(v: unknown): DynamicFilterSummary | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (o.kind === 'all') return { kind: 'all' };
  const type = o.type as DataType | undefined;
  if (typeof type !== 'object' || type === null || !summarizableType(type)) return undefined;
  if (o.kind === 'values' && Array.isArray(o.values) && o.values.every(isLiteral)) {
    return { kind: 'values', type, values: o.values };
  }
  if (o.kind === 'range' && isLiteral(o.min) && isLiteral(o.max))
    return { kind: 'range', type, min: o.min, max: o.max };
  return undefined;
}
