// Scalar function calls: name + bound arguments -> a typed `call` (or another expression),
// with PostgreSQL's names and Trino's where they differ and do not clash. Kernels for every
// `fn` emitted here live in worker/expressions (see common/functions/scalars.ts).
import { SqlError } from '../../common/errors.js';
import type { Expr } from '../../common/expr/expr.js';
import { SqlStates } from '../../common/sqlstate.js';
import {
  type DataType,
  DOUBLE,
  decimal,
  INTEGER,
  isNumeric,
  MAX_DECIMAL_PRECISION,
  typeToSql,
  VARCHAR,
} from '../../common/types.js';
import { castIfNeeded } from './coercion.js';

/** What the resolver needs from the expression binder. */
export interface ArgTools {
  /** Gives an untyped literal or parameter the expected type (others unchanged). */
  resolve(e: Expr, expected: DataType): Expr;
  /** Casts both to their common type; 42883 when there is none. */
  unify(a: Expr, b: Expr, op: string): [Expr, Expr];
  /** Casts all to their common type (coalesce, greatest, ...). */
  unifyAll(args: readonly Expr[]): Expr[];
}

export function resolveScalarFunction(
  name: string,
  args: readonly Expr[],
  tools: ArgTools,
  position: number | undefined,
): Expr {
  const fail = (): never => {
    throw new SqlError(
      SqlStates.undefinedFunction,
      `function ${name}(${args.map((a) => typeToSql(a.type)).join(', ')}) does not exist`,
      position,
      { hint: 'No function matches the given name and argument types.' },
    );
  };
  const arity = (min: number, max = min) => {
    if (args.length < min || args.length > max) fail();
  };
  // Strings only (PostgreSQL does not cast numbers to text implicitly for string functions).
  const str = (e: Expr): Expr => {
    const x = tools.resolve(e, VARCHAR);
    if (x.type.kind !== 'varchar') fail();
    return x;
  };
  const int = (e: Expr): Expr => {
    const x = tools.resolve(e, INTEGER);
    if (x.type.kind === 'integer') return x;
    if (x.type.kind === 'bigint' || x.type.kind === 'decimal') return castIfNeeded(x, INTEGER);
    return fail();
  };
  const num = (e: Expr): Expr => {
    const x = tools.resolve(e, DOUBLE);
    if (!isNumeric(x.type)) fail();
    return x;
  };
  const call = (fn: string, a: readonly Expr[], type: DataType): Expr => ({ kind: 'call', fn, args: a, type });

  switch (name) {
    case 'lower':
    case 'upper':
      arity(1);
      return call(name, [str(args[0]!)], VARCHAR);
    case 'trim':
    case 'btrim':
      arity(1);
      return call('trim', [str(args[0]!)], VARCHAR);
    case 'length':
    case 'char_length':
    case 'character_length':
      arity(1);
      return call('length', [str(args[0]!)], INTEGER);
    case 'substring':
    case 'substr': {
      arity(2, 3);
      const [s, ...rest] = args;
      return call('substring', [str(s!), ...rest.map(int)], VARCHAR);
    }
    case 'concat':
      return call(
        'concat',
        args.map((a) => castIfNeeded(tools.resolve(a, VARCHAR), VARCHAR)),
        VARCHAR,
      );
    case 'abs':
    case 'round':
    case 'ceil':
    case 'ceiling':
    case 'floor': {
      arity(1, name === 'round' ? 2 : 1);
      const x = num(args[0]!);
      const fn = name === 'ceiling' ? 'ceil' : name;
      let type = x.type;
      if ((fn === 'ceil' || fn === 'floor') && type.kind === 'decimal') {
        type = decimal(Math.min(MAX_DECIMAL_PRECISION, type.precision - type.scale + 1), 0);
      }
      // Rounding may carry into a new digit (99.99 -> 100.00): Trino's decimal(p+1, s).
      if (fn === 'round' && type.kind === 'decimal')
        type = decimal(Math.min(MAX_DECIMAL_PRECISION, type.precision + 1), type.scale);
      return call(fn, [x, ...args.slice(1).map(int)], type);
    }
    case 'coalesce': {
      if (args.length === 0) fail();
      const unified = tools.unifyAll(args);
      return call('coalesce', unified, unified[0]!.type);
    }
    case 'nullif': {
      arity(2);
      const [a, b] = tools.unify(args[0]!, args[1]!, '=');
      return call('nullif', [a, b], a.type);
    }
    default:
      return fail();
  }
}
