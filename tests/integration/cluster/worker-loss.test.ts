// A worker process killed between queries: the coordinator drops it on the first connection
// refused, not when its heartbeat expires (15 s), so the very next query runs on the live worker;
// a worker that announces itself again under the same id is used again.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Coordinator, startCoordinator } from '../../../coordinator/main.js';
import { spawnWorkerProcess, until, type WorkerProcess } from './helpers.js';

let coord: Coordinator;
let client: pg.Client;
const procs: WorkerProcess[] = [];

async function workerIds(): Promise<string[]> {
  const r = await client.query<{ node_id: string }>(
    'select node_id from system.runtime.nodes where not coordinator order by node_id',
  );
  return r.rows.map((x) => x.node_id);
}

// One task per live worker for the hash-partitioned final aggregation: every worker is used.
const GROUPED = 'select n_regionkey, count(*) as n from tpch.tiny.nation group by n_regionkey order by 1';

beforeAll(async () => {
  coord = await startCoordinator({ host: '127.0.0.1', pgPort: 0, httpPort: 0 });
  procs.push(spawnWorkerProcess(coord.httpUri, 'lw1'), spawnWorkerProcess(coord.httpUri, 'lw2'));
  client = new pg.Client({ host: '127.0.0.1', port: coord.pgPort, user: 'tributary', database: 'tpch' });
  await client.connect();
  await until(async () => (await workerIds()).length === 2, 30_000, 'two workers to register');
}, 60_000);

afterAll(async () => {
  await client?.end();
  await Promise.all(procs.map((p) => p.stop()));
  await coord?.close();
});

describe('worker loss between queries', () => {
  it('drops a killed worker at its first refused connection; the next query runs on the other', async () => {
    expect((await client.query(GROUPED)).rows).toHaveLength(5);
    await procs[1]!.stop('SIGKILL');
    // The first query may still have placed a task on lw2: it fails with 08006, naming it.
    const first = await client.query(GROUPED).catch((e: unknown) => e as { code: string; message: string });
    if (!('rows' in first)) {
      expect(first.code).toBe('08006');
      expect(first.message).toContain('lw2');
    }
    // No waiting for the heartbeat to expire: the next query succeeds at once.
    const next = await client.query(GROUPED);
    expect(next.rows.map((r) => Number(r.n))).toEqual([5, 5, 5, 5, 5]);
    expect(await workerIds()).toEqual(['lw1']);
  });

  it('a worker that announces itself again is used again', async () => {
    procs.push(spawnWorkerProcess(coord.httpUri, 'lw2'));
    await until(async () => (await workerIds()).length === 2, 30_000, 'lw2 to announce itself again');
    const plan = await client.query<{ 'Query Plan': string }>(`explain analyze ${GROUPED}`);
    const text = plan.rows.map((r) => r['Query Plan']).join('\n');
    expect(text).toContain('on lw1');
    expect(text).toContain('on lw2');
  });
});
