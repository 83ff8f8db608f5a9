// Announces the worker to the coordinator every second (first call registers, the rest are
// heartbeats). Keeps trying while the coordinator is unreachable.
import { requestJson } from '../../common/exchange/http-client.js';
import type { NodeAnnouncement } from '../../common/plan/task.js';

export interface AnnouncerOptions {
  readonly coordinatorUri: string;
  readonly announcement: NodeAnnouncement;
  readonly intervalMs?: number;
  /** Called once when no announcement succeeded for this long (after at least one success or from start). */
  readonly lossTimeoutMs?: number;
  readonly onCoordinatorLost?: () => void;
  readonly onError?: (message: string) => void;
}

export interface Announcer {
  /** Resolves after the first successful announcement. */
  readonly registered: Promise<void>;
  stop(): void;
}

export function startAnnouncer(opts: AnnouncerOptions): Announcer {
  const interval = opts.intervalMs ?? 1000;
  let stopped = false;
  let lastOk = Date.now();
  let failing = false;
  let timer: NodeJS.Timeout | undefined;
  let resolveRegistered: () => void = () => undefined;
  const registered = new Promise<void>((r) => {
    resolveRegistered = r;
  });
  const url = `${opts.coordinatorUri.replace(/\/+$/, '')}/v1/announce`;

  const tick = async () => {
    try {
      const res = await requestJson('POST', url, opts.announcement, { timeoutMs: 3000, target: 'coordinator' });
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      lastOk = Date.now();
      if (failing) opts.onError?.('coordinator reachable again');
      failing = false;
      resolveRegistered();
    } catch (e) {
      if (!failing) opts.onError?.(`cannot announce to ${url}: ${e instanceof Error ? e.message : String(e)}`);
      failing = true;
      if (opts.lossTimeoutMs !== undefined && Date.now() - lastOk > opts.lossTimeoutMs && !stopped) {
        stopped = true;
        opts.onCoordinatorLost?.();
        return;
      }
    }
    if (!stopped) timer = setTimeout(tick, interval);
  };
  void tick();
  return {
    registered,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
