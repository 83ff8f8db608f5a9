// A worker process: task HTTP API + periodic announcement to the coordinator.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { closeServer, listen, nodeVersion, uriHost } from '../common/exchange/http-server-util.js';
import type { NodeInfo } from '../common/plan/task.js';
import type { PartitionFn } from './exchange/output-buffer.js';
import { startAnnouncer } from './task/announcer.js';
import type { RunFragment } from './task/api.js';
import { ConnectorCache, type CreateConnector } from './task/connector-cache.js';
import { TaskManager } from './task/task-manager.js';
import { workerRequestHandler } from './task/worker-http.js';

export interface WorkerOptions {
  readonly coordinatorUri: string;
  readonly host?: string;
  /** 0 = ephemeral. */
  readonly port?: number;
  readonly nodeId?: string;
  /** Announcement period (default 1 s). */
  readonly announceIntervalMs?: number;
  /** If set, `onCoordinatorLost` is called when no announcement succeeded for this long. */
  readonly coordinatorLossTimeoutMs?: number;
  readonly onCoordinatorLost?: () => void;
  readonly onLog?: (message: string) => void;
  // Test seams: defaults are the real engine, partitioner and connector registry.
  readonly runFragment?: RunFragment;
  readonly partitionBatch?: PartitionFn;
  readonly createConnector?: CreateConnector;
  readonly maxBufferedBytes?: number;
}

export interface WorkerHandle {
  readonly nodeId: string;
  readonly uri: string;
  readonly tasks: TaskManager;
  /** Resolves once the coordinator accepted the first announcement. */
  readonly registered: Promise<void>;
  close(): Promise<void>;
}

export async function startWorker(opts: WorkerOptions): Promise<WorkerHandle> {
  const host = opts.host ?? '127.0.0.1';
  const nodeId = opts.nodeId ?? `worker-${randomUUID().slice(0, 8)}`;
  const connectors = new ConnectorCache(nodeId, opts.createConnector);
  const tasks = new TaskManager({
    nodeId,
    coordinatorUri: opts.coordinatorUri,
    connectors,
    ...(opts.runFragment ? { runFragment: opts.runFragment } : {}),
    ...(opts.partitionBatch ? { partitionBatch: opts.partitionBatch } : {}),
    ...(opts.maxBufferedBytes === undefined ? {} : { maxBufferedBytes: opts.maxBufferedBytes }),
  });
  let uri = '';
  let state: NodeInfo['state'] = 'active';
  const info = (): NodeInfo => ({ nodeId, httpUri: uri, nodeVersion: nodeVersion(), coordinator: false, state });
  const server = http.createServer({ keepAliveTimeout: 30_000 }, workerRequestHandler(tasks, info));
  const port = await listen(server, opts.port ?? 0, host);
  uri = `http://${uriHost(host)}:${port}`;
  const announcer = startAnnouncer({
    coordinatorUri: opts.coordinatorUri,
    announcement: { nodeId, httpUri: uri, nodeVersion: nodeVersion() },
    ...(opts.announceIntervalMs === undefined ? {} : { intervalMs: opts.announceIntervalMs }),
    ...(opts.coordinatorLossTimeoutMs === undefined ? {} : { lossTimeoutMs: opts.coordinatorLossTimeoutMs }),
    ...(opts.onCoordinatorLost ? { onCoordinatorLost: opts.onCoordinatorLost } : {}),
    ...(opts.onLog ? { onError: opts.onLog } : {}),
  });
  let closing: Promise<void> | undefined;
  return {
    nodeId,
    uri,
    tasks,
    registered: announcer.registered,
    close() {
      closing ??= (async () => {
        state = 'shutting_down';
        announcer.stop();
        tasks.close();
        await closeServer(server, 500);
        await connectors.close();
      })();
      return closing;
    },
  };
}
