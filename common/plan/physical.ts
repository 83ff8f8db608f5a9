// Physical plan fragments: what a worker task executes. Produced by coordinator/planner,
// shipped as JSON inside a TaskSpec, turned into operator pipelines by worker/task.
// Column references inside a node are positions in that node's input (`column` exprs);
// for hash_join, residual expressions see the probe columns followed by the build columns.
import { assertNever } from '../assert.js';
import type { Expr, LiteralValue } from '../expr/expr.js';
import type { AggregateCall } from '../functions/aggregates.js';
import type { JsonValue } from '../json.js';
import type { ColumnSchema, DataType } from '../types.js';
import type { DynamicFilterSource, DynamicFilterTarget } from './dynamic-filter.js';

export interface SortKey {
  /** Position in the input. */
  readonly index: number;
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti';
/**
 * A hash join also has the semi and anti joins that keep build rows: right_semi emits each build
 * row with a match, right_anti each without one, after the whole probe side streamed through.
 * The fragmenter uses them to build an EXISTS / NOT EXISTS on its smaller, outer side.
 */
export type HashJoinType = JoinType | 'right_semi' | 'right_anti';

/** `output` is the node's result schema (names are informational; positions matter). */
export type PhysicalNode =
  | {
      readonly kind: 'table_scan';
      readonly catalog: string;
      /** The connector's table handle, with whatever was pushed into it. */
      readonly handle: JsonValue;
      /** Columns to read, by connector column name, in output order. */
      readonly columns: readonly string[];
      readonly output: readonly ColumnSchema[];
      /** Filters from hash joins' build sides, applied at run time (./dynamic-filter.ts). */
      readonly dynamicFilters?: readonly DynamicFilterTarget[];
    }
  | {
      readonly kind: 'values';
      readonly rows: readonly (readonly LiteralValue[])[];
      readonly output: readonly ColumnSchema[];
    }
  /** Batches from the tasks of another fragment (this task's partition of their output). */
  | { readonly kind: 'remote_source'; readonly fragmentId: number; readonly output: readonly ColumnSchema[] }
  | {
      readonly kind: 'filter';
      readonly input: PhysicalNode;
      readonly predicate: Expr;
      readonly output: readonly ColumnSchema[];
    }
  | {
      readonly kind: 'project';
      readonly input: PhysicalNode;
      readonly exprs: readonly Expr[];
      readonly output: readonly ColumnSchema[];
    }
  | {
      readonly kind: 'aggregate';
      readonly input: PhysicalNode;
      /**
       * single: input rows -> final values. partial: input rows -> group keys + state columns
       * (common/functions/aggregates.ts aggregateStateTypes). final: group keys + state columns
       * (same layout, keys at `groupBy` positions, states after them in order) -> final values.
       */
      readonly step: 'single' | 'partial' | 'final';
      readonly groupBy: readonly number[];
      /** For `final`, `args` point at the first state column of each aggregate in the input. */
      readonly aggregates: readonly AggregateCall[];
      /** Group keys first, then one column per aggregate (partial: its state columns). */
      readonly output: readonly ColumnSchema[];
    }
  | {
      readonly kind: 'hash_join';
      readonly joinType: HashJoinType;
      /** Streams through; its rows keep their order within a batch. */
      readonly probe: PhysicalNode;
      /** Built into a hash table first. For right/full joins, unmatched build rows are emitted at the end. */
      readonly build: PhysicalNode;
      readonly probeKeys: readonly number[];
      readonly buildKeys: readonly number[];
      /** Extra condition over probe columns ++ build columns; null = none. */
      readonly residual: Expr | null;
      /** probe columns ++ build columns (semi/anti: probe columns only; right_semi/right_anti: build columns only). */
      readonly output: readonly ColumnSchema[];
      /**
       * Anti join with NOT IN semantics: if the build side has a NULL key, no probe row passes;
       * a probe row with a NULL key passes only when the build side is empty.
       */
      readonly nullAware?: boolean;
      /** Filters this join's build keys produce for probe-side scans (./dynamic-filter.ts). */
      readonly dynamicFilters?: readonly DynamicFilterSource[];
    }
  /**
   * Window functions: input columns, then one column per function. Rows are grouped by
   * `partitionBy` and ordered by `orderBy` within a partition (output order is unspecified).
   */
  | {
      readonly kind: 'window';
      readonly input: PhysicalNode;
      readonly partitionBy: readonly number[];
      readonly orderBy: readonly SortKey[];
      readonly functions: readonly WindowCall[];
      readonly output: readonly ColumnSchema[];
    }
  /** All rows of every input, one input after the other (UNION ALL); inputs have the output's types. */
  | { readonly kind: 'union_all'; readonly inputs: readonly PhysicalNode[]; readonly output: readonly ColumnSchema[] }
  /** Each input row `count` times (the bigint column at that position; NULL or below 1: none). */
  | {
      readonly kind: 'replicate';
      readonly input: PhysicalNode;
      readonly count: number;
      readonly output: readonly ColumnSchema[];
    }
  /** Exactly one row: SqlError 21000 on more than one input row, a row of NULLs on none. */
  | { readonly kind: 'enforce_single_row'; readonly input: PhysicalNode; readonly output: readonly ColumnSchema[] }
  /** Joins every probe row with every build row that satisfies `condition` (null = cross join). */
  | {
      readonly kind: 'nested_loop_join';
      readonly joinType: JoinType;
      readonly probe: PhysicalNode;
      readonly build: PhysicalNode;
      readonly condition: Expr | null;
      readonly output: readonly ColumnSchema[];
    }
  | {
      readonly kind: 'sort';
      readonly input: PhysicalNode;
      readonly keys: readonly SortKey[];
      readonly output: readonly ColumnSchema[];
    }
  | {
      readonly kind: 'top_n';
      readonly input: PhysicalNode;
      readonly keys: readonly SortKey[];
      readonly limit: number;
      readonly output: readonly ColumnSchema[];
    }
  | {
      readonly kind: 'limit';
      readonly input: PhysicalNode;
      readonly limit: number | null;
      readonly offset: number;
      readonly output: readonly ColumnSchema[];
    }
  /**
   * Writes its input through the catalog's page sink. Outputs one row:
   * (rows bigint, fragment varchar = JSON the connector's finishInsert receives).
   */
  | {
      readonly kind: 'table_write';
      readonly input: PhysicalNode;
      readonly catalog: string;
      readonly insertHandle: JsonValue;
      readonly output: readonly ColumnSchema[];
    };

export type PhysicalKind = PhysicalNode['kind'];

/**
 * A frame bound: UNBOUNDED PRECEDING/FOLLOWING, CURRENT ROW, or offset PRECEDING/FOLLOWING.
 * The offset counts rows (ROWS) or peer groups (GROUPS); for RANGE it is a distance between
 * values of the one ORDER BY key: in the key's units for numbers (scaled integers for
 * decimals, possibly fractional), days for dates, microseconds for timestamps, plus `months`
 * calendar months (interval offsets). A negative offset fails when the window runs (22013).
 * `infinite` stands for an offset of +Infinity (double keys), which JSON cannot carry.
 */
export type FrameBound =
  | { readonly kind: 'unbounded_preceding' }
  | { readonly kind: 'preceding'; readonly offset: number; readonly months?: number; readonly infinite?: true }
  | { readonly kind: 'current_row' }
  | { readonly kind: 'following'; readonly offset: number; readonly months?: number; readonly infinite?: true }
  | { readonly kind: 'unbounded_following' };

/**
 * ROWS frames count rows; GROUPS frames count peer groups (rows equal on orderBy); RANGE
 * frames compare the order key's values (CURRENT ROW includes the current row's peers).
 * Default per SQL: with ORDER BY, RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW; without,
 * the whole partition.
 */
export interface WindowFrame {
  readonly mode: 'rows' | 'range' | 'groups';
  readonly start: FrameBound;
  readonly end: FrameBound;
}

export interface WindowCall {
  /**
   * row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value
   * nth_value, or an aggregate: count_star count sum avg min max (frame applies).
   */
  readonly fn: string;
  /** Input column positions. lag/lead: [value, offset?, default?] ; ntile: [buckets]; nth_value: [value, n]. */
  readonly args: readonly number[];
  readonly argTypes: readonly DataType[];
  readonly frame: WindowFrame;
  readonly type: DataType;
}

export function physicalChildren(n: PhysicalNode): readonly PhysicalNode[] {
  switch (n.kind) {
    case 'table_scan':
    case 'values':
    case 'remote_source':
      return [];
    case 'filter':
    case 'project':
    case 'aggregate':
    case 'sort':
    case 'top_n':
    case 'limit':
    case 'table_write':
    case 'enforce_single_row':
    case 'replicate':
    case 'window':
      return [n.input];
    case 'union_all':
      return n.inputs;
    case 'hash_join':
    case 'nested_loop_join':
      return [n.probe, n.build];
    default:
      return assertNever(n, 'physical node');
  }
}

/** How a fragment's output rows are divided among the tasks of the fragment that reads them. */
export type OutputPartitioning =
  | { readonly kind: 'single' }
  | { readonly kind: 'hash'; readonly keys: readonly number[] }
  | { readonly kind: 'broadcast' };

/** How many tasks run a fragment and where. */
export type FragmentDistribution =
  /** One task per worker that received splits of the fragment's table scan. */
  | 'source'
  /** One task per worker, each reading one hash partition of its remote sources. */
  | 'hash'
  /** Exactly one task. */
  | 'single';

export interface PlanFragment {
  readonly id: number;
  readonly root: PhysicalNode;
  readonly distribution: FragmentDistribution;
  readonly outputPartitioning: OutputPartitioning;
}

/** `n` with each child replaced by `f(child)`. */
export function mapPhysicalChildren(n: PhysicalNode, f: (c: PhysicalNode) => PhysicalNode): PhysicalNode {
  switch (n.kind) {
    case 'table_scan':
    case 'values':
    case 'remote_source':
      return n;
    case 'filter':
    case 'project':
    case 'aggregate':
    case 'sort':
    case 'top_n':
    case 'limit':
    case 'table_write':
    case 'enforce_single_row':
    case 'replicate':
    case 'window':
      return { ...n, input: f(n.input) };
    case 'union_all':
      return { ...n, inputs: n.inputs.map(f) };
    case 'hash_join':
    case 'nested_loop_join':
      return { ...n, probe: f(n.probe), build: f(n.build) };
    default:
      return assertNever(n, 'physical node');
  }
}
