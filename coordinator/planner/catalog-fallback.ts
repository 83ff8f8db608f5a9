// Client introspection queries (psql, JDBC) use PostgreSQL features that Tributary does not have.
// When such a statement fails to bind, it is bound again after two rewrites that cannot change
// its result; the first error stands if that fails too. Statements that bind as written are never
// rewritten, so results and types of working queries do not change.
//
// 1. Query blocks over pg_catalog tables that never have rows (pg_index, pg_constraint,
// pg_attrdef, pg_policy, ...) return nothing, whatever their expressions (arrays, set-returning
// functions, field selection):
//
//   SELECT c.oid::regclass FROM pg_class c, pg_inherits i WHERE ... ORDER BY inhseqno
//     -> SELECT NULL AS oid WHERE false
//   (SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d WHERE ...)   -> NULL
//   EXISTS (SELECT ... FROM pg_trigger ...) -> false     ARRAY(SELECT ... FROM pg_auth_members ...) -> '{}'
//
// A block is empty when its FROM joins an always-empty table (an empty derived table, or
// unnest() of one of the catalog's array columns, which are NULL here) on a
// side that every output row needs (inner and cross joins; the preserved side of outer joins)
// and it does not aggregate (an aggregate over no rows yields one).
//
// 2. A correlated scalar subquery that looks a row up by its OID yields at most one row, so it is
// the max() of itself, which the binder decorrelates (a left join on the OID):
//
//   (SELECT c.relkind = 'c' FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid)
//     -> (SELECT max(c.relkind = 'c') FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid)
import type { Node, SelectStmt } from '@pgsql/types';
import { SqlError } from '../../common/errors.js';
import { AGGREGATE_FUNCTIONS } from '../../common/functions/aggregates.js';
import {
  hasUniqueOid,
  isAlwaysEmptyPgCatalogTable,
  PG_CATALOG,
  PG_CATALOG_NULL_ARRAY_COLUMNS,
} from '../../connectors/system/index.js';
import { as, stringsOf, tagOf } from '../sql/ast.js';
import { type BoundQuery, bindQuery, defaultName, type SelectContext } from './bind-select.js';

type Mutable = Record<string, unknown>;

const NULL: Node = { A_Const: { isnull: true } } as Node;
// As libpg-query writes them (false is an empty boolval).
const bool = (v: boolean): Node => ({ A_Const: { boolval: v ? { boolval: true } : {} } }) as Node;

/** The constant a subquery of this kind yields over no rows. */
function emptySubLinkValue(kind: string | undefined): Node | undefined {
  switch (kind) {
    case 'EXPR_SUBLINK':
      return NULL;
    case 'EXISTS_SUBLINK':
    case 'ANY_SUBLINK':
      return bool(false);
    case 'ALL_SUBLINK':
      return bool(true);
    case 'ARRAY_SUBLINK':
      return { A_Const: { sval: { sval: '{}' } } } as Node;
    default:
      return undefined;
  }
}

class Pruner {
  changed = false;

  /** Prunes inside `s` (in place); true when it returns no rows. */
  select(s: SelectStmt, ctes: ReadonlySet<string>): boolean {
    const scope = new Set(ctes);
    for (const c of s.withClause?.ctes ?? []) {
      const cte = as(c, 'CommonTableExpr') as { ctename?: string; ctequery?: Node } | undefined;
      if (cte?.ctename) scope.add(cte.ctename);
      const q = as(cte?.ctequery, 'SelectStmt') as SelectStmt | undefined;
      if (q) this.select(q, scope);
    }
    if (s.op && s.op !== 'SETOP_NONE') {
      const l = s.larg ? this.select(s.larg, scope) : false;
      const r = s.rarg ? this.select(s.rarg, scope) : false;
      return s.op === 'SETOP_UNION' ? l && r : s.op === 'SETOP_INTERSECT' ? l || r : l;
    }
    let empty = false;
    for (const item of s.fromClause ?? []) if (this.fromItem(item, scope)) empty = true;
    for (const key of ['targetList', 'whereClause', 'havingClause', 'groupClause', 'sortClause', 'valuesLists']) {
      this.expressions(s as Mutable, key, scope);
    }
    if (!empty || s.valuesLists || aggregates(s)) return false;
    if (!(s.targetList ?? []).some(isStar)) this.replaceWithEmpty(s);
    return true;
  }

