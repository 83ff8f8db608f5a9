// LIMIT / OFFSET: slices batches and reports `done` once satisfied, so the driver stops pulling.
import type { RecordBatch } from 'apache-arrow';
import { countOutput, type MutableStats, newStats, type Transform } from './operator.js';

export class LimitTransform implements Transform {
  readonly stats: MutableStats = newStats('Limit');
  private skipped = 0;
  private emitted = 0;
  done: boolean;
  constructor(
    private readonly limit: number | null,
    private readonly offset: number,
  ) {
    this.done = limit !== null && limit <= 0;
  }
  push(b: RecordBatch): RecordBatch[] {
    this.stats.inputRows += b.numRows;
    if (this.done) return [];
    let start = 0;
    const n = b.numRows;
    if (this.skipped < this.offset) {
      start = Math.min(n, this.offset - this.skipped);
      this.skipped += start;
    }
    let end = n;
    if (this.limit !== null) end = Math.min(n, start + (this.limit - this.emitted));
    if (this.limit !== null && this.emitted + (end - start) >= this.limit) this.done = true;
    if (end <= start) return [];
    this.emitted += end - start;
    const out = start === 0 && end === n ? b : b.slice(start, end);
    countOutput(this.stats, [out]);
    return [out];
  }
  flush(): RecordBatch[] {
    return [];
  }
}
