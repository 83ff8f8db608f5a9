// HTTP plumbing shared by the coordinator (task control, root results) and workers (exchange):
// keep-alive agent, small JSON requests, and reading a task's result frames as RecordBatches.
import http from 'node:http';
import type { RecordBatch } from 'apache-arrow';
import { SqlError, toSqlError } from '../errors.js';
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
  const res = await openResults(url, node, source.taskId, opts);
  const decoder = new FrameDecoder();
  let ended = false;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
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
    if (!res.complete || !ended) res.destroy();
  }
  if (opts.signal.aborted) throw abortReason(opts.signal);
  throw new SqlError(
    SqlStates.connectionFailure,
    `lost connection to node ${node}: results of task ${source.taskId} ended unexpectedly`,
  );
}

async function openResults(
  url: string,
  node: string,
  taskId: string,
  opts: ReadResultsOptions,
): Promise<http.IncomingMessage> {
  const deadline = Date.now() + (opts.notFoundRetryMs ?? 10_000);
  let delay = 10;
  for (;;) {
    opts.signal.throwIfAborted();
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.get(url, { agent: keepAliveAgent, signal: opts.signal }, resolve);
      req.on('error', (e) => reject(opts.signal.aborted ? abortReason(opts.signal) : connectionError(node, e)));
    });
    if (res.statusCode === 200) return res;
    const body = await readAll(res).catch(() => '');
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
