// Window operator: ranking (row_number rank dense_rank percent_rank cume_dist ntile) and
// navigation (lag lead first_value last_value nth_value) over sorted positions.
// Navigation results are gathers: a source position per row (-1 = NULL) then takeCol.
import { SqlError } from '../../common/errors.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { DataType } from '../../common/types.js';
import { type Col, concatCols, type Layout } from '../expressions/vector.js';
import { NumOut } from './window-output.js';
import type { Frames, Partitioning } from './window-partitions.js';

export type RankingFn = 'row_number' | 'rank' | 'dense_rank' | 'percent_rank' | 'cume_dist';

export function ranking(fn: RankingFn, type: DataType, p: Partitioning): Col {
  const { n, partStart, peerStart, peerEnd, peerFlag } = p;
  const out = new NumOut(type, n);
  for (let q = 0; q + 1 < partStart.length; q++) {
    const ps = partStart[q]!;
    const pe = partStart[q + 1]!;
    switch (fn) {
      case 'row_number':
        for (let k = ps; k < pe; k++) out.setSafe(k, k - ps + 1);
        break;
      case 'rank':
        for (let k = ps; k < pe; k++) out.setSafe(k, peerStart[k]! - ps + 1);
        break;
      case 'dense_rank': {
        let r = 0;
        for (let k = ps; k < pe; k++) {
          r += peerFlag[k]!;
          out.setSafe(k, r);
        }
        break;
      }
      case 'percent_rank': {
        const d = pe - ps - 1;
        for (let k = ps; k < pe; k++) out.setDouble(k, d === 0 ? 0 : (peerStart[k]! - ps) / d);
        break;
      }
      case 'cume_dist': {
        const size = pe - ps;
        for (let k = ps; k < pe; k++) out.setDouble(k, (peerEnd[k]! - ps) / size);
        break;
      }
    }
  }
  return out.col();
}

/** ntile(buckets): the first (size % buckets) buckets get one row more. */
export function ntile(buckets: number | null, type: DataType, p: Partitioning): Col {
  const { n, partStart } = p;
  const out = new NumOut(type, n);
  if (buckets === null) {
    for (let k = 0; k < n; k++) out.setNull(k);
    return out.col();
  }
  if (!(buckets > 0))
    throw new SqlError(SqlStates.invalidParameterValue, 'argument of ntile must be greater than zero');
  for (let q = 0; q + 1 < partStart.length; q++) {
    const ps = partStart[q]!;
    const size = partStart[q + 1]! - ps;
    const per = Math.floor(size / buckets);
    const rem = size - per * buckets;
    const big = rem * (per + 1);
    for (let r = 0; r < size; r++) {
      out.setSafe(ps + r, r < big ? Math.floor(r / (per + 1)) + 1 : rem + Math.floor((r - big) / per) + 1);
    }
  }
  return out.col();
}

/**
 * lag / lead: value `offset` rows before / after in the partition, else the default (per-row
 * column `dflt` in sorted order, or NULL). Returns the column to gather from and the positions.
 */
export function lagLead(
  isLag: boolean,
  value: Col,
  layout: Layout,
  offset: number | null,
  dflt: Col | null,
  p: Partitioning,
): { from: Col; src: Int32Array } {
  const { n, partStart } = p;
  const src = new Int32Array(n);
  if (offset === null) {
    src.fill(-1);
    return { from: value, src };
  }
  const delta = isLag ? -offset : offset;
  for (let q = 0; q + 1 < partStart.length; q++) {
    const ps = partStart[q]!;
    const pe = partStart[q + 1]!;
    for (let k = ps; k < pe; k++) {
      const j = k + delta;
      src[k] = j >= ps && j < pe ? j : dflt !== null ? n + k : -1;
    }
  }
  const from = dflt !== null ? concatCols([value, dflt], [n, n], layout) : value;
  return { from, src };
}

/** first_value / last_value / nth_value(n) of each frame: source positions (-1 = NULL). */
export function frameValueSources(which: 'first' | 'last' | 'nth', nth: number | null, f: Frames): Int32Array {
  const { lo, hi } = f;
  const n = lo.length;
  const src = new Int32Array(n);
  if (which === 'nth') {
    if (nth === null) return src.fill(-1);
    if (!(nth > 0)) {
      throw new SqlError(SqlStates.invalidParameterValue, 'argument of nth_value must be greater than zero');
    }
  }
  for (let k = 0; k < n; k++) {
    const a = lo[k]!;
    const b = hi[k]!;
    if (b <= a) src[k] = -1;
    else if (which === 'first') src[k] = a;
    else if (which === 'last') src[k] = b - 1;
    else src[k] = a + nth! - 1 < b ? a + nth! - 1 : -1;
  }
  return src;
}
