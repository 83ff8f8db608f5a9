// Row-count estimates for choosing join build sides and exchange strategies. Deliberately
// simple: connector row counts where known, fixed selectivities per kind of predicate elsewhere.
import { assertNever } from '../../common/assert.js';
import { conjuncts, type Expr } from '../../common/expr/expr.js';
import { pgTypeLen } from '../../common/pg-types.js';
import type { DataType } from '../../common/types.js';
import { type LogicalPlan, outputOf } from './logical.js';

const UNKNOWN_TABLE_ROWS = 1_000_000;
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

// Without column statistics, fixed guesses in the manner of System R: an equality keeps a tenth,
// one bound a quarter, both bounds of one column (a range) a tenth, a pattern a tenth; conjuncts
// multiply (as if independent).
const EQUALITY = 0.1;
const ONE_BOUND = 0.25;
const TWO_BOUNDS = 0.1;
const PATTERN = 0.1;
const OTHER = 0.5;
const MIN_SELECTIVITY = 1e-4;

/** Per predicate object: plans are immutable, and the fragmenter estimates a subtree many times. */
const selectivities = new WeakMap<Expr, number>();

/** The estimated fraction of rows a predicate keeps. */
export function predicateSelectivity(e: Expr): number {
  let s = selectivities.get(e);
  if (s === undefined) {
    s = computeSelectivity(e);
    selectivities.set(e, s);
  }
  return s;
}

function computeSelectivity(e: Expr): number {
  let s = 1;
  const bounds = new Map<string, { lower: boolean; upper: boolean }>();
  const seen = new Set<string>();
  for (const c of conjuncts(e)) {
    // The same conjunct twice (an implied restriction next to the one it came from) counts once.
    const key = JSON.stringify(c);
    if (seen.has(key)) continue;
    seen.add(key);
    const bound = boundOf(c);
    if (bound === undefined) {
      s *= termSelectivity(c);
      continue;
    }
    const b = bounds.get(bound.column) ?? { lower: false, upper: false };
    if (bound.lower) b.lower = true;
    else b.upper = true;
    bounds.set(bound.column, b);
  }
  for (const b of bounds.values()) s *= b.lower && b.upper ? TWO_BOUNDS : ONE_BOUND;
  return Math.max(MIN_SELECTIVITY, s);
}

/** `column < literal` and the like: which column, and whether it is a lower bound. */
function boundOf(e: Expr): { column: string; lower: boolean } | undefined {
  if (e.kind !== 'call' || e.args.length !== 2 || !['lt', 'le', 'gt', 'ge'].includes(e.fn)) return undefined;
  const [a, b] = e.args as [Expr, Expr];
  const constant = (x: Expr) => x.kind === 'literal' || x.kind === 'param';
  const lowerFn = e.fn === 'gt' || e.fn === 'ge';
  if (a.kind === 'ref' && constant(b)) return { column: a.id, lower: lowerFn };
  if (b.kind === 'ref' && constant(a)) return { column: b.id, lower: !lowerFn };
  return undefined;
}

function termSelectivity(e: Expr): number {
  switch (e.kind) {
    case 'and':
      return predicateSelectivity(e);
    case 'or':
      return Math.min(1, 1 - e.args.reduce((keep, a) => keep * (1 - termSelectivity(a)), 1));
    case 'not':
      return 1 - termSelectivity(e.arg);
    case 'in':
      return e.negated ? 1 - Math.min(0.5, EQUALITY * e.list.length) : Math.min(0.5, EQUALITY * e.list.length);
    case 'is_null':
      return e.negated ? 1 - EQUALITY : EQUALITY;
    case 'literal':
      return e.value === false || e.value === null ? 0 : 1;
    case 'call':
      switch (e.fn) {
        case 'eq':
          return EQUALITY;
        case 'ne':
          return 1 - EQUALITY;
        case 'lt':
        case 'le':
        case 'gt':
        case 'ge':
          return ONE_BOUND;
        case 'like':
        case 'ilike':
        case 'starts_with':
        case 'regexp_like':
          return PATTERN;
        default:
          return OTHER;
      }
    default:
      return OTHER;
  }
}

export function estimateRows(p: LogicalPlan): number {
  switch (p.kind) {
    case 'scan':
      return p.rowCount ?? UNKNOWN_TABLE_ROWS;
    case 'values':
      return p.rows.length;
    case 'filter':
      return estimateRows(p.input) * predicateSelectivity(p.predicate);
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

/** Estimated bytes of one output row of a subtree: a fixed width per column type. */
export function rowBytes(p: LogicalPlan): number {
  let width = 0;
  for (const s of outputOf(p)) width += typeBytes(s.type);
  return width;
}

function typeBytes(t: DataType): number {
  const fixed = pgTypeLen(t);
  if (fixed > 0) return fixed;
  if (t.kind === 'decimal') return t.precision > 18 ? 16 : 8;
  return t.kind === 'varchar' ? VARCHAR_BYTES : 8;
}
