// Window operator: aggregates over frames. Columns are already in sorted order (position k).
// Every frame kind has non-decreasing bounds within a partition, so one pass with two pointers
// (add rows entering the frame, remove rows leaving it) is O(n): running frames never remove,
// sliding ROWS frames add/remove; min/max keep a monotonic deque of positions.
import { divRoundHalfAway } from '../../common/expr/literal.js';
import type { AggregateFn } from '../../common/functions/aggregates.js';
import { type DataType, isShortDecimal } from '../../common/types.js';
import { cmpBytes } from '../expressions/runtime.js';
import { type Col, d128Get, type Layout, layoutOf, nullCol, takeCol } from '../expressions/vector.js';
import { NumOut } from './window-output.js';
import type { Frames } from './window-partitions.js';

/** Flush the float partial sum to BigInt past this (addends are below 2^50: sums stay exact). */
const FLUSH = 2 ** 52;

export function windowAggregate(
  fn: AggregateFn,
  arg: Col | null,
  argType: DataType | undefined,
  type: DataType,
  frames: Frames,
  partStart: Int32Array,
  n: number,
): Col {
  if (fn === 'count_star') return countStar(type, frames, n);
  if (!arg || !argType) throw new Error(`window ${fn} needs an argument`);
  const layout = layoutOf(argType);
  if (layout === 'null') {
    if (fn === 'count') return countStar(type, { lo: frames.hi, hi: frames.hi }, n);
    return nullCol(layoutOf(type), n);
  }
  switch (fn) {
    case 'count':
      return countValid(arg, type, frames, n);
    case 'sum':
    case 'avg':
      if (argType.kind === 'double') return sumAvgDouble(fn === 'avg', arg, type, frames, partStart);
      if (argType.kind === 'integer' || isShortDecimal(argType))
        return sumAvgExact(fn === 'avg', arg, argType, type, frames, partStart);
      return sumAvgBig(fn === 'avg', arg, argType, type, frames, partStart);
    case 'min':
    case 'max':
      return takeCol(arg, layout, minMaxSources(fn === 'max', arg, layout, frames, partStart, n), n);
    default:
      throw new Error(`unknown window aggregate ${fn}`);
  }
}

function countStar(type: DataType, f: Frames, n: number): Col {
  const out = new NumOut(type, n);
  const { lo, hi } = f;
  for (let k = 0; k < n; k++) {
    const c = hi[k]! - lo[k]!;
    out.setSafe(k, Math.max(c, 0));
  }
  return out.col();
}

function countValid(arg: Col, type: DataType, f: Frames, n: number): Col {
  const m = arg.validity;
  if (m === null) return countStar(type, f, n);
  const pre = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) pre[k + 1] = pre[k]! + ((m[k >> 3]! >> (k & 7)) & 1);
  const out = new NumOut(type, n);
  const { lo, hi } = f;
  for (let k = 0; k < n; k++) {
    const a = lo[k]!;
    const b = hi[k]!;
    out.setSafe(k, b > a ? pre[b]! - pre[a]! : 0);
  }
  return out.col();
}

function sumAvgDouble(isAvg: boolean, arg: Col, type: DataType, f: Frames, parts: Int32Array): Col {
  const v = arg.values as Float64Array;
  const m = arg.validity;
  const { lo, hi } = f;
  const out = new NumOut(type, lo.length);
  for (let q = 0; q + 1 < parts.length; q++) {
    const ps = parts[q]!;
    const pe = parts[q + 1]!;
    let a = ps;
    let b = ps;
    let sum = 0;
    let cnt = 0;
    for (let k = ps; k < pe; k++) {
      const l = lo[k]!;
      const h = Math.max(hi[k]!, l);
      for (; b < h; b++) {
        if (m !== null && ((m[b >> 3]! >> (b & 7)) & 1) === 0) continue;
        sum += v[b]!;
        cnt++;
      }
      for (; a < l; a++) {
        if (m !== null && ((m[a >> 3]! >> (a & 7)) & 1) === 0) continue;
        sum -= v[a]!;
        cnt--;
      }
      // A frame that became empty restarts from an exact zero (no drift carried over).
      if (cnt === 0) {
        sum = 0;
        out.setNull(k);
      } else out.setDouble(k, isAvg ? sum / cnt : sum);
    }
  }
  return out.col();
}

