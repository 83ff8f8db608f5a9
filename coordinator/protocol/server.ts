// The PostgreSQL wire protocol v3 server: accepts connections, routes CancelRequests, closes.
import { randomBytes } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import type { Engine } from '../session.js';
import { Connection, type ConnectionHost } from './connection.js';
import type { ProtocolLog } from './log.js';

export interface PgServerOptions {
  readonly host?: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly engine: Engine;
  readonly log?: ProtocolLog;
  /** Session TimeZone when the client sends none; default: the process's zone. */
  readonly timeZone?: string;
}

export interface PgServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startPgServer(options: PgServerOptions): Promise<PgServer> {
  const connections = new Map<number, Connection>();
  const open = new Set<Connection>();
  let nextProcessId = 1000 + Math.floor(Math.random() * 1000);
  const log = options.log;
  const host: ConnectionHost = {
    engine: options.engine,
    log,
    defaultTimeZone: options.timeZone ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'),
    register(c) {
      const processId = nextProcessId++;
      connections.set(processId, c);
      return { processId, secretKey: randomBytes(4).readInt32BE(0) };
    },
    unregister(c) {
      open.delete(c);
      if (connections.get(c.id) === c) connections.delete(c.id);
    },
    cancel(processId, secretKey) {
      const c = connections.get(processId);
      if (c?.matches(processId, secretKey)) c.cancel();
      else log?.debug?.('cancel request for unknown backend', { processId });
    },
  };

  const server = createServer({ noDelay: true }, (socket: Socket) => {
    open.add(new Connection(socket, host));
  });
  server.on('error', (e) => log?.error?.('pg server error', { error: e.message }));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  log?.info?.('pg server listening', { port });

  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const c of [...open]) c.destroy();
      }),
  };
}
