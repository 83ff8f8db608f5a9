// Parquet decoding and encoding in a small pool of worker_threads per worker process
// (`lake.threads`), so the main thread runs operators while the next row groups decode.
//
//   reader ──decode(rg)──► queue ──► idle thread: parquet-wasm → Arrow → Tributary buffers
//          ◄──batches (ArrayBuffers transferred, not copied)──┘
//
// - One decode per thread at a time; the queue holds the rest (each reader keeps at most
//   `prefetch` row groups in flight, so memory stays bounded).
// - Cancelled decodes leave the queue at once; one already running finishes its row group
//   and the result is dropped.
// - Until a thread has started (loading the libraries takes a few hundred ms) decoding runs on
//   the calling thread (LocalCodec), so a first small query does not wait for the pool; a writer
//   waits for a thread instead (a file takes seconds to encode).
// - A thread that dies fails its requests with the SqlError a main-thread failure would give
//   (naming the file) and is replaced; after repeated deaths the pool falls back to LocalCodec.
import { Worker } from 'node:worker_threads';
import { SqlError } from '../../common/errors.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { DecodedBatch, DecodeRequest, ParquetCodec, ParquetFileWriter } from './codec.js';
import type { FromThread, ToThread } from './codec-messages.js';
import { LocalCodec } from './local-codec.js';
import { fileError } from './parquet-file.js';

const ENTRY = new URL('./codec-thread.js', import.meta.url);
/** Thread deaths after which the pool stops replacing threads and works on the calling thread. */
const MAX_DEATHS = 5;
/** How long a writer waits for a starting thread before it encodes on the calling thread. */
const WRITER_WAIT_MS = 30_000;

interface Slot {
  readonly worker: Worker;
  ready: boolean;
  dead: boolean;
  /** A decode is running on it. */
  decoding: boolean;
  sessions: number;
  readonly calls: Set<number>;
}

interface Call {
  readonly slot: Slot;
  readonly resolve: (m: FromThread) => void;
  readonly reject: (e: SqlError) => void;
  /** The error a death of the thread becomes. */
  readonly onDeath: (cause: unknown) => SqlError;
}

interface Queued {
  readonly req: DecodeRequest;
  readonly signal: AbortSignal;
  readonly resolve: (b: DecodedBatch[]) => void;
  readonly reject: (e: unknown) => void;
  readonly onAbort: () => void;
}

export interface PoolStats {
  readonly threads: number;
  readonly ready: number;
  readonly queued: number;
  /** Requests sent to threads and not answered yet. */
  readonly inFlight: number;
}

