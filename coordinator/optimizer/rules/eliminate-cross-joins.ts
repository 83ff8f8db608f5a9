// Reorders a tree of inner joins so that each join has a join condition where one is possible,
// instead of the FROM list's order (`FROM part, supplier, lineitem WHERE p_partkey = l_partkey AND
// s_suppkey = l_suppkey` would start with the cross product part x supplier).
//   Join(Join(part, supplier, -), lineitem, p=l AND s=l)
//     => Project(original column order) <- Join(Join(part, lineitem, p=l), supplier, s=l)
// Order: the largest relation (by estimate) first, the fact table the others hang off; then, among
// the relations a condition connects to those already joined, the one that keeps the fewest rows
// (its filters' selectivity times that of the relations reachable only through it, which join it
// first as one build side, the far end of a chain first: `lineitem x (supplier x (nation x region
// WHERE r_name = ...))`), ties to the smaller; a cross join only when nothing connects. Conditions
// and filters between the joins are reattached at the first join that has all their columns. Applies only when the new order has
// fewer cross joins, so it cannot undo itself.
import { and, conjuncts, type Expr, isDeterministic, refsOf } from '../../../common/expr/expr.js';
import { estimateRows, selectivity } from '../../planner/estimate.js';
import { type LogicalPlan, outputOf } from '../../planner/logical.js';
import type { Rule } from '../rule.js';

type Join = Extract<LogicalPlan, { kind: 'join' }>;

interface Term {
  readonly expr: Expr;
  readonly refs: ReadonlySet<string>;
  /** The columns of each side of an equality. */
  readonly eq?: readonly [ReadonlySet<string>, ReadonlySet<string>];
}

