// Replicate (a transform): each input row `count` times, the count read from a bigint column
// (NULL or below 1: the row is dropped). INTERSECT ALL / EXCEPT ALL turn per-row-value counts
// into that many copies with it. Output batches hold at most OUTPUT_BATCH_ROWS rows.
import type { RecordBatch } from 'apache-arrow';
import type { ColumnSchema, DataType } from '../../common/types.js';
import { type Col, colsToBatch, type Layout, layoutOf, readBatch, takeCol } from '../expressions/vector.js';
import { countOutput, type MutableStats, newStats, OUTPUT_BATCH_ROWS, type Transform } from './operator.js';

export class ReplicateTransform implements Transform {
  readonly stats: MutableStats = newStats('Replicate');
  readonly done = false;
  private readonly layouts: readonly Layout[];

  constructor(
    private readonly count: number,
    private readonly types: readonly DataType[],
    private readonly output: readonly ColumnSchema[],
  ) {
    this.layouts = types.map(layoutOf);
  }

  push(b: RecordBatch): RecordBatch[] {
    const n = b.numRows;
    this.stats.inputRows += n;
    if (n === 0) return [];
    const t0 = performance.now();
    const cols = readBatch(b, this.types);
    const times = copiesOf(cols[this.count]!, this.layouts[this.count]!, n);
    const out: RecordBatch[] = [];
    let sel = new Uint32Array(Math.min(OUTPUT_BATCH_ROWS, n));
    let fill = 0;
    const emit = () => {
      out.push(
        colsToBatch(
          this.output,
          cols.map((c, j) => takeCol(c, this.layouts[j]!, sel, fill)),
          fill,
        ),
      );
      fill = 0;
    };
    for (let i = 0; i < n; i++) {
      let left = times[i]!;
      while (left > 0) {
        if (fill === sel.length) {
          if (sel.length < OUTPUT_BATCH_ROWS) {
            const grown = new Uint32Array(Math.min(OUTPUT_BATCH_ROWS, sel.length * 2));
            grown.set(sel);
            sel = grown;
          } else emit();
        }
        const k = Math.min(left, sel.length - fill);
        sel.fill(i, fill, fill + k);
        fill += k;
        left -= k;
      }
    }
    if (fill > 0) emit();
    countOutput(this.stats, out);
    this.stats.wallMs += performance.now() - t0;
    return out;
  }

  flush(): RecordBatch[] {
    return [];
  }
}

/** Copies per row: the count column clamped at 0 (NULL: 0). */
function copiesOf(col: Col, layout: Layout, n: number): Float64Array {
  const times = new Float64Array(n);
  const m = col.validity;
  for (let i = 0; i < n; i++) {
    if (m !== null && ((m[i >> 3]! >> (i & 7)) & 1) === 0) continue;
    const v = layout === 'i64' ? Number((col.values as BigInt64Array)[i]!) : Number(col.values[i]);
    times[i] = Math.max(v, 0);
  }
  return times;
}
