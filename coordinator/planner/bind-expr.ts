// AST expression -> typed Expr over the symbols of a scope. Aggregate calls are collected
// (replaced by refs to their output symbols) when the context allows them.
import type { A_Const, A_Expr, BoolExpr, CaseExpr, FuncCall, Node, NullTest, TypeCast, WindowDef } from '@pgsql/types';
import { SqlError } from '../../common/errors.js';
import { type Expr, refsOf } from '../../common/expr/expr.js';
import {
  AGGREGATE_FUNCTIONS,
  type AggregateFn,
  aggregateOfName,
  aggregateResultType,
  ORDERED_SET_AGGREGATES,
} from '../../common/functions/aggregates.js';
import type { WindowFrame } from '../../common/plan/physical.js';
import { SqlStates } from '../../common/sqlstate.js';
import {
  BIGINT,
  BOOLEAN,
  type DataType,
  DOUBLE,
  decimal,
  INTEGER,
  isNumeric,
  MAX_DECIMAL_PRECISION,
  typeToSql,
  UNKNOWN,
  VARCHAR,
} from '../../common/types.js';
import { foldExpr } from '../optimizer/rules/fold-constants.js';
import { as, locationOf, stringsOf, tagOf, typeOfTypeName } from '../sql/ast.js';
import { bindExtract, intervalLiteral } from './bind-datetime.js';
import { frameOf, type NamedWindows, resolveOver } from './bind-window.js';
import {
  type ArithmeticOp,
  arithmeticOperandType,
  arithmeticResultType,
  castIfNeeded,
  commonSuperType,
} from './coercion.js';
import { type ArgTools, resolveOperator, resolveScalarFunction, resolveSqlValueFunction } from './function-resolver.js';
import type { PlanSymbol, SymbolAllocator } from './logical.js';
import { refTo } from './logical.js';
import { bindArrayComparison, bindArraySubscript, bindPgCast, checkCollation } from './pg-casts.js';
import { resolvePgFunction, resolvePgValueFunction } from './pg-functions.js';
import type { PgSession } from './pg-session.js';
import type { Scope } from './scope.js';

export interface AggregateOrderKey {
  readonly expr: Expr;
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

export interface AggregateDraft {
  readonly output: PlanSymbol;
  readonly fn: AggregateFn;
  readonly args: readonly Expr[];
  readonly distinct: boolean;
  readonly key: string;
  /** ORDER BY inside the call (string_agg, array_agg, WITHIN GROUP). */
  readonly orderBy?: readonly AggregateOrderKey[];
}

export interface BindContext {
  readonly symbols: SymbolAllocator;
  /** Types of $n parameters, filled as they are met (unknown until a context gives one). */
  readonly params: DataType[];
  /** The session as PostgreSQL's catalog functions see it (pg-functions.ts); absent: no such functions. */
  readonly pg?: PgSession;
}

const COMPARISONS: Record<string, string> = {
  '=': 'eq',
  '<>': 'ne',
  '!=': 'ne',
  '<': 'lt',
  '<=': 'le',
  '>': 'gt',
  '>=': 'ge',
};
const ARITHMETIC: Record<string, ArithmeticOp> = {
  '+': 'add',
  '-': 'subtract',
  '*': 'multiply',
  '/': 'divide',
  '%': 'modulus',
};

/** Turns scalar subqueries into joins (bind-subquery.ts); absent where subqueries are not allowed. */
export interface SubqueryBinder {
  scalar(node: Node, scope: Scope, position: number | undefined): Expr;
}

export interface WindowDraft {
  readonly output: PlanSymbol;
  readonly fn: string;
  readonly args: readonly Expr[];
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly { readonly expr: Expr; readonly ascending: boolean; readonly nullsFirst: boolean }[];
  readonly frame: WindowFrame;
}

const RANKING: Record<string, DataType> = {
  row_number: BIGINT,
  rank: BIGINT,
  dense_rank: BIGINT,
  ntile: BIGINT,
  percent_rank: DOUBLE,
  cume_dist: DOUBLE,
};
const NAVIGATION = new Set(['lag', 'lead', 'first_value', 'last_value', 'nth_value']);

/** grouping(...) before aggregation planning replaces it with bits of the grouping id. */
export const GROUPING_FN = '$grouping';

export class ExprBinder {
  /** Aggregates met so far (deduplicated), when `aggregates` is 'collect'. */
  readonly aggregates: AggregateDraft[] = [];
  /** Window function calls met so far (select list and ORDER BY). */
  readonly windows: WindowDraft[] = [];
  /** The query's WINDOW clause, for OVER w / OVER (w ...). */
  namedWindows: NamedWindows | undefined;

  constructor(
    private readonly scope: Scope,
    private readonly ctx: BindContext,
    private readonly aggregateMode: 'collect' | { readonly forbiddenIn: string },
    private readonly subqueries?: SubqueryBinder,
  ) {}

