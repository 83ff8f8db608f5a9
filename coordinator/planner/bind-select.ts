// SELECT -> logical plan: FROM (tables, joins, derived tables), WHERE, GROUP BY + aggregates,
// HAVING, the select list, DISTINCT, ORDER BY, LIMIT/OFFSET; and VALUES.
import type { JoinExpr, Node, RangeVar, ResTarget, SelectStmt, SortBy, WithClause } from '@pgsql/types';
import { SqlError } from '../../common/errors.js';
import { and, type Expr, type LiteralValue, mapChildren, refsOf } from '../../common/expr/expr.js';
import type { JoinType } from '../../common/plan/physical.js';
import { SqlStates } from '../../common/sqlstate.js';
import { BIGINT, BOOLEAN, type ColumnSchema, type DataType, INTEGER, VARCHAR } from '../../common/types.js';
import type { TableHandle } from '../../connectors/spi.js';
import { as, locationOf, stringOf, stringsOf, tagOf } from '../sql/ast.js';
import { type AggregateDraft, type BindContext, ExprBinder, GROUPING_FN, type WindowDraft } from './bind-expr.js';
import { bindRangeFunction } from './bind-range-function.js';
import { applyAttachments, astConjuncts, type BindSubquery, SubqueryCollector } from './bind-subquery.js';
import { namedWindows } from './bind-window.js';
import { castIfNeeded, commonSuperType } from './coercion.js';
import { type LogicalPlan, type LogicalSortKey, outputOf, type PlanSymbol, refTo } from './logical.js';
import { Scope, type ScopeField } from './scope.js';

export interface ResolvedTable {
  readonly catalog: string;
  readonly schema: string;
  readonly table: string;
  readonly handle: TableHandle;
  readonly columns: readonly { readonly name: string; readonly type: DataType }[];
  readonly rowCount?: number;
}

export interface SelectContext extends BindContext {
  /** Tables resolved before binding (metadata is async, binding is not). */
  resolveTable(parts: readonly string[], position: number | undefined): ResolvedTable;
  /** Common table expressions in scope (WITH), by name. */
  readonly ctes?: ReadonlyMap<string, CteDefinition>;
}

export type CteDefinition =
  | {
      readonly query: Node;
      readonly columns: readonly string[];
      /** The context the CTE was defined in (it sees only the CTEs before it). */
      readonly ctx: SelectContext;
    }
  /** A recursive CTE, evaluated before binding (coordinator/recursive-cte.ts): its rows. */
  | {
      readonly rows: readonly (readonly LiteralValue[])[];
      readonly columns: readonly ColumnSchema[];
    };

export interface BoundQuery {
  readonly plan: LogicalPlan;
  /** Output columns as the client sees them. */
  readonly names: readonly string[];
  /** For a correlated subquery: the conditions that join it to the outer query. */
  readonly correlation?: { readonly conditions: readonly Expr[]; readonly countLike?: boolean };
}

export interface SubqueryMode {
  readonly outer: Scope;
  readonly mode: 'scalar' | 'in' | 'exists';
}

const bindSubquery: BindSubquery = (s, ctx, outer, mode) => bindSelect(s, ctx, { outer, mode });

export function bindQuery(n: Node, ctx: SelectContext): BoundQuery {
  const s = as(n, 'SelectStmt') as SelectStmt | undefined;
  if (!s) throw SqlError.unsupported(`${tagOf(n)} as a query`, locationOf(n));
  return bindSelect(s, ctx);
}

