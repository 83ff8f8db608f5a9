// Folding single-task producer fragments into their single-task consumer (coordinator/scheduler/merge-tasks.ts).
import { describe, expect, it } from 'vitest';
import type { PhysicalNode, PlanFragment } from '../../../common/plan/physical.js';
import type { NodeInfo, Split } from '../../../common/plan/task.js';
import { INTEGER } from '../../../common/types.js';
import { mergeSingleTaskFragments } from '../../../coordinator/scheduler/merge-tasks.js';
import type { PlacedTask } from '../../../coordinator/scheduler/placement.js';

const X = [{ name: 'x', type: INTEGER }] as const;
const XY = [
  { name: 'x', type: INTEGER },
  { name: 'y', type: INTEGER },
] as const;

const node = (nodeId: string): NodeInfo => ({
  nodeId,
  httpUri: `http://${nodeId}`,
  nodeVersion: 't',
  coordinator: false,
  state: 'active',
});
const A = node('a');
const B = node('b');

function scan(catalog: string, dynamicFilters?: { id: string; column: number; remote: boolean }[]): PhysicalNode {
  return {
    kind: 'table_scan',
    catalog,
    handle: {},
    columns: ['x'],
    output: X,
    ...(dynamicFilters ? { dynamicFilters } : {}),
  };
}

const remote = (fragmentId: number): PhysicalNode => ({ kind: 'remote_source', fragmentId, output: X });

function fragment(id: number, root: PhysicalNode, distribution: PlanFragment['distribution']): PlanFragment {
  return { id, root, distribution, outputPartitioning: { kind: 'single' } };
}

function placed(
  fragments: readonly PlanFragment[],
  tasks: Record<number, { node: NodeInfo; splits?: Split[] }[]>,
): Map<number, PlacedTask[]> {
  return new Map(
    fragments.map((f) => [
      f.id,
      (tasks[f.id] ?? []).map((t, index) => ({ fragment: f, index, node: t.node, splits: t.splits ?? [] })),
    ]),
  );
}

const split = (addresses: string[]): Split => ({ catalog: 'memory', payload: 1, addresses });

describe('mergeSingleTaskFragments', () => {
  const limit = (input: PhysicalNode): PhysicalNode => ({ kind: 'limit', input, limit: 1, offset: 0, output: X });

  it('inlines a one-task source fragment into the root, on the node of its pinned splits', () => {
    const fragments = [fragment(1, limit(remote(0)), 'single'), fragment(0, limit(scan('memory')), 'source')];
    const splits = [split(['b'])];
    const out = mergeSingleTaskFragments(
      fragments,
      placed(fragments, { 1: [{ node: A }], 0: [{ node: B, splits }] }),
      1,
    );
    expect(out.fragments.map((f) => f.id)).toEqual([1]);
    expect(out.fragments[0]!.root).toEqual(limit(limit(scan('memory'))));
    const [task] = out.placed.get(1)!;
    expect(task!.node.nodeId).toBe('b');
    expect(task!.splits).toEqual(splits);
    expect(task!.fragment).toBe(out.fragments[0]);
    expect(out.placed.has(0)).toBe(false);
  });

  it('leaves a producer with several tasks alone', () => {
    const fragments = [fragment(1, remote(0), 'single'), fragment(0, scan('memory'), 'source')];
    const p = placed(fragments, { 1: [{ node: A }], 0: [{ node: A }, { node: B }] });
    const out = mergeSingleTaskFragments(fragments, p, 1);
    expect(out.fragments).toBe(fragments);
    expect(out.placed).toBe(p);
  });

  it('keeps at most one table scan per task: the second scan of a join stays remote', () => {
    const join: PhysicalNode = {
      kind: 'hash_join',
      joinType: 'inner',
      probe: remote(0),
      build: remote(2),
      probeKeys: [0],
      buildKeys: [0],
      residual: null,
      output: XY,
    };
    const fragments = [
      fragment(1, join, 'single'),
      fragment(0, scan('tpch'), 'source'),
      fragment(2, scan('tpch'), 'source'),
    ];
    const out = mergeSingleTaskFragments(
      fragments,
      placed(fragments, { 1: [{ node: A }], 0: [{ node: A }], 2: [{ node: B }] }),
      1,
    );
    expect(out.fragments.map((f) => f.id)).toEqual([1, 2]);
    const root = out.fragments[0]!.root as Extract<PhysicalNode, { kind: 'hash_join' }>;
    expect(root.probe.kind).toBe('table_scan');
    expect(root.build).toEqual(remote(2));
  });

  it('does not move pinned splits to a node that does not hold them', () => {
    // The consumer already reads a scan on node a; the producer's splits live on b.
    const fragments = [fragment(1, remote(0), 'single'), fragment(0, scan('memory'), 'source')];
    const p = placed(fragments, { 1: [{ node: A, splits: [split(['a'])] }], 0: [{ node: B, splits: [split(['b'])] }] });
    expect(mergeSingleTaskFragments(fragments, p, 1).fragments).toBe(fragments);
  });

  it('makes a dynamic filter local when its join and its scan end up in the same task', () => {
    const df = [{ id: 'df0', buildKey: 0, remote: true }];
    const join: PhysicalNode = {
      kind: 'hash_join',
      joinType: 'inner',
      probe: remote(0),
      build: { kind: 'values', rows: [[1]], output: X },
      probeKeys: [0],
      buildKeys: [0],
      residual: null,
      output: XY,
      dynamicFilters: df,
    };
    const fragments = [
      fragment(1, join, 'single'),
      fragment(0, scan('tpch', [{ id: 'df0', column: 0, remote: true }]), 'source'),
    ];
    const out = mergeSingleTaskFragments(fragments, placed(fragments, { 1: [{ node: A }], 0: [{ node: B }] }), 1);
    const root = out.fragments[0]!.root as Extract<PhysicalNode, { kind: 'hash_join' }>;
    expect(root.dynamicFilters).toEqual([{ id: 'df0', buildKey: 0, remote: false }]);
    expect((root.probe as Extract<PhysicalNode, { kind: 'table_scan' }>).dynamicFilters).toEqual([
      { id: 'df0', column: 0, remote: false },
    ]);
  });

  it('folds chains bottom-up: a producer first absorbs its own single-task producer', () => {
    const fragments = [
      fragment(2, remote(1), 'single'),
      fragment(1, limit(remote(0)), 'hash'),
      fragment(0, scan('tpch'), 'source'),
    ];
    const out = mergeSingleTaskFragments(
      fragments,
      placed(fragments, { 2: [{ node: A }], 1: [{ node: A }], 0: [{ node: B }] }),
      2,
    );
    expect(out.fragments.map((f) => f.id)).toEqual([2]);
    expect(out.fragments[0]!.root).toEqual(limit(scan('tpch')));
    expect(out.placed.get(2)![0]!.node.nodeId).toBe('b');
  });
});
