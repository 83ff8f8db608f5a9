// Tasks of one worker: runs each fragment into its OutputBuffer, serves its partitions,
// aborts on request, and forgets finished tasks after a while.
import { type SerializedSqlError, SqlError, toSqlError } from '../../common/errors.js';
import type { TaskSpec, TaskState, TaskStats, TaskStatus } from '../../common/plan/task.js';
import { dynamicFilterWaitMs } from '../../common/session-properties.js';
import { SqlStates } from '../../common/sqlstate.js';
import { OutputBuffer, type PartitionFn, type PartitionReader } from '../exchange/output-buffer.js';
import type { RunFragment } from './api.js';
import type { ConnectorCache } from './connector-cache.js';
import { TaskDynamicFilters } from './dynamic-filters.js';
import { taskInputs } from './task-inputs.js';

export interface TaskManagerOptions {
  readonly nodeId: string;
  /** Where tasks report and fetch dynamic filters that cross fragments (none without it). */
  readonly coordinatorUri?: string;
  readonly connectors: ConnectorCache;
  /** The operator engine; defaults to ./run-fragment.js, loaded on first task. */
  readonly runFragment?: RunFragment;
  readonly partitionBatch?: PartitionFn;
  readonly maxBufferedBytes?: number;
  /** How long a finished task whose output was fully delivered stays queryable. */
  readonly retentionMs?: number;
  /** How long a finished/aborted task keeps output nobody fetched. */
  readonly unfetchedRetentionMs?: number;
}

interface Task {
  readonly spec: TaskSpec;
  state: TaskState;
  error?: SerializedSqlError;
  stats?: TaskStats;
  readonly controller: AbortController;
  readonly output: OutputBuffer;
  cleanup?: NodeJS.Timeout;
}

export class TaskManager {
  private readonly tasks = new Map<string, Task>();
  /** Result requests that arrived before their task (see waitForTask). */
  private readonly creationWaiters = new Map<string, Set<() => void>>();
  private runFragment: RunFragment | undefined;

  constructor(private readonly opts: TaskManagerOptions) {
    this.runFragment = opts.runFragment;
  }

  get size(): number {
    return this.tasks.size;
  }

  /** Creates and starts a task; creating an existing task id again is a no-op. */
  create(spec: TaskSpec): void {
    if (this.tasks.has(spec.taskId)) return;
    validateSpec(spec);
    const controller = new AbortController();
    const output = new OutputBuffer({
      partitions: spec.outputPartitions,
      partitioning: spec.fragment.outputPartitioning,
      ...(this.opts.maxBufferedBytes === undefined ? {} : { maxBufferedBytes: this.opts.maxBufferedBytes }),
      ...(this.opts.partitionBatch ? { partitionBatch: this.opts.partitionBatch } : {}),
      // Every consumer went away (e.g. a LIMIT was satisfied downstream): stop working.
      onAllAbandoned: () => controller.abort(new SqlError(SqlStates.queryCanceled, 'all consumers left')),
    });
    const task: Task = { spec, state: 'running', controller, output };
    this.tasks.set(spec.taskId, task);
    const waiters = this.creationWaiters.get(spec.taskId);
    if (waiters) {
      this.creationWaiters.delete(spec.taskId);
      for (const w of waiters) w();
    }
    void this.run(task);
  }

