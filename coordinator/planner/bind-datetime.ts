// Binding of date/time operators and functions with PostgreSQL's types:
//   date ± interval -> timestamp          timestamp ± interval -> timestamp
//   timestamptz ± interval -> timestamptz timestamp - timestamp, timestamptz - timestamptz -> interval
//   interval ± interval, -interval, interval * number, interval / number -> interval
//   x AT TIME ZONE z (timezone(z, x)): timestamp -> timestamptz, timestamptz -> timestamp
//   extract / date_part (numeric / double precision), date_trunc, age, justify_*, to_timestamp,
//   now() / current_timestamp (timestamptz), localtimestamp, current_date.
// Calls that depend on the session time zone get it later, from session-zone.ts.
import type { A_Const, Node, TypeCast } from '@pgsql/types';
import { SqlError } from '../../common/errors.js';
import type { Expr } from '../../common/expr/expr.js';
import { SqlStates } from '../../common/sqlstate.js';
import { extractResultType } from '../../common/time/fields.js';
import { encodeInterval, INTERVAL_FULL_RANGE, parseInterval } from '../../common/time/interval.js';
import { fixedZone, namedZone, sessionZone } from '../../common/time/zone.js';
import {
  DATE,
  type DataType,
  DOUBLE,
  INTERVAL,
  isNumeric,
  TIMESTAMP,
  TIMESTAMPTZ,
  typeToSql,
  VARCHAR,
} from '../../common/types.js';
import { as, stringsOf } from '../sql/ast.js';
import { castIfNeeded } from './coercion.js';
import type { ArgTools } from './function-resolver.js';

const call = (fn: string, args: readonly Expr[], type: DataType): Expr => ({ kind: 'call', fn, args, type });
const lit = (value: string | number | null, type: DataType): Expr => ({ kind: 'literal', value, type });

const isDatetime = (t: DataType): boolean => t.kind === 'date' || t.kind === 'timestamp' || t.kind === 'timestamptz';

/**
 * `INTERVAL '90' DAY`, `'1 day'::interval`, `INTERVAL '1:30' HOUR TO MINUTE`: a literal of the
 * text read with the typmod's fields and precision. Undefined for anything else.
 */
export function intervalLiteral(c: TypeCast): Expr | undefined {
  const names = stringsOf(c.typeName?.names).filter((x) => x !== 'pg_catalog');
  if (names.join('.') !== 'interval') return undefined;
  const text = (as(c.arg, 'A_Const') as A_Const | undefined)?.sval?.sval;
  if (text === undefined) return undefined;
  const mods = (c.typeName?.typmods ?? []).map(
    (m) => (as(m, 'A_Const') as { ival?: { ival?: number } } | undefined)?.ival?.ival,
  );
  const mask = mods[0] ?? INTERVAL_FULL_RANGE;
  const precision = mods[1];
  return lit(encodeInterval(parseInterval(text, mask, precision)), INTERVAL);
}

/** The current instant (statement start) as a timestamptz literal. */
export function nowLiteral(): Expr {
  return lit((BigInt(Date.now()) * 1000n).toString(), TIMESTAMPTZ);
}

/** extract(field FROM x) -> numeric; date_part('field', x) -> double precision (x date reads as timestamp). */
export function bindExtract(
  fn: 'extract' | 'date_part',
  field: string | undefined,
  arg: Expr,
  tools: ArgTools,
  position: number | undefined,
): Expr {
  if (field === undefined) throw SqlError.unsupported(`${fn} with a field that is not a constant`, position);
  let x = tools.resolve(arg, TIMESTAMPTZ);
  if (fn === 'date_part' && x.type.kind === 'date') x = castIfNeeded(x, TIMESTAMP);
  if (!isDatetime(x.type) && x.type.kind !== 'interval') {
    throw new SqlError(
      SqlStates.undefinedFunction,
      `function ${fn}(${fn === 'extract' ? 'unknown' : 'text'}, ${typeToSql(x.type)}) does not exist`,
      position,
    );
  }
  // An unknown or unsupported unit: PostgreSQL's error, without a position (as it reports it).
  const resolved = extractResultType(field, x.type);
  const e = call('extract', [lit(resolved.field, VARCHAR), x], resolved.type);
  return fn === 'date_part' ? castIfNeeded(e, DOUBLE) : e;
}

