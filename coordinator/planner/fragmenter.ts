// Optimized logical plan -> physical plan cut into fragments at exchanges.
//
// Each logical node is planned into the "current" fragment, a stream with a distribution:
//   source: runs where the splits of its table scan are (one task per worker with splits)
//   hash:   one task per worker, each reading one hash partition of its inputs
//   single: one task
// Exchanges are placed where the distribution must change: partial aggregation before a hash
// exchange on the group keys, a broadcast of a small join build side (or a hash exchange of
// both sides of a large join), and a gather to one task for sort, final top-N/limit and the
// output.
import { assertNever } from '../../common/assert.js';
import { SqlError } from '../../common/errors.js';
import { conjuncts, type Expr, refsOf, rewriteExpr } from '../../common/expr/expr.js';
import { type AggregateCall, aggregateStateTypes } from '../../common/functions/aggregates.js';
import type {
  FragmentDistribution,
  HashJoinType,
  JoinType,
  OutputPartitioning,
  PhysicalNode,
  PlanFragment,
  SortKey,
} from '../../common/plan/physical.js';
import type { JoinDistributionType } from '../../common/session-properties.js';
import { BIGINT, type ColumnSchema, VARCHAR } from '../../common/types.js';
import { assignDynamicFilters } from './dynamic-filters.js';
import { estimateRows, rowBytes, selectivity } from './estimate.js';
import { type LogicalPlan, type LogicalSortKey, outputOf, type PlanSymbol } from './logical.js';

/** Build sides estimated below this many rows and bytes are broadcast to every probe task. */
export const BROADCAST_MAX_ROWS = 200_000;
/** Wide rows cost the exchange more than their count says: 150,000 customers with their strings are 25 MB per copy. */
export const BROADCAST_MAX_BYTES = 8 * 1024 * 1024;

/** Whether `automatic` join distribution broadcasts a build side. */
function broadcastable(side: LogicalPlan): boolean {
  const rows = estimateRows(side);
  return rows <= BROADCAST_MAX_ROWS && rows * rowBytes(side) <= BROADCAST_MAX_BYTES;
}

type Dist = FragmentDistribution;

interface Stream {
  readonly node: PhysicalNode;
  readonly layout: readonly PlanSymbol[];
  readonly dist: Dist;
}

export interface FragmentedPlan {
  readonly fragments: readonly PlanFragment[];
  readonly rootFragmentId: number;
  /** Column names of the root output. */
  readonly output: readonly ColumnSchema[];
}

/** Session choices that shape the physical plan (common/session-properties.ts). */
export interface FragmentOptions {
  /** Plan dynamic filters from join build sides onto probe-side scans (default true). */
  readonly dynamicFiltering?: boolean;
  /** automatic: broadcast build sides estimated below BROADCAST_MAX_ROWS and BROADCAST_MAX_BYTES (default). */
  readonly joinDistribution?: JoinDistributionType;
}

export function fragmentPlan(
  plan: LogicalPlan,
  outputNames?: readonly string[],
  options: FragmentOptions = {},
): FragmentedPlan {
  const f = new Fragmenter(options);
  const root = f.gather(f.plan(plan));
  const output = root.node.output.map((c, i) => ({ ...c, name: outputNames?.[i] ?? c.name }));
  const id = f.add(root, { kind: 'single' });
  const fragments = options.dynamicFiltering === false ? f.fragments : assignDynamicFilters(f.fragments);
  return { fragments, rootFragmentId: id, output };
}

class Fragmenter {
  readonly fragments: PlanFragment[] = [];

  constructor(private readonly options: FragmentOptions = {}) {}

  add(s: Stream, outputPartitioning: OutputPartitioning): number {
    const id = this.fragments.length;
    this.fragments.push({ id, root: s.node, distribution: s.dist, outputPartitioning });
    return id;
  }

  /** Ends the stream's fragment here and reads it back through a remote source. */
  exchange(s: Stream, partitioning: OutputPartitioning, consumerDist: Dist): Stream {
    const id = this.add(s, partitioning);
    return {
      node: { kind: 'remote_source', fragmentId: id, output: s.node.output },
      layout: s.layout,
      dist: consumerDist,
    };
  }