export function bindSelect(s: SelectStmt, ctx: SelectContext, sub?: SubqueryMode): BoundQuery {
  if (s.withClause) ctx = withCtes(s.withClause, ctx);
  if (s.op && s.op !== 'SETOP_NONE') return bindSetOperation(s, ctx);
  if (s.lockingClause && s.lockingClause.length > 0) throw SqlError.unsupported('FOR UPDATE/SHARE');
  if (s.intoClause) throw SqlError.unsupported('SELECT INTO');
  if (s.valuesLists) return bindValues(s, ctx);

  // FROM
  let plan: LogicalPlan;
  let scope: Scope;
  if (s.fromClause && s.fromClause.length > 0) {
    let acc: { plan: LogicalPlan; scope: Scope } | undefined;
    for (const item of s.fromClause) {
      const r = bindFromItem(item, ctx);
      acc = acc
        ? {
            plan: { kind: 'join', joinType: 'inner', left: acc.plan, right: r.plan, condition: null },
            scope: acc.scope.concat(r.scope),
          }
        : r;
    }
    plan = acc!.plan;
    scope = acc!.scope;
  } else {
    plan = { kind: 'values', rows: [[]], output: [] };
    scope = Scope.empty();
  }

  // WHERE: [NOT] EXISTS / [NOT] IN conjuncts become semi/anti joins; in a subquery, conjuncts
  // that reference the outer query are handed back as its join conditions.
  const correlated: Expr[] = [];
  if (s.whereClause) {
    const whereScope = sub ? scope.withParent(sub.outer) : scope;
    const subs = new SubqueryCollector(ctx, bindSubquery, true);
    const whereBinder = new ExprBinder(whereScope, ctx, { forbiddenIn: 'WHERE' }, subs);
    const terms: Expr[] = [];
    const outerIds = sub ? allIds(sub.outer) : new Set<string>();
    for (const c of astConjuncts(s.whereClause)) {
      if (subs.tryPredicate(c, whereScope, whereBinder)) continue;
      const e = whereBinder.bindBoolean(c);
      if ([...refsOf(e)].some((id) => outerIds.has(id))) correlated.push(e);
      else terms.push(e);
    }
    plan = applyAttachments(plan, subs.attachments);
    if (terms.length > 0) plan = { kind: 'filter', input: plan, predicate: and(terms) };
  }
  if (sub?.mode === 'exists' && correlated.length > 0 && !hasGrouping(s)) {
    // EXISTS needs no select list: the join reads the FROM + WHERE rows directly.
    return { plan, names: [], correlation: { conditions: correlated } };
  }

  // Select list (aggregates collected while binding; uncorrelated scalar subqueries joined in).
  const selectSubs = new SubqueryCollector(ctx, bindSubquery, true);
  const binder = new ExprBinder(scope, ctx, 'collect', selectSubs);
  binder.namedWindows = namedWindows(s.windowClause);
  const items: { name: string; expr: Expr; node: Node | undefined }[] = [];
  for (const t of s.targetList ?? []) {
    const rt = as(t, 'ResTarget') as ResTarget;
    const val = rt.val;
    const star = starOf(val);
    if (star) {
      for (const f of scope.star(star, locationOf(val)))
        items.push({ name: f.name, expr: refTo(f.symbol), node: undefined });
      continue;
    }
    if (!val) continue;
    const e = binder.bind(val);
    items.push({ name: rt.name ?? defaultName(val), expr: finalType(e), node: val });
  }

  if (sub?.mode === 'in' && correlated.length > 0) {
    if (hasGrouping(s) || binder.aggregates.length > 0)
      throw SqlError.unsupportedPlural('correlated IN subqueries with aggregation');
    const value = items[0];
    if (!value) throw SqlError.syntax('subquery has no columns');
    const local = scope.localIds();
    const needed = new Set<string>();
    for (const c of correlated) for (const id of refsOf(c)) if (local.has(id)) needed.add(id);
    const keep = scope.fields.filter((f) => needed.has(f.symbol.id)).map((f) => f.symbol);
    const valueSym = ctx.symbols.new(value.name, value.expr.type);
    plan = applyAttachments(plan, selectSubs.attachments);
    plan = {
      kind: 'project',
      input: plan,
      items: [{ symbol: valueSym, expr: value.expr }, ...keep.map((k) => ({ symbol: k, expr: refTo(k) }))],
    };
    return { plan, names: [value.name], correlation: { conditions: correlated } };
  }

  // A correlated scalar subquery is an aggregate per correlation key: `inner = outer`
  // conjuncts add `inner` as a group key, joined back on `key = outer`.
  const correlationKeys: { inner: Expr; outer: Expr }[] = [];
  if (correlated.length > 0) {
    if (sub?.mode !== 'scalar' || hasGrouping(s) || binder.aggregates.length === 0) {
      throw SqlError.unsupportedPlural(
        'correlated subqueries other than EXISTS, IN and scalar aggregates without GROUP BY',
      );
    }
    const local = scope.localIds();
    for (const c of correlated) {
      const pair = c.kind === 'call' && c.fn === 'eq' ? c.args : undefined;
      const [a, b] = pair ?? [];
      const isLocal = (e: Expr | undefined) => !!e && [...refsOf(e)].every((id) => local.has(id));
      const isOuter = (e: Expr | undefined) => !!e && [...refsOf(e)].every((id) => !local.has(id));
      if (isLocal(a) && isOuter(b)) correlationKeys.push({ inner: a!, outer: b! });
      else if (isLocal(b) && isOuter(a)) correlationKeys.push({ inner: b!, outer: a! });
      else throw SqlError.unsupportedPlural('correlated conditions other than equalities in scalar subqueries');
    }
  }

  // GROUP BY
  const groupNodes = s.groupClause ?? [];
  const groupExprs: Expr[] = correlationKeys.map((k) => k.inner);
  const groupBinder = new ExprBinder(scope, ctx, { forbiddenIn: 'GROUP BY' });
  const bindGroupItem = (g: Node): Expr => {
    const ordinal = ordinalOf(g);
    if (ordinal !== undefined) {
      const item = items[ordinal - 1];
      if (!item) {
        throw new SqlError(
          SqlStates.invalidColumnReference,
          `GROUP BY position ${ordinal} is not in select list`,
          locationOf(g),
        );
      }
      return item.expr;
    }
    const alias = simpleName(g);
    const aliased = alias !== undefined && !scopeHas(scope, alias) ? items.find((i) => i.name === alias) : undefined;
    return aliased ? aliased.expr : finalType(groupBinder.bind(g));
  };
  const indexOfGroup = (e: Expr): number => {
    const i = groupExprs.findIndex((g) => sameExpr(g, e));
    if (i >= 0) return i;
    groupExprs.push(e);
    return groupExprs.length - 1;
  };
  // Each GROUP BY element gives a list of sets (a plain expression: one set of itself); the
  // grouping sets are their cross product.
  let groupingSets: number[][] = [[]];
  let hasGroupingSets = false;
  for (const g of groupNodes) {
    let element: number[][];
    if (tagOf(g) === 'GroupingSet') {
      hasGroupingSets = true;
      element = groupingSetsOf(g, (n) => indexOfGroup(bindGroupItem(n)));
    } else {
      element = [[indexOfGroup(bindGroupItem(g))]];
    }
    groupingSets = groupingSets.flatMap((a) => element.map((b) => [...new Set([...a, ...b])]));
  }

  const havingExpr = s.havingClause ? binder.bindBoolean(s.havingClause) : undefined;

  // ORDER BY keys are bound now (they may add aggregates), placed later.
  const orderKeys = (s.sortClause ?? []).map((o) => {
    const sb = as(o, 'SortBy') as SortBy;
    const node = sb.node!;
    const ascending = sb.sortby_dir !== 'SORTBY_DESC';
    const nullsFirst =
      sb.sortby_nulls === 'SORTBY_NULLS_FIRST' || (sb.sortby_nulls !== 'SORTBY_NULLS_LAST' && !ascending);
    const ordinal = ordinalOf(node);
    if (ordinal !== undefined) {
      if (!items[ordinal - 1]) {
        throw new SqlError(
          SqlStates.invalidColumnReference,
          `ORDER BY position ${ordinal} is not in select list`,
          locationOf(node),
        );
      }
      return { item: ordinal - 1, ascending, nullsFirst };
    }
    const alias = simpleName(node);
    if (alias !== undefined) {
      const idx = items.findIndex((i) => i.name === alias && i.node !== undefined);
      if (idx >= 0 && !scopeHas(scope, alias)) return { item: idx, ascending, nullsFirst };
    }
    return { expr: finalType(binder.bind(node)), ascending, nullsFirst };
  });

  const grouped = groupExprs.length > 0 || binder.aggregates.length > 0 || hasGroupingSets;
  if (grouped && selectSubs.attachments.some((a) => a.condition !== null)) {
    throw SqlError.unsupportedPlural('correlated subqueries in the select list of an aggregated query');
  }
  let outputs: { name: string; expr: Expr }[] = items;
  let having = havingExpr;
  let orderExprs = orderKeys.map((k) => ('expr' in k && k.expr ? k.expr : undefined));
  const subqueryIds = new Set([
    ...selectSubs.attachments.flatMap((a) => outputOf(a.plan).map((o) => o.id)),
    ...binder.windows.map((w) => w.output.id),
  ]);
  let windows = binder.windows;
  let keyOutputs: Expr[] = correlationKeys.map((k) => k.inner);
  if (grouped) {
    const agg = hasGroupingSets
      ? planGroupingSets(plan, groupExprs, groupingSets, binder.aggregates, ctx, subqueryIds)
      : planAggregation(plan, groupExprs, binder.aggregates, ctx, subqueryIds);
    keyOutputs = keyOutputs.map(agg.rewrite);
    windows = windows.map((w) => ({
      ...w,
      args: w.args.map(agg.rewrite),
      partitionBy: w.partitionBy.map(agg.rewrite),
      orderBy: w.orderBy.map((o) => ({ ...o, expr: agg.rewrite(o.expr) })),
    }));
    plan = agg.plan;
    outputs = items.map((i) => ({ name: i.name, expr: agg.rewrite(i.expr) }));
    having = havingExpr ? agg.rewrite(havingExpr) : undefined;
    orderExprs = orderExprs.map((e) => (e ? agg.rewrite(e) : undefined));
  } else if (havingExpr) {
    throw new SqlError(SqlStates.groupingError, 'HAVING requires GROUP BY or an aggregate');
  }
  plan = applyAttachments(plan, selectSubs.attachments);
  if (having) plan = { kind: 'filter', input: plan, predicate: having };
  if (windows.length > 0) plan = planWindows(plan, windows, ctx);

  // Project the select list plus hidden ORDER BY expressions.
  const projected = outputs.map((o) => ({ symbol: ctx.symbols.new(o.name, o.expr.type), expr: o.expr }));
  if (correlationKeys.length > 0) {
    const keys = keyOutputs.map((e, i) => ({ symbol: ctx.symbols.new(`correlation_${i}`, e.type), expr: e }));
    plan = { kind: 'project', input: plan, items: [...projected.slice(0, 1), ...keys] };
    const conditions: Expr[] = keys.map((k, i) => ({
      kind: 'call',
      fn: 'eq',
      args: [refTo(k.symbol), correlationKeys[i]!.outer],
      type: BOOLEAN,
    }));
    // count() over no rows is 0, but the left join yields NULL: the caller coalesces.
    const first = outputs[0]?.expr;
    const countLike =
      first?.kind === 'ref' &&
      binder.aggregates.some((a) => a.output.id === first.id && (a.fn === 'count' || a.fn === 'count_star'));
    return { plan, names: [projected[0]?.symbol.name ?? 'value'], correlation: { conditions, countLike } };
  }
  const sortKeys: LogicalSortKey[] = [];
  const hidden: { symbol: PlanSymbol; expr: Expr }[] = [];
  orderKeys.forEach((k, i) => {
    let symbol: PlanSymbol | undefined;
    if ('item' in k && k.item !== undefined) symbol = projected[k.item]?.symbol;
    else {
      const e = orderExprs[i]!;
      const same = projected.find((p) => sameExpr(p.expr, e));
      if (same) symbol = same.symbol;
      else {
        if (s.distinctClause) {
          throw new SqlError(
            SqlStates.invalidColumnReference,
            'for SELECT DISTINCT, ORDER BY expressions must appear in select list',
          );
        }
        symbol = ctx.symbols.new('sort_key', e.type);
        hidden.push({ symbol, expr: e });
      }
    }
    sortKeys.push({ symbol: symbol!, ascending: k.ascending, nullsFirst: k.nullsFirst });
  });
  plan = { kind: 'project', input: plan, items: [...projected, ...hidden] };

  if (s.distinctClause) {
    if (s.distinctClause.length > 0 && s.distinctClause.some((d) => Object.keys(d).length > 0)) {
      throw SqlError.unsupported('DISTINCT ON');
    }
    plan = { kind: 'aggregate', input: plan, groupBy: outputOf(plan), aggregates: [] };
  }
  if (sortKeys.length > 0) plan = { kind: 'sort', input: plan, keys: sortKeys };
  const limit = s.limitCount ? constantInt(s.limitCount, 'LIMIT') : null;
  const offset = s.limitOffset ? (constantInt(s.limitOffset, 'OFFSET') ?? 0) : 0;
  if (limit !== null || offset > 0) plan = { kind: 'limit', input: plan, limit, offset };
  if (hidden.length > 0) {
    plan = { kind: 'project', input: plan, items: projected.map((p) => ({ symbol: p.symbol, expr: refTo(p.symbol) })) };
  }
  return { plan, names: projected.map((p) => p.symbol.name) };
}

