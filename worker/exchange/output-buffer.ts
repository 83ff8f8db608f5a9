// A task's output: one byte-bounded frame queue per output partition. The producer awaits
// add() while a queue it wrote to holds more than `maxBufferedBytes` and its consumer is
// still attached; a consumer that goes away abandons its partition (later data is dropped).
import type { RecordBatch } from 'apache-arrow';
import { assertNever } from '../../common/assert.js';
import { type SerializedSqlError, SqlError } from '../../common/errors.js';
import { encodeBatchFrame, encodeEndFrame, encodeErrorFrame } from '../../common/exchange/frames.js';
import type { OutputPartitioning } from '../../common/plan/physical.js';
import type { TaskStats } from '../../common/plan/task.js';
import { SqlStates } from '../../common/sqlstate.js';

export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export type PartitionFn = (batch: RecordBatch, keys: number[], partitions: number) => (RecordBatch | null)[];

export interface OutputBufferOptions {
  readonly partitions: number;
  readonly partitioning: OutputPartitioning;
  readonly maxBufferedBytes?: number;
  /** Hash partitioner; defaults to ./partitioner.js, loaded on first use. */
  readonly partitionBatch?: PartitionFn;
  /** Called once when every partition's consumer has gone away before the end. */
  readonly onAllAbandoned?: () => void;
}

type ConsumerState = 'waiting' | 'attached' | 'delivered' | 'abandoned';

class PartitionQueue {
  readonly frames: Buffer[] = [];
  bytes = 0;
  /** A terminal frame (END/ERROR) was queued: nothing may follow. */
  closed = false;
  consumer: ConsumerState = 'waiting';
  private dataWaiters: (() => void)[] = [];
  private drainWaiters: (() => void)[] = [];

  wakeConsumer(): void {
    const w = this.dataWaiters;
    this.dataWaiters = [];
    for (const f of w) f();
  }
  wakeProducer(): void {
    const w = this.drainWaiters;
    this.drainWaiters = [];
    for (const f of w) f();
  }
  waitForData(): Promise<void> {
    return new Promise((r) => this.dataWaiters.push(r));
  }
  waitForDrain(): Promise<void> {
    return new Promise((r) => this.drainWaiters.push(r));
  }
}

/** Consumer side of one partition: frames until (and including) the END or ERROR frame. */
export interface PartitionReader {
  /** The next frame, or null once the terminal frame was returned or the reader was closed. */
  next(): Promise<Buffer | null>;
  /** Detaches; if the terminal frame was not delivered, the partition is abandoned. */
  close(): void;
}

export class OutputBuffer {
  private readonly queues: PartitionQueue[];
  private readonly maxBytes: number;
  private partitionFn: PartitionFn | undefined;
  private terminated = false;
  private abandonedReported = false;
  outputRows = 0;
  outputBytes = 0;

  constructor(private readonly opts: OutputBufferOptions) {
    if (opts.partitions < 1) throw SqlError.internal(`output buffer needs >= 1 partition, got ${opts.partitions}`);
    this.queues = Array.from({ length: opts.partitions }, () => new PartitionQueue());
    this.maxBytes = opts.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.partitionFn = opts.partitionBatch;
  }

  get partitions(): number {
    return this.queues.length;
  }

  /** Bytes queued for a partition (for tests and stats). */
  bufferedBytes(part: number): number {
    return this.queues[part]?.bytes ?? 0;
  }

