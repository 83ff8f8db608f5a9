// Offers a LIMIT to the connector of the scan below it (through projections):
//   Limit(n, offset k) <- [Project <-] Scan   =>   Limit(n, k) <- [Project <-] Scan(limit n + k)
// The Limit stays unless the connector guarantees it returns at most n + k rows; even then it
// stays when there is an offset to apply. Trino: PushLimitIntoTableScan.
import type { LogicalPlan } from '../../planner/logical.js';
import type { Rule, RuleContext } from '../rule.js';

export const pushLimitIntoScan: Rule = {
  name: 'pushLimitIntoScan',
  apply(node, ctx) {
    if (node.kind !== 'limit' || node.limit === null) return undefined;
    const n = node.limit + node.offset;
    const input = node.input;
    if (input.kind === 'scan') {
      const scan = offer(input, n, ctx);
      if (!scan) return undefined;
      return scan.guaranteed && node.offset === 0 ? scan.plan : { ...node, input: scan.plan };
    }
    if (input.kind === 'project' && input.input.kind === 'scan') {
      const scan = offer(input.input, n, ctx);
      if (!scan) return undefined;
      const project: LogicalPlan = { ...input, input: scan.plan };
      return scan.guaranteed && node.offset === 0 ? project : { ...node, input: project };
    }
    return undefined;
  },
};

function offer(
  scan: Extract<LogicalPlan, { kind: 'scan' }>,
  n: number,
  ctx: RuleContext,
): { plan: LogicalPlan; guaranteed: boolean } | undefined {
  if (scan.limitOffered !== undefined && scan.limitOffered <= n) return undefined;
  const meta = ctx.metadataOf(scan.catalog);
  const result = meta?.applyLimit?.(scan.handle, n);
  if (!result) return { plan: { ...scan, limitOffered: n }, guaranteed: false };
  return { plan: { ...scan, handle: result.handle, limitOffered: n }, guaranteed: result.guaranteed };
}
