// Conjuncts common to every branch of an OR move out of it, so they can become join keys or be
// pushed down on their own (TPC-H q19 joins part and lineitem through such a term):
//   (a AND b) OR (a AND c)   =>   a AND (b OR c)
import { and, conjuncts, type Expr, mapChildrenIfChanged } from '../../../common/expr/expr.js';
import { BOOLEAN } from '../../../common/types.js';
import type { LogicalPlan } from '../../planner/logical.js';
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
