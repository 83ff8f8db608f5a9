// Window operator, step 1: partitions and peer groups of the sorted rows, and the frame
// [lo, hi) of every sorted position. Positions are indices into the sorted order.
import { SqlError } from '../../common/errors.js';
import type { WindowFrame } from '../../common/plan/physical.js';
import { eqBytes } from '../expressions/runtime.js';
import type { Col, Layout } from '../expressions/vector.js';
import { rowEquals } from './hash.js';
import { checkOffset, groupsOffsetBound, type RangeKey, rangeOffsetBound } from './window-range.js';

export interface Partitioning {
  readonly n: number;
  /** Start position of each partition, then n (length partitions + 1). */
  readonly partStart: Int32Array;
  /** Per position: first position of its peer group, and one past its last. */
  readonly peerStart: Int32Array;
  readonly peerEnd: Int32Array;
  /** Per position: 1 when it starts a peer group (partition starts included). */
  readonly peerFlag: Uint8Array;
}

/** Sets flags[k] = 1 where sorted row k differs from row k-1 on column `col` (NULLs equal each other). */
function markKey(col: Col, layout: Layout, idx: Uint32Array, n: number, flags: Uint8Array): void {
  const m = col.validity;
  if (layout === 'null') return;
  if (m !== null) {
    for (let k = 1; k < n; k++) {
      const a = idx[k - 1]!;
      const b = idx[k]!;
      const na = ((m[a >> 3]! >> (a & 7)) & 1) === 0;
      const nb = ((m[b >> 3]! >> (b & 7)) & 1) === 0;
      if (na !== nb) flags[k] = 1;
    }
  }
  const bothValid = (a: number, b: number): boolean =>
    m === null || (((m[a >> 3]! >> (a & 7)) & 1) === 1 && ((m[b >> 3]! >> (b & 7)) & 1) === 1);
  switch (layout) {
    case 'i32':
    case 'f64': {
      const v = col.values as Int32Array | Float64Array;
      for (let k = 1; k < n; k++) {
        if (flags[k] === 1) continue;
        const a = idx[k - 1]!;
        const b = idx[k]!;
        if (!bothValid(a, b)) continue;
        const x = v[a]!;
        const y = v[b]!;
        // NaN is a peer of NaN.
        if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) flags[k] = 1;
      }
      return;
    }
    case 'i64': {
      const v = col.values as BigInt64Array;
      for (let k = 1; k < n; k++) {
        if (flags[k] === 1) continue;
        const a = idx[k - 1]!;
        const b = idx[k]!;
        if (bothValid(a, b) && v[a] !== v[b]) flags[k] = 1;
      }
      return;
    }
    case 'bool': {
      const v = col.values as Uint8Array;
      for (let k = 1; k < n; k++) {
        if (flags[k] === 1) continue;
        const a = idx[k - 1]!;
        const b = idx[k]!;
        if (bothValid(a, b) && ((v[a >> 3]! >> (a & 7)) & 1) !== ((v[b >> 3]! >> (b & 7)) & 1)) flags[k] = 1;
      }
      return;
    }
    case 'd128': {
      const v = col.values as Uint32Array;
      for (let k = 1; k < n; k++) {
        if (flags[k] === 1) continue;
        const a = idx[k - 1]! * 4;
        const b = idx[k]! * 4;
        if (!bothValid(a >> 2, b >> 2)) continue;
        if (v[a] !== v[b] || v[a + 1] !== v[b + 1] || v[a + 2] !== v[b + 2] || v[a + 3] !== v[b + 3]) flags[k] = 1;
      }
      return;
    }
    case 'utf8': {
      const v = col.values as Uint8Array;
      const o = col.offsets!;
      for (let k = 1; k < n; k++) {
        if (flags[k] === 1) continue;
        const a = idx[k - 1]!;
        const b = idx[k]!;
        if (bothValid(a, b) && !eqBytes(v, o[a]!, o[a + 1]!, v, o[b]!, o[b + 1]!)) flags[k] = 1;
      }
      return;
    }
    case 'iv':
      for (let k = 1; k < n; k++) {
        if (flags[k] === 1) continue;
        const a = idx[k - 1]!;
        const b = idx[k]!;
        if (bothValid(a, b) && !rowEquals(col, a, col, b, 'iv')) flags[k] = 1;
      }
      return;
    default:
      return;
  }
}

