// Small helpers for the coordinator's and workers' HTTP servers.
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SqlError, toSqlError } from '../errors.js';
import { SqlStates } from '../sqlstate.js';

const MAX_BODY_BYTES = 64 * 1024 * 1024;

export async function readJsonBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.byteLength;
    if (size > MAX_BODY_BYTES) throw new SqlError(SqlStates.insufficientResources, 'request body too large');
    chunks.push(c);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    throw new SqlError(SqlStates.invalidParameterValue, 'request body is not JSON', undefined, { cause: e });
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Error body: the SqlError as JSON. 4xx for the caller's mistakes, 500 otherwise. */
export function sendError(res: http.ServerResponse, e: unknown, status?: number): void {
  const err = toSqlError(e);
  const code = status ?? (err.sqlState.startsWith('22') || err.sqlState.startsWith('42') ? 400 : 500);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, code, { error: err.toJSON() });
}

export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes the server, dropping idle keep-alive connections and, after `graceMs`, all others. */
export function closeServer(server: http.Server, graceMs = 1000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

export function uriHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

let version: string | undefined;
/** The package version, announced by every node. */
export function nodeVersion(): string {
  if (version === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version?: unknown;
      };
      version = typeof pkg.version === 'string' ? pkg.version : 'unknown';
    } catch {
      version = 'unknown';
    }
  }
  return version;
}