/** A zone argument of AT TIME ZONE / date_trunc: constants are checked and made unambiguous now. */
function zoneArgument(z: Expr, tools: ArgTools, position: number | undefined): Expr {
  if (z.kind === 'literal' && z.type.kind === 'interval' && typeof z.value === 'string') {
    const [m, d, u] = z.value.split(':').map(Number);
    if (m !== 0 || d !== 0) {
      throw new SqlError(
        SqlStates.invalidParameterValue,
        'interval time zone must not include months or days',
        position,
      );
    }
    return lit(fixedZone(Math.trunc((u ?? 0) / 1_000_000)).name, VARCHAR);
  }
  const x = tools.resolve(z, VARCHAR);
  const text = x.kind === 'cast' && x.arg.kind === 'literal' ? x.arg.value : x.kind === 'literal' ? x.value : undefined;
  if (text === null) return lit(null, VARCHAR);
  // An unknown zone: PostgreSQL's 22023, without a position (it reports it while executing).
  if (typeof text === 'string') return lit(namedZone(text).name, VARCHAR);
  if (x.type.kind !== 'varchar') {
    throw new SqlError(
      SqlStates.undefinedFunction,
      `function timezone(${typeToSql(x.type)}, ...) does not exist`,
      position,
    );
  }
  return x;
}

/** Date/time functions; undefined when `name` is not one of them. */
export function resolveDatetimeFunction(
  name: string,
  args: readonly Expr[],
  tools: ArgTools,
  position: number | undefined,
): Expr | undefined {
  const fail = (): never => {
    throw new SqlError(
      SqlStates.undefinedFunction,
      `function ${name}(${args.map((a) => typeToSql(a.type)).join(', ')}) does not exist`,
      position,
      { hint: 'No function matches the given name and argument types.' },
    );
  };
  const arity = (min: number, max = min): void => {
    if (args.length < min || args.length > max) fail();
  };
  /** A timestamp or timestamptz (dates and untyped literals become timestamptz, PostgreSQL's preferred type). */
  const instant = (e: Expr): Expr => {
    const x = tools.resolve(e, TIMESTAMPTZ);
    if (x.type.kind === 'date') return castIfNeeded(x, TIMESTAMPTZ);
    if (x.type.kind !== 'timestamp' && x.type.kind !== 'timestamptz') fail();
    return x;
  };
  const interval = (e: Expr): Expr => {
    const x = tools.resolve(e, INTERVAL);
    if (x.type.kind !== 'interval') fail();
    return x;
  };
  switch (name) {
    case 'now':
    case 'current_timestamp':
    case 'transaction_timestamp':
    case 'statement_timestamp':
    case 'clock_timestamp':
      arity(0);
      return nowLiteral();
    case 'localtimestamp':
      arity(0);
      return castIfNeeded(nowLiteral(), TIMESTAMP);
    case 'current_date':
      arity(0);
      return castIfNeeded(nowLiteral(), DATE);
    case 'timezone': {
      arity(2);
      const x = instant(args[1]!);
      const z = zoneArgument(args[0]!, tools, position);
      return call('timezone', [z, x], x.type.kind === 'timestamptz' ? TIMESTAMP : TIMESTAMPTZ);
    }
    case 'date_trunc': {
      arity(2, 3);
      const unit = tools.resolve(args[0]!, VARCHAR);
      const u =
        unit.kind === 'cast' && unit.arg.kind === 'literal'
          ? unit.arg.value
          : unit.kind === 'literal'
            ? unit.value
            : undefined;
      if (u === undefined)
        throw new SqlError(SqlStates.featureNotSupported, 'the unit of date_trunc must be a constant', position);
      const unitLit = lit(u === null ? null : String(u).toLowerCase(), VARCHAR);
      // Untyped literals stay timestamps (Trino-style date_trunc('day', '2024-01-01 10:00')).
      const raw = args[1]!.type.kind === 'unknown' ? tools.resolve(args[1]!, TIMESTAMP) : args[1]!;
      const x = instant(raw);
      if (args.length === 3) {
        if (x.type.kind !== 'timestamptz') fail();
        return call('date_trunc', [unitLit, x, zoneArgument(args[2]!, tools, position)], TIMESTAMPTZ);
      }
      return call('date_trunc', [unitLit, x], x.type);
    }
    case 'age': {
      arity(1, 2);
      if (args.length === 1) {
        // age(x) = age(current_date at midnight, x), in x's type.
        const x = instant(args[0]!);
        const midnight = castIfNeeded(castIfNeeded(nowLiteral(), DATE), x.type);
        return call('age', [midnight, x], INTERVAL);
      }
      const [a, b] = tools.unify(instant(args[0]!), instant(args[1]!), 'age');
      return call('age', [a, b], INTERVAL);
    }
    case 'justify_hours':
    case 'justify_days':
    case 'justify_interval':
      arity(1);
      return call(name, [interval(args[0]!)], INTERVAL);
    case 'to_timestamp': {
      if (args.length !== 1) return undefined; // to_timestamp(text, format): not a date/time kernel here
      const x = tools.resolve(args[0]!, DOUBLE);
      if (!isNumeric(x.type)) fail();
      return call('to_timestamp', [castIfNeeded(x, DOUBLE)], TIMESTAMPTZ);
    }
    default:
      return undefined;
  }
}