  bind(n: Node): Expr {
    const tag = tagOf(n);
    switch (tag) {
      case 'ColumnRef': {
        const fields = (as(n, 'ColumnRef') as { fields?: Node[] }).fields ?? [];
        if (fields.some((f) => 'A_Star' in f)) throw SqlError.syntax('* is not allowed here', locationOf(n));
        return refTo(this.scope.resolve(stringsOf(fields), locationOf(n)).symbol);
      }
      case 'A_Const':
        return constant(as(n, 'A_Const') as A_Const);
      case 'TypeCast': {
        const c = as(n, 'TypeCast') as TypeCast;
        if (!c.arg) throw SqlError.syntax('CAST without an argument', locationOf(n));
        const iv = intervalLiteral(c);
        if (iv) return iv;
        const oidCast = bindPgCast(c.typeName, c.arg, (a) => this.bind(a), this.ctx.pg, locationOf(n));
        if (oidCast) return oidCast;
        const type = typeOfTypeName(c.typeName, locationOf(n));
        return castIfNeeded(this.bindResolved(c.arg, type), type);
      }
      case 'A_Expr':
        return this.bindAExpr(as(n, 'A_Expr') as A_Expr, locationOf(n));
      case 'BoolExpr': {
        const b = as(n, 'BoolExpr') as BoolExpr;
        const args = (b.args ?? []).map((a) => this.bindBoolean(a));
        if (b.boolop === 'NOT_EXPR') return { kind: 'not', arg: args[0] ?? lit(null, BOOLEAN), type: BOOLEAN };
        return { kind: b.boolop === 'AND_EXPR' ? 'and' : 'or', args, type: BOOLEAN };
      }
      case 'NullTest': {
        const t = as(n, 'NullTest') as NullTest;
        if (!t.arg) throw SqlError.syntax('IS NULL without an argument', locationOf(n));
        return { kind: 'is_null', arg: this.bind(t.arg), negated: t.nulltesttype === 'IS_NOT_NULL', type: BOOLEAN };
      }
      case 'BooleanTest':
        return this.bindBooleanTest(n);
      case 'CaseExpr':
        return this.bindCase(as(n, 'CaseExpr') as CaseExpr, locationOf(n));
      case 'CoalesceExpr': {
        const args = ((as(n, 'CoalesceExpr') as { args?: Node[] }).args ?? []).map((a) => this.bind(a));
        return resolveScalarFunction('coalesce', args, this.argTools(locationOf(n)), locationOf(n));
      }
      case 'GroupingFunc': {
        if (this.aggregateMode !== 'collect') {
          throw new SqlError(
            SqlStates.groupingError,
            `GROUPING is not allowed in ${this.aggregateMode.forbiddenIn}`,
            locationOf(n),
          );
        }
        const args = ((as(n, 'GroupingFunc') as { args?: Node[] }).args ?? []).map((a) => this.bind(a));
        return { kind: 'call', fn: GROUPING_FN, args, type: INTEGER };
      }
      case 'MinMaxExpr': {
        const m = as(n, 'MinMaxExpr') as { op?: string; args?: Node[] };
        const args = (m.args ?? []).map((a) => this.bind(a));
        const fn = m.op === 'IS_GREATEST' ? 'greatest' : 'least';
        return resolveScalarFunction(fn, args, this.argTools(locationOf(n)), locationOf(n));
      }
      case 'FuncCall':
        return this.bindFunction(as(n, 'FuncCall') as FuncCall, locationOf(n));
      case 'ParamRef': {
        const index = (as(n, 'ParamRef') as { number?: number }).number ?? 0;
        while (this.ctx.params.length < index) this.ctx.params.push(UNKNOWN);
        return { kind: 'param', index, type: this.ctx.params[index - 1] ?? UNKNOWN };
      }
      case 'SubLink': {
        const kind = (as(n, 'SubLink') as { subLinkType?: string }).subLinkType;
        if (kind === 'EXPR_SUBLINK' && this.subqueries) return this.subqueries.scalar(n, this.scope, locationOf(n));
        if (kind === 'EXPR_SUBLINK') throw SqlError.unsupportedPlural('subqueries here', locationOf(n));
        throw SqlError.unsupportedPlural(
          'IN/EXISTS subqueries other than as AND-ed conditions of WHERE',
          locationOf(n),
        );
      }
      case 'SQLValueFunction': {
        const op = (as(n, 'SQLValueFunction') as { op?: string }).op;
        return (this.ctx.pg && resolvePgValueFunction(op, this.ctx.pg)) ?? resolveSqlValueFunction(op, locationOf(n));
      }
      case 'A_Indirection': {
        const ind = as(n, 'A_Indirection') as { arg?: Node; indirection?: Node[] };
        const toInt = (e: Expr) => this.resolveUnknown(e, INTEGER);
        return bindArraySubscript(ind.arg, ind.indirection ?? [], (a) => this.bind(a), toInt, locationOf(n));
      }
      case 'CollateClause': {
        const c = as(n, 'CollateClause') as { arg?: Node; collname?: Node[] };
        checkCollation(c.collname, locationOf(n));
        return this.bind(c.arg ?? nullNode());
      }
      case 'A_ArrayExpr':
        throw SqlError.unsupportedPlural('ARRAY expressions', locationOf(n));
      default:
        throw SqlError.unsupported(`expression ${tag}`, locationOf(n));
    }
  }

