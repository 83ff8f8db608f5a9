// Runs a fragmented plan on the workers: places tasks, posts their specs, streams the root
// task's output, and on any failure, cancel or early return deletes every task.
import type { RecordBatch } from 'apache-arrow';
import { type SerializedSqlError, SqlError, toSqlError } from '../../common/errors.js';
import { abortReason, readTaskResults, requestJson } from '../../common/exchange/http-client.js';
import type { ExchangeSource, NodeInfo, TaskSpec, TaskStats, TaskStatus } from '../../common/plan/task.js';
import { SqlStates } from '../../common/sqlstate.js';
import { remoteFilterProducers } from '../planner/dynamic-filters.js';
import type { QueryExecution, ScheduleRequest, Scheduler } from './api.js';
import type { DynamicFilterService } from './dynamic-filters.js';
import { consumers, type PlacedTask, placeTasks, remoteSourceIds } from './placement.js';

/** What the scheduler needs from the node registry. */
export interface WorkerDirectory {
  activeWorkers(): NodeInfo[];
  onDrop(listener: (node: NodeInfo) => void): () => void;
}

export interface SchedulerOptions {
  /** How long a consumer waits for a producer task that its worker does not know yet. */
  readonly notFoundRetryMs?: number;
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
      try {
        controller.signal.throwIfAborted();
        const workers = await activeWorkersSoon(self.workers, controller.signal);
        tasks = await buildTasks(req, workers, start);
        controller.signal.throwIfAborted();
        self.opts.dynamicFilters?.register(req.queryId, expectedFilterReports(req, tasks));
        await Promise.all(tasks.map((t) => postTask(t, controller.signal)));
        const root = tasks.find((t) => t.fragment.id === req.rootFragmentId);
        if (!root) throw SqlError.internal(`root fragment ${req.rootFragmentId} has no task`);
        yield* readTaskResults(source(req.queryId, root), 0, {
          signal: controller.signal,
          ...(self.opts.notFoundRetryMs === undefined ? {} : { notFoundRetryMs: self.opts.notFoundRetryMs }),
          onEnd: (s) => stats.push(s),
        });
        finished = true;
        // Other tasks' stats cost a round trip each: only EXPLAIN ANALYZE asks for them.
        if (req.collectStats) stats.push(...(await collectStats(tasks.filter((t) => t !== root))));
      } catch (e) {
        if (controller.signal.aborted) throw abortReason(controller.signal);
        throw toSqlError(e);
      } finally {
        unsubscribe();
        self.opts.dynamicFilters?.unregister(req.queryId);
        req.signal.removeEventListener('abort', onCallerAbort);
        if (!finished && !controller.signal.aborted) {
          controller.abort(new SqlError(SqlStates.queryCanceled, 'query closed'));
        }
        // Clean-up need not hold up the client: the result is complete (or the query failed).
        void Promise.allSettled(tasks.map(deleteTask));
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

async function buildTasks(req: ScheduleRequest, workers: readonly NodeInfo[], start: number): Promise<ScheduledTask[]> {
  const placed = await placeTasks(req.fragments, workers, (f) => req.splitsFor(f), start);
  const consumerOf = consumers(req.fragments);
  const out: ScheduledTask[] = [];
  for (const fragment of req.fragments) {
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
  return out;
}

/** Remote dynamic filter id -> how many tasks (of the join's fragment) report it. */
function expectedFilterReports(req: ScheduleRequest, tasks: readonly ScheduledTask[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, fragmentId] of remoteFilterProducers(req.fragments)) {
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
  const results = await Promise.allSettled(
    tasks.map(async (t) => {
      const res = await requestJson(
        'GET',
        `${t.node.httpUri}/v1/tasks/${encodeURIComponent(t.spec.taskId)}`,
        undefined,
        {
          target: t.node.nodeId,
          timeoutMs: 5000,
        },
      );
      return res.status === 200 ? (res.body as TaskStatus).stats : undefined;
    }),
  );
  return results.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []));
}

function errorFromBody(body: unknown, fallback: string): SqlError {
  const err = (body as { error?: SerializedSqlError } | null)?.error;
  if (err && typeof err.sqlState === 'string' && typeof err.message === 'string') return SqlError.fromJSON(err);
  return new SqlError(SqlStates.connectionFailure, `${fallback}: ${JSON.stringify(body).slice(0, 200)}`);
}
