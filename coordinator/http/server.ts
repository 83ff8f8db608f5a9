// The coordinator's HTTP server: worker announcements and node listing. Others add routes
// (UI API) with addHandler().
import http from 'node:http';
import { SqlError } from '../../common/errors.js';
import {
  closeServer,
  listen,
  nodeVersion,
  readJsonBody,
  sendError,
  sendJson,
  uriHost,
} from '../../common/exchange/http-server-util.js';
import type { NodeAnnouncement } from '../../common/plan/task.js';
import { SqlStates } from '../../common/sqlstate.js';
import { NodeRegistry } from './node-registry.js';

/** Returns true when it handled the request. */
export type HttpHandler = (req: http.IncomingMessage, res: http.ServerResponse) => boolean | Promise<boolean>;

export interface CoordinatorHttpOptions {
  readonly host: string;
  /** 0 = ephemeral. */
  readonly port: number;
  readonly nodeId: string;
  /** Worker expiry without heartbeat (default 5 s). */
  readonly workerExpireMs?: number;
}

export interface CoordinatorHttp {
  readonly uri: string;
  readonly port: number;
  readonly registry: NodeRegistry;
  readonly server: http.Server;
  /** Adds a handler tried (in order) before the built-in 404. */
  addHandler(handler: HttpHandler): void;
  close(): Promise<void>;
}

export async function startCoordinatorHttp(opts: CoordinatorHttpOptions): Promise<CoordinatorHttp> {
  const handlers: HttpHandler[] = [];
  let uri = '';
  let registry: NodeRegistry | undefined;
  const server = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    route(req, res).catch((e: unknown) => sendError(res, e));
  });
  const route = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const method = req.method ?? 'GET';
    const reg = registry!;
    if (path === '/v1/announce' && method === 'POST') {
      const body = (await readJsonBody(req)) as NodeAnnouncement;
      try {
        reg.announce(body);
      } catch (e) {
        return sendError(res, e, 400);
      }
      return sendJson(res, 200, { ok: true });
    }
    if (path === '/v1/info' && method === 'GET') return sendJson(res, 200, reg.nodes()[0]);
    if (path === '/v1/nodes' && method === 'GET') return sendJson(res, 200, reg.nodes());
    for (const h of handlers) if (await h(req, res)) return;
    sendError(res, new SqlError(SqlStates.undefinedObject, `no route ${method} ${path}`), 404);
  };
  const port = await listen(server, opts.port, opts.host);
  uri = `http://${uriHost(opts.host)}:${port}`;
  registry = new NodeRegistry({
    self: { nodeId: opts.nodeId, httpUri: uri, nodeVersion: nodeVersion() },
    ...(opts.workerExpireMs === undefined ? {} : { expireMs: opts.workerExpireMs }),
  });
  const reg = registry;
  return {
    uri,
    port,
    registry: reg,
    server,
    addHandler: (h) => handlers.push(h),
    async close() {
      reg.close();
      await closeServer(server, 500);
    },
  };
}
