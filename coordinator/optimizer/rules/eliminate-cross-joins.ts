// Reorders a tree of inner joins so that each join has a join condition where one is possible,
// instead of the FROM list's order (`FROM part, supplier, lineitem WHERE p_partkey = l_partkey AND
// s_suppkey = l_suppkey` would start with the cross product part x supplier).
//   Join(Join(part, supplier, -), lineitem, p=l AND s=l)
//     => Project(original column order) <- Join(Join(part, lineitem, p=l), supplier, s=l)
// Relations are taken in their original order, each next one the first that a condition connects
// to those already joined (a cross join only when none is). Conditions and filters between the
// joins are reattached at the first join that has all their columns. Applies only when the new
// order has fewer cross joins, so it cannot undo itself.
import { and, conjuncts, type Expr, isDeterministic, refsOf } from '../../../common/expr/expr.js';
import { type LogicalPlan, outputOf } from '../../planner/logical.js';
import type { Rule } from '../rule.js';

type Join = Extract<LogicalPlan, { kind: 'join' }>;

interface Term {
  readonly expr: Expr;
  readonly refs: ReadonlySet<string>;
}

export const eliminateCrossJoins: Rule = {
  name: 'eliminateCrossJoins',
  apply(node) {
    if (!isInnerJoin(node)) return undefined;
    const leaves: LogicalPlan[] = [];
    const exprs: Expr[] = [];
    const crossBefore = flatten(node, leaves, exprs);
    if (crossBefore === 0 || leaves.length < 3 || !exprs.every(isDeterministic)) return undefined;
    const terms: Term[] = exprs.map((expr) => ({ expr, refs: refsOf(expr) }));
    const ids = leaves.map((l) => new Set(outputOf(l).map((s) => s.id)));
    const remaining = leaves.map((_, i) => i).slice(1);
    let plan = leaves[0]!;
    const joined = new Set(ids[0]);
    let pending = terms;
    let crossAfter = 0;
    while (remaining.length > 0) {
      const connects = (i: number): boolean =>
        pending.some((t) => covered(t, joined, ids[i]!) && touches(t, joined) && touches(t, ids[i]!));
      let at = remaining.findIndex(connects);
      if (at < 0) {
        at = 0;
        crossAfter++;
      }
      const next = remaining.splice(at, 1)[0]!;
      const now = pending.filter((t) => covered(t, joined, ids[next]!));
      pending = pending.filter((t) => !now.includes(t));
      plan = {
        kind: 'join',
        joinType: 'inner',
        left: plan,
        right: leaves[next]!,
        condition: now.length ? and(now.map((t) => t.expr)) : null,
      };
      for (const id of ids[next]!) joined.add(id);
    }
    if (crossAfter >= crossBefore) return undefined;
    if (pending.length) plan = { kind: 'filter', input: plan, predicate: and(pending.map((t) => t.expr)) };
    // Same symbols in the same order as before.
    return { kind: 'project', input: plan, items: outputOf(node).map((s) => ({ symbol: s, expr: ref(s) })) };
  },
};

function isInnerJoin(p: LogicalPlan): p is Join {
  return p.kind === 'join' && p.joinType === 'inner' && !p.nullAware;
}

/**
 * The relations under a tree of inner joins (through filters between them), left to right, and
 * the conjuncts of the conditions and filters; returns the number of joins without a condition.
 */
function flatten(p: LogicalPlan, leaves: LogicalPlan[], exprs: Expr[]): number {
  if (p.kind === 'filter' && isInnerJoin(p.input)) {
    exprs.push(...conjuncts(p.predicate));
    return flatten(p.input, leaves, exprs);
  }
  if (!isInnerJoin(p)) {
    leaves.push(p);
    return 0;
  }
  if (p.condition) exprs.push(...conjuncts(p.condition));
  return (p.condition ? 0 : 1) + flatten(p.left, leaves, exprs) + flatten(p.right, leaves, exprs);
}

function covered(t: Term, a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const r of t.refs) if (!a.has(r) && !b.has(r)) return false;
  return true;
}

function touches(t: Term, s: ReadonlySet<string>): boolean {
  for (const r of t.refs) if (s.has(r)) return true;
  return false;
}

function ref(s: { readonly id: string; readonly type: Expr['type'] }): Expr {
  return { kind: 'ref', id: s.id, type: s.type };
}
