// Plan-time part of dynamic filtering (see common/plan/dynamic-filter.ts): marks which table scans
// receive which join's build-key summary.
//
//   HashJoin INNER [l_orderkey = o_orderkey] dynamicFilters=[df0: o_orderkey]
//     Filter ...                       (probe side, traced through)
//       RemoteSource fragment 1  ->  Fragment 1: TableScan lineitem dynamicFilters=[df0: l_orderkey]
//
// A probe key is followed down the probe side only through nodes that pass the column on
// unchanged and where dropping rows with a non-matching key cannot change what the join sees:
// filters, column projections, sorts, aggregate group keys, window partition keys, the probe side
// of other joins, and exchanges into other fragments. Limits, top-N, unions and computed
// columns stop it. Build sides are never entered: a build waiting for a filter that its own
// join produces after the build would stall.
import {
  type DynamicFilterSource,
  type DynamicFilterTarget,
  FILTERING_JOIN_TYPES,
  summarizableType,
} from '../../common/plan/dynamic-filter.js';
import { type PhysicalNode, type PlanFragment, physicalChildren } from '../../common/plan/physical.js';

type ScanNode = Extract<PhysicalNode, { kind: 'table_scan' }>;
type JoinNode = Extract<PhysicalNode, { kind: 'hash_join' }>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Traced {
  readonly scan: ScanNode;
  readonly column: number;
  readonly remote: boolean;
}

/** Output column `k` of `n`, followed to the table scan column it comes from unchanged. */
function trace(
  n: PhysicalNode,
  k: number,
  fragments: ReadonlyMap<number, PlanFragment>,
  remote: boolean,
): Traced | undefined {
  switch (n.kind) {
    case 'table_scan':
      return { scan: n, column: k, remote };
    case 'filter':
    case 'sort':
      return trace(n.input, k, fragments, remote);
    case 'project': {
      const e = n.exprs[k];
      return e?.kind === 'column' ? trace(n.input, e.index, fragments, remote) : undefined;
    }
    case 'aggregate': {
      const g = n.groupBy[k];
      return k < n.groupBy.length && g !== undefined ? trace(n.input, g, fragments, remote) : undefined;
    }
    case 'window':
      return n.partitionBy.includes(k) ? trace(n.input, k, fragments, remote) : undefined;
    case 'hash_join':
    case 'nested_loop_join':
      return k < n.probe.output.length ? trace(n.probe, k, fragments, remote) : undefined;
    case 'remote_source': {
      const f = fragments.get(n.fragmentId);
      return f ? trace(f.root, k, fragments, true) : undefined;
    }
    default:
      // values, limits, top-N, unions, writes, ...: a filter below them would change their result.
      return undefined;
  }
}

/** Copies of the fragments with dynamic filters assigned; the same array when there are none. */
export function assignDynamicFilters(fragments: readonly PlanFragment[]): readonly PlanFragment[] {
  // Most small queries have no join: no copy then (cloning the plan cost more than planning it).
  if (!fragments.some((f) => hasHashJoin(f.root))) return fragments;
  // The pass annotates nodes in place, so it works on its own copy of the (plain JSON) plan.
  const copy = structuredClone(fragments) as PlanFragment[];
  const byId = new Map(copy.map((f) => [f.id, f]));
  const joins = new Map<JoinNode, DynamicFilterSource[]>();
  const scans = new Map<ScanNode, DynamicFilterTarget[]>();
  let next = 0;
  const visit = (n: PhysicalNode) => {
    if (n.kind === 'hash_join' && FILTERING_JOIN_TYPES.has(n.joinType) && !n.nullAware) {
      n.probeKeys.forEach((k, i) => {
        const buildType = n.build.output[n.buildKeys[i]!]?.type;
        if (!buildType || !summarizableType(buildType)) return;
        const t = trace(n.probe, k, byId, false);
        if (!t) return;
        const id = `df${next++}`;
        joins.set(n, [...(joins.get(n) ?? []), { id, buildKey: i, remote: t.remote }]);
        scans.set(t.scan, [...(scans.get(t.scan) ?? []), { id, column: t.column, remote: t.remote }]);
      });
    }
    for (const c of physicalChildren(n)) visit(c);
  };
  for (const f of copy) visit(f.root);
  if (next === 0) return fragments;
  for (const [node, defs] of joins) (node as Mutable<JoinNode>).dynamicFilters = defs;
  for (const [node, defs] of scans) (node as Mutable<ScanNode>).dynamicFilters = defs;
  return copy;
}

function hasHashJoin(n: PhysicalNode): boolean {
  return n.kind === 'hash_join' || physicalChildren(n).some(hasHashJoin);
}

/** filter id -> fragment of the join that produces it, for the filters that cross fragments. */
export function remoteFilterProducers(fragments: readonly PlanFragment[]): Map<string, number> {
  const out = new Map<string, number>();
  const visit = (n: PhysicalNode, fragmentId: number) => {
    if (n.kind === 'hash_join') for (const d of n.dynamicFilters ?? []) if (d.remote) out.set(d.id, fragmentId);
    for (const c of physicalChildren(n)) visit(c, fragmentId);
  };
  for (const f of fragments) visit(f.root, f.id);
  return out;
}