  private fromItem(n: Node, scope: ReadonlySet<string>): boolean {
    switch (tagOf(n)) {
      case 'RangeVar': {
        const rv = as(n, 'RangeVar') as { schemaname?: string; relname?: string };
        const name = rv.relname ?? '';
        if (rv.schemaname === PG_CATALOG) return isAlwaysEmptyPgCatalogTable(name);
        return !rv.schemaname && !scope.has(name) && isAlwaysEmptyPgCatalogTable(name);
      }
      case 'RangeSubselect': {
        const q = as((as(n, 'RangeSubselect') as { subquery?: Node }).subquery, 'SelectStmt') as SelectStmt | undefined;
        return q ? this.select(q, scope) : false;
      }
      case 'JoinExpr': {
        const j = as(n, 'JoinExpr') as { jointype?: string; larg?: Node; rarg?: Node } & Mutable;
        const l = j.larg ? this.fromItem(j.larg, scope) : false;
        const r = j.rarg ? this.fromItem(j.rarg, scope) : false;
        this.expressions(j, 'quals', scope);
        switch (j.jointype) {
          case 'JOIN_INNER':
            return l || r;
          case 'JOIN_LEFT':
            return l;
          case 'JOIN_RIGHT':
            return r;
          case 'JOIN_FULL':
            return l && r;
          default:
            return false;
        }
      }
      case 'RangeFunction':
        return unnestsNullColumn(n);
      default:
        return false;
    }
  }

  /** Replaces empty subqueries under `parent[key]` by their constant value. */
  private expressions(parent: Mutable, key: string | number, scope: ReadonlySet<string>): void {
    const n = parent[key];
    if (Array.isArray(n)) {
      for (let i = 0; i < n.length; i++) this.expressions(n as unknown as Mutable, i, scope);
      return;
    }
    if (typeof n !== 'object' || n === null) return;
    const link = (n as Mutable).SubLink as { subLinkType?: string; subselect?: Node; testexpr?: Node } | undefined;
    if (link) {
      const q = as(link.subselect, 'SelectStmt') as SelectStmt | undefined;
      const value = emptySubLinkValue(link.subLinkType);
      if (q && this.select(q, scope) && value) {
        parent[key] = value;
        this.changed = true;
        return;
      }
      if (q && link.subLinkType === 'EXPR_SUBLINK' && lookupByOid(q, scope)) this.changed = true;
      if (link.testexpr) this.expressions(link as Mutable, 'testexpr', scope);
      return;
    }
    for (const k of Object.keys(n)) this.expressions(n as Mutable, k, scope);
  }

  /** `SELECT NULL AS <name>, ... WHERE false`: the block's output names, no rows. */
  private replaceWithEmpty(s: SelectStmt): void {
    const m = s as Mutable;
    m.targetList = (s.targetList ?? []).map((t) => {
      const rt = as(t, 'ResTarget') as { name?: string; val?: Node };
      return { ResTarget: { name: rt.name ?? (rt.val ? defaultName(rt.val) : '?column?'), val: NULL } };
    });
    for (const k of ['fromClause', 'groupClause', 'havingClause', 'sortClause', 'limitCount', 'limitOffset']) {
      delete m[k];
    }
    delete m.distinctClause;
    delete m.windowClause;
    m.whereClause = bool(false);
    this.changed = true;
  }
}

/** `unnest(x.reloptions)` and the like: the catalog's array columns are NULL, unnest(NULL) has no rows. */
function unnestsNullColumn(n: Node): boolean {
  const functions = (as(n, 'RangeFunction') as { functions?: Node[] }).functions ?? [];
  if (functions.length !== 1) return false;
  const f = as((as(functions[0], 'List') as { items?: Node[] } | undefined)?.items?.[0], 'FuncCall') as
    | { funcname?: Node[]; args?: Node[] }
    | undefined;
  if (stringsOf(f?.funcname).at(-1) !== 'unnest' || f?.args?.length !== 1) return false;
  const column = stringsOf((as(f.args[0], 'ColumnRef') as { fields?: Node[] } | undefined)?.fields).at(-1);
  return column !== undefined && PG_CATALOG_NULL_ARRAY_COLUMNS.has(column);
}

/**
 * `SELECT e FROM pg_catalog.t a WHERE a.oid = <outer> AND ...` (no grouping, one target): wraps `e`
 * in max() and returns true.
 */
