// The logical optimizer: an ordered list of rules applied to every node until none applies,
// then a column-pruning pass. Each rule keeps the output schema of the node it rewrites.
import { typeEquals } from '../../common/types.js';
import { children, type LogicalPlan, outputOf, withChildren } from '../planner/logical.js';
import type { Rule, RuleContext } from './rule.js';
import { extractCommonOrTerms } from './rules/extract-common-or-terms.js';
import { foldConstants } from './rules/fold-constants.js';
import { mergeSortLimit } from './rules/merge-sort-limit.js';
import { pruneColumns } from './rules/prune-columns.js';
import { pushFilterDown } from './rules/push-filter-down.js';
import { pushLimitIntoScan } from './rules/push-limit-into-scan.js';
import { removeTrivial } from './rules/remove-trivial.js';

const RULES: readonly Rule[] = [
  // First simplify expressions, so pushdown sees literals instead of casts of literals.
  foldConstants,
  // (a AND b) OR (a AND c) -> a AND (b OR c): exposes join keys hidden in ORs.
  extractCommonOrTerms,
  // Filters toward the scans (and into connectors), joining conditions on the way.
  pushFilterDown,
  // Sort + Limit into a top-N, which the scheduler splits into partial and final.
  mergeSortLimit,
  // LIMIT into connectors that can stop reading early (remote databases, the lake).
  pushLimitIntoScan,
  // Clean-up of what the others leave behind.
  removeTrivial,
];

const MAX_PASSES = 100;

export function optimize(plan: LogicalPlan, ctx: RuleContext): LogicalPlan {
  let current = plan;
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
