// The connector SPI. A connector is created once per catalog per process, from the catalog's
// properties. The coordinator uses `metadata` and `splits`; workers use `pageSource` and
// `pageSink`. Handles are plain JSON and accumulate what was pushed into them, so a worker
// can read a split knowing nothing but the handle.
import type { RecordBatch } from 'apache-arrow';
import type { Expr } from '../common/expr/expr.js';
import type { AggregateFn } from '../common/functions/aggregates.js';
import type { JsonValue } from '../common/json.js';
import type { SortKey } from '../common/plan/physical.js';
import type { CatalogConfig, NodeInfo, SessionInfo, Split } from '../common/plan/task.js';
import type { ColumnSchema, DataType } from '../common/types.js';

export type TableHandle = JsonValue;

export interface TableInfo {
  readonly handle: TableHandle;
  readonly columns: readonly ColumnSchema[];
}

export interface TableStats {
  /** Estimated row count, when known. The planner builds hash tables on the smaller side. */
  readonly rowCount?: number;
}

/** What the coordinator offers connectors while planning. */
export interface MetaContext {
  readonly session: SessionInfo;
  /** Live workers, for split placement. */
  readonly workers: readonly NodeInfo[];
}

/**
 * Expressions given to `applyFilter` reference table columns as `{kind:'ref', id: <column name>}`.
 * `accepted` conjuncts are guaranteed by the connector; `remaining` are evaluated by the engine.
 */
export interface Pushed {
  readonly handle: TableHandle;
  readonly accepted: readonly Expr[];
  readonly remaining: readonly Expr[];
}

/** A GROUP BY offered to `applyAggregation`, over the handle's column names. */
export interface AggregationSpec {
  readonly groupBy: readonly string[];
  readonly aggregates: readonly {
    readonly fn: AggregateFn;
    /** Input columns; empty for count(*). */
    readonly args: readonly string[];
    readonly distinct: boolean;
    /** The engine's result type, which the connector must produce exactly. */
    readonly type: DataType;
  }[];
}

/** A join offered to `applyJoin`: equalities between the two handles' columns (all must hold). */
export interface JoinSpec {
  readonly joinType: 'inner' | 'left';
  readonly on: readonly { readonly left: string; readonly right: string }[];
}

export interface ConnectorMetadata {
  listSchemas(ctx: MetaContext): Promise<readonly string[]>;
  listTables(schema: string, ctx: MetaContext): Promise<readonly string[]>;
  /** undefined when the table does not exist. */
  getTable(schema: string, table: string, ctx: MetaContext): Promise<TableInfo | undefined>;
  getStatistics?(handle: TableHandle, ctx: MetaContext): Promise<TableStats>;

  // Pushdown. Each returns undefined when nothing changed (a no-op result would loop the optimizer).
  /**
   * Also called on workers at run time with dynamic filters (`col IN (...)`, `col >= x`, `col <= y`),
   * so it must not do I/O. Return undefined when the handle carries a limit, top-N or aggregation:
   * a filter above those is not a filter below them.
   */
  applyFilter?(handle: TableHandle, conjuncts: readonly Expr[]): Pushed | undefined;
  applyLimit?(
    handle: TableHandle,
    limit: number,
  ): { readonly handle: TableHandle; readonly guaranteed: boolean } | undefined;
  applyTopN?(
    handle: TableHandle,
    limit: number,
    keys: readonly (SortKey & { readonly column: string })[],
  ): { readonly handle: TableHandle; readonly guaranteed: boolean } | undefined;
  /**
   * All or nothing. `outputs`: the new handle's column names, the group keys then one per
   * aggregate, in the order offered.
   */
  applyAggregation?(
    handle: TableHandle,
    spec: AggregationSpec,
  ): { readonly handle: TableHandle; readonly outputs: readonly string[] } | undefined;
  /**
   * Both handles of this catalog. The new handle's columns are all columns of both sides; `left` and
   * `right` map each side's column name to its name in the new handle.
   */
  applyJoin?(
    left: TableHandle,
    right: TableHandle,
    spec: JoinSpec,
  ):
    | {
        readonly handle: TableHandle;
        readonly left: ReadonlyMap<string, string>;
        readonly right: ReadonlyMap<string, string>;
      }
    | undefined;
  /**
   * One line for EXPLAIN: what the handle carries (pushed filters, limits, pruning). Never secrets.
   * `columns`: the columns the scan reads, when known.
   */
  describeHandle?(handle: TableHandle, columns?: readonly string[]): string;

