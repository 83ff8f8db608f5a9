// The table handle of a remote SQL table: plain JSON that accumulates what was pushed into it
// (filters as Expr, a limit) and ships to the workers inside the split.

import { SqlError } from '../../common/errors.js';
import type { Expr } from '../../common/expr/expr.js';
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
}

export interface RemoteTableHandle {
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly RemoteColumn[];
  /** Conjuncts the source evaluates (over `ref` nodes naming columns). */
  readonly filters: readonly Expr[];
  readonly limit: number | null;
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
