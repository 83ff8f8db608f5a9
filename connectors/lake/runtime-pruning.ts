// Dynamic filtering on the worker (common/plan/dynamic-filter.ts): splits were planned before the
// join's build side was known; once its key values have been added to the handle (applyFilter),
// a split whose partition directory cannot match is skipped without opening its file, and the
// row groups whose footer min/max statistics exclude every value are dropped from it.
import { join } from 'node:path';
import type { JsonValue } from '../../common/json.js';
import type { Split } from '../../common/plan/task.js';
import type { PageSource, SplitPruning, TableHandle } from '../spi.js';
import { fileStatsOf } from './footer-stats.js';
import { type LakeSplit, parseSplit, parseTableHandle } from './handle.js';
import { dataColumnTypes, filePasses, partitionTypes } from './metadata.js';
import { rowGroupMayMatch } from './stats-predicates.js';

export function lakeSplitPruner(root: string): NonNullable<PageSource['pruneSplit']> {
  return async (split: Split, handle: TableHandle): Promise<SplitPruning> => {
    const h = parseTableHandle(handle);
    const s = parseSplit(split.payload);
    const total = s.rowGroups.length;
    const where = {
      file: s.file,
      ...(h.partitionKeys.length > 0
        ? { partition: h.partitionKeys.map((k) => `${k}=${s.partition[k] ?? 'NULL'}`).join('/') }
        : {}),
    };
    if (!filePasses(s.partition, h.predicates, partitionTypes(h))) {
      return { ...where, split: null, rowGroups: { total, kept: 0 } };
    }
    const predicates = h.statsPredicates ?? [];
    if (predicates.length === 0) return { ...where, split, rowGroups: { total, kept: total } };
    const stats = await fileStatsOf(join(root, s.file), s.size, s.mtimeMs);
    const types = dataColumnTypes(h);
    const kept = s.rowGroups.filter((g) => {
      const rg = stats.rowGroups[g];
      return rg === undefined || rowGroupMayMatch(rg, stats, predicates, types);
    });
    const rowGroups = { total, kept: kept.length };
    if (kept.length === 0) return { ...where, split: null, rowGroups };
    if (kept.length === total) return { ...where, split, rowGroups };
    let rows = 0;
    for (const g of kept) rows += stats.rowGroups[g]?.rows ?? 0;
    const narrowed: LakeSplit = { ...s, rowGroups: kept, rows };
    return { ...where, split: { ...split, payload: narrowed as unknown as JsonValue }, rowGroups };
  };
}

/** The lake's page source with run-time split pruning. */
export function withSplitPruning(source: PageSource, root: string): PageSource {
  return {
    open: (split, handle, columns, ctx) => source.open(split, handle, columns, ctx),
    pruneSplit: lakeSplitPruner(root),
  };
}