/** Untyped literals that reach the output become varchar, like PostgreSQL's unknown -> text. */
function finalType(e: Expr): Expr {
  return e.type.kind === 'unknown' && !(e.kind === 'literal' && e.value === null) ? castIfNeeded(e, VARCHAR) : e;
}

function planAggregation(
  input: LogicalPlan,
  groupExprs: readonly Expr[],
  aggregates: readonly AggregateDraft[],
  ctx: SelectContext,
  allowedIds: ReadonlySet<string> = new Set(),
): { plan: LogicalPlan; rewrite: (e: Expr) => Expr } {
  // Pre-projection: group keys and aggregate arguments as symbols.
  const pre: { symbol: PlanSymbol; expr: Expr }[] = [];
  const symbolFor = (e: Expr, name: string): PlanSymbol => {
    const found = pre.find((p) => sameExpr(p.expr, e));
    if (found) return found.symbol;
    const symbol = e.kind === 'ref' ? { id: e.id, name, type: e.type } : ctx.symbols.new(name, e.type);
    pre.push({ symbol, expr: e });
    return symbol;
  };
  const distinctGroups: Expr[] = [];
  for (const g of groupExprs) if (!distinctGroups.some((d) => sameExpr(d, g))) distinctGroups.push(g);
  const groupSymbols = distinctGroups.map((g, i) =>
    symbolFor(g, g.kind === 'ref' ? nameOfRef(input, g.id) : `group_${i}`),
  );
  const aggItems = aggregates.map((a) => ({
    output: a.output,
    fn: a.fn,
    args: a.args.map((e, i) => symbolFor(e, `${a.fn}_arg${i}`)),
    distinct: a.distinct,
    ...(a.orderBy
      ? {
          orderBy: a.orderBy.map((k, i) => ({
            symbol: symbolFor(k.expr, `${a.fn}_order${i}`),
            ascending: k.ascending,
            nullsFirst: k.nullsFirst,
          })),
        }
      : {}),
  }));
  const projected: LogicalPlan = { kind: 'project', input, items: pre };
  const plan: LogicalPlan = { kind: 'aggregate', input: projected, groupBy: groupSymbols, aggregates: aggItems };
  const aggIds = new Set(aggregates.map((a) => a.output.id));
  const rewrite = (e: Expr): Expr => {
    if (e.kind === 'call' && e.fn === GROUPING_FN) return { kind: 'literal', value: 0, type: INTEGER };
    return rewriteGrouped(e, distinctGroups, groupSymbols, aggIds, allowedIds, input, rewrite);
  };
  return { plan, rewrite };
}

