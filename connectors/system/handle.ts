// The system connector's table handle: which table, and for information_schema reached as
// `<catalog>.information_schema.*`, the catalog its rows are restricted to.
import { SqlError } from '../../common/errors.js';
import type { JsonValue } from '../../common/json.js';

export type SystemTableHandle = {
  readonly schema: string;
  readonly table: string;
  readonly catalogFilter?: string;
};

export function toSystemHandle(h: JsonValue): SystemTableHandle {
  if (typeof h !== 'object' || h === null || Array.isArray(h)) throw SqlError.internal('system connector: bad handle');
  const { schema, table, catalogFilter } = h as { readonly [k: string]: JsonValue };
  if (typeof schema !== 'string' || typeof table !== 'string') throw SqlError.internal('system connector: bad handle');
  if (catalogFilter !== undefined && typeof catalogFilter !== 'string') {
    throw SqlError.internal('system connector: bad handle');
  }
  return catalogFilter === undefined ? { schema, table } : { schema, table, catalogFilter };
}
