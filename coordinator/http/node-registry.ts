// Live workers, by heartbeat: a worker is active while it announced within `expireMs`.
import { SqlError } from '../../common/errors.js';
import type { NodeAnnouncement, NodeInfo } from '../../common/plan/task.js';
import { SqlStates } from '../../common/sqlstate.js';

export interface NodeRegistryOptions {
  /** The coordinator itself, listed by nodes(). */
  readonly self: NodeAnnouncement;
  /** Drop a worker after this long without an announcement (default 5 s). */
  readonly expireMs?: number;
  readonly sweepIntervalMs?: number;
}

type Listener = (node: NodeInfo) => void;

interface Entry {
  info: NodeInfo;
  lastSeen: number;
}

export class NodeRegistry {
  private readonly workers = new Map<string, Entry>();
  private readonly dropListeners = new Set<Listener>();
  private readonly changeListeners = new Set<() => void>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly expireMs: number;

  constructor(private readonly opts: NodeRegistryOptions) {
    // Generous: a worker deep in a long batch computation answers late but is alive.
    this.expireMs = opts.expireMs ?? 15_000;
    this.sweeper = setInterval(() => this.sweep(), opts.sweepIntervalMs ?? Math.min(500, this.expireMs / 2));
    this.sweeper.unref();
  }

  /** Registers or refreshes a worker. */
  announce(a: NodeAnnouncement): void {
    if (typeof a?.nodeId !== 'string' || typeof a.httpUri !== 'string' || a.nodeId === '') {
      throw new SqlError(SqlStates.invalidParameterValue, 'malformed node announcement');
    }
    const existing = this.workers.get(a.nodeId);
    const info: NodeInfo = {
      nodeId: a.nodeId,
      httpUri: a.httpUri,
      nodeVersion: String(a.nodeVersion ?? 'unknown'),
      coordinator: false,
      state: 'active',
    };
    if (existing && existing.info.httpUri !== a.httpUri) {
      // Same id, new address: the old process is gone; its tasks with it.
      this.workers.delete(a.nodeId);
      this.emitDrop(existing.info);
    }
    this.workers.set(a.nodeId, { info, lastSeen: Date.now() });
    if (!existing || existing.info.httpUri !== a.httpUri) this.emitChange();
  }

  /** Removes a worker now (e.g. it said it is shutting down). */
  remove(nodeId: string): void {
    const e = this.workers.get(nodeId);
    if (!e) return;
    this.workers.delete(nodeId);
    this.emitDrop(e.info);
    this.emitChange();
  }

  activeWorkers(): NodeInfo[] {
    return [...this.workers.values()].map((e) => e.info).sort((a, b) => (a.nodeId < b.nodeId ? -1 : 1));
  }

  isActive(nodeId: string): boolean {
    return this.workers.has(nodeId);
  }

  /** The coordinator and all active workers. */
  nodes(): NodeInfo[] {
    return [{ ...this.opts.self, coordinator: true, state: 'active' }, ...this.activeWorkers()];
  }

  /** Resolves once at least `n` workers are active; SqlError 53000 after `timeoutMs`. */
  waitForWorkers(n: number, timeoutMs: number): Promise<NodeInfo[]> {
    if (this.workers.size >= n) return Promise.resolve(this.activeWorkers());
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.workers.size >= n) {
          finish();
          resolve(this.activeWorkers());
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new SqlError(
            SqlStates.insufficientResources,
            `only ${this.workers.size} of ${n} workers registered within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.changeListeners.delete(check);
      };
      this.changeListeners.add(check);
    });
  }

  /** Called for every worker that is dropped; returns an unsubscribe function. */
  onDrop(listener: Listener): () => void {
    this.dropListeners.add(listener);
    return () => this.dropListeners.delete(listener);
  }

  close(): void {
    clearInterval(this.sweeper);
    this.changeListeners.clear();
    this.dropListeners.clear();
  }

  private sweep(): void {
    const now = Date.now();
    let changed = false;
    for (const [id, e] of this.workers) {
      if (now - e.lastSeen > this.expireMs) {
        this.workers.delete(id);
        this.emitDrop(e.info);
        changed = true;
      }
    }
    if (changed) this.emitChange();
  }

  private emitDrop(info: NodeInfo): void {
    for (const l of [...this.dropListeners]) l(info);
  }

  private emitChange(): void {
    for (const l of [...this.changeListeners]) l();
  }
}
