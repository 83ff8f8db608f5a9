// Splits: the files of the partitions that pass the pushed predicates (pruned while listing),
// each cut into runs of consecutive row groups of about `lake.target-split-rows` rows, runnable
// on any worker.
import { join } from 'node:path';
import type { JsonValue } from '../../common/json.js';
import type { Split } from '../../common/plan/task.js';
import type { MetaContext, SplitManager, TableHandle } from '../spi.js';
import { fileStatsOf } from './footer-stats.js';
import { type LakeSplit, parseTableHandle } from './handle.js';
import { listDataFiles } from './listing.js';
import { dataColumnTypes, filePasses, type LakeMetadata, partitionTypes } from './metadata.js';
import { partitionFilter } from './predicates.js';
import { selectRowGroups } from './stats-predicates.js';

/**
 * Groups row groups (their row counts) into runs of at least `target` rows; returns the runs' indexes.
 * `only`: the row groups to keep (ascending), all when omitted; a run never spans a skipped one.
 */
export function groupRowGroups(rows: readonly number[], target: number, only?: readonly number[]): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  let sum = 0;
  const keep = only ?? rows.map((_, i) => i);
  for (let k = 0; k < keep.length; k++) {
    const i = keep[k]!;
    if (cur.length > 0 && cur[cur.length - 1] !== i - 1) {
      out.push(cur);
      cur = [];
      sum = 0;
    }
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
      const statsPredicates = h.statsPredicates ?? [];
      const columnTypes = dataColumnTypes(h);
      // with a pushed LIMIT (only ever directly above the scan: no filter in between), stop
      // making splits once the selected row groups hold enough rows
      const limit = statsPredicates.length === 0 ? h.limit : undefined;
      let planned = 0;
      for (const f of files) {
        if (limit !== undefined && planned >= limit) break;
        const stats = await fileStatsOf(join(root, f.path), f.size, f.mtimeMs);
        const rowCounts = stats.rowGroups.map((g) => g.rows);
        const keep = selectRowGroups(stats, statsPredicates, columnTypes);
        for (const run of groupRowGroups(rowCounts, targetSplitRows, keep)) {
          if (limit !== undefined && planned >= limit) break;
          let rows = 0;
          for (const g of run) rows += rowCounts[g]!;
          planned += rows;
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
