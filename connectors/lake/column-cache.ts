// A bounded cache of decoded column chunks (one column of one row group, in Tributary's layouts),
// in front of the codec: a repeated interactive query over the same files skips reading,
// decompressing, decoding and converting them (PERFORMANCE.md rule 5). Keyed by path, size and
// mtime, so a changed file is a different entry (lake writes never change a file in place);
// least recently used chunks leave first once `lake.column-cache-size` bytes are held.
// Cached buffers are shared by every query that reads them: operators never write into their
// input columns (kernels allocate their outputs).
import type { ColumnBuffers } from '../../common/arrow/batch.js';
import type { DecodedBatch, DecodeOutput, DecodeRequest, ParquetCodec } from './codec.js';

interface Chunk {
  /** Rows of each decoded batch of the row group. */
  readonly rows: readonly number[];
  readonly buffers: readonly ColumnBuffers[];
  readonly bytes: number;
}

export interface ColumnCacheStats {
  hits: number;
  misses: number;
  bytes: number;
  evictions: number;
}

export class ColumnCache {
  private readonly chunks = new Map<string, Chunk>();
  readonly stats: ColumnCacheStats = { hits: 0, misses: 0, bytes: 0, evictions: 0 };

  constructor(readonly maxBytes: number) {}

  get(key: string): Chunk | undefined {
    const c = this.chunks.get(key);
    if (!c) {
      this.stats.misses++;
      return undefined;
    }
    // most recently used last
    this.chunks.delete(key);
    this.chunks.set(key, c);
    this.stats.hits++;
    return c;
  }

  put(key: string, rows: readonly number[], buffers: readonly ColumnBuffers[]): void {
    const bytes = buffers.reduce((n, b) => n + sizeOf(b), 0);
    if (bytes > this.maxBytes / 4 || this.chunks.has(key)) return;
    this.chunks.set(key, { rows, buffers, bytes });
    this.stats.bytes += bytes;
    for (const [k, c] of this.chunks) {
      if (this.stats.bytes <= this.maxBytes) break;
      this.chunks.delete(k);
      this.stats.bytes -= c.bytes;
      this.stats.evictions++;
    }
  }

  clear(): void {
    this.chunks.clear();
    this.stats.bytes = 0;
  }
}

function sizeOf(b: ColumnBuffers): number {
  return b.values.byteLength + (b.offsets?.byteLength ?? 0) + (b.validity?.byteLength ?? 0);
}

function chunkKey(req: DecodeRequest, o: DecodeOutput): string {
  return `${req.path}\0${req.size}\0${req.mtimeMs}\0${req.rowGroup}\0${o.name}\0${JSON.stringify(o.type)}`;
}

function sameRows(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

/**
 * The codec with the cache in front of `decode`: whole row groups only (a LIMIT's partial row
 * group is not cached); columns found are reused, the others decoded and added.
 */
export function cachingCodec(inner: ParquetCodec, cache: ColumnCache): ParquetCodec {
  return {
    get prefetch() {
      return inner.prefetch;
    },
    openWriter: (path) => inner.openWriter(path),
    close: () => inner.close(),
    async decode(req, signal) {
      if (req.limit >= 0 || cache.maxBytes === 0) return inner.decode(req, signal);
      const keys = req.outputs.map((o) => chunkKey(req, o));
      const found = keys.map((k) => cache.get(k));
      const missing = req.outputs.flatMap((_, i) => (found[i] ? [] : [i]));
      let rows: readonly number[] | undefined = found.find((c) => c !== undefined)?.rows;
      const columns: (readonly ColumnBuffers[])[] = found.map((c) => c?.buffers ?? []);
      if (missing.length > 0) {
        const decoded = await inner.decode({ ...req, outputs: missing.map((i) => req.outputs[i]!) }, signal);
        const got = decoded.map((d) => d.rows);
        // Batches are cut the same way every time; should that ever differ, use this decode only.
        if (rows && !sameRows(rows, got)) return inner.decode(req, signal);
        rows = got;
        missing.forEach((i, j) => {
          const buffers = decoded.map((d) => d.columns[j]!);
          columns[i] = buffers;
          cache.put(keys[i]!, got, buffers);
        });
      }
      const out: DecodedBatch[] = (rows ?? []).map((n, b) => ({ rows: n, columns: columns.map((c) => c[b]!) }));
      return out;
    },
  };
}