export const eliminateCrossJoins: Rule = {
  name: 'eliminateCrossJoins',
  apply(node) {
    if (!isInnerJoin(node)) return undefined;
    const leaves: LogicalPlan[] = [];
    const exprs: Expr[] = [];
    const crossBefore = flatten(node, leaves, exprs);
    if (crossBefore === 0 || leaves.length < 3 || !exprs.every(isDeterministic)) return undefined;
    const ids = leaves.map((l) => new Set(outputOf(l).map((s) => s.id)));
    // Conjuncts over one relation are its filters: applied to it, they count in its estimate.
    const own = leaves.map((): Expr[] => []);
    const joinExprs = exprs.filter((e) => {
      const refs = refsOf(e);
      const at = refs.size === 0 ? -1 : ids.findIndex((s) => [...refs].every((r) => s.has(r)));
      if (at >= 0) own[at]!.push(e);
      return at < 0;
    });
    own.forEach((es, i) => {
      if (es.length) leaves[i] = { kind: 'filter', input: leaves[i]!, predicate: and(es) };
    });
    const terms: Term[] = joinExprs.map((expr) => {
      const eq = expr.kind === 'call' && expr.fn === 'eq' && expr.args.length === 2 ? expr.args : undefined;
      return {
        expr,
        refs: refsOf(expr),
        ...(eq ? { eq: [refsOf(eq[0]!), refsOf(eq[1]!)] as const } : {}),
      };
    });
    const rows = leaves.map(estimateRows);
    const sel = leaves.map(selectivity);
    const remaining = leaves.map((_, i) => i);
    const first = remaining.reduce((a, b) => (rows[b]! > rows[a]! ? b : a), 0);
    remaining.splice(remaining.indexOf(first), 1);
    let plan = leaves[first]!;
    const joined = new Set(ids[first]);
    let pending = terms;
    let crossAfter = 0;
    /** Equalities joining `a` and `b` (hash join keys; an OR across two relations is no link). */
    const linking = (a: ReadonlySet<string>, b: ReadonlySet<string>): Term[] =>
      pending.filter(
        (t) =>
          t.eq !== undefined &&
          ((within(t.eq[0], a) && within(t.eq[1], b)) || (within(t.eq[0], b) && within(t.eq[1], a))),
      );
    /** `left` joined with `right` on the pending conjuncts that now have all their columns. */
    const join = (left: LogicalPlan, leftIds: Set<string>, right: LogicalPlan, rightIds: ReadonlySet<string>) => {
      const now = pending.filter((t) => covered(t, leftIds, rightIds));
      pending = pending.filter((t) => !now.includes(t));
      for (const id of rightIds) leftIds.add(id);
      const condition = now.length ? and(now.map((t) => t.expr)) : null;
      return { kind: 'join', joinType: 'inner', left, right, condition } as const;
    };
    /**
     * The groups of `pool` (connected among themselves, not through `c`) that link to `c` and to
     * nothing in `outside`: relations reachable only through `c`.
     */
    const hangingGroups = (c: number, pool: readonly number[], outside: ReadonlySet<string>): number[][] => {
      const groups: number[][] = [];
      const seen = new Set<number>();
      for (const start of pool) {
        if (seen.has(start)) continue;
        const group = [start];
        seen.add(start);
        for (let k = 0; k < group.length; k++) {
          for (const o of pool) {
            if (!seen.has(o) && linking(ids[group[k]!]!, ids[o]!).length > 0) {
              seen.add(o);
              group.push(o);
            }
          }
        }
        const toC = group.some((g) => linking(ids[c]!, ids[g]!).length > 0);
        const toOutside = group.some((g) => linking(outside, ids[g]!).length > 0);
        if (toC && !toOutside) groups.push(group);
      }
      return groups;
    };
    /**
     * `c` joined with the groups hanging off it, each group joined first as one side from its
     * member that links to `c` (so a filtered relation at the far end of a chain filters the
     * chain before it meets `c`: `supplier x (nation x region WHERE r_name = ...)`).
     */
    const withHanging = (c: number, groups: readonly number[][]): { plan: LogicalPlan; ids: Set<string> } => {
      let plan = leaves[c]!;
      const planIds = new Set(ids[c]);
      const ordered = [...groups].sort((x, y) => groupScore(x) - groupScore(y));
      for (const group of ordered) {
        const links = group.filter((g) => linking(ids[c]!, ids[g]!).length > 0);
        const root = links.reduce((x, y) => (rows[y]! < rows[x]! ? y : x));
        const rest = group.filter((g) => g !== root);
        const sub = withHanging(root, hangingGroups(root, rest, new Set()));
        plan = join(plan, planIds, sub.plan, sub.ids);
      }
      return { plan, ids: planIds };
    };
    const groupScore = (group: readonly number[]): number => group.reduce((x, g) => x * sel[g]!, 1);
    while (remaining.length > 0) {
      const candidates = remaining.filter((i) => linking(joined, ids[i]!).length > 0);
      if (candidates.length === 0) {
        const next = remaining.shift()!;
        crossAfter++;
        plan = join(plan, joined, leaves[next]!, ids[next]!);
        continue;
      }
      // Relations reachable only through a candidate join it first as one side: a single relation,
      // or a group with a filter (a group without one would only widen the side, and make the big
      // side's dynamic filters wait for a longer chain of joins).
      const hanging = new Map(
        candidates.map((c) => [
          c,
          hangingGroups(
            c,
            remaining.filter((o) => o !== c),
            joined,
          ).filter((g) => g.length === 1 || groupScore(g) < 1),
        ]),
      );
      const score = (c: number): number => hanging.get(c)!.reduce((x, g) => x * groupScore(g), sel[c]!);
      const next = candidates.reduce((a, b) => {
        const sa = score(a);
        const sb = score(b);
        return sb < sa || (sb === sa && rows[b]! < rows[a]!) ? b : a;
      });
      for (const d of [next, ...hanging.get(next)!.flat()]) remaining.splice(remaining.indexOf(d), 1);
      const { plan: side, ids: sideIds } = withHanging(next, hanging.get(next)!);
      plan = join(plan, joined, side, sideIds);
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

function within(refs: ReadonlySet<string>, s: ReadonlySet<string>): boolean {
  if (refs.size === 0) return false;
  for (const r of refs) if (!s.has(r)) return false;
  return true;
}

function ref(s: { readonly id: string; readonly type: Expr['type'] }): Expr {
  return { kind: 'ref', id: s.id, type: s.type };
}
