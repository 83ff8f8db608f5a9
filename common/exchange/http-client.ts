// HTTP plumbing shared by the coordinator (task control, root results) and workers (exchange):
// keep-alive agent, small JSON requests, and reading a task's result frames as RecordBatches.
import http from 'node:http';
import type { RecordBatch } from 'apache-arrow';
import { type SerializedSqlError, SqlError, toSqlError } from '../errors.js';
import type { ExchangeSource, TaskStats } from '../plan/task.js';
import { SqlStates } from '../sqlstate.js';
import { FrameDecoder, parseFrame } from './frames.js';

export const keepAliveAgent = new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 1000 });

export interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
}

/** A JSON request; network failures become SqlError 08006 naming `target`. */
export async function requestJson(
  method: string,
  url: string,
  body?: unknown,
  opts: { signal?: AbortSignal; timeoutMs?: number; target?: string } = {},
): Promise<JsonResponse> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
  return new Promise<JsonResponse>((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent: keepAliveAgent,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': String(payload.byteLength) }
          : { 'content-length': '0' },
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(connectionError(opts.target ?? url, e)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          if (text.length > 0 && (res.headers['content-type'] ?? '').includes('json')) {
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = text;
            }
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', (e) =>
      reject(opts.signal?.aborted ? abortReason(opts.signal) : connectionError(opts.target ?? url, e)),
    );
    req.end(payload);
  });
}

export function connectionError(target: string, cause: unknown): SqlError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new SqlError(SqlStates.connectionFailure, `lost connection to node ${target}: ${detail}`, undefined, {
    cause,
  });
}

export function abortReason(signal: AbortSignal): SqlError {
  const r: unknown = signal.reason;
  if (r instanceof SqlError) return r;
  return toSqlError(
    r instanceof Error && r.name === 'AbortError' ? r : Object.assign(new Error('aborted'), { name: 'AbortError' }),
  );
}

export interface ReadResultsOptions {
  readonly signal: AbortSignal;
  /** How long to keep retrying while the producer does not know the task yet (404). */
  readonly notFoundRetryMs?: number;
  /** Called with the producer's stats when its END frame arrives. */
  readonly onEnd?: (stats: TaskStats) => void;
}

/**
 * Streams output partition `part` of a producer task. An ERROR frame is thrown as the SqlError
 * it carries; a stream that ends without END/ERROR, or a broken connection, is SqlError 08006.
 * Returning early (break) closes the connection.
 */
export async function* readTaskResults(
  source: ExchangeSource,
  part: number,
  opts: ReadResultsOptions,
): AsyncGenerator<RecordBatch, void, undefined> {
  const node = source.nodeId ?? source.uri;
  const url = `${source.uri}/v1/tasks/${encodeURIComponent(source.taskId)}/results/${part}`;
  const { res, release } = await openResults(url, node, source.taskId, opts);
  yield* readFrames(res, release, node, source.taskId, opts);
}

/**
 * Creates a task and streams its output partition `part` in the same request
 * (`POST /v1/tasks?results=part`): one round trip instead of a POST and a GET, for the task
 * whose results the caller reads itself (the root task of a query). A task the worker rejects
 * throws the SqlError of its answer.
 */
export async function* postTaskReadResults(
  source: ExchangeSource,
  spec: unknown,
  part: number,
  opts: ReadResultsOptions,
): AsyncGenerator<RecordBatch, void, undefined> {
  const node = source.nodeId ?? source.uri;
  const payload = Buffer.from(JSON.stringify(spec), 'utf8');
  const { res, release } = await startRequest('POST', `${source.uri}/v1/tasks?results=${part}`, payload, node, opts);
  if (res.statusCode !== 200) {
    const text = await readAll(res).catch(() => '');
    release();
    throw rejection(text, `worker ${node} rejected task ${source.taskId}: HTTP ${res.statusCode}`);
  }
  yield* readFrames(res, release, node, source.taskId, opts);
}

