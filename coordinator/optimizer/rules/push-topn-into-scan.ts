// Offers a top-N to the connector of the scan below it (through a projection of columns):
//   TopN(n, keys) <- [Project <-] Scan   =>   [Project <-] Scan(top-N n, keys)           guaranteed
//                                        =>   TopN(n, keys) <- [Project <-] Scan(top-N)  otherwise
// Only keys that are plain columns of the scan; the connector decides per key whether the
// source orders it exactly as Tributary. A guaranteed top-N comes from one split, in order, so the
// engine's TopN goes. Trino: PushTopNIntoTableScan.
import type { SortKey } from '../../../common/plan/physical.js';
import type { LogicalPlan } from '../../planner/logical.js';
import type { Rule } from '../rule.js';
import { scanBelow } from './scan-below.js';

export const pushTopNIntoScan: Rule = {
  name: 'pushTopNIntoScan',
  apply(node, ctx) {
    if (node.kind !== 'top_n') return undefined;
    const below = scanBelow(node.input);
    if (!below) return undefined;
    const { scan } = below;
    const meta = ctx.metadataOf(scan.catalog);
    if (!meta?.applyTopN) return undefined;
    const keys: (SortKey & { column: string })[] = [];
    for (const k of node.keys) {
      const column = below.columnOf(k.symbol.id);
      if (column === undefined) return undefined;
      const index = scan.columns.findIndex((c) => c.column === column);
      keys.push({ index, ascending: k.ascending, nullsFirst: k.nullsFirst, column });
    }
    const result = meta.applyTopN(scan.handle, node.limit, keys);
    if (!result) return undefined;
    const rows = scan.rowCount === undefined ? node.limit : Math.min(scan.rowCount, node.limit);
    const input = below.rebuild({ ...scan, handle: result.handle, rowCount: rows });
    return result.guaranteed ? input : ({ ...node, input } satisfies LogicalPlan);
  },
};