  /** Binds and types a boolean condition (WHERE, ON, HAVING, AND/OR operands). */
  bindBoolean(n: Node): Expr {
    const e = this.bindResolved(n, BOOLEAN);
    if (e.type.kind === 'unknown') return castIfNeeded(e, BOOLEAN);
    if (e.type.kind !== 'boolean') {
      throw new SqlError(
        SqlStates.datatypeMismatch,
        `argument must be type boolean, not type ${typeToSql(e.type)}`,
        locationOf(n),
      );
    }
    return e;
  }

  /** Binds, then gives untyped literals and parameters the type the context expects. */
  bindResolved(n: Node, expected: DataType): Expr {
    return this.resolveUnknown(this.bind(n), expected);
  }

  private resolveUnknown(e: Expr, expected: DataType): Expr {
    if (e.type.kind !== 'unknown') return e;
    if (e.kind === 'param') {
      this.ctx.params[e.index - 1] = expected;
      return { ...e, type: expected };
    }
    return castIfNeeded(e, expected);
  }

  /** Both operands with a common type (comparisons, IN, CASE results). */
  private unify(a: Expr, b: Expr, position: number | undefined, op: string): [Expr, Expr] {
    if (a.type.kind === 'unknown' && b.type.kind !== 'unknown') return [this.resolveUnknown(a, b.type), b];
    if (b.type.kind === 'unknown' && a.type.kind !== 'unknown') return [a, this.resolveUnknown(b, a.type)];
    if (a.type.kind === 'unknown' && b.type.kind === 'unknown') {
      return [this.resolveUnknown(a, VARCHAR), this.resolveUnknown(b, VARCHAR)];
    }
    const t = commonSuperType(a.type, b.type);
    if (!t) {
      throw new SqlError(
        SqlStates.undefinedFunction,
        `operator does not exist: ${typeToSql(a.type)} ${op} ${typeToSql(b.type)}`,
        position,
      );
    }
    return [castIfNeeded(a, t), castIfNeeded(b, t)];
  }

  private comparison(fn: string, op: string, a: Expr, b: Expr, position: number | undefined): Expr {
    const [x, y] = this.unify(a, b, position, op);
    return { kind: 'call', fn, args: [x, y], type: BOOLEAN };
  }

  private arithmetic(op: ArithmeticOp, sym: string, a: Expr, b: Expr, position: number | undefined): Expr {
    if (a.type.kind === 'unknown') a = this.resolveUnknown(a, b.type.kind === 'unknown' ? INTEGER : b.type);
    if (b.type.kind === 'unknown') b = this.resolveUnknown(b, a.type);
    const result = arithmeticResultType(op, a.type, b.type);
    if (!result) {
      throw new SqlError(
        SqlStates.undefinedFunction,
        `operator does not exist: ${typeToSql(a.type)} ${sym} ${typeToSql(b.type)}`,
        position,
      );
    }
    return {
      kind: 'call',
      fn: op,
      args: [
        castIfNeeded(a, arithmeticOperandType(a.type, result)),
        castIfNeeded(b, arithmeticOperandType(b.type, result)),
      ],
      type: result,
    };
  }

