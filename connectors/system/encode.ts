// System table rows travel inside the split as JSON column arrays (computed on the
// coordinator); the worker turns them into Arrow batches of the requested columns.
import type { RecordBatch } from 'apache-arrow';
import { type ColumnBuffers, makeBatch } from '../../common/arrow/batch.js';
import { SqlError } from '../../common/errors.js';
import type { JsonValue } from '../../common/json.js';
import type { ColumnSchema, DataType } from '../../common/types.js';
import type { SystemValue } from './table.js';

export const SYSTEM_BATCH_ROWS = 8192;

export type SystemRowsPayload = {
  readonly rowCount: number;
  readonly names: readonly string[];
  /** Column-major: columns[c][row]. */
  readonly columns: readonly (readonly SystemValue[])[];
};

export function encodeRows(
  columns: readonly ColumnSchema[],
  rows: readonly (readonly SystemValue[])[],
): SystemRowsPayload {
  const out: SystemValue[][] = columns.map(() => new Array<SystemValue>(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let c = 0; c < columns.length; c++) out[c]![r] = row[c] ?? null;
  }
  return { rowCount: rows.length, names: columns.map((c) => c.name), columns: out };
}

function isRecord(v: JsonValue): v is { readonly [k: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function toRowsPayload(p: JsonValue): SystemRowsPayload {
  const bad = () => SqlError.internal('system connector: malformed split');
  if (!isRecord(p) || typeof p.rowCount !== 'number' || !Array.isArray(p.names) || !Array.isArray(p.columns)) {
    throw bad();
  }
  const names = p.names.map((n) => {
    if (typeof n !== 'string') throw bad();
    return n;
  });
  const columns = p.columns.map((c) => {
    if (!Array.isArray(c) || c.length !== p.rowCount) throw bad();
    return c as readonly SystemValue[];
  });
  if (columns.length !== names.length) throw bad();
  return { rowCount: p.rowCount, names, columns };
}

/** Batches of at most SYSTEM_BATCH_ROWS rows holding `wanted` (by name), in that order. */
export function* decodeBatches(payload: SystemRowsPayload, wanted: readonly ColumnSchema[]): Generator<RecordBatch> {
  const sources = wanted.map((w) => {
    const i = payload.names.indexOf(w.name);
    if (i < 0) throw SqlError.internal(`system connector: no column ${w.name} in split`);
    return payload.columns[i]!;
  });
  for (let start = 0; start < payload.rowCount; start += SYSTEM_BATCH_ROWS) {
    const end = Math.min(payload.rowCount, start + SYSTEM_BATCH_ROWS);
    yield makeBatch(
      wanted,
      end - start,
      wanted.map((w, i) => buildColumn(w.type, sources[i]!, start, end)),
    );
  }
}

function buildColumn(type: DataType, values: readonly SystemValue[], start: number, end: number): ColumnBuffers {
  const n = end - start;
  let validity: Uint8Array | null = null;
  const setNull = (i: number) => {
    if (!validity) validity = new Uint8Array((n + 7) >> 3).fill(0xff);
    validity[i >> 3]! &= ~(1 << (i & 7));
  };
  switch (type.kind) {
    case 'boolean': {
      const bits = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) {
        const v = values[start + i];
        if (v === null || v === undefined) setNull(i);
        else if (v === true) bits[i >> 3]! |= 1 << (i & 7);
      }
      return { values: bits, validity };
    }
    case 'integer':
    case 'date':
    case 'double':
    case 'bigint':
    case 'timestamp':
    case 'timestamptz': {
      const wide = type.kind === 'bigint' || type.kind === 'timestamp' || type.kind === 'timestamptz';
      const out = wide ? new BigInt64Array(n) : type.kind === 'double' ? new Float64Array(n) : new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[start + i];
        if (typeof v !== 'number') setNull(i);
        else if (out instanceof BigInt64Array) out[i] = BigInt(Math.trunc(v));
        else out[i] = v;
      }
      return { values: out, validity };
    }
    case 'varchar': {
      const encoder = new TextEncoder();
      const parts: Uint8Array[] = [];
      const offsets = new Int32Array(n + 1);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const v = values[start + i];
        if (v === null || v === undefined) setNull(i);
        else {
          const bytes = encoder.encode(String(v));
          parts.push(bytes);
          total += bytes.length;
        }
        offsets[i + 1] = total;
      }
      const data = new Uint8Array(total);
      let at = 0;
      for (const p of parts) {
        data.set(p, at);
        at += p.length;
      }
      return { values: data, offsets, validity };
    }
    default:
      throw SqlError.internal(`system connector: columns of type ${type.kind} are not supported`);
  }
}
