// What a table generator returns for one range of units: the requested columns' buffers.
import type { ColumnBuffers } from '../../common/arrow/batch.js';
import { SqlError } from '../../common/errors.js';
import { SqlStates } from '../../common/sqlstate.js';

export interface Chunk {
  readonly length: number;
  readonly buffers: readonly ColumnBuffers[];
}

/** Generates units [start, end) of a table at scale factor `sf`, only the named columns. */
export type TableGenerator = (sf: number, start: number, end: number, columns: readonly string[]) => Chunk;

/** Builds each requested column by name; a column's builder runs only when it is requested. */
export function buildColumns(
  table: string,
  length: number,
  columns: readonly string[],
  builders: Readonly<Record<string, () => ColumnBuffers>>,
): Chunk {
  const buffers = columns.map((name) => {
    const build = builders[name];
    if (!build) throw new SqlError(SqlStates.undefinedColumn, `tpch table ${table} has no column ${name}`);
    return build();
  });
  return { length, buffers };
}

/** Memoizes an intermediate shared by several columns (e.g. ship dates). */
export function lazy<T>(f: () => T): () => T {
  let value: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      value = f();
      done = true;
    }
    return value as T;
  };
}

export function int32(values: Int32Array): ColumnBuffers {
  return { values, validity: null };
}

export function float64(values: Float64Array): ColumnBuffers {
  return { values, validity: null };
}

/** Keys start + 1 ... end (dbgen keys are 1-based row numbers). */
export function sequence(start: number, end: number, first = start + 1): Int32Array {
  const out = new Int32Array(end - start);
  for (let i = 0; i < out.length; i++) out[i] = first + i;
  return out;
}