/**
 * After grouping: a group expression becomes its key symbol, aggregate (and other allowed)
 * symbols stay, any other column is an error (42803); `recurse` handles sub-expressions.
 */
function rewriteGrouped(
  e: Expr,
  groups: readonly Expr[],
  keys: readonly PlanSymbol[],
  aggIds: ReadonlySet<string>,
  allowedIds: ReadonlySet<string>,
  input: LogicalPlan,
  recurse: (e: Expr) => Expr,
): Expr {
  const gi = groups.findIndex((g) => sameExpr(g, e));
  if (gi >= 0) return refTo(keys[gi]!);
  if (e.kind === 'ref') {
    if (aggIds.has(e.id) || allowedIds.has(e.id)) return e;
    throw new SqlError(
      SqlStates.groupingError,
      `column "${nameOfRef(input, e.id)}" must appear in the GROUP BY clause or be used in an aggregate function`,
    );
  }
  return mapChildren(e, recurse);
}

function nameOfRef(plan: LogicalPlan, id: string): string {
  return outputOf(plan).find((s) => s.id === id)?.name ?? id;
}

function bindValues(s: SelectStmt, ctx: SelectContext): BoundQuery {
  const binder = new ExprBinder(Scope.empty(), ctx, { forbiddenIn: 'VALUES' });
  const rows = (s.valuesLists ?? []).map((r) =>
    ((as(r, 'List') as { items?: Node[] }).items ?? []).map((i) => binder.bind(i)),
  );
  const width = rows[0]?.length ?? 0;
  if (rows.some((r) => r.length !== width)) throw SqlError.syntax('VALUES lists must all be the same length');
  const types: DataType[] = [];
  for (let c = 0; c < width; c++) {
    let t: DataType = { kind: 'unknown' };
    for (const r of rows) {
      t = commonSuperType(t, r[c]!.type) ?? failValuesType(t, r[c]!.type);
    }
    types.push(
      t.kind === 'unknown' &&
        rows.some((r) => {
          const e = r[c]!;
          return e.kind !== 'literal' || e.value !== null;
        })
        ? VARCHAR
        : t,
    );
  }
  const output = types.map((t, i) => ctx.symbols.new(`column${i + 1}`, t));
  let plan: LogicalPlan = {
    kind: 'values',
    rows: rows.map((r) => r.map((e, i) => castIfNeeded(e, types[i]!))),
    output,
  };
  if (s.sortClause && s.sortClause.length > 0) throw SqlError.unsupported('ORDER BY on VALUES');
  const limit = s.limitCount ? constantInt(s.limitCount, 'LIMIT') : null;
  if (limit !== null) plan = { kind: 'limit', input: plan, limit, offset: 0 };
  return { plan, names: output.map((o) => o.name) };
}

function failValuesType(a: DataType, b: DataType): never {
  throw new SqlError(SqlStates.datatypeMismatch, `VALUES types ${a.kind} and ${b.kind} cannot be matched`);
}

function bindFromItem(n: Node, ctx: SelectContext): { plan: LogicalPlan; scope: Scope } {
  const tag = tagOf(n);
  if (tag === 'RangeVar') {
    const rv = as(n, 'RangeVar') as RangeVar;
    const parts = [rv.catalogname, rv.schemaname, rv.relname].filter((p): p is string => !!p);
    const cte = parts.length === 1 ? ctx.ctes?.get(parts[0]!) : undefined;
    if (cte && 'rows' in cte) {
      const alias = rv.alias?.aliasname ?? parts[0]!;
      const colAliases = stringsOf(rv.alias?.colnames);
      const output = cte.columns.map((c, i) => ctx.symbols.new(colAliases[i] ?? c.name, c.type));
      const rows = cte.rows.map((r) => r.map((v, i): Expr => ({ kind: 'literal', value: v, type: output[i]!.type })));
      return {
        plan: { kind: 'values', rows, output },
        scope: new Scope(output.map((sym) => ({ qualifier: [alias], name: sym.name, symbol: sym }))),
      };
    }
    if (cte) {
      const q = bindQuery(cte.query, { ...cte.ctx, symbols: ctx.symbols, params: ctx.params });
      const alias = rv.alias?.aliasname ?? parts[0]!;
      const colAliases = stringsOf(rv.alias?.colnames);
      const out = outputOf(q.plan);
      const fields: ScopeField[] = out.map((sym, i) => ({
        qualifier: [alias],
        name: colAliases[i] ?? cte.columns[i] ?? q.names[i] ?? sym.name,
        symbol: sym,
      }));
      return { plan: q.plan, scope: new Scope(fields) };
    }
    const t = ctx.resolveTable(parts, locationOf(n));
    const alias = rv.alias?.aliasname;
    const colAliases = stringsOf(rv.alias?.colnames);
    const qualifier = alias ? [alias] : [t.catalog, t.schema, t.table];
    const columns = t.columns.map((c, i) => ({
      column: c.name,
      symbol: ctx.symbols.new(colAliases[i] ?? c.name, c.type),
    }));
    const plan: LogicalPlan = {
      kind: 'scan',
      catalog: t.catalog,
      table: `${t.catalog}.${t.schema}.${t.table}`,
      handle: t.handle,
      columns,
      pushed: [],
      ...(t.rowCount === undefined ? {} : { rowCount: t.rowCount }),
    };
    return {
      plan,
      scope: new Scope(columns.map((c) => ({ qualifier, name: c.symbol.name, symbol: c.symbol }))),
    };
  }
  if (tag === 'JoinExpr') return bindJoin(as(n, 'JoinExpr') as JoinExpr, ctx);
  if (tag === 'RangeSubselect') {
    const rs = as(n, 'RangeSubselect') as {
      subquery?: Node;
      alias?: { aliasname?: string; colnames?: Node[] };
      lateral?: boolean;
    };
    if (rs.lateral) throw SqlError.unsupported('LATERAL', locationOf(n));
    const q = bindQuery(rs.subquery!, ctx);
    const alias = rs.alias?.aliasname ?? 'subquery';
    const colAliases = stringsOf(rs.alias?.colnames);
    const out = outputOf(q.plan);
    const fields: ScopeField[] = out.map((s, i) => ({
      qualifier: [alias],
      name: colAliases[i] ?? q.names[i] ?? s.name,
      symbol: s,
    }));
    return { plan: q.plan, scope: new Scope(fields) };
  }
  if (tag === 'RangeFunction') return bindRangeFunction(n, ctx);
  throw SqlError.unsupported(`FROM item ${tag}`, locationOf(n));
}

