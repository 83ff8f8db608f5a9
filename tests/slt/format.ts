// How query results are written in .slt files: one line per row, values separated by one space,
// NULL for SQL NULL, (empty) for the empty string, everything else exactly as the server sent it in
// text format (booleans t/f, numerics as PostgreSQL prints them).
import type { SortMode } from './parser.js';

/** Formats one text-format value. */
export function formatValue(value: string | null): string {
  if (value === null) return 'NULL';
  if (value === '') return '(empty)';
  return value;
}

export function formatRow(values: readonly (string | null)[]): string {
  return values.map(formatValue).join(' ');
}

/**
 * The lines a result is written as under a sort mode: rows in order (nosort), rows sorted (rowsort),
 * or every value sorted, one per line (valuesort). Sorting is by code unit, like C collation.
 */
export function resultLines(rows: readonly (readonly (string | null)[])[], sortMode: SortMode): string[] {
  switch (sortMode) {
    case 'nosort':
      return rows.map(formatRow);
    case 'rowsort':
      return rows.map(formatRow).sort(compareCodeUnits);
    case 'valuesort':
      return rows
        .flat()
        .map((v) => formatValue(v))
        .sort(compareCodeUnits);
    default: {
      const never: never = sortMode;
      throw new Error(`unknown sort mode ${String(never)}`);
    }
  }
}

/** Expected lines normalized for comparison under a sort mode. */
export function expectedLines(expected: readonly string[], sortMode: SortMode): string[] {
  const trimmed = expected.map((l) => l.trimEnd());
  return sortMode === 'nosort' ? trimmed : [...trimmed].sort(compareCodeUnits);
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sameLines(expected: readonly string[], actual: readonly string[]): boolean {
  if (expected.length !== actual.length) return false;
  for (let i = 0; i < expected.length; i++) {
    if (expected[i] !== actual[i]!.trimEnd()) return false;
  }
  return true;
}

// PostgreSQL type OIDs (pg_type) grouped by the sqllogictest type letter used when completing files.
const INTEGER_OIDS = new Set([20, 21, 23, 26]);
const FLOAT_OIDS = new Set([700, 701, 1700]);
const BOOL_OIDS = new Set([16]);
const DATETIME_OIDS = new Set([1082, 1083, 1114, 1184, 1186, 1266]);

/** The type letter for a result column: I integer, R float/numeric, B boolean, D date/time, T anything else. */
export function typeLetter(oid: number): string {
  if (INTEGER_OIDS.has(oid)) return 'I';
  if (FLOAT_OIDS.has(oid)) return 'R';
  if (BOOL_OIDS.has(oid)) return 'B';
  if (DATETIME_OIDS.has(oid)) return 'D';
  return 'T';
}
