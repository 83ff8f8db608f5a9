// One generated loop that updates several count/sum accumulators per row (instead of one pass
// per aggregate). Exact sums add into float64 partials within chunks whose sums stay below 2^53,
// then flush to BigInt (PERFORMANCE.md rule 3).
import type { Col } from '../expressions/vector.js';
import { type CountAcc, SumAcc } from './agg-states.js';

export type FusedKind = 'count_star' | 'count' | 'count_merge' | 'sum_double' | 'sum_exact';

export interface FusedItem {
  readonly kind: FusedKind;
  /** Input column (ignored for count_star). */
  readonly column: number;
  readonly acc: CountAcc | SumAcc;
}

type Run = (start: number, end: number) => number;
type Bind = (gids: Int32Array, tf: Uint8Array, touched: Int32Array, arrays: readonly unknown[]) => Run;
const cache = new Map<string, Bind>();

function compile(kinds: readonly FusedKind[]): Bind {
  const key = kinds.join(',');
  const hit = cache.get(key);
  if (hit) return hit;
  const decls: string[] = [];
  const body: string[] = [];
  kinds.forEach((k, j) => {
    decls.push(`const v${j} = A[${j * 4}], m${j} = A[${j * 4 + 1}], s${j} = A[${j * 4 + 2}], h${j} = A[${j * 4 + 3}];`);
    const valid = `(m${j} === null || ((m${j}[i >> 3] >> (i & 7)) & 1) === 1)`;
    switch (k) {
      case 'count_star':
        body.push(`s${j}[g]++;`);
        break;
      case 'count':
        body.push(`if ${valid} s${j}[g]++;`);
        break;
      case 'count_merge':
        body.push(`if ${valid} s${j}[g] += Number(v${j}[i]);`);
        break;
      case 'sum_double':
        body.push(`if ${valid} { s${j}[g] += v${j}[i]; h${j}[g] = 1; }`);
        break;
      case 'sum_exact':
        body.push(
          `if ${valid} { s${j}[g] += v${j}[i]; h${j}[g] = 1; if (tf[g] === 0) { tf[g] = 1; touched[t++] = g; } }`,
        );
        break;
    }
  });
  const src = `"use strict";
${decls.join('\n')}
return function run(start, end) {
  let t = 0;
  for (let i = start; i < end; i++) {
    const g = gids[i];
    ${body.join('\n    ')}
  }
  return t;
};`;
  const factory = new Function('gids', 'tf', 'touched', 'A', src) as Bind;
  cache.set(key, factory);
  return factory;
}

const SAFE = 9007199254740991;

function maxAbs(c: Col, n: number): number {
  const v = c.values as Float64Array | Int32Array;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    const a = x < 0 ? -x : x;
    if (a > m) m = a;
  }
  return m;
}

export class FusedUpdater {
  private readonly bind: Bind;
  private tf = new Uint8Array(16);
  private touched = new Int32Array(16);
  private readonly exact: FusedItem[];

  constructor(private readonly items: readonly FusedItem[]) {
    this.bind = compile(items.map((x) => x.kind));
    this.exact = items.filter((x) => x.kind === 'sum_exact');
  }

  update(cols: readonly Col[], n: number, gids: Int32Array, groups: number): void {
    if (this.tf.length < groups) {
      this.tf = new Uint8Array(Math.max(groups, this.tf.length * 2));
      this.touched = new Int32Array(this.tf.length);
    }
    const arrays: unknown[] = [];
    for (const it of this.items) {
      const c = cols[it.column];
      arrays.push(c?.values ?? null, c?.validity ?? null);
      if (it.acc instanceof SumAcc) arrays.push(it.kind === 'sum_exact' ? it.acc.partial : it.acc.dbl, it.acc.has);
      else arrays.push(it.acc.counts, null);
    }
    let chunk = n;
    if (this.exact.length) {
      let m = 0;
      const seen = new Set<number>();
      for (const it of this.exact) {
        if (seen.has(it.column)) continue;
        seen.add(it.column);
        m = Math.max(m, maxAbs(cols[it.column]!, n));
      }
      if (m > 0) chunk = Math.max(1, Math.floor(SAFE / m) - 1);
    }
    const run = this.bind(gids, this.tf, this.touched, arrays);
    for (let start = 0; start < n; start += chunk) {
      const t = run(start, Math.min(n, start + chunk));
      if (this.exact.length === 0) continue;
      const touched = this.touched;
      const tf = this.tf;
      for (const it of this.exact) {
        const acc = it.acc as SumAcc;
        const p = acc.partial;
        const big = acc.big;
        for (let q = 0; q < t; q++) {
          const g = touched[q]!;
          const x = p[g]!;
          if (x !== 0) {
            big[g] = big[g]! + BigInt(x);
            p[g] = 0;
          }
        }
      }
      for (let q = 0; q < t; q++) tf[touched[q]!] = 0;
    }
  }
}
