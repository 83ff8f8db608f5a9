// Scheduler + worker task API + exchange, with in-process workers running a stand-in engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlError } from '../../../common/errors.js';
import { postTaskReadResults, readTaskResults, requestJson } from '../../../common/exchange/http-client.js';
import type { PlanFragment } from '../../../common/plan/physical.js';
import type { TaskSpec } from '../../../common/plan/task.js';
import { type CoordinatorHttp, startCoordinatorHttp } from '../../../coordinator/http/server.js';
import { createScheduler } from '../../../coordinator/scheduler/scheduler.js';
import { startWorker, type WorkerHandle } from '../../../worker/main.js';
import { collectInts, scheduleRequest, standInRunFragment, twoFragmentPlan, until } from './helpers.js';

let coord: CoordinatorHttp;
let workers: WorkerHandle[] = [];

beforeAll(async () => {
  coord = await startCoordinatorHttp({ host: '127.0.0.1', port: 0, nodeId: 'coordinator' });
  workers = await Promise.all(
    ['wa', 'wb'].map((nodeId) =>
      startWorker({ coordinatorUri: coord.uri, nodeId, runFragment: standInRunFragment, announceIntervalMs: 200 }),
    ),
  );
  await coord.registry.waitForWorkers(2, 5000);
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await coord?.close();
});

const X = [{ name: 'x', type: { kind: 'integer' } }] as const;

function failingProducerPlan(): PlanFragment[] {
  const values = { kind: 'values', rows: [[1]], output: X } as const;
  return [
    {
      id: 0,
      root: { kind: 'remote_source', fragmentId: 1, output: X },
      distribution: 'single',
      outputPartitioning: { kind: 'single' },
    },
    {
      id: 1,
      root: {
        kind: 'filter',
        input: values,
        predicate: { kind: 'literal', value: false, type: { kind: 'boolean' } },
        output: X,
      },
      distribution: 'hash',
      outputPartitioning: { kind: 'single' },
    },
  ];
}

function endlessProducerPlan(): PlanFragment[] {
  const values = { kind: 'values', rows: [[1]], output: X } as const;
  return [
    {
      id: 0,
      root: { kind: 'remote_source', fragmentId: 1, output: X },
      distribution: 'single',
      outputPartitioning: { kind: 'single' },
    },
    {
      id: 1,
      root: { kind: 'limit', input: values, limit: null, offset: 0, output: X },
      distribution: 'hash',
      outputPartitioning: { kind: 'single' },
    },
  ];
}

function taskSpec(queryId: string, rows: readonly number[]): TaskSpec {
  return {
    queryId,
    taskId: `${queryId}.0.0`,
    partition: 0,
    fragment: twoFragmentPlan(rows)[1]!,
    splits: [],
    sources: {},
    outputPartitions: 1,
    catalogs: [],
    session: { user: 'test', timeZone: 'UTC' },
  };
}

const runningTasks = () => workers.flatMap((w) => w.tasks.list()).filter((t) => t.state === 'running');

