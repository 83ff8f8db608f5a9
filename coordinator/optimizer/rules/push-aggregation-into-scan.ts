// Offers a whole GROUP BY to the connector of the scan below it (through a projection of columns):
//   Aggregate(keys; count(*), sum(x)) <- [Project <-] Scan   =>   Scan(aggregation pushed)
// The new scan outputs the aggregate's own symbols (keys, then one column per aggregate), with
// values of the engine's types. All or nothing: argument expressions, DISTINCT, ordered
// aggregates or an aggregate the connector cannot compute exactly keep the plan as it is.
// Trino: PushAggregationIntoTableScan.
import type { AggregationSpec } from '../../../connectors/spi.js';
import type { LogicalPlan } from '../../planner/logical.js';
import type { Rule } from '../rule.js';
import { scanBelow } from './scan-below.js';

/** As the estimate of an aggregation in planner/estimate.ts. */
const GROUPING_REDUCTION = 0.1;

export const pushAggregationIntoScan: Rule = {
  name: 'pushAggregationIntoScan',
  apply(node, ctx) {
    if (node.kind !== 'aggregate') return undefined;
    const below = scanBelow(node.input);
    if (!below) return undefined;
    const { scan } = below;
    const meta = ctx.metadataOf(scan.catalog);
    if (!meta?.applyAggregation) return undefined;
    const groupBy: string[] = [];
    for (const g of node.groupBy) {
      const c = below.columnOf(g.id);
      if (c === undefined) return undefined;
      groupBy.push(c);
    }
    const aggregates: AggregationSpec['aggregates'][number][] = [];
    for (const a of node.aggregates) {
      if ((a as { orderBy?: readonly unknown[] }).orderBy?.length) return undefined;
      const args: string[] = [];
      for (const s of a.args) {
        const c = below.columnOf(s.id);
        if (c === undefined) return undefined;
        args.push(c);
      }
      aggregates.push({ fn: a.fn, args, distinct: a.distinct, type: a.output.type });
    }
    const result = meta.applyAggregation(scan.handle, { groupBy, aggregates });
    if (!result) return undefined;
    const symbols = [...node.groupBy, ...node.aggregates.map((a) => a.output)];
    if (result.outputs.length !== symbols.length) return undefined;
    const rows = node.groupBy.length === 0 ? 1 : Math.max(1, (scan.rowCount ?? 1_000_000) * GROUPING_REDUCTION);
    const pushed: LogicalPlan = {
      kind: 'scan',
      catalog: scan.catalog,
      table: scan.table,
      handle: result.handle,
      columns: symbols.map((symbol, i) => ({ column: result.outputs[i]!, symbol })),
      pushed: scan.pushed,
      rowCount: rows,
    };
    return pushed;
  },
};
