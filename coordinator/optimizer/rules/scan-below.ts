// Shared by the pushdown rules: a Scan directly below a node, or below a Project whose items
// the rule needs only as plain column references.
import type { LogicalPlan } from '../../planner/logical.js';

type Scan = Extract<LogicalPlan, { kind: 'scan' }>;

export interface ScanBelow {
  readonly scan: Scan;
  /** The connector column a symbol of the input reads, if it is a plain column. */
  columnOf(symbolId: string): string | undefined;
  /** The input again, over `scan` instead. */
  rebuild(scan: Scan): LogicalPlan;
}

export function scanBelow(input: LogicalPlan): ScanBelow | undefined {
  if (input.kind === 'scan') {
    const cols = new Map(input.columns.map((c) => [c.symbol.id, c.column]));
    return { scan: input, columnOf: (id) => cols.get(id), rebuild: (s) => s };
  }
  if (input.kind === 'project' && input.input.kind === 'scan') {
    const scan = input.input;
    const cols = new Map(scan.columns.map((c) => [c.symbol.id, c.column]));
    const defs = new Map(input.items.map((i) => [i.symbol.id, i.expr]));
    return {
      scan,
      columnOf: (id) => {
        const e = defs.get(id);
        return e?.kind === 'ref' ? cols.get(e.id) : undefined;
      },
      rebuild: (s) => ({ ...input, input: s }),
    };
  }
  return undefined;
}
