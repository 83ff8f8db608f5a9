// Columns as raw typed arrays (no Arrow objects in hot loops), and the column utilities every
// operator needs: read from a batch, gather by index, concatenate, build a batch back.
import { type Data, type RecordBatch, Type } from 'apache-arrow';
import { makeBatch } from '../../common/arrow/batch.js';
import { assertNever } from '../../common/assert.js';
import { type ColumnSchema, type DataType, isShortDecimal } from '../../common/types.js';

/**
 * Physical layout of a SQL type's values. 'iv' is an interval: Int32Array, 4 words per value
 * (months, days, nanoseconds as two words; common/arrow/schema.ts).
 */
export type Layout = 'bool' | 'i32' | 'f64' | 'i64' | 'd128' | 'iv' | 'utf8' | 'null';

export function layoutOf(t: DataType): Layout {
  switch (t.kind) {
    case 'boolean':
      return 'bool';
    case 'integer':
    case 'date':
      return 'i32';
    case 'double':
      return 'f64';
    case 'decimal':
      return isShortDecimal(t) ? 'f64' : 'd128';
    case 'bigint':
    case 'timestamp':
    case 'timestamptz':
      return 'i64';
    case 'interval':
      return 'iv';
    case 'varchar':
      return 'utf8';
    case 'unknown':
      return 'null';
    default:
      return assertNever(t, 'type');
  }
}

export type Values = Uint8Array | Int32Array | Float64Array | BigInt64Array | Uint32Array;

/**
 * One column, offset-free: value i is at position i (bit i for bool/validity; 4 words at 4*i for
 * d128; bytes offsets[i]..offsets[i+1] for utf8). validity null = no NULLs.
 */
export interface Col {
  readonly values: Values;
  readonly offsets: Int32Array | null;
  readonly validity: Uint8Array | null;
}

export function bitmapBytes(n: number): number {
  return (n + 7) >> 3;
}

