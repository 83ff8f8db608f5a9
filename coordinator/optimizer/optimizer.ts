// The logical optimizer: an ordered list of rules applied to every node until none applies,
// then a column-pruning pass. Each rule keeps the output schema of the node it rewrites.
import { typeEquals } from '../../common/types.js';
import { children, type LogicalPlan, outputOf, withChildren } from '../planner/logical.js';
import type { Rule, RuleContext } from './rule.js';
import { eliminateCrossJoins } from './rules/eliminate-cross-joins.js';
import { extractCommonOrTerms, impliedOrRestrictions } from './rules/extract-common-or-terms.js';
import { foldConstants } from './rules/fold-constants.js';
import { inferJoinPredicates } from './rules/infer-join-predicates.js';
import { mergeSortLimit } from './rules/merge-sort-limit.js';
import { pruneColumns } from './rules/prune-columns.js';
import { pushAggregationIntoScan } from './rules/push-aggregation-into-scan.js';
import { pushFilterDown } from './rules/push-filter-down.js';
import { pushJoinIntoScan } from './rules/push-join-into-scan.js';
import { pushLimitIntoScan } from './rules/push-limit-into-scan.js';
import { pushSemiJoinDown } from './rules/push-semi-join-down.js';
import { pushTopNIntoScan } from './rules/push-topn-into-scan.js';
import { removeTrivial } from './rules/remove-trivial.js';

const RULES: readonly Rule[] = [
  // First simplify expressions, so pushdown sees literals instead of casts of literals.
  foldConstants,
  // (a AND b) OR (a AND c) -> a AND (b OR c): exposes join keys hidden in ORs.
  extractCommonOrTerms,
  // Filters toward the scans (and into connectors), joining conditions on the way.
  pushFilterDown,
  // Literal predicates on a join key copied to the other side's key (then pushed down by the
  // rule above): partition pruning on both sides of `fact.dt = dim.dt WHERE dim.dt = ...`.
  inferJoinPredicates,
  // Semi/anti joins (IN, EXISTS) below the inner joins, next to the table their condition reads.
  pushSemiJoinDown,
  // Inner joins in an order where each has a join condition (not the FROM list's cross products).
  eliminateCrossJoins,
  // A join of two scans of one catalog into one scan (remote databases). After pushFilterDown,
  // so each side's filters are in its handle (it waits for filters not offered yet).
  pushJoinIntoScan,
  // A GROUP BY over one scan into the connector; after the join rule, so it can take a pushed join.
  pushAggregationIntoScan,
  // Sort + Limit into a top-N, which the scheduler splits into partial and final.
  mergeSortLimit,
  // Top-N into connectors that sort at the source; after aggregation (ORDER BY count(*) DESC
  // LIMIT 10 over a pushed GROUP BY), before plain limits.
  pushTopNIntoScan,
  // LIMIT into connectors that can stop reading early (remote databases, the lake).
  pushLimitIntoScan,
  // Clean-up of what the others leave behind.
  removeTrivial,
];

const MAX_PASSES = 100;

export function optimize(plan: LogicalPlan, ctx: RuleContext): LogicalPlan {
  // once: the implied conjuncts leave their OR as they are pushed down, so a rule would add them again
  let current = impliedOrRestrictions(plan);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = rewriteOnce(current, ctx, RULES);
    if (next === current) break;
    current = next;
  }
  // Pruning leaves identity projections behind; one more sweep removes them.
  let pruned = pruneColumns(current);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = rewriteOnce(pruned, ctx, [removeTrivial]);
    if (next === pruned) break;
    pruned = next;
  }
  return pruned;
}

/** One top-down sweep; returns the same object when nothing changed. */
function rewriteOnce(node: LogicalPlan, ctx: RuleContext, rules: readonly Rule[]): LogicalPlan {
  for (const rule of rules) {
    const out = rule.apply(node, ctx);
    if (out) {
      checkSchema(rule, node, out);
      return out;
    }
  }
  const kids = children(node);
  const rewritten = kids.map((k) => rewriteOnce(k, ctx, rules));
  return rewritten.some((k, i) => k !== kids[i]) ? withChildren(node, rewritten) : node;
}

function checkSchema(rule: Rule, before: LogicalPlan, after: LogicalPlan): void {
  const a = outputOf(before);
  const b = outputOf(after);
  const same = a.length === b.length && a.every((s, i) => s.id === b[i]?.id && typeEquals(s.type, b[i]!.type));
  if (!same) throw new Error(`optimizer rule ${rule.name} changed the output schema of a ${before.kind} node`);
}
