// The execution model (STYLE.md): a pipeline is an async source, then synchronous transforms,
// then a sink. Breakers (aggregate, sort, top-n, hash build, table write) are sinks whose
// finished result is the source of the next pipeline.
import type { RecordBatch } from 'apache-arrow';
import type { DynamicFilterScanStats } from '../../common/plan/dynamic-filter.js';
import type { OperatorStats } from '../../common/plan/task.js';
import { batchBytes } from '../expressions/vector.js';

export interface MutableStats extends OperatorStats {
  inputRows: number;
  outputRows: number;
  outputBytes: number;
  wallMs: number;
  dynamicFilter?: DynamicFilterScanStats;
}

export function newStats(operator: string): MutableStats {
  return { operator, inputRows: 0, outputRows: 0, outputBytes: 0, wallMs: 0 };
}

export function countOutput(stats: MutableStats, out: readonly RecordBatch[]): void {
  for (const b of out) {
    stats.outputRows += b.numRows;
    stats.outputBytes += batchBytes(b);
  }
}

export interface Transform {
  readonly stats: MutableStats;
  /** Output batches for one input batch (possibly none). */
  push(b: RecordBatch): RecordBatch[];
  /** Remaining output once the input is exhausted. */
  flush(): RecordBatch[];
  /** True once no more input is needed (e.g. a satisfied LIMIT): the driver stops pulling. */
  readonly done: boolean;
}

export interface Sink {
  readonly stats: MutableStats;
  consume(b: RecordBatch): void | Promise<void>;
  /** Called once after the last batch; yields the operator's result. */
  finish(): AsyncIterable<RecordBatch> | Iterable<RecordBatch>;
}

/** Rows per output batch produced by breakers. */
export const OUTPUT_BATCH_ROWS = 65536;
