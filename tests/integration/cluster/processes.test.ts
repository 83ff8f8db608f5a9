// Two real worker processes (bin/tributary.js worker) against the coordinator HTTP + registry.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlError } from '../../../common/errors.js';
import type { NodeInfo } from '../../../common/plan/task.js';
import { type CoordinatorHttp, startCoordinatorHttp } from '../../../coordinator/http/server.js';
import { createScheduler } from '../../../coordinator/scheduler/scheduler.js';
import {
  collectInts,
  scheduleRequest,
  spawnWorkerProcess,
  twoFragmentPlan,
  until,
  type WorkerProcess,
} from './helpers.js';

const engineReady = existsSync(fileURLToPath(new URL('../../../worker/task/run-fragment.ts', import.meta.url)));

let coord: CoordinatorHttp;
let procs: WorkerProcess[] = [];

beforeAll(async () => {
  coord = await startCoordinatorHttp({ host: '127.0.0.1', port: 0, nodeId: 'coord-it', workerExpireMs: 3000 });
  // Until the real engine exists, the workers run the stand-in engine of helpers.ts.
  const engine = engineReady ? undefined : fileURLToPath(new URL('./stand-in-engine.ts', import.meta.url));
  procs = ['pw1', 'pw2'].map((id) => spawnWorkerProcess(coord.uri, id, engine));
  await coord.registry.waitForWorkers(2, 30_000);
});

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  await coord?.close();
});

describe('worker processes', () => {
  it('register with the coordinator, which lists itself and them', async () => {
    const res = await fetch(`${coord.uri}/v1/nodes`);
    const nodes = (await res.json()) as NodeInfo[];
    expect(nodes.map((n) => [n.nodeId, n.coordinator, n.state])).toEqual([
      ['coord-it', true, 'active'],
      ['pw1', false, 'active'],
      ['pw2', false, 'active'],
    ]);
    const w = nodes.find((n) => n.nodeId === 'pw1')!;
    const info = (await (await fetch(`${w.httpUri}/v1/info`)).json()) as NodeInfo;
    expect(info).toMatchObject({ nodeId: 'pw1', coordinator: false, state: 'active', httpUri: w.httpUri });
  });

  it('run a 2-fragment plan (values -> remote_source) across the processes', async () => {
    const exec = createScheduler(coord.registry).execute(scheduleRequest(twoFragmentPlan([1, 2, 3], 'hash')));
    expect((await collectInts(exec.batches)).sort()).toEqual([1, 1, 2, 2, 3, 3]);
    expect(
      exec
        .taskStats()
        .filter((s) => s.taskId.includes('.1.'))
        .map((s) => s.nodeId)
        .sort(),
    ).toEqual(['pw1', 'pw2']);
  });

  it.skipIf(engineReady)('a worker killed mid-query fails the query with 08006 naming it', async () => {
    // fragment 1 'limit' = the stand-in's endless producer, one task per worker.
    const X = [{ name: 'x', type: { kind: 'integer' } }] as const;
    const plan = twoFragmentPlan([1], 'hash');
    const endless = [
      plan[0]!,
      { ...plan[1]!, root: { kind: 'limit', input: plan[1]!.root, limit: null, offset: 0, output: X } } as const,
    ];
    const exec = createScheduler(coord.registry).execute(scheduleRequest(endless));
    const it = exec.batches[Symbol.asyncIterator]();
    await it.next();
    await procs[1]!.stop('SIGKILL');
    const err = (await (async () => {
      for (;;) await it.next();
    })().catch((e: unknown) => e)) as SqlError;
    expect(err).toBeInstanceOf(SqlError);
    expect(err.sqlState).toBe('08006');
    expect(err.message).toContain('pw2');
  });

  it('a killed worker is dropped after the heartbeat timeout; SIGTERM exits cleanly', async () => {
    const victim = procs[1]!;
    await victim.stop('SIGKILL');
    await until(() => !coord.registry.isActive('pw2'), 8000, 'pw2 to be dropped');
    expect(coord.registry.activeWorkers().map((n) => n.nodeId)).toEqual(['pw1']);
    const survivor = procs[0]!;
    await survivor.stop('SIGTERM');
    expect(survivor.child.exitCode).toBe(0);
  });
});
