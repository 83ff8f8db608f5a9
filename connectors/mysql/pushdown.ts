// MySQL's side of top-N and aggregation pushdown (see remote-sql/pushdown.ts for which columns).
// MySQL has no NULLS FIRST/LAST: `x IS NULL` is sorted first. Strings are never ordered or
// aggregated by min/max at the source (collations are case- and pad-insensitive).
import type { DataType } from '../../common/types.js';
import type { RemoteAggregateFn, RemoteColumn } from '../remote-sql/handle.js';

export function mysqlSortKey(
  sql: string,
  column: RemoteColumn,
  ascending: boolean,
  nullsFirst: boolean,
): string | undefined {
  if (column.pushdown !== 'all') return undefined;
  return `${sql} IS NULL ${nullsFirst ? 'DESC' : 'ASC'}, ${sql} ${ascending ? 'ASC' : 'DESC'}`;
}

/**
 * SUM of integers and decimals is an exact DECIMAL, read back into bigint / decimal(38,s) with a
 * range check (22003, as Tributary's own sum); avg of integers as the exact sum over the count in
 * DOUBLE (as Tributary). avg of decimals is not pushed: MySQL divides to only 4 more digits.
 */
export function mysqlAggregate(
  fn: RemoteAggregateFn,
  arg: { sql: string; column: RemoteColumn } | null,
  type: DataType,
): string | undefined {
  if (fn === 'count_star') return type.kind === 'bigint' ? 'COUNT(*)' : undefined;
  if (arg === null) return undefined;
  const x = arg.sql;
  const from = arg.column.type;
  switch (fn) {
    case 'count':
      return `COUNT(${x})`;
    case 'sum':
      return type.kind === 'bigint' || type.kind === 'decimal' || type.kind === 'double' ? `SUM(${x})` : undefined;
    case 'avg':
      if (type.kind === 'double' && (from.kind === 'integer' || from.kind === 'bigint'))
        return `(CAST(SUM(${x}) AS DOUBLE) / COUNT(${x}))`;
      if (type.kind === 'double' && from.kind === 'double') return `AVG(${x})`;
      return undefined;
    case 'min':
    case 'max':
      if (arg.column.pushdown !== 'all' || from.kind === 'varchar') return undefined;
      return `${fn.toUpperCase()}(${x})`;
  }
}