function bindJoin(j: JoinExpr, ctx: SelectContext): { plan: LogicalPlan; scope: Scope } {
  const left = bindFromItem(j.larg!, ctx);
  const right = bindFromItem(j.rarg!, ctx);
  const joinTypes: Record<string, JoinType> = {
    JOIN_INNER: 'inner',
    JOIN_LEFT: 'left',
    JOIN_RIGHT: 'right',
    JOIN_FULL: 'full',
  };
  const joinType: JoinType | undefined = joinTypes[j.jointype ?? ''];
  if (!joinType) throw SqlError.unsupported(`join type ${j.jointype}`);
  if (j.isNatural) throw SqlError.unsupported('NATURAL JOIN');
  const scope = left.scope.concat(right.scope);
  let condition: Expr | null = null;
  const using = stringsOf(j.usingClause);
  if (using.length > 0) {
    // USING columns appear once, first: the left value (inner/left join), the right value (right
    // join) or COALESCE of both (full join); qualified names still reach each side's column.
    const merged: { symbol: PlanSymbol; expr: Expr }[] = [];
    const terms: Expr[] = using.map((name) => {
      const l = left.scope.resolve([name], undefined);
      const r = right.scope.resolve([name], undefined);
      const t = commonSuperType(l.symbol.type, r.symbol.type);
      if (!t) throw new SqlError(SqlStates.datatypeMismatch, `JOIN/USING types for column "${name}" cannot be matched`);
      const lv = castIfNeeded(refTo(l.symbol), t);
      const rv = castIfNeeded(refTo(r.symbol), t);
      const value: Expr =
        joinType === 'right'
          ? rv
          : joinType === 'full'
            ? { kind: 'call', fn: 'coalesce', args: [lv, rv], type: t }
            : lv;
      merged.push({ symbol: ctx.symbols.new(name, t), expr: value });
      return { kind: 'call', fn: 'eq', args: [lv, rv], type: BOOLEAN };
    });
    condition = terms.length === 1 ? terms[0]! : { kind: 'and', args: terms, type: BOOLEAN };
    const hide = (f: ScopeField): ScopeField => (using.includes(f.name) ? { ...f, hiddenUnqualified: true } : f);
    const joined: LogicalPlan = { kind: 'join', joinType, left: left.plan, right: right.plan, condition };
    const passThrough = outputOf(joined).map((sym) => ({ symbol: sym, expr: refTo(sym) }));
    if (j.alias) throw SqlError.unsupportedPlural('aliases on JOIN expressions');
    return {
      plan: { kind: 'project', input: joined, items: [...merged, ...passThrough] },
      scope: new Scope([
        ...merged.map((m) => ({ qualifier: [], name: m.symbol.name, symbol: m.symbol })),
        ...left.scope.fields.map(hide),
        ...right.scope.fields.map(hide),
      ]),
    };
  } else if (j.quals) {
    condition = new ExprBinder(scope, ctx, { forbiddenIn: 'JOIN conditions' }).bindBoolean(j.quals);
  } else if (joinType !== 'inner') {
    throw SqlError.syntax(`${joinType.toUpperCase()} JOIN requires an ON or USING condition`);
  }
  if (j.alias) throw SqlError.unsupportedPlural('aliases on JOIN expressions');
  return { plan: { kind: 'join', joinType, left: left.plan, right: right.plan, condition }, scope };
}

function starOf(val: Node | undefined): string[] | undefined {
  const ref = as(val, 'ColumnRef') as { fields?: Node[] } | undefined;
  if (!ref?.fields) return undefined;
  const last = ref.fields[ref.fields.length - 1];
  if (!last || !('A_Star' in last)) return undefined;
  return stringsOf(ref.fields.slice(0, -1));
}

