// Starting a coordinator with local worker processes (`tributary start`, embedded `query`).
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { requestJson, sleep } from '../common/exchange/http-client.js';
import type { NodeInfo } from '../common/plan/task.js';

export interface CoordinatorFlags {
  readonly host: string;
  readonly pgPort: number;
  readonly httpPort: number;
  readonly catalogsDir?: string;
}

export interface RunningCoordinator {
  readonly pgPort: number;
  readonly httpPort: number;
  readonly httpUri: string;
  close(): Promise<void>;
}

export async function startCoordinatorProcess(flags: CoordinatorFlags): Promise<RunningCoordinator> {
  const { startCoordinator } = await import('../coordinator/main.js');
  return startCoordinator({
    host: flags.host,
    pgPort: flags.pgPort,
    httpPort: flags.httpPort,
    ...(flags.catalogsDir === undefined ? {} : { catalogsDir: flags.catalogsDir }),
  });
}

const ENTRY = fileURLToPath(new URL('./tributary.js', import.meta.url));

/** Spawns a worker process attached by an IPC channel: it exits when this process goes away. */
export function spawnWorker(coordinatorUri: string, host: string, index: number): ChildProcess {
  return spawn(
    process.execPath,
    [
      ENTRY,
      'worker',
      '--coordinator',
      coordinatorUri,
      '--host',
      host,
      '--node-id',
      `worker-${index + 1}-${process.pid}`,
      '--attached',
    ],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
}

export async function waitForWorkers(httpUri: string, n: number, timeoutMs: number): Promise<NodeInfo[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await requestJson('GET', `${httpUri}/v1/nodes`).catch(() => undefined);
    const workers = res?.status === 200 ? (res.body as NodeInfo[]).filter((x) => !x.coordinator) : [];
    if (workers.length >= n) return workers;
    if (Date.now() > deadline) throw new Error(`only ${workers.length} of ${n} workers registered in ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when every child exited. */
export async function stopChildren(children: readonly ChildProcess[], graceMs = 5000): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) {
            resolve();
            return;
          }
          const kill = setTimeout(() => c.kill('SIGKILL'), graceMs);
          c.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          c.kill('SIGTERM');
        }),
    ),
  );
}