/** The SqlError of a worker's JSON error answer (`{ error }`), else 08006 with `fallback`. */
function rejection(text: string, fallback: string): SqlError {
  try {
    const err = (JSON.parse(text) as { error?: SerializedSqlError } | null)?.error;
    if (err && typeof err.sqlState === 'string' && typeof err.message === 'string') return SqlError.fromJSON(err);
  } catch {
    // not JSON: below
  }
  return new SqlError(SqlStates.connectionFailure, `${fallback} ${text.slice(0, 200)}`);
}

/**
 * The frames of an open results response. After END or ERROR the rest of the response (the
 * chunked-encoding terminator) is drained rather than destroyed, so the keep-alive socket goes
 * back to the agent's pool: a new TCP connection per query costs more than the query.
 */
async function* readFrames(
  res: http.IncomingMessage,
  release: () => void,
  node: string,
  taskId: string,
  opts: ReadResultsOptions,
): AsyncGenerator<RecordBatch, void, undefined> {
  const decoder = new FrameDecoder();
  let ended = false;
  try {
    // destroyOnReturn: false — returning after END must not destroy the response (see above).
    for await (const chunk of res.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      decoder.push(chunk);
      for (let raw = decoder.next(); raw; raw = decoder.next()) {
        const frame = parseFrame(raw);
        if (frame.kind === 'batch') {
          yield frame.batch;
        } else if (frame.kind === 'error') {
          ended = true;
          throw SqlError.fromJSON(frame.error);
        } else {
          ended = true;
          opts.onEnd?.(frame.stats);
          return;
        }
      }
    }
  } catch (e) {
    if (ended || e instanceof SqlError) throw e;
    if (opts.signal.aborted) throw abortReason(opts.signal);
    throw connectionError(node, e);
  } finally {
    release();
    if (!ended) res.destroy();
    else if (!res.complete) res.on('error', () => undefined).resume();
  }
  if (opts.signal.aborted) throw abortReason(opts.signal);
  throw new SqlError(
    SqlStates.connectionFailure,
    `lost connection to node ${node}: results of task ${taskId} ended unexpectedly`,
  );
}

/**
 * GETs a results stream, retrying while the producer's worker does not know the task yet (404).
 * The abort signal is attached by hand (not `http.get({ signal })`), so that it can be detached
 * once the stream ended: Node would otherwise keep the listener until the response closes, and
 * an abort after the END frame would destroy a socket that could be reused.
 */
async function openResults(
  url: string,
  node: string,
  taskId: string,
  opts: ReadResultsOptions,
): Promise<{ res: http.IncomingMessage; release: () => void }> {
  const deadline = Date.now() + (opts.notFoundRetryMs ?? 10_000);
  let delay = 10;
  for (;;) {
    const { res, release } = await startRequest('GET', url, undefined, node, opts);
    if (res.statusCode === 200) return { res, release };
    const body = await readAll(res).catch(() => '');
    release();
    if (res.statusCode === 404 && Date.now() < deadline) {
      await sleep(delay, opts.signal);
      delay = Math.min(delay * 2, 200);
      continue;
    }
    throw new SqlError(
      SqlStates.connectionFailure,
      `node ${node} refused results of task ${taskId}: HTTP ${res.statusCode} ${body.slice(0, 200)}`,
    );
  }
}

/** A request whose response is read by the caller; `release` detaches the abort signal. */
async function startRequest(
  method: string,
  url: string,
  payload: Buffer | undefined,
  node: string,
  opts: ReadResultsOptions,
): Promise<{ res: http.IncomingMessage; release: () => void }> {
  const { signal } = opts;
  signal.throwIfAborted();
  let req: http.ClientRequest | undefined;
  const onAbort = () => req?.destroy(abortReason(signal));
  signal.addEventListener('abort', onAbort, { once: true });
  const release = () => signal.removeEventListener('abort', onAbort);
  try {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      req = http.request(
        url,
        {
          method,
          agent: keepAliveAgent,
          ...(payload
            ? { headers: { 'content-type': 'application/json', 'content-length': String(payload.byteLength) } }
            : {}),
        },
        resolve,
      );
      req.on('error', (e) => reject(signal.aborted ? abortReason(signal) : connectionError(node, e)));
      req.end(payload);
    });
    return { res, release };
  } catch (e) {
    release();
    throw e;
  }
}

async function readAll(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(t);
      reject(abortReason(signal!));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
