// What hash and nested-loop joins share: candidate (probe row, build row) pairs are filtered by
// the residual condition, emitted as probe ++ build columns, and matched flags drive the outer,
// semi and anti variants. NULL-extended sides use index -1 (takeCol yields NULL). right_semi and
// right_anti keep build rows: the build side's matched flags decide which come out at the end.
import type { RecordBatch } from 'apache-arrow';
import type { Expr } from '../../common/expr/expr.js';
import type { HashJoinType } from '../../common/plan/physical.js';
import type { ColumnSchema, DataType } from '../../common/types.js';
import { compileFilter, type FilterKernel } from '../expressions/compile.js';
import { type Col, colsToBatch, type Layout, layoutOf, takeCol } from '../expressions/vector.js';
import { OUTPUT_BATCH_ROWS } from './operator.js';

export class JoinCore {
  private readonly residual: FilterKernel | null;
  private readonly probeLayouts: Layout[];
  private readonly buildLayouts: Layout[];
  buildCols: Col[] = [];
  buildRows = 0;
  buildMatched = new Uint8Array(0);
  private probeCols: Col[] = [];
  private probeRows = 0;
  probeMatched = new Uint8Array(0);

  constructor(
    readonly joinType: HashJoinType,
    probeTypes: readonly DataType[],
    buildTypes: readonly DataType[],
    private readonly output: readonly ColumnSchema[],
    residual: Expr | null,
  ) {
    this.probeLayouts = probeTypes.map(layoutOf);
    this.buildLayouts = buildTypes.map(layoutOf);
    this.residual = residual ? compileFilter(residual, [...probeTypes, ...buildTypes]) : null;
  }

  /** semi/anti (and their right_ variants) need only the existence of a match. */
  get existenceOnly(): boolean {
    const t = this.joinType;
    return t === 'semi' || t === 'anti' || t === 'right_semi' || t === 'right_anti';
  }
  /** right_semi/right_anti: the output is build rows, chosen by their matched flags at the end. */
  get keepsBuildRows(): boolean {
    return this.joinType === 'right_semi' || this.joinType === 'right_anti';
  }
  get hasResidual(): boolean {
    return this.residual !== null;
  }

  setBuild(cols: Col[], n: number): void {
    this.buildCols = cols;
    this.buildRows = n;
    this.buildMatched = new Uint8Array(n);
  }

  startBatch(cols: Col[], n: number): void {
    this.probeCols = cols;
    this.probeRows = n;
    this.probeMatched = new Uint8Array(n);
  }

  private combined(p: Int32Array | Uint32Array, b: Int32Array | Uint32Array, count: number, withBuild: boolean): Col[] {
    const out = this.probeCols.map((c, j) => takeCol(c, this.probeLayouts[j]!, p, count));
    if (withBuild)
      for (let j = 0; j < this.buildCols.length; j++)
        out.push(takeCol(this.buildCols[j]!, this.buildLayouts[j]!, b, count));
    return out;
  }

  /** Candidate pairs; returns joined rows for inner/outer joins (semi/anti only record matches). */
  addPairs(p: Int32Array, b: Int32Array, count: number): RecordBatch | null {
    if (count === 0) return null;
    let sel: Uint32Array | null = null;
    let selected = count;
    let cols: Col[] | null = null;
    if (this.residual) {
      cols = this.combined(p, b, count, true);
      const r = this.residual.run(cols, count);
      sel = r.sel;
      selected = r.count;
    }
    for (let k = 0; k < selected; k++) {
      const q = sel === null ? k : sel[k]!;
      this.probeMatched[p[q]!] = 1;
      this.buildMatched[b[q]!] = 1;
    }
    if (this.existenceOnly || selected === 0) return null;
    if (cols === null) return colsToBatch(this.output, this.combined(p, b, count, true), count);
    if (sel !== null && selected < count) {
      const s = sel;
      return colsToBatch(
        this.output,
        cols.map((c, j) =>
          takeCol(
            c,
            j < this.probeLayouts.length ? this.probeLayouts[j]! : this.buildLayouts[j - this.probeLayouts.length]!,
            s,
            selected,
          ),
        ),
        selected,
      );
    }
    return colsToBatch(this.output, cols, count);
  }

  /** After all pairs of a probe batch: unmatched probe rows (left/full/anti) or matched ones (semi). */
  endBatch(): RecordBatch | null {
    const t = this.joinType;
    if (t === 'inner' || t === 'right' || t === 'right_semi' || t === 'right_anti') return null;
    const want = t === 'semi' ? 1 : 0;
    const idx = new Int32Array(this.probeRows);
    let count = 0;
    for (let i = 0; i < this.probeRows; i++) if (this.probeMatched[i] === want) idx[count++] = i;
    if (count === 0) return null;
    if (t === 'semi' || t === 'anti') return colsToBatch(this.output, this.combined(idx, idx, count, false), count);
    const none = new Int32Array(count).fill(-1);
    return colsToBatch(this.output, this.combined(idx, none, count, true), count);
  }

  /**
   * After the whole probe side: right/full emit the build rows that never matched, with NULL
   * probe columns; right_anti the same rows alone, right_semi the rows that did match.
   */
  *unmatchedBuild(): Iterable<RecordBatch> {
    const t = this.joinType;
    if (t !== 'right' && t !== 'full' && !this.keepsBuildRows) return;
    const want = t === 'right_semi' ? 1 : 0;
    const idx = new Int32Array(this.buildRows);
    let count = 0;
    for (let j = 0; j < this.buildRows; j++) if (this.buildMatched[j] === want) idx[count++] = j;
    for (let start = 0; start < count; start += OUTPUT_BATCH_ROWS) {
      const end = Math.min(count, start + OUTPUT_BATCH_ROWS);
      const n = end - start;
      const sel = idx.subarray(start, end);
      const cols: Col[] = [];
      if (!this.keepsBuildRows) {
        const none = new Int32Array(n).fill(-1);
        for (let j = 0; j < this.probeLayouts.length; j++)
          cols.push(takeCol(this.emptyProbe(j), this.probeLayouts[j]!, none, n));
      }
      for (let j = 0; j < this.buildCols.length; j++)
        cols.push(takeCol(this.buildCols[j]!, this.buildLayouts[j]!, sel, n));
      yield colsToBatch(this.output, cols, n);
    }
  }

  private emptyProbe(j: number): Col {
    const l = this.probeLayouts[j]!;
    return { values: new Uint8Array(0), offsets: l === 'utf8' ? new Int32Array(1) : null, validity: new Uint8Array(0) };
  }
}

/** Growable pair list. */
export class PairBuffer {
  p = new Int32Array(1024);
  b = new Int32Array(1024);
  count = 0;
  push(i: number, j: number): void {
    if (this.count === this.p.length) {
      const np = new Int32Array(this.count * 2);
      np.set(this.p);
      this.p = np;
      const nb = new Int32Array(this.count * 2);
      nb.set(this.b);
      this.b = nb;
    }
    this.p[this.count] = i;
    this.b[this.count++] = j;
  }
}
