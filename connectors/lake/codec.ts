// What the lake reader and page sink ask of Parquet decoding and encoding, so that the work can
// run on the worker's main thread (local-codec.ts) or in a pool of worker_threads
// (codec-pool.ts) behind the same calls. Requests and results are plain data (structured-clonable).
import type { ColumnBuffers } from '../../common/arrow/batch.js';
import type { DataType } from '../../common/types.js';

/** One output column decoded from a file column (`name`), converted to the table's type. */
export interface DecodeOutput {
  readonly name: string;
  readonly type: DataType;
}

export interface DecodeRequest {
  /** Absolute path; `size` and `mtimeMs` identify the version (open files are cached by them). */
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly rowGroup: number;
  readonly outputs: readonly DecodeOutput[];
  /** Stop after this many rows (a pushed LIMIT); -1 for all. */
  readonly limit: number;
}

/** One batch of decoded rows: buffers per output, in the order of `DecodeRequest.outputs`. */
export interface DecodedBatch {
  readonly rows: number;
  readonly columns: readonly ColumnBuffers[];
}

/** A Parquet file being written row group by row group (zstd, with statistics). */
export interface ParquetFileWriter {
  /** Appends rows given as an Arrow IPC stream in the file's column layout (see writer.ts). */
  write(ipc: Uint8Array): Promise<void>;
  /** Finishes the file; resolves to its size in bytes. */
  close(): Promise<number>;
  /** Stops writing and removes the partial file. */
  abort(): Promise<void>;
}

export interface ParquetCodec {
  decode(req: DecodeRequest, signal: AbortSignal): Promise<DecodedBatch[]>;
  /** Creates `path` (which must not exist; its directory must) and writes into it. */
  openWriter(path: string): Promise<ParquetFileWriter>;
  /** How many row groups a reader may have decoding ahead of the one it consumes. */
  readonly prefetch: number;
  close(): Promise<void>;
}
