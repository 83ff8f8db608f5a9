// ORDER BY (a sink) and TOP-N. Rows are materialized column-wise; a comparator generated for the
// sort keys orders a Uint32Array of row indices; output is gathered in batches.
import type { RecordBatch } from 'apache-arrow';
import type { SortKey } from '../../common/plan/physical.js';
import { compareIntervals, nanosWordsToMicros } from '../../common/time/interval.js';
import type { ColumnSchema, DataType } from '../../common/types.js';
import { cmpBytes } from '../expressions/runtime.js';
import {
  type Col,
  colsToBatch,
  concatCols,
  d128Get,
  type Layout,
  layoutOf,
  readBatch,
  takeCol,
} from '../expressions/vector.js';
import { countOutput, type MutableStats, newStats, OUTPUT_BATCH_ROWS, type Sink } from './operator.js';

/** Intervals a and b of an interval column, compared by total span (PostgreSQL's order). */
function ivCmpAt(v: Int32Array, a: number, b: number): number {
  const p = 4 * a;
  const q = 4 * b;
  return compareIntervals(
    v[p]!,
    v[p + 1]!,
    nanosWordsToMicros(v[p + 2]!, v[p + 3]!),
    v[q]!,
    v[q + 1]!,
    nanosWordsToMicros(v[q + 2]!, v[q + 3]!),
  );
}

type Comparator = (a: number, b: number) => number;
type ComparatorFactory = (cols: readonly Col[], H: unknown) => Comparator;
const cache = new Map<string, ComparatorFactory>();

/** A comparator of row indices over `cols` for `keys` (ties broken by row order: stable). */
export function makeComparator(
  cols: readonly Col[],
  layouts: readonly Layout[],
  keys: readonly SortKey[],
  tieBreak = true,
): Comparator {
  const sig = JSON.stringify([keys, keys.map((k) => layouts[k.index]), tieBreak]);
  let factory = cache.get(sig);
  if (!factory) {
    const decls: string[] = [];
    const body: string[] = [];
    keys.forEach((k, j) => {
      const c = k.index;
      decls.push(`const k${j}v = cols[${c}].values, k${j}m = cols[${c}].validity, k${j}o = cols[${c}].offsets;`);
      const dir = k.ascending ? 1 : -1;
      const nullA = k.nullsFirst ? -1 : 1;
      let cmp: string;
      switch (layouts[c]) {
        case 'utf8':
          cmp = `{ const d = H.cmpBytes(k${j}v, k${j}o[a], k${j}o[a + 1], k${j}v, k${j}o[b], k${j}o[b + 1]); if (d !== 0) return d < 0 ? ${-dir} : ${dir}; }`;
          break;
        case 'bool':
          cmp = `{ const x = (k${j}v[a >> 3] >> (a & 7)) & 1, y = (k${j}v[b >> 3] >> (b & 7)) & 1; if (x !== y) return x < y ? ${-dir} : ${dir}; }`;
          break;
        case 'd128':
          cmp = `{ const x = H.d128Get(k${j}v, a), y = H.d128Get(k${j}v, b); if (x !== y) return x < y ? ${-dir} : ${dir}; }`;
          break;
        case 'iv':
          cmp = `{ const d = H.ivCmpAt(k${j}v, a, b); if (d !== 0) return d < 0 ? ${-dir} : ${dir}; }`;
          break;
        case 'null':
          cmp = '';
          break;
        default:
          cmp = `{ const x = k${j}v[a], y = k${j}v[b]; if (x !== y) return x < y ? ${-dir} : ${dir}; }`;
      }
      body.push(`{
  const na = k${j}m !== null && ((k${j}m[a >> 3] >> (a & 7)) & 1) === 0;
  const nb = k${j}m !== null && ((k${j}m[b >> 3] >> (b & 7)) & 1) === 0;
  if (na || nb) { if (!(na && nb)) return na ? ${nullA} : ${-nullA}; } else ${cmp || '{}'}
}`);
    });
    const src = `"use strict"; ${decls.join('\n')}\nreturn function cmp(a, b) {\n${body.join('\n')}\nreturn ${tieBreak ? 'a - b' : '0'};\n};`;
    factory = new Function('cols', 'H', src) as ComparatorFactory;
    cache.set(sig, factory);
  }
  return factory(cols, { cmpBytes, d128Get, ivCmpAt });
}