  private bindAExpr(e: A_Expr, position: number | undefined): Expr {
    // OPERATOR(pg_catalog.~) is ~
    const op = stringsOf(e.name)
      .filter((s) => s !== 'pg_catalog')
      .join('.');
    switch (e.kind) {
      case 'AEXPR_OP': {
        if (!e.lexpr) {
          const arg = this.bind(e.rexpr ?? nullNode());
          if (op === '-') {
            const a = this.resolveUnknown(arg, INTEGER);
            if (a.type.kind === 'interval') return { kind: 'call', fn: 'interval_neg', args: [a], type: a.type };
            if (!isNumeric(a.type)) throw opError(op, a.type, position);
            if (a.kind === 'literal' && typeof a.value === 'string' && a.type.kind !== 'double') {
              return { ...a, value: a.value.startsWith('-') ? a.value.slice(1) : `-${a.value}` };
            }
            if (a.kind === 'literal' && typeof a.value === 'number') return { ...a, value: -a.value };
            return { kind: 'call', fn: 'negate', args: [a], type: a.type };
          }
          if (op === '+') return arg;
          throw SqlError.unsupported(`prefix operator ${op}`, position);
        }
        const a = this.bind(e.lexpr);
        const b = this.bind(e.rexpr ?? nullNode());
        const resolved = resolveOperator(op, a, b, this.argTools(position), position);
        if (resolved) return resolved;
        const cmp = COMPARISONS[op];
        if (cmp) return this.comparison(cmp, op, a, b, position);
        const arith = ARITHMETIC[op];
        if (arith) return this.arithmetic(arith, op, a, b, position);
        if (op === '||') {
          return {
            kind: 'call',
            fn: 'concat_op',
            args: [this.toVarchar(a), this.toVarchar(b)],
            type: VARCHAR,
          };
        }
        if (op === '~~' || op === '!~~' || op === '~~*' || op === '!~~*') {
          return this.like(op.includes('*') ? 'ilike' : 'like', op.startsWith('!'), a, b);
        }
        throw SqlError.unsupported(`operator ${op}`, position);
      }
      case 'AEXPR_LIKE':
      case 'AEXPR_ILIKE': {
        const a = this.bind(e.lexpr ?? nullNode());
        // `x LIKE p ESCAPE c` arrives as x LIKE like_escape(p, c).
        const esc = as(e.rexpr, 'FuncCall') as FuncCall | undefined;
        const escName = stringsOf(esc?.funcname)
          .filter((s) => s !== 'pg_catalog')
          .join('.');
        if (esc && escName === 'like_escape' && esc.args?.length === 2) {
          const pattern = this.bind(esc.args[0]!);
          const escapeChar = this.toVarchar(this.bind(esc.args[1]!));
          return this.like(e.kind === 'AEXPR_ILIKE' ? 'ilike' : 'like', op.startsWith('!'), a, pattern, escapeChar);
        }
        const b = this.bind(e.rexpr ?? nullNode());
        return this.like(e.kind === 'AEXPR_ILIKE' ? 'ilike' : 'like', op.startsWith('!'), a, b);
      }
      case 'AEXPR_IN': {
        const arg = this.bind(e.lexpr ?? nullNode());
        const items = ((as(e.rexpr, 'List') as { items?: Node[] } | undefined)?.items ?? []).map((i) => this.bind(i));
        let t = arg.type;
        for (const i of items) t = commonSuperType(t, i.type) ?? failType(arg.type, i.type, position);
        if (t.kind === 'unknown') t = VARCHAR;
        return {
          kind: 'in',
          arg: this.resolveUnknown(castIfNeeded(arg, t), t),
          list: items.map((i) => this.resolveUnknown(castIfNeeded(i, t), t)),
          negated: op === '<>',
          type: BOOLEAN,
        };
      }
      case 'AEXPR_BETWEEN':
      case 'AEXPR_NOT_BETWEEN': {
        const arg = this.bind(e.lexpr ?? nullNode());
        const [lo, hi] = ((as(e.rexpr, 'List') as { items?: Node[] } | undefined)?.items ?? []).map((i) =>
          this.bind(i),
        );
        if (!lo || !hi) throw SqlError.syntax('BETWEEN needs two bounds', position);
        const range: Expr = {
          kind: 'and',
          args: [this.comparison('ge', '>=', arg, lo, position), this.comparison('le', '<=', arg, hi, position)],
          type: BOOLEAN,
        };
        return e.kind === 'AEXPR_BETWEEN' ? range : { kind: 'not', arg: range, type: BOOLEAN };
      }
      case 'AEXPR_DISTINCT':
      case 'AEXPR_NOT_DISTINCT': {
        const [a, b] = this.unify(this.bind(e.lexpr ?? nullNode()), this.bind(e.rexpr ?? nullNode()), position, op);
        // a IS NOT DISTINCT FROM b: both NULL, or both non-NULL and equal.
        const same: Expr = {
          kind: 'case',
          whens: [
            {
              when: { kind: 'is_null', arg: a, negated: false, type: BOOLEAN },
              result: { kind: 'is_null', arg: b, negated: false, type: BOOLEAN },
            },
            { when: { kind: 'is_null', arg: b, negated: false, type: BOOLEAN }, result: lit(false, BOOLEAN) },
          ],
          otherwise: { kind: 'call', fn: 'eq', args: [a, b], type: BOOLEAN },
          type: BOOLEAN,
        };
        return e.kind === 'AEXPR_NOT_DISTINCT' ? same : { kind: 'not', arg: same, type: BOOLEAN };
      }
      case 'AEXPR_OP_ANY':
      case 'AEXPR_OP_ALL': {
        const c = bindArrayComparison(e.kind, op, e.lexpr, e.rexpr, (x) => this.bind(x), position);
        let t = c.arg.type;
        for (const i of c.list) t = commonSuperType(t, i.type) ?? failType(c.arg.type, i.type, position);
        if (t.kind === 'unknown') t = VARCHAR;
        const list = c.list.map((i) => this.resolveUnknown(castIfNeeded(i, t), t));
        if (list.length === 0) return lit(c.negated, BOOLEAN);
        const arg = this.resolveUnknown(castIfNeeded(c.arg, t), t);
        return { kind: 'in', arg, list, negated: c.negated, type: BOOLEAN };
      }
      case 'AEXPR_NULLIF': {
        const [a, b] = this.unify(this.bind(e.lexpr ?? nullNode()), this.bind(e.rexpr ?? nullNode()), position, '=');
        return { kind: 'call', fn: 'nullif', args: [a, b], type: a.type };
      }
      default:
        throw SqlError.unsupported(`operator ${op} (${e.kind})`, position);
    }
  }

