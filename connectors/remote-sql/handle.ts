// The table handle of a remote SQL table: plain JSON that accumulates what was pushed into it
// (filters as Expr, a top-N or limit, an aggregation, a join) and ships to the workers inside
// the split. A handle reads a `relation`: the table itself, or a pushed join / aggregation over
// other handles, which the SQL builder nests as derived tables.

import { SqlError } from '../../common/errors.js';
import type { Expr } from '../../common/expr/expr.js';
import type { AggregateFn } from '../../common/functions/aggregates.js';
import type { JsonValue } from '../../common/json.js';
import type { DataType } from '../../common/types.js';
import type { TableHandle } from '../spi.js';

/**
 * How far predicates on a column may be pushed:
 *   'all'      comparisons, IN, IS NULL (numbers, dates, timestamps, booleans)
 *   'equality' = <> IN only (strings with byte-wise equality at the source)
 *   'superset' = IN only, and the engine re-checks (MySQL strings: collations compare case- and
 *              trailing-space-insensitively, so the source returns a superset of the matches)
 *   'none'     IS [NOT] NULL only
 */
export type PushdownClass = 'all' | 'equality' | 'superset' | 'none';

export interface RemoteColumn {
  readonly name: string;
  readonly type: DataType;
  readonly pushdown: PushdownClass;
  /**
   * Values are rounded when read (PostgreSQL's unconstrained numeric -> decimal(38,10)): a sum or
   * average at the source would add the unrounded values, so those are not pushed.
   */
  readonly rounded?: boolean;
}

/** ORDER BY key of a pushed top-N (over the handle's own columns). */
export interface RemoteSortKey {
  readonly column: string;
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

/** The aggregates that can be pushed (the rest of AggregateFn stays in the engine). */
export type RemoteAggregateFn = Extract<AggregateFn, 'count_star' | 'count' | 'sum' | 'avg' | 'min' | 'max'>;

export interface RemoteAggregate {
  /** Output column name (unique among the relation's outputs). */
  readonly name: string;
  readonly fn: RemoteAggregateFn;
  /** Input column (of the input handle); null for count(*). */
  readonly arg: string | null;
  /** Tributary's result type: the SQL casts to it (or computes it exactly). */
  readonly type: DataType;
}

export type RemoteRelation =
  /** `schema`.`table` of the handle. */
  | { readonly kind: 'table' }
  | {
      readonly kind: 'join';
      readonly joinType: 'inner' | 'left';
      readonly left: RemoteTableHandle;
      readonly right: RemoteTableHandle;
      /** Equality pairs: left column = right column. */
      readonly on: readonly { readonly left: string; readonly right: string }[];
      /** Each output column: which side and which column of that side. */
      readonly outputs: readonly { readonly name: string; readonly side: 'left' | 'right'; readonly column: string }[];
    }
  | {
      readonly kind: 'aggregate';
      readonly input: RemoteTableHandle;
      /** Group keys: input column names, output under the same name. */
      readonly groupBy: readonly string[];
      readonly aggregates: readonly RemoteAggregate[];
    };

export interface RemoteTableHandle {
  /** The table read (for a join or aggregation: the left / input table, for messages). */
  readonly schema: string;
  readonly table: string;
  /** Output columns of the relation. */
  readonly columns: readonly RemoteColumn[];
  /** Conjuncts the source evaluates (over `ref` nodes naming columns). */
  readonly filters: readonly Expr[];
  readonly limit: number | null;
  /** With `limit`: a pushed top-N (ORDER BY these keys, then LIMIT). */
  readonly orderBy?: readonly RemoteSortKey[];
  /** Absent: the table `schema`.`table`. */
  readonly relation?: RemoteRelation;
}

export function relationOf(h: RemoteTableHandle): RemoteRelation {
  return h.relation ?? { kind: 'table' };
}

/** A plain table read: no limit, top-N, aggregation or join (the handle splits may divide). */
export function isPlainTable(h: RemoteTableHandle): boolean {
  return h.limit === null && (h.orderBy?.length ?? 0) === 0 && relationOf(h).kind === 'table';
}

export function toRemoteHandle(h: TableHandle): RemoteTableHandle {
  if (
    h === null ||
    typeof h !== 'object' ||
    Array.isArray(h) ||
    typeof (h as { schema?: unknown }).schema !== 'string' ||
    typeof (h as { table?: unknown }).table !== 'string' ||
    !Array.isArray((h as { columns?: unknown }).columns) ||
    !Array.isArray((h as { filters?: unknown }).filters)
  ) {
    throw SqlError.internal('remote-sql connector: malformed table handle');
  }
  return h as unknown as RemoteTableHandle;
}

export function fromRemoteHandle(h: RemoteTableHandle): TableHandle {
  return h as unknown as JsonValue;
}
