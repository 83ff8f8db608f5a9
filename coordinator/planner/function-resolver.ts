// Scalar function calls: name + bound arguments -> a typed `call` (or another expression),
// with PostgreSQL's names and Trino's where they differ and do not clash. Kernels for every
// `fn` emitted here live in worker/expressions (see common/functions/scalars.ts).
import { SqlError } from '../../common/errors.js';
import type { Expr } from '../../common/expr/expr.js';
import { SqlStates } from '../../common/sqlstate.js';
import {
  BIGINT,
  BOOLEAN,
  DATE,
  type DataType,
  DOUBLE,
  decimal,
  INTEGER,
  isNumeric,
  MAX_DECIMAL_PRECISION,
  TIMESTAMP,
  typeToSql,
  VARCHAR,
} from '../../common/types.js';
import { nowLiteral, resolveDatetimeFunction, resolveDatetimeOperator } from './bind-datetime.js';
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
    // 'abc' arrives as CAST(untyped literal AS varchar): a plain literal lets kernels see
    // constant patterns, units and flags.
    if (x.kind === 'cast' && x.arg.kind === 'literal' && x.arg.type.kind === 'unknown') {
      return lit(x.arg.value === null ? null : String(x.arg.value), VARCHAR);
    }
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
  const dbl = (e: Expr): Expr => castIfNeeded(num(e), DOUBLE);
  const datetime = (e: Expr, expected: DataType): Expr => {
    const x = tools.resolve(e, expected);
    if (x.type.kind !== 'date' && x.type.kind !== 'timestamp') fail();
    return x;
  };
  /** Units are constant strings (a NULL unit gives NULL). */
  const unitArg = (e: Expr): Expr => {
    const x = str(e);
    if (x.kind !== 'literal') {
      throw new SqlError(SqlStates.featureNotSupported, `the unit of ${name} must be a constant`, position);
    }
    return x.value === null ? x : lit(String(x.value).toLowerCase(), VARCHAR);
  };
  const call = (fn: string, a: readonly Expr[], type: DataType): Expr => ({ kind: 'call', fn, args: a, type });
  const dated = resolveDatetimeFunction(name, args, tools, position);
  if (dated) return dated;

  switch (name) {
    case 'lower':
    case 'upper':
      arity(1);
      return call(name, [str(args[0]!)], VARCHAR);
    case 'trim':
    case 'btrim':
    case 'ltrim':
    case 'rtrim':
      arity(1, 2);
      return call(name === 'btrim' ? 'trim' : name, args.map(str), VARCHAR);
    case 'position':
    case 'strpos':
      arity(2);
      return call('strpos', args.map(str), INTEGER);
    case 'starts_with':
      arity(2);
      return call('starts_with', args.map(str), BOOLEAN);
    case 'replace':
      arity(3);
      return call('replace', args.map(str), VARCHAR);
    case 'split_part':
      arity(3);
      return call('split_part', [str(args[0]!), str(args[1]!), int(args[2]!)], VARCHAR);
    case 'lpad':
    case 'rpad':
      arity(2, 3);
      return call(name, [str(args[0]!), int(args[1]!), args[2] ? str(args[2]) : lit(' ', VARCHAR)], VARCHAR);
    case 'left':
    case 'right':
    case 'repeat':
      arity(2);
      return call(name, [str(args[0]!), int(args[1]!)], VARCHAR);
    case 'reverse':
    case 'initcap':
    case 'md5':
      arity(1);
      return call(name, [str(args[0]!)], VARCHAR);
    case 'ascii':
      arity(1);
      return call('ascii', [str(args[0]!)], INTEGER);
    case 'chr':
      arity(1);
      return call('chr', [int(args[0]!)], VARCHAR);
    case 'regexp_like':
      arity(2, 3);
      return call('regexp_like', args.map(str), BOOLEAN);
    case 'regexp_replace':
      arity(3, 4);
      return call('regexp_replace', args.map(str), VARCHAR);
    // ---- math (double precision, like PostgreSQL's float8 versions) ----
    case 'sqrt':
    case 'cbrt':
    case 'ln':
    case 'exp':
    case 'degrees':
    case 'radians':
      arity(1);
      return call(name, [dbl(args[0]!)], DOUBLE);
    case 'log':
    case 'log10':
      arity(1, name === 'log' ? 2 : 1);
      return args.length === 2 ? call('log', args.map(dbl), DOUBLE) : call('log10', [dbl(args[0]!)], DOUBLE);
    case 'power':
    case 'pow':
      arity(2);
      return call('power', args.map(dbl), DOUBLE);
    case 'pi':
      arity(0);
      return lit(Math.PI, DOUBLE);
    case 'random':
      arity(0);
      return call('random', [], DOUBLE);
    case 'sign': {
      arity(1);
      const x = num(args[0]!);
      return x.type.kind === 'decimal'
        ? call('sign', [x], decimal(1, 0))
        : call('sign', [castIfNeeded(x, DOUBLE)], DOUBLE);
    }
    case 'mod': {
      arity(2);
      const [a, b] = tools.unify(num(args[0]!), num(args[1]!), '%');
      if (a.type.kind === 'double') fail();
      return call('modulus', [a, b], a.type);
    }
    case 'trunc':
    case 'truncate': {
      arity(1, 2);
      const x = num(args[0]!);
      return call('trunc', [x, ...args.slice(1).map(int)], scaleResult(x.type, args[1]));
    }
    case 'greatest':
    case 'least': {
      if (args.length === 0) fail();
      const unified = tools.unifyAll(args);
      return call(name, unified, unified[0]!.type);
    }
    // ---- dates (more in bind-datetime.ts) ----
    case 'make_date':
      arity(3);
      return call('make_date', args.map(int), DATE);
    case 'date_add': {
      arity(3);
      const d = datetime(args[2]!, DATE);
      return call('date_add', [unitArg(args[0]!), castIfNeeded(int(args[1]!), BIGINT), d], d.type);
    }
    case 'date_diff': {
      arity(3);
      const [a, b] = tools.unify(datetime(args[1]!, DATE), datetime(args[2]!, DATE), 'date_diff');
      if (a.type.kind !== 'date' && a.type.kind !== 'timestamp') fail();
      return call('date_diff', [unitArg(args[0]!), a, b], BIGINT);
    }
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
      // PostgreSQL: round(x) has scale 0, round(x, d) scale max(d, 0); rounding may carry
      // into a new digit (99.99 -> 100.0).
      if (fn === 'round') type = scaleResult(type, args[1], 1);
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

function lit(value: string | number | null, type: DataType): Expr {
  return { kind: 'literal', value, type };
}

/**
 * round/trunc of a decimal: scale 0 without digits, max(d, 0) with constant digits d, else the
 * argument's scale; `carry` extra integer digits (rounding 9.9 up to 10).
 */
function scaleResult(t: DataType, digits: Expr | undefined, carry = 0): DataType {
  if (t.kind !== 'decimal') return t;
  let scale = t.scale;
  if (!digits) scale = 0;
  else if (digits.kind === 'literal' && digits.value !== null) scale = Math.max(0, Math.min(Number(digits.value), 30));
  const intDigits = t.precision - t.scale + carry;
  return decimal(Math.min(MAX_DECIMAL_PRECISION, Math.max(1, intDigits + scale)), scale);
}

/**
 * current_date, current_timestamp (timestamptz), localtimestamp (libpg-query's SQLValueFunction
 * op names): the statement's start, as constants; date and local time in the session zone.
 */
export function resolveSqlValueFunction(op: string | undefined, position: number | undefined): Expr {
  switch (op) {
    case 'SVFOP_CURRENT_DATE':
      return castIfNeeded(nowLiteral(), DATE);
    case 'SVFOP_CURRENT_TIMESTAMP':
    case 'SVFOP_CURRENT_TIMESTAMP_N':
      return nowLiteral();
    case 'SVFOP_LOCALTIMESTAMP':
    case 'SVFOP_LOCALTIMESTAMP_N':
      return castIfNeeded(nowLiteral(), TIMESTAMP);
    default:
      throw SqlError.unsupported(`${(op ?? '').replace('SVFOP_', '').toLowerCase()}`, position);
  }
}

const REGEX_OPS: Record<string, { flags: string; negated: boolean }> = {
  '~': { flags: '', negated: false },
  '~*': { flags: 'i', negated: false },
  '!~': { flags: '', negated: true },
  '!~*': { flags: 'i', negated: true },
};

/**
 * Binary operators beyond the binder's own: regular expression matches (~ ~* !~ !~*) and date
 * arithmetic (date ± integer, date - date). undefined: not an operator of this resolver.
 */
export function resolveOperator(
  op: string,
  a: Expr,
  b: Expr,
  tools: ArgTools,
  position: number | undefined,
): Expr | undefined {
  const re = REGEX_OPS[op];
  if (re) {
    const match = resolveScalarFunction(
      'regexp_like',
      [a, b, ...(re.flags ? [lit(re.flags, VARCHAR)] : [])],
      tools,
      position,
    );
    return re.negated ? { kind: 'not', arg: match, type: BOOLEAN } : match;
  }
  const datetime = resolveDatetimeOperator(op, a, b, tools);
  if (datetime) return datetime;
  if (op !== '+' && op !== '-') return undefined;
  const isInt = (e: Expr) => e.type.kind === 'integer' || e.type.kind === 'bigint';
  const days = (e: Expr, negated = false): Expr => {
    const n = tools.resolve(e, INTEGER);
    return castIfNeeded(negated ? negate(n) : n, BIGINT);
  };
  const addDays = (d: Expr, n: Expr): Expr => ({
    kind: 'call',
    fn: 'date_add',
    args: [lit('day', VARCHAR), n, d],
    type: DATE,
  });
  if (a.type.kind === 'date') {
    if (isInt(b) || (op === '+' && b.type.kind === 'unknown')) {
      return addDays(a, days(b, op === '-'));
    }
    if (op === '-' && (b.type.kind === 'date' || b.type.kind === 'unknown')) {
      const other = tools.resolve(b, DATE);
      if (other.type.kind !== 'date') return undefined;
      return { kind: 'call', fn: 'date_diff', args: [lit('day', VARCHAR), other, a], type: INTEGER };
    }
    return undefined;
  }
  if (op === '+' && b.type.kind === 'date' && (isInt(a) || a.type.kind === 'unknown')) return addDays(b, days(a));
  return undefined;
}

function negate(e: Expr): Expr {
  if (e.kind === 'literal' && typeof e.value === 'string' && /^-?\d+$/.test(e.value)) {
    return { ...e, value: e.value.startsWith('-') ? e.value.slice(1) : `-${e.value}` };
  }
  if (e.kind === 'literal' && typeof e.value === 'number') return { ...e, value: -e.value };
  return { kind: 'call', fn: 'negate', args: [e], type: e.type };
}