  private like(fn: 'like' | 'ilike', negated: boolean, a: Expr, b: Expr, escapeChar?: Expr): Expr {
    const args = [this.toVarchar(a), this.toVarchar(b), ...(escapeChar ? [escapeChar] : [])];
    const call: Expr = { kind: 'call', fn, args, type: BOOLEAN };
    return negated ? { kind: 'not', arg: call, type: BOOLEAN } : call;
  }

  private toVarchar(e: Expr): Expr {
    return castIfNeeded(this.resolveUnknown(e, VARCHAR), VARCHAR);
  }

  private bindBooleanTest(n: Node): Expr {
    const t = as(n, 'BooleanTest') as { arg?: Node; booltesttype?: string };
    const arg = this.bindBoolean(t.arg ?? nullNode());
    const isNull: Expr = { kind: 'is_null', arg, negated: false, type: BOOLEAN };
    const eq = (v: boolean): Expr => ({ kind: 'call', fn: 'eq', args: [arg, lit(v, BOOLEAN)], type: BOOLEAN });
    const notNullAnd = (e: Expr): Expr => ({
      kind: 'case',
      whens: [{ when: isNull, result: lit(false, BOOLEAN) }],
      otherwise: e,
      type: BOOLEAN,
    });
    switch (t.booltesttype) {
      case 'IS_TRUE':
        return notNullAnd(eq(true));
      case 'IS_NOT_TRUE':
        return { kind: 'not', arg: notNullAnd(eq(true)), type: BOOLEAN };
      case 'IS_FALSE':
        return notNullAnd(eq(false));
      case 'IS_NOT_FALSE':
        return { kind: 'not', arg: notNullAnd(eq(false)), type: BOOLEAN };
      case 'IS_UNKNOWN':
        return isNull;
      default:
        return { kind: 'is_null', arg, negated: true, type: BOOLEAN };
    }
  }

  private bindCase(c: CaseExpr, position: number | undefined): Expr {
    const subject = c.arg ? this.bind(c.arg) : undefined;
    const whens = (c.args ?? []).map((w) => {
      const cw = as(w, 'CaseWhen') as { expr?: Node; result?: Node };
      const cond = subject
        ? this.comparison('eq', '=', subject, this.bind(cw.expr ?? nullNode()), position)
        : this.bindBoolean(cw.expr ?? nullNode());
      return { when: cond, result: this.bind(cw.result ?? nullNode()) };
    });
    const otherwise = c.defresult ? this.bind(c.defresult) : null;
    let t: DataType = UNKNOWN;
    for (const r of [...whens.map((w) => w.result), ...(otherwise ? [otherwise] : [])]) {
      t = commonSuperType(t, r.type) ?? failType(t, r.type, position);
    }
    if (t.kind === 'unknown') t = VARCHAR;
    return {
      kind: 'case',
      whens: whens.map((w) => ({ when: w.when, result: this.resolveUnknown(castIfNeeded(w.result, t), t) })),
      otherwise: otherwise ? this.resolveUnknown(castIfNeeded(otherwise, t), t) : null,
      type: t,
    };
  }

  private variadicSameType(fn: string, args: Expr[], position: number | undefined): Expr {
    let t: DataType = UNKNOWN;
    for (const a of args) t = commonSuperType(t, a.type) ?? failType(t, a.type, position);
    if (t.kind === 'unknown') t = VARCHAR;
    return { kind: 'call', fn, args: args.map((a) => this.resolveUnknown(castIfNeeded(a, t), t)), type: t };
  }

  private bindFunction(f: FuncCall, position: number | undefined): Expr {
    const name = stringsOf(f.funcname)
      .filter((s) => s !== 'pg_catalog')
      .join('.')
      .toLowerCase();
    if (f.over) return this.bindWindow(name, f, position);
    if (AGGREGATE_FUNCTIONS.has(name)) return this.bindAggregate(name, f, position);
    if (name === 'grouping') {
      if (this.aggregateMode !== 'collect') {
        throw new SqlError(
          SqlStates.groupingError,
          `GROUPING is not allowed in ${this.aggregateMode.forbiddenIn}`,
          position,
        );
      }
      const args = (f.args ?? []).map((a) => this.bind(a));
      return { kind: 'call', fn: GROUPING_FN, args, type: INTEGER };
    }
    if (f.agg_star || f.agg_distinct)
      throw SqlError.syntax(`${name}(*) or DISTINCT used with a non-aggregate function`, position);
    const rawArgs = f.args ?? [];
    if (name === 'extract' || name === 'date_part') {
      const field = constantString(rawArgs[0]);
      const arg = this.bind(rawArgs[1] ?? nullNode());
      return bindExtract(name, field, arg, this.argTools(position), position);
    }
    const args = rawArgs.map((a) => this.bind(a));
    const pg = this.ctx.pg && resolvePgFunction(name, args, this.ctx.pg, this.argTools(position), position);
    return pg ?? resolveScalarFunction(name, args, this.argTools(position), position);
  }

