// Row-count estimates for choosing join build sides and exchange strategies. Deliberately
// simple: connector row counts where known, fixed selectivities elsewhere.
import { assertNever } from '../../common/assert.js';
import type { LogicalPlan } from './logical.js';

const UNKNOWN_TABLE_ROWS = 1_000_000;
const FILTER_SELECTIVITY = 0.25;
const GROUPING_REDUCTION = 0.1;

export function estimateRows(p: LogicalPlan): number {
  switch (p.kind) {
    case 'scan':
      return p.rowCount ?? UNKNOWN_TABLE_ROWS;
    case 'values':
      return p.rows.length;
    case 'filter':
      return estimateRows(p.input) * FILTER_SELECTIVITY;
    case 'project':
    case 'window':
    case 'sort':
    case 'insert':
      return estimateRows(p.input);
    case 'aggregate':
      return p.groupBy.length === 0 ? 1 : Math.max(1, estimateRows(p.input) * GROUPING_REDUCTION);
    case 'join': {
      const l = estimateRows(p.left);
      const r = estimateRows(p.right);
      return p.condition ? Math.max(l, r) : l * r;
    }
    case 'union':
      return p.inputs.reduce((n, i) => n + estimateRows(i), 0);
    case 'enforce_single_row':
      return 1;
    case 'replicate':
      return estimateRows(p.input);
    case 'top_n':
      return Math.min(p.limit, estimateRows(p.input));
    case 'limit':
      return p.limit === null ? estimateRows(p.input) : Math.min(p.limit, estimateRows(p.input));
    default:
      return assertNever(p, 'plan');
  }
}
