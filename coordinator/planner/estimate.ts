// Row-count estimates for choosing join build sides and exchange strategies. Deliberately
// simple: connector row counts where known, fixed selectivities elsewhere.
import { assertNever } from '../../common/assert.js';
import type { DataType } from '../../common/types.js';
import { type LogicalPlan, outputOf } from './logical.js';

const UNKNOWN_TABLE_ROWS = 1_000_000;
const FILTER_SELECTIVITY = 0.25;
const GROUPING_REDUCTION = 0.1;
/** A guess at a string's size in a batch (offsets + bytes; TPC-H's names, phones, comments). */
const VARCHAR_BYTES = 28;

/** The fraction of its tables' rows a subtree keeps (its filters' estimated effect). */
export function selectivity(p: LogicalPlan): number {
  return kept(estimateRows(p), p);
}

/** `rows` (the estimate of `p`) as a fraction of the rows before `p`'s filters. */
function kept(rows: number, p: LogicalPlan): number {
  const base = baseRows(p);
  return base > 0 ? Math.min(1, rows / base) : 1;
}

/** Rows before filters: the scans' row counts through filters, projections and joins. */
function baseRows(p: LogicalPlan): number {
  switch (p.kind) {
    case 'filter':
    case 'project':
      return baseRows(p.input);
    case 'join':
      if (p.joinType === 'semi' || p.joinType === 'anti') return baseRows(p.left);
      return p.condition ? Math.max(baseRows(p.left), baseRows(p.right)) : estimateRows(p);
    default:
      return estimateRows(p);
  }
}

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
      if (!p.condition) return l * r;
      // A semi join keeps the left rows whose key is among the right side's: as many as that side's
      // filters kept of its table (a key it would otherwise have).
      if (p.joinType === 'semi') return l * kept(r, p.right);
      if (p.joinType !== 'inner') return p.joinType === 'anti' ? l : Math.max(l, r);
      // A foreign key into the smaller side's key: each row of the larger side meets at most one
      // row, and the rows the smaller side's filters removed take their partners with them.
      return l >= r ? l * kept(r, p.right) : r * kept(l, p.left);
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

/** Estimated bytes of a subtree's output: rows times a fixed width per column type. */
export function estimateBytes(p: LogicalPlan): number {
  let width = 0;
  for (const s of outputOf(p)) width += typeBytes(s.type);
  return estimateRows(p) * width;
}

function typeBytes(t: DataType): number {
  switch (t.kind) {
    case 'boolean':
      return 1;
    case 'integer':
    case 'date':
      return 4;
    case 'decimal':
      return t.precision > 18 ? 16 : 8;
    case 'interval':
      return 16;
    case 'varchar':
      return VARCHAR_BYTES;
    default:
      return 8;
  }
}