export class CodecPool implements ParquetCodec {
  readonly prefetch: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Queued[] = [];
  private readonly calls = new Map<number, Call>();
  private nextId = 1;
  private readyWaiters: (() => void)[] = [];
  private deaths = 0;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly local: ParquetCodec = new LocalCodec(),
    private readonly log: (message: string) => void = () => {},
  ) {
    this.prefetch = Math.max(1, size);
    for (let i = 0; i < size; i++) this.spawn();
  }

  stats(): PoolStats {
    return {
      threads: this.slots.length,
      ready: this.slots.filter((s) => s.ready).length,
      queued: this.queue.length,
      inFlight: this.calls.size,
    };
  }

  /** Resolves once every thread has started (for tests and benchmarks). */
  async whenReady(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.slots.some((s) => !s.ready) && Date.now() < until) await this.readySignal(until - Date.now());
  }

  /** Resolves when a thread becomes ready, or after `ms`. */
  private readySignal(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.readyWaiters.push(done);
    });
  }

  decode(req: DecodeRequest, signal: AbortSignal): Promise<DecodedBatch[]> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (!this.slots.some((s) => s.ready)) return this.local.decode(req, signal);
    return new Promise<DecodedBatch[]>((resolve, reject) => {
      const q: Queued = {
        req,
        signal,
        resolve,
        reject,
        onAbort: () => {
          const at = this.queue.indexOf(q);
          if (at >= 0) this.queue.splice(at, 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', q.onAbort, { once: true });
      this.queue.push(q);
      this.dispatch();
    });
  }

  async openWriter(path: string): Promise<ParquetFileWriter> {
    // a file is written for seconds: wait for a thread to start rather than encode here
    const until = Date.now() + WRITER_WAIT_MS;
    while (!this.slots.some((s) => s.ready) && this.slots.length > 0 && Date.now() < until) {
      await this.readySignal(until - Date.now());
    }
    let slot: Slot | undefined;
    for (const s of this.slots) if (s.ready && (!slot || s.sessions < slot.sessions)) slot = s;
    if (!slot) return this.local.openWriter(path);
    const chosen = slot;
    const session = this.nextId++;
    const onDeath = (cause: unknown) => fileError(path, 'cannot write', cause);
    await this.call(chosen, (id) => ({ kind: 'open', id, session, path }), [], onDeath);
    chosen.sessions++;
    let open = true;
    const end = () => {
      if (open) chosen.sessions--;
      open = false;
    };
    return {
      write: async (ipc) => {
        // the buffer is ours (a fresh IPC stream): hand it over instead of copying it
        const transfer = ipc.byteOffset === 0 && ipc.byteLength === ipc.buffer.byteLength ? [ipc.buffer] : [];
        await this.call(chosen, (id) => ({ kind: 'write', id, session, ipc }), transfer as ArrayBuffer[], onDeath);
      },
      close: async () => {
        try {
          const m = await this.call(chosen, (id) => ({ kind: 'close', id, session }), [], onDeath);
          return m.kind === 'done' ? m.bytes : 0;
        } finally {
          end();
        }
      },
      abort: async () => {
        try {
          await this.call(chosen, (id) => ({ kind: 'abort', id, session }), [], onDeath);
        } finally {
          end();
        }
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const gone = new SqlError(SqlStates.adminShutdown, 'lake: the worker is shutting down');
    for (const q of this.queue.splice(0)) {
      q.signal.removeEventListener('abort', q.onAbort);
      q.reject(gone);
    }
    const slots = this.slots.splice(0);
    for (const s of slots) this.fail(s, gone);
    await Promise.all(slots.map((s) => s.worker.terminate()));
    await this.local.close();
  }

  private spawn(): void {
    const worker = new Worker(ENTRY);
    worker.unref();
    const slot: Slot = { worker, ready: false, dead: false, decoding: false, sessions: 0, calls: new Set() };
    this.slots.push(slot);
    worker.on('message', (m: FromThread) => this.onMessage(slot, m));
    worker.on('error', (e) => this.died(slot, e));
    worker.on('exit', (code) => this.died(slot, new Error(`the codec thread exited with code ${code}`)));
  }

  private onMessage(slot: Slot, m: FromThread): void {
    if (m.kind === 'ready') {
      slot.ready = true;
      for (const w of this.readyWaiters.splice(0)) w();
      this.dispatch();
      return;
    }
    const call = this.calls.get(m.id);
    if (!call) return;
    this.calls.delete(m.id);
    slot.calls.delete(m.id);
    if (m.kind === 'error') call.reject(SqlError.fromJSON(m.error));
    else call.resolve(m);
  }

  private died(slot: Slot, cause: unknown): void {
    if (slot.dead) return;
    this.fail(slot, cause);
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    if (this.closed) return;
    this.deaths++;
    const why = cause instanceof Error ? cause.message : String(cause);
    if (this.deaths <= MAX_DEATHS) {
      this.log(`lake: a codec thread died (${why}); starting another`);
      this.spawn();
    } else if (this.deaths === MAX_DEATHS + 1) {
      this.log(`lake: codec threads keep dying (${why}); decoding on the main thread from now on`);
    }
    // with no thread left, queued decodes run here
    if (!this.slots.some((s) => s.ready)) {
      for (const q of this.queue.splice(0)) {
        q.signal.removeEventListener('abort', q.onAbort);
        this.local.decode(q.req, q.signal).then(q.resolve, q.reject);
      }
    }
    this.dispatch();
  }

  /** Rejects every request on a thread that is gone. */
  private fail(slot: Slot, cause: unknown): void {
    slot.dead = true;
    slot.ready = false;
    for (const id of slot.calls) {
      const call = this.calls.get(id);
      this.calls.delete(id);
      if (call) call.reject(cause instanceof SqlError ? cause : call.onDeath(cause));
    }
    slot.calls.clear();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.decoding) continue;
      const q = this.queue.shift();
      if (!q) return;
      this.run(slot, q);
    }
  }

  private run(slot: Slot, q: Queued): void {
    slot.decoding = true;
    const onDeath = (cause: unknown) => fileError(q.req.path, `cannot decode row group ${q.req.rowGroup} of`, cause);
    this.call(slot, (id) => ({ kind: 'decode', id, req: q.req }), [], onDeath)
      .then(
        (m) => {
          if (m.kind === 'decoded') q.resolve(m.batches);
          else q.reject(SqlError.internal(`lake: unexpected reply ${m.kind} to a decode`));
        },
        (e: unknown) => q.reject(e),
      )
      .finally(() => {
        q.signal.removeEventListener('abort', q.onAbort);
        slot.decoding = false;
        this.dispatch();
      });
  }

  private call(
    slot: Slot,
    make: (id: number) => ToThread,
    transfer: ArrayBuffer[],
    onDeath: (cause: unknown) => SqlError,
  ): Promise<FromThread> {
    if (slot.dead) return Promise.reject(onDeath(new Error('the codec thread is gone')));
    const id = this.nextId++;
    return new Promise<FromThread>((resolve, reject) => {
      this.calls.set(id, { slot, resolve, reject, onDeath });
      slot.calls.add(id);
      slot.worker.postMessage(make(id), transfer);
    });
  }
}

/** Process-wide pools by size, shared by the lake catalogs of a process; created on first use. */
const pools = new Map<number, { codec: ParquetCodec; users: number }>();

export interface CodecHandle {
  /** The codec (created on first call: the coordinator, which never decodes, starts no thread). */
  get(): ParquetCodec;
  release(): Promise<void>;
}

export function acquireCodec(threads: number, log?: (message: string) => void): CodecHandle {
  let held: ParquetCodec | undefined;
  return {
    get() {
      if (held) return held;
      let entry = pools.get(threads);
      if (!entry) {
        entry = { codec: threads > 0 ? new CodecPool(threads, new LocalCodec(), log) : new LocalCodec(), users: 0 };
        pools.set(threads, entry);
      }
      entry.users++;
      held = entry.codec;
      return held;
    },
    async release() {
      if (!held) return;
      held = undefined;
      const entry = pools.get(threads);
      if (!entry) return;
      entry.users--;
      if (entry.users > 0) return;
      pools.delete(threads);
      await entry.codec.close();
    },
  };
}
