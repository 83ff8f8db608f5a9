// stddev_samp / stddev_pop / var_samp / var_pop: per group count, mean and M2 (sum of squared
// deviations from the mean), updated with Welford's method per row and merged across partial
// states with the pairwise formula of Chan, Golub and LeVeque (numerically stable, unlike sums of
// squares).
import type { AggregateFn } from '../../common/functions/aggregates.js';
import type { DataType } from '../../common/types.js';
import { bitmapBytes, type Col, d128Get, type Layout, layoutOf } from '../expressions/vector.js';
import { growF64, type MultiAccumulator } from './agg-states.js';

type VarianceFn = Extract<AggregateFn, 'stddev_samp' | 'stddev_pop' | 'var_samp' | 'var_pop'>;

export class VarianceAcc implements MultiAccumulator {
  n: Float64Array = new Float64Array(16);
  mean: Float64Array = new Float64Array(16);
  m2: Float64Array = new Float64Array(16);
  private readonly layout: Layout;
  /** Short and long decimals hold scaled integers: value = stored / div. */
  private readonly div: number;

  constructor(
    private readonly fn: VarianceFn,
    inputType: DataType,
    private readonly merge: boolean,
  ) {
    this.layout = layoutOf(inputType);
    this.div = inputType.kind === 'decimal' ? 10 ** inputType.scale : 1;
  }

  resize(groups: number): void {
    this.n = growF64(this.n, groups);
    this.mean = growF64(this.mean, groups);
    this.m2 = growF64(this.m2, groups);
  }

  update(cols: readonly Col[], n: number, gids: Int32Array, sel: Int32Array | null): void {
    if (this.merge) {
      this.mergeStates(cols, n, gids, sel);
      return;
    }
    const col = cols[0]!;
    const m = col.validity;
    const cnt = this.n;
    const mean = this.mean;
    const m2 = this.m2;
    const layout = this.layout;
    const div = this.div;
    for (let k = 0; k < n; k++) {
      const i = sel === null ? k : sel[k]!;
      if (m !== null && ((m[i >> 3]! >> (i & 7)) & 1) === 0) continue;
      let x: number;
      if (layout === 'i32' || layout === 'f64') x = (col.values as Int32Array | Float64Array)[i]!;
      else if (layout === 'i64') x = Number((col.values as BigInt64Array)[i]!);
      else if (layout === 'd128') x = Number(d128Get(col.values as Uint32Array, i));
      else continue;
      if (div !== 1) x /= div;
      const g = gids[i]!;
      const c = cnt[g]! + 1;
      cnt[g] = c;
      const d = x - mean[g]!;
      const mu = mean[g]! + d / c;
      mean[g] = mu;
      m2[g]! += d * (x - mu);
    }
  }

  private mergeStates(cols: readonly Col[], n: number, gids: Int32Array, sel: Int32Array | null): void {
    const cv = cols[0]!.values as BigInt64Array;
    const cm = cols[0]!.validity;
    const mv = cols[1]!.values as Float64Array;
    const qv = cols[2]!.values as Float64Array;
    const cnt = this.n;
    const mean = this.mean;
    const m2 = this.m2;
    for (let k = 0; k < n; k++) {
      const i = sel === null ? k : sel[k]!;
      if (cm !== null && ((cm[i >> 3]! >> (i & 7)) & 1) === 0) continue;
      const nb = Number(cv[i]!);
      if (nb === 0) continue;
      const g = gids[i]!;
      const na = cnt[g]!;
      const total = na + nb;
      const d = mv[i]! - mean[g]!;
      mean[g] = na === 0 ? mv[i]! : mean[g]! + (d * nb) / total;
      m2[g] = na === 0 ? qv[i]! : m2[g]! + qv[i]! + (d * d * na * nb) / total;
      cnt[g] = total;
    }
  }

  output(groups: number, partial: boolean): Col[] {
    if (partial) {
      const c = new BigInt64Array(groups);
      for (let g = 0; g < groups; g++) c[g] = BigInt(this.n[g]!);
      return [
        { values: c, offsets: null, validity: null },
        { values: this.mean.slice(0, groups), offsets: null, validity: null },
        { values: this.m2.slice(0, groups), offsets: null, validity: null },
      ];
    }
    const sample = this.fn === 'stddev_samp' || this.fn === 'var_samp';
    const root = this.fn === 'stddev_samp' || this.fn === 'stddev_pop';
    const out = new Float64Array(groups);
    const validity = new Uint8Array(bitmapBytes(groups));
    let nulls = 0;
    for (let g = 0; g < groups; g++) {
      const c = this.n[g]!;
      if (c === 0 || (sample && c === 1)) {
        nulls++;
        continue;
      }
      const q = Math.max(this.m2[g]!, 0);
      const v = q / (sample ? c - 1 : c);
      out[g] = root ? Math.sqrt(v) : v;
      validity[g >> 3]! |= 1 << (g & 7);
    }
    return [{ values: out, offsets: null, validity: nulls ? validity : null }];
  }
}