export function defaultName(val: Node): string {
  const tag = tagOf(val);
  if (tag === 'ColumnRef') {
    const fields = stringsOf((as(val, 'ColumnRef') as { fields?: Node[] }).fields);
    return fields[fields.length - 1] ?? '?column?';
  }
  if (tag === 'FuncCall') {
    const names = stringsOf((as(val, 'FuncCall') as { funcname?: Node[] }).funcname);
    const last = names[names.length - 1] ?? '?column?';
    return last === 'extract' ? 'extract' : last;
  }
  if (tag === 'TypeCast') {
    const tc = as(val, 'TypeCast') as { arg?: Node; typeName?: { names?: Node[] } };
    if (tc.arg && tagOf(tc.arg) !== 'A_Const') return defaultName(tc.arg);
    const names = stringsOf(tc.typeName?.names);
    const n = names[names.length - 1] ?? '?column?';
    return (
      ({ int4: 'int4', int8: 'int8', numeric: 'numeric', float8: 'float8', bool: 'bool' } as Record<string, string>)[
        n
      ] ?? n
    );
  }
  if (tag === 'CaseExpr') return 'case';
  if (tag === 'CoalesceExpr') return 'coalesce';
  if (tag === 'SQLValueFunction') {
    // SVFOP_CURRENT_USER -> current_user, SVFOP_CURRENT_TIMESTAMP_N -> current_timestamp
    const op = (as(val, 'SQLValueFunction') as { op?: string }).op ?? '';
    return (
      op
        .replace(/^SVFOP_/, '')
        .replace(/_N$/, '')
        .toLowerCase() || '?column?'
    );
  }
  return '?column?';
}

function ordinalOf(n: Node): number | undefined {
  const c = as(n, 'A_Const') as { ival?: { ival?: number } } | undefined;
  return c?.ival ? (c.ival.ival ?? 0) : undefined;
}

function simpleName(n: Node): string | undefined {
  const ref = as(n, 'ColumnRef') as { fields?: Node[] } | undefined;
  if (ref?.fields?.length !== 1) return undefined;
  return stringOf(ref.fields[0]);
}

function scopeHas(scope: Scope, name: string): boolean {
  return scope.fields.some((f) => f.name === name && !f.hiddenUnqualified);
}

function constantInt(n: Node, what: string): number | null {
  const c = as(n, 'A_Const') as { ival?: { ival?: number }; isnull?: boolean; fval?: { fval?: string } } | undefined;
  if (c?.isnull) return null;
  const v = c?.ival ? (c.ival.ival ?? 0) : c?.fval ? Number(c.fval.fval) : undefined;
  if (v === undefined || !Number.isInteger(v) || v < 0) {
    throw new SqlError(
      SqlStates.invalidParameterValue,
      `${what} must be a non-negative integer constant`,
      locationOf(n),
    );
  }
  return v;
}

export function sameExpr(a: Expr, b: Expr): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function hasGrouping(s: SelectStmt): boolean {
  return (s.groupClause?.length ?? 0) > 0 || s.havingClause !== undefined;
}

/** Every symbol visible in a scope and the scopes around it. */
function allIds(scope: Scope): Set<string> {
  const ids = new Set<string>();
  for (let sc: Scope | undefined = scope; sc; sc = sc.parent) for (const f of sc.fields) ids.add(f.symbol.id);
  return ids;
}

/** WITH name [(cols)] AS (query), ...: each CTE sees the ones before it; references inline it. */
function withCtes(w: WithClause, ctx: SelectContext): SelectContext {
  let current = ctx;
  for (const c of w.ctes ?? []) {
    const cte = as(c, 'CommonTableExpr') as { ctename?: string; ctequery?: Node; aliascolnames?: Node[] };
    const name = cte.ctename ?? '';
    // Recursive CTEs arrive already evaluated (their rows are in the context).
    const known = current.ctes?.get(name);
    if (known && 'rows' in known) continue;
    if (w.recursive && referencesName(cte.ctequery, name)) {
      throw SqlError.unsupported('WITH RECURSIVE other than at the top of a query');
    }
    const ctes = new Map(current.ctes ?? []);
    ctes.set(name, { query: cte.ctequery!, columns: stringsOf(cte.aliascolnames), ctx: current });
    current = { ...current, ctes };
  }
  return current;
}

