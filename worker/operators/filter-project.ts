// Filter, project, and filter+project fused into one generated loop.
import type { Data, RecordBatch } from 'apache-arrow';
import { batchFromData } from '../../common/arrow/batch.js';
import type { Expr } from '../../common/expr/expr.js';
import type { ColumnSchema, DataType } from '../../common/types.js';
import { compileFilter, compileProjection, type FilterKernel, type ProjectionKernel } from '../expressions/compile.js';
import { type Col, colsToBatch, layoutOf, readBatch, readColumn, takeCol } from '../expressions/vector.js';
import { countOutput, type MutableStats, newStats, type Transform } from './operator.js';

abstract class BaseTransform implements Transform {
  readonly stats: MutableStats;
  done = false;
  constructor(name: string) {
    this.stats = newStats(name);
  }
  push(b: RecordBatch): RecordBatch[] {
    const t0 = performance.now();
    this.stats.inputRows += b.numRows;
    const out = this.apply(b);
    const res = out === null || out.numRows === 0 ? [] : [out];
    countOutput(this.stats, res);
    this.stats.wallMs += performance.now() - t0;
    return res;
  }
  flush(): RecordBatch[] {
    return [];
  }
  protected abstract apply(b: RecordBatch): RecordBatch | null;
}

/** WHERE: a selection vector, then a gather of the selected rows (pass-through if all pass). */
export class FilterTransform extends BaseTransform {
  private readonly kernel: FilterKernel;
  private readonly layouts;
  constructor(
    predicate: Expr,
    private readonly inputTypes: readonly DataType[],
    private readonly output: readonly ColumnSchema[],
  ) {
    super('Filter');
    this.kernel = compileFilter(predicate, inputTypes);
    this.layouts = inputTypes.map(layoutOf);
  }
  protected apply(b: RecordBatch): RecordBatch | null {
    const n = b.numRows;
    const cols = readBatch(b, this.inputTypes);
    const { sel, count } = this.kernel.run(cols, n);
    if (count === n) return b;
    if (count === 0) return null;
    return colsToBatch(
      this.output,
      cols.map((c, j) => takeCol(c, this.layouts[j]!, sel, count)),
      count,
    );
  }
}

/**
 * SELECT list, optionally fused with the filter below it: one loop evaluates the predicate and
 * the projections of the passing rows. Plain column references of an unfiltered projection reuse
 * the input column without copying.
 */
export class ProjectTransform extends BaseTransform {
  private readonly kernel: ProjectionKernel | null;
  private readonly computed: number[];
  constructor(
    private readonly exprs: readonly Expr[],
    private readonly inputTypes: readonly DataType[],
    private readonly output: readonly ColumnSchema[],
    readonly predicate: Expr | null = null,
  ) {
    super(predicate ? 'FilterProject' : 'Project');
    // Unfiltered: column references reuse the input columns. Filtered: the fused loop copies
    // them too (measured faster than a selection vector + gather per column).
    this.computed = exprs.flatMap((e, j) => (predicate || e.kind !== 'column' ? [j] : []));
    const list = this.computed.map((j) => exprs[j]!);
    const needSel = predicate !== null && this.computed.length < exprs.length;
    this.kernel = list.length || predicate ? compileProjection(list, inputTypes, predicate, needSel) : null;
  }
  protected apply(b: RecordBatch): RecordBatch | null {
    const n = b.numRows;
    if (!this.kernel) {
      return batchFromData(
        this.output,
        n,
        this.exprs.map((e) => b.data.children[(e as { index: number }).index] as Data),
      );
    }
    const cols = readBatch(b, this.inputTypes);
    const r = this.kernel.run(cols, n);
    if (r.length === 0) return null;
    if (this.computed.length === this.exprs.length) return colsToBatch(this.output, r.cols, r.length);
    // Mix computed columns with passed-through input columns.
    const sel = r.sel;
    if (sel !== null && r.length === n) {
      // nothing filtered out: pass the input columns through
      return colsToBatch(this.output, this.mixed(b, r.cols, null, n), n);
    }
    return colsToBatch(this.output, this.mixed(b, r.cols, sel, r.length), r.length);
  }

  private mixed(b: RecordBatch, computed: Col[], sel: Uint32Array | null, count: number): Col[] {
    return this.exprs.map((e, j) => {
      const k = this.computed.indexOf(j);
      if (k >= 0) return computed[k]!;
      const idx = (e as { index: number }).index;
      const c = readColumn(b.data.children[idx]!, this.inputTypes[idx]!);
      return sel === null ? c : takeCol(c, layoutOf(this.inputTypes[idx]!), sel, count);
    });
  }
}
