// Rows from a driver (arrays of strings / numbers / bigints / Buffers / null, in select-list
// order) into one Arrow batch, column by column into preallocated typed arrays. The row arrays
// are dropped after the call; nothing per row survives.
import type { RecordBatch } from 'apache-arrow';
import { type ColumnBuffers, makeBatch } from '../../common/arrow/batch.js';
import { SqlError } from '../../common/errors.js';
import { SqlStates } from '../../common/sqlstate.js';
import { type Interval, parseInterval, setIntervalWords } from '../../common/time/interval.js';
import type { ColumnSchema } from '../../common/types.js';
import { parseDateText, parseTimestampText, scaleDecimalText } from './literals.js';

type Rows = readonly (readonly unknown[])[];

const encoder = new TextEncoder();

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return `\\x${v.toString('hex')}`;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function badValue(catalog: string, column: string, type: string, v: unknown): SqlError {
  const shown = text(v);
  return new SqlError(
    SqlStates.dataException,
    `catalog '${catalog}': column ${column}: value '${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}' cannot be read as ${type}`,
  );
}

/** Sets bit i (not null) of a validity bitmap. */
function setValid(validity: Uint8Array, i: number): void {
  validity[i >> 3]! |= 1 << (i & 7);
}

export function rowsToBatch(catalog: string, columns: readonly ColumnSchema[], rows: Rows): RecordBatch {
  const n = rows.length;
  const buffers: ColumnBuffers[] = new Array(columns.length);
  for (let c = 0; c < columns.length; c++) {
    buffers[c] = columnBuffers(catalog, columns[c]!, c, rows, n);
  }
  return makeBatch(columns, n, buffers);
}