  private bindWindow(name: string, f: FuncCall, position: number | undefined): Expr {
    if (this.aggregateMode !== 'collect') {
      throw new SqlError(
        SqlStates.windowingError,
        `window functions are not allowed in ${this.aggregateMode.forbiddenIn}`,
        position,
      );
    }
    const w = resolveOver(f.over as WindowDef, this.namedWindows, position);
    if (f.agg_distinct) throw SqlError.unsupported('DISTINCT in window functions', position);
    if (f.agg_filter) throw SqlError.unsupported('FILTER in window functions', position);
    if (ORDERED_SET_AGGREGATES.has(aggregateOfName(name) ?? 'count')) {
      throw new SqlError(
        SqlStates.featureNotSupported,
        `OVER is not supported for ordered-set aggregate ${name}`,
        position,
      );
    }
    if (f.agg_order && f.agg_order.length > 0) {
      throw new SqlError(
        SqlStates.featureNotSupported,
        'aggregate ORDER BY is not implemented for window functions',
        position,
      );
    }
    const partitionBy = (w.partitionClause ?? []).map((p) => this.bind(p));
    const orderBy = (w.orderClause ?? []).map((o) => {
      const sb = as(o, 'SortBy') as { node?: Node; sortby_dir?: string; sortby_nulls?: string };
      const ascending = sb.sortby_dir !== 'SORTBY_DESC';
      const nullsFirst =
        sb.sortby_nulls === 'SORTBY_NULLS_FIRST' || (sb.sortby_nulls !== 'SORTBY_NULLS_LAST' && !ascending);
      return { expr: this.bind(sb.node ?? nullNode()), ascending, nullsFirst };
    });
    const frame = frameOf(
      w,
      orderBy.map((o) => ({ type: o.expr.type })),
      (n, clause) => {
        const e = new ExprBinder(this.scope, this.ctx, { forbiddenIn: `window ${clause}` }).bind(n);
        if (refsOf(e).size > 0) {
          throw new SqlError(
            SqlStates.invalidColumnReference,
            `argument of ${clause} must not contain variables`,
            locationOf(n),
          );
        }
        return e;
      },
      position,
    );
    let args = (f.args ?? []).map((a) => this.bind(a));
    let fn = name;
    let type: DataType;
    const ranking = RANKING[name];
    if (ranking) {
      if (name === 'ntile') {
        if (args.length !== 1) throw new SqlError(SqlStates.undefinedFunction, 'ntile takes one argument', position);
        args = [castIfNeeded(this.resolveUnknown(args[0]!, INTEGER), BIGINT)];
      } else if (args.length !== 0) {
        throw new SqlError(SqlStates.undefinedFunction, `${name} takes no arguments`, position);
      }
      type = ranking;
    } else if (NAVIGATION.has(name)) {
      if (args.length < 1) throw new SqlError(SqlStates.undefinedFunction, `${name} needs an argument`, position);
      const value = args[0]!.type.kind === 'unknown' ? this.resolveUnknown(args[0]!, VARCHAR) : args[0]!;
      type = value.type;
      const rest = args
        .slice(1)
        .map((a, i) =>
          i === 1 && (name === 'lag' || name === 'lead')
            ? castIfNeeded(this.resolveUnknown(a, type), type)
            : castIfNeeded(this.resolveUnknown(a, BIGINT), BIGINT),
        );
      args = [value, ...rest];
    } else if (AGGREGATE_FUNCTIONS.has(name)) {
      if (f.agg_star) {
        fn = 'count_star';
        args = [];
      } else if (args.length !== 1) {
        throw new SqlError(SqlStates.undefinedFunction, `function ${name} takes exactly one argument`, position);
      } else {
        args = [this.resolveUnknown(args[0]!, name === 'sum' || name === 'avg' ? DOUBLE : VARCHAR)];
        if (args[0]!.type.kind === 'interval' && name !== 'count') {
          throw SqlError.unsupported(`${name}(interval) as a window function`, position);
        }
        if ((name === 'sum' || name === 'avg') && !isNumeric(args[0]!.type)) {
          throw new SqlError(
            SqlStates.undefinedFunction,
            `function ${name}(${typeToSql(args[0]!.type)}) does not exist`,
            position,
          );
        }
      }
      type = aggregateResultType(fn as AggregateFn, args[0]?.type);
    } else {
      throw new SqlError(SqlStates.undefinedFunction, `window function ${name} does not exist`, position);
    }
    const output = this.ctx.symbols.new(name, type);
    this.windows.push({ output, fn, args, partitionBy, orderBy, frame });
    return refTo(output);
  }

  private argTools(position: number | undefined): ArgTools {
    return {
      resolve: (e, t) => this.resolveUnknown(e, t),
      unify: (a, b, op) => this.unify(a, b, position, op),
      unifyAll: (args) => {
        const e = this.variadicSameType('coalesce', [...args], position);
        return e.kind === 'call' ? [...e.args] : [...args];
      },
    };
  }

