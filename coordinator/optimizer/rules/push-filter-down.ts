// Moves filter conjuncts as close to the data as they can go.
//   Filter(p) <- Project          => Project <- Filter(p with the projection inlined)
//   Filter(p) <- Filter(q)        => Filter(p AND q)
//   Filter(a AND b) <- Join(l, r) => Join(Filter(a) <- l, Filter(b) <- r) for one-sided
//                                    conjuncts (the preserved side of outer joins only); the
//                                    rest joins the join condition of inner joins.
//   Filter(p) <- Sort             => Sort <- Filter(p)
//   Filter(p) <- Aggregate        => Aggregate <- Filter(p) for conjuncts over group keys only
//   Filter(p) <- Scan             => Scan(handle with what the connector accepts) [<- Filter(rest)]
import { and, conjuncts, type Expr, isDeterministic, refsOf, rewriteExpr } from '../../../common/expr/expr.js';
import { type LogicalPlan, outputOf } from '../../planner/logical.js';
import type { Rule, RuleContext } from '../rule.js';

export const pushFilterDown: Rule = {
  name: 'pushFilterDown',
  apply(node, ctx) {
    if (node.kind === 'join') return pushJoinCondition(node);
    if (node.kind !== 'filter') return undefined;
    const input = node.input;
    const terms = conjuncts(node.predicate);
    switch (input.kind) {
      case 'filter':
        return { kind: 'filter', input: input.input, predicate: and([...conjuncts(input.predicate), ...terms]) };
      case 'project': {
        if (!terms.every(isDeterministic)) return undefined;
        const defs = new Map(input.items.map((i) => [i.symbol.id, i.expr]));
        const inlined = rewriteExpr(node.predicate, (e) => (e.kind === 'ref' ? defs.get(e.id) : undefined));
        return { ...input, input: { kind: 'filter', input: input.input, predicate: inlined } };
      }
      case 'sort':
        return { ...input, input: { kind: 'filter', input: input.input, predicate: node.predicate } };
      case 'aggregate': {
        const keys = new Set(input.groupBy.map((s) => s.id));
        const down = terms.filter((t) => [...refsOf(t)].every((id) => keys.has(id)) && isDeterministic(t));
        if (down.length === 0) return undefined;
        const up = terms.filter((t) => !down.includes(t));
        const pushed: LogicalPlan = { ...input, input: { kind: 'filter', input: input.input, predicate: and(down) } };
        return up.length > 0 ? { kind: 'filter', input: pushed, predicate: and(up) } : pushed;
      }
      case 'join':
        return pushIntoJoin(input, terms);
      case 'scan':
        return pushIntoScan(input, terms, ctx);
      default:
        return undefined;
    }
  },
};

function sideOf(e: Expr, left: Set<string>, right: Set<string>): 'left' | 'right' | 'both' | 'none' {
  const refs = [...refsOf(e)];
  if (refs.length === 0) return 'none';
  const l = refs.every((r) => left.has(r));
  const r = refs.every((x) => right.has(x));
  return l ? 'left' : r ? 'right' : 'both';
}

function pushIntoJoin(join: Extract<LogicalPlan, { kind: 'join' }>, terms: readonly Expr[]): LogicalPlan | undefined {
  const left = new Set(outputOf(join.left).map((s) => s.id));
  const right = new Set(outputOf(join.right).map((s) => s.id));
  const toLeft: Expr[] = [];
  const toRight: Expr[] = [];
  const toCondition: Expr[] = [];
  const stay: Expr[] = [];
  const leftPreserved = join.joinType === 'left' || join.joinType === 'full';
  const rightPreserved = join.joinType === 'right' || join.joinType === 'full';
  for (const t of terms) {
    const side = sideOf(t, left, right);
    if (!isDeterministic(t)) stay.push(t);
    else if (side === 'left' && !rightPreserved) toLeft.push(t);
    else if (side === 'right' && !leftPreserved && join.joinType !== 'semi' && join.joinType !== 'anti')
      toRight.push(t);
    else if (side === 'both' && join.joinType === 'inner') toCondition.push(t);
    else stay.push(t);
  }
  if (toLeft.length + toRight.length + toCondition.length === 0) return undefined;
  const wrap = (p: LogicalPlan, ts: Expr[]): LogicalPlan =>
    ts.length ? { kind: 'filter', input: p, predicate: and(ts) } : p;
  const condition = toCondition.length
    ? and([...(join.condition ? [join.condition] : []), ...toCondition])
    : join.condition;
  const pushed: LogicalPlan = { ...join, left: wrap(join.left, toLeft), right: wrap(join.right, toRight), condition };
  return wrap(pushed, stay);
}