function columnBuffers(catalog: string, col: ColumnSchema, c: number, rows: Rows, n: number): ColumnBuffers {
  const validity = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  const t = col.type;
  const fail = (v: unknown) => badValue(catalog, col.name, t.kind, v);
  switch (t.kind) {
    case 'integer': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = rows[i]![c];
        if (v === null || v === undefined) {
          nulls++;
          continue;
        }
        const x = typeof v === 'number' ? v : Number(v);
        if (!Number.isInteger(x) || x > 2147483647 || x < -2147483648) throw fail(v);
        out[i] = x;
        setValid(validity, i);
      }
      return { values: out, validity: nulls > 0 ? validity : null, nullCount: nulls };
    }
    case 'bigint': {
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const v = rows[i]![c];
        if (v === null || v === undefined) {
          nulls++;
          continue;
        }
        let x: bigint;
        try {
          x = typeof v === 'bigint' ? v : BigInt(v as string | number);
        } catch {
          throw fail(v);
        }
        // A pushed SUM arrives as an exact DECIMAL (MySQL): out of range is an overflow, as in Tributary.
        if (x > 9223372036854775807n || x < -9223372036854775808n) {
          throw new SqlError(
            SqlStates.numericValueOutOfRange,
            `catalog '${catalog}': column ${col.name}: bigint out of range`,
          );
        }
        out[i] = x;
        setValid(validity, i);
      }
      return { values: out, validity: nulls > 0 ? validity : null, nullCount: nulls };
    }
    case 'double': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = rows[i]![c];
        if (v === null || v === undefined) {
          nulls++;
          continue;
        }
        const x = typeof v === 'number' ? v : Number(v);
        if (Number.isNaN(x) && v !== 'NaN') throw fail(v);
        out[i] = x;
        setValid(validity, i);
      }
      return { values: out, validity: nulls > 0 ? validity : null, nullCount: nulls };
    }
    case 'boolean': {
      const out = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) {
        const v = rows[i]![c];
        if (v === null || v === undefined) {
          nulls++;
          continue;
        }
        let b: boolean;
        if (typeof v === 'boolean') b = v;
        else if (typeof v === 'number' || typeof v === 'bigint') b = v !== 0 && v !== 0n;
        else if (Buffer.isBuffer(v)) b = v.some((x) => x !== 0);
        else if (v === 't' || v === 'true' || v === '1') b = true;
        else if (v === 'f' || v === 'false' || v === '0') b = false;
        else throw fail(v);
        if (b) out[i >> 3]! |= 1 << (i & 7);
        setValid(validity, i);
      }
      return { values: out, validity: nulls > 0 ? validity : null, nullCount: nulls };
    }
    case 'decimal': {
      const short = t.precision <= 15;
      const out = short ? new Float64Array(n) : new Uint32Array(n * 4);
      const limit = 10n ** BigInt(t.precision);
      for (let i = 0; i < n; i++) {
        const v = rows[i]![c];
        if (v === null || v === undefined) {
          nulls++;
          continue;
        }
        const unscaled = scaleDecimalText(typeof v === 'number' ? numberText(v) : text(v), t.scale);
        if (unscaled === undefined) throw fail(v);
        const big = BigInt(unscaled);
        if (big >= limit || big <= -limit) {
          throw new SqlError(
            SqlStates.numericValueOutOfRange,
            `catalog '${catalog}': column ${col.name}: value ${text(v)} does not fit decimal(${t.precision},${t.scale})`,
          );
        }
        if (short) (out as Float64Array)[i] = Number(unscaled);
        else writeInt128(out as Uint32Array, i, big);
        setValid(validity, i);
      }
      return { values: out, validity: nulls > 0 ? validity : null, nullCount: nulls };
    }
    case 'date': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = rows[i]![c];
        if (v === null || v === undefined || isZeroDate(v)) {
          nulls++;
          continue;
        }
        const d = parseDateText(text(v));
        if (d === undefined) throw fail(v);
        out[i] = d;
        setValid(validity, i);
      }
      return { values: out, validity: nulls > 0 ? validity : null, nullCount: nulls };
    }
    case 'timestamp':
    case 'timestamptz': {
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const v = rows[i]![c];
        if (v === null || v === undefined || isZeroDate(v)) {
          nulls++;
          continue;
        }
        const ts = parseTimestampText(text(v));
        if (ts === undefined) throw fail(v);
        out[i] = ts;
        setValid(validity, i);
      }
      return { values: out, validity: nulls > 0 ? validity : null, nullCount: nulls };
    }
    case 'varchar': {
      const offsets = new Int32Array(n + 1);
      let bytes = new Uint8Array(Math.max(64, n * 16));
      let pos = 0;
      for (let i = 0; i < n; i++) {
        const v = rows[i]![c];
        if (v === null || v === undefined) {
          nulls++;
          offsets[i + 1] = pos;
          continue;
        }
        const s = text(v);
        // Worst case 3 bytes per UTF-16 unit.
        const need = pos + s.length * 3;
        if (need > bytes.length) {
          const grown = new Uint8Array(Math.max(need, bytes.length * 2));
          grown.set(bytes.subarray(0, pos));
          bytes = grown;
        }
        pos += encoder.encodeInto(s, bytes.subarray(pos)).written;
        offsets[i + 1] = pos;
        setValid(validity, i);
      }
      return { values: bytes.subarray(0, pos), offsets, validity: nulls > 0 ? validity : null, nullCount: nulls };
    }
    case 'interval': {
      // PostgreSQL's text output (the session runs with IntervalStyle postgres).
      const out = new Int32Array(n * 4);
      for (let i = 0; i < n; i++) {
        const v = rows[i]![c];
        if (v === null || v === undefined) {
          nulls++;
          continue;
        }
        let iv: Interval;
        try {
          iv = parseInterval(text(v));
        } catch {
          throw fail(v);
        }
        setIntervalWords(out, i, iv.months, iv.days, iv.micros);
        setValid(validity, i);
      }
      return { values: out, validity: nulls > 0 ? validity : null, nullCount: nulls };
    }
    case 'unknown':
      return { values: new Uint8Array(0), validity: null };
  }
}

/** MySQL's zero dates ('0000-00-00') have no value in SQL: read as NULL (like JDBC's convertToNull). */
function isZeroDate(v: unknown): boolean {
  return typeof v === 'string' && v.startsWith('0000-00-00');
}

/** A JS number as plain decimal text (no exponent). */
function numberText(x: number): string {
  const s = String(x);
  if (!/e/i.test(s)) return s;
  return x.toFixed(20).replace(/\.?0+$/, '');
}

/** Two's-complement 128-bit little-endian words of `v` at slot i. */
function writeInt128(out: Uint32Array, i: number, v: bigint): void {
  let x = BigInt.asUintN(128, v);
  for (let w = 0; w < 4; w++) {
    out[i * 4 + w] = Number(x & 0xffffffffn);
    x >>= 32n;
  }
}
