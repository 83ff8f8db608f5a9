// Window operator: frame bounds with offsets in RANGE mode (by the values of the one ORDER BY
// key) and GROUPS mode (by peer groups). Per partition, one pointer per bound moves forward only:
// the bound of a later row is never before the bound of an earlier one, so every partition is
// one O(rows) pass (thresholds grow with the key, or shrink for DESC).
import { SqlError } from '../../common/errors.js';
import { civilFromDays, daysFromCivil } from '../../common/expr/literal.js';
import type { FrameBound } from '../../common/plan/physical.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { DataType } from '../../common/types.js';
import { type Col, d128Get, type Layout } from '../expressions/vector.js';
import type { Partitioning } from './window-partitions.js';

/** The ORDER BY key of a RANGE frame, in sorted order. */
export interface RangeKey {
  readonly col: Col;
  readonly layout: Layout;
  readonly type: DataType;
  readonly ascending: boolean;
}

type OffsetBound = Extract<FrameBound, { kind: 'preceding' | 'following' }>;

export function checkOffset(b: OffsetBound, mode: 'rows' | 'range' | 'groups', isStart: boolean): void {
  if (!(b.offset >= 0) || (b.months ?? 0) < 0) {
    // PostgreSQL's wording differs between ROWS/GROUPS counts and RANGE distances.
    const message =
      mode === 'range'
        ? 'invalid preceding or following size in window function'
        : `frame ${isStart ? 'starting' : 'ending'} offset must not be negative`;
    throw new SqlError(SqlStates.invalidPrecedingOrFollowingSize, message);
  }
}

const MICROS_PER_DAY = 86_400_000_000;
const SAFE = 2 ** 53;

/**
 * RANGE offset bound of every position into `out` (frame start: first row in the frame; end: one
 * past the last). Rows whose key is NULL frame with their NULL peers; other rows never reach a
 * NULL row through an offset bound (PostgreSQL's rules).
 */
export function rangeOffsetBound(
  isStart: boolean,
  b: OffsetBound,
  key: RangeKey,
  p: Partitioning,
  out: Int32Array,
): void {
  checkOffset(b, 'range', isStart);
  const { partStart, peerStart, peerEnd } = p;
  const { col, ascending } = key;
  const m = col.validity;
  // d = signed distance from the current row's key to the threshold.
  const sign = (b.kind === 'following') === ascending ? 1 : -1;
  // Start bound: first row with key >= T (ASC) / <= T (DESC). End: first row with key > T / < T.
  const values = numericKeys(key);
  const months = b.months ?? 0;
  const offset = b.infinite ? Number.POSITIVE_INFINITY : b.offset;
  const calendar = months !== 0 ? calendarShift(key.type, sign * months, sign * offset) : null;
  if (calendar !== null && values.kind !== 'number') {
    throw SqlError.unsupportedPlural('RANGE offsets with months over timestamps beyond the year 2255');
  }
  for (let q = 0; q + 1 < partStart.length; q++) {
    const ps = partStart[q]!;
    const pe = partStart[q + 1]!;
    let nnStart = ps;
    let nnEnd = pe;
    if (m !== null) {
      while (nnStart < pe && ((m[nnStart >> 3]! >> (nnStart & 7)) & 1) === 0) nnStart++;
      while (nnEnd > nnStart && ((m[(nnEnd - 1) >> 3]! >> ((nnEnd - 1) & 7)) & 1) === 0) nnEnd--;
    }
    for (let k = ps; k < nnStart; k++) out[k] = isStart ? peerStart[k]! : peerEnd[k]!;
    for (let k = nnEnd; k < pe; k++) out[k] = isStart ? peerStart[k]! : peerEnd[k]!;
    let j = nnStart;
    if (values.kind === 'number') {
      const v = values.v;
      const d = sign * offset;
      for (let k = nnStart; k < nnEnd; k++) {
        let t = calendar !== null ? calendar(v[k]!) : v[k]! + d;
        // inf - inf: PostgreSQL counts every value as in range.
        if (Number.isNaN(t)) t = ascending === isStart ? -Infinity : Infinity;
        if (ascending === isStart) {
          // start ASC: skip rows with key < T; end DESC: include rows with key >= T.
          if (isStart) while (j < nnEnd && v[j]! < t) j++;
          else while (j < nnEnd && v[j]! >= t) j++;
        } else if (isStart) while (j < nnEnd && v[j]! > t) j++;
        else while (j < nnEnd && v[j]! <= t) j++;
        out[k] = j;
      }
    } else {
      const v = values.v;
      // Integer keys: key >= base + d  <=>  key >= base + ceil(d); key <= base + d  <=>  key <= base + floor(d).
      const d = sign * b.offset;
      const geDelta = BigInt(Math.ceil(d));
      const leDelta = BigInt(Math.floor(d));
      for (let k = nnStart; k < nnEnd; k++) {
        const base = v[k]!;
        if (ascending === isStart) {
          if (isStart) {
            const t = base + geDelta;
            while (j < nnEnd && v[j]! < t) j++;
          } else {
            const t = base + geDelta;
            while (j < nnEnd && v[j]! >= t) j++;
          }
        } else if (isStart) {
          const t = base + leDelta;
          while (j < nnEnd && v[j]! > t) j++;
        } else {
          const t = base + leDelta;
          while (j < nnEnd && v[j]! <= t) j++;
        }
        out[k] = j;
      }
    }
  }
}

