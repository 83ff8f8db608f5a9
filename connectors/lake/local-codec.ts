// Parquet decoding and encoding on the calling thread: the worker's main thread when
// `lake.threads=0` (or while the pool's threads start), and the body of each pool thread.
//   decode: one row group, only the needed columns, converted to Tributary layouts (convert.ts)
//   write:  a file fed row group by row group through parquet-wasm's streaming writer, so a
//           large INSERT never holds a whole file in memory nor encodes it in one blocking call
import { type FileHandle, open, rm } from 'node:fs/promises';
import type { Data } from 'apache-arrow';
import {
  type ParquetFile,
  transformParquetStream,
  type RecordBatch as WasmBatch,
  Table as WasmTable,
} from 'parquet-wasm';
import { SqlError } from '../../common/errors.js';
import type { DecodedBatch, DecodeRequest, ParquetCodec, ParquetFileWriter } from './codec.js';
import { toTributary } from './convert.js';
import { fileError, openParquet, readRowGroup } from './parquet-file.js';
import { writerProperties } from './writer.js';

/** Rows per decoded batch. */
export const DECODE_BATCH_ROWS = 65536;
const OPEN_FILES = 8;

/** Decodes one row group of an open file (see DecodeRequest). */
export async function decodeRowGroup(pf: ParquetFile, req: DecodeRequest): Promise<DecodedBatch[]> {
  let left = req.limit < 0 ? Number.POSITIVE_INFINITY : req.limit;
  const names = [...new Set(req.outputs.map((o) => o.name))];
  const table = await readRowGroup(pf, req.path, req.rowGroup, names, Math.min(DECODE_BATCH_ROWS, Math.max(1, left)));
  const out: DecodedBatch[] = [];
  for (const whole of table.batches) {
    if (left <= 0) break;
    const batch = whole.numRows > left ? whole.slice(0, left) : whole;
    left -= batch.numRows;
    const columns = req.outputs.map((o) => {
      const idx = batch.schema.fields.findIndex((f) => f.name === o.name);
      const data: Data | undefined = batch.data.children[idx];
      if (!data) throw SqlError.internal(`lake: ${req.path}: column ${o.name} missing from the decoded batch`);
      return toTributary(data, o.type);
    });
    out.push({ rows: batch.numRows, columns });
  }
  return out;
}

/**
 * Open files by path+size+mtime, so a thread decoding row group after row group of one file
 * parses its footer once. A file is checked out while in use (parquet-wasm objects must not be
 * used by two reads at once) and freed when evicted.
 */
class OpenFiles {
  private readonly idle = new Map<string, ParquetFile>();
  constructor(private readonly limit: number) {}

  async take(req: DecodeRequest): Promise<{ key: string; pf: ParquetFile }> {
    const key = `${req.path}\0${req.size}\0${req.mtimeMs}`;
    const hit = this.idle.get(key);
    if (hit) {
      this.idle.delete(key);
      return { key, pf: hit };
    }
    return { key, pf: await openParquet(req.path) };
  }

  give(key: string, pf: ParquetFile): void {
    if (this.idle.has(key)) {
      pf.free();
      return;
    }
    this.idle.set(key, pf);
    if (this.idle.size > this.limit) {
      const [oldKey, old] = this.idle.entries().next().value as [string, ParquetFile];
      this.idle.delete(oldKey);
      old.free();
    }
  }

  clear(): void {
    for (const pf of this.idle.values()) pf.free();
    this.idle.clear();
  }
}

export class LocalCodec implements ParquetCodec {
  /** Decoding here blocks this thread, so reading ahead gains nothing. */
  readonly prefetch = 1;
  private readonly files = new OpenFiles(OPEN_FILES);

  async decode(req: DecodeRequest, signal?: AbortSignal): Promise<DecodedBatch[]> {
    signal?.throwIfAborted();
    const { key, pf } = await this.files.take(req);
    let ok = false;
    try {
      const out = await decodeRowGroup(pf, req);
      ok = true;
      return out;
    } finally {
      // after a failure the file object may be unusable: drop it
      if (ok) this.files.give(key, pf);
      else pf.free();
    }
  }

