// Small queries in one task: a fragment that runs as a single task absorbs the single-task
// fragments it reads from, so their exchange (an HTTP hop between processes, PERFORMANCE.md
// rule 6) and their task's POST/DELETE disappear.
//
//   Fragment 1 [single]                        Fragment 1 [single], one task on the scan's node
//     Aggregate(final)                           Aggregate(final)
//       RemoteSource fragment 0         =>         Aggregate(partial)
//   Fragment 0 [source], 1 task                      TableScan memory (its splits)
//     Aggregate(partial)
//       TableScan memory
//
// Decided per query at schedule time, once the splits are known: a producer is absorbed when it
// and its consumer each got exactly one task, the merged fragment keeps at most one table scan
// (a task carries one split list, TaskSpec.splits), and the producer's pinned splits (memory
// tables) can run on the node the merged task is placed on. Dynamic filters whose join and scan
// end up in the same fragment become task-local.
import {
  mapPhysicalChildren,
  type PhysicalNode,
  type PlanFragment,
  physicalChildren,
} from '../../common/plan/physical.js';
import type { NodeInfo } from '../../common/plan/task.js';
import { type PlacedTask, remoteSourceIds } from './placement.js';

export interface MergedPlacement {
  readonly fragments: readonly PlanFragment[];
  readonly placed: ReadonlyMap<number, readonly PlacedTask[]>;
}

/** Folds single-task producers into their single-task consumers, starting at `rootId`. */
export function mergeSingleTaskFragments(
  fragments: readonly PlanFragment[],
  placed: ReadonlyMap<number, readonly PlacedTask[]>,
  rootId: number,
): MergedPlacement {
  const byId = new Map(fragments.map((f) => [f.id, f]));
  const tasks = new Map(placed);
  const absorbed = new Set<number>();

  const visit = (id: number): void => {
    const consumer = byId.get(id);
    if (!consumer) return;
    for (const p of remoteSourceIds(consumer.root)) visit(p);
    const own = tasks.get(id);
    if (own?.length !== 1) return;
    let task = own[0]!;
    let root = consumer.root;
    for (const p of remoteSourceIds(root)) {
      const producer = byId.get(p);
      const ptasks = tasks.get(p);
      if (!producer || ptasks?.length !== 1) continue;
      const ptask = ptasks[0]!;
      if (countScans(root) + countScans(producer.root) > 1) continue;
      const splits = [...task.splits, ...ptask.splits];
      const node = nodeFor(task, ptask);
      if (!splits.every((s) => s.addresses.length === 0 || s.addresses.includes(node.nodeId))) continue;
      root = inline(root, p, producer.root);
      task = { ...task, node, splits };
      absorbed.add(p);
      tasks.delete(p);
    }
    if (root === consumer.root) return;
    const merged: PlanFragment = { ...consumer, root: localizeDynamicFilters(root) };
    byId.set(id, merged);
    tasks.set(id, [{ ...task, fragment: merged }]);
  };
  visit(rootId);
  if (absorbed.size === 0) return { fragments, placed };
  return { fragments: fragments.filter((f) => !absorbed.has(f.id)).map((f) => byId.get(f.id) ?? f), placed: tasks };
}

/** The node of the side that reads table data (its splits may be pinned), else the producer's. */
function nodeFor(consumer: PlacedTask, producer: PlacedTask): NodeInfo {
  if (consumer.splits.length > 0 || hasScan(consumer.fragment.root)) return consumer.node;
  return producer.node;
}

function hasScan(n: PhysicalNode): boolean {
  return countScans(n) > 0;
}

function countScans(n: PhysicalNode): number {
  let c = n.kind === 'table_scan' ? 1 : 0;
  for (const k of physicalChildren(n)) c += countScans(k);
  return c;
}

/** `n` with the remote_source of fragment `id` replaced by `producer`. */
function inline(n: PhysicalNode, id: number, producer: PhysicalNode): PhysicalNode {
  if (n.kind === 'remote_source') return n.fragmentId === id ? producer : n;
  return mapPhysicalChildren(n, (c) => inline(c, id, producer));
}

/** Marks dynamic filters whose producing join and target scan are both in `root` as local. */
function localizeDynamicFilters(root: PhysicalNode): PhysicalNode {
  const joins = new Set<string>();
  const scans = new Set<string>();
  const collect = (n: PhysicalNode) => {
    if (n.kind === 'hash_join') for (const d of n.dynamicFilters ?? []) if (d.remote) joins.add(d.id);
    if (n.kind === 'table_scan') for (const d of n.dynamicFilters ?? []) if (d.remote) scans.add(d.id);
    for (const c of physicalChildren(n)) collect(c);
  };
  collect(root);
  const local = new Set([...joins].filter((id) => scans.has(id)));
  if (local.size === 0) return root;
  const rewrite = (n: PhysicalNode): PhysicalNode => {
    if (n.kind === 'hash_join' && n.dynamicFilters) {
      const dynamicFilters = n.dynamicFilters.map((d) => (local.has(d.id) ? { ...d, remote: false } : d));
      return { ...n, dynamicFilters, probe: rewrite(n.probe), build: rewrite(n.build) };
    }
    if (n.kind === 'table_scan' && n.dynamicFilters) {
      return { ...n, dynamicFilters: n.dynamicFilters.map((d) => (local.has(d.id) ? { ...d, remote: false } : d)) };
    }
    return mapPhysicalChildren(n, rewrite);
  };
  return rewrite(root);
}