/** Materialized rows of many batches. */
export class RowBuffer {
  private parts: Col[][] = [];
  private lengths: number[] = [];
  rows = 0;
  readonly layouts: Layout[];
  constructor(private readonly types: readonly DataType[]) {
    this.layouts = types.map(layoutOf);
  }
  add(b: RecordBatch): void {
    if (b.numRows === 0) return;
    this.parts.push(readBatch(b, this.types));
    this.lengths.push(b.numRows);
    this.rows += b.numRows;
  }
  addCols(cols: Col[], n: number): void {
    if (n === 0) return;
    this.parts.push(cols);
    this.lengths.push(n);
    this.rows += n;
  }
  /** All rows as one set of columns (and resets the buffer to hold exactly those). */
  columns(): Col[] {
    if (this.parts.length === 1) return this.parts[0]!;
    const cols = this.types.map((_, j) =>
      concatCols(
        this.parts.map((p) => p[j]!),
        this.lengths,
        this.layouts[j]!,
      ),
    );
    this.parts = [cols];
    this.lengths = [this.rows];
    return cols;
  }
  clear(): void {
    this.parts = [];
    this.lengths = [];
    this.rows = 0;
  }
}

export function sortedIndices(
  cols: readonly Col[],
  layouts: readonly Layout[],
  keys: readonly SortKey[],
  n: number,
): Uint32Array {
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  if (keys.length) idx.sort(makeComparator(cols, layouts, keys));
  return idx;
}

function* emitRows(
  output: readonly ColumnSchema[],
  cols: readonly Col[],
  layouts: readonly Layout[],
  idx: Uint32Array,
  count: number,
  stats: MutableStats,
): Iterable<RecordBatch> {
  for (let start = 0; start < count; start += OUTPUT_BATCH_ROWS) {
    const end = Math.min(count, start + OUTPUT_BATCH_ROWS);
    const sel = idx.subarray(start, end);
    const b = colsToBatch(
      output,
      cols.map((c, j) => takeCol(c, layouts[j]!, sel, end - start)),
      end - start,
    );
    countOutput(stats, [b]);
    yield b;
  }
}

export class SortSink implements Sink {
  readonly stats: MutableStats = newStats('Sort');
  private readonly buf: RowBuffer;
  constructor(
    private readonly keys: readonly SortKey[],
    types: readonly DataType[],
    private readonly output: readonly ColumnSchema[],
  ) {
    this.buf = new RowBuffer(types);
  }
  consume(b: RecordBatch): void {
    this.stats.inputRows += b.numRows;
    this.buf.add(b);
  }
  *finish(): Iterable<RecordBatch> {
    const t0 = performance.now();
    const n = this.buf.rows;
    const cols = this.buf.columns();
    const idx = sortedIndices(cols, this.buf.layouts, this.keys, n);
    this.stats.wallMs += performance.now() - t0;
    yield* emitRows(this.output, cols, this.buf.layouts, idx, n, this.stats);
  }
}

/** ORDER BY ... LIMIT n: keeps at most ~max(2n, 64K) rows, compacting by partial sorts. */
export class TopNSink implements Sink {
  readonly stats: MutableStats = newStats('TopN');
  private readonly buf: RowBuffer;
  private readonly threshold: number;
  constructor(
    private readonly keys: readonly SortKey[],
    private readonly limit: number,
    types: readonly DataType[],
    private readonly output: readonly ColumnSchema[],
  ) {
    this.buf = new RowBuffer(types);
    this.threshold = Math.max(limit * 2, OUTPUT_BATCH_ROWS);
  }
  consume(b: RecordBatch): void {
    const t0 = performance.now();
    this.stats.inputRows += b.numRows;
    if (this.limit <= 0) return;
    this.buf.add(b);
    if (this.buf.rows > this.threshold) this.compact();
    this.stats.wallMs += performance.now() - t0;
  }
  private compact(): { cols: Col[]; idx: Uint32Array; count: number } {
    const n = this.buf.rows;
    const cols = this.buf.columns();
    const idx = sortedIndices(cols, this.buf.layouts, this.keys, n);
    const count = Math.min(n, this.limit);
    const keep = idx.subarray(0, count);
    const kept = cols.map((c, j) => takeCol(c, this.buf.layouts[j]!, keep, count));
    this.buf.clear();
    this.buf.addCols(kept, count);
    const ordered = new Uint32Array(count);
    for (let i = 0; i < count; i++) ordered[i] = i;
    return { cols: kept, idx: ordered, count };
  }
  *finish(): Iterable<RecordBatch> {
    if (this.buf.rows === 0) return;
    const { cols, idx, count } = this.compact();
    yield* emitRows(this.output, cols, this.buf.layouts, idx, count, this.stats);
  }
}