/**
 * Date/time arithmetic (+ - * /) with intervals and timestamp differences; undefined when the
 * operands are not such (date ± integer and date - date stay with the general resolver).
 */
export function resolveDatetimeOperator(op: string, a: Expr, b: Expr, tools: ArgTools): Expr | undefined {
  const ka = a.type.kind;
  const kb = b.type.kind;
  const ts = (k: string) => k === 'timestamp' || k === 'timestamptz';
  if (op === '+' && ((ts(ka) && kb === 'unknown') || (ka === 'unknown' && ts(kb)))) {
    // timestamp + '1 day': the untyped literal is an interval.
    return resolveDatetimeOperator(op, tools.resolve(a, INTERVAL), tools.resolve(b, INTERVAL), tools);
  }
  if (ka !== 'interval' && kb !== 'interval') {
    if (op !== '-') return undefined;
    // timestamp - timestamp (a date or untyped literal on one side takes the other's type).
    if (
      !(ts(ka) && (ts(kb) || kb === 'date' || kb === 'unknown')) &&
      !(ts(kb) && (ka === 'date' || ka === 'unknown'))
    ) {
      return undefined;
    }
    const [x, y] = tools.unify(a, b, '-');
    return call('timestamp_mi', [x, y], INTERVAL);
  }
  const num = (e: Expr): Expr | undefined => {
    const x = tools.resolve(e, DOUBLE);
    return isNumeric(x.type) ? castIfNeeded(x, DOUBLE) : undefined;
  };
  const plusInterval = (t: Expr, iv: Expr, sign: '+' | '-'): Expr | undefined => {
    const x = t.type.kind === 'unknown' ? tools.resolve(t, TIMESTAMPTZ) : t;
    const i = tools.resolve(iv, INTERVAL);
    if (i.type.kind !== 'interval') return undefined;
    switch (x.type.kind) {
      case 'date':
      case 'timestamp':
        return call(
          sign === '+' ? 'timestamp_pl_interval' : 'timestamp_mi_interval',
          [castIfNeeded(x, TIMESTAMP), i],
          TIMESTAMP,
        );
      case 'timestamptz':
        return call(sign === '+' ? 'timestamptz_pl_interval' : 'timestamptz_mi_interval', [x, i], TIMESTAMPTZ);
      default:
        return undefined;
    }
  };
  switch (op) {
    case '+':
    case '-': {
      if ((ka === 'interval' || ka === 'unknown') && (kb === 'interval' || kb === 'unknown')) {
        const x = tools.resolve(a, INTERVAL);
        const y = tools.resolve(b, INTERVAL);
        return call(op === '+' ? 'interval_add' : 'interval_sub', [x, y], INTERVAL);
      }
      if (kb === 'interval') return plusInterval(a, b, op);
      return op === '+' ? plusInterval(b, a, '+') : undefined;
    }
    case '*': {
      if (ka === 'interval') {
        const f = num(b);
        return f ? call('interval_mul', [a, f], INTERVAL) : undefined;
      }
      const f = num(a);
      return f ? call('interval_mul', [b, f], INTERVAL) : undefined;
    }
    case '/': {
      if (ka !== 'interval') return undefined;
      const f = num(b);
      return f ? call('interval_div', [a, f], INTERVAL) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The session zone name for `SET TIME ZONE ...` (checked, 22023 when unknown): a string or
 * number is PostgreSQL's TimeZone value (numbers are hours east of UTC), an interval literal
 * (`SET TIME ZONE INTERVAL '-03:30' HOUR TO MINUTE`) a fixed offset.
 */
export function timeZoneSetting(args: readonly Node[], text: string): string {
  const tc = as(args[0], 'TypeCast') as TypeCast | undefined;
  const iv = tc ? intervalLiteral(tc) : undefined;
  if (iv?.kind === 'literal' && typeof iv.value === 'string') {
    const [m, d, u] = iv.value.split(':').map(Number);
    if (m !== 0 || d !== 0) {
      throw new SqlError(SqlStates.invalidParameterValue, 'invalid interval value for time zone: month not allowed');
    }
    return fixedZone(Math.trunc((u ?? 0) / 1_000_000)).name;
  }
  return sessionZone(text).name;
}
