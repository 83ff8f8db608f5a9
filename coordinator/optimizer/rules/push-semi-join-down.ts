// Moves a semi or anti join below an inner join to the side its condition reads, so the rows it
// removes are not joined first (TPC-H q18: `o_orderkey IN (subquery)` over lineitem x orders x
// customer filters orders, not the 600,000-row join result).
//   Semi(Join(A, B, c), S, a = s)          => Join(Semi(A, S, a = s), B, c)   (a from A)
//   Semi(Project(refs) <- X, S, cond)      => Project(refs) <- Semi(X, S, cond)
// Valid for anti joins too (also null-aware NOT IN): whether a row of A has a match in S does not
// depend on B. The output (left columns) is unchanged.
// Only below a join whose other side B is unfiltered: such a join (a foreign key into B's key)
// keeps every row of A, so the semi join is best applied first. A filtered B probably removes
// rows of A (TPC-H q21: lineitem x supplier of one nation x orders of one status keeps 1 row in
// 50), and the semi join is cheaper on the join's output than on all of A.
import { refsOf } from '../../../common/expr/expr.js';
import { type LogicalPlan, outputOf } from '../../planner/logical.js';
import type { Rule } from '../rule.js';

export const pushSemiJoinDown: Rule = {
  name: 'pushSemiJoinDown',
  apply(node) {
    if (node.kind !== 'join' || (node.joinType !== 'semi' && node.joinType !== 'anti') || !node.condition) {
      return undefined;
    }
    const right = new Set(outputOf(node.right).map((s) => s.id));
    const leftRefs = [...refsOf(node.condition)].filter((id) => !right.has(id));
    const input = node.left;
    if (input.kind === 'project') {
      // Only a projection over an inner join that passes columns through unchanged.
      const under = input.input;
      if (under.kind !== 'join' || under.joinType !== 'inner') return undefined;
      if (!input.items.every((it) => it.expr.kind === 'ref' && it.expr.id === it.symbol.id)) return undefined;
      return { ...input, input: { ...node, left: under } };
    }
    if (input.kind !== 'join' || input.joinType !== 'inner' || leftRefs.length === 0) return undefined;
    const inSide = (side: LogicalPlan): boolean => {
      const ids = new Set(outputOf(side).map((s) => s.id));
      return leftRefs.every((id) => ids.has(id));
    };
    if (inSide(input.left) && !isFiltered(input.right)) return { ...input, left: { ...node, left: input.left } };
    if (inSide(input.right) && !isFiltered(input.left)) return { ...input, right: { ...node, left: input.right } };
    return undefined;
  },
};

/** Whether a subtree removes rows of its tables: a filter, a predicate pushed into a scan, a semi join. */
function isFiltered(p: LogicalPlan): boolean {
  switch (p.kind) {
    case 'filter':
      return true;
    case 'scan':
      return p.pushed.length > 0;
    case 'join':
      if (p.joinType === 'semi' || p.joinType === 'anti') return true;
      return isFiltered(p.left) || isFiltered(p.right);
    case 'project':
      return isFiltered(p.input);
    default:
      return false;
  }
}
