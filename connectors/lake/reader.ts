// Worker side: decodes a split's row groups of one Parquet file, only the columns the query
// needs, and converts them into Tributary's layouts. Partition columns are constants; columns
// the file lacks are NULL; narrower file types are widened (integer -> bigint -> double).
// Decoding goes through the codec (codec-pool.ts: worker threads), up to `codec.prefetch` row
// groups ahead of the one the operators consume; leaving early or a cancel drops the rest.
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { type ColumnBuffers, makeBatch } from '../../common/arrow/batch.js';
import { SqlError } from '../../common/errors.js';
import type { Split } from '../../common/plan/task.js';
import { SqlStates } from '../../common/sqlstate.js';
import { type ColumnSchema, typeToSql } from '../../common/types.js';
import type { PageSource, ReadContext, TableHandle } from '../spi.js';
import { canWiden, sqlTypeOfField } from './arrow-types.js';
import type { DecodedBatch, DecodeOutput, ParquetCodec } from './codec.js';
import { constantColumn, nullColumn } from './convert.js';
import { parseSplit, parseTableHandle } from './handle.js';
import { DECODE_BATCH_ROWS } from './local-codec.js';
import { partitionTypes } from './metadata.js';
import { footerOf } from './parquet-file.js';
import { typedPartitionValue } from './partitions.js';

type Source =
  | { readonly kind: 'file'; readonly output: number }
  | { readonly kind: 'constant'; readonly value: number | string | null }
  | { readonly kind: 'null' };

export function lakePageSource(root: string, codec: () => ParquetCodec): PageSource {
  return {
    open(split: Split, handle: TableHandle, columns: readonly ColumnSchema[], ctx: ReadContext) {
      return readSplit(root, split, handle, columns, ctx.signal, codec());
    },
  };
}

async function* readSplit(
  root: string,
  split: Split,
  handle: TableHandle,
  columns: readonly ColumnSchema[],
  signal: AbortSignal,
  codec: ParquetCodec,
): AsyncGenerator<RecordBatch> {
  const h = parseTableHandle(handle);
  const s = parseSplit(split.payload);
  const abs = join(root, s.file);
  const footer = await footerOf(abs, s.size, s.mtimeMs);
  const fileFields = new Map(footer.fields.map((f) => [f.name.toLowerCase(), f]));
  const pTypes = partitionTypes(h);
  const outputs: DecodeOutput[] = [];
  const sources = columns.map((c): Source => {
    const pt = pTypes.get(c.name);
    if (pt) return { kind: 'constant', value: typedPartitionValue(s.partition[c.name] ?? null, pt) };
    const f = fileFields.get(c.name.toLowerCase());
    if (!f) return { kind: 'null' };
    const t = sqlTypeOfField(f);
    if (!canWiden(t, c.type)) {
      throw new SqlError(
        SqlStates.datatypeMismatch,
        `lake: file ${s.file} column ${f.name} has type ${typeToSql(t)}, the table column ${c.name} is ${typeToSql(c.type)}`,
      );
    }
    outputs.push({ name: f.name, type: c.type });
    return { kind: 'file', output: outputs.length - 1 };
  });
  // a pushed LIMIT: this split stops after that many rows (the engine applies the real one)
  let left = h.limit ?? Number.POSITIVE_INFINITY;
  if (outputs.length === 0) {
    for (const rg of s.rowGroups) {
      const rows = footer.rowGroups[rg] ?? 0;
      for (let at = 0; at < rows && left > 0; at += DECODE_BATCH_ROWS) {
        signal.throwIfAborted();
        const n = Math.min(DECODE_BATCH_ROWS, rows - at, left);
        left -= n;
        yield makeBatch(
          columns,
          n,
          columns.map((c, i) => fill(sources[i]!, c, n)),
        );
      }
    }
    return;
  }
  // with a LIMIT, decode one row group at a time (its rows are capped by what is still needed)
  const depth = h.limit !== undefined ? 1 : codec.prefetch;
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  const inFlight: Promise<DecodedBatch[]>[] = [];
  let next = 0;
  const fillWindow = () => {
    while (inFlight.length < depth && next < s.rowGroups.length && left > 0) {
      const p = codec.decode(
        {
          path: abs,
          size: s.size,
          mtimeMs: s.mtimeMs,
          rowGroup: s.rowGroups[next++]!,
          outputs,
          limit: Number.isFinite(left) ? left : -1,
        },
        stop.signal,
      );
      p.catch(() => undefined);
      inFlight.push(p);
    }
  };
  try {
    fillWindow();
    for (let p = inFlight.shift(); p !== undefined; p = inFlight.shift()) {
      signal.throwIfAborted();
      const decoded = await p;
      // the next row groups decode while the operators work on this one
      fillWindow();
      for (const d of decoded) {
        if (left <= 0) return;
        signal.throwIfAborted();
        left -= d.rows;
        yield makeBatch(
          columns,
          d.rows,
          columns.map((c, i): ColumnBuffers => {
            const src = sources[i]!;
            return src.kind === 'file' ? d.columns[src.output]! : fill(src, c, d.rows);
          }),
        );
      }
    }
  } finally {
    stop.abort();
    signal.removeEventListener('abort', onAbort);
  }
}

function fill(src: Source, c: ColumnSchema, n: number): ColumnBuffers {
  if (src.kind === 'constant') return constantColumn(c.type, src.value, n);
  return nullColumn(c.type, n);
}
