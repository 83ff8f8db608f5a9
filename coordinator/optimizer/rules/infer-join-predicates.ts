// Copies literal predicates across join equalities (equivalence classes of join keys), so that
// they reach the other side's scan and prune partitions there at plan time.
//   Join(fact.dt = dim.dt) <- [fact, Filter(dim.dt = '2024-05-01') <- dim]
//   => Join(fact.dt = dim.dt) <- [Filter(fact.dt = '2024-05-01') <- fact, Filter(...) <- dim]
// A fact is a deterministic conjunct over one symbol compared with literals (=, <>, <, <=, >, >=,
// IN) that holds on every row a side outputs: found in its filters and in conjuncts its scans
// accepted, through projections of that symbol, sorts, limits and the sides of joins that keep
// their rows' values. Direction: a fact on one side filters the other when rows of the other
// side that fail it cannot contribute to the result: both ways for inner and semi joins, from
// the preserved side to the other for left and right joins; never for full and anti joins.
// The copy is only added when the other side does not already have it, so the rule settles.
import { and, conjuncts, type Expr, isDeterministic, refsOf, rewriteExpr } from '../../../common/expr/expr.js';
import { typeEquals } from '../../../common/types.js';
import { type LogicalPlan, outputOf } from '../../planner/logical.js';
import type { Rule } from '../rule.js';

const COMPARISONS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

/** `sym op literal`, `literal op sym` or `sym IN (literals)`: the symbol it constrains. */
function factSymbol(e: Expr): string | undefined {
  if (!isDeterministic(e)) return undefined;
  const refs = refsOf(e);
  if (refs.size !== 1) return undefined;
  if (e.kind === 'call' && COMPARISONS.has(e.fn) && e.args.length === 2) {
    const [a, b] = e.args as [Expr, Expr];
    const ok = (a.kind === 'ref' && b.kind === 'literal') || (a.kind === 'literal' && b.kind === 'ref');
    return ok ? [...refs][0] : undefined;
  }
  if (e.kind === 'in' && !e.negated && e.arg.kind === 'ref' && e.list.every((x) => x.kind === 'literal')) {
    return e.arg.id;
  }
  return undefined;
}

/** Facts that hold on every output row of `p`. */
function factsOf(p: LogicalPlan): Expr[] {
  switch (p.kind) {
    case 'filter':
      return [...conjuncts(p.predicate).filter((t) => factSymbol(t) !== undefined), ...factsOf(p.input)];
    case 'scan':
      return p.pushed.filter((t) => factSymbol(t) !== undefined);
    case 'project': {
      // A symbol projected as a plain reference keeps the facts on what it references.
      const out: Expr[] = [];
      const inner = factsOf(p.input);
      for (const item of p.items) {
        if (item.expr.kind !== 'ref' || !typeEquals(item.expr.type, item.symbol.type)) continue;
        const from = item.expr.id;
        for (const f of inner) {
          if (factSymbol(f) !== from) continue;
          out.push(
            from === item.symbol.id
              ? f
              : rewriteExpr(f, (x) => (x.kind === 'ref' && x.id === from ? { ...x, id: item.symbol.id } : undefined)),
          );
        }
      }
      return out;
    }
    case 'sort':
    case 'limit':
    case 'top_n':
      return factsOf(p.input);
    case 'aggregate': {
      const keys = new Set(p.groupBy.map((g) => g.id));
      return factsOf(p.input).filter((f) => keys.has(factSymbol(f) ?? ''));
    }
    case 'join':
      switch (p.joinType) {
        case 'inner':
          return [...factsOf(p.left), ...factsOf(p.right)];
        case 'left':
        case 'semi':
        case 'anti':
          return factsOf(p.left);
        case 'right':
          return factsOf(p.right);
        default:
          return [];
      }
    default:
      return [];
  }
}

export const inferJoinPredicates: Rule = {
  name: 'inferJoinPredicates',
  apply(node) {
    if (node.kind !== 'join' || !node.condition || node.nullAware) return undefined;
    const t = node.joinType;
    const toLeftAllowed = t === 'inner' || t === 'semi' || t === 'right';
    const toRightAllowed = t === 'inner' || t === 'semi' || t === 'left';
    if (!toLeftAllowed && !toRightAllowed) return undefined;
    const left = new Map(outputOf(node.left).map((s) => [s.id, s]));
    const right = new Map(outputOf(node.right).map((s) => [s.id, s]));
    const pairs: [string, string][] = [];
    for (const c of conjuncts(node.condition)) {
      if (c.kind !== 'call' || c.fn !== 'eq' || c.args.length !== 2) continue;
      const [a, b] = c.args as [Expr, Expr];
      if (a.kind !== 'ref' || b.kind !== 'ref' || !typeEquals(a.type, b.type)) continue;
      if (left.has(a.id) && right.has(b.id)) pairs.push([a.id, b.id]);
      else if (left.has(b.id) && right.has(a.id)) pairs.push([b.id, a.id]);
    }
    if (pairs.length === 0) return undefined;
    const leftFacts = factsOf(node.left);
    const rightFacts = factsOf(node.right);
    const derive = (facts: readonly Expr[], have: readonly Expr[], from: string, to: string): Expr[] => {
      const known = new Set(have.map((f) => JSON.stringify(f)));
      const out: Expr[] = [];
      for (const f of facts) {
        if (factSymbol(f) !== from) continue;
        const copy = rewriteExpr(f, (x) => (x.kind === 'ref' && x.id === from ? { ...x, id: to } : undefined));
        const key = JSON.stringify(copy);
        if (known.has(key)) continue;
        known.add(key);
        out.push(copy);
      }
      return out;
    };
    const toLeft: Expr[] = [];
    const toRight: Expr[] = [];
    for (const [l, r] of pairs) {
      if (toLeftAllowed) toLeft.push(...derive(rightFacts, [...leftFacts, ...toLeft], r, l));
      if (toRightAllowed) toRight.push(...derive(leftFacts, [...rightFacts, ...toRight], l, r));
    }
    if (toLeft.length === 0 && toRight.length === 0) return undefined;
    const wrap = (p: LogicalPlan, ts: Expr[]): LogicalPlan =>
      ts.length === 0 ? p : { kind: 'filter', input: p, predicate: and(ts) };
    return { ...node, left: wrap(node.left, toLeft), right: wrap(node.right, toRight) };
  },
};
