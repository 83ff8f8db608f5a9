// Conjuncts common to every branch of an OR move out of it, so they can become join keys or be
// pushed down on their own (TPC-H q19 joins part and lineitem through such a term):
//   (a AND b) OR (a AND c)   =>   a AND (b OR c)
// and (impliedOrRestrictions, once before the rules, since pushdown separates the new conjuncts
// from their OR) each column that every branch restricts on its own gets the OR of those
// restrictions as an extra conjunct, which pushes down to that column's table (TPC-H q7, q19):
//   (n1 = 'FRANCE' AND n2 = 'GERMANY') OR (n1 = 'GERMANY' AND n2 = 'FRANCE')
//     =>  that AND (n1 = 'FRANCE' OR n1 = 'GERMANY') AND (n2 = 'GERMANY' OR n2 = 'FRANCE')
import { and, conjuncts, type Expr, isDeterministic, mapChildrenIfChanged, refsOf } from '../../../common/expr/expr.js';
import { BOOLEAN } from '../../../common/types.js';
import { children, type LogicalPlan, withChildren } from '../../planner/logical.js';
import type { Rule } from '../rule.js';

export const extractCommonOrTerms: Rule = {
  name: 'extractCommonOrTerms',
  apply(node: LogicalPlan) {
    if (node.kind === 'filter') {
      const predicate = rewrite(node.predicate);
      return predicate === node.predicate ? undefined : { ...node, predicate };
    }
    if (node.kind === 'join' && node.condition) {
      const condition = rewrite(node.condition);
      return condition === node.condition ? undefined : { ...node, condition };
    }
    return undefined;
  },
};

function rewrite(e: Expr): Expr {
  const base = mapChildrenIfChanged(e, rewrite);
  if (base.kind !== 'or' || base.args.length < 2) return base;
  const branches = base.args.map((a) => conjuncts(a));
  const key = (x: Expr) => JSON.stringify(x);
  const first = branches[0] ?? [];
  const common = first.filter((t) => branches.every((b) => b.some((x) => key(x) === key(t))));
  if (common.length === 0) return base;
  const commonKeys = new Set(common.map(key));
  const rest = branches.map((b) => b.filter((x) => !commonKeys.has(key(x))));
  // A branch left empty is TRUE, which makes the whole OR true.
  if (rest.some((r) => r.length === 0)) return and(common);
  return and([...common, { kind: 'or', args: rest.map((r) => and(r)), type: BOOLEAN }]);
}

/** Filters and join conditions with the single-column restrictions their ORs imply. */
export function impliedOrRestrictions(plan: LogicalPlan): LogicalPlan {
  const kids = children(plan);
  const next = kids.map(impliedOrRestrictions);
  let node = next.some((k, i) => k !== kids[i]) ? withChildren(plan, next) : plan;
  if (node.kind === 'filter') {
    const predicate = withDerived(node.predicate);
    if (predicate !== node.predicate) node = { ...node, predicate };
  } else if (node.kind === 'join' && node.condition) {
    const condition = withDerived(node.condition);
    if (condition !== node.condition) node = { ...node, condition };
  }
  return node;
}

/** The one column a conjunct reads, if it reads exactly one. */
function single(x: Expr): string | undefined {
  const r = refsOf(x);
  return r.size === 1 ? [...r][0] : undefined;
}

/** Adds the single-column restrictions each top-level OR implies (see the header). */
function withDerived(e: Expr): Expr {
  const terms = conjuncts(e);
  const have = new Set(terms.map((t) => JSON.stringify(t)));
  const added: Expr[] = [];
  for (const t of terms) {
    if (t.kind !== 'or' || !isDeterministic(t)) continue;
    const branches = t.args.map((a) => conjuncts(a));
    // columns restricted alone in the first branch; kept if every branch restricts them alone
    const columns = new Set((branches[0] ?? []).map(single).filter((c): c is string => c !== undefined));
    for (const c of columns) {
      const parts = branches.map((b) => b.filter((x) => single(x) === c));
      if (parts.some((p) => p.length === 0)) continue;
      const derived: Expr = { kind: 'or', args: parts.map((p) => and(p)), type: BOOLEAN };
      const k = JSON.stringify(derived);
      if (have.has(k)) continue;
      have.add(k);
      added.push(derived);
    }
  }
  return added.length ? and([...terms, ...added]) : e;
}
