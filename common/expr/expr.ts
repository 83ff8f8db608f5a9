// The scalar expression IR shared by the planner, the connectors (pushdown) and the worker
// kernels. Plain JSON, immutable, tagged by `kind`; it crosses process boundaries inside tasks.
import { assertNever } from '../assert.js';
import { BOOLEAN, type DataType } from '../types.js';

/**
 * A literal's value, encoded per type so that it survives JSON:
 * boolean -> boolean; integer, double, date (days since epoch) -> number (double NaN/±Infinity
 * as the strings 'NaN', 'Infinity', '-Infinity'); bigint, timestamp (µs since epoch) -> decimal
 * digits as string; decimal -> the unscaled integer as a string of digits ('12345' is 123.45
 * for scale 2); varchar -> string; any type -> null for SQL NULL.
 */
export type LiteralValue = null | boolean | number | string;

export type Expr =
  /** Physical plans: the input batch's column at this position. */
  | { readonly kind: 'column'; readonly index: number; readonly type: DataType }
  /** Logical plans: a symbol (unique id of a plan node's output column). In connector pushdown, the column name. */
  | { readonly kind: 'ref'; readonly id: string; readonly type: DataType }
  | { readonly kind: 'literal'; readonly value: LiteralValue; readonly type: DataType }
  /** Statement parameter $n (1-based); replaced by a literal before execution. */
  | { readonly kind: 'param'; readonly index: number; readonly type: DataType }
  /**
   * Operators and scalar functions, by name (see common/functions/scalars.ts for the list):
   * add subtract multiply divide modulus negate, eq ne lt le gt ge, like, concat, ...
   * Arguments are already coerced to the types the function's kernel expects.
   */
  | { readonly kind: 'call'; readonly fn: string; readonly args: readonly Expr[]; readonly type: DataType }
  | { readonly kind: 'cast'; readonly arg: Expr; readonly type: DataType }
  | { readonly kind: 'and'; readonly args: readonly Expr[]; readonly type: DataType }
  | { readonly kind: 'or'; readonly args: readonly Expr[]; readonly type: DataType }
  | { readonly kind: 'not'; readonly arg: Expr; readonly type: DataType }
  | { readonly kind: 'is_null'; readonly arg: Expr; readonly negated: boolean; readonly type: DataType }
  /** `arg [NOT] IN (list)` with SQL's NULL rules; list items have arg's type. */
  | {
      readonly kind: 'in';
      readonly arg: Expr;
      readonly list: readonly Expr[];
      readonly negated: boolean;
      readonly type: DataType;
    }
  /** Searched CASE; a simple CASE is rewritten to this by the binder. `otherwise` null means ELSE NULL. */
  | {
      readonly kind: 'case';
      readonly whens: readonly { readonly when: Expr; readonly result: Expr }[];
      readonly otherwise: Expr | null;
      readonly type: DataType;
    };

export type ExprKind = Expr['kind'];

export function lit(value: LiteralValue, type: DataType): Expr {
  return { kind: 'literal', value, type };
}

export function and(args: readonly Expr[]): Expr {
  const flat = args.flatMap((a) => (a.kind === 'and' ? a.args : [a]));
  if (flat.length === 1 && flat[0]) return flat[0];
  return { kind: 'and', args: flat, type: BOOLEAN };
}

/** Splits a predicate into its top-level AND terms. */
export function conjuncts(e: Expr): readonly Expr[] {
  return e.kind === 'and' ? e.args.flatMap(conjuncts) : [e];
}

export function exprChildren(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'column':
    case 'ref':
    case 'literal':
    case 'param':
      return [];
    case 'call':
    case 'and':
    case 'or':
      return e.args;
    case 'cast':
    case 'not':
    case 'is_null':
      return [e.arg];
    case 'in':
      return [e.arg, ...e.list];
    case 'case':
      return [...e.whens.flatMap((w) => [w.when, w.result]), ...(e.otherwise ? [e.otherwise] : [])];
    default:
      return assertNever(e, 'expression');
  }
}

/** Rebuilds `e` bottom-up, letting `f` replace any node (return undefined to keep it). */
export function rewriteExpr(e: Expr, f: (e: Expr) => Expr | undefined): Expr {
  const mapped = mapChildren(e, (c) => rewriteExpr(c, f));
  return f(mapped) ?? mapped;
}

export function mapChildren(e: Expr, f: (e: Expr) => Expr): Expr {
  switch (e.kind) {
    case 'column':
    case 'ref':
    case 'literal':
    case 'param':
      return e;
    case 'call':
    case 'and':
    case 'or':
      return { ...e, args: e.args.map(f) };
    case 'cast':
    case 'not':
    case 'is_null':
      return { ...e, arg: f(e.arg) };
    case 'in':
      return { ...e, arg: f(e.arg), list: e.list.map(f) };
    case 'case':
      return {
        ...e,
        whens: e.whens.map((w) => ({ when: f(w.when), result: f(w.result) })),
        otherwise: e.otherwise ? f(e.otherwise) : null,
      };
    default:
      return assertNever(e, 'expression');
  }
}

/** Like mapChildren, but returns `e` itself when `f` returned every child unchanged. */
export function mapChildrenIfChanged(e: Expr, f: (e: Expr) => Expr): Expr {
  const kids = exprChildren(e);
  if (kids.length === 0) return e;
  let changed = false;
  const mapped = new Map<Expr, Expr>();
  for (const k of kids) {
    const m = f(k);
    mapped.set(k, m);
    if (m !== k) changed = true;
  }
  return changed ? mapChildren(e, (k) => mapped.get(k) ?? k) : e;
}

/** Symbols (`ref` ids) an expression reads. */
export function refsOf(e: Expr, into: Set<string> = new Set()): Set<string> {
  if (e.kind === 'ref') into.add(e.id);
  for (const c of exprChildren(e)) refsOf(c, into);
  return into;
}

/** Functions whose result changes between calls with the same arguments (never folded, never pushed). */
export const VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set(['random', 'now', 'current_timestamp', 'uuid']);

export function isDeterministic(e: Expr): boolean {
  if (e.kind === 'call' && VOLATILE_FUNCTIONS.has(e.fn)) return false;
  return exprChildren(e).every(isDeterministic);
}
