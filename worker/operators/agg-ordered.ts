// Aggregates over ordered input: ORDER BY inside a call (string_agg(x, ',' ORDER BY y),
// array_agg(x ORDER BY y)) and the ordered-set aggregates (percentile_cont / percentile_disc /
// mode() WITHIN GROUP (ORDER BY x)). They run in step single only (the fragmenter repartitions
// their raw rows): OrderedAcc buffers each group's rows with their sort keys, sorts all rows once
// at the end (stable: ties keep their input order) and feeds them, in that order, to the
// accumulator of the aggregate.
import { SqlError } from '../../common/errors.js';
import type { AggregateFn } from '../../common/functions/aggregates.js';
import type { SortKey } from '../../common/plan/physical.js';
import { SqlStates } from '../../common/sqlstate.js';
import { type DataType, INTEGER } from '../../common/types.js';
import { eqBytes } from '../expressions/runtime.js';
import { bitmapBytes, type Col, d128Get, type Layout, layoutOf, takeCol } from '../expressions/vector.js';
import type { MultiAccumulator } from './agg-states.js';
import { RowBuffer, sortedIndices } from './sort.js';

export class OrderedAcc implements MultiAccumulator {
  /** Columns: group id, the aggregate's arguments, the sort keys. */
  private readonly buf: RowBuffer;
  private readonly layouts: readonly Layout[];
  private groups = 0;

  /** `cols` given to update are the arguments (argTypes) followed by the sort key columns. */
  constructor(
    private readonly inner: MultiAccumulator,
    private readonly argCount: number,
    types: readonly DataType[],
    private readonly keys: readonly Pick<SortKey, 'ascending' | 'nullsFirst'>[],
  ) {
    this.buf = new RowBuffer([INTEGER, ...types]);
    this.layouts = types.map(layoutOf);
  }

  resize(groups: number): void {
    this.groups = Math.max(this.groups, groups);
  }

  update(cols: readonly Col[], n: number, gids: Int32Array, sel: Int32Array | null): void {
    if (n === 0) return;
    let idx: Int32Array;
    if (sel === null) {
      idx = new Int32Array(n);
      for (let k = 0; k < n; k++) idx[k] = k;
    } else idx = sel.subarray(0, n);
    const g = new Int32Array(n);
    for (let k = 0; k < n; k++) g[k] = gids[idx[k]!]!;
    const taken = cols.map((c, j) => takeCol(c, this.layouts[j]!, idx, n));
    this.buf.addCols([{ values: g, offsets: null, validity: null }, ...taken], n);
  }

  output(groups: number, partial: boolean): Col[] {
    const n = this.buf.rows;
    this.inner.resize(Math.max(groups, this.groups));
    if (n > 0) {
      const cols = this.buf.columns();
      const layouts = this.buf.layouts;
      const order = sortedIndices(
        cols,
        layouts,
        this.keys.map((k, i) => ({ index: 1 + this.argCount + i, ascending: k.ascending, nullsFirst: k.nullsFirst })),
        n,
      );
      const gids = takeCol(cols[0]!, 'i32', order, n).values as Int32Array;
      const args = cols.slice(1, 1 + this.argCount).map((c, j) => takeCol(c, layouts[1 + j]!, order, n));
      this.inner.update(args, n, gids, null);
      this.buf.clear();
    }
    return this.inner.output(groups, partial);
  }
}

/**
 * percentile_cont(f) / percentile_disc(f) / mode() of each group, fed in WITHIN GROUP order:
 * arguments [x, f] (percentile) or [x] (mode). NULL values of x are skipped; a NULL fraction
 * gives NULL.
 */
export class OrderedSetAcc implements MultiAccumulator {
  private readonly layout: Layout;
  private value: Col | null = null;
  private fraction: Col | null = null;
  private gids: Int32Array = new Int32Array(0);
  private n = 0;

  constructor(
    private readonly fn: Extract<AggregateFn, 'percentile_cont' | 'percentile_disc' | 'mode'>,
    type: DataType,
  ) {
    this.layout = layoutOf(type);
  }

  resize(): void {}

  /** Called once, with every row in order (OrderedAcc). */
  update(cols: readonly Col[], n: number, gids: Int32Array, sel: Int32Array | null): void {
    if (sel !== null || this.value !== null) throw SqlError.internal(`${this.fn} is fed by OrderedAcc only`);
    this.value = cols[0]!;
    this.fraction = cols[1] ?? null;
    this.gids = gids;
    this.n = n;
  }

