// Table functions in FROM. Only generate_series(start, stop[, step]) over constant integers, which
// catalog queries use (pgjdbc's type cache walks `generate_series(1, array_upper(current_schemas(false), 1))`);
// its rows become a VALUES list.
import type { Node } from '@pgsql/types';
import { SqlError } from '../../common/errors.js';
import type { Expr } from '../../common/expr/expr.js';
import { SqlStates } from '../../common/sqlstate.js';
import { BIGINT, INTEGER } from '../../common/types.js';
import { foldExpr } from '../optimizer/rules/fold-constants.js';
import { as, locationOf, stringsOf } from '../sql/ast.js';
import { type BindContext, ExprBinder } from './bind-expr.js';
import { castIfNeeded } from './coercion.js';
import type { LogicalPlan } from './logical.js';
import { Scope } from './scope.js';

/** generate_series rows are planned as constants: beyond this many, 0A000. */
const MAX_SERIES_ROWS = 100_000;

export function bindRangeFunction(n: Node, ctx: BindContext): { plan: LogicalPlan; scope: Scope } {
  const position = locationOf(n);
  const rf = as(n, 'RangeFunction') as {
    functions?: Node[];
    alias?: { aliasname?: string; colnames?: Node[] };
    lateral?: boolean;
    ordinality?: boolean;
  };
  const items = (as(rf.functions?.[0], 'List') as { items?: Node[] } | undefined)?.items ?? [];
  const call = as(items[0], 'FuncCall') as { funcname?: Node[]; args?: Node[] } | undefined;
  const name = stringsOf(call?.funcname)
    .filter((s) => s !== 'pg_catalog')
    .join('.');
  if ((rf.functions?.length ?? 0) !== 1 || name !== 'generate_series' || rf.ordinality || rf.lateral) {
    throw SqlError.unsupportedPlural('table functions in FROM other than generate_series', position);
  }
  const binder = new ExprBinder(Scope.empty(), ctx, { forbiddenIn: 'functions in FROM' });
  const args = (call?.args ?? []).map((a) => foldExpr(binder.bindResolved(a, INTEGER)));
  if (args.length < 2 || args.length > 3) {
    throw new SqlError(SqlStates.undefinedFunction, 'generate_series takes 2 or 3 arguments', position);
  }
  const values = args.map((a) => {
    if (a.kind !== 'literal' || (a.type.kind !== 'integer' && a.type.kind !== 'bigint')) {
      throw SqlError.unsupported('generate_series with arguments other than integer constants', position);
    }
    return a.value === null ? null : BigInt(a.value as string | number);
  });
  const type = args.every((a) => a.type.kind === 'integer') ? INTEGER : BIGINT;
  const [start, stop, step = 1n] = values;
  if (step === 0n) throw new SqlError(SqlStates.invalidParameterValue, 'step size cannot equal zero', position);
  const rows: Expr[][] = [];
  if (start !== null && start !== undefined && stop !== null && stop !== undefined && step !== null) {
    for (let v = start; step > 0n ? v <= stop : v >= stop; v += step) {
      if (rows.length >= MAX_SERIES_ROWS) {
        throw SqlError.unsupported(`generate_series of more than ${MAX_SERIES_ROWS} rows`, position);
      }
      const value = type === INTEGER ? Number(v) : v.toString();
      rows.push([castIfNeeded({ kind: 'literal', value, type }, type)]);
    }
  }
  const alias = rf.alias?.aliasname ?? 'generate_series';
  const column = stringsOf(rf.alias?.colnames)[0] ?? alias;
  const symbol = ctx.symbols.new(column, type);
  return {
    plan: { kind: 'values', rows, output: [symbol] },
    scope: new Scope([{ qualifier: [alias], name: column, symbol }]),
  };
}
