// approx_distinct: HyperLogLog over the engine's 32-bit value hashes (worker/operators/hash.ts),
// 2^11 registers (standard error 2.3%), with linear counting for small cardinalities. A group's
// registers start sparse (a short list of set registers) and turn dense past SPARSE_MAX entries.
// State (varchar, all bytes < 0x80): 2048 register bytes when dense, else 3 bytes per set register.
import { HLL_INDEX_BITS } from '../../common/functions/aggregates.js';
import type { DataType } from '../../common/types.js';
import { type Col, type Layout, layoutOf } from '../expressions/vector.js';
import type { MultiAccumulator } from './agg-states.js';
import { hashColumns } from './hash.js';

const M = 1 << HLL_INDEX_BITS;
const RANK_BITS = 32 - HLL_INDEX_BITS;
const SPARSE_MAX = 128;
const TWO32 = 2 ** 32;

export class HllAcc implements MultiAccumulator {
  /** Dense registers of a group, or null while sparse. */
  private dense: (Uint8Array | null)[] = [];
  /** Sparse set registers: index * 32 + rank. */
  private sparse: (number[] | null)[] = [];
  private hashes = new Uint32Array(0);
  private readonly layout: Layout;

  constructor(
    type: DataType,
    private readonly merge: boolean,
  ) {
    this.layout = layoutOf(type);
  }

  resize(groups: number): void {
    while (this.dense.length < groups) {
      this.dense.push(null);
      this.sparse.push(null);
    }
  }

  private set(g: number, idx: number, rank: number): void {
    const d = this.dense[g];
    if (d) {
      if (rank > d[idx]!) d[idx] = rank;
      return;
    }
    let s = this.sparse[g];
    if (!s) {
      s = [];
      this.sparse[g] = s;
    }
    for (let q = 0; q < s.length; q++) {
      const e = s[q]!;
      if (e >> 5 === idx) {
        if (rank > (e & 31)) s[q] = idx * 32 + rank;
        return;
      }
    }
    s.push(idx * 32 + rank);
    if (s.length > SPARSE_MAX) {
      const nd = new Uint8Array(M);
      for (const e of s) nd[e >> 5] = e & 31;
      this.dense[g] = nd;
      this.sparse[g] = null;
    }
  }

  update(cols: readonly Col[], n: number, gids: Int32Array, sel: Int32Array | null): void {
    if (n === 0) return;
    const col = cols[0]!;
    const m = col.validity;
    if (this.merge) {
      const v = col.values as Uint8Array;
      const o = col.offsets!;
      for (let k = 0; k < n; k++) {
        const i = sel === null ? k : sel[k]!;
        if (m !== null && ((m[i >> 3]! >> (i & 7)) & 1) === 0) continue;
        const g = gids[i]!;
        const s = o[i]!;
        const e = o[i + 1]!;
        if (e - s === M) {
          for (let r = 0; r < M; r++) if (v[s + r]! > 0) this.set(g, r, v[s + r]!);
        } else {
          for (let q = s; q + 2 < e; q += 3) this.set(g, (v[q]! << 7) | v[q + 1]!, v[q + 2]!);
        }
      }
      return;
    }
    if (this.layout === 'null') return;
    const rows = sel === null ? n : sel[n - 1]! + 1;
    if (this.hashes.length < rows) this.hashes = new Uint32Array(rows);
    const h = this.hashes;
    hashColumns([col], [this.layout], rows, h);
    for (let k = 0; k < n; k++) {
      const i = sel === null ? k : sel[k]!;
      if (m !== null && ((m[i >> 3]! >> (i & 7)) & 1) === 0) continue;
      const x = h[i]!;
      const idx = x >>> RANK_BITS;
      const w = (x << HLL_INDEX_BITS) >>> 0;
      const rank = w === 0 ? RANK_BITS + 1 : Math.clz32(w) + 1;
      this.set(gids[i]!, idx, rank);
    }
  }

  /** The HyperLogLog estimate of group g. */
  estimate(g: number): number {
    const d = this.dense[g];
    const s = this.sparse[g];
    let sum = 0;
    let zeros = 0;
    if (d) {
      for (let r = 0; r < M; r++) {
        const x = d[r]!;
        sum += 2 ** -x;
        if (x === 0) zeros++;
      }
    } else {
      const set = s?.length ?? 0;
      if (set === 0) return 0;
      zeros = M - set;
      sum = zeros;
      for (const e of s!) sum += 2 ** -(e & 31);
    }
    const alpha = 0.7213 / (1 + 1.079 / M);
    let est = (alpha * M * M) / sum;
    if (est <= 2.5 * M && zeros > 0) est = M * Math.log(M / zeros);
    else if (est > TWO32 / 30) est = -TWO32 * Math.log(1 - est / TWO32);
    return Math.round(est);
  }

  output(groups: number, partial: boolean): Col[] {
    if (!partial) {
      const out = new BigInt64Array(groups);
      for (let g = 0; g < groups; g++) out[g] = BigInt(this.estimate(g));
      return [{ values: out, offsets: null, validity: null }];
    }
    let total = 0;
    for (let g = 0; g < groups; g++) total += this.dense[g] ? M : (this.sparse[g]?.length ?? 0) * 3;
    const values = new Uint8Array(total);
    const offsets = new Int32Array(groups + 1);
    let p = 0;
    for (let g = 0; g < groups; g++) {
      const d = this.dense[g];
      if (d) {
        values.set(d, p);
        p += M;
      } else {
        for (const e of this.sparse[g] ?? []) {
          const idx = e >> 5;
          values[p++] = idx >> 7;
          values[p++] = idx & 127;
          values[p++] = e & 31;
        }
      }
      offsets[g + 1] = p;
    }
    return [{ values, offsets, validity: null }];
  }
}