  private bindAggregate(name: string, f: FuncCall, position: number | undefined): Expr {
    if (this.aggregateMode !== 'collect') {
      throw new SqlError(
        SqlStates.groupingError,
        `aggregate functions are not allowed in ${this.aggregateMode.forbiddenIn}`,
        position,
      );
    }
    const orderedSet = ORDERED_SET_AGGREGATES.has(aggregateOfName(name) ?? 'count');
    if (f.agg_within_group && !orderedSet) {
      throw new SqlError(
        SqlStates.undefinedFunction,
        `${name} is not an ordered-set aggregate, so it cannot have WITHIN GROUP`,
        position,
      );
    }
    if (orderedSet && !f.agg_within_group) {
      throw new SqlError(
        SqlStates.undefinedFunction,
        `WITHIN GROUP is required for ordered-set aggregate ${name}`,
        position,
      );
    }
    const inner = new ExprBinder(this.scope, this.ctx, { forbiddenIn: 'aggregate function calls' });
    let fn: AggregateFn;
    let args: Expr[];
    let orderBy: AggregateOrderKey[] = [];
    const noSuch = (types: readonly DataType[]): never => {
      throw new SqlError(
        SqlStates.undefinedFunction,
        `function ${name}(${types.map(typeToSql).join(', ')}) does not exist`,
        position,
      );
    };
    if (orderedSet) {
      ({ fn, args, orderBy } = this.orderedSetCall(name, f, inner, position));
    } else if (f.agg_star) {
      if (name !== 'count') throw SqlError.syntax(`${name}(*) is not valid`, position);
      fn = 'count_star';
      args = [];
    } else {
      const raw = f.args ?? [];
      fn = aggregateOfName(name) ?? noSuch([]);
      const arity = fn === 'string_agg' ? 2 : 1;
      if (raw.length !== arity) {
        const n = arity === 1 ? 'exactly one argument' : 'exactly two arguments';
        throw new SqlError(SqlStates.undefinedFunction, `function ${name} takes ${n}`, position);
      }
      const bound = raw.map((r) => inner.bind(r));
      let arg = bound[0]!;
      if (arg.type.kind === 'interval' && fn !== 'count' && fn !== 'array_agg' && fn !== 'approx_distinct') {
        throw SqlError.unsupported(`${name}(interval)`, position);
      }
      switch (fn) {
        case 'sum':
        case 'avg':
        case 'stddev_samp':
        case 'stddev_pop':
        case 'var_samp':
        case 'var_pop':
          arg = inner.resolveUnknown(arg, DOUBLE);
          if (!isNumeric(arg.type)) noSuch([arg.type]);
          args = [arg];
          break;
        case 'bool_and':
        case 'bool_or':
          arg = inner.resolveUnknown(arg, BOOLEAN);
          if (arg.type.kind !== 'boolean') noSuch([arg.type]);
          args = [arg];
          break;
        case 'string_agg': {
          arg = inner.resolveUnknown(arg, VARCHAR);
          const sep = inner.resolveUnknown(bound[1]!, VARCHAR);
          if (arg.type.kind !== 'varchar' || sep.type.kind !== 'varchar') noSuch([arg.type, sep.type]);
          args = [arg, sep];
          break;
        }
        default:
          args = [arg.type.kind === 'unknown' ? inner.resolveUnknown(arg, VARCHAR) : arg];
      }
    }
    if (!orderedSet && f.agg_order && f.agg_order.length > 0) {
      const keys = inner.sortKeys(f.agg_order);
      if (f.agg_distinct) {
        const argText = new Set(args.map((a) => JSON.stringify(a)));
        if (keys.some((k) => !argText.has(JSON.stringify(k.expr)))) {
          throw new SqlError(
            SqlStates.invalidColumnReference,
            'in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list',
            position,
          );
        }
      }
      // Only string_agg and array_agg see the order of their input; for the others it changes nothing.
      if (fn === 'string_agg' || fn === 'array_agg') orderBy = keys;
    }
    if (f.agg_filter) {
      // agg(x) FILTER (WHERE p) = agg(CASE WHEN p THEN x END): the aggregates skip NULLs.
      const cond = inner.bindBoolean(f.agg_filter);
      const value: Expr = fn === 'count_star' ? lit(1, INTEGER) : args[0]!;
      if (fn === 'count_star') fn = 'count';
      // array_agg keeps NULLs: its filtered-out rows cannot become NULLs.
      if (fn === 'array_agg') throw SqlError.unsupported('FILTER with array_agg', position);
      args = [
        { kind: 'case', whens: [{ when: cond, result: value }], otherwise: null, type: value.type },
        ...args.slice(1),
      ];
    }
    const distinct = f.agg_distinct === true;
    const key = JSON.stringify([fn, args, distinct, orderBy]);
    const existing = this.aggregates.find((a) => a.key === key);
    if (existing) return refTo(existing.output);
    const output = this.ctx.symbols.new(name, aggregateResultType(fn, args[0]?.type));
    this.aggregates.push({ output, fn, args, distinct, key, ...(orderBy.length > 0 ? { orderBy } : {}) });
    return refTo(output);
  }

