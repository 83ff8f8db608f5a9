// Runs a fragmented plan on the workers: places tasks, posts their specs, streams the root
// task's output, and on any failure, cancel or early return deletes every task.
import type { RecordBatch } from 'apache-arrow';
import { type SerializedSqlError, SqlError, toSqlError } from '../../common/errors.js';
import { abortReason, postTaskReadResults, requestJson } from '../../common/exchange/http-client.js';
import type { PlanFragment } from '../../common/plan/physical.js';
import type { ExchangeSource, NodeInfo, TaskSpec, TaskStats, TaskStatus } from '../../common/plan/task.js';
import { SqlStates } from '../../common/sqlstate.js';
import { remoteFilterProducers } from '../planner/dynamic-filters.js';
import type { QueryExecution, ScheduleRequest, Scheduler } from './api.js';
import type { DynamicFilterService } from './dynamic-filters.js';
import { mergeSingleTaskFragments } from './merge-tasks.js';
import { nodeGone } from './node-probe.js';
import { consumers, type PlacedTask, placeTasks, remoteSourceIds } from './placement.js';

/** What the scheduler needs from the node registry. */
export interface WorkerDirectory {
  activeWorkers(): NodeInfo[];
  onDrop(listener: (node: NodeInfo) => void): () => void;
  /**
   * Drops a worker that refuses connections, at once rather than when its heartbeat expires;
   * it is back with its next announcement.
   */
  remove?(nodeId: string): void;
}

export interface SchedulerOptions {
  /** Collects the dynamic filters that cross fragments (workers report and fetch them over HTTP). */
  readonly dynamicFilters?: DynamicFilterService;
}

interface ScheduledTask extends PlacedTask {
  readonly spec: TaskSpec;
}

export class ClusterScheduler implements Scheduler {
  private nextStart = 0;

  constructor(
    private readonly workers: WorkerDirectory,
    private readonly opts: SchedulerOptions = {},
  ) {}

  execute(req: ScheduleRequest): QueryExecution {
    const controller = new AbortController();
    const onCallerAbort = () => controller.abort(req.signal.reason);
    if (req.signal.aborted) onCallerAbort();
    else req.signal.addEventListener('abort', onCallerAbort, { once: true });
    const stats: TaskStats[] = [];
    const start = this.nextStart++;
    const self = this;

    async function* run(): AsyncGenerator<RecordBatch, void, undefined> {
      let tasks: ScheduledTask[] = [];
      const unsubscribe = self.workers.onDrop((node) => {
        if (tasks.some((t) => t.node.nodeId === node.nodeId)) {
          controller.abort(
            new SqlError(SqlStates.connectionFailure, `worker ${node.nodeId} (${node.httpUri}) stopped responding`),
          );
        }
      });
      let finished = false;
      let rootEnded: ScheduledTask | undefined;
      /** Each task's POST: its DELETE must not overtake it (the worker would then run an orphan). */
      const posts = new Map<ScheduledTask, Promise<void>>();
      try {
        controller.signal.throwIfAborted();
        const workers = await activeWorkersSoon(self.workers, controller.signal);
        const built = await buildTasks(req, workers, start);
        tasks = built.tasks;
        controller.signal.throwIfAborted();
        self.opts.dynamicFilters?.register(req.queryId, expectedFilterReports(built.fragments, tasks));
        const root = tasks.find((t) => t.fragment.id === req.rootFragmentId);
        if (!root) throw SqlError.internal(`root fragment ${req.rootFragmentId} has no task`);
        // All tasks at once; the root's POST answers with its results (no separate GET). A
        // failed POST aborts the query, and with it the root's stream.
        for (const t of tasks) if (t !== root) posts.set(t, postTask(t, controller.signal));
        const others = Promise.all(posts.values());
        others.catch((e: unknown) => controller.abort(toSqlError(e)));
        posts.set(root, Promise.resolve());
        yield* postTaskReadResults(source(req.queryId, root), root.spec, 0, {
          signal: controller.signal,
          onEnd: (s) => {
            rootEnded = root;
            stats.push(s);
          },
        });
        await others;
        finished = true;
        // Other tasks' stats cost a round trip each: only EXPLAIN ANALYZE asks for them.
        if (req.collectStats) stats.push(...(await collectStats(tasks.filter((t) => t !== root))));
      } catch (e) {
        const err = controller.signal.aborted ? abortReason(controller.signal) : toSqlError(e);
        if (err.sqlState === SqlStates.connectionFailure) await dropGoneWorkers(self.workers, tasks);
        throw err;
      } finally {
        unsubscribe();
        self.opts.dynamicFilters?.unregister(req.queryId);
        req.signal.removeEventListener('abort', onCallerAbort);
        if (!finished && !controller.signal.aborted) {
          controller.abort(new SqlError(SqlStates.queryCanceled, 'query closed'));
        }
        // Clean-up need not hold up the client: the result is complete (or the query failed).
        // A task whose END frame arrived is finished, and its worker forgets it by itself.
        for (const t of tasks) {
          if (t === rootEnded) continue;
          const posted = posts.get(t);
          const del = () => deleteTask(t);
          if (posted) void posted.then(del, del).catch(() => undefined);
        }
      }
    }

    return {
      batches: run(),
      taskStats: () => stats,
      cancel: (reason?: unknown) =>
        controller.abort(reason ?? new SqlError(SqlStates.queryCanceled, 'canceling statement due to user request')),
    };
  }
}

/** Right after start-up workers may not have announced themselves yet: wait a little for one. */
const WORKER_WAIT_MS = 10_000;

