// Drops columns nobody above uses: project items, aggregate outputs are kept as needed, and
// scans read only referenced columns (projection pushdown: the connector decodes less).
//   Project[a, b] <- Scan[a, b, c, d]   =>   Project[a, b] <- Scan[a, b]
import { assertNever } from '../../../common/assert.js';
import { refsOf } from '../../../common/expr/expr.js';
import { type LogicalPlan, outputOf, refTo } from '../../planner/logical.js';

export function pruneColumns(
  plan: LogicalPlan,
  required: ReadonlySet<string> = new Set(outputOf(plan).map((s) => s.id)),
): LogicalPlan {
  switch (plan.kind) {
    case 'scan': {
      const columns = plan.columns.filter((c) => required.has(c.symbol.id));
      return { ...plan, columns };
    }
    case 'values':
      return plan;
    case 'filter': {
      const need = new Set(required);
      refsOf(plan.predicate, need);
      const filtered: LogicalPlan = { ...plan, input: pruneColumns(plan.input, need) };
      // Columns only the predicate reads end at the filter (they would otherwise travel up,
      // e.g. through an exchange):   Filter(c LIKE ..)[a, c] => Project[a] <- Filter(c LIKE ..)[a, c]
      const out = outputOf(filtered);
      if (out.every((s) => required.has(s.id))) return filtered;
      const items = out.filter((s) => required.has(s.id)).map((s) => ({ symbol: s, expr: refTo(s) }));
      return { kind: 'project', input: filtered, items };
    }
    case 'project': {
      const items = plan.items.filter((i) => required.has(i.symbol.id));
      const need = new Set<string>();
      for (const i of items) refsOf(i.expr, need);
      return { ...plan, items, input: pruneColumns(plan.input, need) };
    }
    case 'aggregate': {
      const aggregates = plan.aggregates.filter((a) => required.has(a.output.id));
      const need = new Set<string>(plan.groupBy.map((s) => s.id));
      for (const a of aggregates)
        for (const s of [...a.args, ...(a.orderBy ?? []).map((k) => k.symbol)]) need.add(s.id);
      return { ...plan, aggregates, input: pruneColumns(plan.input, need) };
    }
    case 'join': {
      const need = new Set(required);
      if (plan.condition) refsOf(plan.condition, need);
      return { ...plan, left: pruneColumns(plan.left, need), right: pruneColumns(plan.right, need) };
    }
    case 'sort':
    case 'top_n': {
      const need = new Set(required);
      for (const k of plan.keys) need.add(k.symbol.id);
      return { ...plan, input: pruneColumns(plan.input, need) };
    }
    case 'window': {
      const functions = plan.functions.filter((f) => required.has(f.output.id));
      const need = new Set(required);
      for (const f of plan.functions) need.delete(f.output.id);
      for (const p of plan.partitionBy) need.add(p.id);
      for (const k of plan.orderBy) need.add(k.symbol.id);
      for (const f of functions) for (const a of f.args) need.add(a.id);
      if (functions.length === 0) return pruneColumns(plan.input, need);
      return { ...plan, functions, input: pruneColumns(plan.input, need) };
    }
    case 'limit':
    case 'enforce_single_row':
      return { ...plan, input: pruneColumns(plan.input, required) };
    case 'replicate':
      return { ...plan, input: pruneColumns(plan.input, new Set([...required, plan.count.id])) };
    case 'union': {
      // Keep the positions every input must produce (all inputs line up by position).
      const keep = plan.output.map((s, i) => (required.has(s.id) ? i : -1)).filter((i) => i >= 0);
      const positions = keep.length > 0 ? keep : [0];
      const mappings = plan.mappings.map((m) => positions.map((i) => m[i]!));
      const inputs = plan.inputs.map((inp, k) => pruneColumns(inp, new Set(mappings[k]!.map((s) => s.id))));
      return { ...plan, inputs, mappings, output: positions.map((i) => plan.output[i]!) };
    }
    case 'insert':
      return { ...plan, input: pruneColumns(plan.input, new Set(outputOf(plan.input).map((s) => s.id))) };
    default:
      return assertNever(plan, 'plan');
  }
}
