// The system connector's table handle: which table, and for information_schema reached as
// `<catalog>.information_schema.*`, the catalog its rows are restricted to. pg_catalog tables
// describe one catalog (`catalogFilter`, the session's) with the session's schema first on the
// search path (`currentSchema`).
import { SqlError } from '../../common/errors.js';
import type { JsonValue } from '../../common/json.js';

export type SystemTableHandle = {
  readonly schema: string;
  readonly table: string;
  readonly catalogFilter?: string;
  readonly currentSchema?: string;
};

export function toSystemHandle(h: JsonValue): SystemTableHandle {
  if (typeof h !== 'object' || h === null || Array.isArray(h)) throw SqlError.internal('system connector: bad handle');
  const { schema, table, catalogFilter, currentSchema } = h as { readonly [k: string]: JsonValue };
  if (typeof schema !== 'string' || typeof table !== 'string') throw SqlError.internal('system connector: bad handle');
  if (catalogFilter !== undefined && typeof catalogFilter !== 'string') {
    throw SqlError.internal('system connector: bad handle');
  }
  if (currentSchema !== undefined && typeof currentSchema !== 'string') {
    throw SqlError.internal('system connector: bad handle');
  }
  return {
    schema,
    table,
    ...(catalogFilter === undefined ? {} : { catalogFilter }),
    ...(currentSchema === undefined ? {} : { currentSchema }),
  };
}
