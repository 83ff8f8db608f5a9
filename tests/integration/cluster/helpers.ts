// Shared by the cluster integration tests: worker processes, stand-in fragments, plans.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RecordBatch } from 'apache-arrow';
import { makeBatch } from '../../../common/arrow/batch.js';
import type { PlanFragment } from '../../../common/plan/physical.js';
import type { CatalogConfig, Split } from '../../../common/plan/task.js';
import { INTEGER } from '../../../common/types.js';
import type { ScheduleRequest } from '../../../coordinator/scheduler/api.js';
import type { RunFragment } from '../../../worker/task/api.js';

const ENTRY = fileURLToPath(new URL('../../../bin/tributary.js', import.meta.url));

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly nodeId: string;
  readonly stderr: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** `engineModule`: path of a module exporting a stand-in `runFragment` for the worker. */
export function spawnWorkerProcess(coordinatorUri: string, nodeId: string, engineModule?: string): WorkerProcess {
  const child = spawn(process.execPath, [ENTRY, 'worker', '--coordinator', coordinatorUri, '--node-id', nodeId], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(engineModule ? { TRIBUTARY_RUN_FRAGMENT_MODULE: engineModule } : {}) },
  });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  child.stdout?.resume();
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    nodeId,
    stderr: () => err,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export function intBatch(values: readonly number[]): RecordBatch {
  return makeBatch([{ name: 'x', type: INTEGER }], values.length, [
    { values: Int32Array.from(values), validity: null },
  ]);
}

/**
 * A stand-in operator engine: `values` emits its integer rows as one batch; a remote_source
 * forwards its input; a `filter` whose predicate is the literal `false` fails with 22012
 * (a way to make a producer fail); everything else is unsupported.
 */
export const standInRunFragment: RunFragment = (root, inputs, ctx) => {
  async function* run(): AsyncGenerator<RecordBatch> {
    switch (root.kind) {
      case 'values':
        yield intBatch(root.rows.map((r) => Number(r[0])));
        return;
      case 'remote_source':
        for await (const b of inputs.remote(root.fragmentId)) {
          ctx.signal.throwIfAborted();
          yield b;
        }
        return;
      case 'filter': {
        const { SqlError } = await import('../../../common/errors.js');
        throw new SqlError('22012', 'division by zero');
      }
      case 'limit': {
        // Slow infinite producer of 1-row batches (for cancellation tests).
        for (let i = 0; ; i++) {
          ctx.signal.throwIfAborted();
          yield intBatch([i]);
          await new Promise((r) => setTimeout(r, 5));
        }
      }
      default:
        throw new Error(`stand-in cannot run ${root.kind}`);
    }
  }
  return { batches: run(), stats: () => [] };
};

const X = [{ name: 'x', type: INTEGER }] as const;

/** fragment 1 (values, source) -> fragment 0 (remote_source, single). */
export function twoFragmentPlan(rows: readonly number[], distribution: 'source' | 'hash' = 'source'): PlanFragment[] {
  return [
    {
      id: 0,
      root: { kind: 'remote_source', fragmentId: 1, output: X },
      distribution: 'single',
      outputPartitioning: { kind: 'single' },
    },
    {
      id: 1,
      root: { kind: 'values', rows: rows.map((v) => [v]), output: X },
      distribution,
      outputPartitioning: { kind: 'single' },
    },
  ];
}

export function scheduleRequest(
  fragments: readonly PlanFragment[],
  opts: { signal?: AbortSignal; splits?: readonly Split[]; queryId?: string } = {},
): ScheduleRequest {
  const catalogs: CatalogConfig[] = [];
  return {
    queryId: opts.queryId ?? `q${Math.floor(Math.random() * 1e9)}`,
    fragments,
    rootFragmentId: 0,
    splitsFor: async () => opts.splits ?? [],
    catalogsFor: () => catalogs,
    session: { user: 'test', timeZone: 'UTC' },
    signal: opts.signal ?? new AbortController().signal,
    // The tests check which node ran which task: gather every task's stats.
    collectStats: true,
  };
}

export async function collectInts(batches: AsyncIterable<RecordBatch>): Promise<number[]> {
  const out: number[] = [];
  for await (const b of batches) for (const v of b.getChildAt(0)!) out.push(Number(v));
  return out;
}

export async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