  output(groups: number): Col[] {
    // Rows of each group, in order: a counting sort of positions by group (stable).
    const start = new Int32Array(groups + 1);
    const v = this.value;
    const m = v?.validity ?? null;
    const valid = (i: number) => m === null || ((m[i >> 3]! >> (i & 7)) & 1) === 1;
    for (let i = 0; i < this.n; i++) if (valid(i)) start[this.gids[i]! + 1]!++;
    for (let g = 0; g < groups; g++) start[g + 1]! += start[g]!;
    const pos = new Int32Array(start[groups]!);
    const fill = start.slice(0, groups);
    const firstRow = new Int32Array(groups).fill(-1);
    for (let i = 0; i < this.n; i++) {
      const g = this.gids[i]!;
      if (firstRow[g] === -1) firstRow[g] = i;
      if (valid(i)) pos[fill[g]!++] = i;
    }
    const src = new Int32Array(groups).fill(-1);
    if (this.fn === 'percentile_cont') return [this.interpolate(groups, start, pos, firstRow)];
    for (let g = 0; g < groups; g++) {
      const a = start[g]!;
      const count = start[g + 1]! - a;
      if (count === 0 || v === null) continue;
      if (this.fn === 'mode') {
        src[g] = modeOf(v, this.layout, pos, a, a + count);
        continue;
      }
      const f = this.fractionOf(firstRow[g]!);
      if (f === null) continue;
      const rownum = Math.ceil(f * count);
      src[g] = pos[a + Math.max(rownum, 1) - 1]!;
    }
    const out = v ?? { values: new Float64Array(0), offsets: null, validity: null };
    return [takeCol(out, this.layout, src, groups)];
  }

  private fractionOf(row: number): number | null {
    const fc = this.fraction;
    if (fc === null || row < 0) return null;
    if (fc.validity !== null && ((fc.validity[row >> 3]! >> (row & 7)) & 1) === 0) return null;
    const f = (fc.values as Float64Array)[row]!;
    if (!(f >= 0 && f <= 1)) {
      throw new SqlError(SqlStates.numericValueOutOfRange, `percentile value ${f} is not between 0 and 1`);
    }
    return f;
  }

  /** percentile_cont: linear interpolation between the two nearest rows (PostgreSQL's formula). */
  private interpolate(groups: number, start: Int32Array, pos: Int32Array, firstRow: Int32Array): Col {
    const values = new Float64Array(groups);
    const validity = new Uint8Array(bitmapBytes(groups));
    const x = (this.value?.values ?? new Float64Array(0)) as Float64Array;
    for (let g = 0; g < groups; g++) {
      const a = start[g]!;
      const count = start[g + 1]! - a;
      if (count === 0) continue;
      const f = this.fractionOf(firstRow[g]!);
      if (f === null) continue;
      const at = f * (count - 1);
      const lo = Math.floor(at);
      const hi = Math.ceil(at);
      const loVal = x[pos[a + lo]!]!;
      values[g] = lo === hi ? loVal : loVal + (at - lo) * (x[pos[a + hi]!]! - loVal);
      validity[g >> 3]! |= 1 << (g & 7);
    }
    return { values, offsets: null, validity };
  }
}

/** The most frequent value among positions pos[a..b) (sorted: equal values adjacent); ties: the first. */
function modeOf(v: Col, layout: Layout, pos: Int32Array, a: number, b: number): number {
  const eq = equality(v, layout);
  let best = pos[a]!;
  let bestCount = 0;
  let runStart = a;
  for (let k = a + 1; k <= b; k++) {
    if (k < b && eq(pos[k - 1]!, pos[k]!)) continue;
    const count = k - runStart;
    if (count > bestCount) {
      bestCount = count;
      best = pos[runStart]!;
    }
    runStart = k;
  }
  return best;
}

function equality(v: Col, layout: Layout): (i: number, j: number) => boolean {
  switch (layout) {
    case 'utf8': {
      const b = v.values as Uint8Array;
      const o = v.offsets!;
      return (i, j) => eqBytes(b, o[i]!, o[i + 1]!, b, o[j]!, o[j + 1]!);
    }
    case 'bool': {
      const b = v.values as Uint8Array;
      return (i, j) => ((b[i >> 3]! >> (i & 7)) & 1) === ((b[j >> 3]! >> (j & 7)) & 1);
    }
    case 'd128': {
      const w = v.values as Uint32Array;
      return (i, j) => d128Get(w, i) === d128Get(w, j);
    }
    default: {
      const x = v.values as ArrayLike<number | bigint>;
      return (i, j) => x[i] === x[j] || (Number.isNaN(x[i]) && Number.isNaN(x[j]));
    }
  }
}
