// Offers an inner or left equi-join of two scans of one catalog to that connector:
//   Join(inner, [Filter(f) <-] Scan a, [Filter(g) <-] Scan b, a.x = b.y AND a.u < b.v)
//     =>  Filter(f AND g AND a.u < b.v) <- Scan(a JOIN b ON x = y)
// Filters the source could not take (left above the scans) are lifted above the join where
// that keeps the meaning: both sides of an inner join, the left side of a left join; the
// non-equality part of an inner join's condition too. pushFilterDown then offers them to the
// joined handle. The new scan outputs the same symbols (left's, then right's). Trino:
// PushJoinIntoTableScan.
import { and, conjuncts, type Expr, isDeterministic, rewriteExpr } from '../../../common/expr/expr.js';
import type { DataType } from '../../../common/types.js';
import type { JoinSpec } from '../../../connectors/spi.js';
import type { LogicalPlan } from '../../planner/logical.js';
import type { Rule } from '../rule.js';

type Scan = Extract<LogicalPlan, { kind: 'scan' }>;

/** A conjunct over a scan's symbols as the connector saw it (column names), as pushFilterDown offers it. */
function named(t: Expr, byId: ReadonlyMap<string, string>): string {
  return JSON.stringify(rewriteExpr(t, (e) => (e.kind === 'ref' ? { ...e, id: byId.get(e.id) ?? e.id } : undefined)));
}

/**
 * A scan, possibly under filters that can be lifted: those its connector was offered and refused
 * (or takes only as a superset). A filter not offered yet waits for pushFilterDown.
 */
function unwrap(p: LogicalPlan): { scan: Scan; filters: readonly Expr[] } | undefined {
  if (p.kind === 'scan') return { scan: p, filters: [] };
  if (p.kind === 'filter' && p.input.kind === 'scan') {
    const scan = p.input;
    const filters = conjuncts(p.predicate);
    const byId = new Map(scan.columns.map((c) => [c.symbol.id, c.column]));
    const offered = new Set(scan.offered ?? []);
    return filters.every((t) => isDeterministic(t) && offered.has(named(t, byId))) ? { scan, filters } : undefined;
  }
  return undefined;
}

/** Implicit casts that keep equality as it is at the source (the binder's common supertypes). */
function widening(from: DataType, to: DataType): boolean {
  if ((from.kind === 'integer' || from.kind === 'bigint') && (to.kind === 'bigint' || to.kind === 'decimal'))
    return true;
  if (from.kind === 'decimal' && to.kind === 'decimal') {
    return to.scale >= from.scale && to.precision - to.scale >= from.precision - from.scale;
  }
  return from.kind === 'date' && to.kind === 'timestamp';
}

function column(e: Expr): string | undefined {
  if (e.kind === 'ref') return e.id;
  if (e.kind === 'cast' && e.arg.kind === 'ref' && widening(e.arg.type, e.type)) return e.arg.id;
  return undefined;
}

export const pushJoinIntoScan: Rule = {
  name: 'pushJoinIntoScan',
  apply(node, ctx) {
    if (node.kind !== 'join' || node.condition === null || node.nullAware) return undefined;
    if (node.joinType !== 'inner' && node.joinType !== 'left') return undefined;
    const l = unwrap(node.left);
    const r = unwrap(node.right);
    if (!l || !r || l.scan.catalog !== r.scan.catalog) return undefined;
    if (node.joinType === 'left' && r.filters.length > 0) return undefined;
    const meta = ctx.metadataOf(l.scan.catalog);
    if (!meta?.applyJoin) return undefined;
    const leftCols = new Map(l.scan.columns.map((c) => [c.symbol.id, c.column]));
    const rightCols = new Map(r.scan.columns.map((c) => [c.symbol.id, c.column]));
    const on: { left: string; right: string }[] = [];
    const rest: Expr[] = [];
    for (const t of conjuncts(node.condition)) {
      const pair = t.kind === 'call' && t.fn === 'eq' && t.args.length === 2 ? t.args : undefined;
      const a = pair && column(pair[0]!);
      const b = pair && column(pair[1]!);
      if (a !== undefined && b !== undefined && leftCols.has(a) && rightCols.has(b)) {
        on.push({ left: leftCols.get(a)!, right: rightCols.get(b)! });
      } else if (a !== undefined && b !== undefined && leftCols.has(b) && rightCols.has(a)) {
        on.push({ left: leftCols.get(b)!, right: rightCols.get(a)! });
      } else if (node.joinType === 'inner' && isDeterministic(t)) {
        rest.push(t);
      } else return undefined;
    }
    if (on.length === 0) return undefined;
    const spec: JoinSpec = { joinType: node.joinType, on };
    const result = meta.applyJoin(l.scan.handle, r.scan.handle, spec);
    if (!result) return undefined;
    const columns = [
      ...l.scan.columns.map((c) => ({ column: result.left.get(c.column)!, symbol: c.symbol })),
      ...r.scan.columns.map((c) => ({ column: result.right.get(c.column)!, symbol: c.symbol })),
    ];
    if (columns.some((c) => c.column === undefined)) return undefined;
    const lr = l.scan.rowCount ?? 1_000_000;
    const rr = r.scan.rowCount ?? 1_000_000;
    const scan: Scan = {
      kind: 'scan',
      catalog: l.scan.catalog,
      table: `${l.scan.table} JOIN ${r.scan.table}`,
      handle: result.handle,
      columns,
      pushed: [...l.scan.pushed, ...r.scan.pushed],
      rowCount: Math.max(lr, rr),
    };
    const lifted = [...l.filters, ...r.filters, ...rest];
    if (lifted.length === 0) return scan;
    // Filters the sides' connectors already refused are not offered again (by column name).
    const byId = new Map(columns.map((c) => [c.symbol.id, c.column]));
    const offered = [...l.filters, ...r.filters].map((t) => named(t, byId));
    return { kind: 'filter', input: { ...scan, offered }, predicate: and(lifted) };
  },
};
