// The row filter a table scan applies for dynamic filters the connector did not guarantee: keeps
// rows whose key is among the summary's values (or in its range). NULL keys never match. Strings
// are checked by a 32-bit hash of their bytes: a rare false positive only lets a row through to
// the join, which re-checks it, and no string is decoded. For the same reason a check that
// hardly drops a row is switched off after a while.
import type { RecordBatch } from 'apache-arrow';
import { decodeLiteral } from '../../common/expr/literal.js';
import type { DynamicFilterSummary } from '../../common/plan/dynamic-filter.js';
import type { ColumnSchema, DataType } from '../../common/types.js';
import { type Col, colsToBatch, d128Get, layoutOf, readBatch, takeCol } from '../expressions/vector.js';

export interface RowCheck {
  /** Position in the scan's output. */
  readonly column: number;
  /** `values` or `range`, already in the column's type. */
  readonly summary: DynamicFilterSummary;
}

/** Clears keep[i] for rows that cannot match. */
type Check = (c: Col, n: number, keep: Uint8Array) => void;

function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

function dropNulls(c: Col, n: number, keep: Uint8Array): void {
  const m = c.validity;
  if (m === null) return;
  for (let i = 0; i < n; i++) if (((m[i >> 3]! >> (i & 7)) & 1) === 0) keep[i] = 0;
}

function checkOf(s: DynamicFilterSummary, t: DataType): Check | undefined {
  if (s.kind === 'all') return undefined;
  const layout = layoutOf(t);
  const decode = (v: Parameters<typeof decodeLiteral>[0]) => decodeLiteral(v, t);
  if (layout === 'utf8') {
    if (s.kind === 'values') {
      const enc = new TextEncoder();
      const hashes = new Set(
        s.values.map((v) => {
          const b = enc.encode(String(v));
          return hashBytes(b, 0, b.length);
        }),
      );
      return (c, n, keep) => {
        const b = c.values as Uint8Array;
        const o = c.offsets!;
        for (let i = 0; i < n; i++) if (keep[i] && !hashes.has(hashBytes(b, o[i]!, o[i + 1]!))) keep[i] = 0;
      };
    }
    const enc = new TextEncoder();
    const lo = enc.encode(String(s.min));
    const hi = enc.encode(String(s.max));
    return (c, n, keep) => {
      const b = c.values as Uint8Array;
      const o = c.offsets!;
      for (let i = 0; i < n; i++) {
        if (!keep[i]) continue;
        const v = b.subarray(o[i]!, o[i + 1]!);
        if (compareBytes(v, lo) < 0 || compareBytes(v, hi) > 0) keep[i] = 0;
      }
    };
  }
  if (layout === 'i32' || layout === 'f64') {
    if (s.kind === 'values') {
      const nums = s.values.map((v) => Number(decode(v)));
      const check = integerCheck(nums);
      if (check) return check;
      const set = new Set(nums);
      return (c, n, keep) => {
        const v = c.values as Int32Array | Float64Array;
        for (let i = 0; i < n; i++) if (keep[i] && !set.has(v[i]!)) keep[i] = 0;
      };
    }
    const lo = Number(decode(s.min));
    const hi = Number(decode(s.max));
    return (c, n, keep) => {
      const v = c.values as Int32Array | Float64Array;
      for (let i = 0; i < n; i++) if (keep[i] && !(v[i]! >= lo && v[i]! <= hi)) keep[i] = 0;
    };
  }
  if (layout === 'i64' || layout === 'd128') {
    const big = (v: Parameters<typeof decodeLiteral>[0]) => BigInt(decode(v) as bigint | number);
    // Long decimals are read per row with d128Get; bigint and timestamp straight from the array.
    const wide = layout === 'd128';
    if (s.kind === 'values') {
      const set = new Set(s.values.map(big));
      return (c, n, keep) => {
        if (wide) {
          const v = c.values as Uint32Array;
          for (let i = 0; i < n; i++) if (keep[i] && !set.has(d128Get(v, i))) keep[i] = 0;
        } else {
          const v = c.values as BigInt64Array;
          for (let i = 0; i < n; i++) if (keep[i] && !set.has(v[i]!)) keep[i] = 0;
        }
      };
    }
    const lo = big(s.min);
    const hi = big(s.max);
    return (c, n, keep) => {
      if (wide) {
        const v = c.values as Uint32Array;
        for (let i = 0; i < n; i++) {
          if (!keep[i]) continue;
          const x = d128Get(v, i);
          if (x < lo || x > hi) keep[i] = 0;
        }
      } else {
        const v = c.values as BigInt64Array;
        for (let i = 0; i < n; i++) if (keep[i] && (v[i]! < lo || v[i]! > hi)) keep[i] = 0;
      }
    };
  }
  return undefined;
}

