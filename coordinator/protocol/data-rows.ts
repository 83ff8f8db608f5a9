// DataRow encoding of a RecordBatch: columns are prepared once per batch (text formatted
// column-at-a-time; varchar bytes copied straight from the Arrow buffer), then rows are written
// into the BufferWriter without per-row objects.
import type { RecordBatch } from 'apache-arrow';
import { assertNever } from '../../common/assert.js';
import { formatData, int64Words, validityOf } from '../../common/format/text.js';
import { nanosWordsToMicros } from '../../common/time/interval.js';
import type { ColumnSchema } from '../../common/types.js';
import { formatOf } from './backend.js';
import { PG_EPOCH_DAYS, PG_EPOCH_MICROS, writeNumericBinary } from './binary.js';
import type { BufferWriter } from './buffer-writer.js';
import { BackendCode } from './codes.js';

export type ColumnOut =
  /** ASCII text per value (numbers, booleans, dates); null = SQL NULL. */
  | { readonly kind: 'ascii'; readonly values: readonly (string | null)[] }
  /** Varchar: UTF-8 bytes between offsets, text and binary formats alike. */
  | {
      readonly kind: 'utf8';
      readonly offsets: Int32Array;
      readonly bytes: Uint8Array;
      readonly valid: Uint8Array | null;
      readonly off: number;
    }
  /** Binary format: `write(i)` writes length + value of a non-null row. */
  | {
      readonly kind: 'binary';
      readonly valid: Uint8Array | null;
      readonly off: number;
      readonly write: (i: number) => void;
    }
  | { readonly kind: 'null' };

export function prepareColumns(
  batch: RecordBatch,
  columns: readonly ColumnSchema[],
  formats: readonly number[],
  w: BufferWriter,
  timeZone = 'UTC',
): ColumnOut[] {
  const out: ColumnOut[] = [];
  for (let c = 0; c < columns.length; c++) {
    const data = batch.data.children[c];
    const type = columns[c]!.type;
    if (!data || type.kind === 'unknown') {
      out.push({ kind: 'null' });
      continue;
    }
    if (type.kind === 'varchar') {
      out.push({
        kind: 'utf8',
        offsets: data.valueOffsets as Int32Array,
        bytes: data.values as Uint8Array,
        valid: validityOf(data),
        off: data.offset,
      });
      continue;
    }
    if (formatOf(formats, c) === 0) {
      out.push({ kind: 'ascii', values: formatData(data, type, timeZone) });
      continue;
    }
    const valid = validityOf(data);
    const off = data.offset;
    switch (type.kind) {
      case 'boolean': {
        const bits = data.values as Uint8Array;
        out.push({
          kind: 'binary',
          valid,
          off,
          write: (i) => {
            const j = i + off;
            w.int32(1).byte((bits[j >> 3]! >> (j & 7)) & 1);
          },
        });
        break;
      }
      case 'integer': {
        const v = data.values as Int32Array;
        out.push({ kind: 'binary', valid, off, write: (i) => w.int32(4).int32(v[i]!) });
        break;
      }
      case 'bigint': {
        const words = int64Words(data.values as BigInt64Array);
        out.push({
          kind: 'binary',
          valid,
          off,
          write: (i) =>
            w
              .int32(8)
              .uint32(words[2 * i + 1]!)
              .uint32(words[2 * i]!),
        });
        break;
      }
      case 'double': {
        const v = data.values as Float64Array;
        out.push({ kind: 'binary', valid, off, write: (i) => w.int32(8).double(v[i]!) });
        break;
      }
      case 'decimal': {
        const text = formatData(data, type);
        out.push({ kind: 'binary', valid, off, write: (i) => writeNumericBinary(w, text[i]!) });
        break;
      }
      case 'date': {
        const v = data.values as Int32Array;
        out.push({
          kind: 'binary',
          valid,
          off,
          write: (i) => {
            const d = v[i]!;
            w.int32(4).int32(d === 2147483647 || d === -2147483648 ? d : d - PG_EPOCH_DAYS);
          },
        });
        break;
      }
      case 'timestamp':
      case 'timestamptz': {
        const values = data.values as BigInt64Array;
        const words = int64Words(values);
        out.push({
          kind: 'binary',
          valid,
          off,
          write: (i) => {
            const hi = words[2 * i + 1]! | 0;
            w.int32(8);
            if (hi >= -0x100000 && hi < 0x100000) {
              const v = hi * 4294967296 + words[2 * i]! - PG_EPOCH_MICROS;
              const vh = Math.floor(v / 4294967296);
              w.int32(vh).uint32(v - vh * 4294967296);
            } else {
              const raw = values[i]!;
              const inf = raw === 9223372036854775807n || raw === -9223372036854775808n;
              const v = BigInt.asUintN(64, inf ? raw : raw - BigInt(PG_EPOCH_MICROS));
              w.uint32(Number(v >> 32n)).uint32(Number(v & 0xffffffffn));
            }
          },
        });
        break;
      }
      case 'interval': {
        // int64 microseconds, int32 days, int32 months.
        const v = data.values as Int32Array;
        out.push({
          kind: 'binary',
          valid,
          off,
          write: (i) => {
            const b = 4 * i;
            const us = nanosWordsToMicros(v[b + 2]!, v[b + 3]!);
            const hi = Math.floor(us / 4294967296);
            w.int32(16)
              .int32(hi)
              .uint32(us - hi * 4294967296)
              .int32(v[b + 1]!)
              .int32(v[b]!);
          },
        });
        break;
      }
      default:
        return assertNever(type, 'type');
    }
  }
  return out;
}

/**
 * Writes DataRows for rows [from, to) and returns the next row; stops early once the writer
 * holds `maxBytes` so the caller can flush to the socket.
 */
export function writeDataRows(
  w: BufferWriter,
  cols: readonly ColumnOut[],
  from: number,
  to: number,
  maxBytes: number,
): number {
  const nc = cols.length;
  let i = from;
  while (i < to) {
    w.begin(BackendCode.dataRow).int16(nc);
    for (let c = 0; c < nc; c++) {
      const col = cols[c]!;
      switch (col.kind) {
        case 'ascii': {
          const s = col.values[i];
          if (s === null || s === undefined) w.int32(-1);
          else w.lengthPrefixedAscii(s);
          break;
        }
        case 'utf8': {
          const j = i + col.off;
          if (col.valid !== null && ((col.valid[j >> 3]! >> (j & 7)) & 1) === 0) w.int32(-1);
          else w.lengthPrefixedBytes(col.bytes, col.offsets[i]!, col.offsets[i + 1]!);
          break;
        }
        case 'binary': {
          const j = i + col.off;
          if (col.valid !== null && ((col.valid[j >> 3]! >> (j & 7)) & 1) === 0) w.int32(-1);
          else col.write(i);
          break;
        }
        case 'null':
          w.int32(-1);
          break;
        default:
          assertNever(col, 'column');
      }
    }
    w.end();
    i++;
    if (w.length >= maxBytes) break;
  }
  return i;
}
