// What a remote SQL source can compute exactly as Tributary would: top-N, aggregation and joins
// of one catalog. Each function returns the new handle, or undefined when the source cannot do
// the whole thing (then nothing is pushed). The dialect renders the SQL (sortKey, aggregate);
// these rules decide from the column types and pushdown classes what is safe to ask for.
import { aggregateResultType } from '../../common/functions/aggregates.js';
import { typeEquals } from '../../common/types.js';
import type { AggregationSpec, JoinSpec } from '../spi.js';
import type { RemoteDialect } from './dialect.js';
import {
  type RemoteAggregate,
  type RemoteAggregateFn,
  type RemoteColumn,
  type RemoteSortKey,
  type RemoteTableHandle,
  relationOf,
} from './handle.js';
import { pushability } from './sql-builder.js';

/** Some pushed filter is only a superset of the engine's (re-checked above the scan). */
export function hasSupersetFilters(dialect: RemoteDialect, h: RemoteTableHandle): boolean {
  return h.filters.some((f) => pushability(dialect, h, f) === 'superset');
}

/** ORDER BY keys + LIMIT n. Replaces an earlier top-N on the same keys when n is smaller. */
export function pushTopN(
  dialect: RemoteDialect,
  h: RemoteTableHandle,
  limit: number,
  keys: readonly RemoteSortKey[],
): RemoteTableHandle | undefined {
  if (!Number.isSafeInteger(limit) || limit < 0 || keys.length === 0) return undefined;
  if (h.limit !== null) {
    // Only a tighter limit on the same order changes anything; a top-N over a plain LIMIT would
    // need a derived table (and is rare).
    const same =
      (h.orderBy ?? []).length === keys.length &&
      keys.every((k, i) => {
        const o = h.orderBy?.[i];
        return o?.column === k.column && o.ascending === k.ascending && o.nullsFirst === k.nullsFirst;
      });
    if (!same || h.limit <= limit) return undefined;
    return { ...h, limit };
  }
  // The engine re-checks superset filters above the scan: a limit below them could drop rows.
  if (hasSupersetFilters(dialect, h)) return undefined;
  const cols = new Map(h.columns.map((c) => [c.name, c]));
  for (const k of keys) {
    const c = cols.get(k.column);
    if (c === undefined || dialect.sortKey('x', c, k.ascending, k.nullsFirst) === undefined) return undefined;
  }
  return {
    ...h,
    orderBy: keys.map((k) => ({ column: k.column, ascending: k.ascending, nullsFirst: k.nullsFirst })),
    limit,
  };
}

/** Grouping by the column puts the same rows together at the source as in Tributary. */
function groupable(c: RemoteColumn): boolean {
  // Doubles: -0/0 and NaN group differently; rounded values group coarser than the source's.
  return (c.pushdown === 'all' || c.pushdown === 'equality') && c.type.kind !== 'double' && c.rounded !== true;
}

/** The source aggregates exactly what Tributary would read from the column. */
function aggregable(fn: RemoteAggregateFn, c: RemoteColumn): boolean {
  switch (fn) {
    case 'count_star':
    case 'count':
      return true; // only NULL-ness matters
    case 'sum':
    case 'avg': {
      const k = c.type.kind;
      const numeric = k === 'integer' || k === 'bigint' || k === 'decimal' || k === 'double';
      return numeric && c.pushdown === 'all' && c.rounded !== true;
    }
    case 'min':
    case 'max':
      // Rounding is monotonic: the min of rounded values is the rounded min.
      return c.pushdown === 'all' || c.pushdown === 'equality';
  }
}

const REMOTE_FNS: ReadonlySet<string> = new Set(['count_star', 'count', 'sum', 'avg', 'min', 'max']);

/** GROUP BY + aggregates over the handle, all or nothing. */
export function pushAggregation(
  dialect: RemoteDialect,
  h: RemoteTableHandle,
  spec: AggregationSpec,
): { handle: RemoteTableHandle; outputs: readonly string[] } | undefined {
  if (h.limit !== null || relationOf(h).kind === 'aggregate') return undefined;
  // Superset filters let extra rows into the groups: the engine could not take them out again.
  if (hasSupersetFilters(dialect, h)) return undefined;
  const cols = new Map(h.columns.map((c) => [c.name, c]));
  const keys: RemoteColumn[] = [];
  for (const g of spec.groupBy) {
    const c = cols.get(g);
    if (c === undefined || !groupable(c) || keys.some((k) => k.name === g)) return undefined;
    keys.push(c);
  }
  const used = new Set(keys.map((k) => k.name.toLowerCase()));
  const aggregates: RemoteAggregate[] = [];
  const outColumns: RemoteColumn[] = [...keys];
  for (const a of spec.aggregates) {
    if (a.distinct || !REMOTE_FNS.has(a.fn)) return undefined;
    const fn = a.fn as RemoteAggregateFn;
    if (a.args.length !== (fn === 'count_star' ? 0 : 1)) return undefined;
    const arg = a.args[0] === undefined ? null : cols.get(a.args[0]);
    if (arg === undefined) return undefined;
    if (arg !== null) {
      if (!aggregable(fn, arg)) return undefined;
      if (!typeEquals(a.type, aggregateResultType(fn, arg.type))) return undefined;
    }
    if (dialect.aggregate(fn, arg === null ? null : { sql: 'x', column: arg }, a.type) === undefined) return undefined;
    const name = uniqueName(`${fn === 'count_star' ? 'count' : fn}_${arg?.name ?? 'all'}`, used);
    aggregates.push({ name, fn, arg: arg?.name ?? null, type: a.type });
    outColumns.push({
      name,
      type: a.type,
      // The value read is the source's value: comparing it there is the same as here.
      pushdown: fn === 'min' || fn === 'max' ? (arg?.pushdown ?? 'all') : 'all',
      ...(arg?.rounded && (fn === 'min' || fn === 'max') ? { rounded: true } : {}),
    });
  }
  const handle: RemoteTableHandle = {
    schema: h.schema,
    table: h.table,
    columns: outColumns,
    filters: [],
    limit: null,
    relation: { kind: 'aggregate', input: h, groupBy: keys.map((k) => k.name), aggregates },
  };
  return { handle, outputs: [...keys.map((k) => k.name), ...aggregates.map((a) => a.name)] };
}