  gather(s: Stream): Stream {
    return s.dist === 'single' ? s : this.exchange(s, { kind: 'single' }, 'single');
  }

  plan(p: LogicalPlan): Stream {
    switch (p.kind) {
      case 'scan': {
        const layout = p.columns.map((c) => c.symbol);
        return {
          node: {
            kind: 'table_scan',
            catalog: p.catalog,
            handle: p.handle,
            columns: p.columns.map((c) => c.column),
            output: schemaOf(layout),
          },
          layout,
          dist: 'source',
        };
      }
      case 'values':
        return {
          node: {
            kind: 'values',
            rows: p.rows.map((r) =>
              r.map((e) => {
                if (e.kind !== 'literal') throw SqlError.unsupportedPlural('non-constant expressions in VALUES');
                return e.value;
              }),
            ),
            output: schemaOf(p.output),
          },
          layout: p.output,
          dist: 'single',
        };
      case 'filter': {
        const s = this.plan(p.input);
        return {
          ...s,
          node: { kind: 'filter', input: s.node, predicate: toPhysical(p.predicate, s.layout), output: s.node.output },
        };
      }
      case 'project': {
        const s = this.plan(p.input);
        return project(s, p.items);
      }
      case 'aggregate':
        return this.aggregate(p);
      case 'join':
        return this.join(p);
      case 'sort': {
        const s = this.gather(this.plan(p.input));
        return { ...s, node: { kind: 'sort', input: s.node, keys: sortKeys(p.keys, s.layout), output: s.node.output } };
      }
      case 'top_n': {
        let s = this.plan(p.input);
        const keys = sortKeys(p.keys, s.layout);
        if (s.dist !== 'single') {
          s = this.gather({
            ...s,
            node: { kind: 'top_n', input: s.node, keys, limit: p.limit, output: s.node.output },
          });
        }
        return { ...s, node: { kind: 'top_n', input: s.node, keys, limit: p.limit, output: s.node.output } };
      }
      case 'limit': {
        let s = this.plan(p.input);
        if (s.dist !== 'single' && p.limit !== null) {
          const partial: PhysicalNode = {
            kind: 'limit',
            input: s.node,
            limit: p.limit + p.offset,
            offset: 0,
            output: s.node.output,
          };
          s = this.gather({ ...s, node: partial });
        } else s = this.gather(s);
        return {
          ...s,
          node: { kind: 'limit', input: s.node, limit: p.limit, offset: p.offset, output: s.node.output },
        };
      }
      case 'enforce_single_row': {
        const s = this.gather(this.plan(p.input));
        return { ...s, node: { kind: 'enforce_single_row', input: s.node, output: s.node.output } };
      }
      case 'union':
        return this.union(p);
      case 'replicate': {
        // Streams: runs wherever its input is (after INTERSECT/EXCEPT ALL's final aggregation).
        const s = this.plan(p.input);
        return {
          ...s,
          node: { kind: 'replicate', input: s.node, count: indexOf(p.count, s.layout), output: s.node.output },
        };
      }
      case 'window': {
        let s = this.plan(p.input);
        const partitionBy = p.partitionBy.map((x) => indexOf(x, s.layout));
        // Each partition must be whole in one task.
        if (s.dist !== 'single') {
          s = partitionBy.length > 0 ? this.exchange(s, { kind: 'hash', keys: partitionBy }, 'hash') : this.gather(s);
        }
        const layout = [...s.layout, ...p.functions.map((f) => f.output)];
        const functions = p.functions.map((f) => ({
          fn: f.fn,
          args: f.args.map((a) => indexOf(a, s.layout)),
          argTypes: f.args.map((a) => a.type),
          frame: f.frame,
          type: f.output.type,
        }));
        return {
          node: {
            kind: 'window',
            input: s.node,
            partitionBy,
            orderBy: sortKeys(p.orderBy, s.layout),
            functions,
            output: schemaOf(layout),
          },
          layout,
          dist: s.dist,
        };
      }
      case 'insert': {
        const s = this.plan(p.input);
        const output = [
          { name: 'rows', type: BIGINT },
          { name: 'fragment', type: VARCHAR },
        ];
        return {
          node: { kind: 'table_write', input: s.node, catalog: p.catalog, insertHandle: p.insertHandle, output },
          layout: p.output,
          dist: s.dist,
        };
      }
      default:
        return assertNever(p, 'plan');
    }
  }