function shiftBits(src: Uint8Array, offset: number, length: number): Uint8Array {
  if ((offset & 7) === 0) return src.subarray(offset >> 3, (offset >> 3) + bitmapBytes(length));
  const out = new Uint8Array(bitmapBytes(length));
  for (let i = 0; i < length; i++) {
    const j = i + offset;
    if ((src[j >> 3]! >> (j & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
  }
  return out;
}

export function readColumn(data: Data, t: DataType): Col {
  const layout = layoutOf(t);
  const n = data.length;
  if (data.typeId === Type.Dictionary && data.dictionary) {
    // Decode dictionary-encoded input (e.g. from a Parquet reader) into the plain layout.
    const dictData = data.dictionary.data;
    if (dictData.length !== 1) throw new Error('dictionary with more than one chunk');
    const dict = readColumn(dictData[0]!, t);
    const keys = data.values as Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;
    const idx = new Int32Array(n);
    const m = data.nullCount > 0 ? data.nullBitmap : null;
    for (let i = 0; i < n; i++) {
      const j = i + data.offset;
      idx[i] = m && ((m[j >> 3]! >> (j & 7)) & 1) === 0 ? -1 : Number(keys[j]);
    }
    return takeCol(dict, layout, idx, n);
  }
  let validity: Uint8Array | null = null;
  if (layout === 'null') {
    return { values: new Uint8Array(0), offsets: null, validity: new Uint8Array(bitmapBytes(n)) };
  }
  if (data.nullCount > 0 && data.nullBitmap && data.nullBitmap.length > 0) {
    validity = shiftBits(data.nullBitmap, data.offset, n);
  }
  if (layout === 'bool') {
    return { values: shiftBits(data.values as Uint8Array, data.offset, n), offsets: null, validity };
  }
  if (layout === 'utf8') {
    return { values: data.values as Uint8Array, offsets: data.valueOffsets as Int32Array, validity };
  }
  return { values: data.values as Values, offsets: null, validity };
}

export function readBatch(batch: RecordBatch, types: readonly DataType[]): Col[] {
  const out: Col[] = [];
  for (let i = 0; i < types.length; i++) {
    const child = batch.data.children[i];
    if (!child) throw new Error(`batch has no column ${i}`);
    out.push(readColumn(child, types[i]!));
  }
  return out;
}

export function colsToBatch(schema: readonly ColumnSchema[], cols: readonly Col[], length: number): RecordBatch {
  return makeBatch(
    schema,
    length,
    cols.map((c) => ({
      values: c.values,
      ...(c.offsets ? { offsets: c.offsets } : {}),
      validity: c.validity,
    })),
  );
}

export function isValid(validity: Uint8Array | null, i: number): boolean {
  return validity === null || ((validity[i >> 3]! >> (i & 7)) & 1) === 1;
}

function allocValues(layout: Layout, n: number): Values {
  switch (layout) {
    case 'bool':
      return new Uint8Array(bitmapBytes(n));
    case 'i32':
      return new Int32Array(n);
    case 'f64':
      return new Float64Array(n);
    case 'i64':
      return new BigInt64Array(n);
    case 'd128':
      return new Uint32Array(n * 4);
    case 'iv':
      return new Int32Array(n * 4);
    case 'utf8':
      return new Uint8Array(n);
    case 'null':
      return new Uint8Array(0);
    default:
      return assertNever(layout, 'layout');
  }
}

/**
 * Gathers rows `idx[0..count)` of `col`; a negative index yields NULL (outer joins).
 */
export function takeCol(col: Col, layout: Layout, idx: Int32Array | Uint32Array, count: number): Col {
  const src = col.validity;
  let validity: Uint8Array | null = null;
  let nulls = 0;
  const needValidity = src !== null || layout === 'null' || hasNegative(idx, count);
  if (needValidity) {
    validity = new Uint8Array(bitmapBytes(count));
    for (let k = 0; k < count; k++) {
      const i = idx[k]!;
      if (i >= 0 && (src === null || ((src[i >> 3]! >> (i & 7)) & 1) === 1)) validity[k >> 3]! |= 1 << (k & 7);
      else nulls++;
    }
    if (nulls === 0) validity = null;
  }
  switch (layout) {
    case 'null':
      return { values: new Uint8Array(0), offsets: null, validity: validity ?? new Uint8Array(bitmapBytes(count)) };
    case 'bool': {
      const v = col.values as Uint8Array;
      const out = new Uint8Array(bitmapBytes(count));
      for (let k = 0; k < count; k++) {
        const i = idx[k]!;
        if (i >= 0 && ((v[i >> 3]! >> (i & 7)) & 1) === 1) out[k >> 3]! |= 1 << (k & 7);
      }
      return { values: out, offsets: null, validity };
    }
    case 'i32':
      return { values: gather32(col.values as Int32Array, idx, count, !needValidity), offsets: null, validity };
    case 'f64':
      return { values: gatherF64(col.values as Float64Array, idx, count, !needValidity), offsets: null, validity };
    case 'i64':
      return { values: gather64(col.values as BigInt64Array, idx, count), offsets: null, validity };
    case 'd128':
    case 'iv': {
      const v = col.values as Uint32Array | Int32Array;
      const out = layout === 'iv' ? new Int32Array(count * 4) : new Uint32Array(count * 4);
      for (let k = 0; k < count; k++) {
        const i = idx[k]!;
        if (i < 0) continue;
        const a = i * 4;
        const b = k * 4;
        out[b] = v[a]!;
        out[b + 1] = v[a + 1]!;
        out[b + 2] = v[a + 2]!;
        out[b + 3] = v[a + 3]!;
      }
      return { values: out, offsets: null, validity };
    }
    case 'utf8': {
      const v = col.values as Uint8Array;
      const o = col.offsets as Int32Array;
      const offsets = new Int32Array(count + 1);
      let total = 0;
      for (let k = 0; k < count; k++) {
        const i = idx[k]!;
        if (i >= 0) total += o[i + 1]! - o[i]!;
        offsets[k + 1] = total;
      }
      const out = new Uint8Array(total);
      let p = 0;
      for (let k = 0; k < count; k++) {
        const i = idx[k]!;
        if (i < 0) continue;
        const s = o[i]!;
        const e = o[i + 1]!;
        if (e - s > 32) {
          out.set(v.subarray(s, e), p);
          p += e - s;
        } else {
          for (let q = s; q < e; q++) out[p++] = v[q]!;
        }
      }
      return { values: out, offsets, validity };
    }
    default:
      return assertNever(layout, 'layout');
  }
}

function gather32(v: Int32Array, idx: Int32Array | Uint32Array, count: number, noNeg: boolean): Int32Array {
  const out = new Int32Array(count);
  if (noNeg) for (let k = 0; k < count; k++) out[k] = v[idx[k]!]!;
  else
    for (let k = 0; k < count; k++) {
      const i = idx[k]!;
      out[k] = i >= 0 ? v[i]! : 0;
    }
  return out;
}

function gatherF64(v: Float64Array, idx: Int32Array | Uint32Array, count: number, noNeg: boolean): Float64Array {
  const out = new Float64Array(count);
  if (noNeg) for (let k = 0; k < count; k++) out[k] = v[idx[k]!]!;
  else
    for (let k = 0; k < count; k++) {
      const i = idx[k]!;
      out[k] = i >= 0 ? v[i]! : 0;
    }
  return out;
}

function gather64(v: BigInt64Array, idx: Int32Array | Uint32Array, count: number): BigInt64Array {
  const out = new BigInt64Array(count);
  for (let k = 0; k < count; k++) {
    const i = idx[k]!;
    if (i >= 0) out[k] = v[i]!;
  }
  return out;
}

function hasNegative(idx: Int32Array | Uint32Array, count: number): boolean {
  if (idx instanceof Uint32Array) return false;
  for (let k = 0; k < count; k++) if (idx[k]! < 0) return true;
  return false;
}

/** Rows [start, end) of a column as a new offset-free column. */
export function sliceCol(col: Col, layout: Layout, start: number, end: number): Col {
  const n = end - start;
  if (start === 0 && layout !== 'utf8') {
    const validity = col.validity ? col.validity.subarray(0, bitmapBytes(n)) : null;
    switch (layout) {
      case 'bool':
        return { values: (col.values as Uint8Array).subarray(0, bitmapBytes(n)), offsets: null, validity };
      case 'd128':
      case 'iv':
        return { values: col.values.subarray(0, n * 4) as Values, offsets: null, validity };
      case 'null':
        return { values: col.values, offsets: null, validity };
      default:
        return { values: col.values.subarray(0, n) as Values, offsets: null, validity };
    }
  }
  const idx = new Uint32Array(n);
  for (let k = 0; k < n; k++) idx[k] = start + k;
  return takeCol(col, layout, idx, n);
}

/** Concatenates columns of the same layout. */
export function concatCols(parts: readonly Col[], lengths: readonly number[], layout: Layout): Col {
  let total = 0;
  for (const l of lengths) total += l;
  const anyNull = layout === 'null' || parts.some((p) => p.validity !== null);
  let validity: Uint8Array | null = null;
  if (anyNull) {
    validity = new Uint8Array(bitmapBytes(total));
    let base = 0;
    parts.forEach((p, pi) => {
      const n = lengths[pi]!;
      const src = p.validity;
      for (let i = 0; i < n; i++) {
        if (layout !== 'null' && (src === null || ((src[i >> 3]! >> (i & 7)) & 1) === 1)) {
          const k = base + i;
          validity![k >> 3]! |= 1 << (k & 7);
        }
      }
      base += n;
    });
  }
  if (layout === 'null') return { values: new Uint8Array(0), offsets: null, validity };
  if (layout === 'bool') {
    const out = new Uint8Array(bitmapBytes(total));
    let base = 0;
    parts.forEach((p, pi) => {
      const n = lengths[pi]!;
      const v = p.values as Uint8Array;
      for (let i = 0; i < n; i++) {
        if ((v[i >> 3]! >> (i & 7)) & 1) {
          const k = base + i;
          out[k >> 3]! |= 1 << (k & 7);
        }
      }
      base += n;
    });
    return { values: out, offsets: null, validity };
  }
  if (layout === 'utf8') {
    let bytes = 0;
    parts.forEach((p, pi) => {
      const o = p.offsets!;
      bytes += o[lengths[pi]!]! - o[0]!;
    });
    const out = new Uint8Array(bytes);
    const offsets = new Int32Array(total + 1);
    let row = 0;
    let pos = 0;
    parts.forEach((p, pi) => {
      const n = lengths[pi]!;
      const o = p.offsets!;
      const s0 = o[0]!;
      out.set((p.values as Uint8Array).subarray(s0, o[n]!), pos);
      for (let i = 1; i <= n; i++) offsets[row + i] = pos + o[i]! - s0;
      pos += o[n]! - s0;
      row += n;
    });
    return { values: out, offsets, validity };
  }
  const width = layout === 'd128' || layout === 'iv' ? 4 : 1;
  const out = allocValues(layout, total);
  let base = 0;
  parts.forEach((p, pi) => {
    const n = lengths[pi]!;
    // biome-ignore lint/suspicious/noExplicitAny: same-layout typed arrays
    (out as any).set((p.values as any).subarray(0, n * width), base * width);
    base += n;
  });
  return { values: out, offsets: null, validity };
}

/** A column of `n` NULLs. */
export function nullCol(layout: Layout, n: number): Col {
  return {
    values: layout === 'utf8' ? new Uint8Array(0) : allocValues(layout, n),
    offsets: layout === 'utf8' ? new Int32Array(n + 1) : null,
    validity: new Uint8Array(bitmapBytes(n)),
  };
}

/** Approximate bytes of a batch's buffers (for stats). */
export function batchBytes(batch: RecordBatch): number {
  let total = 0;
  for (const c of batch.data.children) {
    total += c.values?.byteLength ?? 0;
    total += c.valueOffsets?.byteLength ?? 0;
    total += c.nullBitmap?.byteLength ?? 0;
  }
  return total;
}

// ---- decimal128 words <-> bigint ----

const TWO32 = 4294967296n;
const S64 = new BigInt64Array(1);
const S32 = new Uint32Array(S64.buffer);
const MIN64 = -(2n ** 63n);
const MAX64 = 2n ** 63n - 1n;

export function d128Get(v: Uint32Array, i: number): bigint {
  const a = i * 4;
  const w1 = v[a + 1]!;
  const w2 = v[a + 2]!;
  const w3 = v[a + 3]!;
  // Fast path: the value fits in 64 bits (high words are the sign extension).
  if ((w2 === 0 && w3 === 0 && w1 < 0x80000000) || (w2 === 0xffffffff && w3 === 0xffffffff && w1 >= 0x80000000)) {
    S32[0] = v[a]!;
    S32[1] = w1;
    return S64[0]!;
  }
  const lo = BigInt(v[a]!) + BigInt(w1) * TWO32;
  const hi = BigInt(w2) + BigInt(w3) * TWO32;
  return BigInt.asIntN(128, lo + (hi << 64n));
}

/**
 * Value i as a JS number when |value| <= 2^53 - 1 (exact in float64), else NaN (then read it with
 * d128Get). Lets long-decimal kernels skip BigInt for the values that fit.
 */
export function d128Num(v: Uint32Array, i: number): number {
  const a = i * 4;
  const w1 = v[a + 1]!;
  const w2 = v[a + 2]!;
  const w3 = v[a + 3]!;
  // 0 <= value < 2^53: words 3, 2 zero and word 1 below 2^21.
  if (w2 === 0 && w3 === 0 && w1 < 0x200000) return w1 * 4294967296 + v[a]!;
  // -2^53 < value < 0: sign-extended words 3, 2 and word 1 at least 2^32 - 2^21 (and not -2^53).
  if (w2 === 0xffffffff && w3 === 0xffffffff && w1 >= 0xffe00000 && (w1 !== 0xffe00000 || v[a] !== 0)) {
    return (w1 - 4294967296) * 4294967296 + v[a]!;
  }
  return Number.NaN;
}

/** Writes an exact integer x (|x| <= 2^53 - 1) as value i, without BigInt. */
export function d128SetNum(v: Uint32Array, i: number, x: number): void {
  const a = i * 4;
  const hi = Math.floor(x / 4294967296);
  v[a] = x - hi * 4294967296;
  v[a + 1] = hi >>> 0;
  const ext = hi < 0 ? 0xffffffff : 0;
  v[a + 2] = ext;
  v[a + 3] = ext;
}

export function d128Set(v: Uint32Array, i: number, x: bigint): void {
  const a = i * 4;
  if (x >= MIN64 && x <= MAX64) {
    S64[0] = x;
    v[a] = S32[0]!;
    v[a + 1] = S32[1]!;
    const ext = x < 0n ? 0xffffffff : 0;
    v[a + 2] = ext;
    v[a + 3] = ext;
    return;
  }
  const u = BigInt.asUintN(128, x);
  v[a] = Number(u & 0xffffffffn);
  v[a + 1] = Number((u >> 32n) & 0xffffffffn);
  v[a + 2] = Number((u >> 64n) & 0xffffffffn);
  v[a + 3] = Number(u >> 96n);
}
