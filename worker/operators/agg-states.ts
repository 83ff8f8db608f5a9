// Per-group accumulators of the aggregate functions, on typed arrays indexed by group id.
// Exact sums of integers and short decimals accumulate in float64 (exact below 2^53, chunked so
// a chunk cannot exceed it) and flush to BigInt once per chunk (PERFORMANCE.md rule 3).
import { divRoundHalfAway, fitDecimal } from '../../common/expr/literal.js';
import { type DataType, isShortDecimal } from '../../common/types.js';
import { overflow } from '../expressions/runtime.js';
import { bitmapBytes, type Col, d128Get, d128Num, d128Set, type Layout, layoutOf } from '../expressions/vector.js';

const SAFE = 9007199254740991;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

export interface Accumulator {
  resize(groups: number): void;
  /** Adds rows [0,n) (or those with sel[k] for k < n when sel given) of `col` to groups gids[row]. */
  update(col: Col, n: number, gids: Int32Array, sel: Int32Array | null): void;
}

export function growF64(a: Float64Array, n: number): Float64Array {
  if (a.length >= n) return a;
  const b = new Float64Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}
export function growU8(a: Uint8Array, n: number): Uint8Array {
  if (a.length >= n) return a;
  const b = new Uint8Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

function valid(m: Uint8Array | null, i: number): boolean {
  return m === null || ((m[i >> 3]! >> (i & 7)) & 1) === 1;
}

/** count(x) / count(*) (col ignored when star), and the merge of count states (sum of bigints). */
export class CountAcc implements Accumulator {
  counts: Float64Array = new Float64Array(16);
  constructor(
    private readonly star: boolean,
    private readonly merge: boolean,
  ) {}
  resize(groups: number): void {
    this.counts = growF64(this.counts, groups);
  }
  update(col: Col, n: number, gids: Int32Array, sel: Int32Array | null): void {
    const c = this.counts;
    if (this.merge) {
      const v = col.values as BigInt64Array;
      for (let k = 0; k < n; k++) {
        const i = sel === null ? k : sel[k]!;
        if (valid(col.validity, i)) c[gids[i]!]! += Number(v[i]!);
      }
      return;
    }
    const m = this.star ? null : col.validity;
    if (m === null) {
      for (let k = 0; k < n; k++) c[gids[sel === null ? k : sel[k]!]!]!++;
      return;
    }
    for (let k = 0; k < n; k++) {
      const i = sel === null ? k : sel[k]!;
      if (((m[i >> 3]! >> (i & 7)) & 1) === 1) c[gids[i]!]!++;
    }
  }
  output(groups: number): Col {
    const out = new BigInt64Array(groups);
    for (let g = 0; g < groups; g++) out[g] = BigInt(this.counts[g]!);
    return { values: out, offsets: null, validity: null };
  }
}

/** sum over a numeric column; result kept exact for integer and decimal inputs. */
export class SumAcc implements Accumulator {
  readonly mode: 'double' | 'exact' | 'big';
  readonly inLayout: Layout;
  has: Uint8Array = new Uint8Array(16);
  dbl: Float64Array = new Float64Array(16);
  partial: Float64Array = new Float64Array(16);
  big: bigint[] = [];
  private touched = new Int32Array(16);
  private touchedFlag: Uint8Array = new Uint8Array(16);
  private readonly scale: number;

  constructor(inputType: DataType) {
    this.inLayout = layoutOf(inputType);
    this.scale = inputType.kind === 'decimal' ? inputType.scale : 0;
    if (inputType.kind === 'double') this.mode = 'double';
    else if (inputType.kind === 'integer' || isShortDecimal(inputType)) this.mode = 'exact';
    else this.mode = 'big';
  }

  resize(groups: number): void {
    this.has = growU8(this.has, groups);
    this.dbl = growF64(this.dbl, groups);
    this.partial = growF64(this.partial, groups);
    this.touchedFlag = growU8(this.touchedFlag, groups);
    if (this.touched.length < groups) this.touched = new Int32Array(Math.max(groups, this.touched.length * 2));
    while (this.big.length < groups) this.big.push(0n);
  }

  update(col: Col, n: number, gids: Int32Array, sel: Int32Array | null): void {
    const m = col.validity;
    const has = this.has;
    if (this.mode === 'double') {
      const v = col.values as Float64Array;
      const s = this.dbl;
      for (let k = 0; k < n; k++) {
        const i = sel === null ? k : sel[k]!;
        if (m !== null && ((m[i >> 3]! >> (i & 7)) & 1) === 0) continue;
        const g = gids[i]!;
        s[g]! += v[i]!;
        has[g] = 1;
      }
      return;
    }
    if (this.mode === 'big') {
      const big = this.big;
      if (this.inLayout === 'd128') {
        // Values below 2^53 go to the float partial (flushed before it would leave the exact
        // range), the others straight to BigInt.
        const v = col.values as Uint32Array;
        const p = this.partial;
        for (let k = 0; k < n; k++) {
          const i = sel === null ? k : sel[k]!;
          if (m !== null && ((m[i >> 3]! >> (i & 7)) & 1) === 0) continue;
          const g = gids[i]!;
          const x = d128Num(v, i);
          if (Number.isNaN(x)) big[g] = big[g]! + d128Get(v, i);
          else {
            const s = p[g]! + x;
            if (s > SAFE || s < -SAFE) {
              big[g] = big[g]! + BigInt(p[g]!);
              p[g] = x;
            } else p[g] = s;
          }
          has[g] = 1;
        }
      } else {
        const v = col.values as BigInt64Array;
        for (let k = 0; k < n; k++) {
          const i = sel === null ? k : sel[k]!;
          if (m !== null && ((m[i >> 3]! >> (i & 7)) & 1) === 0) continue;
          const g = gids[i]!;
          big[g] = big[g]! + v[i]!;
          has[g] = 1;
        }
      }
      return;
    }
    // exact: chunks whose partial sums stay below 2^53, flushed to BigInt.
    const v = col.values as Float64Array | Int32Array;
    let maxAbs = 0;
    for (let k = 0; k < n; k++) {
      const x = v[sel === null ? k : sel[k]!]!;
      const a = x < 0 ? -x : x;
      if (a > maxAbs) maxAbs = a;
    }
    const chunk = maxAbs === 0 ? n : Math.max(1, Math.floor(SAFE / maxAbs) - 1);
    const p = this.partial;
    const tf = this.touchedFlag;
    const touched = this.touched;
    for (let start = 0; start < n; start += chunk) {
      const end = Math.min(n, start + chunk);
      let t = 0;
      for (let k = start; k < end; k++) {
        const i = sel === null ? k : sel[k]!;
        if (m !== null && ((m[i >> 3]! >> (i & 7)) & 1) === 0) continue;
        const g = gids[i]!;
        p[g]! += v[i]!;
        if (tf[g] === 0) {
          tf[g] = 1;
          touched[t++] = g;
        }
      }
      const big = this.big;
      for (let q = 0; q < t; q++) {
        const g = touched[q]!;
        big[g] = big[g]! + BigInt(p[g]!);
        p[g] = 0;
        tf[g] = 0;
        has[g] = 1;
      }
    }
  }

  /** Exact sum of group g (bigint, scaled) or the double sum. */
  value(g: number): bigint | number {
    if (this.mode === 'double') return this.dbl[g]!;
    // the fused loop may leave an exact float partial not yet flushed
    const p = this.partial[g]!;
    return p === 0 ? this.big[g]! : this.big[g]! + BigInt(p);
  }

  /** The sum in `type` (bigint, decimal(38,s) or double); NULL for groups without input. */
  output(groups: number, type: DataType, zeroIfEmpty = false): Col {
    const validity = new Uint8Array(bitmapBytes(groups));
    let nulls = 0;
    for (let g = 0; g < groups; g++) {
      if (this.has[g] || zeroIfEmpty) validity[g >> 3]! |= 1 << (g & 7);
      else nulls++;
    }
    return { ...writeValues(groups, type, (g) => this.value(g)), validity: nulls ? validity : null };
  }
}

function writeValues(groups: number, type: DataType, get: (g: number) => bigint | number): Col {
  const layout = layoutOf(type);
  switch (layout) {
    case 'i64': {
      const out = new BigInt64Array(groups);
      for (let g = 0; g < groups; g++) {
        const v = get(g);
        const b = typeof v === 'bigint' ? v : BigInt(v);
        if (b > INT64_MAX || b < INT64_MIN) overflow('bigint');
        out[g] = b;
      }
      return { values: out, offsets: null, validity: null };
    }
    case 'd128': {
      const out = new Uint32Array(groups * 4);
      const p = type.kind === 'decimal' ? type.precision : 38;
      const s = type.kind === 'decimal' ? type.scale : 0;
      for (let g = 0; g < groups; g++) {
        const v = get(g);
        d128Set(out, g, fitDecimal(typeof v === 'bigint' ? v : BigInt(v), p, s) as bigint);
      }
      return { values: out, offsets: null, validity: null };
    }
    case 'f64': {
      const out = new Float64Array(groups);
      const isDec = type.kind === 'decimal';
      for (let g = 0; g < groups; g++) {
        const v = get(g);
        if (isDec && type.kind === 'decimal') {
          out[g] = fitDecimal(typeof v === 'bigint' ? v : BigInt(v), type.precision, type.scale) as number;
        } else out[g] = Number(v);
      }
      return { values: out, offsets: null, validity: null };
    }
    case 'i32': {
      const out = new Int32Array(groups);
      for (let g = 0; g < groups; g++) out[g] = Number(get(g));
      return { values: out, offsets: null, validity: null };
    }
    default:
      throw new Error(`cannot write aggregate values as ${layout}`);
  }
}

/** avg: an exact (or double) sum plus a count. */
export class AvgAcc {
  readonly sum: SumAcc;
  readonly count: CountAcc;
  constructor(sumInputType: DataType, mergeCounts: boolean) {
    this.sum = new SumAcc(sumInputType);
    this.count = new CountAcc(false, mergeCounts);
  }
  resize(groups: number): void {
    this.sum.resize(groups);
    this.count.resize(groups);
  }
  /** avg in `type`: decimal(p,s) of the same scale as the sum state, or double. */
  output(groups: number, type: DataType, sumScale: number): Col {
    const validity = new Uint8Array(bitmapBytes(groups));
    let nulls = 0;
    for (let g = 0; g < groups; g++) {
      if (this.count.counts[g]! > 0) validity[g >> 3]! |= 1 << (g & 7);
      else nulls++;
    }
    const get = (g: number): bigint | number => {
      const c = this.count.counts[g]!;
      if (c === 0) return 0;
      const s = this.sum.value(g);
      if (type.kind === 'decimal') {
        const b = typeof s === 'bigint' ? s : BigInt(s);
        const shift = type.scale - sumScale;
        const num = shift >= 0 ? b * 10n ** BigInt(shift) : b;
        const den = shift >= 0 ? BigInt(c) : BigInt(c) * 10n ** BigInt(-shift);
        return divRoundHalfAway(num, den);
      }
      if (typeof s === 'bigint') return sumScale === 0 ? Number(s) / c : Number(s) / 10 ** sumScale / c;
      return s / c;
    };
    return { ...writeValues(groups, type, get), validity: nulls ? validity : null };
  }
}

/** min / max of any comparable type. */
export class MinMaxAcc implements Accumulator {
  private readonly layout: Layout;
  has: Uint8Array = new Uint8Array(16);
  num: Float64Array = new Float64Array(16);
  big: bigint[] = [];
  str: (Uint8Array | null)[] = [];
  constructor(
    private readonly type: DataType,
    private readonly isMax: boolean,
  ) {
    this.layout = layoutOf(type);
  }
  resize(groups: number): void {
    this.has = growU8(this.has, groups);
    this.num = growF64(this.num, groups);
    while (this.big.length < groups) this.big.push(0n);
    while (this.str.length < groups) this.str.push(null);
  }
  update(col: Col, n: number, gids: Int32Array, sel: Int32Array | null): void {
    const m = col.validity;
    const has = this.has;
    const max = this.isMax;
    switch (this.layout) {
      case 'i32':
      case 'f64':
      case 'bool': {
        const bool = this.layout === 'bool';
        const v = col.values as Float64Array | Int32Array | Uint8Array;
        const s = this.num;
        for (let k = 0; k < n; k++) {
          const i = sel === null ? k : sel[k]!;
          if (m !== null && ((m[i >> 3]! >> (i & 7)) & 1) === 0) continue;
          const x = bool ? (v[i >> 3]! >> (i & 7)) & 1 : v[i]!;
          const g = gids[i]!;
          if (has[g] === 0 || (max ? x > s[g]! : x < s[g]!)) {
            s[g] = x;
            has[g] = 1;
          }
        }
        return;
      }
      case 'i64':
      case 'd128': {
        const big = this.big;
        for (let k = 0; k < n; k++) {
          const i = sel === null ? k : sel[k]!;
          if (m !== null && ((m[i >> 3]! >> (i & 7)) & 1) === 0) continue;
          const x = this.layout === 'i64' ? (col.values as BigInt64Array)[i]! : d128Get(col.values as Uint32Array, i);
          const g = gids[i]!;
          if (has[g] === 0 || (max ? x > big[g]! : x < big[g]!)) {
            big[g] = x;
            has[g] = 1;
          }
        }
        return;
      }
      case 'utf8': {
        const v = col.values as Uint8Array;
        const o = col.offsets!;
        for (let k = 0; k < n; k++) {
          const i = sel === null ? k : sel[k]!;
          if (m !== null && ((m[i >> 3]! >> (i & 7)) & 1) === 0) continue;
          const g = gids[i]!;
          const cur = this.str[g]!;
          const s = o[i]!;
          const e = o[i + 1]!;
          if (has[g] === 0 || cur === null || (max ? cmp(v, s, e, cur) > 0 : cmp(v, s, e, cur) < 0)) {
            this.str[g] = v.slice(s, e);
            has[g] = 1;
          }
        }
        return;
      }
      default:
        return;
    }
  }
  output(groups: number): Col {
    const validity = new Uint8Array(bitmapBytes(groups));
    let nulls = 0;
    for (let g = 0; g < groups; g++) {
      if (this.has[g]) validity[g >> 3]! |= 1 << (g & 7);
      else nulls++;
    }
    const vm = nulls ? validity : null;
    switch (this.layout) {
      case 'bool': {
        const out = new Uint8Array(bitmapBytes(groups));
        for (let g = 0; g < groups; g++) if (this.num[g]) out[g >> 3]! |= 1 << (g & 7);
        return { values: out, offsets: null, validity: vm };
      }
      case 'i32':
        return { values: Int32Array.from(this.num.subarray(0, groups)), offsets: null, validity: vm };
      case 'f64':
        return { values: this.num.slice(0, groups), offsets: null, validity: vm };
      case 'i64':
        return { values: BigInt64Array.from(this.big.slice(0, groups)), offsets: null, validity: vm };
      case 'd128': {
        const out = new Uint32Array(groups * 4);
        for (let g = 0; g < groups; g++) d128Set(out, g, this.big[g]!);
        return { values: out, offsets: null, validity: vm };
      }
      case 'utf8': {
        let total = 0;
        for (let g = 0; g < groups; g++) total += this.str[g]?.length ?? 0;
        const bytes = new Uint8Array(total);
        const offsets = new Int32Array(groups + 1);
        let p = 0;
        for (let g = 0; g < groups; g++) {
          const s = this.str[g];
          if (s) {
            bytes.set(s, p);
            p += s.length;
          }
          offsets[g + 1] = p;
        }
        return { values: bytes, offsets, validity: vm };
      }
      default:
        return { values: new Uint8Array(0), offsets: null, validity: new Uint8Array(bitmapBytes(groups)) };
    }
  }
  get typeOf(): DataType {
    return this.type;
  }
}

function cmp(v: Uint8Array, s: number, e: number, b: Uint8Array): number {
  const la = e - s;
  const n = Math.min(la, b.length);
  for (let k = 0; k < n; k++) {
    const d = v[s + k]! - b[k]!;
    if (d !== 0) return d;
  }
  return la - b.length;
}

/**
 * An accumulator over all argument columns of its aggregate (raw rows in steps single/partial,
 * the state columns in step final), emitting its state columns or its final value.
 */
export interface MultiAccumulator {
  resize(groups: number): void;
  /** Adds rows [0,n) (or sel[0..n) when sel given, ascending) of `cols` to groups gids[row]. */
  update(cols: readonly Col[], n: number, gids: Int32Array, sel: Int32Array | null): void;
  /** The state columns (partial) or the one value column. */
  output(groups: number, partial: boolean): Col[];
}

/** bool_and / bool_or (state: the boolean so far; NULL when no input). */
export class BoolAcc implements MultiAccumulator {
  has: Uint8Array = new Uint8Array(16);
  val: Uint8Array = new Uint8Array(16);
  constructor(private readonly isAnd: boolean) {}
  resize(groups: number): void {
    this.has = growU8(this.has, groups);
    this.val = growU8(this.val, groups);
  }
  update(cols: readonly Col[], n: number, gids: Int32Array, sel: Int32Array | null): void {
    const col = cols[0]!;
    const m = col.validity;
    const v = col.values as Uint8Array;
    const { has, val } = this;
    const and = this.isAnd;
    for (let k = 0; k < n; k++) {
      const i = sel === null ? k : sel[k]!;
      if (m !== null && ((m[i >> 3]! >> (i & 7)) & 1) === 0) continue;
      const x = (v[i >> 3]! >> (i & 7)) & 1;
      const g = gids[i]!;
      if (has[g] === 0) {
        has[g] = 1;
        val[g] = x;
      } else val[g] = and ? val[g]! & x : val[g]! | x;
    }
  }
  output(groups: number): Col[] {
    const validity = new Uint8Array(bitmapBytes(groups));
    const values = new Uint8Array(bitmapBytes(groups));
    let nulls = 0;
    for (let g = 0; g < groups; g++) {
      if (this.has[g]) validity[g >> 3]! |= 1 << (g & 7);
      else nulls++;
      if (this.val[g]) values[g >> 3]! |= 1 << (g & 7);
    }
    return [{ values, offsets: null, validity: nulls ? validity : null }];
  }
}