type Keys = { kind: 'number'; v: Float64Array | Int32Array } | { kind: 'bigint'; v: bigint[] | BigInt64Array };

/** The key as numbers when every value is exact as one, else as BigInts (64/128-bit integers). */
function numericKeys(key: RangeKey): Keys {
  const { col, layout } = key;
  switch (layout) {
    case 'i32':
    case 'f64':
      return { kind: 'number', v: col.values as Int32Array | Float64Array };
    case 'i64': {
      const v = col.values as BigInt64Array;
      const out = new Float64Array(v.length);
      for (let i = 0; i < v.length; i++) {
        const x = Number(v[i]!);
        if (x > SAFE || x < -SAFE) return { kind: 'bigint', v };
        out[i] = x;
      }
      return { kind: 'number', v: out };
    }
    case 'd128': {
      const w = col.values as Uint32Array;
      const n = w.length >> 2;
      const big: bigint[] = new Array(n);
      const out = new Float64Array(n);
      let exact = true;
      for (let i = 0; i < n; i++) {
        const x = d128Get(w, i);
        big[i] = x;
        const f = Number(x);
        if (f > SAFE || f < -SAFE) exact = false;
        out[i] = f;
      }
      return exact ? { kind: 'number', v: out } : { kind: 'bigint', v: big };
    }
    default:
      throw SqlError.internal(`RANGE offsets over keys of layout ${layout}`);
  }
}

/** base + months (day clamped to the month's end, like PostgreSQL) + offset, for dates (days) or timestamps (micros). */
function calendarShift(type: DataType, months: number, offset: number): (base: number) => number {
  const ymd = new Int32Array(3);
  const addMonths = (day: number): number => {
    civilFromDays(day, ymd);
    const total = ymd[0]! * 12 + (ymd[1]! - 1) + months;
    const y = Math.floor(total / 12);
    const mo = total - y * 12 + 1;
    const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    return daysFromCivil(y, mo, Math.min(ymd[2]!, last));
  };
  if (type.kind === 'date') return (day) => addMonths(day) + offset;
  return (micros) => {
    const day = Math.floor(micros / MICROS_PER_DAY);
    const time = micros - day * MICROS_PER_DAY;
    return addMonths(day) * MICROS_PER_DAY + time + offset;
  };
}

/** GROUPS offset bound of every position: `offset` peer groups before or after the current one. */
export function groupsOffsetBound(isStart: boolean, b: OffsetBound, p: Partitioning, out: Int32Array): void {
  checkOffset(b, 'groups', isStart);
  const { n, partStart, peerFlag } = p;
  // Peer groups numbered within each partition, with their start positions.
  const groupOf = new Int32Array(n);
  const groupStart = new Int32Array(n + 1);
  const off = b.offset;
  for (let q = 0; q + 1 < partStart.length; q++) {
    const ps = partStart[q]!;
    const pe = partStart[q + 1]!;
    let g = -1;
    for (let k = ps; k < pe; k++) {
      if (k === ps || peerFlag[k] === 1) groupStart[++g] = k;
      groupOf[k] = g;
    }
    const groups = g + 1;
    groupStart[groups] = pe;
    for (let k = ps; k < pe; k++) {
      const target = b.kind === 'preceding' ? groupOf[k]! - off : groupOf[k]! + off;
      if (isStart) out[k] = target < 0 ? ps : target >= groups ? pe : groupStart[target]!;
      else out[k] = target < 0 ? ps : target >= groups ? pe : groupStart[target + 1]!;
    }
  }
}
