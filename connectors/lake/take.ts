// Copies chosen rows of a batch column (Tributary layouts, common/arrow/schema.ts) into new
// buffers, and reads one value of a partition column; used by the partitioned page sink.
import type { Data } from 'apache-arrow';
import type { ColumnBuffers } from '../../common/arrow/batch.js';
import type { DataType } from '../../common/types.js';

function bit(bits: Uint8Array, i: number): boolean {
  return ((bits[i >> 3]! >> (i & 7)) & 1) === 1;
}

function isValid(d: Data, row: number): boolean {
  const bitmap = d.nullBitmap;
  if (d.nullCount === 0 || !bitmap || bitmap.length === 0) return true;
  return bit(bitmap, d.offset + row);
}

/** Rows `rows` of column `d` (type `t`) as fresh buffers. */
export function takeRows(d: Data, t: DataType, rows: readonly number[]): ColumnBuffers {
  const n = rows.length;
  let validity: Uint8Array | null = null;
  if (d.nullCount !== 0 && d.nullBitmap && d.nullBitmap.length > 0) {
    validity = new Uint8Array((n + 7) >> 3);
    for (let k = 0; k < n; k++) if (isValid(d, rows[k]!)) validity[k >> 3]! |= 1 << (k & 7);
  }
  switch (t.kind) {
    case 'unknown':
      return { values: new Uint8Array(0), validity: new Uint8Array((n + 7) >> 3) };
    case 'boolean': {
      const src = d.values as Uint8Array;
      const out = new Uint8Array((n + 7) >> 3);
      for (let k = 0; k < n; k++) if (bit(src, d.offset + rows[k]!)) out[k >> 3]! |= 1 << (k & 7);
      return { values: out, validity };
    }
    case 'varchar': {
      const offs = d.valueOffsets as Int32Array;
      const src = d.values as Uint8Array;
      const out = new Int32Array(n + 1);
      let total = 0;
      for (let k = 0; k < n; k++) {
        const r = rows[k]!;
        total += offs[r + 1]! - offs[r]!;
        out[k + 1] = total;
      }
      const bytes = new Uint8Array(total);
      for (let k = 0; k < n; k++) {
        const r = rows[k]!;
        bytes.set(src.subarray(offs[r]!, offs[r + 1]!), out[k]!);
      }
      return { values: bytes, offsets: out, validity };
    }
    default: {
      const stride = t.kind === 'decimal' && t.precision > 15 ? 4 : 1;
      const src = d.values as Float64Array;
      const Ctor = src.constructor as new (n: number) => Float64Array;
      const out = new Ctor(n * stride);
      for (let k = 0; k < n; k++) {
        const r = rows[k]! * stride;
        for (let w = 0; w < stride; w++) out[k * stride + w] = src[r + w]!;
      }
      return { values: out, validity };
    }
  }
}

const utf8 = new TextDecoder();

/** The hive-style text of one value of a partition column (integer, bigint, date, varchar); null for NULL. */
export function partitionText(d: Data, t: DataType, row: number): string | null {
  if (!isValid(d, row)) return null;
  switch (t.kind) {
    case 'integer':
    case 'bigint':
      return String((d.values as Int32Array | BigInt64Array)[row]);
    case 'date': {
      const days = (d.values as Int32Array)[row]!;
      return new Date(days * 86_400_000).toISOString().slice(0, 10);
    }
    case 'varchar': {
      const offs = d.valueOffsets as Int32Array;
      return utf8.decode((d.values as Uint8Array).subarray(offs[row]!, offs[row + 1]!));
    }
    default:
      return String(d.values[row]);
  }
}