describe('cluster scheduler', () => {
  it('runs a 2-fragment plan with one producer task per worker and reports task stats', async () => {
    const scheduler = createScheduler(coord.registry);
    const exec = scheduler.execute(scheduleRequest(twoFragmentPlan([1, 2, 3], 'hash')));
    const rows = await collectInts(exec.batches);
    expect(rows.sort()).toEqual([1, 1, 2, 2, 3, 3]);
    const stats = exec.taskStats();
    expect(stats).toHaveLength(3);
    const producers = stats.filter((s) => s.taskId.includes('.1.'));
    expect(producers.map((s) => s.nodeId).sort()).toEqual(['wa', 'wb']);
    expect(producers.every((s) => s.outputRows === 3)).toBe(true);
    expect(stats.find((s) => s.taskId.endsWith('.0.0'))?.outputRows).toBe(6);
  });

  it('places splits on their addressed nodes and one source task per worker with splits', async () => {
    const scheduler = createScheduler(coord.registry);
    const splits = [
      { catalog: 'c', payload: 1, addresses: ['wb'] },
      { catalog: 'c', payload: 2, addresses: ['wb'] },
      { catalog: 'c', payload: 3, addresses: [] },
    ];
    const exec = scheduler.execute(scheduleRequest(twoFragmentPlan([7]), { splits }));
    expect(await collectInts(exec.batches)).toEqual([7, 7]);
    const producers = exec.taskStats().filter((s) => s.taskId.includes('.1.'));
    expect(producers.map((s) => [s.nodeId, s.splits]).sort()).toEqual([
      ['wa', 1],
      ['wb', 2],
    ]);
  });

  it('a table with zero splits still gets one source task', async () => {
    const exec = createScheduler(coord.registry).execute(scheduleRequest(twoFragmentPlan([5])));
    expect(await collectInts(exec.batches)).toEqual([5]);
    expect(exec.taskStats().filter((s) => s.taskId.includes('.1.'))).toHaveLength(1);
  });

  it('turns a producer failure into the producer SqlError and cleans up all tasks', async () => {
    const exec = createScheduler(coord.registry).execute(scheduleRequest(failingProducerPlan()));
    const err = await collectInts(exec.batches).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SqlError);
    expect((err as SqlError).sqlState).toBe('22012');
    expect((err as SqlError).message).toBe('division by zero');
    await until(() => runningTasks().length === 0, 5000, 'tasks to stop');
  });

  it('early return of the result iterator deletes every task', async () => {
    const exec = createScheduler(coord.registry).execute(scheduleRequest(endlessProducerPlan()));
    let n = 0;
    for await (const b of exec.batches) {
      n += b.numRows;
      if (n >= 5) break;
    }
    expect(n).toBeGreaterThanOrEqual(5);
    await until(() => runningTasks().length === 0, 5000, 'tasks to be aborted');
    const states = workers.flatMap((w) => w.tasks.list()).map((t) => t.state);
    expect(states).toContain('aborted');
  });

  it('the caller signal cancels the query with 57014', async () => {
    const ac = new AbortController();
    const exec = createScheduler(coord.registry).execute(scheduleRequest(endlessProducerPlan(), { signal: ac.signal }));
    setTimeout(() => ac.abort(), 200);
    const err = await collectInts(exec.batches).catch((e: unknown) => e);
    expect((err as SqlError).sqlState).toBe('57014');
    await until(() => runningTasks().length === 0, 5000, 'tasks to be aborted');
  });

  it('a worker dropped by the registry mid-query fails the query with 08006 naming it', async () => {
    const exec = createScheduler(coord.registry).execute(scheduleRequest(endlessProducerPlan()));
    const it = exec.batches[Symbol.asyncIterator]();
    await it.next();
    coord.registry.remove('wb');
    const err = await (async () => {
      for (;;) await it.next();
    })().catch((e: unknown) => e);
    expect((err as SqlError).sqlState).toBe('08006');
    expect((err as SqlError).message).toContain('wb');
    await until(() => coord.registry.activeWorkers().length === 2, 5000, 'wb to re-announce');
  });

  it('runs a one-task producer inside the root task, on the node of its splits', async () => {
    const queryId = `merged${Date.now()}`;
    const splits = [{ catalog: 'c', payload: 1, addresses: ['wb'] }];
    const req = { ...scheduleRequest(twoFragmentPlan([4, 5]), { splits, queryId }), collectStats: false };
    const exec = createScheduler(coord.registry).execute(req);
    expect(await collectInts(exec.batches)).toEqual([4, 5]);
    const tasks = workers.flatMap((w) => w.tasks.list().map((t) => ({ ...t, node: w.nodeId })));
    const mine = tasks.filter((t) => t.taskId.startsWith(`${queryId}.`));
    expect(mine.map((t) => [t.taskId, t.node, t.state])).toEqual([[`${queryId}.0.0`, 'wb', 'finished']]);
    expect(exec.taskStats().map((s) => s.splits)).toEqual([1]);
  });

  it('a results request that arrives before its task is answered once the task exists', async () => {
    const w = workers[0]!;
    const spec = taskSpec(`early${Date.now()}`, [8, 9]);
    // notFoundRetryMs 0: a 404 would fail at once; the worker holds the request instead.
    const read = collectInts(
      readTaskResults({ taskId: spec.taskId, uri: w.uri, nodeId: w.nodeId }, 0, {
        signal: new AbortController().signal,
        notFoundRetryMs: 0,
      }),
    );
    await new Promise((r) => setTimeout(r, 100));
    const res = await requestJson('POST', `${w.uri}/v1/tasks`, spec);
    expect(res.status).toBe(200);
    expect(await read).toEqual([8, 9]);
  });

  it('a task created with ?results streams its output in the POST answer; a rejected one throws its SqlError', async () => {
    const w = workers[1]!;
    const spec = taskSpec(`post${Date.now()}`, [3]);
    const source = { taskId: spec.taskId, uri: w.uri, nodeId: w.nodeId };
    const signal = new AbortController().signal;
    expect(await collectInts(postTaskReadResults(source, spec, 0, { signal }))).toEqual([3]);
    const err = await collectInts(postTaskReadResults(source, { ...spec, taskId: 7 }, 0, { signal })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SqlError);
    expect((err as SqlError).sqlState).toBe('22023');
  });

  it('no active workers is 53000', async () => {
    const empty = { activeWorkers: () => [], onDrop: () => () => undefined };
    const exec = createScheduler(empty).execute(scheduleRequest(twoFragmentPlan([1])));
    const err = await collectInts(exec.batches).catch((e: unknown) => e);
    expect((err as SqlError).sqlState).toBe('53000');
    expect((err as SqlError).message).toBe('no workers available');
  });
});
