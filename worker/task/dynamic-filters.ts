// A task's dynamic filters (common/plan/dynamic-filter.ts): summaries its hash joins published,
// read directly by scans of the same task; those for scans in other fragments are reported to
// the coordinator, and scans fed by joins elsewhere long-poll the coordinator for theirs.
import { requestJson } from '../../common/exchange/http-client.js';
import {
  type DynamicFilterSource,
  type DynamicFilterSummary,
  type DynamicFilterTarget,
  parseSummary,
} from '../../common/plan/dynamic-filter.js';

const MAX_POLL_MS = 60_000;

export interface TaskDynamicFiltersOptions {
  readonly queryId: string;
  readonly taskId: string;
  /** Where remote filters are reported and fetched; without it they are skipped. */
  readonly coordinatorUri?: string;
  /** How long a scan waits for a remote filter before it reads unfiltered. */
  readonly waitMs: number;
  readonly signal: AbortSignal;
}

export class TaskDynamicFilters {
  private readonly local = new Map<string, DynamicFilterSummary>();

  constructor(private readonly opts: TaskDynamicFiltersOptions) {}

  get waitMs(): number {
    return this.opts.waitMs;
  }

  /** A join's build is complete. Remote reports are sent in the background; failures only cost the filter. */
  publish(source: DynamicFilterSource, summary: DynamicFilterSummary): void {
    this.local.set(source.id, summary);
    const base = this.baseUrl(source.id);
    if (!source.remote || base === undefined || this.opts.signal.aborted) return;
    // A lost report makes the probe scans time out and read unfiltered: slower, never wrong.
    requestJson(
      'PUT',
      base,
      { taskId: this.opts.taskId, summary },
      { signal: this.opts.signal, timeoutMs: 10_000 },
    ).catch(() => undefined);
  }

  /**
   * The summary for a scan's filter: a local one if its join published it, a remote one once the
   * coordinator has merged every report (waiting until `deadline`, a performance.now() time).
   * Undefined when it is not available; the scan then reads without it.
   */
  async resolve(
    target: DynamicFilterTarget,
    deadline: number,
    signal?: AbortSignal,
  ): Promise<DynamicFilterSummary | undefined> {
    if (!target.remote) return this.local.get(target.id);
    const base = this.baseUrl(target.id);
    if (base === undefined) return undefined;
    // The coordinator holds one request at most a minute; a later filter is not worth more polls.
    const waitMs = Math.min(MAX_POLL_MS, Math.max(0, Math.round(deadline - performance.now())));
    try {
      const res = await requestJson('GET', `${base}?waitMs=${waitMs}`, undefined, {
        signal: signal ? AbortSignal.any([this.opts.signal, signal]) : this.opts.signal,
        timeoutMs: waitMs + 5000,
      });
      if (res.status !== 200) return undefined;
      return parseSummary((res.body as { summary?: unknown } | null)?.summary) ?? undefined;
    } catch {
      this.opts.signal.throwIfAborted();
      return undefined; // coordinator unreachable: read unfiltered
    }
  }

  private baseUrl(filterId: string): string | undefined {
    const uri = this.opts.coordinatorUri?.replace(/\/+$/, '');
    if (!uri) return undefined;
    return `${uri}/v1/queries/${encodeURIComponent(this.opts.queryId)}/dynamic-filters/${encodeURIComponent(filterId)}`;
  }
}
