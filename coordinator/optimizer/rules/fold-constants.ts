// Evaluates what does not depend on the data, once, at planning time:
//   CAST('1998-12-01' AS date)   => DATE literal        x AND TRUE    => x
//   NOT TRUE                     => FALSE               x OR TRUE     => TRUE
//   NULL IS NULL                 => TRUE                2 + 3 (integers/doubles) => 5
// Anything that could raise an error (overflow, bad cast) is left to run time, where the
// error reaches the client only if the expression is actually evaluated.

import { type Expr, type LiteralValue, mapChildrenIfChanged, rewriteExpr } from '../../../common/expr/expr.js';
import { castLiteral } from '../../../common/expr/literal.js';
import { BOOLEAN, VARCHAR } from '../../../common/types.js';
import type { LogicalPlan } from '../../planner/logical.js';
import type { Rule } from '../rule.js';
import { foldDatetimeCall } from './fold-datetime.js';

export const foldConstants: Rule = {
  name: 'foldConstants',
  apply(node) {
    const changed = foldNode(node);
    return changed === node ? undefined : changed;
  },
};

function foldNode(node: LogicalPlan): LogicalPlan {
  switch (node.kind) {
    case 'filter': {
      const predicate = foldExpr(node.predicate);
      return predicate === node.predicate ? node : { ...node, predicate };
    }
    case 'project': {
      const rows = node.input.kind === 'values' ? projectValues(node, node.input) : undefined;
      if (rows) return { kind: 'values', rows, output: node.items.map((i) => i.symbol) };
      const items = node.items.map((i) => ({ symbol: i.symbol, expr: foldExpr(i.expr) }));
      return items.every((it, k) => it.expr === node.items[k]?.expr) ? node : { ...node, items };
    }
    case 'join': {
      if (!node.condition) return node;
      const condition = foldExpr(node.condition);
      return condition === node.condition ? node : { ...node, condition };
    }
    case 'values': {
      const rows = node.rows.map((r) => r.map(foldExpr));
      return rows.every((r, i) => r.every((e, j) => e === node.rows[i]?.[j])) ? node : { ...node, rows };
    }
    default:
      return node;
  }
}

const isLit = (e: Expr): e is Extract<Expr, { kind: 'literal' }> => e.kind === 'literal';
const bool = (v: boolean | null): Expr => ({ kind: 'literal', value: v, type: BOOLEAN });

/** Returns `e` itself when nothing folds, so callers can detect change by identity. */
export function foldExpr(e: Expr): Expr {
  const base = mapChildrenIfChanged(e, foldExpr);
  const folded = foldTop(base);
  return folded ?? base;
}

function foldTop(e: Expr): Expr | undefined {
  switch (e.kind) {
    case 'cast': {
      if (!isLit(e.arg)) return undefined;
      const from = e.arg.type.kind === 'unknown' ? VARCHAR : e.arg.type;
      try {
        return { kind: 'literal', value: castLiteral(e.arg.value, from, e.type), type: e.type };
      } catch {
        return undefined; // raise at run time, if ever evaluated
      }
    }
    case 'not':
      return isLit(e.arg) ? bool(e.arg.value === null ? null : !e.arg.value) : undefined;
    case 'is_null':
      return isLit(e.arg) ? bool((e.arg.value === null) !== e.negated) : undefined;
    case 'and':
    case 'or': {
      const absorbing = e.kind === 'or';
      if (e.args.some((a) => isLit(a) && a.value === absorbing)) return bool(absorbing);
      const rest = e.args.filter((a) => !(isLit(a) && a.value === !absorbing));
      if (rest.length === e.args.length) return undefined;
      if (rest.length === 0) return bool(!absorbing);
      if (rest.length === 1) return rest[0];
      return { ...e, args: rest };
    }
    case 'call':
      return foldCall(e) ?? foldDatetimeCall(e);
    default:
      return undefined;
  }
}

const NUMERIC_OPS: Record<string, (a: number, b: number) => number | boolean> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
};

function foldCall(e: Extract<Expr, { kind: 'call' }>): Expr | undefined {
  const op = NUMERIC_OPS[e.fn];
  if (!op || e.args.length !== 2 || !e.args.every(isLit)) return undefined;
  const [a, b] = e.args as [Extract<Expr, { kind: 'literal' }>, Extract<Expr, { kind: 'literal' }>];
  if (a.value === null || b.value === null) return { kind: 'literal', value: null, type: e.type };
  const plainNumber = (x: Expr) => x.type.kind === 'integer' || x.type.kind === 'double' || x.type.kind === 'date';
  if (!plainNumber(a) || !plainNumber(b) || typeof a.value !== 'number' || typeof b.value !== 'number')
    return undefined;
  const v = op(a.value, b.value);
  if (typeof v === 'number' && e.type.kind === 'integer' && (v > 2147483647 || v < -2147483648)) return undefined;
  if (typeof v === 'number' && !Number.isFinite(v)) return undefined;
  return { kind: 'literal', value: v as LiteralValue, type: e.type };
}

/** Project <- Values of literals => Values, when every projected value folds to a literal. */
function projectValues(
  p: Extract<LogicalPlan, { kind: 'project' }>,
  v: Extract<LogicalPlan, { kind: 'values' }>,
): Expr[][] | undefined {
  if (v.rows.length > 1000) return undefined;
  const out: Expr[][] = [];
  for (const row of v.rows) {
    const byId = new Map(v.output.map((s, i) => [s.id, row[i]]));
    const values: Expr[] = [];
    for (const item of p.items) {
      const inlined = rewriteExpr(item.expr, (e) => (e.kind === 'ref' ? byId.get(e.id) : undefined));
      const folded = foldExpr(inlined);
      if (folded.kind !== 'literal') return undefined;
      values.push(folded);
    }
    out.push(values);
  }
  return out;
}
