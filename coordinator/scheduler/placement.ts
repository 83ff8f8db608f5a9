// Where each fragment's tasks run, and how fragments feed each other.
import { assertNever } from '../../common/assert.js';
import { SqlError } from '../../common/errors.js';
import { fnv1a } from '../../common/hash.js';
import { type PhysicalNode, type PlanFragment, physicalChildren } from '../../common/plan/physical.js';
import type { NodeInfo, Split } from '../../common/plan/task.js';
import { SqlStates } from '../../common/sqlstate.js';

export interface PlacedTask {
  readonly fragment: PlanFragment;
  readonly index: number;
  readonly node: NodeInfo;
  readonly splits: readonly Split[];
}

/** Fragment ids read by remote_source nodes of `root`. */
export function remoteSourceIds(root: PhysicalNode): number[] {
  const ids: number[] = [];
  const walk = (n: PhysicalNode) => {
    if (n.kind === 'remote_source') ids.push(n.fragmentId);
    for (const c of physicalChildren(n)) walk(c);
  };
  walk(root);
  return ids;
}

/** producer fragment id -> consumer fragment id. */
export function consumers(fragments: readonly PlanFragment[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const f of fragments) {
    for (const id of remoteSourceIds(f.root)) {
      const prev = m.get(id);
      if (prev !== undefined && prev !== f.id) {
        throw SqlError.internal(`fragment ${id} is read by fragments ${prev} and ${f.id}`);
      }
      m.set(id, f.id);
    }
  }
  return m;
}

/**
 * Spreads splits over workers: a split with addresses goes to the least loaded of its active
 * addressed nodes (any worker if none is active). The others go to the worker their payload
 * hashes to (rendezvous hashing over node ids), so the same split lands on the same worker query
 * after query and finds its decoded columns in that worker's cache (the lake's column cache),
 * unless that worker already has `slack` more splits than the least loaded one.
 * Returns worker index -> splits, only for workers that got any.
 */
export function assignSplits(splits: readonly Split[], workers: readonly NodeInfo[], start: number): Split[][] {
  const load: Split[][] = workers.map(() => []);
  const order = workers.map((_, i) => (i + start) % workers.length);
  const leastLoaded = (candidates: readonly number[]) => {
    let best = candidates[0]!;
    for (const i of candidates) if (load[i]!.length < load[best]!.length) best = i;
    return best;
  };
  const pinned = splits.filter((s) => s.addresses.length > 0);
  const free = splits.filter((s) => s.addresses.length === 0);
  for (const s of pinned) {
    const candidates = order.filter((i) => s.addresses.includes(workers[i]!.nodeId));
    load[leastLoaded(candidates.length > 0 ? candidates : order)]!.push(s);
  }
  // none with few splits: spreading them over the workers matters more than any cache
  const slack = Math.floor(free.length / workers.length / 4);
  for (const s of free) {
    const least = leastLoaded(order);
    const preferred = affinity(s, workers);
    load[load[preferred]!.length <= load[least]!.length + slack ? preferred : least]!.push(s);
  }
  return load;
}

/** The worker a split prefers: highest hash of (payload, node id); stable as workers come and go. */
function affinity(s: Split, workers: readonly NodeInfo[]): number {
  const key = JSON.stringify(s.payload);
  let best = 0;
  let bestHash = -1;
  workers.forEach((w, i) => {
    const h = mixedHash(`${w.nodeId}\0${key}`);
    if (h > bestHash) {
      best = i;
      bestHash = h;
    }
  });
  return best;
}

/** FNV-1a with a final mix, so keys differing in their last characters spread over all workers. */
function mixedHash(text: string): number {
  let h = fnv1a(text);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

export async function placeTasks(
  fragments: readonly PlanFragment[],
  workers: readonly NodeInfo[],
  splitsFor: (f: PlanFragment) => Promise<readonly Split[]>,
  start: number,
): Promise<Map<number, PlacedTask[]>> {
  if (workers.length === 0) throw new SqlError(SqlStates.insufficientResources, 'no workers available');
  // All source fragments' splits at once: enumerating them may ask a remote database or list files.
  const sourceSplits = new Map(
    await Promise.all(
      fragments.filter((f) => f.distribution === 'source').map(async (f) => [f.id, await splitsFor(f)] as const),
    ),
  );
  const placed = new Map<number, PlacedTask[]>();
  const pick = (offset: number) => workers[(start + offset) % workers.length]!;
  let offset = 0;
  for (const fragment of fragments) {
    const tasks: PlacedTask[] = [];
    switch (fragment.distribution) {
      case 'source': {
        const splits = sourceSplits.get(fragment.id) ?? [];
        const perWorker = assignSplits(splits, workers, start + offset);
        perWorker.forEach((s, i) => {
          if (s.length > 0) tasks.push({ fragment, index: tasks.length, node: workers[i]!, splits: s });
        });
        if (tasks.length === 0) tasks.push({ fragment, index: 0, node: pick(offset), splits: [] });
        break;
      }
      case 'hash':
        for (const [index, node] of workers.entries()) tasks.push({ fragment, index, node, splits: [] });
        break;
      case 'single':
        tasks.push({ fragment, index: 0, node: pick(offset), splits: [] });
        break;
      default:
        assertNever(fragment.distribution, 'fragment distribution');
    }
    offset++;
    placed.set(fragment.id, tasks);
  }
  return placed;
}