  /** UNION ALL: inputs in one fragment when all are single, else each hash-partitioned to one task per worker. */
  private union(p: Extract<LogicalPlan, { kind: 'union' }>): Stream {
    return this.unionOf(p, this.unionInputs(p));
  }

  /** The inputs of a UNION ALL, each projected to its mapping (positions line up with the output). */
  private unionInputs(p: Extract<LogicalPlan, { kind: 'union' }>): Stream[] {
    return p.inputs.map((input, i) => {
      const s = this.plan(input);
      const mapping = p.mappings[i]!;
      const same = mapping.length === s.layout.length && mapping.every((m, k) => s.layout[k]?.id === m.id);
      return same
        ? s
        : project(
            s,
            mapping.map((m) => ({ symbol: m, expr: { kind: 'ref', id: m.id, type: m.type } as Expr })),
          );
    });
  }

  private unionOf(p: Extract<LogicalPlan, { kind: 'union' }>, streams: readonly Stream[]): Stream {
    const output = schemaOf(p.output);
    if (streams.every((s) => s.dist === 'single')) {
      return {
        node: { kind: 'union_all', inputs: streams.map((s) => s.node), output },
        layout: p.output,
        dist: 'single',
      };
    }
    const keys = p.output.map((_, i) => i);
    const moved = streams.map((s) => this.exchange(s, { kind: 'hash', keys }, 'hash'));
    return { node: { kind: 'union_all', inputs: moved.map((s) => s.node), output }, layout: p.output, dist: 'hash' };
  }

  private aggregate(p: Extract<LogicalPlan, { kind: 'aggregate' }>): Stream {
    // Over a UNION (UNION DISTINCT, INTERSECT, EXCEPT): the inputs are planned here, so that
    // each can be pre-aggregated before its exchange (below).
    const union = p.input.kind === 'union' ? p.input : undefined;
    const inputs = union ? this.unionInputs(union) : [this.plan(p.input)];
    const inLayout = union ? union.output : inputs[0]!.layout;
    const layout = [...p.groupBy, ...p.aggregates.map((a) => a.output)];
    const groupBy = p.groupBy.map((g) => indexOf(g, inLayout));
    const calls: AggregateCall[] = p.aggregates.map((a) => ({
      fn: a.fn,
      args: a.args.map((x) => indexOf(x, inLayout)),
      argTypes: a.args.map((x) => x.type),
      distinct: a.distinct,
      ...(a.orderBy && a.orderBy.length > 0 ? { orderBy: sortKeys(a.orderBy, inLayout) } : {}),
      type: a.output.type,
    }));
    const finalOutput = schemaOf(layout);
    const single = (input: Stream): Stream => ({
      node: { kind: 'aggregate', input: input.node, step: 'single', groupBy, aggregates: calls, output: finalOutput },
      layout,
      dist: input.dist,
    });
    const grouped = groupBy.length > 0;
    // DISTINCT and ordered aggregates (string_agg(x, ',' ORDER BY y), percentile_cont(..) WITHIN
    // GROUP (..)) need all rows of a group in one place. Their partial states could not be
    // smaller than the rows they hold (values and sort keys), so the raw rows are repartitioned
    // and every call of the query is aggregated in one single step there.
    const splittable = !calls.some((c) => c.distinct || c.orderBy !== undefined);
    // Partial aggregation before the exchange (only group keys + states cross the network).
    const partialOutput: ColumnSchema[] = [
      ...p.groupBy.map((g) => ({ name: g.name, type: g.type })),
      // Unique names: aggregates often share one (`sum`), and batches must not merge columns by name.
      ...p.aggregates.flatMap((a, j) =>
        aggregateStateTypes(a.fn, a.args[0]?.type).map((type, i) => ({
          name: `${a.output.name}$${j}$state${i}`,
          type,
        })),
      ),
    ];
    const partialOf = (s: Stream): Stream => ({
      node: { kind: 'aggregate', input: s.node, step: 'partial', groupBy, aggregates: calls, output: partialOutput },
      layout: [],
      dist: s.dist,
    });
    const keys = groupBy.map((_, i) => i);
    let moved: Stream;
    if (union && splittable && inputs.some((s) => s.dist !== 'single')) {
      // Every union input aggregated partially where it runs, so that only its distinct rows
      // (with their counts) cross the one exchange to the final aggregation.
      const parts = inputs.map((s) =>
        grouped ? this.exchange(partialOf(s), { kind: 'hash', keys }, 'hash') : this.gather(partialOf(s)),
      );
      moved = {
        node: { kind: 'union_all', inputs: parts.map((x) => x.node), output: partialOutput },
        layout: [],
        dist: grouped ? 'hash' : 'single',
      };
    } else {
      const s = union ? this.unionOf(union, inputs) : inputs[0]!;
      if (s.dist === 'single') return single(s);
      if (!splittable) {
        return single(grouped ? this.exchange(s, { kind: 'hash', keys: groupBy }, 'hash') : this.gather(s));
      }
      moved = grouped ? this.exchange(partialOf(s), { kind: 'hash', keys }, 'hash') : this.gather(partialOf(s));
    }
    let stateIndex = keys.length;
    const finalCalls = calls.map((c, i) => {
      const a = p.aggregates[i]!;
      const at = stateIndex;
      stateIndex += aggregateStateTypes(a.fn, a.args[0]?.type).length;
      return { ...c, args: [at] };
    });
    return {
      node: {
        kind: 'aggregate',
        input: moved.node,
        step: 'final',
        groupBy: keys,
        aggregates: finalCalls,
        output: finalOutput,
      },
      layout,
      dist: moved.dist,
    };
  }

