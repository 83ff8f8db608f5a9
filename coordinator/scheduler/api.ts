// What the engine asks of the scheduler: run a fragmented plan on the workers and stream
// the root fragment's output back.
import type { RecordBatch } from 'apache-arrow';
import type { PlanFragment } from '../../common/plan/physical.js';
import type { CatalogConfig, SessionInfo, Split, TaskStats } from '../../common/plan/task.js';

export interface QueryExecution {
  /** Output of the root fragment (which has distribution 'single'). Breaking out early cancels the query. */
  readonly batches: AsyncIterable<RecordBatch>;
  /** Which node ran which task, and their stats (complete once `batches` is exhausted). */
  taskStats(): readonly TaskStats[];
  cancel(reason?: unknown): void;
}

export interface ScheduleRequest {
  readonly queryId: string;
  /** All fragments; the root is `fragments[rootId]`'s consumer-less fragment. */
  readonly fragments: readonly PlanFragment[];
  readonly rootFragmentId: number;
  /** Splits of a source fragment's table scan, placed on workers by their addresses. */
  splitsFor(fragment: PlanFragment): Promise<readonly Split[]>;
  /** Catalog configs a fragment's tasks need (scan and writer catalogs). */
  catalogsFor(fragment: PlanFragment): readonly CatalogConfig[];
  readonly session: SessionInfo;
  readonly signal: AbortSignal;
  /** Gather every task's stats when the query ends (EXPLAIN ANALYZE); otherwise only the root's. */
  readonly collectStats?: boolean;
}

export interface Scheduler {
  execute(req: ScheduleRequest): QueryExecution;
}
