// Splits: the files of the partitions that pass the pushed predicates (pruned while listing),
// each cut into runs of consecutive row groups of about `lake.target-split-rows` rows, runnable
// on any worker.
import { join } from 'node:path';
import type { JsonValue } from '../../common/json.js';
import type { Split } from '../../common/plan/task.js';
import type { MetaContext, SplitManager, TableHandle } from '../spi.js';
import { type LakeSplit, parseTableHandle } from './handle.js';
import { listDataFiles } from './listing.js';
import { filePasses, type LakeMetadata, partitionTypes } from './metadata.js';
import { footerOf } from './parquet-file.js';
import { partitionFilter } from './predicates.js';

/** Groups row groups (their row counts) into runs of at least `target` rows; returns the runs' indexes. */
export function groupRowGroups(rows: readonly number[], target: number): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  let sum = 0;
  for (let i = 0; i < rows.length; i++) {
    cur.push(i);
    sum += rows[i]!;
    if (sum >= target) {
      out.push(cur);
      cur = [];
      sum = 0;
    }
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

export function lakeSplitManager(metadata: LakeMetadata): SplitManager {
  const { root, catalog, targetSplitRows } = metadata.config;
  return {
    async getSplits(handle: TableHandle, _ctx: MetaContext): Promise<readonly Split[]> {
      await metadata.ready();
      const h = parseTableHandle(handle);
      const types = partitionTypes(h);
      let files: { path: string; size: number; mtimeMs: number; partition: Readonly<Record<string, string | null>> }[];
      if (h.single) {
        const state = await metadata.tableState(h.schema, h.table);
        files = state ? [...state.files] : [];
      } else {
        files = (await listDataFiles(root, h.path, partitionFilter(h.predicates, types))).files;
        files = files.filter((f) => filePasses(f.partition, h.predicates, types));
      }
      const splits: Split[] = [];
      for (const f of files) {
        const footer = await footerOf(join(root, f.path), f.size, f.mtimeMs);
        for (const run of groupRowGroups(footer.rowGroups, targetSplitRows)) {
          let rows = 0;
          for (const g of run) rows += footer.rowGroups[g]!;
          const s: LakeSplit = {
            file: f.path,
            size: f.size,
            mtimeMs: f.mtimeMs,
            rowGroups: run,
            rows,
            partition: f.partition,
          };
          splits.push({ catalog, payload: s as unknown as JsonValue, addresses: [] });
        }
      }
      return splits;
    },
  };
}
