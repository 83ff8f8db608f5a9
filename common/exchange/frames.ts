// The result frame format of common/plan/task.ts: [kind u8][length u32 BE][payload].
// Shared by the worker (producer and exchange consumer) and the coordinator (root results).
import { type Data, makeData, RecordBatch, RecordBatchStreamWriter, tableFromIPC } from 'apache-arrow';
import { type SerializedSqlError, SqlError } from '../errors.js';
import { FRAME_BATCH, FRAME_END, FRAME_ERROR, type TaskStats } from '../plan/task.js';
import { SqlStates } from '../sqlstate.js';

export const FRAME_HEADER_BYTES = 5;

export type Frame =
  | { readonly kind: 'batch'; readonly batch: RecordBatch }
  | { readonly kind: 'error'; readonly error: SerializedSqlError }
  | { readonly kind: 'end'; readonly stats: TaskStats };

export interface RawFrame {
  readonly kind: number;
  readonly payload: Uint8Array;
}

export function encodeFrame(kind: number, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.byteLength);
  out.writeUInt8(kind, 0);
  out.writeUInt32BE(payload.byteLength, 1);
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

/** One batch as an Arrow IPC stream (schema + batch + EOS). */
export function encodeBatchPayload(batch: RecordBatch): Uint8Array {
  return RecordBatchStreamWriter.writeAll([withDistinctBuffers(batch)]).toUint8Array(true);
}

/**
 * apache-arrow's IPC writer miscounts the body when two columns share the same buffers (a
 * projection that outputs a column twice: `SELECT a, a`): for some lengths the reader then fails
 * with "Expected to read N bytes for message body". Repeated columns are written as copies.
 */
function withDistinctBuffers(batch: RecordBatch): RecordBatch {
  const seen = new Set<unknown>();
  let repeated = false;
  const children = batch.data.children.map((child) => {
    const key = child.values ?? child;
    if (!seen.has(key)) {
      seen.add(key);
      return child;
    }
    repeated = true;
    return copyData(child);
  });
  if (!repeated) return batch;
  const data = makeData({ type: batch.data.type, length: batch.numRows, nullCount: 0, children });
  return new RecordBatch(batch.schema, data);
}

function copyData(d: Data): Data {
  const buffers = [d.valueOffsets?.slice(), d.values?.slice(), d.nullBitmap?.slice(), d.typeIds?.slice()];
  const variadic = d.variadicBuffers.map((b) => b.slice());
  return d.clone(d.type, d.offset, d.length, d.nullCount, buffers as never, d.children.map(copyData), variadic);
}

export function encodeBatchFrame(batch: RecordBatch): Buffer {
  return encodeFrame(FRAME_BATCH, encodeBatchPayload(batch));
}

export function encodeErrorFrame(error: SerializedSqlError): Buffer {
  return encodeFrame(FRAME_ERROR, Buffer.from(JSON.stringify(error), 'utf8'));
}

export function encodeEndFrame(stats: TaskStats): Buffer {
  return encodeFrame(FRAME_END, Buffer.from(JSON.stringify(stats), 'utf8'));
}

export function decodeBatchPayload(payload: Uint8Array): RecordBatch {
  const batches = tableFromIPC(payload).batches;
  const batch = batches[0];
  if (batches.length !== 1 || !batch) {
    throw new SqlError(SqlStates.protocolViolation, `exchange frame holds ${batches.length} batches, expected 1`);
  }
  return batch;
}

export function parseFrame(raw: RawFrame): Frame {
  switch (raw.kind) {
    case FRAME_BATCH:
      try {
        return { kind: 'batch', batch: decodeBatchPayload(raw.payload) };
      } catch (e) {
        // A frame that arrived whole but does not decode is our bug, not a lost connection.
        throw SqlError.internal(
          `malformed Arrow batch in exchange frame: ${e instanceof Error ? e.message : String(e)}`,
          e,
        );
      }
    case FRAME_ERROR:
      return { kind: 'error', error: parseJsonPayload(raw.payload) as SerializedSqlError };
    case FRAME_END:
      return { kind: 'end', stats: parseJsonPayload(raw.payload) as TaskStats };
    default:
      throw new SqlError(SqlStates.protocolViolation, `unknown exchange frame kind ${raw.kind}`);
  }
}

function parseJsonPayload(payload: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'));
  } catch (e) {
    throw new SqlError(SqlStates.protocolViolation, 'malformed exchange frame', undefined, { cause: e });
  }
}

/** Incremental decoder: feed network chunks with push(), take complete frames with next(). */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.buffered += chunk.byteLength;
  }

  /** Bytes received but not yet returned as a frame (non-zero at EOF = truncated stream). */
  get pendingBytes(): number {
    return this.buffered;
  }

  next(): RawFrame | undefined {
    if (this.buffered < FRAME_HEADER_BYTES) return undefined;
    const head = this.contiguous(FRAME_HEADER_BYTES);
    const kind = head.readUInt8(0);
    const length = head.readUInt32BE(1);
    if (this.buffered < FRAME_HEADER_BYTES + length) return undefined;
    const whole = this.contiguous(FRAME_HEADER_BYTES + length);
    const payload = whole.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + length);
    this.consume(FRAME_HEADER_BYTES + length);
    return { kind, payload };
  }

  /** Makes the first `n` buffered bytes one chunk and returns it (sliced to at least n bytes). */
  private contiguous(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.byteLength >= n) return first;
    const merged = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [merged];
    return merged;
  }

  private consume(n: number): void {
    while (n > 0) {
      const first = this.chunks[0]!;
      if (first.byteLength <= n) {
        this.chunks.shift();
        n -= first.byteLength;
        this.buffered -= first.byteLength;
      } else {
        this.chunks[0] = first.subarray(n);
        this.buffered -= n;
        n = 0;
      }
    }
  }
}