  private join(p: Extract<LogicalPlan, { kind: 'join' }>): Stream {
    let left = p.left;
    let right = p.right;
    let joinType: JoinType = p.joinType;
    // The right side is the build side. Inner joins build on the smaller input. An outer join
    // builds on its inner side, unless its preserved side is the smaller one and the inner side
    // is not broadcast anyway: then it builds on the preserved side (a right join: unmatched build
    // rows come out at the end, so it is never broadcast) and the bigger inner side streams as
    // the probe, open to dynamic filtering by the preserved side's keys. The same when the inner
    // side aggregates more rows than the filtered preserved side has (a correlated subquery's
    // GROUP BY on the join keys, TPC-H q2, q17, q20): the preserved keys thin the aggregation's input.
    //   Join[left](small l, big r) => Join[right](probe r, build l)
    const mode = this.options.joinDistribution ?? 'automatic';
    const notBroadcast = (side: LogicalPlan) =>
      mode === 'partitioned' || (mode === 'automatic' && !broadcastable(side));
    const smallerPreserved = (preserved: LogicalPlan, inner: LogicalPlan) =>
      hasEquiKey(p) && notBroadcast(inner) && estimateRows(preserved) < estimateRows(inner);
    const aggregatesMore = (preserved: LogicalPlan, inner: LogicalPlan) =>
      hasEquiKey(p) &&
      mode !== 'broadcast' &&
      selectivity(preserved) < 1 &&
      estimateRows(preserved) < groupedInputRows(inner);
    let swapped = false;
    const keepRight = joinType === 'right' && hasEquiKey(p) && estimateRows(p.right) < estimateRows(p.left);
    const leftToRight = joinType === 'left' && (smallerPreserved(p.left, p.right) || aggregatesMore(p.left, p.right));
    if (
      (joinType === 'inner' && estimateRows(left) < estimateRows(right)) ||
      (joinType === 'right' && !keepRight) ||
      leftToRight
    ) {
      [left, right] = [right, left];
      joinType = joinType === 'right' ? 'left' : joinType === 'left' ? 'right' : joinType;
      swapped = true;
    }
    // EXISTS / NOT EXISTS whose outer side is the smaller one, against a subquery side that is
    // not broadcast: build on the outer side instead (right_semi / right_anti emit build rows at
    // the end), so the big side streams through, thinned by dynamic filters from the outer keys.
    // Not NOT IN: its NULL rules need the subquery side built.
    const buildOuter =
      (joinType === 'semi' || joinType === 'anti') && p.nullAware !== true && smallerPreserved(left, right);
    if (buildOuter) [left, right] = [right, left];
    const leftIds = new Set(outputOf(left).map((s) => s.id));
    const rightIds = new Set(outputOf(right).map((s) => s.id));
    const leftKeys: Expr[] = [];
    const rightKeys: Expr[] = [];
    const residual: Expr[] = [];
    for (const t of p.condition ? conjuncts(p.condition) : []) {
      const pair = equiPair(t, leftIds, rightIds);
      if (pair) {
        leftKeys.push(pair[0]);
        rightKeys.push(pair[1]);
      } else residual.push(t);
    }
    let l = this.plan(left);
    let r = this.plan(right);
    // Semi and anti joins output the probe side only (the build side when built on the outer side).
    const existence = joinType === 'semi' || joinType === 'anti';
    const naturalOrder = existence ? [...outputOf(p.left)] : [...outputOf(p.left), ...outputOf(p.right)];

    if (leftKeys.length === 0) {
      // No equality: nested loop join with the right side broadcast (or gathered for outer joins).
      if (joinType === 'full') {
        l = this.gather(l);
        r = this.gather(r);
      } else if (r.dist !== 'single' || l.dist !== 'single') {
        r = this.exchange(r, { kind: 'broadcast' }, l.dist);
      }
      const layout = [...l.layout, ...r.layout];
      const condition = p.condition ? toPhysical(p.condition, layout) : null;
      const node: PhysicalNode = {
        kind: 'nested_loop_join',
        joinType,
        probe: l.node,
        build: r.node,
        condition,
        output: existence ? l.node.output : [...l.node.output, ...r.node.output],
      };
      return reorder({ node, layout: existence ? l.layout : layout, dist: l.dist }, swapped ? naturalOrder : undefined);
    }

    // Key expressions become columns.
    const lk = withKeyColumns(l, leftKeys);
    const rk = withKeyColumns(r, rightKeys);
    l = lk.stream;
    r = rk.stream;
    // NOT IN must see the whole build side in every task (one NULL there decides for all rows).
    const small = mode === 'broadcast' || (mode === 'automatic' && broadcastable(right)) || p.nullAware === true;
    if (l.dist === 'single' && r.dist === 'single') {
      // both local
    } else if (small && joinType !== 'full' && joinType !== 'right' && !buildOuter) {
      r = this.exchange(r, { kind: 'broadcast' }, l.dist);
    } else {
      l = this.exchange(l, { kind: 'hash', keys: lk.keys }, 'hash');
      r = this.exchange(r, { kind: 'hash', keys: rk.keys }, 'hash');
    }
    const layout = [...l.layout, ...r.layout];
    const hashType: HashJoinType = buildOuter ? (joinType === 'semi' ? 'right_semi' : 'right_anti') : joinType;
    const node: PhysicalNode = {
      kind: 'hash_join',
      joinType: hashType,
      ...(p.nullAware ? { nullAware: true } : {}),
      probe: l.node,
      build: r.node,
      probeKeys: lk.keys,
      buildKeys: rk.keys,
      residual: residual.length
        ? toPhysical(
            residual.length === 1 ? residual[0]! : { kind: 'and', args: residual, type: residual[0]!.type },
            layout,
          )
        : null,
      output: buildOuter ? r.node.output : existence ? l.node.output : [...l.node.output, ...r.node.output],
    };
    const joined: Stream = { node, layout: buildOuter ? r.layout : existence ? l.layout : layout, dist: l.dist };
    // Drop helper key columns and restore the logical column order.
    return reorder(joined, naturalOrder);
  }
}