  /** ORDER BY items (of an aggregate call): expressions with their direction. */
  sortKeys(items: readonly Node[]): AggregateOrderKey[] {
    return items.map((o) => {
      const sb = as(o, 'SortBy') as { node?: Node; sortby_dir?: string; sortby_nulls?: string };
      if (sb.sortby_dir === 'SORTBY_USING') throw SqlError.unsupported('ORDER BY ... USING', locationOf(o));
      const ascending = sb.sortby_dir !== 'SORTBY_DESC';
      const nullsFirst =
        sb.sortby_nulls === 'SORTBY_NULLS_FIRST' || (sb.sortby_nulls !== 'SORTBY_NULLS_LAST' && !ascending);
      const e = this.bind(sb.node ?? nullNode());
      return { expr: e.type.kind === 'unknown' ? this.resolveUnknown(e, VARCHAR) : e, ascending, nullsFirst };
    });
  }

  /**
   * percentile_cont(f) / percentile_disc(f) / mode() WITHIN GROUP (ORDER BY x): args [x, f]
   * (f a constant double) or [x], ordered by x. percentile_cont interpolates doubles.
   */
  private orderedSetCall(
    name: string,
    f: FuncCall,
    inner: ExprBinder,
    position: number | undefined,
  ): { fn: AggregateFn; args: Expr[]; orderBy: AggregateOrderKey[] } {
    const fn = aggregateOfName(name)!;
    const direct = f.args ?? [];
    const order = f.agg_order ?? [];
    const wantDirect = fn === 'mode' ? 0 : 1;
    const [key] = inner.sortKeys(order);
    if (direct.length !== wantDirect || order.length !== 1 || !key) {
      throw new SqlError(
        SqlStates.undefinedFunction,
        `function ${name} with ${direct.length} direct and ${order.length} ordered arguments does not exist`,
        position,
      );
    }
    let x = key.expr;
    if (fn === 'percentile_cont') {
      if (!isNumeric(x.type)) {
        throw new SqlError(
          SqlStates.undefinedFunction,
          `function percentile_cont(double precision, ${typeToSql(x.type)}) does not exist`,
          position,
        );
      }
      x = castIfNeeded(x, DOUBLE);
    }
    const args = [x];
    if (wantDirect === 1) {
      const fraction = inner.resolveUnknown(inner.bind(direct[0]!), DOUBLE);
      if (!isNumeric(fraction.type)) {
        throw new SqlError(
          SqlStates.undefinedFunction,
          `function ${name}(${typeToSql(fraction.type)}, ${typeToSql(x.type)}) does not exist`,
          position,
        );
      }
      const folded = foldExpr(castIfNeeded(fraction, DOUBLE));
      if (folded.kind !== 'literal') throw SqlError.unsupportedPlural(`non-constant fractions of ${name}`, position);
      args.push(folded);
    }
    return { fn, args, orderBy: [{ ...key, expr: x }] };
  }
}

function constant(c: A_Const): Expr {
  if (c.isnull) return lit(null, UNKNOWN);
  if (c.ival !== undefined) return lit(c.ival.ival ?? 0, INTEGER);
  if (c.boolval !== undefined) return lit(c.boolval.boolval ?? false, BOOLEAN);
  if (c.sval !== undefined) return lit(c.sval.sval ?? '', UNKNOWN);
  if (c.fval !== undefined) return numericLiteral(c.fval.fval ?? '0');
  if (c.bsval !== undefined) throw SqlError.unsupportedPlural('bit string literals');
  return lit(null, UNKNOWN);
}

/** 123 beyond int32 -> bigint; 1.50 -> decimal(3,2) exactly; 1e3 -> double. */
export function numericLiteral(text: string): Expr {
  if (/[eE]/.test(text)) return lit(Number(text), DOUBLE);
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const [intPart = '', frac = ''] = body.split('.');
  if (frac === '' && !body.includes('.')) {
    const v = BigInt(body);
    if (v <= 9223372036854775807n) return lit(`${negative ? '-' : ''}${v}`, BIGINT);
  }
  const digits = `${intPart}${frac}`.replace(/^0+(?=\d)/, '');
  const precision = Math.max(digits.length, frac.length, 1);
  if (precision > MAX_DECIMAL_PRECISION) return lit(Number(text), DOUBLE);
  return lit(`${negative ? '-' : ''}${BigInt(digits || '0')}`, decimal(precision, frac.length));
}

function constantString(n: Node | undefined): string | undefined {
  const c = as(n, 'A_Const') as A_Const | undefined;
  return c?.sval?.sval;
}

function lit(value: boolean | number | string | null, type: DataType): Expr {
  return { kind: 'literal', value, type };
}

function nullNode(): Node {
  return { A_Const: { isnull: true } };
}

function opError(op: string, t: DataType, position: number | undefined): SqlError {
  return new SqlError(SqlStates.undefinedFunction, `operator does not exist: ${op} ${typeToSql(t)}`, position);
}

function failType(a: DataType, b: DataType, position: number | undefined): never {
  throw new SqlError(
    SqlStates.datatypeMismatch,
    `types ${typeToSql(a)} and ${typeToSql(b)} cannot be matched`,
    position,
  );
}
