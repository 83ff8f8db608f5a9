// PostgreSQL text output of whole Arrow columns, one tight loop per type over the typed arrays
// (never Vector.get). Layouts per SQL type: common/arrow/schema.ts.
import type { Data, RecordBatch } from 'apache-arrow';
import { assertNever } from '../assert.js';
import { formatInterval, nanosWordsToMicros } from '../time/interval.js';
import { zoneByName } from '../time/zone.js';
import type { DataType } from '../types.js';
import { formatDate, formatTimestamptz, formatTimestampWords } from './datetime.js';
import { formatLongDecimal, formatShortDecimal } from './decimal.js';
import { formatDouble } from './double.js';

export { formatDate, formatTimestamp, formatTimestampNumber, formatTimestamptz } from './datetime.js';
export { decimal128ToBigInt, formatBigIntDecimal, formatLongDecimal, formatShortDecimal } from './decimal.js';
export { formatDouble } from './double.js';

const TWO_32 = 4294967296;
const utf8 = new TextDecoder();

/** The validity bitmap of `data` when it has nulls (bit set = valid, index with data.offset), else null. */
export function validityOf(data: Data): Uint8Array | null {
  return data.nullCount > 0 && data.nullBitmap && data.nullBitmap.length > 0 ? data.nullBitmap : null;
}

/** Low and high 32-bit words of a BigInt64Array, read as numbers (avoids a BigInt per value). */
export function int64Words(values: BigInt64Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
}

/** Text of a signed 64-bit value given as its words (lo unsigned, hi as uint32). */
export function formatInt64Words(lo: number, hiU: number): string {
  const hi = hiU | 0;
  if (hi >= -0x200000 && hi < 0x200000) return String(hi * TWO_32 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

export function formatColumn(
  batch: RecordBatch,
  colIndex: number,
  type: DataType,
  timeZone = 'UTC',
): (string | null)[] {
  const data = batch.data.children[colIndex];
  if (!data) throw new Error(`batch has no column ${colIndex}`);
  return formatData(data, type, timeZone);
}

/**
 * PostgreSQL text output of every value of one column chunk; null for SQL NULL. `timeZone` is
 * the session's (timestamp with time zone prints in it).
 */
export function formatData(data: Data, type: DataType, timeZone = 'UTC'): (string | null)[] {
  const n = data.length;
  const out = new Array<string | null>(n);
  const valid = validityOf(data);
  const off = data.offset;
  switch (type.kind) {
    case 'boolean': {
      const bits = data.values as Uint8Array;
      for (let i = 0; i < n; i++) {
        const j = i + off;
        out[i] = valid && !((valid[j >> 3]! >> (j & 7)) & 1) ? null : (bits[j >> 3]! >> (j & 7)) & 1 ? 't' : 'f';
      }
      return out;
    }
    case 'integer': {
      const v = data.values as Int32Array;
      for (let i = 0; i < n; i++) out[i] = isNull(valid, i + off) ? null : String(v[i]);
      return out;
    }
    case 'bigint': {
      const w = int64Words(data.values as BigInt64Array);
      for (let i = 0; i < n; i++) out[i] = isNull(valid, i + off) ? null : formatInt64Words(w[2 * i]!, w[2 * i + 1]!);
      return out;
    }
    case 'double': {
      const v = data.values as Float64Array;
      for (let i = 0; i < n; i++) out[i] = isNull(valid, i + off) ? null : formatDouble(v[i]!);
      return out;
    }
    case 'decimal': {
      const scale = type.scale;
      if (data.values instanceof Float64Array) {
        const v = data.values;
        for (let i = 0; i < n; i++) out[i] = isNull(valid, i + off) ? null : formatShortDecimal(v[i]!, scale);
      } else {
        const w = data.values as Uint32Array;
        for (let i = 0; i < n; i++) out[i] = isNull(valid, i + off) ? null : formatLongDecimal(w, i, scale);
      }
      return out;
    }
    case 'varchar': {
      const offsets = data.valueOffsets as Int32Array;
      const bytes = data.values as Uint8Array;
      for (let i = 0; i < n; i++) {
        out[i] = isNull(valid, i + off) ? null : utf8.decode(bytes.subarray(offsets[i]!, offsets[i + 1]!));
      }
      return out;
    }
    case 'date': {
      const v = data.values as Int32Array;
      for (let i = 0; i < n; i++) out[i] = isNull(valid, i + off) ? null : formatDate(v[i]!);
      return out;
    }
    case 'timestamp': {
      const w = int64Words(data.values as BigInt64Array);
      for (let i = 0; i < n; i++) {
        out[i] = isNull(valid, i + off) ? null : formatTimestampWords(w[2 * i]!, w[2 * i + 1]! | 0);
      }
      return out;
    }
    case 'timestamptz': {
      const v = data.values as BigInt64Array;
      const zone = zoneByName(timeZone);
      for (let i = 0; i < n; i++) out[i] = isNull(valid, i + off) ? null : formatTimestamptz(v[i]!, zone);
      return out;
    }
    case 'interval': {
      const w = data.values as Int32Array;
      for (let i = 0; i < n; i++) {
        const b = 4 * i;
        out[i] = isNull(valid, i + off)
          ? null
          : formatInterval(w[b]!, w[b + 1]!, nanosWordsToMicros(w[b + 2]!, w[b + 3]!));
      }
      return out;
    }
    case 'unknown':
      return out.fill(null);
    default:
      return assertNever(type, 'type');
  }
}

function isNull(valid: Uint8Array | null, j: number): boolean {
  return valid !== null && ((valid[j >> 3]! >> (j & 7)) & 1) === 0;
}