async function activeWorkersSoon(dir: WorkerDirectory, signal: AbortSignal): Promise<NodeInfo[]> {
  const deadline = Date.now() + WORKER_WAIT_MS;
  let workers = dir.activeWorkers();
  while (workers.length === 0 && Date.now() < deadline && !signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    workers = dir.activeWorkers();
  }
  return workers;
}

export function createScheduler(workers: WorkerDirectory, opts?: SchedulerOptions): Scheduler {
  return new ClusterScheduler(workers, opts);
}

/**
 * After a connection failure (a task POST, the root's results, or an exchange between workers,
 * relayed as the consumer's error): the query's workers that refuse a new connection are dropped
 * from the registry, so the next query is placed on the live ones rather than failing until the
 * heartbeat expires. Bounded by the probe's timeout.
 */
async function dropGoneWorkers(dir: WorkerDirectory, tasks: readonly ScheduledTask[]): Promise<void> {
  if (!dir.remove) return;
  const nodes = new Map<string, NodeInfo>();
  for (const t of tasks) nodes.set(t.node.nodeId, t.node);
  const gone = await Promise.all([...nodes.values()].map(async (n) => ((await nodeGone(n.httpUri)) ? n : undefined)));
  for (const n of gone) if (n) dir.remove(n.nodeId);
}

async function buildTasks(
  req: ScheduleRequest,
  workers: readonly NodeInfo[],
  start: number,
): Promise<{ tasks: ScheduledTask[]; fragments: readonly PlanFragment[] }> {
  const initial = await placeTasks(req.fragments, workers, (f) => req.splitsFor(f), start);
  // EXPLAIN ANALYZE reports per fragment of the plan it printed: nothing is merged for it.
  const { fragments, placed } = req.collectStats
    ? { fragments: req.fragments, placed: initial }
    : mergeSingleTaskFragments(req.fragments, initial, req.rootFragmentId);
  const consumerOf = consumers(fragments);
  const out: ScheduledTask[] = [];
  for (const fragment of fragments) {
    const consumer = consumerOf.get(fragment.id);
    const outputPartitions = consumer === undefined ? 1 : (placed.get(consumer)?.length ?? 1);
    const sources: Record<number, readonly ExchangeSource[]> = {};
    for (const id of remoteSourceIds(fragment.root)) {
      const producers = placed.get(id);
      if (!producers) throw SqlError.internal(`fragment ${fragment.id} reads unknown fragment ${id}`);
      sources[id] = producers.map((p) => source(req.queryId, p));
    }
    const catalogs = req.catalogsFor(fragment);
    for (const t of placed.get(fragment.id) ?? []) {
      out.push({
        ...t,
        spec: {
          queryId: req.queryId,
          taskId: taskId(req.queryId, fragment.id, t.index),
          partition: t.index,
          fragment,
          splits: t.splits,
          sources,
          outputPartitions,
          catalogs,
          session: req.session,
        },
      });
    }
  }
  return { tasks: out, fragments };
}

/** Remote dynamic filter id -> how many tasks (of the join's fragment) report it. */
function expectedFilterReports(
  fragments: readonly PlanFragment[],
  tasks: readonly ScheduledTask[],
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, fragmentId] of remoteFilterProducers(fragments)) {
    out.set(id, tasks.filter((t) => t.fragment.id === fragmentId).length);
  }
  return out;
}

function taskId(queryId: string, fragmentId: number, index: number): string {
  return `${queryId}.${fragmentId}.${index}`;
}

function source(queryId: string, t: PlacedTask): ExchangeSource {
  return { taskId: taskId(queryId, t.fragment.id, t.index), uri: t.node.httpUri, nodeId: t.node.nodeId };
}

async function postTask(t: ScheduledTask, signal: AbortSignal): Promise<void> {
  const res = await requestJson('POST', `${t.node.httpUri}/v1/tasks`, t.spec, {
    signal,
    target: t.node.nodeId,
    timeoutMs: 30_000,
  });
  if (res.status !== 200) throw errorFromBody(res.body, `worker ${t.node.nodeId} rejected task ${t.spec.taskId}`);
}

async function deleteTask(t: ScheduledTask): Promise<void> {
  await requestJson('DELETE', `${t.node.httpUri}/v1/tasks/${encodeURIComponent(t.spec.taskId)}`, undefined, {
    target: t.node.nodeId,
    timeoutMs: 5000,
  });
}

async function collectStats(tasks: readonly ScheduledTask[]): Promise<TaskStats[]> {
  // The root has all rows once its producers sent their last batch, but a producer records its
  // stats only when its pipeline has wound down: ask again until they are there (bounded).
  const deadline = Date.now() + 10_000;
  const results = await Promise.allSettled(
    tasks.map(async (t) => {
      for (;;) {
        const res = await requestJson(
          'GET',
          `${t.node.httpUri}/v1/tasks/${encodeURIComponent(t.spec.taskId)}`,
          undefined,
          {
            target: t.node.nodeId,
            timeoutMs: 5000,
          },
        );
        const status = res.status === 200 ? (res.body as TaskStatus) : undefined;
        if (status?.stats || status?.state !== 'running' || Date.now() > deadline) return status?.stats;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }),
  );
  return results.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []));
}

function errorFromBody(body: unknown, fallback: string): SqlError {
  const err = (body as { error?: SerializedSqlError } | null)?.error;
  if (err && typeof err.sqlState === 'string' && typeof err.message === 'string') return SqlError.fromJSON(err);
  return new SqlError(SqlStates.connectionFailure, `${fallback}: ${JSON.stringify(body).slice(0, 200)}`);
}