/** UNION [ALL], INTERSECT, EXCEPT: columns matched by position, cast to common types. */
function bindSetOperation(s: SelectStmt, ctx: SelectContext): BoundQuery {
  if (!s.larg || !s.rarg) throw SqlError.syntax('set operation without both sides');
  const left = bindSelect(s.larg, ctx);
  const right = bindSelect(s.rarg, ctx);
  const lo = outputOf(left.plan);
  const ro = outputOf(right.plan);
  const opName = (s.op ?? '').replace('SETOP_', '');
  if (lo.length !== ro.length) {
    throw SqlError.syntax(`each ${opName} query must have the same number of columns`);
  }
  const types = lo.map((l, i) => {
    const r = ro[i]!;
    const t = commonSuperType(l.type, r.type);
    if (!t) {
      throw new SqlError(
        SqlStates.datatypeMismatch,
        `${opName} types ${l.type.kind} and ${r.type.kind} cannot be matched`,
      );
    }
    return t.kind === 'unknown' ? VARCHAR : t;
  });
  const coerce = (q: BoundQuery, out: readonly PlanSymbol[]) => {
    const items = out.map((o, i) => ({
      symbol: ctx.symbols.new(o.name, types[i]!),
      expr: castIfNeeded(refTo(o), types[i]!),
    }));
    return { plan: { kind: 'project', input: q.plan, items } as LogicalPlan, symbols: items.map((i) => i.symbol) };
  };
  const l = coerce(left, lo);
  const r = coerce(right, ro);
  const output = types.map((t, i) => ctx.symbols.new(left.names[i] ?? `column${i + 1}`, t));
  let plan: LogicalPlan;
  if (s.op === 'SETOP_UNION') {
    plan = { kind: 'union', inputs: [l.plan, r.plan], mappings: [l.symbols, r.symbols], output };
    if (!s.all) plan = { kind: 'aggregate', input: plan, groupBy: output, aggregates: [] };
  } else {
    // Tag each side, count rows per side and group, keep the groups the operator asks for.
    // ALL (multiset) keeps min(m, n) (INTERSECT) or m - n (EXCEPT) copies of each row value by
    // a Replicate after the aggregation. Distributed, this is the same plan as the distinct
    // forms: partial counts per task, one hash exchange on the row value, final counts and the
    // copies made where the group is (no sort, and no second exchange as a row_number()-based
    // join of the two sides would need).
    const tagged = (side: { plan: LogicalPlan; symbols: PlanSymbol[] }, isLeft: boolean) => {
      const fromLeft = ctx.symbols.new('from_left', INTEGER);
      const fromRight = ctx.symbols.new('from_right', INTEGER);
      const items = [
        ...side.symbols.map((sym) => ({ symbol: sym, expr: refTo(sym) })),
        { symbol: fromLeft, expr: { kind: 'literal', value: isLeft ? 1 : 0, type: INTEGER } as Expr },
        { symbol: fromRight, expr: { kind: 'literal', value: isLeft ? 0 : 1, type: INTEGER } as Expr },
      ];
      return { plan: { kind: 'project', input: side.plan, items } as LogicalPlan, symbols: items.map((i) => i.symbol) };
    };
    const tl = tagged(l, true);
    const tr = tagged(r, false);
    const leftCount = ctx.symbols.new('left_count', INTEGER);
    const rightCount = ctx.symbols.new('right_count', INTEGER);
    const unionOut = [...output, leftCount, rightCount];
    const union: LogicalPlan = {
      kind: 'union',
      inputs: [tl.plan, tr.plan],
      mappings: [tl.symbols, tr.symbols],
      output: unionOut,
    };
    const lSum = ctx.symbols.new('left_rows', BIGINT);
    const rSum = ctx.symbols.new('right_rows', BIGINT);
    const agg: LogicalPlan = {
      kind: 'aggregate',
      input: union,
      groupBy: output,
      aggregates: [
        { output: lSum, fn: 'sum', args: [leftCount], distinct: false },
        { output: rSum, fn: 'sum', args: [rightCount], distinct: false },
      ],
    };
    const cmp = (sym: PlanSymbol, fn: 'gt' | 'eq'): Expr => ({
      kind: 'call',
      fn,
      args: [refTo(sym), { kind: 'literal', value: '0', type: BIGINT }],
      type: BOOLEAN,
    });
    if (s.all) {
      const copies = ctx.symbols.new('copies', BIGINT);
      const l = refTo(lSum);
      const r = refTo(rSum);
      const count: Expr =
        s.op === 'SETOP_INTERSECT'
          ? {
              kind: 'case',
              whens: [{ when: { kind: 'call', fn: 'lt', args: [l, r], type: BOOLEAN }, result: l }],
              otherwise: r,
              type: BIGINT,
            }
          : { kind: 'call', fn: 'subtract', args: [l, r], type: BIGINT };
      const counted: LogicalPlan = {
        kind: 'project',
        input: agg,
        items: [...output.map((o) => ({ symbol: o, expr: refTo(o) })), { symbol: copies, expr: count }],
      };
      plan = {
        kind: 'project',
        input: { kind: 'replicate', input: counted, count: copies },
        items: output.map((o) => ({ symbol: o, expr: refTo(o) })),
      };
    } else {
      const keep =
        s.op === 'SETOP_INTERSECT' ? and([cmp(lSum, 'gt'), cmp(rSum, 'gt')]) : and([cmp(lSum, 'gt'), cmp(rSum, 'eq')]);
      plan = {
        kind: 'project',
        input: { kind: 'filter', input: agg, predicate: keep },
        items: output.map((o) => ({ symbol: o, expr: refTo(o) })),
      };
    }
  }
  // ORDER BY / LIMIT of the whole set operation: by output name or position.
  const keys: LogicalSortKey[] = (s.sortClause ?? []).map((o) => {
    const sb = as(o, 'SortBy') as SortBy;
    const ascending = sb.sortby_dir !== 'SORTBY_DESC';
    const nullsFirst =
      sb.sortby_nulls === 'SORTBY_NULLS_FIRST' || (sb.sortby_nulls !== 'SORTBY_NULLS_LAST' && !ascending);
    const ordinal = ordinalOf(sb.node!);
    const name = simpleName(sb.node!);
    const idx = ordinal !== undefined ? ordinal - 1 : output.findIndex((x) => x.name === name);
    const symbol = output[idx];
    if (!symbol) {
      throw SqlError.unsupported(
        `ORDER BY of a ${opName} by anything but an output column name or position`,
        locationOf(sb.node),
      );
    }
    return { symbol, ascending, nullsFirst };
  });
  if (keys.length > 0) plan = { kind: 'sort', input: plan, keys };
  const limit = s.limitCount ? constantInt(s.limitCount, 'LIMIT') : null;
  const offset = s.limitOffset ? (constantInt(s.limitOffset, 'OFFSET') ?? 0) : 0;
  if (limit !== null || offset > 0) plan = { kind: 'limit', input: plan, limit, offset };
  return { plan, names: output.map((o) => o.name) };
}

/** One Window node per distinct (PARTITION BY, ORDER BY); computed inputs projected first. */
function planWindows(input: LogicalPlan, windows: readonly WindowDraft[], ctx: SelectContext): LogicalPlan {
  const groups = new Map<string, WindowDraft[]>();
  for (const w of windows) {
    const key = JSON.stringify([w.partitionBy, w.orderBy]);
    groups.set(key, [...(groups.get(key) ?? []), w]);
  }
  let plan = input;
  for (const ws of groups.values()) {
    const first = ws[0]!;
    const extra: { symbol: PlanSymbol; expr: Expr }[] = [];
    const symbolOf = (e: Expr, name: string): PlanSymbol => {
      if (e.kind === 'ref') return { id: e.id, name, type: e.type };
      const found = extra.find((x) => sameExpr(x.expr, e));
      if (found) return found.symbol;
      const symbol = ctx.symbols.new(name, e.type);
      extra.push({ symbol, expr: e });
      return symbol;
    };
    const partitionBy = first.partitionBy.map((e, i) => symbolOf(e, `partition_${i}`));
    const orderBy = first.orderBy.map((o, i) => ({
      symbol: symbolOf(o.expr, `order_${i}`),
      ascending: o.ascending,
      nullsFirst: o.nullsFirst,
    }));
    const functions = ws.map((w) => ({
      output: w.output,
      fn: w.fn,
      args: w.args.map((a, i) => symbolOf(a, `${w.fn}_arg${i}`)),
      frame: w.frame,
    }));
    if (extra.length > 0) {
      const pass = outputOf(plan).map((sym) => ({ symbol: sym, expr: refTo(sym) }));
      plan = { kind: 'project', input: plan, items: [...pass, ...extra] };
    }
    plan = { kind: 'window', input: plan, partitionBy, orderBy, functions };
  }
  return plan;
}