/** Largest key range checked with a bitmap (1 bit per value: 8 MB). */
const BITMAP_MAX_RANGE = 1 << 26;

/**
 * Membership of integer keys without a JS Set (a Set lookup per row cost about as much as the
 * rest of the scan): a bitmap over min..max when the range is small enough (join keys usually
 * are dense), else an open-addressing table on an Int32Array; the loops test inline (a membership
 * closure per row was a call V8 would not inline). Undefined when a value is not an int32.
 * A non-integer key may pass: the join re-checks what passes.
 */
function integerCheck(values: readonly number[]): Check | undefined {
  if (values.length === 0 || !values.every((v) => (v | 0) === v)) return undefined;
  let min = values[0]!;
  let max = min;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (max - min < BITMAP_MAX_RANGE) {
    const span = max - min;
    const bits = new Uint8Array((span >> 3) + 1);
    for (const v of values) bits[(v - min) >> 3]! |= 1 << ((v - min) & 7);
    return (c, n, keep) => {
      const v = c.values as Int32Array | Float64Array;
      for (let i = 0; i < n; i++) {
        if (keep[i] === 0) continue;
        const d = v[i]! - min;
        if (!(d >= 0 && d <= span) || ((bits[d >> 3]! >> (d & 7)) & 1) === 0) keep[i] = 0;
      }
    };
  }
  let size = 16;
  while (size < values.length * 2) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size);
  const used = new Uint8Array(size);
  for (const v of values) {
    let h = Math.imul(v, 0x9e3779b1) & mask;
    while (used[h] && slots[h] !== v) h = (h + 1) & mask;
    slots[h] = v;
    used[h] = 1;
  }
  return (c, n, keep) => {
    const v = c.values as Int32Array | Float64Array;
    for (let i = 0; i < n; i++) {
      if (keep[i] === 0) continue;
      const x = v[i]!;
      let found = false;
      if ((x | 0) === x) {
        let h = Math.imul(x, 0x9e3779b1) & mask;
        while (used[h]) {
          if (slots[h] === x) {
            found = true;
            break;
          }
          h = (h + 1) & mask;
        }
      }
      if (!found) keep[i] = 0;
    }
  };
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** A check that drops less than this share of the rows it sees is switched off... */
const USEFUL_SHARE = 0.02;
/** ...judged over this many rows... */
const JUDGED_ROWS = 1 << 17;
/** ...and tried again on every this-many-th batch while off (the data may change along the scan). */
const RETRY_EVERY = 8;

interface LiveCheck {
  readonly column: number;
  readonly f: Check;
  on: boolean;
  skipped: number;
  seen: number;
  dropped: number;
}

function countKept(keep: Uint8Array, n: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) k += keep[i]!;
  return k;
}

/**
 * A filter over batches of `schema`, or undefined when no check restricts anything. Checks that
 * hardly drop a row (a build side holding every key of a foreign key) stop costing a test per
 * row: the join re-checks every row anyway, so leaving one out changes no result.
 */
export function dynamicRowFilter(
  checks: readonly RowCheck[],
  schema: readonly ColumnSchema[],
): ((b: RecordBatch) => RecordBatch) | undefined {
  const types = schema.map((c) => c.type);
  const live = checks.flatMap((k): LiveCheck[] => {
    const t = types[k.column];
    const f = t ? checkOf(k.summary, t) : undefined;
    return f ? [{ column: k.column, f, on: true, skipped: 0, seen: 0, dropped: 0 }] : [];
  });
  if (live.length === 0) return undefined;
  const layouts = types.map(layoutOf);
  return (b) => {
    const n = b.numRows;
    if (n === 0) return b;
    const cols = readBatch(b, types);
    const keep = new Uint8Array(n).fill(1);
    let kept = n;
    for (const k of live) {
      if (!k.on && ++k.skipped % RETRY_EVERY !== 0) continue;
      const c = cols[k.column]!;
      dropNulls(c, n, keep);
      k.f(c, n, keep);
      const after = countKept(keep, n);
      k.seen += kept;
      k.dropped += kept - after;
      kept = after;
      if (k.seen >= JUDGED_ROWS) {
        k.on = k.dropped >= k.seen * USEFUL_SHARE;
        k.seen = 0;
        k.dropped = 0;
      }
      if (kept === 0) break;
    }
    if (kept === n) return b;
    const idx = new Int32Array(kept);
    let count = 0;
    for (let i = 0; i < n; i++) if (keep[i]) idx[count++] = i;
    return colsToBatch(
      schema,
      cols.map((c, j) => takeCol(c, layouts[j]!, idx, count)),
      count,
    );
  };
}