  /**
   * Resolves true once task `taskId` exists, false after `timeoutMs` or when `signal` aborts.
   * The scheduler posts all tasks of a query at once, so a consumer's request for a producer's
   * results can arrive before the producer's own POST: it waits here for it (a long poll),
   * instead of a 404 that the consumer would answer with a sleep and a retry.
   */
  waitForTask(taskId: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.tasks.has(taskId)) return Promise.resolve(true);
    if (signal?.aborted || timeoutMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (created: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const set = this.creationWaiters.get(taskId);
        set?.delete(onCreate);
        if (set?.size === 0) this.creationWaiters.delete(taskId);
        resolve(created);
      };
      const onCreate = () => done(true);
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      timer.unref();
      signal?.addEventListener('abort', onAbort, { once: true });
      let set = this.creationWaiters.get(taskId);
      if (!set) {
        set = new Set();
        this.creationWaiters.set(taskId, set);
      }
      set.add(onCreate);
    });
  }

  status(taskId: string): TaskStatus | undefined {
    const t = this.tasks.get(taskId);
    if (!t) return undefined;
    return {
      taskId,
      state: t.state,
      ...(t.error ? { error: t.error } : {}),
      ...(t.stats ? { stats: t.stats } : {}),
    };
  }

  list(): TaskStatus[] {
    return [...this.tasks.keys()].map((id) => this.status(id)!);
  }

  /** Idempotent; unknown ids are ignored. */
  abort(taskId: string): void {
    const t = this.tasks.get(taskId);
    if (!t) return;
    if (t.state === 'running') {
      t.controller.abort(new SqlError(SqlStates.queryCanceled, `task ${taskId} aborted`));
      t.output.abort(`task ${taskId} aborted`);
      t.state = 'aborted';
    }
    this.scheduleCleanup(t, this.opts.retentionMs ?? 10_000);
  }

  /** Reader of one output partition, or undefined when the task is unknown. Throws on a bad/busy partition. */
  reader(taskId: string, part: number): PartitionReader | undefined {
    const t = this.tasks.get(taskId);
    if (!t) return undefined;
    const reader = t.output.reader(part);
    return {
      next: () => reader.next(),
      close: () => {
        reader.close();
        if (t.state !== 'running' && t.output.isDrained()) this.scheduleCleanup(t, this.opts.retentionMs ?? 10_000);
      },
    };
  }

  close(): void {
    for (const waiters of [...this.creationWaiters.values()]) for (const w of [...waiters]) w();
    this.creationWaiters.clear();
    for (const id of [...this.tasks.keys()]) this.abort(id);
    for (const t of this.tasks.values()) if (t.cleanup) clearTimeout(t.cleanup);
    this.tasks.clear();
  }

  private async run(task: Task): Promise<void> {
    const { spec, controller, output } = task;
    const started = performance.now();
    const ctx = { signal: controller.signal, session: spec.session, nodeId: this.opts.nodeId };
    let operators: () => TaskStats['operators'] = () => [];
    const stats = (): TaskStats => ({
      taskId: spec.taskId,
      nodeId: this.opts.nodeId,
      splits: spec.splits.length,
      outputRows: output.outputRows,
      outputBytes: output.outputBytes,
      elapsedMs: performance.now() - started,
      operators: operators(),
    });
    try {
      const runFragment = this.runFragment ?? (await this.loadRunFragment());
      const filters = new TaskDynamicFilters({
        queryId: spec.queryId,
        taskId: spec.taskId,
        ...(this.opts.coordinatorUri === undefined ? {} : { coordinatorUri: this.opts.coordinatorUri }),
        waitMs: dynamicFilterWaitMs(spec.session.properties),
        signal: controller.signal,
      });
      const run = runFragment(spec.fragment.root, taskInputs(spec, this.opts.connectors, ctx, filters), ctx);
      operators = () => run.stats();
      for await (const batch of run.batches) {
        controller.signal.throwIfAborted();
        await output.add(batch);
      }
      controller.signal.throwIfAborted();
      task.stats = stats();
      task.state = 'finished';
      output.finish(task.stats);
    } catch (e) {
      if (controller.signal.aborted) {
        // A consumer that has what it needs (a LIMIT) stops its producers early: what they did
        // still belongs in EXPLAIN ANALYZE.
        task.stats = stats();
        task.state = 'aborted';
        output.abort(`task ${spec.taskId} aborted`);
      } else {
        task.state = 'failed';
        task.error = toSqlError(e).toJSON();
        output.fail(task.error);
      }
    }
    const delivered = output.isDrained();
    this.scheduleCleanup(
      task,
      delivered || task.state === 'aborted'
        ? (this.opts.retentionMs ?? 10_000)
        : (this.opts.unfetchedRetentionMs ?? 15 * 60_000),
    );
  }

  private scheduleCleanup(task: Task, afterMs: number): void {
    if (task.cleanup) clearTimeout(task.cleanup);
    task.cleanup = setTimeout(() => {
      if (this.tasks.get(task.spec.taskId) === task) this.tasks.delete(task.spec.taskId);
    }, afterMs);
    task.cleanup.unref();
  }

  private async loadRunFragment(): Promise<RunFragment> {
    const mod = await import('./run-fragment.js');
    this.runFragment = mod.runFragment as RunFragment;
    return this.runFragment;
  }
}

function validateSpec(spec: TaskSpec): void {
  const ok =
    typeof spec.taskId === 'string' &&
    typeof spec.queryId === 'string' &&
    Number.isInteger(spec.partition) &&
    Number.isInteger(spec.outputPartitions) &&
    spec.outputPartitions >= 1 &&
    typeof spec.fragment === 'object' &&
    spec.fragment !== null &&
    Array.isArray(spec.splits) &&
    Array.isArray(spec.catalogs);
  if (!ok) throw new SqlError(SqlStates.invalidParameterValue, 'malformed task spec');
}