/** Rows a grouped aggregation under projections and filters reads (0: no such aggregation). */
function groupedInputRows(p: LogicalPlan): number {
  if (p.kind === 'project' || p.kind === 'filter') return groupedInputRows(p.input);
  return p.kind === 'aggregate' && p.groupBy.length > 0 ? estimateRows(p.input) : 0;
}

function hasEquiKey(p: Extract<LogicalPlan, { kind: 'join' }>): boolean {
  if (!p.condition) return false;
  const left = new Set(outputOf(p.left).map((s) => s.id));
  const right = new Set(outputOf(p.right).map((s) => s.id));
  return conjuncts(p.condition).some((t) => equiPair(t, left, right) !== undefined);
}

/** An equality between an expression over the left side and one over the right side. */
function equiPair(e: Expr, left: Set<string>, right: Set<string>): [Expr, Expr] | undefined {
  if (e.kind !== 'call' || e.fn !== 'eq' || e.args.length !== 2) return undefined;
  const [a, b] = e.args as [Expr, Expr];
  const side = (x: Expr) => {
    const refs = [...refsOf(x)];
    if (refs.length === 0) return 'none';
    if (refs.every((r) => left.has(r))) return 'left';
    if (refs.every((r) => right.has(r))) return 'right';
    return 'both';
  };
  const sa = side(a);
  const sb = side(b);
  if (sa === 'left' && sb === 'right') return [a, b];
  if (sa === 'right' && sb === 'left') return [b, a];
  return undefined;
}