/**
 * One-sided conjuncts of a join's ON condition go below the join, into a side whose rows they
 * only decide matches for: either side of an inner join, the inner side of an outer join
 *   Join[left](l, r, k AND p(r)) => Join[left](l, Filter(p) <- r, k)
 * and either side of a semi join, the subquery side of an anti join (not NOT IN: its NULL rules
 * look at the whole subquery side).
 */
function pushJoinCondition(join: Extract<LogicalPlan, { kind: 'join' }>): LogicalPlan | undefined {
  const type = join.joinType;
  const leftOk = type === 'inner' || type === 'right' || type === 'semi';
  const rightOk =
    type === 'inner' || type === 'left' || type === 'semi' || (type === 'anti' && join.nullAware !== true);
  if (!join.condition || (!leftOk && !rightOk)) return undefined;
  const left = new Set(outputOf(join.left).map((s) => s.id));
  const right = new Set(outputOf(join.right).map((s) => s.id));
  const terms = conjuncts(join.condition);
  const keep: Expr[] = [];
  const toLeft: Expr[] = [];
  const toRight: Expr[] = [];
  for (const t of terms) {
    const side = sideOf(t, left, right);
    if (side === 'left' && leftOk && isDeterministic(t)) toLeft.push(t);
    else if (side === 'right' && rightOk && isDeterministic(t)) toRight.push(t);
    else keep.push(t);
  }
  if (toLeft.length + toRight.length === 0) return undefined;
  const wrap = (p: LogicalPlan, ts: Expr[]): LogicalPlan =>
    ts.length ? { kind: 'filter', input: p, predicate: and(ts) } : p;
  return {
    ...join,
    left: wrap(join.left, toLeft),
    right: wrap(join.right, toRight),
    condition: keep.length ? and(keep) : null,
  };
}

function pushIntoScan(
  scan: Extract<LogicalPlan, { kind: 'scan' }>,
  terms: readonly Expr[],
  ctx: RuleContext,
): LogicalPlan | undefined {
  const meta = ctx.metadataOf(scan.catalog);
  if (!meta?.applyFilter) return undefined;
  // Connectors see column names, not symbols.
  const byId = new Map(scan.columns.map((c) => [c.symbol.id, c.column]));
  const byName = new Map(scan.columns.map((c) => [c.column, c.symbol.id]));
  const toNames = (t: Expr) =>
    rewriteExpr(t, (e) => (e.kind === 'ref' ? { ...e, id: byId.get(e.id) ?? e.id } : undefined));
  const offered = new Set(scan.offered ?? []);
  const candidates = terms.filter((t) => isDeterministic(t) && !offered.has(JSON.stringify(toNames(t))));
  if (candidates.length === 0) return undefined;
  const named = candidates.map(toNames);
  const result = meta.applyFilter(scan.handle, named);
  const nowOffered = [...offered, ...named.map((n) => JSON.stringify(n))];
  // Even when nothing is accepted, the connector may have changed its handle (e.g. a filter it
  // sends to the source but wants re-checked here); each term is offered once.
  if (!result) return { kind: 'filter', input: { ...scan, offered: nowOffered }, predicate: and(terms) };
  const acceptedKeys = new Set(result.accepted.map((e) => JSON.stringify(e)));
  const rest = terms.filter((t) => !acceptedKeys.has(JSON.stringify(toNames(t))));
  const back = (e: Expr) =>
    rewriteExpr(e, (x) => (x.kind === 'ref' ? { ...x, id: byName.get(x.id) ?? x.id } : undefined));
  const newScan: LogicalPlan = {
    ...scan,
    handle: result.handle,
    pushed: [...scan.pushed, ...result.accepted.map(back)],
    offered: nowOffered,
  };
  return rest.length > 0 ? { kind: 'filter', input: newScan, predicate: and(rest) } : newScan;
}
