// PostgreSQL column types -> Tributary types (documented in connectors/postgresql/README.md).
// Values are read in text format, so any type can fall back to varchar.
import {
  BIGINT,
  BOOLEAN,
  DATE,
  type DataType,
  DOUBLE,
  decimal,
  INTEGER,
  INTERVAL,
  TIMESTAMP,
  TIMESTAMPTZ,
  VARCHAR,
} from '../../common/types.js';
import type { PushdownClass } from '../remote-sql/handle.js';

/** Unconstrained `numeric` becomes decimal(38, 10); values with more fractional digits are rounded half up. */
export const UNCONSTRAINED_NUMERIC_SCALE = 10;

export interface PgColumnType {
  /** pg_type.typname (of the base type for domains). */
  readonly typname: string;
  /** pg_type.typtype: b base, e enum, d domain, ... */
  readonly typtype: string;
  /** pg_type.typcategory: A array, ... */
  readonly typcategory: string;
  /** pg_attribute.atttypmod */
  readonly typmod: number;
}

/** `rounded`: values are rounded when read (see RemoteColumn). */
export function mapPgType(t: PgColumnType): { type: DataType; pushdown: PushdownClass; rounded?: boolean } {
  if (t.typcategory === 'A') return { type: VARCHAR, pushdown: 'none' };
  if (t.typtype === 'e') return { type: VARCHAR, pushdown: 'none' };
  switch (t.typname) {
    case 'int2':
    case 'int4':
      return { type: INTEGER, pushdown: 'all' };
    case 'int8':
      return { type: BIGINT, pushdown: 'all' };
    case 'oid':
      return { type: BIGINT, pushdown: 'none' };
    case 'float4':
      // Read as the shortest text that rounds to the float4 value: not the float4 value itself.
      return { type: DOUBLE, pushdown: 'all', rounded: true };
    case 'float8':
      return { type: DOUBLE, pushdown: 'all' };
    case 'numeric': {
      if (t.typmod < 4) return { type: decimal(38, UNCONSTRAINED_NUMERIC_SCALE), pushdown: 'all', rounded: true };
      const precision = ((t.typmod - 4) >> 16) & 0xffff;
      const scale = (t.typmod - 4) & 0xffff;
      // PostgreSQL 15 allows negative scales and scale > precision: read those as text.
      if (precision > 38 || scale > precision || scale > 0x7fff) return { type: VARCHAR, pushdown: 'none' };
      return { type: decimal(precision, scale), pushdown: 'all' };
    }
    case 'bool':
      return { type: BOOLEAN, pushdown: 'all' };
    case 'text':
    case 'varchar':
      // Equality is byte-wise under deterministic collations (the default).
      return { type: VARCHAR, pushdown: 'equality' };
    case 'date':
      return { type: DATE, pushdown: 'all' };
    case 'timestamp':
      return { type: TIMESTAMP, pushdown: 'all' };
    case 'timestamptz':
      // Instants, read as UTC text (the session's TimeZone is UTC); literals are bound with +00.
      return { type: TIMESTAMPTZ, pushdown: 'all' };
    case 'interval':
      // Read from IntervalStyle postgres text; not pushed down.
      return { type: INTERVAL, pushdown: 'none' };
    default:
      // bpchar, name, bytea (\x hex), time, timetz, json, jsonb, uuid, xml, inet, money, ...
      return { type: VARCHAR, pushdown: 'none' };
  }
}
