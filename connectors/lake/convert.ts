// Converts one Arrow column chunk, as parquet-wasm decoded it, into Tributary's layout for its SQL
// type (common/arrow/schema.ts). Fixed-width numbers are copied with typed-array conversions;
// short decimals become scaled Float64 from the two low 32-bit words (no BigInt per value);
// dictionaries are expanded; types the engine has no layout for become text (see arrow-types.ts).
import { type Data, type Decimal, type Int, Type } from 'apache-arrow';
import type { ColumnBuffers } from '../../common/arrow/batch.js';
import { SqlError } from '../../common/errors.js';
import type { DataType } from '../../common/types.js';
import { sqlTypeOfArrow } from './arrow-types.js';
import { halfToFloat, valueText } from './nested-text.js';

const TWO32 = 4294967296;

/** Buffers of `data` in the layout of `target`; the caller checked `canWiden(sqlTypeOfArrow(data.type), target)`. */
export function toTributary(data: Data, target: DataType): ColumnBuffers {
  const from = sqlTypeOfArrow(data.type);
  const native = convertNative(data, from);
  return widen(native, from, target, data.length);
}

function validityOf(d: Data): Uint8Array | null {
  const bitmap = d.nullBitmap;
  if (!bitmap || bitmap.length === 0 || d.nullCount === 0) return null;
  return sliceBits(bitmap, d.offset, d.length);
}

