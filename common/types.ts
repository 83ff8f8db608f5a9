// SQL data types as the engine sees them. Every layer (binder, kernels, wire protocol,
// connectors) speaks this union; `common/arrow/schema.ts` says how each is laid out in Arrow.
import { assertNever } from './assert.js';

export type DataType =
  | { readonly kind: 'boolean' }
  | { readonly kind: 'integer' } // 32-bit signed
  | { readonly kind: 'bigint' } // 64-bit signed
  | { readonly kind: 'double' }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'varchar' }
  | { readonly kind: 'date' } // days since 1970-01-01
  | { readonly kind: 'timestamp' } // microseconds since 1970-01-01 00:00:00, no time zone
  | { readonly kind: 'timestamptz' } // an instant: microseconds since 1970-01-01 00:00:00 UTC
  | { readonly kind: 'interval' } // months, days and microseconds, kept apart (PostgreSQL)
  | { readonly kind: 'unknown' }; // the type of a bare NULL literal before coercion

export type TypeKind = DataType['kind'];

export const BOOLEAN: DataType = { kind: 'boolean' };
export const INTEGER: DataType = { kind: 'integer' };
export const BIGINT: DataType = { kind: 'bigint' };
export const DOUBLE: DataType = { kind: 'double' };
export const VARCHAR: DataType = { kind: 'varchar' };
export const DATE: DataType = { kind: 'date' };
export const TIMESTAMP: DataType = { kind: 'timestamp' };
export const TIMESTAMPTZ: DataType = { kind: 'timestamptz' };
export const INTERVAL: DataType = { kind: 'interval' };
export const UNKNOWN: DataType = { kind: 'unknown' };

export const MAX_DECIMAL_PRECISION = 38;
/**
 * Decimals up to this precision are "short": their scaled integer value fits exactly in a
 * float64 (10^15 < 2^53), so kernels work on plain JS numbers. Wider decimals are "long"
 * and use BigInt (see PERFORMANCE.md, rule 3).
 */
export const MAX_SHORT_DECIMAL_PRECISION = 15;

export function decimal(precision: number, scale: number): DataType {
  return { kind: 'decimal', precision: Math.min(precision, MAX_DECIMAL_PRECISION), scale };
}

export function isShortDecimal(t: DataType): boolean {
  return t.kind === 'decimal' && t.precision <= MAX_SHORT_DECIMAL_PRECISION;
}

export function isNumeric(t: DataType): boolean {
  return t.kind === 'integer' || t.kind === 'bigint' || t.kind === 'double' || t.kind === 'decimal';
}

export function typeEquals(a: DataType, b: DataType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'decimal' && b.kind === 'decimal') return a.precision === b.precision && a.scale === b.scale;
  return true;
}

/** SQL spelling, as DESCRIBE and information_schema show it. */
export function typeToSql(t: DataType): string {
  switch (t.kind) {
    case 'boolean':
    case 'integer':
    case 'bigint':
    case 'double':
    case 'varchar':
    case 'date':
    case 'timestamp':
    case 'interval':
    case 'unknown':
      return t.kind;
    case 'timestamptz':
      return 'timestamp with time zone';
    case 'decimal':
      return `decimal(${t.precision},${t.scale})`;
    default:
      return assertNever(t);
  }
}

/** Parses the spellings produced by `typeToSql` (used by serde and catalog files). */
export function parseTypeName(s: string): DataType | undefined {
  const name = s.trim().toLowerCase();
  const m = /^(?:decimal|numeric)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)$/.exec(name);
  if (m) return decimal(Number(m[1]), Number(m[2] ?? 0));
  switch (name) {
    case 'boolean':
    case 'bool':
      return BOOLEAN;
    case 'integer':
    case 'int':
    case 'int4':
      return INTEGER;
    case 'bigint':
    case 'int8':
      return BIGINT;
    case 'double':
    case 'double precision':
    case 'float8':
      return DOUBLE;
    case 'varchar':
    case 'text':
      return VARCHAR;
    case 'date':
      return DATE;
    case 'timestamp':
    case 'timestamp without time zone':
      return TIMESTAMP;
    case 'timestamptz':
    case 'timestamp with time zone':
      return TIMESTAMPTZ;
    case 'interval':
      return INTERVAL;
    case 'decimal':
    case 'numeric':
      return decimal(MAX_DECIMAL_PRECISION, 0);
    default:
      return undefined;
  }
}

/** A named, typed column of a table or of a plan node's output. */
export interface ColumnSchema {
  readonly name: string;
  readonly type: DataType;
  readonly nullable?: boolean;
}
