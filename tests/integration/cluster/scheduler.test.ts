// Scheduler + worker task API + exchange, with in-process workers running a stand-in engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlError } from '../../../common/errors.js';
import type { PlanFragment } from '../../../common/plan/physical.js';
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

  it('no active workers is 53000', async () => {
    const empty = { activeWorkers: () => [], onDrop: () => () => undefined };
    const exec = createScheduler(empty).execute(scheduleRequest(twoFragmentPlan([1])));
    const err = await collectInts(exec.batches).catch((e: unknown) => e);
    expect((err as SqlError).sqlState).toBe('53000');
    expect((err as SqlError).message).toBe('no workers available');
  });
});