/** Partitions (equal on `partitionBy`) and peer groups (also equal on `orderBy`) of sorted rows. */
export function partitionRows(
  cols: readonly Col[],
  layouts: readonly Layout[],
  partitionBy: readonly number[],
  orderBy: readonly number[],
  idx: Uint32Array,
  n: number,
): Partitioning {
  const flags = new Uint8Array(n);
  if (n > 0) flags[0] = 1;
  for (const c of partitionBy) markKey(cols[c]!, layouts[c]!, idx, n, flags);
  let parts = 0;
  for (let k = 0; k < n; k++) parts += flags[k]!;
  const partStart = new Int32Array(parts + 1);
  let p = 0;
  for (let k = 0; k < n; k++) if (flags[k] === 1) partStart[p++] = k;
  partStart[parts] = n;
  // Peer groups refine partitions.
  for (const c of orderBy) markKey(cols[c]!, layouts[c]!, idx, n, flags);
  const peerStart = new Int32Array(n);
  const peerEnd = new Int32Array(n);
  let s = 0;
  for (let k = 0; k < n; k++) {
    if (flags[k] === 1) s = k;
    peerStart[k] = s;
  }
  let e = n;
  for (let k = n - 1; k >= 0; k--) {
    peerEnd[k] = e;
    if (flags[k] === 1) e = k;
  }
  return { n, partStart, peerStart, peerEnd, peerFlag: flags };
}

/** Frame of every position: rows lo[k] .. hi[k]-1 (empty when hi <= lo). Both are non-decreasing within a partition. */
export interface Frames {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
}

/**
 * Frames of every position. `rangeKey` gives the ORDER BY key for RANGE offsets. ROWS offsets
 * and UNBOUNDED / CURRENT ROW bounds are computed here; RANGE and GROUPS offsets in window-range.ts.
 */
export function frameBounds(frame: WindowFrame, p: Partitioning, rangeKey?: () => RangeKey): Frames {
  const { n, partStart, peerStart, peerEnd } = p;
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  // RANGE and GROUPS treat CURRENT ROW as the current row's peer group.
  const range = frame.mode !== 'rows';
  const s = frame.start;
  const e = frame.end;
  for (const [b, isStart] of [
    [s, true],
    [e, false],
  ] as const) {
    if (b.kind === 'preceding' || b.kind === 'following') checkOffset(b, frame.mode, isStart);
  }
  const sOff = s.kind === 'preceding' || s.kind === 'following' ? s.offset : 0;
  const eOff = e.kind === 'preceding' || e.kind === 'following' ? e.offset : 0;
  for (let q = 0; q + 1 < partStart.length; q++) {
    const ps = partStart[q]!;
    const pe = partStart[q + 1]!;
    for (let k = ps; k < pe; k++) {
      let a: number;
      switch (s.kind) {
        case 'unbounded_preceding':
          a = ps;
          break;
        case 'preceding':
          a = range ? peerStart[k]! : Math.max(ps, k - sOff);
          break;
        case 'current_row':
          a = range ? peerStart[k]! : k;
          break;
        case 'following':
          a = range ? peerStart[k]! : Math.min(pe, k + sOff);
          break;
        default:
          a = pe;
      }
      let b: number;
      switch (e.kind) {
        case 'unbounded_preceding':
          b = ps;
          break;
        case 'preceding':
          b = range ? peerEnd[k]! : Math.max(ps, k - eOff + 1);
          break;
        case 'current_row':
          b = range ? peerEnd[k]! : k + 1;
          break;
        case 'following':
          b = range ? peerEnd[k]! : Math.min(pe, k + eOff + 1);
          break;
        default:
          b = pe;
      }
      lo[k] = a;
      hi[k] = b;
    }
  }
  // Offset bounds of RANGE and GROUPS frames replace the placeholders set above.
  for (const [b, isStart] of [
    [s, true],
    [e, false],
  ] as const) {
    if (!range || (b.kind !== 'preceding' && b.kind !== 'following')) continue;
    const out = isStart ? lo : hi;
    if (frame.mode === 'groups') groupsOffsetBound(isStart, b, p, out);
    else {
      if (!rangeKey) throw SqlError.internal('RANGE frame offsets without an ORDER BY key');
      rangeOffsetBound(isStart, b, rangeKey(), p, out);
    }
  }
  return { lo, hi };
}