/** ROLLUP / CUBE / GROUPING SETS / () -> lists of group expression indices. */
function groupingSetsOf(g: Node, index: (n: Node) => number): number[][] {
  const gs = as(g, 'GroupingSet') as { kind?: string; content?: Node[] };
  const content = gs.content ?? [];
  // An item of ROLLUP/CUBE may be a parenthesised list: (a, b) is one unit.
  const unit = (n: Node): number[] => {
    const inner = as(n, 'GroupingSet') as { kind?: string; content?: Node[] } | undefined;
    if (inner?.kind === 'GROUPING_SET_SIMPLE') return (inner.content ?? []).map(index);
    const row = as(n, 'RowExpr') as { args?: Node[] } | undefined;
    if (row) return (row.args ?? []).map(index);
    return [index(n)];
  };
  switch (gs.kind) {
    case 'GROUPING_SET_EMPTY':
      return [[]];
    case 'GROUPING_SET_SIMPLE':
      return [content.map(index)];
    case 'GROUPING_SET_ROLLUP': {
      const units = content.map(unit);
      return units.map((_, i) => units.slice(0, units.length - i).flat()).concat([[]]);
    }
    case 'GROUPING_SET_CUBE': {
      const units = content.map(unit);
      if (units.length > 12) throw SqlError.unsupported('CUBE with more than 12 elements');
      const sets: number[][] = [];
      for (let mask = (1 << units.length) - 1; mask >= 0; mask--) {
        sets.push(units.filter((_, i) => mask & (1 << (units.length - 1 - i))).flat());
      }
      return sets;
    }
    case 'GROUPING_SET_SETS':
      return content.flatMap((c) => (tagOf(c) === 'GroupingSet' ? groupingSetsOf(c, index) : [[index(c)]]));
    default:
      throw SqlError.unsupported(`grouping set ${gs.kind}`);
  }
}

/**
 * GROUPING SETS: one aggregation per set over the same input, keys missing from a set as NULL,
 * a grouping id per set (bit set = key not grouped), all concatenated.
 */
function planGroupingSets(
  input: LogicalPlan,
  groupExprs: readonly Expr[],
  sets: readonly number[][],
  aggregates: readonly AggregateDraft[],
  ctx: SelectContext,
  allowedIds: ReadonlySet<string>,
): { plan: LogicalPlan; rewrite: (e: Expr) => Expr } {
  const n = groupExprs.length;
  const keyOut = groupExprs.map((g, i) =>
    ctx.symbols.new(g.kind === 'ref' ? nameOfRef(input, g.id) : `group_${i}`, g.type),
  );
  const gid = ctx.symbols.new('grouping_id', INTEGER);
  const output = [...keyOut, ...aggregates.map((a) => a.output), gid];
  const inputs: LogicalPlan[] = [];
  const mappings: PlanSymbol[][] = [];
  for (const set of sets) {
    const own = aggregates.map((a) => ({ ...a, output: ctx.symbols.new(a.output.name, a.output.type) }));
    const agg = planAggregation(
      input,
      set.map((i) => groupExprs[i]!),
      own,
      ctx,
    );
    let mask = 0;
    const items = groupExprs.map((g, i) => {
      const symbol = ctx.symbols.new(keyOut[i]!.name, g.type);
      if (set.includes(i)) return { symbol, expr: agg.rewrite(g) };
      mask |= 1 << (n - 1 - i);
      return { symbol, expr: { kind: 'literal', value: null, type: g.type } as Expr };
    });
    const aggItems = own.map((a) => ({ symbol: ctx.symbols.new(a.output.name, a.output.type), expr: refTo(a.output) }));
    const idItem = {
      symbol: ctx.symbols.new('grouping_id', INTEGER),
      expr: { kind: 'literal', value: mask, type: INTEGER } as Expr,
    };
    const all = [...items, ...aggItems, idItem];
    inputs.push({ kind: 'project', input: agg.plan, items: all });
    mappings.push(all.map((x) => x.symbol));
  }
  const plan: LogicalPlan = { kind: 'union', inputs, mappings, output };
  const aggIds = new Set(aggregates.map((a) => a.output.id));
  const bit = (i: number): Expr => {
    // (grouping_id / 2^(n-1-i)) % 2
    const div: Expr = {
      kind: 'call',
      fn: 'divide',
      args: [refTo(gid), { kind: 'literal', value: 2 ** (n - 1 - i), type: INTEGER }],
      type: INTEGER,
    };
    return { kind: 'call', fn: 'modulus', args: [div, { kind: 'literal', value: 2, type: INTEGER }], type: INTEGER };
  };
  const rewrite = (e: Expr): Expr => {
    if (e.kind === 'call' && e.fn === GROUPING_FN) {
      // grouping(a, b, ...): one bit per argument, the first the most significant.
      let acc: Expr | undefined;
      e.args.forEach((arg, k) => {
        const i = groupExprs.findIndex((g) => sameExpr(g, arg));
        if (i < 0)
          throw new SqlError(
            SqlStates.groupingError,
            'arguments to GROUPING must be grouping expressions of the associated query level',
          );
        const weight = 2 ** (e.args.length - 1 - k);
        const term: Expr = {
          kind: 'call',
          fn: 'multiply',
          args: [bit(i), { kind: 'literal', value: weight, type: INTEGER }],
          type: INTEGER,
        };
        acc = acc ? { kind: 'call', fn: 'add', args: [acc, term], type: INTEGER } : term;
      });
      return acc ?? { kind: 'literal', value: 0, type: INTEGER };
    }
    return rewriteGrouped(e, groupExprs, keyOut, aggIds, allowedIds, input, rewrite);
  };
  return { plan, rewrite };
}

/** Does a query mention a table of this (unqualified) name anywhere? */
export function referencesName(node: unknown, name: string): boolean {
  if (Array.isArray(node)) return node.some((n) => referencesName(n, name));
  if (typeof node !== 'object' || node === null) return false;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'RangeVar') {
      const rv = v as { relname?: string; schemaname?: string; catalogname?: string };
      if (rv.relname === name && !rv.schemaname && !rv.catalogname) return true;
    } else if (referencesName(v, name)) return true;
  }
  return false;
}