  /** Routes a batch to its partition(s); resolves when every written queue is below the bound. */
  async add(batch: RecordBatch): Promise<void> {
    if (this.terminated) throw SqlError.internal('output buffer already finished');
    if (batch.numRows === 0) return;
    this.outputRows += batch.numRows;
    const p = this.opts.partitioning;
    const written: PartitionQueue[] = [];
    switch (p.kind) {
      case 'single':
        this.enqueue(0, encodeBatchFrame(batch), written);
        break;
      case 'broadcast': {
        const frame = encodeBatchFrame(batch);
        for (let i = 0; i < this.queues.length; i++) this.enqueue(i, frame, written);
        break;
      }
      case 'hash': {
        if (this.queues.length === 1) {
          this.enqueue(0, encodeBatchFrame(batch), written);
          break;
        }
        const fn = this.partitionFn ?? (await this.loadPartitioner());
        const parts = fn(batch, [...p.keys], this.queues.length);
        for (let i = 0; i < parts.length; i++) {
          const part = parts[i];
          if (part && part.numRows > 0) this.enqueue(i, encodeBatchFrame(part), written);
        }
        break;
      }
      default:
        assertNever(p, 'output partitioning');
    }
    for (const q of written) {
      while (q.bytes > this.maxBytes && q.consumer !== 'abandoned' && !this.terminated) await q.waitForDrain();
    }
  }

  /** END frame to every partition. */
  finish(stats: TaskStats): void {
    this.terminate(encodeEndFrame(stats), false);
  }

  /** ERROR frame to every partition; queued data is dropped so consumers see the error at once. */
  fail(error: SerializedSqlError): void {
    this.terminate(encodeErrorFrame(error), true);
  }

  /** The task was aborted: consumers get a 57014 error, producers waiting in add() return. */
  abort(message = 'task aborted'): void {
    this.fail(new SqlError(SqlStates.queryCanceled, message).toJSON());
  }

  /** True when every partition's terminal frame was delivered or its consumer went away. */
  isDrained(): boolean {
    return this.queues.every((q) => q.consumer === 'delivered' || q.consumer === 'abandoned');
  }

  reader(part: number): PartitionReader {
    const q = this.queues[part];
    if (!q) throw new SqlError(SqlStates.invalidParameterValue, `no output partition ${part}`);
    if (q.consumer !== 'waiting') {
      throw new SqlError(SqlStates.invalidParameterValue, `output partition ${part} is already being read`);
    }
    q.consumer = 'attached';
    let done = false;
    return {
      next: async () => {
        for (;;) {
          if (done) return null;
          const frame = q.frames.shift();
          if (frame) {
            q.bytes -= frame.byteLength;
            if (q.bytes <= this.maxBytes) q.wakeProducer();
            if (q.closed && q.frames.length === 0) {
              done = true;
              q.consumer = 'delivered';
            }
            return frame;
          }
          await q.waitForData();
        }
      },
      close: () => {
        if (done) return;
        done = true;
        if (q.consumer !== 'delivered') this.abandon(q);
        q.wakeConsumer();
      },
    };
  }

  private enqueue(part: number, frame: Buffer, written: PartitionQueue[]): void {
    const q = this.queues[part]!;
    this.outputBytes += frame.byteLength;
    if (q.consumer === 'abandoned' || q.closed) return;
    q.frames.push(frame);
    q.bytes += frame.byteLength;
    written.push(q);
    q.wakeConsumer();
  }

  private terminate(frame: Buffer, dropQueued: boolean): void {
    if (this.terminated) return;
    this.terminated = true;
    for (const q of this.queues) {
      if (q.consumer === 'abandoned' || q.consumer === 'delivered') continue;
      if (dropQueued) {
        q.frames.length = 0;
        q.bytes = 0;
      }
      q.frames.push(frame);
      q.bytes += frame.byteLength;
      q.closed = true;
      q.wakeConsumer();
      q.wakeProducer();
    }
  }

  private abandon(q: PartitionQueue): void {
    q.consumer = 'abandoned';
    q.frames.length = 0;
    q.bytes = 0;
    q.wakeProducer();
    if (!this.abandonedReported && !this.terminated && this.queues.every((x) => x.consumer === 'abandoned')) {
      this.abandonedReported = true;
      this.opts.onAllAbandoned?.();
    }
  }

  private async loadPartitioner(): Promise<PartitionFn> {
    const mod = await import('./partitioner.js');
    this.partitionFn = mod.partitionBatch as PartitionFn;
    return this.partitionFn;
  }
}