function lookupByOid(s: SelectStmt, scope: ReadonlySet<string>): boolean {
  if (s.op && s.op !== 'SETOP_NONE') return false;
  const from = s.fromClause ?? [];
  const rv = as(from[0], 'RangeVar') as { schemaname?: string; relname?: string; alias?: { aliasname?: string } };
  const target = as(s.targetList?.[0], 'ResTarget') as { val?: Node } | undefined;
  if (from.length !== 1 || !rv?.relname || s.targetList?.length !== 1 || !target?.val || isStar(s.targetList[0]!)) {
    return false;
  }
  if (rv.schemaname ? rv.schemaname !== PG_CATALOG : scope.has(rv.relname)) return false;
  if (!hasUniqueOid(rv.relname) || aggregates(s) || s.distinctClause || s.limitCount || s.valuesLists) return false;
  const alias = rv.alias?.aliasname ?? rv.relname;
  const refs = (n: Node | undefined): string[][] => {
    const out: string[][] = [];
    const walk = (x: unknown): void => {
      if (typeof x !== 'object' || x === null) return;
      if (Array.isArray(x)) {
        for (const y of x) walk(y);
        return;
      }
      for (const [k, v] of Object.entries(x)) {
        if (k === 'ColumnRef') out.push(stringsOf((v as { fields?: Node[] }).fields));
        else walk(v);
      }
    };
    walk(n);
    return out;
  };
  const isOwnOid = (n: Node | undefined) => {
    const f = refs(n);
    return n !== undefined && tagOf(n) === 'ColumnRef' && f.length === 1 && f[0]!.join('.') === `${alias}.oid`;
  };
  const outerOnly = (n: Node | undefined) => refs(n).every((f) => f.length === 2 && f[0] !== alias);
  const keyed = conjunctsOf(s.whereClause).some((c) => {
    const e = as(c, 'A_Expr') as { kind?: string; name?: Node[]; lexpr?: Node; rexpr?: Node } | undefined;
    if (e?.kind !== 'AEXPR_OP' || stringsOf(e.name).join('') !== '=') return false;
    return (isOwnOid(e.lexpr) && outerOnly(e.rexpr)) || (isOwnOid(e.rexpr) && outerOnly(e.lexpr));
  });
  if (!keyed) return false;
  target.val = {
    FuncCall: { funcname: [{ String: { sval: 'max' } }], args: [target.val], funcformat: 'COERCE_EXPLICIT_CALL' },
  } as Node;
  return true;
}

function conjunctsOf(n: Node | undefined): Node[] {
  if (!n) return [];
  const b = as(n, 'BoolExpr') as { boolop?: string; args?: Node[] } | undefined;
  return b?.boolop === 'AND_EXPR' ? (b.args ?? []).flatMap(conjunctsOf) : [n];
}

function isStar(t: Node): boolean {
  const val = (as(t, 'ResTarget') as { val?: Node } | undefined)?.val;
  const fields = (as(val, 'ColumnRef') as { fields?: Node[] } | undefined)?.fields ?? [];
  return fields.some((f) => 'A_Star' in f);
}

/** Whether the select list or HAVING calls an aggregate (outside subqueries), or it groups. */
function aggregates(s: SelectStmt): boolean {
  if ((s.groupClause ?? []).length > 0 || s.havingClause) return true;
  let found = false;
  const walk = (n: unknown): void => {
    if (found || typeof n !== 'object' || n === null) return;
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
      return;
    }
    for (const [k, v] of Object.entries(n)) {
      if (k === 'SubLink') continue;
      if (k === 'FuncCall') {
        const f = v as { funcname?: Node[]; over?: unknown; agg_star?: boolean };
        const name = stringsOf(f.funcname).at(-1) ?? '';
        if (!f.over && (AGGREGATE_FUNCTIONS.has(name) || f.agg_star)) found = true;
      }
      walk(v);
    }
  };
  walk(s.targetList);
  return found;
}

/** A copy of the statement with empty catalog blocks replaced, or undefined when there are none. */
export function pruneEmptyCatalogBlocks(ast: Node): Node | undefined {
  const copy = structuredClone(ast);
  const s = as(copy, 'SelectStmt') as SelectStmt | undefined;
  if (!s) return undefined;
  const pruner = new Pruner();
  pruner.select(s, new Set());
  return pruner.changed ? copy : undefined;
}

/**
 * bindQuery, and when that fails with a user-facing error, bindQuery of the statement without its
 * empty catalog blocks; the first error stands if that fails too.
 */
export function bindQueryPruningEmptyCatalog(ast: Node, ctx: SelectContext): BoundQuery {
  try {
    return bindQuery(ast, ctx);
  } catch (e) {
    if (!(e instanceof SqlError) || !/^(0A|42)/.test(e.sqlState)) throw e;
    const pruned = pruneEmptyCatalogBlocks(ast);
    if (!pruned) throw e;
    try {
      return bindQuery(pruned, ctx);
    } catch {
      throw e;
    }
  }
}
