// Window functions (a sink): buffers its input, sorts row indices by partitionBy then orderBy,
// computes every WindowCall over the sorted positions into a new column, and emits the input
// columns (in sorted order) followed by one column per call.
import type { RecordBatch } from 'apache-arrow';
import { SqlError } from '../../common/errors.js';
import type { AggregateFn } from '../../common/functions/aggregates.js';
import type { PhysicalNode, SortKey, WindowCall, WindowFrame } from '../../common/plan/physical.js';
import type { DataType } from '../../common/types.js';
import { type Col, colsToBatch, type Layout, layoutOf, sliceCol, takeCol } from '../expressions/vector.js';
import { countOutput, type MutableStats, newStats, OUTPUT_BATCH_ROWS, type Sink } from './operator.js';
import { RowBuffer, sortedIndices } from './sort.js';
import { windowAggregate } from './window-aggregates.js';
import { frameValueSources, lagLead, ntile, ranking } from './window-functions.js';
import { type Frames, frameBounds, type Partitioning, partitionRows } from './window-partitions.js';

export type WindowNode = Extract<PhysicalNode, { kind: 'window' }>;

const AGGREGATES: ReadonlySet<string> = new Set(['count_star', 'count', 'sum', 'avg', 'min', 'max']);

/** The integer value of row 0 of a column (constant arguments such as offsets), null if NULL. */
function constInt(col: Col, layout: Layout): number | null {
  if (col.validity !== null && (col.validity[0]! & 1) === 0) return null;
  switch (layout) {
    case 'i32':
    case 'f64':
      return Number(col.values[0]);
    case 'i64':
      return Number((col.values as BigInt64Array)[0]);
    default:
      throw SqlError.internal(`window function argument of layout ${layout} is not an integer`);
  }
}

class WindowComputation {
  private readonly sorted = new Map<number, Col>();
  private readonly frames = new Map<string, Frames>();
  constructor(
    private readonly cols: readonly Col[],
    private readonly layouts: readonly Layout[],
    private readonly idx: Uint32Array,
    private readonly p: Partitioning,
    /** The first ORDER BY key and its type (RANGE offsets compare its values). */
    private readonly orderKey: { readonly key: SortKey; readonly type: DataType } | null,
  ) {}

  /** Input column `c` gathered into sorted order (cached). */
  private sortedCol(c: number): Col {
    let s = this.sorted.get(c);
    if (!s) {
      s = takeCol(this.cols[c]!, this.layouts[c]!, this.idx, this.p.n);
      this.sorted.set(c, s);
    }
    return s;
  }

  private frameOf(f: WindowFrame): Frames {
    const key = JSON.stringify(f);
    let fr = this.frames.get(key);
    if (!fr) {
      const ok = this.orderKey;
      fr = frameBounds(
        f,
        this.p,
        ok
          ? () => ({
              col: this.sortedCol(ok.key.index),
              layout: this.layouts[ok.key.index]!,
              type: ok.type,
              ascending: ok.key.ascending,
            })
          : undefined,
      );
      this.frames.set(key, fr);
    }
    return fr;
  }

  private constArg(w: WindowCall, i: number): number | null {
    const c = w.args[i];
    if (c === undefined) return null;
    return constInt(this.cols[c]!, this.layouts[c]!);
  }

  compute(w: WindowCall): Col {
    const n = this.p.n;
    const outLayout = layoutOf(w.type);
    switch (w.fn) {
      case 'row_number':
      case 'rank':
      case 'dense_rank':
      case 'percent_rank':
      case 'cume_dist':
        return ranking(w.fn, w.type, this.p);
      case 'ntile':
        return ntile(this.constArg(w, 0), w.type, this.p);
      case 'lag':
      case 'lead': {
        const value = this.sortedCol(w.args[0]!);
        const offset = w.args.length > 1 ? this.constArg(w, 1) : 1;
        let dflt: Col | null = null;
        const dc = w.args[2];
        if (dc !== undefined && this.layouts[dc] !== 'null') {
          if (this.layouts[dc] !== outLayout) {
            throw SqlError.internal(`${w.fn} default of layout ${this.layouts[dc]} for a ${outLayout} value`);
          }
          dflt = this.sortedCol(dc);
        }
        const { from, src } = lagLead(w.fn === 'lag', value, outLayout, offset, dflt, this.p);
        return takeCol(from, outLayout, src, n);
      }
      case 'first_value':
      case 'last_value':
      case 'nth_value': {
        const which = w.fn === 'first_value' ? 'first' : w.fn === 'last_value' ? 'last' : 'nth';
        const nth = which === 'nth' ? this.constArg(w, 1) : null;
        const src = frameValueSources(which, nth, this.frameOf(w.frame));
        return takeCol(this.sortedCol(w.args[0]!), outLayout, src, n);
      }
      default: {
        if (!AGGREGATES.has(w.fn)) throw SqlError.unsupported(`window function ${w.fn}`);
        const arg = w.args[0] === undefined ? null : this.sortedCol(w.args[0]);
        return windowAggregate(
          w.fn as AggregateFn,
          arg,
          w.argTypes[0],
          w.type,
          this.frameOf(w.frame),
          this.p.partStart,
          n,
        );
      }
    }
  }
}

export class WindowSink implements Sink {
  readonly stats: MutableStats = newStats('Window');
  private readonly buf: RowBuffer;
  constructor(
    private readonly node: WindowNode,
    private readonly types: readonly DataType[],
    private readonly signal?: AbortSignal,
  ) {
    this.buf = new RowBuffer(types);
  }

  consume(b: RecordBatch): void {
    this.stats.inputRows += b.numRows;
    this.buf.add(b);
  }

  *finish(): Iterable<RecordBatch> {
    const n = this.buf.rows;
    if (n === 0) return;
    const t0 = performance.now();
    const node = this.node;
    const cols = this.buf.columns();
    const layouts = this.buf.layouts;
    const keys: SortKey[] = [
      ...node.partitionBy.map((index) => ({ index, ascending: true, nullsFirst: true })),
      ...node.orderBy,
    ];
    const idx = sortedIndices(cols, layouts, keys, n);
    const p = partitionRows(
      cols,
      layouts,
      node.partitionBy,
      node.orderBy.map((k) => k.index),
      idx,
      n,
    );
    const first = node.orderBy[0];
    const orderKey = first ? { key: first, type: this.types[first.index]! } : null;
    const comp = new WindowComputation(cols, layouts, idx, p, orderKey);
    const results: Col[] = [];
    for (const w of node.functions) {
      this.signal?.throwIfAborted();
      results.push(comp.compute(w));
    }
    const resultLayouts = node.functions.map((w) => layoutOf(w.type));
    this.stats.wallMs += performance.now() - t0;
    for (let start = 0; start < n; start += OUTPUT_BATCH_ROWS) {
      this.signal?.throwIfAborted();
      const end = Math.min(n, start + OUTPUT_BATCH_ROWS);
      const sel = idx.subarray(start, end);
      const out: Col[] = cols.map((c, j) => takeCol(c, layouts[j]!, sel, end - start));
      for (let j = 0; j < results.length; j++) out.push(sliceCol(results[j]!, resultLayouts[j]!, start, end));
      const b = colsToBatch(node.output, out, end - start);
      countOutput(this.stats, [b]);
      yield b;
    }
  }
}
