// Is a worker that just failed a request gone? One GET /v1/info on a fresh connection: a refused
// or reset connection means nothing listens there any more (the process died); any HTTP answer,
// or no answer within the timeout (a busy worker), means it is there.
import http from 'node:http';

const GONE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
]);

/** The Node error code of `e` or of its causes (SqlError wraps the socket error as `cause`). */
export function errorCode(e: unknown): string | undefined {
  for (let c: unknown = e, depth = 0; c && typeof c === 'object' && depth < 5; depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    c = (c as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A connection-level failure (the node may be gone), as opposed to an error the node answered. */
export function isConnectionError(e: unknown): boolean {
  const code = errorCode(e);
  return code !== undefined && GONE_CODES.has(code);
}

/** Resolves true when `httpUri` refuses (or resets) a new connection. */
export function nodeGone(httpUri: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${httpUri}/v1/info`, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(false);
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.on('error', (e) => resolve(isConnectionError(e)));
  });
}
