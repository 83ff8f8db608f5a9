// The coordinator's side of dynamic filters that cross fragments (common/plan/dynamic-filter.ts):
// the scheduler registers a query's remote filters with the number of join tasks that will
// report each; reports are merged, and waiting probe scans get the merged summary once the last
// report is in. Ending a query answers every waiter with null (the scan then reads unfiltered).
import { type DynamicFilterSummary, mergeSummaries } from '../../common/plan/dynamic-filter.js';

interface FilterState {
  readonly expected: number;
  readonly reported: Set<string>;
  merged: DynamicFilterSummary | undefined;
  done: boolean;
  readonly waiters: Set<(s: DynamicFilterSummary | null) => void>;
}

export class DynamicFilterService {
  private readonly queries = new Map<string, Map<string, FilterState>>();

  /** `expected`: filter id -> number of tasks that report it. */
  register(queryId: string, expected: ReadonlyMap<string, number>): void {
    if (expected.size === 0) return;
    const filters = new Map<string, FilterState>();
    for (const [id, n] of expected) {
      filters.set(id, { expected: n, reported: new Set(), merged: undefined, done: false, waiters: new Set() });
    }
    this.queries.set(queryId, filters);
  }

  /** Forgets the query; scans still waiting get null. */
  unregister(queryId: string): void {
    const filters = this.queries.get(queryId);
    if (!filters) return;
    this.queries.delete(queryId);
    for (const f of filters.values()) for (const w of f.waiters) w(null);
  }

  /** A join task's partial summary; a task reporting twice counts once. False when unknown. */
  report(queryId: string, filterId: string, taskId: string, summary: DynamicFilterSummary): boolean {
    const f = this.queries.get(queryId)?.get(filterId);
    if (!f) return false;
    if (f.done || f.reported.has(taskId)) return true;
    f.reported.add(taskId);
    f.merged = f.merged === undefined ? summary : mergeSummaries(f.merged, summary);
    if (f.reported.size >= f.expected) {
      f.done = true;
      const merged = f.merged;
      for (const w of f.waiters) w(merged);
      f.waiters.clear();
    }
    return true;
  }

  /** The merged summary once every task reported, or null after `waitMs` (or for unknown queries). */
  wait(queryId: string, filterId: string, waitMs: number, signal?: AbortSignal): Promise<DynamicFilterSummary | null> {
    const f = this.queries.get(queryId)?.get(filterId);
    if (!f) return Promise.resolve(null);
    if (f.done && f.merged !== undefined) return Promise.resolve(f.merged);
    return new Promise((resolve) => {
      const finish = (s: DynamicFilterSummary | null) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        f.waiters.delete(finish);
        resolve(s);
      };
      const onAbort = () => finish(null);
      const timer = setTimeout(() => finish(null), Math.max(0, waitMs));
      f.waiters.add(finish);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Queries with registered filters (for tests: none may be left once queries end). */
  get size(): number {
    return this.queries.size;
  }
}
