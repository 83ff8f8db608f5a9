// The contract between the worker's task manager (HTTP, exchanges, splits) and the operator
// engine that runs one fragment.
import type { RecordBatch } from 'apache-arrow';
import type { JsonValue } from '../../common/json.js';
import type { PhysicalNode } from '../../common/plan/physical.js';
import type { OperatorStats, SessionInfo } from '../../common/plan/task.js';
import type { ColumnSchema } from '../../common/types.js';
import type { PageSinkWriter } from '../../connectors/spi.js';
import type { MutableStats } from '../operators/operator.js';
import type { TaskDynamicFilters } from './dynamic-filters.js';

export interface ExecContext {
  readonly signal: AbortSignal;
  readonly session: SessionInfo;
  readonly nodeId: string;
}

export interface TaskInputs {
  /** This task's partition of the output of the tasks of fragment `fragmentId`. */
  remote(fragmentId: number): AsyncIterable<RecordBatch>;
  /**
   * All batches of the task's splits for this scan node, in `node.columns` order, after its
   * dynamic filters (`stats` receives what they did).
   */
  scan(node: Extract<PhysicalNode, { kind: 'table_scan' }>, stats?: MutableStats): AsyncIterable<RecordBatch>;
  /** A writer for a table_write node. */
  sink(catalog: string, insertHandle: JsonValue, columns: readonly ColumnSchema[]): PageSinkWriter;
  /** Dynamic filters of this task: hash joins publish, scans resolve (absent: none are used). */
  readonly dynamicFilters?: TaskDynamicFilters;
}

export interface FragmentRun {
  readonly batches: AsyncIterable<RecordBatch>;
  /** One entry per operator, filled in as the run proceeds. */
  stats(): readonly OperatorStats[];
}

export type RunFragment = (root: PhysicalNode, inputs: TaskInputs, ctx: ExecContext) => FragmentRun;
