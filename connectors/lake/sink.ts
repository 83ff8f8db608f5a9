// Worker side of INSERT: batches are buffered and written as zstd Parquet files into the
// insert's staging directory (`<table>/_staging/<insertId>/`); finish() reports the file names,
// which the coordinator renames into the table when the whole statement succeeded. For a
// partitioned table, rows are grouped by their partition values: one file (per
// `lake.writer.max-file-rows`) per partition under `key=value/` directories (hive style, NULL as
// __HIVE_DEFAULT_PARTITION__); the partition columns are not stored in the files.
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { batchFromData, makeBatch } from '../../common/arrow/batch.js';
import { SqlError } from '../../common/errors.js';
import type { JsonValue } from '../../common/json.js';
import type { ColumnSchema } from '../../common/types.js';
import type { PageSink, PageSinkWriter, ReadContext } from '../spi.js';
import type { LakeConfig } from './config.js';
import { columnsFromJson, type LakeFragment, parseInsertHandle } from './handle.js';
import { STAGING_DIR } from './metadata.js';
import { partitionDirName } from './partitions.js';
import { partitionText, takeRows } from './take.js';
import { encodeParquet } from './writer.js';

interface Pending {
  batches: RecordBatch[];
  rows: number;
}

export function lakePageSink(config: LakeConfig): PageSink {
  return {
    create(insertHandle: JsonValue, columns: readonly ColumnSchema[], _ctx: ReadContext): PageSinkWriter {
      const h = parseInsertHandle(insertHandle);
      const tableColumns = columnsFromJson(h.columns);
      if (columns.length !== tableColumns.length) {
        throw SqlError.internal(`lake: writing ${columns.length} columns into a table of ${tableColumns.length}`);
      }
      const keys = h.partitionKeys ?? [];
      const keyIndex = keys.map((k) => {
        const i = tableColumns.findIndex((c) => c.name === k);
        if (i < 0) throw SqlError.internal(`lake: partition column ${k} is not a table column`);
        return i;
      });
      const dataIndex = tableColumns.flatMap((c, i) => (keys.includes(c.name) ? [] : [i]));
      const dataColumns = dataIndex.map((i) => tableColumns[i]!);
      const staging = join(config.root, h.path, STAGING_DIR, h.insertId);
      const written: string[] = [];
      /** Partition directory ('' when unpartitioned) -> rows waiting to be written. */
      const pending = new Map<string, Pending>();
      let rows = 0;
      let done = false;

      async function flush(dir: string): Promise<void> {
        const p = pending.get(dir);
        if (!p || p.rows === 0) return;
        pending.delete(dir);
        const bytes = encodeParquet(dataColumns, p.batches);
        const name = dir === '' ? `${randomUUID()}.parquet` : `${dir}/${randomUUID()}.parquet`;
        await mkdir(join(staging, dir), { recursive: true });
        written.push(name);
        await writeFile(join(staging, name), bytes);
      }

      async function add(dir: string, batch: RecordBatch): Promise<void> {
        let p = pending.get(dir);
        if (!p) {
          p = { batches: [], rows: 0 };
          pending.set(dir, p);
        }
        p.batches.push(batch);
        p.rows += batch.numRows;
        if (p.rows >= config.maxFileRows) await flush(dir);
      }

      async function appendPartitioned(batch: RecordBatch): Promise<void> {
        const keyData = keyIndex.map((i) => batch.data.children[i]!);
        const groups = new Map<string, number[]>();
        for (let r = 0; r < batch.numRows; r++) {
          let dir = '';
          for (let k = 0; k < keys.length; k++) {
            const part = partitionDirName(keys[k]!, partitionText(keyData[k]!, tableColumns[keyIndex[k]!]!.type, r));
            dir = k === 0 ? part : `${dir}/${part}`;
          }
          let g = groups.get(dir);
          if (!g) {
            g = [];
            groups.set(dir, g);
          }
          g.push(r);
        }
        const children = dataIndex.map((i) => batch.data.children[i]!);
        for (const [dir, rowsOf] of groups) {
          const part =
            groups.size === 1
              ? batchFromData(dataColumns, batch.numRows, children)
              : makeBatch(
                  dataColumns,
                  rowsOf.length,
                  dataColumns.map((c, j) => takeRows(children[j]!, c.type, rowsOf)),
                );
          await add(dir, part);
        }
      }

      return {
        async append(batch: RecordBatch): Promise<void> {
          if (done) throw SqlError.internal('lake: append after finish/abort');
          if (batch.numRows === 0) return;
          rows += batch.numRows;
          if (keys.length === 0) await add('', batch);
          else await appendPartitioned(batch);
        },
        async finish(): Promise<JsonValue> {
          for (const dir of [...pending.keys()]) await flush(dir);
          done = true;
          const fragment: LakeFragment = { files: written, rows };
          return fragment as unknown as JsonValue;
        },
        async abort(): Promise<void> {
          done = true;
          pending.clear();
          await Promise.all(written.map((f) => rm(join(staging, f), { force: true })));
        },
      };
    },
  };
}