/** `a = b` at the source matches Tributary's equality (after its implicit widening casts). */
function joinable(a: RemoteColumn, b: RemoteColumn): boolean {
  const exact = (c: RemoteColumn) =>
    (c.pushdown === 'all' || c.pushdown === 'equality') && c.rounded !== true && c.type.kind !== 'double';
  if (!exact(a) || !exact(b)) return false;
  const family = (c: RemoteColumn): string => {
    switch (c.type.kind) {
      case 'integer':
      case 'bigint':
      case 'decimal':
        return 'number';
      case 'date':
      case 'timestamp':
        return 'time';
      default:
        return c.type.kind;
    }
  };
  return family(a) === family(b) && family(a) !== 'unknown';
}

/** An inner or left equi-join of two handles of this catalog, as one handle. */
export function pushJoin(
  dialect: RemoteDialect,
  left: RemoteTableHandle,
  right: RemoteTableHandle,
  spec: JoinSpec,
): { handle: RemoteTableHandle; left: ReadonlyMap<string, string>; right: ReadonlyMap<string, string> } | undefined {
  if (left.limit !== null || right.limit !== null || spec.on.length === 0) return undefined;
  // Rows the right side's superset filter let in would be joined to (and kept with) left rows.
  if (spec.joinType === 'left' && hasSupersetFilters(dialect, right)) return undefined;
  const lcols = new Map(left.columns.map((c) => [c.name, c]));
  const rcols = new Map(right.columns.map((c) => [c.name, c]));
  for (const p of spec.on) {
    const l = lcols.get(p.left);
    const r = rcols.get(p.right);
    if (l === undefined || r === undefined || !joinable(l, r)) return undefined;
  }
  const used = new Set<string>();
  const leftNames = new Map<string, string>();
  const rightNames = new Map<string, string>();
  const columns: RemoteColumn[] = [];
  const outputs: { name: string; side: 'left' | 'right'; column: string }[] = [];
  for (const [side, cols, names] of [
    ['left', left.columns, leftNames],
    ['right', right.columns, rightNames],
  ] as const) {
    for (const c of cols) {
      const name = uniqueName(c.name, used);
      names.set(c.name, name);
      columns.push({ ...c, name });
      outputs.push({ name, side, column: c.name });
    }
  }
  const handle: RemoteTableHandle = {
    schema: left.schema,
    table: left.table,
    columns,
    filters: [],
    limit: null,
    relation: { kind: 'join', joinType: spec.joinType, left, right, on: spec.on, outputs },
  };
  return { handle, left: leftNames, right: rightNames };
}

/** Generated names stay below PostgreSQL's 63-byte identifier limit (longer ones are truncated). */
const MAX_NAME_BYTES = 56;

/**
 * `base`, or `base_2`, `base_3`...: the first not in `used` (which it joins), compared
 * case-insensitively (MySQL column names are). Long bases are cut, so that the name with its
 * suffix fits an identifier; names already unique and short (table columns) stay as they are.
 */
function uniqueName(base: string, used: Set<string>): string {
  const encoder = new TextEncoder();
  let cut = base;
  while (encoder.encode(cut).length > MAX_NAME_BYTES) cut = Array.from(cut).slice(0, -1).join('');
  let name = used.has(base.toLowerCase()) || cut !== base ? cut : base;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${cut}_${i}`;
  used.add(name.toLowerCase());
  return name;
}

/** A short list of what was pushed, for EXPLAIN. */
export function pushedSummary(h: RemoteTableHandle): string[] {
  const out: string[] = [];
  const rel = relationOf(h);
  if (rel.kind === 'join')
    out.push(`join(${rel.joinType} on ${rel.on.map((p) => `${p.left} = ${p.right}`).join(', ')})`);
  if (rel.kind === 'aggregate') {
    out.push(
      `aggregation(${rel.aggregates.map((a) => (a.fn === 'count_star' ? 'count(*)' : `${a.fn}(${a.arg})`)).join(', ')}${rel.groupBy.length > 0 ? ` by ${rel.groupBy.join(', ')}` : ''})`,
    );
  }
  if (h.filters.length > 0) out.push(`filters=${h.filters.length}`);
  if (h.orderBy && h.orderBy.length > 0) out.push(`topN=${h.limit}`);
  else if (h.limit !== null) out.push(`limit=${h.limit}`);
  return out;
}
