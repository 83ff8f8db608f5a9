// Worker side of INSERT: batches are buffered and written as zstd Parquet files into the
// insert's staging directory (`<table>/_staging/<insertId>/`); finish() reports the file names,
// which the coordinator renames into the table when the whole statement succeeded.
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { SqlError } from '../../common/errors.js';
import type { JsonValue } from '../../common/json.js';
import type { ColumnSchema } from '../../common/types.js';
import type { PageSink, PageSinkWriter, ReadContext } from '../spi.js';
import type { LakeConfig } from './config.js';
import { columnsFromJson, type LakeFragment, parseInsertHandle } from './handle.js';
import { STAGING_DIR } from './metadata.js';
import { encodeParquet } from './writer.js';

export function lakePageSink(config: LakeConfig): PageSink {
  return {
    create(insertHandle: JsonValue, columns: readonly ColumnSchema[], _ctx: ReadContext): PageSinkWriter {
      const h = parseInsertHandle(insertHandle);
      const tableColumns = columnsFromJson(h.columns);
      if (columns.length !== tableColumns.length) {
        throw SqlError.internal(`lake: writing ${columns.length} columns into a table of ${tableColumns.length}`);
      }
      const staging = join(config.root, h.path, STAGING_DIR, h.insertId);
      const written: string[] = [];
      let pending: RecordBatch[] = [];
      let pendingRows = 0;
      let rows = 0;
      let done = false;

      async function flush(): Promise<void> {
        if (pendingRows === 0) return;
        const bytes = encodeParquet(tableColumns, pending);
        pending = [];
        pendingRows = 0;
        const name = `${randomUUID()}.parquet`;
        await mkdir(staging, { recursive: true });
        written.push(name);
        await writeFile(join(staging, name), bytes);
      }

      return {
        async append(batch: RecordBatch): Promise<void> {
          if (done) throw SqlError.internal('lake: append after finish/abort');
          if (batch.numRows === 0) return;
          pending.push(batch);
          pendingRows += batch.numRows;
          rows += batch.numRows;
          if (pendingRows >= config.maxFileRows) await flush();
        },
        async finish(): Promise<JsonValue> {
          await flush();
          done = true;
          const fragment: LakeFragment = { files: written, rows };
          return fragment as unknown as JsonValue;
        },
        async abort(): Promise<void> {
          done = true;
          pending = [];
          await Promise.all(written.map((f) => rm(join(staging, f), { force: true })));
        },
      };
    },
  };
}