/** Bits [offset, offset+length) of a bitmap, starting at bit 0 of the result. */
export function sliceBits(bits: Uint8Array, offset: number, length: number): Uint8Array {
  if (offset % 8 === 0) return bits.subarray(offset >> 3, (offset + length + 7) >> 3);
  const out = new Uint8Array((length + 7) >> 3);
  for (let i = 0; i < length; i++) {
    const j = i + offset;
    if ((bits[j >> 3]! >> (j & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
  }
  return out;
}

// arrow-js slices value and offset buffers with the Data (values[0] is this chunk's first value);
// only bitmaps (validity, booleans) keep the bit offset `d.offset`. Buffers may be padded: cut to n.
function convertNative(d: Data, t: DataType): ColumnBuffers {
  const validity = validityOf(d);
  const n = d.length;
  const lo = d.offset;
  switch (d.type.typeId) {
    case Type.Null:
      return { values: new Uint8Array(0), validity: null };
    case Type.Bool:
      return { values: sliceBits(d.values as Uint8Array, lo, n), validity };
    case Type.Int: {
      const it = d.type as Int;
      const src = (d.values as Int32Array).subarray(0, n);
      if (t.kind === 'integer') return { values: src instanceof Int32Array ? src : new Int32Array(src), validity };
      if (t.kind === 'bigint') {
        if (src instanceof BigInt64Array) return { values: src, validity };
        const out = new BigInt64Array(n);
        for (let i = 0; i < n; i++) out[i] = BigInt(src[i]!);
        return { values: out, validity };
      }
      // uint64 -> decimal(20,0), 4 little-endian words per value
      if (it.bitWidth !== 64) throw SqlError.internal(`lake: unexpected integer type ${String(it)}`);
      const words = new Uint32Array(src.buffer, src.byteOffset, n * 2);
      const out = new Uint32Array(n * 4);
      for (let i = 0; i < n; i++) {
        out[i * 4] = words[i * 2]!;
        out[i * 4 + 1] = words[i * 2 + 1]!;
      }
      return { values: out, validity };
    }
    case Type.Float: {
      const src = (d.values as Float64Array | Float32Array | Uint16Array).subarray(0, n);
      if (src instanceof Float64Array) return { values: src, validity };
      if (src instanceof Float32Array) return { values: new Float64Array(src), validity };
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = halfToFloat(src[i]!);
      return { values: out, validity };
    }
    case Type.Decimal:
      return { values: convertDecimal(d, t), validity };
    case Type.Date: {
      const src = d.values as Int32Array | BigInt64Array;
      if (src instanceof Int32Array) return { values: src.subarray(0, n), validity };
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.floor(Number(src[i]!) / 86_400_000);
      return { values: out, validity };
    }
    case Type.Timestamp: {
      const src = (d.values as BigInt64Array).subarray(0, n);
      const unit = (d.type as unknown as { unit: number }).unit;
      return { values: timestampToMicros(src, unit), validity };
    }
    case Type.Interval:
      // MONTH_DAY_NANO is already Tributary's layout; other units are read as text.
      if (t.kind === 'interval') return { values: (d.values as Int32Array).subarray(0, n * 4), validity };
      return textBuffers(d, validity);
    case Type.Utf8:
      return utf8Buffers(d.valueOffsets as Int32Array, d.values as Uint8Array, n, validity);
    case Type.LargeUtf8: {
      const big = d.valueOffsets as unknown as BigInt64Array;
      const offs = new Int32Array(n + 1);
      const base = Number(big[0]!);
      for (let i = 0; i <= n; i++) offs[i] = Number(big[i]!) - base;
      const values = (d.values as Uint8Array).subarray(base, base + offs[n]!);
      return { values, offsets: offs, validity };
    }
    case Type.Dictionary:
      return expandDictionary(d, t, validity);
    default:
      return textBuffers(d, validity);
  }
}

function utf8Buffers(offsets: Int32Array, bytes: Uint8Array, n: number, validity: Uint8Array | null): ColumnBuffers {
  const offs = offsets.subarray(0, n + 1);
  const base = offs[0]!;
  if (base === 0) return { values: bytes.subarray(0, offs[n]!), offsets: offs, validity };
  const rebased = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) rebased[i] = offs[i]! - base;
  return { values: bytes.subarray(base, offs[n]!), offsets: rebased, validity };
}

/** Timestamps of any unit to microseconds (units: 0 s, 1 ms, 2 µs, 3 ns). */
function timestampToMicros(src: BigInt64Array, unit: number): BigInt64Array {
  if (unit === 2) return src;
  const out = new BigInt64Array(src.length);
  if (unit === 3) {
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      // floor division, so instants before 1970 round down like the other units
      const q = v / 1000n;
      out[i] = v < 0n && q * 1000n !== v ? q - 1n : q;
    }
  } else {
    const f = unit === 1 ? 1000n : 1_000_000n;
    for (let i = 0; i < src.length; i++) out[i] = src[i]! * f;
  }
  return out;
}

function convertDecimal(d: Data, t: DataType): Float64Array | Uint32Array {
  const dt = d.type as Decimal;
  const stride = (dt.bitWidth ?? 128) / 32;
  const n = d.length;
  const words = d.values as Uint32Array;
  const start = 0;
  if (t.kind === 'decimal' && t.precision <= 15) {
    const out = new Float64Array(n);
    if (stride === 1) for (let i = 0; i < n; i++) out[i] = words[start + i]! | 0;
    else {
      for (let i = 0, w = start; i < n; i++, w += stride) out[i] = (words[w + 1]! | 0) * TWO32 + words[w]!;
    }
    return out;
  }
  if (stride === 4) return words.subarray(0, n * 4);
  const out = new Uint32Array(n * 4);
  for (let i = 0, w = start; i < n; i++, w += stride) {
    const keep = Math.min(stride, 4);
    for (let k = 0; k < keep; k++) out[i * 4 + k] = words[w + k]!;
    const sign = (words[w + keep - 1]! | 0) < 0 ? 0xffffffff : 0;
    for (let k = keep; k < 4; k++) out[i * 4 + k] = sign;
  }
  return out;
}

function expandDictionary(d: Data, t: DataType, validity: Uint8Array | null): ColumnBuffers {
  const dict = d.dictionary;
  const n = d.length;
  const chunk = dict?.data.length === 1 ? dict.data[0] : undefined;
  if (!chunk) return textBuffers(d, validity);
  const values = toTributary(chunk, t);
  const idx = d.values as Int32Array;
  if (t.kind === 'varchar') {
    const offs = values.offsets!;
    const src = values.values as Uint8Array;
    const out = new Int32Array(n + 1);
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (validity === null || (validity[i >> 3]! >> (i & 7)) & 1) {
        const k = Number(idx[i]!);
        total += offs[k + 1]! - offs[k]!;
      }
      out[i + 1] = total;
    }
    const bytes = new Uint8Array(total);
    for (let i = 0; i < n; i++) {
      if (out[i + 1] === out[i]) continue;
      const k = Number(idx[i]!);
      bytes.set(src.subarray(offs[k]!, offs[k + 1]!), out[i]!);
    }
    return { values: bytes, offsets: out, validity };
  }
  if (t.kind === 'boolean') {
    const bits = values.values as Uint8Array;
    const out = new Uint8Array((n + 7) >> 3);
    for (let i = 0; i < n; i++) {
      const k = Number(idx[i]!);
      if ((bits[k >> 3]! >> (k & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
    }
    return { values: out, validity };
  }
  const width = t.kind === 'decimal' && t.precision > 15 ? 4 : 1;
  const src = values.values as Float64Array;
  const Ctor = src.constructor as new (n: number) => Float64Array;
  const out = new Ctor(n * width);
  for (let i = 0; i < n; i++) {
    const k = Number(idx[i]!) * width;
    for (let w = 0; w < width; w++) out[i * width + w] = src[k + w]!;
  }
  return { values: out, validity };
}

// ---- text fallback: binary, time, nested and other types (nested-text.ts) ----

/** One string per value, PostgreSQL's text of it (slow per value; only for rare types). */
function textBuffers(d: Data, validity: Uint8Array | null): ColumnBuffers {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const offs = new Int32Array(d.length + 1);
  let total = 0;
  for (let i = 0; i < d.length; i++) {
    const v = validity === null || (validity[i >> 3]! >> (i & 7)) & 1 ? valueText(d, i) : null;
    if (v !== null) {
      const b = enc.encode(v);
      parts.push(b);
      total += b.length;
    }
    offs[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return { values: bytes, offsets: offs, validity };
}

// ---- widening across files, NULL and constant columns ----

function widen(b: ColumnBuffers, from: DataType, to: DataType, n: number): ColumnBuffers {
  if (from.kind === to.kind) return b;
  if (from.kind === 'unknown') return nullColumn(to, n);
  const src = b.values as Int32Array | BigInt64Array;
  if (to.kind === 'double') {
    if (src instanceof Int32Array) return { ...b, values: new Float64Array(src) };
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Number(src[i]!);
    return { ...b, values: out };
  }
  if (to.kind === 'bigint' && src instanceof Int32Array) {
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) out[i] = BigInt(src[i]!);
    return { ...b, values: out };
  }
  throw SqlError.internal(`lake: cannot widen ${from.kind} to ${to.kind}`);
}

function valuesFor(t: DataType, n: number): ArrayBufferView {
  switch (t.kind) {
    case 'integer':
    case 'date':
      return new Int32Array(n);
    case 'bigint':
    case 'timestamp':
    case 'timestamptz':
      return new BigInt64Array(n);
    case 'interval':
      return new Int32Array(n * 4);
    case 'double':
      return new Float64Array(n);
    case 'decimal':
      return t.precision <= 15 ? new Float64Array(n) : new Uint32Array(n * 4);
    case 'boolean':
      return new Uint8Array((n + 7) >> 3);
    default:
      return new Uint8Array(0);
  }
}

/** A column of `n` NULLs of type `t`. */
export function nullColumn(t: DataType, n: number): ColumnBuffers {
  return {
    values: valuesFor(t, n),
    ...(t.kind === 'varchar' ? { offsets: new Int32Array(n + 1) } : {}),
    validity: new Uint8Array((n + 7) >> 3),
    nullCount: n,
  };
}

/** A column of `n` copies of a partition value (number for integer/bigint/date, string for varchar). */
export function constantColumn(t: DataType, value: number | string | null, n: number): ColumnBuffers {
  if (value === null) return nullColumn(t, n);
  switch (t.kind) {
    case 'integer':
    case 'date':
      return { values: new Int32Array(n).fill(Number(value)), validity: null };
    case 'bigint':
      return { values: new BigInt64Array(n).fill(BigInt(value)), validity: null };
    case 'double':
      return { values: new Float64Array(n).fill(Number(value)), validity: null };
    default: {
      const one = new TextEncoder().encode(String(value));
      const bytes = new Uint8Array(one.length * n);
      const offs = new Int32Array(n + 1);
      for (let i = 0; i < n; i++) {
        bytes.set(one, i * one.length);
        offs[i + 1] = (i + 1) * one.length;
      }
      return { values: bytes, offsets: offs, validity: null };
    }
  }
}
