// Deterministic 32-bit hashes of key columns, shared by aggregation, hash joins and the exchange
// partitioner. The same SQL value of the same type hashes the same on every worker and in every
// batch; NULL hashes to a fixed constant.
import { compareIntervals, MICROS_PER_DAY, nanosWordsToMicros } from '../../common/time/interval.js';
import type { Col, Layout } from '../expressions/vector.js';

const NULL_HASH = 0x7f4a7c15;
const f64 = new Float64Array(1);
const f64w = new Uint32Array(f64.buffer);

export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function combine(h: number, x: number): number {
  return (Math.imul(h ^ x, 0x9e3779b1) + 0x7f4a7c15) >>> 0;
}

/** What hashColumns gives a single non-NULL int32 key `d`, for loops that hash one value inline. */
export function hashInt32Key(d: number): number {
  return fmix(combine(0x2545f491, fmix(d)));
}

/**
 * hashes[k] = combined hash of the key columns at row sel?[k] ?? k, for k in [0, n).
 * `first` = true starts from a fresh seed, else mixes into the existing values.
 */
export function hashColumns(cols: readonly Col[], layouts: readonly Layout[], n: number, out: Uint32Array): void {
  out.fill(0x2545f491, 0, n);
  for (let c = 0; c < cols.length; c++) hashColumn(cols[c]!, layouts[c]!, n, out);
  for (let k = 0; k < n; k++) out[k] = fmix(out[k]!);
}

function hashColumn(col: Col, layout: Layout, n: number, out: Uint32Array): void {
  const m = col.validity;
  switch (layout) {
    case 'null':
      for (let i = 0; i < n; i++) out[i] = combine(out[i]!, NULL_HASH);
      return;
    case 'bool': {
      const v = col.values as Uint8Array;
      for (let i = 0; i < n; i++) {
        const x = m !== null && ((m[i >> 3]! >> (i & 7)) & 1) === 0 ? NULL_HASH : ((v[i >> 3]! >> (i & 7)) & 1) + 1;
        out[i] = combine(out[i]!, x);
      }
      return;
    }
    case 'i32':
    case 'f64': {
      const v = col.values as Int32Array | Float64Array;
      for (let i = 0; i < n; i++) {
        let x: number;
        if (m !== null && ((m[i >> 3]! >> (i & 7)) & 1) === 0) x = NULL_HASH;
        else {
          const d = v[i]!;
          if ((d | 0) === d) x = fmix(d | 0);
          else {
            f64[0] = Number.isNaN(d) ? Number.NaN : d;
            x = fmix(f64w[0]! ^ fmix(f64w[1]!));
          }
        }
        out[i] = combine(out[i]!, x);
      }
      return;
    }
    case 'i64':
    case 'd128': {
      const vv = col.values as BigInt64Array | Uint32Array;
      const w = new Uint32Array(vv.buffer, vv.byteOffset, (vv.byteLength / 4) | 0);
      const words = layout === 'i64' ? 2 : 4;
      for (let i = 0; i < n; i++) {
        let x: number;
        if (m !== null && ((m[i >> 3]! >> (i & 7)) & 1) === 0) x = NULL_HASH;
        else {
          const b = i * words;
          const hi = w[b + 1]!;
          const lo = w[b]!;
          // Small values hash like the i32 path, so that equal integers agree across layouts.
          if (words === 2 && ((hi === 0 && lo < 0x80000000) || (hi === 0xffffffff && lo >= 0x80000000)))
            x = fmix(lo | 0);
          else {
            x = fmix(lo ^ fmix(hi));
            if (words === 4) x = fmix(x ^ fmix(w[b + 2]! ^ fmix(w[b + 3]!)));
          }
        }
        out[i] = combine(out[i]!, x);
      }
      return;
    }
    case 'iv': {
      // By total span (30-day months, 24-hour days): intervals that compare equal hash equal.
      const v = col.values as Int32Array;
      for (let i = 0; i < n; i++) {
        let x: number;
        if (m !== null && ((m[i >> 3]! >> (i & 7)) & 1) === 0) x = NULL_HASH;
        else {
          const b = 4 * i;
          const us = nanosWordsToMicros(v[b + 2]!, v[b + 3]!);
          const extra = Math.floor(us / MICROS_PER_DAY);
          const days = v[b]! * 30 + v[b + 1]! + extra;
          f64[0] = us - extra * MICROS_PER_DAY;
          x = fmix((days | 0) ^ fmix(f64w[0]! ^ fmix(f64w[1]!)));
        }
        out[i] = combine(out[i]!, x);
      }
      return;
    }
    case 'utf8': {
      const v = col.values as Uint8Array;
      const o = col.offsets!;
      for (let i = 0; i < n; i++) {
        let x: number;
        if (m !== null && ((m[i >> 3]! >> (i & 7)) & 1) === 0) x = NULL_HASH;
        else {
          x = 0x811c9dc5;
          const e = o[i + 1]!;
          for (let q = o[i]!; q < e; q++) x = Math.imul(x ^ v[q]!, 0x01000193);
          x = fmix(x ^ (e - o[i]!));
        }
        out[i] = combine(out[i]!, x);
      }
      return;
    }
  }
}

/** Row i of `a` equals row j of `b` (same layout), with NULL = NULL (grouping semantics). */
export function rowEquals(a: Col, i: number, b: Col, j: number, layout: Layout): boolean {
  const ma = a.validity;
  const mb = b.validity;
  const na = ma !== null && ((ma[i >> 3]! >> (i & 7)) & 1) === 0;
  const nb = mb !== null && ((mb[j >> 3]! >> (j & 7)) & 1) === 0;
  if (na || nb) return na === nb;
  switch (layout) {
    case 'null':
      return true;
    case 'bool': {
      const va = a.values as Uint8Array;
      const vb = b.values as Uint8Array;
      return ((va[i >> 3]! >> (i & 7)) & 1) === ((vb[j >> 3]! >> (j & 7)) & 1);
    }
    case 'i32':
    case 'i64':
      return a.values[i] === b.values[j];
    case 'f64': {
      const x = a.values[i] as number;
      const y = b.values[j] as number;
      return x === y || (Number.isNaN(x) && Number.isNaN(y));
    }
    case 'd128': {
      const va = a.values as Uint32Array;
      const vb = b.values as Uint32Array;
      const p = i * 4;
      const q = j * 4;
      return va[p] === vb[q] && va[p + 1] === vb[q + 1] && va[p + 2] === vb[q + 2] && va[p + 3] === vb[q + 3];
    }
    case 'iv': {
      const va = a.values as Int32Array;
      const vb = b.values as Int32Array;
      const p = i * 4;
      const q = j * 4;
      const ua = nanosWordsToMicros(va[p + 2]!, va[p + 3]!);
      const ub = nanosWordsToMicros(vb[q + 2]!, vb[q + 3]!);
      return compareIntervals(va[p]!, va[p + 1]!, ua, vb[q]!, vb[q + 1]!, ub) === 0;
    }
    case 'utf8': {
      const va = a.values as Uint8Array;
      const vb = b.values as Uint8Array;
      const oa = a.offsets!;
      const ob = b.offsets!;
      const s = oa[i]!;
      const e = oa[i + 1]!;
      const t = ob[j]!;
      if (e - s !== ob[j + 1]! - t) return false;
      for (let k = 0; k < e - s; k++) if (va[s + k] !== vb[t + k]) return false;
      return true;
    }
  }
}

export function isNullAt(c: Col, i: number): boolean {
  const m = c.validity;
  return m !== null && ((m[i >> 3]! >> (i & 7)) & 1) === 0;
}
