// One generated loop that updates several count/sum accumulators per row (instead of one pass
// per aggregate). Exact sums add into float64 partials and flush to BigInt only when a partial
// would leave the exact range (PERFORMANCE.md rule 3).
import { type Col, d128Get, d128Num } from '../expressions/vector.js';
import { type CountAcc, SumAcc } from './agg-states.js';

export type FusedKind = 'count_star' | 'count' | 'count_merge' | 'sum_double' | 'sum_exact' | 'sum_d128';

export interface FusedItem {
  readonly kind: FusedKind;
  /** Input column (ignored for count_star). */
  readonly column: number;
  readonly acc: CountAcc | SumAcc;
}

type Run = (start: number, end: number) => void;
type Bind = (gids: Int32Array, arrays: readonly unknown[]) => Run;
type Factory = (H: typeof HELPERS) => Bind;
const HELPERS = { d128Get, d128Num };
const cache = new Map<string, Bind>();

function compile(kinds: readonly FusedKind[]): Bind {
  const key = kinds.join(',');
  const hit = cache.get(key);
  if (hit) return hit;
  const decls: string[] = [];
  const body: string[] = [];
  kinds.forEach((k, j) => {
    decls.push(
      `const v${j} = A[${j * 5}], m${j} = A[${j * 5 + 1}], s${j} = A[${j * 5 + 2}], h${j} = A[${j * 5 + 3}], B${j} = A[${j * 5 + 4}];`,
    );
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
        // Exact while |sum| <= 2^53 - 1: a rounded float sum beyond that is detected (rounding is
        // monotonic), and the partial is flushed to the BigInt total before adding.
        body.push(
          `if ${valid} { const x = v${j}[i], s = s${j}[g] + x; if (s > 9007199254740991 || s < -9007199254740991) { B${j}[g] += BigInt(s${j}[g]); s${j}[g] = x; } else s${j}[g] = s; h${j}[g] = 1; }`,
        );
        break;
      case 'sum_d128':
        // Long decimals (e.g. the decimal(38,s) sum states): values below 2^53 join the float
        // partial like sum_exact; only the others are added as BigInt.
        body.push(
          `if ${valid} { const x = H.d128Num(v${j}, i); if (x !== x) B${j}[g] += H.d128Get(v${j}, i); else { const s = s${j}[g] + x; if (s > 9007199254740991 || s < -9007199254740991) { B${j}[g] += BigInt(s${j}[g]); s${j}[g] = x; } else s${j}[g] = s; } h${j}[g] = 1; }`,
        );
        break;
    }
  });
  const src = `"use strict";
return function bind(gids, A) {
${decls.join('\n')}
return function run(start, end) {
  for (let i = start; i < end; i++) {
    const g = gids[i];
    ${body.join('\n    ')}
  }
};
};`;
  const factory = (new Function('H', src) as Factory)(HELPERS);
  cache.set(key, factory);
  return factory;
}

export class FusedUpdater {
  private readonly bind: Bind;

  constructor(private readonly items: readonly FusedItem[]) {
    this.bind = compile(items.map((x) => x.kind));
  }

  update(cols: readonly Col[], n: number, gids: Int32Array): void {
    const arrays: unknown[] = [];
    for (const it of this.items) {
      const c = cols[it.column];
      arrays.push(c?.values ?? null, c?.validity ?? null);
      if (it.acc instanceof SumAcc)
        arrays.push(it.kind === 'sum_double' ? it.acc.dbl : it.acc.partial, it.acc.has, it.acc.big);
      else arrays.push(it.acc.counts, null, null);
    }
    this.bind(gids, arrays)(0, n);
  }
}
