// Subqueries become joins (decorrelation), never per-row re-execution:
//   WHERE EXISTS (sub)            -> semi join on sub's correlated conditions
//   WHERE NOT EXISTS (sub)        -> anti join
//   WHERE x IN (sub)              -> semi join on x = sub.col (+ correlated conditions)
//   WHERE x NOT IN (sub)          -> null-aware anti join (NOT IN's NULL rules)
//   (scalar sub), uncorrelated    -> cross join with the single row the subquery must return
//   (scalar sub), correlated      -> the subquery aggregated per correlation key, left-joined on it
// IN/EXISTS are handled as AND-ed conjuncts of WHERE; anywhere else they are 0A000.
import type { Node, SelectStmt, SubLink } from '@pgsql/types';
import { SqlError } from '../../common/errors.js';
import { and, type Expr } from '../../common/expr/expr.js';
import type { JoinType } from '../../common/plan/physical.js';
import { BIGINT, BOOLEAN } from '../../common/types.js';
import { as, locationOf, stringsOf } from '../sql/ast.js';
import type { ExprBinder, SubqueryBinder } from './bind-expr.js';
import type { BoundQuery, SelectContext } from './bind-select.js';
import { castIfNeeded, commonSuperType } from './coercion.js';
import { type LogicalPlan, outputOf, refTo } from './logical.js';
import type { Scope } from './scope.js';

export interface Attachment {
  readonly joinType: JoinType;
  readonly plan: LogicalPlan;
  readonly condition: Expr | null;
  readonly nullAware?: boolean;
}

export type BindSubquery = (
  s: SelectStmt,
  ctx: SelectContext,
  outer: Scope,
  mode: 'scalar' | 'in' | 'exists',
) => BoundQuery;

/** Collects the joins that subqueries of one clause need, to be applied below that clause. */
export class SubqueryCollector implements SubqueryBinder {
  readonly attachments: Attachment[] = [];

  constructor(
    private readonly ctx: SelectContext,
    private readonly bindSub: BindSubquery,
    private readonly allowCorrelated: boolean,
  ) {}

  /** A scalar subquery used as a value: returns a reference to its value column. */
  scalar(node: Node, scope: Scope, position: number | undefined): Expr {
    const link = as(node, 'SubLink') as SubLink;
    const s = as(link.subselect, 'SelectStmt') as SelectStmt;
    const sub = this.bindSub(s, this.ctx, scope, 'scalar');
    const out = outputOf(sub.plan);
    if (out.length < 1 || (out.length !== 1 && !sub.correlation)) {
      throw SqlError.syntax('subquery must return only one column', position);
    }
    const value = out[0]!;
    if (!sub.correlation) {
      this.attachments.push({
        joinType: 'inner',
        plan: { kind: 'enforce_single_row', input: sub.plan },
        condition: null,
      });
      return refTo(value);
    }
    if (!this.allowCorrelated) throw SqlError.unsupportedPlural('correlated subqueries outside WHERE', position);
    this.attachments.push({ joinType: 'left', plan: sub.plan, condition: and(sub.correlation.conditions) });
    if (sub.correlation.countLike) {
      return {
        kind: 'call',
        fn: 'coalesce',
        args: [refTo(value), { kind: 'literal', value: '0', type: BIGINT }],
        type: BIGINT,
      };
    }
    return refTo(value);
  }

  /**
   * A WHERE conjunct that is [NOT] EXISTS / [NOT] IN (subquery): adds the semi or anti join and
   * returns true; returns false for any other conjunct.
   */
  tryPredicate(conjunct: Node, scope: Scope, binder: ExprBinder): boolean {
    let negated = false;
    let n: Node | undefined = conjunct;
    const not = as(n, 'BoolExpr') as { boolop?: string; args?: Node[] } | undefined;
    if (not?.boolop === 'NOT_EXPR' && not.args?.length === 1) {
      negated = true;
      n = not.args[0];
    }
    const link = as(n, 'SubLink') as SubLink | undefined;
    if (!link) return false;
    const position = locationOf(n);
    const s = as(link.subselect, 'SelectStmt') as SelectStmt;
    if (link.subLinkType === 'EXISTS_SUBLINK') {
      const sub = this.bindSub(s, this.ctx, scope, 'exists');
      this.attachments.push({
        joinType: negated ? 'anti' : 'semi',
        plan: sub.plan,
        condition: sub.correlation ? and(sub.correlation.conditions) : null,
      });
      return true;
    }
    if (link.subLinkType === 'ANY_SUBLINK') {
      const op = stringsOf(link.operName).join('');
      if (op !== '' && op !== '=') throw SqlError.unsupported(`${op} ANY (subquery)`, position);
      if (!link.testexpr) throw SqlError.syntax('IN without a left operand', position);
      if (as(link.testexpr, 'RowExpr')) throw SqlError.unsupportedPlural('row values IN (subquery)', position);
      const left = binder.bind(link.testexpr);
      const sub = this.bindSub(s, this.ctx, scope, 'in');
      const value = outputOf(sub.plan)[0];
      if (!value) throw SqlError.syntax('subquery has no columns', position);
      if (negated && sub.correlation) throw SqlError.unsupported('NOT IN with a correlated subquery', position);
      const t = commonSuperType(left.type, value.type);
      if (!t) {
        throw new SqlError('42883', `operator does not exist: ${left.type.kind} = ${value.type.kind}`, position);
      }
      const eq: Expr = {
        kind: 'call',
        fn: 'eq',
        args: [castIfNeeded(left, t), castIfNeeded(refTo(value), t)],
        type: BOOLEAN,
      };
      this.attachments.push({
        joinType: negated ? 'anti' : 'semi',
        plan: sub.plan,
        condition: and([eq, ...(sub.correlation?.conditions ?? [])]),
        ...(negated ? { nullAware: true } : {}),
      });
      return true;
    }
    return false;
  }
}

export function applyAttachments(plan: LogicalPlan, attachments: readonly Attachment[]): LogicalPlan {
  let p = plan;
  for (const a of attachments) {
    p = {
      kind: 'join',
      joinType: a.joinType,
      left: p,
      right: a.plan,
      condition: a.condition,
      ...(a.nullAware ? { nullAware: true } : {}),
    };
  }
  return p;
}

/** Splits a bound AND-tree into top-level AST conjuncts. */
export function astConjuncts(n: Node): Node[] {
  const b = as(n, 'BoolExpr') as { boolop?: string; args?: Node[] } | undefined;
  if (b?.boolop === 'AND_EXPR') return (b.args ?? []).flatMap(astConjuncts);
  return [n];
}