/** Appends computed key columns (when keys are not plain columns) and returns their positions. */
function withKeyColumns(s: Stream, keys: readonly Expr[]): { stream: Stream; keys: number[] } {
  const positions: number[] = [];
  const extra: { symbol: PlanSymbol; expr: Expr }[] = [];
  for (const [i, k] of keys.entries()) {
    if (k.kind === 'ref') {
      positions.push(indexOf({ id: k.id, name: k.id, type: k.type }, s.layout));
    } else {
      const symbol: PlanSymbol = { id: `$joinkey${i}_${s.layout.length}`, name: `join_key_${i}`, type: k.type };
      positions.push(s.layout.length + extra.length);
      extra.push({ symbol, expr: k });
    }
  }
  if (extra.length === 0) return { stream: s, keys: positions };
  const items = [
    ...s.layout.map((sym) => ({ symbol: sym, expr: { kind: 'ref', id: sym.id, type: sym.type } as Expr })),
    ...extra,
  ];
  return { stream: project(s, items), keys: positions };
}

function reorder(s: Stream, order: readonly PlanSymbol[] | undefined): Stream {
  if (!order) return s;
  const same = order.length === s.layout.length && order.every((o, i) => s.layout[i]?.id === o.id);
  if (same) return s;
  return project(
    s,
    order.map((o) => ({ symbol: o, expr: { kind: 'ref', id: o.id, type: o.type } })),
  );
}

function project(s: Stream, items: readonly { symbol: PlanSymbol; expr: Expr }[]): Stream {
  const layout = items.map((i) => i.symbol);
  return {
    node: {
      kind: 'project',
      input: s.node,
      exprs: items.map((i) => toPhysical(i.expr, s.layout)),
      output: schemaOf(layout),
    },
    layout,
    dist: s.dist,
  };
}

function sortKeys(keys: readonly LogicalSortKey[], layout: readonly PlanSymbol[]): SortKey[] {
  return keys.map((k) => ({ index: indexOf(k.symbol, layout), ascending: k.ascending, nullsFirst: k.nullsFirst }));
}

function indexOf(s: PlanSymbol, layout: readonly PlanSymbol[]): number {
  const i = layout.findIndex((l) => l.id === s.id);
  if (i < 0)
    throw SqlError.internal(`planner: symbol ${s.id} not in input layout [${layout.map((l) => l.id).join(', ')}]`);
  return i;
}

/** PlanSymbol references -> input positions. */
export function toPhysical(e: Expr, layout: readonly PlanSymbol[]): Expr {
  return rewriteExpr(e, (x) => {
    if (x.kind === 'ref')
      return { kind: 'column', index: indexOf({ id: x.id, name: x.id, type: x.type }, layout), type: x.type };
    if (x.kind === 'param') throw SqlError.internal(`unbound parameter $${x.index}`);
    return undefined;
  });
}

function schemaOf(layout: readonly PlanSymbol[]): ColumnSchema[] {
  return layout.map((s) => ({ name: s.name, type: s.type }));
}
