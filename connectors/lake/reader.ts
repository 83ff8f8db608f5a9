// Worker side: decodes a split's row groups of one Parquet file, only the columns the query
// needs, and converts them into Tributary's layouts. Partition columns are constants; columns
// the file lacks are NULL; narrower file types are widened (integer -> bigint -> double).
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { type ColumnBuffers, makeBatch } from '../../common/arrow/batch.js';
import { SqlError } from '../../common/errors.js';
import type { Split } from '../../common/plan/task.js';
import { SqlStates } from '../../common/sqlstate.js';
import { type ColumnSchema, type DataType, typeToSql } from '../../common/types.js';
import type { PageSource, ReadContext, TableHandle } from '../spi.js';
import { canWiden, sqlTypeOfField } from './arrow-types.js';
import { constantColumn, nullColumn, toTributary } from './convert.js';
import { parseSplit, parseTableHandle } from './handle.js';
import { partitionTypes } from './metadata.js';
import { footerFromFile, openParquet, readRowGroup } from './parquet-file.js';
import { typedPartitionValue } from './partitions.js';

export const BATCH_ROWS = 8192;

type Source =
  | { readonly kind: 'file'; readonly name: string; readonly type: DataType }
  | { readonly kind: 'constant'; readonly value: number | string | null }
  | { readonly kind: 'null' };

export function lakePageSource(root: string): PageSource {
  return {
    open(split: Split, handle: TableHandle, columns: readonly ColumnSchema[], ctx: ReadContext) {
      return readSplit(root, split, handle, columns, ctx.signal);
    },
  };
}

async function* readSplit(
  root: string,
  split: Split,
  handle: TableHandle,
  columns: readonly ColumnSchema[],
  signal: AbortSignal,
): AsyncGenerator<RecordBatch> {
  const h = parseTableHandle(handle);
  const s = parseSplit(split.payload);
  const abs = join(root, s.file);
  const pf = await openParquet(abs);
  try {
    const footer = footerFromFile(pf, abs);
    const fileFields = new Map(footer.fields.map((f) => [f.name.toLowerCase(), f]));
    const pTypes = partitionTypes(h);
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
      return { kind: 'file', name: f.name, type: t };
    });
    const wanted = [...new Set(sources.flatMap((x) => (x.kind === 'file' ? [x.name] : [])))];
    // a pushed LIMIT: this split stops after that many rows (the engine applies the real one)
    let left = h.limit ?? Number.POSITIVE_INFINITY;
    for (const rg of s.rowGroups) {
      if (left <= 0) return;
      signal.throwIfAborted();
      if (wanted.length === 0) {
        const rows = footer.rowGroups[rg] ?? 0;
        for (let at = 0; at < rows && left > 0; at += BATCH_ROWS) {
          const n = Math.min(BATCH_ROWS, rows - at, left);
          left -= n;
          yield makeBatch(
            columns,
            n,
            columns.map((c, i) => fill(sources[i]!, c, n)),
          );
        }
        continue;
      }
      const table = await readRowGroup(pf, abs, rg, wanted, Math.min(BATCH_ROWS, Math.max(1, left)));
      for (const whole of table.batches) {
        if (left <= 0) return;
        signal.throwIfAborted();
        const batch = whole.numRows > left ? whole.slice(0, left) : whole;
        const n = batch.numRows;
        left -= n;
        const buffers = columns.map((c, i): ColumnBuffers => {
          const src = sources[i]!;
          if (src.kind !== 'file') return fill(src, c, n);
          const idx = batch.schema.fields.findIndex((f) => f.name === src.name);
          const data = batch.data.children[idx];
          if (!data) throw SqlError.internal(`lake: ${s.file}: column ${src.name} missing from the decoded batch`);
          return toTributary(data, c.type);
        });
        yield makeBatch(columns, n, buffers);
      }
    }
  } finally {
    pf.free();
  }
}

function fill(src: Source, c: ColumnSchema, n: number): ColumnBuffers {
  if (src.kind === 'constant') return constantColumn(c.type, src.value, n);
  return nullColumn(c.type, n);
}