/** a / c rounded half away from zero, for safe integers a and c > 0. */
function divRoundSafe(a: number, c: number): number {
  let q = Math.trunc(a / c);
  let r = a - q * c;
  if (a >= 0) {
    if (r < 0) {
      q--;
      r += c;
    } else if (r >= c) {
      q++;
      r -= c;
    }
  } else if (r > 0) {
    q++;
    r -= c;
  } else if (r <= -c) {
    q--;
    r += c;
  }
  if (2 * Math.abs(r) >= c) q += a < 0 ? -1 : 1;
  return q;
}

/** Writes avg = total / cnt (total scaled by inScale) in the result type. */
function writeAvgBig(out: NumOut, k: number, total: bigint, cnt: number, inScale: number, type: DataType): void {
  if (type.kind === 'decimal') {
    const shift = type.scale - inScale;
    const num = shift >= 0 ? total * 10n ** BigInt(shift) : total;
    const den = shift >= 0 ? BigInt(cnt) : BigInt(cnt) * 10n ** BigInt(-shift);
    out.setBig(k, divRoundHalfAway(num, den));
  } else out.setDouble(k, Number(total) / 10 ** inScale / cnt);
}

/** integer and short decimal inputs: float partial sums (exact) flushed to BigInt when large. */
function sumAvgExact(isAvg: boolean, arg: Col, argType: DataType, type: DataType, f: Frames, parts: Int32Array): Col {
  const v = arg.values as Float64Array | Int32Array;
  const m = arg.validity;
  const { lo, hi } = f;
  const out = new NumOut(type, lo.length);
  const inScale = argType.kind === 'decimal' ? argType.scale : 0;
  const avgDecimalSameScale = type.kind === 'decimal' && type.scale === inScale;
  const avgDouble = type.kind === 'double';
  for (let q = 0; q + 1 < parts.length; q++) {
    const ps = parts[q]!;
    const pe = parts[q + 1]!;
    let a = ps;
    let b = ps;
    let part = 0;
    let big = 0n;
    let cnt = 0;
    for (let k = ps; k < pe; k++) {
      const l = lo[k]!;
      const h = Math.max(hi[k]!, l);
      for (; b < h; b++) {
        if (m !== null && ((m[b >> 3]! >> (b & 7)) & 1) === 0) continue;
        part += v[b]!;
        cnt++;
        if (part >= FLUSH || part <= -FLUSH) {
          big += BigInt(part);
          part = 0;
        }
      }
      for (; a < l; a++) {
        if (m !== null && ((m[a >> 3]! >> (a & 7)) & 1) === 0) continue;
        part -= v[a]!;
        cnt--;
        if (part >= FLUSH || part <= -FLUSH) {
          big += BigInt(part);
          part = 0;
        }
      }
      if (cnt === 0) {
        out.setNull(k);
        continue;
      }
      if (big === 0n) {
        if (!isAvg) out.setSafe(k, part);
        else if (avgDouble) out.setDouble(k, part / 10 ** inScale / cnt);
        else if (avgDecimalSameScale) out.setSafe(k, divRoundSafe(part, cnt));
        else writeAvgBig(out, k, BigInt(part), cnt, inScale, type);
      } else {
        const total = big + BigInt(part);
        if (!isAvg) out.setBig(k, total);
        else writeAvgBig(out, k, total, cnt, inScale, type);
      }
    }
  }
  return out.col();
}

