// Nested-loop join: every probe row against every build row, filtered by the condition (none =
// cross join). Pairs are generated in chunks of at most OUTPUT_BATCH_ROWS.
import type { RecordBatch } from 'apache-arrow';
import type { PhysicalNode } from '../../common/plan/physical.js';
import type { DataType } from '../../common/types.js';
import { readBatch } from '../expressions/vector.js';
import { JoinCore } from './join-core.js';
import { countOutput, type MutableStats, newStats, OUTPUT_BATCH_ROWS, type Transform } from './operator.js';
import { RowBuffer } from './sort.js';

type NestedLoopNode = Extract<PhysicalNode, { kind: 'nested_loop_join' }>;

export class NestedLoopJoin implements Transform {
  readonly stats: MutableStats;
  readonly buildStats: MutableStats = newStats('NestedLoopBuild');
  done = false;
  private readonly core: JoinCore;
  private readonly buf: RowBuffer;

  constructor(
    node: NestedLoopNode,
    private readonly probeTypes: readonly DataType[],
    buildTypes: readonly DataType[],
  ) {
    this.stats = newStats(`NestedLoopJoin(${node.joinType})`);
    this.core = new JoinCore(node.joinType, probeTypes, buildTypes, node.output, node.condition);
    this.buf = new RowBuffer(buildTypes);
  }

  addBuild(b: RecordBatch): void {
    this.buildStats.inputRows += b.numRows;
    this.buf.add(b);
  }

  finishBuild(): void {
    const n = this.buf.rows;
    const cols = n
      ? this.buf.columns()
      : this.buf.layouts.map(() => ({ values: new Uint8Array(0), offsets: new Int32Array(1), validity: null }));
    this.core.setBuild(cols, n);
  }

  push(b: RecordBatch): RecordBatch[] {
    const t0 = performance.now();
    const n = b.numRows;
    this.stats.inputRows += n;
    const out: RecordBatch[] = [];
    if (n === 0) return out;
    const core = this.core;
    core.startBatch(readBatch(b, this.probeTypes), n);
    const m = core.buildRows;
    const chunk = Math.max(1, Math.min(OUTPUT_BATCH_ROWS, n * m));
    const p = new Int32Array(chunk);
    const q = new Int32Array(chunk);
    let c = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        p[c] = i;
        q[c++] = j;
        if (c === chunk) {
          const r = core.addPairs(p, q, c);
          if (r) out.push(r);
          c = 0;
        }
      }
    }
    const r = core.addPairs(p, q, c);
    if (r) out.push(r);
    const e = core.endBatch();
    if (e) out.push(e);
    countOutput(this.stats, out);
    this.stats.wallMs += performance.now() - t0;
    return out;
  }

  flush(): RecordBatch[] {
    const out = [...this.core.unmatchedBuild()];
    countOutput(this.stats, out);
    return out;
  }
}
