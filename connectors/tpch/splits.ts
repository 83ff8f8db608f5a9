// Splits: disjoint unit ranges of the table, workers x splits-per-node of them, runnable anywhere.
import type { Split } from '../../common/plan/task.js';
import type { MetaContext, SplitManager, TableHandle } from '../spi.js';
import { parseHandle, splitJson } from './handle.js';
import { type TpchTableName, unitCount } from './schema.js';

/** Cuts [0, units) into `parts` nearly equal, non-empty, contiguous ranges. */
export function splitRanges(units: number, parts: number): { start: number; end: number }[] {
  const n = Math.max(1, Math.min(parts, units));
  const ranges: { start: number; end: number }[] = [];
  for (let i = 0; i < n; i++) {
    ranges.push({ start: Math.floor((units * i) / n), end: Math.floor((units * (i + 1)) / n) });
  }
  return ranges;
}

const SINGLE_SPLIT: ReadonlySet<TpchTableName> = new Set(['nation', 'region']);

export function createSplitManager(catalog: string, splitsPerNode: number): SplitManager {
  return {
    async getSplits(handle: TableHandle, ctx: MetaContext): Promise<readonly Split[]> {
      const h = parseHandle(handle);
      const units = unitCount(h.table, h.sf);
      const parts = SINGLE_SPLIT.has(h.table) ? 1 : Math.max(1, ctx.workers.length) * splitsPerNode;
      return splitRanges(units, parts).map((r) => ({
        catalog,
        payload: splitJson({ table: h.table, sf: h.sf, start: r.start, end: r.end }),
        addresses: [],
      }));
    },
  };
}
