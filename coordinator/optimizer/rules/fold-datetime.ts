// Constant folding of date/time calls (part of foldConstants), with the kernels' semantics
// (both use common/time):
//   timestamp_pl_interval(TIMESTAMP '1998-12-01', INTERVAL '-90 days') => TIMESTAMP '1998-09-02'
//   timestamptz_in('2024-01-01 10:00:00+02', 'UTC')                 => TIMESTAMPTZ literal
// and comparisons of a date column widened to timestamp with a timestamp constant, which then
// stay comparisons of dates (kernels on int32 days, lake statistics and pushdown still apply):
//   CAST(d AS timestamp) <= TIMESTAMP '1998-09-02 00:00'  => d <= DATE '1998-09-02'
//   CAST(d AS timestamp) <  TIMESTAMP '1998-09-02 12:00'  => d <= DATE '1998-09-02'
import type { Expr, LiteralValue } from '../../../common/expr/expr.js';
import { decodeLiteral, encodeLiteral, type KernelValue } from '../../../common/expr/literal.js';
import { formatTimestamptz } from '../../../common/format/datetime.js';
import {
  extractFromDays,
  extractFromInterval,
  extractFromTimestamp,
  extractZoneField,
} from '../../../common/time/extract.js';
import { extractField } from '../../../common/time/fields.js';
import {
  addIntervals,
  addIntervalToTimestamp,
  ageOf,
  decodeInterval,
  divideInterval,
  encodeInterval,
  type Interval,
  justifyDays,
  justifyHours,
  justifyInterval,
  multiplyInterval,
  subtractTimestamps,
} from '../../../common/time/interval.js';
import { parseTimestamptz } from '../../../common/time/timestamp-text.js';
import { localToUtc, utcToLocal, zoneByName } from '../../../common/time/zone.js';
import { DATE } from '../../../common/types.js';

type Call = Extract<Expr, { kind: 'call' }>;
type Literal = Extract<Expr, { kind: 'literal' }>;

const US_PER_DAY = 86_400_000_000n;
const TS_NOBEGIN = -9223372036854775808n;
const TS_NOEND = 9223372036854775807n;

const FOLDABLE: ReadonlySet<string> = new Set([
  'timezone',
  'timestamptz_in',
  'timestamptz_out',
  'interval_add',
  'interval_sub',
  'interval_neg',
  'interval_mul',
  'interval_div',
  'justify_hours',
  'justify_days',
  'justify_interval',
  'timestamp_pl_interval',
  'timestamp_mi_interval',
  'timestamptz_pl_interval',
  'timestamptz_mi_interval',
  'timestamp_mi',
  'age',
  'extract',
]);

const COMPARE_FLIP: Readonly<Record<string, string>> = { eq: 'eq', ne: 'ne', lt: 'gt', le: 'ge', gt: 'lt', ge: 'le' };

export function foldDatetimeCall(e: Call): Expr | undefined {
  if (Object.hasOwn(COMPARE_FLIP, e.fn)) return unwrapDateComparison(e);
  if (!FOLDABLE.has(e.fn) || !e.args.every((a) => a.kind === 'literal')) return undefined;
  const args = e.args as readonly Literal[];
  if (args.some((a) => a.value === null)) return { kind: 'literal', value: null, type: e.type };
  try {
    const value = evaluate(e.fn, args, e);
    return value === undefined ? undefined : { kind: 'literal', value, type: e.type };
  } catch {
    return undefined; // raise at run time, if ever evaluated
  }
}

function kernel(a: Literal): KernelValue {
  return decodeLiteral(a.value, a.type);
}

const ivOf = (a: Literal): Interval => decodeInterval(String(a.value));
const tsOf = (a: Literal): bigint => kernel(a) as bigint;

