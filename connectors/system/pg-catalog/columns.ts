// Column lists of pg_catalog tables, written as in PostgreSQL's catalog docs ("relname name,
// relkind char, ...") and mapped to Tributary types: oid, regproc, xid -> integer (OIDs here are
// < 2^31); name, "char", text -> varchar; int2 -> integer; float4 -> double; arrays and
// pg_node_tree -> varchar in PostgreSQL's text form (always NULL in Tributary's rows).

import { SqlError } from '../../../common/errors.js';
import { BIGINT, BOOLEAN, type ColumnSchema, DOUBLE, INTEGER, TIMESTAMPTZ, VARCHAR } from '../../../common/types.js';

const TYPES = {
  oid: INTEGER,
  xid: INTEGER,
  int2: INTEGER,
  int4: INTEGER,
  int8: BIGINT,
  float4: DOUBLE,
  bool: BOOLEAN,
  name: VARCHAR,
  char: VARCHAR,
  text: VARCHAR,
  regproc: VARCHAR,
  timestamptz: TIMESTAMPTZ,
  array: VARCHAR,
  pg_node_tree: VARCHAR,
} as const;

type PgColumnType = keyof typeof TYPES;

/** Columns from `"name type, name type, ..."`; types are the keys of TYPES. */
export function pgColumns(spec: string): readonly ColumnSchema[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const [name, type] = s.split(/\s+/);
      if (!name || !type || !(type in TYPES)) throw SqlError.internal(`pg_catalog column spec: ${s}`);
      return { name, type: TYPES[type as PgColumnType], nullable: type === 'array' || type === 'pg_node_tree' };
    });
}
