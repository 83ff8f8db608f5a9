// Partition pruning: turns WHERE conjuncts on partition columns (=, <>, <, <=, >, >=, IN,
// BETWEEN as two comparisons, IS [NOT] NULL) against literals into PartitionPredicates, and
// decides whether a partition directory value can satisfy them. Since every row of a partition
// directory has the same value, accepted conjuncts are exact: the engine need not re-check them.
import type { Expr } from '../../common/expr/expr.js';
import type { DataType } from '../../common/types.js';
import type { PartitionPredicate } from './handle.js';
import { typedPartitionValue } from './partitions.js';

const FLIP: Readonly<Record<string, PartitionPredicate['op']>> = {
  eq: 'eq',
  ne: 'ne',
  lt: 'gt',
  le: 'ge',
  gt: 'lt',
  ge: 'le',
};

/** A literal as the comparable value of a partition column of type `t`, or undefined. */
function literalValue(e: Expr, t: DataType): number | string | null | undefined {
  if (e.kind !== 'literal') return undefined;
  if (e.value === null) return null;
  const kinds = [t.kind, e.type.kind];
  if (t.kind === 'varchar' && e.type.kind === 'varchar' && typeof e.value === 'string') return e.value;
  if (t.kind === 'date' && e.type.kind === 'date' && typeof e.value === 'number') return e.value;
  if (kinds.every((k) => k === 'integer' || k === 'bigint')) {
    const n = Number(e.value);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

/**
 * The predicate a conjunct means when it compares one column with literals: `col op literal`
 * (either side), `col IN (literals)`, `col IS [NOT] NULL`. `types` says which columns qualify;
 * `literal` converts a literal to the column's comparable form (undefined: cannot).
 */
export function toColumnPredicate(
  e: Expr,
  types: ReadonlyMap<string, DataType>,
  literal: (e: Expr, t: DataType) => number | string | null | undefined,
): PartitionPredicate | undefined {
  const refOf = (x: Expr): [string, DataType] | undefined => {
    if (x.kind !== 'ref') return undefined;
    const t = types.get(x.id);
    return t ? [x.id, t] : undefined;
  };
  if (e.kind === 'call' && e.args.length === 2 && e.fn in FLIP) {
    const [a, b] = e.args as [Expr, Expr];
    let col = refOf(a);
    let other = b;
    let op = e.fn as PartitionPredicate['op'];
    if (!col) {
      col = refOf(b);
      other = a;
      op = FLIP[e.fn]!;
    }
    if (!col) return undefined;
    const v = literal(other, col[1]);
    if (v === undefined) return undefined;
    // a comparison with NULL is never true: an IN () of nothing excludes everything
    if (v === null) return { column: col[0], op: 'in', values: [] };
    return { column: col[0], op, values: [v] };
  }
  if (e.kind === 'in' && !e.negated) {
    const col = refOf(e.arg);
    if (!col) return undefined;
    const values: (number | string)[] = [];
    for (const item of e.list) {
      const v = literal(item, col[1]);
      if (v === undefined) return undefined;
      if (v !== null) values.push(v);
    }
    return { column: col[0], op: 'in', values };
  }
  if (e.kind === 'is_null') {
    const col = refOf(e.arg);
    if (!col) return undefined;
    return { column: col[0], op: e.negated ? 'not_null' : 'is_null', values: [] };
  }
  return undefined;
}

/** The predicate a conjunct means, when it only involves one partition column and literals. */
export function toPartitionPredicate(
  e: Expr,
  partitionTypes: ReadonlyMap<string, DataType>,
): PartitionPredicate | undefined {
  return toColumnPredicate(e, partitionTypes, literalValue);
}

/** Whether a partition value (already typed) satisfies a predicate. */
export function satisfies(p: PartitionPredicate, v: number | string | null): boolean {
  if (p.op === 'is_null') return v === null;
  if (p.op === 'not_null') return v !== null;
  if (v === null) return false;
  if (p.op === 'in') return p.values.includes(v);
  const x = p.values[0];
  if (x === undefined || typeof x !== typeof v) return false;
  switch (p.op) {
    case 'eq':
      return v === x;
    case 'ne':
      return v !== x;
    case 'lt':
      return v < x;
    case 'le':
      return v <= x;
    case 'gt':
      return v > x;
    case 'ge':
      return v >= x;
    default:
      return false;
  }
}

/** A directory filter for listing: keeps `key=value` when every predicate on `key` holds. */
export function partitionFilter(
  predicates: readonly PartitionPredicate[],
  partitionTypes: ReadonlyMap<string, DataType>,
): ((key: string, raw: string | null) => boolean) | undefined {
  if (predicates.length === 0) return undefined;
  return (key, raw) => {
    const t = partitionTypes.get(key);
    if (!t) return true;
    const v = typedPartitionValue(raw, t);
    for (const p of predicates) if (p.column === key && !satisfies(p, v)) return false;
    return true;
  };
}

export function describePredicate(p: PartitionPredicate): string {
  const sym: Readonly<Record<string, string>> = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };
  if (p.op === 'is_null') return `${p.column} IS NULL`;
  if (p.op === 'not_null') return `${p.column} IS NOT NULL`;
  if (p.op === 'in') return `${p.column} IN (${p.values.map((v) => JSON.stringify(v)).join(', ')})`;
  return `${p.column} ${sym[p.op]} ${JSON.stringify(p.values[0])}`;
}
