// PostgreSQL's side of top-N and aggregation pushdown: ORDER BY items and aggregate expressions
// that give exactly Tributary's order and values (see remote-sql/pushdown.ts for which columns).
import type { DataType } from '../../common/types.js';
import type { RemoteAggregateFn, RemoteColumn } from '../remote-sql/handle.js';

/** Strings order byte-wise under COLLATE "C", as in Tributary; NULLS FIRST/LAST always spelled. */
export function pgSortKey(
  sql: string,
  column: RemoteColumn,
  ascending: boolean,
  nullsFirst: boolean,
): string | undefined {
  let key: string;
  if (column.pushdown === 'all') key = sql;
  else if (column.pushdown === 'equality' && column.type.kind === 'varchar') key = `${sql} COLLATE "C"`;
  else return undefined;
  return `${key} ${ascending ? 'ASC' : 'DESC'} NULLS ${nullsFirst ? 'FIRST' : 'LAST'}`;
}

/** 10^-scale as an exact numeric literal: 1, 0.1, 0.01 ... */
function unit(scale: number): string {
  return scale === 0 ? '1' : `0.${'0'.repeat(scale - 1)}1`;
}

/**
 * Casts where PostgreSQL's result type differs from Tributary's (sum(int8) is numeric, sum(real)
 * is real); avg of integers as sum / count in float8 (Tributary divides the exact sum); avg of
 * decimal(p,s) rounded half away from zero to scale s with integer arithmetic, exactly as Tributary.
 */
export function pgAggregate(
  fn: RemoteAggregateFn,
  arg: { sql: string; column: RemoteColumn } | null,
  type: DataType,
): string | undefined {
  if (fn === 'count_star') return type.kind === 'bigint' ? 'count(*)' : undefined;
  if (arg === null) return undefined;
  const x = arg.sql;
  const from = arg.column.type;
  switch (fn) {
    case 'count':
      return `count(${x})`;
    case 'sum':
      if (type.kind === 'bigint') return `CAST(sum(${x}) AS int8)`;
      if (type.kind === 'decimal') return `CAST(sum(${x}) AS numeric(${type.precision},${type.scale}))`;
      if (type.kind === 'double') return `sum(CAST(${x} AS float8))`;
      return undefined;
    case 'avg':
      if (type.kind === 'double' && (from.kind === 'integer' || from.kind === 'bigint'))
        return `(CAST(sum(${x}) AS float8) / count(${x}))`;
      if (type.kind === 'double' && from.kind === 'double') return `avg(CAST(${x} AS float8))`;
      if (type.kind === 'decimal' && from.kind === 'decimal' && type.scale === from.scale) {
        const s = type.scale;
        return `CAST(sign(sum(${x})) * div(abs(sum(${x})) * 2${'0'.repeat(s)} + count(${x}), 2 * count(${x})) * ${unit(s)} AS numeric(${type.precision},${s}))`;
      }
      return undefined;
    case 'min':
    case 'max':
      if (from.kind === 'boolean') return undefined; // PostgreSQL has no min(boolean)
      if (arg.column.pushdown === 'equality' && from.kind === 'varchar') return `${fn}(${x} COLLATE "C")`;
      return arg.column.pushdown === 'all' ? `${fn}(${x})` : undefined;
  }
}

/** Heap pages [from, to) through ctid (a TID range scan on PostgreSQL 14+). */
export function pgPageRange(bind: (text: string) => number, fromPage: number, toPage: number | null): string {
  const parts: string[] = [];
  if (fromPage > 0) parts.push(`ctid >= $${bind(`(${fromPage},0)`)}::tid`);
  if (toPage !== null) parts.push(`ctid < $${bind(`(${toPage},0)`)}::tid`);
  return parts.length === 0 ? '(1 = 1)' : `(${parts.join(' AND ')})`;
}
