// Reads this task's partition of the output of all producer tasks of one fragment.
import type { RecordBatch } from 'apache-arrow';
import { SqlError } from '../../common/errors.js';
import { readTaskResults } from '../../common/exchange/http-client.js';
import type { ExchangeSource, TaskStats } from '../../common/plan/task.js';
import { SqlStates } from '../../common/sqlstate.js';
import { mergeAsync } from './merge.js';

export interface ExchangeClientOptions {
  readonly signal: AbortSignal;
  /** How long a producer may be unknown to its worker (not yet created) before giving up. */
  readonly notFoundRetryMs?: number;
  readonly onEnd?: (stats: TaskStats) => void;
}

/**
 * Batches of `partition` from every source, interleaved. Breaking out, an error in one source,
 * or `opts.signal` closes every connection.
 */
export async function* exchangeClient(
  sources: readonly ExchangeSource[],
  partition: number,
  opts: ExchangeClientOptions,
): AsyncGenerator<RecordBatch, void, undefined> {
  const local = new AbortController();
  const onAbort = () => local.abort(opts.signal.reason);
  if (opts.signal.aborted) onAbort();
  else opts.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const streams = sources.map((s) =>
      readTaskResults(s, partition, {
        signal: local.signal,
        ...(opts.notFoundRetryMs === undefined ? {} : { notFoundRetryMs: opts.notFoundRetryMs }),
        ...(opts.onEnd ? { onEnd: opts.onEnd } : {}),
      }),
    );
    if (streams.length === 1) yield* streams[0]!;
    else if (streams.length > 1) yield* mergeAsync(streams);
  } finally {
    if (!local.signal.aborted) local.abort(new SqlError(SqlStates.queryCanceled, 'exchange closed'));
    opts.signal.removeEventListener('abort', onAbort);
  }
}
