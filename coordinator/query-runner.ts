// Runs a bound logical plan: optimize, fragment, schedule on the workers, stream the root
// fragment's batches. Plans that fold to constant rows are answered by the coordinator alone.
import type { RecordBatch } from 'apache-arrow';
import { valuesToBatch } from '../common/arrow/values.js';
import { type PhysicalNode, type PlanFragment, physicalChildren } from '../common/plan/physical.js';
import type { CatalogConfig, SessionInfo, Split, TaskStats } from '../common/plan/task.js';
import { dynamicFilteringEnabled, joinDistributionType } from '../common/session-properties.js';
import type { ColumnSchema } from '../common/types.js';
import type { MetaContext } from '../connectors/spi.js';
import type { CatalogManager } from './catalog/catalog-manager.js';
import { optimize } from './optimizer/optimizer.js';
import { explainText } from './planner/explain.js';
import { type FragmentedPlan, fragmentPlan } from './planner/fragmenter.js';
import type { LogicalPlan } from './planner/logical.js';
import { applySessionZone } from './planner/session-zone.js';
import type { Scheduler } from './scheduler/api.js';

export interface RunnerDeps {
  readonly catalogs: CatalogManager;
  readonly scheduler: Scheduler;
  metaContext(session: SessionInfo): MetaContext;
}

export interface PlannedQuery {
  readonly fragmented: FragmentedPlan;
  readonly optimized: LogicalPlan;
}

export interface RunningQuery {
  readonly columns: readonly ColumnSchema[];
  readonly batches: AsyncIterable<RecordBatch>;
  taskStats(): readonly TaskStats[];
}

let querySeq = 0;

export function newQueryId(): string {
  const d = new Date();
  const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}_${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  return `${stamp}_${String(querySeq++).padStart(5, '0')}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `session` carries the properties that shape the plan (dynamic filtering, join distribution). */
export function planQuery(
  plan: LogicalPlan,
  names: readonly string[],
  deps: RunnerDeps,
  session?: SessionInfo,
): PlannedQuery {
  // The session time zone made explicit first (planner/session-zone.ts), so folding sees it.
  const zoned = applySessionZone(plan, session?.timeZone ?? 'UTC');
  const optimized = optimize(zoned, { metadataOf: (c) => deps.catalogs.metadataOf(c) });
  const fragmented = fragmentPlan(optimized, names, {
    dynamicFiltering: dynamicFilteringEnabled(session?.properties),
    joinDistribution: joinDistributionType(session?.properties),
  });
  return { optimized, fragmented };
}

export function runPlanned(
  q: PlannedQuery,
  session: SessionInfo,
  signal: AbortSignal,
  deps: RunnerDeps,
  collectStats = false,
): RunningQuery {
  const { fragmented } = q;
  const root = fragmented.fragments[fragmented.rootFragmentId];
  // Constant rows (SELECT 1, VALUES of literals): no workers needed.
  if (fragmented.fragments.length === 1 && root?.root.kind === 'values') {
    const batch = valuesToBatch(root.root.rows, fragmented.output);
    return {
      columns: fragmented.output,
      batches: (async function* () {
        yield batch;
      })(),
      taskStats: () => [],
    };
  }
  const queryId = newQueryId();
  const exec = deps.scheduler.execute({
    queryId,
    fragments: fragmented.fragments,
    rootFragmentId: fragmented.rootFragmentId,
    session,
    signal,
    collectStats,
    splitsFor: (f) => splitsFor(f, session, deps),
    catalogsFor: (f) => catalogsFor(f, deps.catalogs),
  });
  return { columns: fragmented.output, batches: exec.batches, taskStats: () => exec.taskStats() };
}

async function splitsFor(f: PlanFragment, session: SessionInfo, deps: RunnerDeps): Promise<readonly Split[]> {
  const scan = findScan(f.root);
  if (!scan) return [];
  return deps.catalogs.connector(scan.catalog).splits.getSplits(scan.handle, deps.metaContext(session));
}

function catalogsFor(f: PlanFragment, catalogs: CatalogManager): readonly CatalogConfig[] {
  const names = new Set<string>();
  const walk = (n: PhysicalNode) => {
    if (n.kind === 'table_scan' || n.kind === 'table_write') names.add(n.catalog);
    for (const c of physicalChildren(n)) walk(c);
  };
  walk(f.root);
  return [...names].map((n) => catalogs.config(n)).filter((c): c is CatalogConfig => c !== undefined);
}

function findScan(n: PhysicalNode): Extract<PhysicalNode, { kind: 'table_scan' }> | undefined {
  if (n.kind === 'table_scan') return n;
  for (const c of physicalChildren(n)) {
    const scan = findScan(c);
    if (scan) return scan;
  }
  return undefined;
}

export function explainLines(q: PlannedQuery, deps: RunnerDeps, stats?: readonly TaskStats[]): string[] {
  return explainText(q.fragmented, {
    describeHandle: (catalog, handle, columns) => {
      const meta = deps.catalogs.metadataOf(catalog);
      return meta?.describeHandle?.(handle as never, columns);
    },
    ...(stats ? { stats } : {}),
  });
}