  openWriter(path: string): Promise<ParquetFileWriter> {
    return StreamingWriter.open(path);
  }

  async close(): Promise<void> {
    this.files.clear();
  }
}

/**
 * parquet-wasm's transformParquetStream reads wasm record batches from a ReadableStream and
 * emits the file's bytes as row groups fill; write() resolves once the encoder has taken the
 * rows (backpressure), the bytes go to the file as they come.
 */
class StreamingWriter implements ParquetFileWriter {
  private controller: ReadableStreamDefaultController<WasmBatch> | undefined;
  private wake: (() => void) | undefined;
  private readonly done: Promise<number>;
  private finished = false;
  private pumpEnded = false;
  private fhClosed = false;

  static async open(path: string): Promise<StreamingWriter> {
    let fh: FileHandle;
    try {
      fh = await open(path, 'wx');
    } catch (e) {
      throw fileError(path, 'cannot create Parquet file', e);
    }
    return new StreamingWriter(path, fh);
  }

  private constructor(
    private readonly path: string,
    private readonly fh: FileHandle,
  ) {
    const input = new ReadableStream<WasmBatch>(
      {
        start: (c) => {
          this.controller = c;
        },
        pull: () => {
          const w = this.wake;
          this.wake = undefined;
          w?.();
        },
      },
      { highWaterMark: 1 },
    );
    this.done = this.pump(input);
    this.done.catch(() => undefined);
  }

  private async pump(input: ReadableStream<WasmBatch>): Promise<number> {
    try {
      const out = await transformParquetStream(input, writerProperties());
      const reader = out.getReader();
      let bytes = 0;
      for (;;) {
        const r = await reader.read();
        if (r.done) return bytes;
        const chunk = r.value as Uint8Array;
        await this.fh.write(chunk);
        bytes += chunk.length;
      }
    } finally {
      this.pumpEnded = true;
      this.wake?.();
    }
  }

  private async closeFile(): Promise<void> {
    if (this.fhClosed) return;
    this.fhClosed = true;
    await this.fh.close();
  }

  async write(ipc: Uint8Array): Promise<void> {
    const c = this.controller;
    if (!c || this.finished) throw SqlError.internal(`lake: write after close of ${this.path}`);
    let table: WasmTable;
    try {
      table = WasmTable.fromIPCStream(ipc);
    } catch (e) {
      throw fileError(this.path, 'cannot encode rows for', e);
    }
    try {
      for (const b of table.recordBatches()) c.enqueue(b);
    } catch (e) {
      // the stream failed: report why
      await this.done.catch((why: unknown) => {
        throw fileError(this.path, 'cannot write', why);
      });
      throw fileError(this.path, 'cannot write', e);
    } finally {
      table.free();
    }
    while ((c.desiredSize ?? 0) <= 0 && !this.pumpEnded) {
      const woken = new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      await Promise.race([woken, this.done]).catch((why: unknown) => {
        throw fileError(this.path, 'cannot write', why);
      });
    }
    if (this.pumpEnded) {
      // the encoder stopped before close(): that is a failure
      await this.done.then(
        () => {
          throw SqlError.internal(`lake: the Parquet encoder of ${this.path} stopped early`);
        },
        (why: unknown) => {
          throw fileError(this.path, 'cannot write', why);
        },
      );
    }
  }

  async close(): Promise<number> {
    this.finished = true;
    this.controller?.close();
    try {
      return await this.done;
    } catch (e) {
      throw fileError(this.path, 'cannot write', e);
    } finally {
      await this.closeFile();
    }
  }

  async abort(): Promise<void> {
    if (!this.finished) {
      this.finished = true;
      try {
        this.controller?.error(new Error('write aborted'));
      } catch {
        // already closed or errored
      }
    }
    await this.done.catch(() => undefined);
    await this.closeFile().catch(() => undefined);
    await rm(this.path, { force: true });
  }
}
