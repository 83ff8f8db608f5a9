// The summary of a hash join's build keys for dynamic filtering (common/plan/dynamic-filter.ts):
// distinct non-NULL values up to `limit`, then only the running min/max. One pass over the key
// column's typed array; strings are decoded only while they are still collected as values.
import type { LiteralValue } from '../../common/expr/expr.js';
import { encodeLiteral } from '../../common/expr/literal.js';
import {
  compareUtf8,
  type DynamicFilterSummary,
  summarizableType,
  valuesLimit,
} from '../../common/plan/dynamic-filter.js';
import type { DataType } from '../../common/types.js';
import { type Col, d128Get, layoutOf } from '../expressions/vector.js';

function valid(c: Col, i: number): boolean {
  return c.validity === null || ((c.validity[i >> 3]! >> (i & 7)) & 1) === 1;
}

function finish<T extends number | bigint | string>(
  type: DataType,
  set: Set<T> | null,
  min: T | undefined,
  max: T | undefined,
): DynamicFilterSummary {
  if (set !== null) {
    const sorted = [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return { kind: 'values', type, values: sorted.map((v) => encodeLiteral(v, type)) };
  }
  if (min === undefined || max === undefined) return { kind: 'values', type, values: [] };
  return { kind: 'range', type, min: encodeLiteral(min, type), max: encodeLiteral(max, type) };
}

/** Widest key range whose distinct values are found with a bitset (1 bit per value: 16 MB). */
const BITSET_MAX_RANGE = 1 << 27;

function numbers(c: Col, n: number, type: DataType, limit: number): DynamicFilterSummary {
  const v = c.values as Int32Array | Float64Array;
  const keys = new Float64Array(n);
  let count = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    if (!valid(c, i)) continue;
    const x = v[i]!;
    // NaN keys: the engine and the sources disagree on NaN = NaN; do not filter at all.
    if (Number.isNaN(x)) return { kind: 'all' };
    keys[count++] = x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (count === 0) return { kind: 'values', type, values: [] };
  const range = (): DynamicFilterSummary => ({
    kind: 'range',
    type,
    min: encodeLiteral(min, type),
    max: encodeLiteral(max, type),
  });
  const found =
    v instanceof Int32Array && max - min < BITSET_MAX_RANGE
      ? bitsetDistinct(keys, count, min, max, limit)
      : sortedDistinct(keys, count, limit);
  return found === undefined ? range() : { kind: 'values', type, values: found.map((x) => encodeLiteral(x, type)) };
}

/**
 * The distinct integers among keys[0..count) in ascending order, or undefined when there are more
 * than `limit`: one bit per value of min..max, so no sort (a build of 1.5 M keys took 150 ms to sort).
 */
function bitsetDistinct(
  keys: Float64Array,
  count: number,
  min: number,
  max: number,
  limit: number,
): number[] | undefined {
  const words = new Int32Array(((max - min) >>> 5) + 1);
  for (let i = 0; i < count; i++) {
    const d = keys[i]! - min;
    words[d >>> 5]! |= 1 << (d & 31);
  }
  let distinct = 0;
  for (let w = 0; w < words.length; w++) {
    const x = words[w]!;
    if (x !== 0) distinct += popcount(x);
  }
  if (distinct > limit) return undefined;
  const out = new Array<number>(distinct);
  let k = 0;
  for (let w = 0; w < words.length; w++) {
    let x = words[w]!;
    while (x !== 0) {
      const low = x & -x;
      out[k++] = min + (w << 5) + (31 - Math.clz32(low));
      x ^= low;
    }
  }
  return out;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** The distinct values among keys[0..count) in ascending order (a typed-array sort), or undefined beyond `limit`. */
function sortedDistinct(keys: Float64Array, count: number, limit: number): number[] | undefined {
  const sorted = keys.subarray(0, count).sort();
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    const x = sorted[i]!;
    if (i > 0 && x === sorted[i - 1]) continue;
    if (values.length === limit) return undefined;
    values.push(x);
  }
  return values;
}

function bigints(c: Col, n: number, type: DataType, limit: number, wide: boolean): DynamicFilterSummary {
  const v64 = c.values as BigInt64Array;
  const v128 = c.values as Uint32Array;
  let set: Set<bigint> | null = new Set();
  let min: bigint | undefined;
  let max: bigint | undefined;
  for (let i = 0; i < n; i++) {
    if (!valid(c, i)) continue;
    const x = wide ? d128Get(v128, i) : v64[i]!;
    if (min === undefined || x < min) min = x;
    if (max === undefined || x > max) max = x;
    if (set !== null) {
      set.add(x);
      if (set.size > limit) set = null;
    }
  }
  return finish(type, set, min, max);
}

function strings(c: Col, n: number, type: DataType, limit: number): DynamicFilterSummary {
  const bytes = c.values as Uint8Array;
  const offsets = c.offsets!;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let set: Set<string> | null = new Set();
  let minAt = -1;
  let maxAt = -1;
  const slice = (i: number) => bytes.subarray(offsets[i]!, offsets[i + 1]!);
  for (let i = 0; i < n; i++) {
    if (!valid(c, i)) continue;
    if (minAt < 0 || compareUtf8(slice(i), slice(minAt)) < 0) minAt = i;
    if (maxAt < 0 || compareUtf8(slice(i), slice(maxAt)) > 0) maxAt = i;
    if (set !== null) {
      set.add(buf.toString('utf8', offsets[i]!, offsets[i + 1]!));
      if (set.size > limit) set = null;
    }
  }
  if (set !== null) {
    // Sorted by bytes, like the engine compares strings.
    const enc = new TextEncoder();
    const values: LiteralValue[] = [...set]
      .map((s) => [s, enc.encode(s)] as const)
      .sort((a, b) => compareUtf8(a[1], b[1]))
      .map(([s]) => s);
    return { kind: 'values', type, values };
  }
  if (minAt < 0) return { kind: 'values', type, values: [] };
  return {
    kind: 'range',
    type,
    min: buf.toString('utf8', offsets[minAt]!, offsets[minAt + 1]!),
    max: buf.toString('utf8', offsets[maxAt]!, offsets[maxAt + 1]!),
  };
}

/** Summary of the first `n` values of a join key column of type `type`. */
export function summarizeKeys(c: Col, type: DataType, n: number, limit = valuesLimit(type)): DynamicFilterSummary {
  if (!summarizableType(type)) return { kind: 'all' };
  switch (layoutOf(type)) {
    case 'i32':
    case 'f64':
      return numbers(c, n, type, limit);
    case 'i64':
      return bigints(c, n, type, limit, false);
    case 'd128':
      return bigints(c, n, type, limit, true);
    case 'utf8':
      return strings(c, n, type, limit);
    default:
      return { kind: 'all' };
  }
}