function evaluate(fn: string, args: readonly Literal[], e: Call): LiteralValue | undefined {
  const [a, b, c] = args;
  const iv = (x: Interval): LiteralValue => encodeInterval(x);
  switch (fn) {
    case 'timezone': {
      const zone = zoneByName(String(a!.value));
      const x = tsOf(b!);
      return encodeLiteral(e.type.kind === 'timestamptz' ? localToUtc(x, zone) : utcToLocal(x, zone), e.type);
    }
    case 'timestamptz_in':
      return encodeLiteral(parseTimestamptz(String(a!.value), zoneByName(String(b!.value))), e.type);
    case 'timestamptz_out':
      return formatTimestamptz(tsOf(a!), zoneByName(String(b!.value)));
    case 'interval_add':
    case 'interval_sub':
      return iv(addIntervals(ivOf(a!), ivOf(b!), fn === 'interval_add' ? 1 : -1));
    case 'interval_neg':
      return iv(addIntervals({ months: 0, days: 0, micros: 0 }, ivOf(a!), -1));
    case 'interval_mul':
    case 'interval_div': {
      const x = ivOf(a!);
      const f = kernel(b!) as number;
      const r =
        fn === 'interval_mul'
          ? multiplyInterval(x.months, x.days, x.micros, f)
          : divideInterval(x.months, x.days, x.micros, f);
      return iv(r);
    }
    case 'justify_hours':
    case 'justify_days':
    case 'justify_interval': {
      const x = ivOf(a!);
      const j = fn === 'justify_hours' ? justifyHours : fn === 'justify_days' ? justifyDays : justifyInterval;
      return iv(j(x.months, x.days, x.micros));
    }
    case 'timestamp_pl_interval':
    case 'timestamp_mi_interval': {
      const x = ivOf(b!);
      const sign = fn === 'timestamp_pl_interval' ? 1 : -1;
      return encodeLiteral(addIntervalToTimestamp(tsOf(a!), x.months, x.days, x.micros, sign), e.type);
    }
    case 'timestamptz_pl_interval':
    case 'timestamptz_mi_interval': {
      if (!c) return undefined;
      const x = ivOf(b!);
      const zone = zoneByName(String(c.value));
      const sign = fn === 'timestamptz_pl_interval' ? 1 : -1;
      let t = tsOf(a!);
      if (x.months !== 0) t = localToUtc(addIntervalToTimestamp(utcToLocal(t, zone), x.months, 0, 0, sign), zone);
      if (x.days !== 0) t = localToUtc(addIntervalToTimestamp(utcToLocal(t, zone), 0, x.days, 0, sign), zone);
      return encodeLiteral(addIntervalToTimestamp(t, 0, 0, x.micros, sign), e.type);
    }
    case 'timestamp_mi':
      return iv(subtractTimestamps(tsOf(a!), tsOf(b!)));
    case 'age':
      return iv(ageOf(tsOf(a!), tsOf(b!)));
    case 'extract': {
      const field = extractField(String(a!.value));
      if (!field) return undefined;
      let v: number | bigint;
      switch (b!.type.kind) {
        case 'date':
          v = extractFromDays(field, kernel(b!) as number);
          break;
        case 'timestamp':
        case 'timestamptz':
          if (field === 'timezone' || field === 'timezone_hour' || field === 'timezone_minute') {
            if (!c) return undefined;
            const us = tsOf(b!);
            v = extractZoneField(field, zoneByName(String(c.value)).offsetAt(Math.floor(Number(us) / 1e6)));
          } else v = extractFromTimestamp(field, tsOf(b!));
          break;
        case 'interval': {
          const x = ivOf(b!);
          v = extractFromInterval(field, x.months, x.days, x.micros);
          break;
        }
        default:
          return undefined;
      }
      return encodeLiteral(v, e.type);
    }
    default:
      return undefined;
  }
}

/** cmp(CAST(date AS timestamp), timestamp literal) as a comparison of dates, when exact. */
function unwrapDateComparison(e: Call): Expr | undefined {
  const [l, r] = e.args;
  if (!l || !r || e.args.length !== 2) return undefined;
  let fn = e.fn;
  let column: Expr;
  let constant: Literal;
  if (l.kind === 'cast' && r.kind === 'literal') {
    column = l;
    constant = r;
  } else if (r.kind === 'cast' && l.kind === 'literal') {
    column = r;
    constant = l;
    fn = COMPARE_FLIP[fn] ?? fn;
  } else return undefined;
  if (column.kind !== 'cast' || column.arg.type.kind !== 'date' || column.type.kind !== 'timestamp') return undefined;
  if (constant.type.kind !== 'timestamp' || constant.value === null) return undefined;
  const us = BigInt(String(constant.value));
  if (us === TS_NOBEGIN || us === TS_NOEND) return undefined;
  let day = us / US_PER_DAY;
  if (us - day * US_PER_DAY < 0n) day -= 1n;
  const exact = day * US_PER_DAY === us;
  if (day < -2147483647n || day > 2147483646n) return undefined;
  const date: Expr = { kind: 'literal', value: Number(day), type: DATE };
  const arg = column.arg;
  if (exact) return { ...e, fn, args: [arg, date] };
  // A time part: d < T and d <= T both mean d <= floor(T); d > T and d >= T mean d > floor(T).
  if (fn === 'lt' || fn === 'le') return { ...e, fn: 'le', args: [arg, date] };
  if (fn === 'gt' || fn === 'ge') return { ...e, fn: 'gt', args: [arg, date] };
  return undefined;
}
