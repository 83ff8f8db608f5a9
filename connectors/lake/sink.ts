// Worker side of INSERT: batches are written as zstd Parquet files into the insert's staging
// directory (`<table>/_staging/<insertId>/`); finish() reports the file names, which the
// coordinator renames into the table when the whole statement succeeded. Rows go to the codec
// (codec-pool.ts: a worker thread) a row group at a time and are encoded and written while more
// arrive; a file ends after `lake.writer.max-file-rows` rows. For a partitioned table, rows are
// grouped by their partition values: files per partition under `key=value/` directories (hive
// style, NULL as __HIVE_DEFAULT_PARTITION__); the partition columns are not stored in the files.
// The staging directory is never re-created here: once the coordinator removed it (the statement
// failed or was cancelled), a late write fails instead of leaving files behind.
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { batchFromData, makeBatch } from '../../common/arrow/batch.js';
import { SqlError } from '../../common/errors.js';
import type { JsonValue } from '../../common/json.js';
import type { ColumnSchema } from '../../common/types.js';
import type { PageSink, PageSinkWriter, ReadContext } from '../spi.js';
import type { ParquetCodec, ParquetFileWriter } from './codec.js';
import type { LakeConfig } from './config.js';
import { columnsFromJson, type LakeFragment, parseInsertHandle } from './handle.js';
import { fileError } from './parquet-file.js';
import { partitionDirName } from './partitions.js';
import { STAGING_DIR } from './staging.js';
import { partitionText, takeRows } from './take.js';
import { exportIPC, ROW_GROUP_ROWS } from './writer.js';

interface OpenFile {
  readonly name: string;
  readonly writer: ParquetFileWriter;
  rows: number;
  /** The last write, not awaited yet: one chunk encodes while the next one gathers. */
  inFlight: Promise<void> | null;
}

interface Pending {
  batches: RecordBatch[];
  rows: number;
  file: OpenFile | null;
}

export function lakePageSink(config: LakeConfig, codec: () => ParquetCodec): PageSink {
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
      /** Partition directory ('' when unpartitioned) -> rows waiting to be written, and its open file. */
      const pending = new Map<string, Pending>();
      const chunkRows = Math.min(ROW_GROUP_ROWS, config.maxFileRows);
      const made = new Set<string>(['']);
      let rows = 0;
      let done = false;

      /** Creates `dir` (relative) level by level inside the staging directory, which must exist. */
      async function makeDir(dir: string): Promise<void> {
        if (made.has(dir)) return;
        const slash = dir.lastIndexOf('/');
        if (slash > 0) await makeDir(dir.slice(0, slash));
        try {
          await mkdir(join(staging, dir));
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw fileError(join(staging, dir), 'cannot create', e);
        }
        made.add(dir);
      }

      async function openFile(dir: string): Promise<OpenFile> {
        await makeDir(dir);
        const name = dir === '' ? `${randomUUID()}.parquet` : `${dir}/${randomUUID()}.parquet`;
        return { name, writer: await codec().openWriter(join(staging, name)), rows: 0, inFlight: null };
      }

      async function closeFile(p: Pending): Promise<void> {
        const f = p.file;
        if (!f) return;
        p.file = null;
        try {
          await f.inFlight;
          await f.writer.close();
        } catch (e) {
          await f.writer.abort().catch(() => undefined);
          throw e;
        }
        written.push(f.name);
      }

      /** Sends the rows waiting for `dir` to its file (opening one when needed). */
      async function push(dir: string, p: Pending): Promise<void> {
        if (p.rows === 0) return;
        const ipc = exportIPC(dataColumns, p.batches);
        const n = p.rows;
        p.batches = [];
        p.rows = 0;
        p.file ??= await openFile(dir);
        const f = p.file;
        await f.inFlight;
        f.rows += n;
        f.inFlight = f.writer.write(ipc);
        f.inFlight.catch(() => undefined);
        if (f.rows >= config.maxFileRows) await closeFile(p);
      }

      async function add(dir: string, batch: RecordBatch): Promise<void> {
        let p = pending.get(dir);
        if (!p) {
          p = { batches: [], rows: 0, file: null };
          pending.set(dir, p);
        }
        p.batches.push(batch);
        p.rows += batch.numRows;
        if (p.rows >= chunkRows) await push(dir, p);
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
          // the last rows of every partition: as many files at once as the codec has threads
          const left = [...pending];
          const drain = async () => {
            for (let next = left.shift(); next; next = left.shift()) {
              try {
                await push(next[0], next[1]);
                await closeFile(next[1]);
              } catch (e) {
                left.length = 0; // the others stop after their current file
                throw e;
              }
            }
          };
          const drains = await Promise.allSettled(
            Array.from({ length: Math.min(left.length, codec().prefetch) }, drain),
          );
          for (const d of drains) if (d.status === 'rejected') throw d.reason;
          done = true;
          const fragment: LakeFragment = { files: written, rows };
          return fragment as unknown as JsonValue;
        },
        async abort(): Promise<void> {
          done = true;
          const open = [...pending.values()].flatMap((p) => (p.file ? [p.file] : []));
          pending.clear();
          await Promise.all(open.map((f) => f.writer.abort().catch(() => undefined)));
          await Promise.all(written.map((f) => rm(join(staging, f), { force: true })));
        },
      };
    },
  };
}