  // DDL and writes.
  createSchema?(schema: string, ctx: MetaContext): Promise<void>;
  dropSchema?(schema: string, ctx: MetaContext): Promise<void>;
  /**
   * `properties`: CREATE TABLE ... WITH (...) (Trino table properties, e.g. partitioned_by = ARRAY['dt']
   * as ['dt']); a connector rejects properties it does not know (SqlError 22023 naming the property).
   */
  createTable?(
    schema: string,
    table: string,
    columns: readonly ColumnSchema[],
    ctx: MetaContext,
    properties?: Readonly<Record<string, JsonValue>>,
  ): Promise<void>;
  dropTable?(handle: TableHandle, ctx: MetaContext): Promise<void>;
  /** Starts an INSERT; the returned handle ships to the workers' page sinks. */
  beginInsert?(handle: TableHandle, ctx: MetaContext): Promise<JsonValue>;
  /** Makes the rows written by all sinks visible at once; `fragments` are what each sink's finish() returned. */
  finishInsert?(insertHandle: JsonValue, fragments: readonly JsonValue[], ctx: MetaContext): Promise<void>;
  /** Discards whatever the sinks of a failed INSERT left behind. */
  abortInsert?(insertHandle: JsonValue, ctx: MetaContext): Promise<void>;
}

export interface SplitManager {
  /** The parts of a table to read, spread over `ctx.workers` (addresses pin a split to a node). */
  getSplits(handle: TableHandle, ctx: MetaContext): Promise<readonly Split[]>;
}

export interface ReadContext {
  readonly signal: AbortSignal;
  readonly session: SessionInfo;
  readonly nodeId: string;
}

export interface PageSource {
  /** Batches of `columns` (connector column names, in this order) for one split. Release resources in `finally`. */
  open(
    split: Split,
    handle: TableHandle,
    columns: readonly ColumnSchema[],
    ctx: ReadContext,
  ): AsyncIterable<RecordBatch>;
  /**
   * Dynamic filtering: the worker offered run-time conjuncts to `metadata.applyFilter` and got
   * `handle` back; this narrows a split planned before them (or drops it) so that open() reads
   * only what may match. Optional; connectors that filter inside open() need not implement it.
   */
  pruneSplit?(split: Split, handle: TableHandle, ctx: ReadContext): Promise<SplitPruning>;
}

export interface SplitPruning {
  /** The split narrowed to what may match, or null when nothing in it can. */
  readonly split: Split | null;
  /** Row groups (or the connector's unit) of the split before and after pruning. */
  readonly rowGroups?: { readonly total: number; readonly kept: number };
  /** The file and partition the split reads, so the engine can count files and partitions skipped. */
  readonly file?: string;
  readonly partition?: string;
}

export interface PageSinkWriter {
  append(batch: RecordBatch): Promise<void>;
  /** Flushes and returns the fragment description handed to finishInsert. */
  finish(): Promise<JsonValue>;
  abort(): Promise<void>;
}

export interface PageSink {
  create(insertHandle: JsonValue, columns: readonly ColumnSchema[], ctx: ReadContext): PageSinkWriter;
}

/** What the engine gives the system connector so it can describe the engine itself. */
export interface EngineIntrospection {
  catalogNames(): readonly string[];
  metadataOf(catalog: string): ConnectorMetadata | undefined;
  nodes(): readonly NodeInfo[];
}

export interface ConnectorContext {
  readonly catalog: CatalogConfig;
  /** 'coordinator' instances plan; 'worker' instances read and write. */
  readonly role: 'coordinator' | 'worker';
  readonly nodeId: string;
  /** Only on the coordinator. */
  readonly introspection?: EngineIntrospection;
}

export interface Connector {
  readonly metadata: ConnectorMetadata;
  readonly splits: SplitManager;
  readonly pageSource: PageSource;
  readonly pageSink?: PageSink;
  close?(): Promise<void>;
}

export interface ConnectorFactory {
  readonly name: string;
  /** Property keys the connector understands (connector.name is implied); others are start-up errors. */
  readonly knownProperties: readonly string[];
  readonly requiredProperties: readonly string[];
  create(ctx: ConnectorContext): Connector;
}
