// The contract between the coordinator's scheduler and a worker: what a task is, how its
// output is fetched, and how nodes announce themselves. See README "Architecture".
//
// Worker HTTP API (all JSON unless said otherwise):
//   POST   /v1/tasks                          body TaskSpec -> 200 { taskId }
//   POST   /v1/tasks?results=P                body TaskSpec -> stream of frames of partition P (create + read in one request)
//   GET    /v1/tasks/:taskId/results/:part    -> stream of frames (below), output partition `part`
//   GET    /v1/tasks/:taskId                  -> TaskStatus
//   DELETE /v1/tasks/:taskId                  -> aborts the task (idempotent)
//   GET    /v1/info                           -> NodeInfo
// Coordinator HTTP API for workers:
//   POST   /v1/announce                       body NodeAnnouncement -> 200 (first call registers, later ones are heartbeats)
//   PUT    /v1/queries/:queryId/dynamic-filters/:filterId   body { taskId, summary } (common/plan/dynamic-filter.ts)
//   GET    /v1/queries/:queryId/dynamic-filters/:filterId?waitMs=N -> { summary: DynamicFilterSummary | null }
//
// Result frames: [kind u8][length u32 big-endian][payload]. kind 1 = an Arrow IPC stream
// (schema + one record batch + EOS), kind 2 = error (JSON SerializedSqlError), kind 3 = end of
// data (JSON TaskStats). A stream that ends without frame 2 or 3 means the producer died.
import type { SerializedSqlError } from '../errors.js';
import type { JsonValue } from '../json.js';
import type { SessionProperties } from '../session-properties.js';
import type { DynamicFilterScanStats } from './dynamic-filter.js';
import type { PlanFragment } from './physical.js';

export const FRAME_BATCH = 1;
export const FRAME_ERROR = 2;
export const FRAME_END = 3;

export interface Split {
  readonly catalog: string;
  /** Connector-specific description of the part of the table to read. */
  readonly payload: JsonValue;
  /** Node ids that can run this split; empty = any worker. */
  readonly addresses: readonly string[];
}

export interface CatalogConfig {
  readonly name: string;
  readonly connectorName: string;
  readonly properties: Readonly<Record<string, string>>;
  /** Directory of the .properties file, for resolving relative paths. */
  readonly configDir: string;
}

export interface ExchangeSource {
  readonly taskId: string;
  /** Base URL of the worker running the producing task, e.g. http://127.0.0.1:40123 */
  readonly uri: string;
  /** Node id of that worker, for error messages. */
  readonly nodeId?: string;
}

export interface SessionInfo {
  readonly user: string;
  readonly timeZone: string;
  readonly queryText?: string;
  /** Engine session properties that were SET (common/session-properties.ts). */
  readonly properties?: SessionProperties;
}

export interface TaskSpec {
  readonly queryId: string;
  /** `${queryId}.${fragmentId}.${index}` */
  readonly taskId: string;
  /** Index of this task among its fragment's tasks = the output partition it reads from producers. */
  readonly partition: number;
  readonly fragment: PlanFragment;
  /** Splits for the fragment's table_scan (at most one scan per fragment). */
  readonly splits: readonly Split[];
  /** Producing tasks per remote_source fragment id. */
  readonly sources: Readonly<Record<number, readonly ExchangeSource[]>>;
  /** Number of output partitions (= tasks of the consuming fragment; 1 for the root). */
  readonly outputPartitions: number;
  /** Catalogs this task touches (its scan, its writer). */
  readonly catalogs: readonly CatalogConfig[];
  readonly session: SessionInfo;
}

export type TaskState = 'running' | 'finished' | 'failed' | 'aborted';

export interface OperatorStats {
  readonly operator: string;
  readonly inputRows: number;
  readonly outputRows: number;
  readonly outputBytes: number;
  readonly wallMs: number;
  /** Table scans with dynamic filters: what was applied and skipped. */
  readonly dynamicFilter?: DynamicFilterScanStats;
}

export interface TaskStats {
  readonly taskId: string;
  readonly nodeId: string;
  readonly splits: number;
  readonly outputRows: number;
  readonly outputBytes: number;
  readonly elapsedMs: number;
  readonly operators: readonly OperatorStats[];
}

export interface TaskStatus {
  readonly taskId: string;
  readonly state: TaskState;
  readonly error?: SerializedSqlError;
  readonly stats?: TaskStats;
}

export interface NodeAnnouncement {
  readonly nodeId: string;
  /** Base URL where the node's HTTP API answers. */
  readonly httpUri: string;
  readonly nodeVersion: string;
}

export interface NodeInfo extends NodeAnnouncement {
  readonly coordinator: boolean;
  readonly state: 'active' | 'shutting_down';
}
