// Constant intervals of RANGE frame offsets (`RANGE BETWEEN INTERVAL '7 days' PRECEDING ...`),
// folded to months, days and microseconds while binding: the window operator compares date and
// timestamp keys in those units, so frame offsets need no interval column type.
import type { Node, TypeCast } from '@pgsql/types';
import { SqlError } from '../../common/errors.js';
import { SqlStates } from '../../common/sqlstate.js';
import { as, locationOf, stringsOf } from '../sql/ast.js';

const MICROS_PER_DAY = 86_400_000_000;

export interface IntervalConstant {
  readonly months: number;
  readonly days: number;
  readonly micros: number;
}

// PostgreSQL's INTERVAL_MASK bits (typmod of `INTERVAL '...' <field>`).
const MASK_UNITS: Readonly<Record<number, keyof typeof UNIT_MICROS>> = {
  [1 << 1]: 'month',
  [1 << 2]: 'year',
  [1 << 3]: 'day',
  [1 << 10]: 'hour',
  [1 << 11]: 'minute',
  [1 << 12]: 'second',
};

/** Units of an interval literal: months for year/month, days for week/day, else microseconds. */
const UNIT_MICROS = {
  year: 0,
  month: 0,
  week: 0,
  day: 0,
  hour: 3_600_000_000,
  minute: 60_000_000,
  second: 1_000_000,
  millisecond: 1_000,
  microsecond: 1,
} as const;

const UNIT_ALIASES: Readonly<Record<string, keyof typeof UNIT_MICROS>> = {
  y: 'year',
  yr: 'year',
  yrs: 'year',
  year: 'year',
  years: 'year',
  mon: 'month',
  mons: 'month',
  month: 'month',
  months: 'month',
  w: 'week',
  week: 'week',
  weeks: 'week',
  d: 'day',
  day: 'day',
  days: 'day',
  h: 'hour',
  hr: 'hour',
  hrs: 'hour',
  hour: 'hour',
  hours: 'hour',
  m: 'minute',
  min: 'minute',
  mins: 'minute',
  minute: 'minute',
  minutes: 'minute',
  s: 'second',
  sec: 'second',
  secs: 'second',
  second: 'second',
  seconds: 'second',
  ms: 'millisecond',
  msec: 'millisecond',
  msecs: 'millisecond',
  millisecond: 'millisecond',
  milliseconds: 'millisecond',
  us: 'microsecond',
  usec: 'microsecond',
  usecs: 'microsecond',
  microsecond: 'microsecond',
  microseconds: 'microsecond',
};

/**
 * `INTERVAL '...' [field]` or `'...'::interval` as months, days and microseconds (folded here:
 * frame offsets need no interval column type). Undefined when the node is not such a literal.
 */
export function intervalConstant(n: Node): IntervalConstant | undefined {
  const tc = as(n, 'TypeCast') as TypeCast | undefined;
  if (!tc) return undefined;
  const names = stringsOf(tc.typeName?.names).filter((x) => x !== 'pg_catalog');
  if (names.join('.') !== 'interval') return undefined;
  const text = (as(tc.arg, 'A_Const') as { sval?: { sval?: string } } | undefined)?.sval?.sval;
  if (text === undefined)
    throw SqlError.unsupportedPlural('INTERVAL frame offsets that are not literals', locationOf(n));
  const mask = (as(tc.typeName?.typmods?.[0], 'A_Const') as { ival?: { ival?: number } } | undefined)?.ival?.ival;
  return parseIntervalText(text, mask === undefined ? undefined : MASK_UNITS[mask]);
}

/** '1 day 2 hours', '-3 mons', '1 year 2 months 3 days 04:05:06.5', '7' with a field. */
export function parseIntervalText(text: string, field?: keyof typeof UNIT_MICROS): IntervalConstant {
  const bad = () => new SqlError(SqlStates.invalidDatetimeFormat, `invalid input syntax for type interval: "${text}"`);
  let months = 0;
  let days = 0;
  let micros = 0;
  const add = (value: number, unit: keyof typeof UNIT_MICROS) => {
    switch (unit) {
      case 'year':
        months += Math.round(value * 12);
        return;
      case 'month':
        months += Math.trunc(value);
        days += Math.round((value - Math.trunc(value)) * 30);
        return;
      case 'week':
        days += Math.trunc(value * 7);
        micros += Math.round((value * 7 - Math.trunc(value * 7)) * MICROS_PER_DAY);
        return;
      case 'day':
        days += Math.trunc(value);
        micros += Math.round((value - Math.trunc(value)) * MICROS_PER_DAY);
        return;
      default:
        micros += Math.round(value * UNIT_MICROS[unit]);
    }
  };
  let t = text.trim().toLowerCase().replace(/^@\s*/, '');
  const ago = / ago$/.test(t);
  if (ago) t = t.slice(0, -4).trim();
  if (t === '') throw bad();
  if (field && /^[-+]?\d+(\.\d+)?$/.test(t)) {
    add(Number(t), field);
    return { months, days, micros };
  }
  const tokens = t.split(/\s+/);
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const clock = /^([-+]?)(\d+):(\d{1,2})(?::(\d{1,2}(?:\.\d+)?))?$/.exec(tok);
    if (clock) {
      const sign = clock[1] === '-' ? -1 : 1;
      const v = Number(clock[2]) * 3_600_000_000 + Number(clock[3]) * 60_000_000 + Number(clock[4] ?? 0) * 1_000_000;
      micros += sign * Math.round(v);
      continue;
    }
    const joined = /^([-+]?\d+(?:\.\d+)?)([a-z]+)$/.exec(tok);
    let num: string;
    let unitText: string | undefined;
    if (joined) {
      num = joined[1]!;
      unitText = joined[2];
    } else {
      if (!/^[-+]?\d+(\.\d+)?$/.test(tok)) throw bad();
      num = tok;
      unitText = tokens[i + 1];
      if (unitText !== undefined && UNIT_ALIASES[unitText] !== undefined) i++;
      else if (i === tokens.length - 1 && field) unitText = field;
      else if (i === tokens.length - 1) unitText = 'second';
      else throw bad();
    }
    const unit = unitText === undefined ? undefined : (UNIT_ALIASES[unitText] ?? undefined);
    if (!unit) throw bad();
    add(Number(num), unit);
  }
  if (ago) return { months: -months, days: -days, micros: -micros };
  return { months, days, micros };
}