/** bigint and long decimal inputs: BigInt accumulation. */
function sumAvgBig(isAvg: boolean, arg: Col, argType: DataType, type: DataType, f: Frames, parts: Int32Array): Col {
  const d128 = layoutOf(argType) === 'd128';
  const v64 = d128 ? null : (arg.values as BigInt64Array);
  const v128 = d128 ? (arg.values as Uint32Array) : null;
  const m = arg.validity;
  const { lo, hi } = f;
  const out = new NumOut(type, lo.length);
  const inScale = argType.kind === 'decimal' ? argType.scale : 0;
  for (let q = 0; q + 1 < parts.length; q++) {
    const ps = parts[q]!;
    const pe = parts[q + 1]!;
    let a = ps;
    let b = ps;
    let sum = 0n;
    let cnt = 0;
    for (let k = ps; k < pe; k++) {
      const l = lo[k]!;
      const h = Math.max(hi[k]!, l);
      for (; b < h; b++) {
        if (m !== null && ((m[b >> 3]! >> (b & 7)) & 1) === 0) continue;
        sum += v64 !== null ? v64[b]! : d128Get(v128!, b);
        cnt++;
      }
      for (; a < l; a++) {
        if (m !== null && ((m[a >> 3]! >> (a & 7)) & 1) === 0) continue;
        sum -= v64 !== null ? v64[a]! : d128Get(v128!, a);
        cnt--;
      }
      if (cnt === 0) out.setNull(k);
      else if (!isAvg) out.setBig(k, sum);
      else writeAvgBig(out, k, sum, cnt, inScale, type);
    }
  }
  return out.col();
}

type PosCmp = (i: number, j: number) => number;

function positionComparator(arg: Col, layout: Layout): PosCmp {
  switch (layout) {
    case 'i32':
    case 'f64': {
      const v = arg.values as Int32Array | Float64Array;
      return (i, j) => (v[i]! > v[j]! ? 1 : v[i]! < v[j]! ? -1 : 0);
    }
    case 'i64': {
      const v = arg.values as BigInt64Array;
      return (i, j) => (v[i]! > v[j]! ? 1 : v[i]! < v[j]! ? -1 : 0);
    }
    case 'bool': {
      const v = arg.values as Uint8Array;
      return (i, j) => ((v[i >> 3]! >> (i & 7)) & 1) - ((v[j >> 3]! >> (j & 7)) & 1);
    }
    case 'd128': {
      const v = arg.values as Uint32Array;
      return (i, j) => {
        const x = d128Get(v, i);
        const y = d128Get(v, j);
        return x > y ? 1 : x < y ? -1 : 0;
      };
    }
    case 'utf8': {
      const v = arg.values as Uint8Array;
      const o = arg.offsets!;
      return (i, j) => cmpBytes(v, o[i]!, o[i + 1]!, v, o[j]!, o[j + 1]!);
    }
    default:
      return () => 0;
  }
}

/** Position of the min/max of every frame (-1: no non-NULL value), by a monotonic deque. */
function minMaxSources(isMax: boolean, arg: Col, layout: Layout, f: Frames, parts: Int32Array, n: number): Int32Array {
  const cmp = positionComparator(arg, layout);
  const m = arg.validity;
  const { lo, hi } = f;
  const src = new Int32Array(n);
  const dq = new Int32Array(n);
  for (let q = 0; q + 1 < parts.length; q++) {
    const ps = parts[q]!;
    const pe = parts[q + 1]!;
    let head = 0;
    let tail = 0;
    let b = ps;
    for (let k = ps; k < pe; k++) {
      const l = lo[k]!;
      const h = Math.max(hi[k]!, l);
      for (; b < h; b++) {
        if (m !== null && ((m[b >> 3]! >> (b & 7)) & 1) === 0) continue;
        // Drop candidates that can no longer be the answer (b is at least as good and lives longer).
        if (isMax) while (tail > head && cmp(dq[tail - 1]!, b) <= 0) tail--;
        else while (tail > head && cmp(dq[tail - 1]!, b) >= 0) tail--;
        dq[tail++] = b;
      }
      while (tail > head && dq[head]! < l) head++;
      src[k] = tail > head ? dq[head]! : -1;
    }
  }
  return src;
}
