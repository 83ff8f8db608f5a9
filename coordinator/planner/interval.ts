// INTERVAL literals in date arithmetic: `DATE '1998-12-01' - INTERVAL '90' DAY`,
// `d + INTERVAL '1' YEAR`, `INTERVAL '3 months'`. Intervals are not a column type yet; a
// constant date plus or minus a constant interval is computed while binding (Trino keeps the
// result a date when the interval has no time part).
import type { Node, TypeCast } from '@pgsql/types';
import { SqlError } from '../../common/errors.js';
import { civilFromDays, daysFromCivil } from '../../common/expr/literal.js';
import { SqlStates } from '../../common/sqlstate.js';
import { as, stringsOf } from '../sql/ast.js';

export interface Interval {
  readonly months: number;
  readonly days: number;
}

// PostgreSQL's INTERVAL_MASK bits (typmod of `INTERVAL '...' <field>`).
const MONTH = 1 << 1;
const YEAR = 1 << 2;
const DAY = 1 << 3;

/** The interval of an `INTERVAL '...' [field]` cast node, or undefined if the node is not one. */
export function intervalOf(n: Node | undefined): Interval | undefined {
  const tc = as(n, 'TypeCast') as TypeCast | undefined;
  if (!tc) return undefined;
  const names = stringsOf(tc.typeName?.names).filter((x) => x !== 'pg_catalog');
  if (names.join('.') !== 'interval') return undefined;
  const text = (as(tc.arg, 'A_Const') as { sval?: { sval?: string } } | undefined)?.sval?.sval;
  if (text === undefined) throw SqlError.unsupportedPlural('INTERVAL values that are not literals');
  const mask = (as(tc.typeName?.typmods?.[0], 'A_Const') as { ival?: { ival?: number } } | undefined)?.ival?.ival;
  return parseInterval(text, mask);
}

export function parseInterval(text: string, mask: number | undefined): Interval {
  const t = text.trim().toLowerCase();
  if (mask !== undefined && /^[-+]?\d+$/.test(t)) {
    const n = Number(t);
    if (mask === YEAR) return { months: 12 * n, days: 0 };
    if (mask === MONTH) return { months: n, days: 0 };
    if (mask === DAY) return { months: 0, days: n };
    throw SqlError.unsupportedPlural('INTERVAL fields other than YEAR, MONTH and DAY');
  }
  let months = 0;
  let days = 0;
  const re = /([-+]?\d+)\s*(years?|mons?|months?|days?|weeks?)\b/g;
  let matched = '';
  for (const m of t.matchAll(re)) {
    const n = Number(m[1]);
    const unit = m[2] ?? '';
    if (unit.startsWith('y')) months += 12 * n;
    else if (unit.startsWith('mon')) months += n;
    else if (unit.startsWith('w')) days += 7 * n;
    else days += n;
    matched += m[0];
  }
  if (matched === '' || t.replace(re, '').trim() !== '') {
    throw new SqlError(SqlStates.invalidDatetimeFormat, `invalid input syntax for type interval: "${text}"`);
  }
  return { months, days };
}

/** days since epoch + interval (sign -1 subtracts); month arithmetic clamps the day like PostgreSQL. */
export function addInterval(day: number, iv: Interval, sign: 1 | -1): number {
  let result = day;
  if (iv.months !== 0) {
    const ymd = new Int32Array(3);
    civilFromDays(result, ymd);
    const total = ymd[0]! * 12 + (ymd[1]! - 1) + sign * iv.months;
    const y = Math.floor(total / 12);
    const m = total - y * 12 + 1;
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    result = daysFromCivil(y, m, Math.min(ymd[2]!, last));
  }
  return result + sign * iv.days;
}
