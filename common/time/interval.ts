// PostgreSQL's interval: months, days and microseconds kept apart ('1 mon' is not '30 days' when
// added to a date, but they compare equal: comparisons use 30-day months and 24-hour days).
// Text input (DecodeInterval: '1 year 2 mons', '3 4:05:06', '1-2', 'P1Y2M', '2 hours ago',
// INTERVAL '90' DAY), output in IntervalStyle postgres ('1 year 2 mons 3 days 04:05:06.5'),
// arithmetic shared by constant folding and the kernels.
//
// Values outside the kernels are strings "months:days:micros" (a LiteralValue, exact); inside
// kernels the three parts are numbers (the microsecond part exact below 2^53, ~285 years).
import { SqlError } from '../errors.js';
import { SqlStates } from '../sqlstate.js';

export interface Interval {
  readonly months: number;
  readonly days: number;
  readonly micros: number;
}

export const MICROS_PER_DAY = 86_400_000_000;
export const MICROS_PER_HOUR = 3_600_000_000;
export const MICROS_PER_MINUTE = 60_000_000;
const MAX_MICROS = Number.MAX_SAFE_INTEGER;
const INT32_MAX = 2147483647;

export function intervalOutOfRange(): never {
  throw new SqlError(SqlStates.datetimeFieldOverflow, 'interval out of range');
}

/** Checks the parts fit (int32 months/days, microseconds exact in a double). */
export function makeInterval(months: number, days: number, micros: number): Interval {
  if (
    !Number.isFinite(months) ||
    !Number.isFinite(days) ||
    !Number.isFinite(micros) ||
    Math.abs(months) > INT32_MAX ||
    Math.abs(days) > INT32_MAX ||
    Math.abs(micros) > MAX_MICROS
  ) {
    intervalOutOfRange();
  }
  return { months: months + 0, days: days + 0, micros: micros + 0 };
}

/** Interval -> its literal (and per-value kernel) form "months:days:micros". */
export function encodeInterval(iv: Interval): string {
  return `${iv.months}:${iv.days}:${iv.micros}`;
}

export function decodeInterval(s: string): Interval {
  const [m, d, u] = s.split(':');
  return { months: Number(m ?? 0), days: Number(d ?? 0), micros: Number(u ?? 0) };
}

// ---- comparison (PostgreSQL's interval_cmp_value: 30-day months, 24-hour days) ----

/** Sign of a - b comparing total spans. */
export function compareIntervals(am: number, ad: number, au: number, bm: number, bd: number, bu: number): number {
  const ax = Math.floor(au / MICROS_PER_DAY);
  const bx = Math.floor(bu / MICROS_PER_DAY);
  const adays = am * 30 + ad + ax;
  const bdays = bm * 30 + bd + bx;
  if (adays !== bdays) return adays < bdays ? -1 : 1;
  const ar = au - ax * MICROS_PER_DAY;
  const br = bu - bx * MICROS_PER_DAY;
  return ar === br ? 0 : ar < br ? -1 : 1;
}

// ---- arithmetic ----

export function addIntervals(a: Interval, b: Interval, sign: 1 | -1): Interval {
  return makeInterval(a.months + sign * b.months, a.days + sign * b.days, a.micros + sign * b.micros);
}

const TSROUND = (x: number): number => Math.round(x * 1e6) / 1e6;
const trunc = (x: number): number => Math.trunc(x) + 0;

/** interval * factor (PostgreSQL's interval_mul: fractions cascade down to days and time). */
export function multiplyInterval(months: number, days: number, micros: number, factor: number): Interval {
  if (Number.isNaN(factor)) intervalOutOfRange();
  return cascadeFractions(months * factor, days * factor, micros * factor);
}

/** interval / divisor (PostgreSQL's interval_div). */
export function divideInterval(months: number, days: number, micros: number, divisor: number): Interval {
  if (divisor === 0) throw new SqlError(SqlStates.divisionByZero, 'division by zero');
  if (Number.isNaN(divisor)) intervalOutOfRange();
  return cascadeFractions(months / divisor, days / divisor, micros / divisor);
}

/** Fractional months and days carried down to days and microseconds, as PostgreSQL does. */
function cascadeFractions(m: number, d: number, micros: number): Interval {
  const rm = trunc(m);
  let rd = trunc(d);
  const monthRemainderDays = TSROUND((m - rm) * 30);
  let secRemainder = TSROUND((d - rd + monthRemainderDays - trunc(monthRemainderDays)) * 86400);
  if (Math.abs(secRemainder) >= 86400) {
    rd += trunc(secRemainder / 86400);
    secRemainder -= trunc(secRemainder / 86400) * 86400;
  }
  rd += trunc(monthRemainderDays);
  const ru = rint(micros + secRemainder * 1e6);
  return makeInterval(rm, rd, ru);
}

/** C's rint: round half to even. */
function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** justify_hours: whole days out of the time part, days and time given the same sign. */
export function justifyHours(months: number, days: number, micros: number): Interval {
  const whole = trunc(micros / MICROS_PER_DAY);
  let t = micros - whole * MICROS_PER_DAY;
  let d = days + whole;
  if (d > 0 && t < 0) {
    t += MICROS_PER_DAY;
    d--;
  } else if (d < 0 && t > 0) {
    t -= MICROS_PER_DAY;
    d++;
  }
  return makeInterval(months, d, t);
}

/** justify_days: whole 30-day months out of the days, months and days given the same sign. */
export function justifyDays(months: number, days: number, micros: number): Interval {
  const whole = trunc(days / 30);
  let d = days - whole * 30;
  let m = months + whole;
  if (m > 0 && d < 0) {
    d += 30;
    m--;
  } else if (m < 0 && d > 0) {
    d -= 30;
    m++;
  }
  return makeInterval(m, d, micros);
}

/** justify_interval: justify_hours then justify_days, with the signs made to agree. */
export function justifyInterval(months: number, days: number, micros: number): Interval {
  let m = months;
  let d = days;
  let t = micros;
  const wholeDays = trunc(t / MICROS_PER_DAY);
  t -= wholeDays * MICROS_PER_DAY;
  d += wholeDays;
  const wholeMonths = trunc(d / 30);
  d -= wholeMonths * 30;
  m += wholeMonths;
  if (m > 0 && (d < 0 || (d === 0 && t < 0))) {
    d += 30;
    m--;
  } else if (m < 0 && (d > 0 || (d === 0 && t > 0))) {
    d -= 30;
    m++;
  }
  if (d > 0 && t < 0) {
    t += MICROS_PER_DAY;
    d--;
  } else if (d < 0 && t > 0) {
    t -= MICROS_PER_DAY;
    d++;
  }
  return makeInterval(m, d, t);
}

// ---- output (IntervalStyle postgres) ----

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** PostgreSQL's text of an interval: '1 year 2 mons 3 days 04:05:06.5', '-1 days +02:00:00'. */
export function formatInterval(months: number, days: number, micros: number): string {
  const year = trunc(months / 12);
  const mon = months - year * 12;
  const parts: string[] = [];
  let isZero = true;
  let isBefore = false;
  const add = (value: number, unit: string): void => {
    if (value === 0) return;
    parts.push(`${isBefore && value > 0 ? '+' : ''}${value} ${unit}${value !== 1 ? 's' : ''}`);
    isBefore = value < 0;
    isZero = false;
  };
  add(year, 'year');
  add(mon, 'mon');
  add(days, 'day');
  if (isZero || micros !== 0) {
    const minus = micros < 0;
    const a = Math.abs(micros);
    const hours = Math.floor(a / MICROS_PER_HOUR);
    const rest = a - hours * MICROS_PER_HOUR;
    const mins = Math.floor(rest / MICROS_PER_MINUTE);
    const usec = rest - mins * MICROS_PER_MINUTE;
    const secs = Math.floor(usec / 1_000_000);
    const frac = usec - secs * 1_000_000;
    let t = `${minus ? '-' : isBefore ? '+' : ''}${pad2(hours)}:${pad2(mins)}:${pad2(secs)}`;
    if (frac !== 0) t += `.${String(frac).padStart(6, '0').replace(/0+$/, '')}`;
    parts.push(t);
  }
  return parts.join(' ');
}

// ---- input (PostgreSQL's DecodeInterval, IntervalStyle postgres) ----

// INTERVAL_MASK bits of an interval typmod (`INTERVAL '1' DAY`, `... DAY TO SECOND`).
export const IntervalField = {
  month: 1 << 1,
  year: 1 << 2,
  day: 1 << 3,
  hour: 1 << 10,
  minute: 1 << 11,
  second: 1 << 12,
} as const;
/** INTERVAL_FULL_RANGE: no field restriction. */
export const INTERVAL_FULL_RANGE = 0x7fff;

type Unit =
  | 'microsecond'
  | 'millisecond'
  | 'second'
  | 'minute'
  | 'hour'
  | 'day'
  | 'week'
  | 'month'
  | 'year'
  | 'decade'
  | 'century'
  | 'millennium';

const UNIT_NAMES: Readonly<Record<string, Unit>> = {
  microsecond: 'microsecond',
  microseconds: 'microsecond',
  microsecon: 'microsecond',
  us: 'microsecond',
  usec: 'microsecond',
  usecs: 'microsecond',
  usecond: 'microsecond',
  useconds: 'microsecond',
  millisecond: 'millisecond',
  milliseconds: 'millisecond',
  millisecon: 'millisecond',
  ms: 'millisecond',
  msec: 'millisecond',
  msecs: 'millisecond',
  msecond: 'millisecond',
  mseconds: 'millisecond',
  second: 'second',
  seconds: 'second',
  s: 'second',
  sec: 'second',
  secs: 'second',
  minute: 'minute',
  minutes: 'minute',
  m: 'minute',
  min: 'minute',
  mins: 'minute',
  hour: 'hour',
  hours: 'hour',
  h: 'hour',
  hr: 'hour',
  hrs: 'hour',
  day: 'day',
  days: 'day',
  d: 'day',
  week: 'week',
  weeks: 'week',
  w: 'week',
  month: 'month',
  months: 'month',
  mon: 'month',
  mons: 'month',
  year: 'year',
  years: 'year',
  y: 'year',
  yr: 'year',
  yrs: 'year',
  decade: 'decade',
  decades: 'decade',
  dec: 'decade',
  decs: 'decade',
  century: 'century',
  centuries: 'century',
  c: 'century',
  cent: 'century',
  millennium: 'millennium',
  millennia: 'millennium',
  mil: 'millennium',
  mils: 'millennium',
};

/** Accumulates the fields of an interval being parsed (PostgreSQL's struct pg_itm_in). */
class Parts {
  months = 0;
  days = 0;
  micros = 0;

  /** A whole-or-fractional number of `unit`s; fractions cascade down like PostgreSQL's. */
  add(value: number, unit: Unit): void {
    const whole = trunc(value);
    const frac = value - whole;
    switch (unit) {
      case 'microsecond':
        this.micros += Math.round(value);
        return;
      case 'millisecond':
        this.micros += Math.round(value * 1000);
        return;
      case 'second':
        this.micros += Math.round(value * 1_000_000);
        return;
      case 'minute':
        this.micros += whole * MICROS_PER_MINUTE + Math.round(frac * MICROS_PER_MINUTE);
        return;
      case 'hour':
        this.micros += whole * MICROS_PER_HOUR + Math.round(frac * MICROS_PER_HOUR);
        return;
      case 'day':
        this.days += whole;
        this.fractionalSeconds(frac * 86400);
        return;
      case 'week':
        this.days += whole * 7;
        this.fractionalDays(frac * 7);
        return;
      case 'month':
        this.months += whole;
        this.fractionalDays(frac * 30);
        return;
      case 'year':
        this.months += whole * 12 + Math.round(frac * 12);
        return;
      case 'decade':
        this.months += whole * 120 + Math.round(frac * 120);
        return;
      case 'century':
        this.months += whole * 1200 + Math.round(frac * 1200);
        return;
      case 'millennium':
        this.months += whole * 12000 + Math.round(frac * 12000);
        return;
    }
  }

  private fractionalDays(days: number): void {
    const whole = trunc(days);
    this.days += whole;
    this.fractionalSeconds((days - whole) * 86400);
  }

  private fractionalSeconds(secs: number): void {
    const whole = trunc(secs);
    this.micros += whole * 1_000_000 + Math.round((secs - whole) * 1_000_000);
  }
}

function badInterval(text: string): never {
  throw new SqlError(SqlStates.invalidDatetimeFormat, `invalid input syntax for type interval: "${text}"`);
}

const TIME_RE = /^([+-]?)(\d+):(\d+)(?::(\d+)(?:\.(\d*))?)?$/;
const YEAR_MONTH_RE = /^([+-]?)(\d+)-(\d+)$/;
const NUMBER_UNIT_RE = /^([+-]?(?:\d+\.?\d*|\.\d+))([a-z]*)$/;

/** '[-]h:mm[:ss[.ffffff]]' -> microseconds (the sign applies to all fields). */
function timeMicros(m: RegExpExecArray): number {
  const h = Number(m[2]);
  const mi = Number(m[3]);
  const s = Number(m[4] ?? 0);
  const frac = m[5] ?? '';
  const f = frac === '' ? 0 : Math.round(Number(`0.${frac}`) * 1_000_000);
  const v = ((h * 60 + mi) * 60 + s) * 1_000_000 + f;
  return m[1] === '-' ? -v : v;
}

/** The field a bare number means under an interval typmod (its rightmost field), else seconds. */
function bareNumberUnit(mask: number | undefined): Unit {
  if (mask === undefined || mask === INTERVAL_FULL_RANGE) return 'second';
  if (mask & IntervalField.second) return 'second';
  if (mask & IntervalField.minute) return 'minute';
  if (mask & IntervalField.hour) return 'hour';
  if (mask & IntervalField.day) return 'day';
  if (mask & IntervalField.month) return 'month';
  if (mask & IntervalField.year) return 'year';
  return 'second';
}

/** ISO 8601 durations: P1Y2M3DT4H5M6.5S, P2W, PT1H. */
function parseIso(text: string, t: string): Interval {
  const m =
    /^([+-]?)p(?:([-+]?[\d.]+)y)?(?:([-+]?[\d.]+)m)?(?:([-+]?[\d.]+)w)?(?:([-+]?[\d.]+)d)?(?:t(?:([-+]?[\d.]+)h)?(?:([-+]?[\d.]+)m)?(?:([-+]?[\d.]+)s)?)?$/.exec(
      t,
    );
  if (!m || t === 'p' || t.endsWith('t')) return badInterval(text);
  const p = new Parts();
  const units: Unit[] = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'];
  units.forEach((u, k) => {
    const v = m[k + 2];
    if (v === undefined) return;
    const x = Number(v);
    if (!Number.isFinite(x)) badInterval(text);
    p.add(x, u);
  });
  const sign = m[1] === '-' ? -1 : 1;
  return makeInterval(sign * p.months, sign * p.days, sign * p.micros);
}

/**
 * Text -> interval like PostgreSQL's interval_in, then restricted to the typmod's fields
 * (`mask`, INTERVAL_MASK bits) and fractional-second `precision` when given.
 */
export function parseInterval(text: string, mask?: number, precision?: number): Interval {
  let t = text.trim().toLowerCase();
  if (t.startsWith('@')) t = t.slice(1).trim();
  if (t === '') return badInterval(text);
  if (t.startsWith('p') || t.startsWith('-p') || t.startsWith('+p')) {
    return restrict(parseIso(text, t), mask, precision);
  }
  const tokens = t.split(/\s+/);
  let ago = false;
  if (tokens[tokens.length - 1] === 'ago') {
    ago = true;
    tokens.pop();
  }
  const p = new Parts();
  let pendingNumber: number | undefined;
  let sawAny = false;
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k]!;
    const tm = TIME_RE.exec(tok);
    if (tm) {
      if (pendingNumber !== undefined) {
        p.add(pendingNumber, 'day');
        pendingNumber = undefined;
      }
      const us = timeMicros(tm);
      // 'h:m' is hours and minutes, except under MINUTE TO SECOND where it is minutes and seconds.
      if (
        tm[4] === undefined &&
        mask !== undefined &&
        mask !== INTERVAL_FULL_RANGE &&
        (mask & IntervalField.second) !== 0 &&
        (mask & IntervalField.hour) === 0
      ) {
        p.micros += us / 60;
      } else p.micros += us;
      sawAny = true;
      continue;
    }
    const ym = YEAR_MONTH_RE.exec(tok);
    if (ym && pendingNumber === undefined) {
      const months = Number(ym[2]) * 12 + Number(ym[3]);
      p.months += ym[1] === '-' ? -months : months;
      sawAny = true;
      continue;
    }
    const nu = NUMBER_UNIT_RE.exec(tok);
    if (nu) {
      if (pendingNumber !== undefined) badInterval(text);
      const value = Number(nu[1]);
      if (!Number.isFinite(value)) badInterval(text);
      const unitName = nu[2] ?? '';
      if (unitName === '') {
        const next = tokens[k + 1];
        const nextUnit = next === undefined ? undefined : UNIT_NAMES[next];
        if (nextUnit) {
          p.add(value, nextUnit);
          k++;
        } else pendingNumber = value;
      } else {
        const unit = UNIT_NAMES[unitName];
        if (!unit) badInterval(text);
        p.add(value, unit);
      }
      sawAny = true;
      continue;
    }
    badInterval(text);
  }
  if (pendingNumber !== undefined) p.add(pendingNumber, bareNumberUnit(mask));
  if (!sawAny) badInterval(text);
  const sign = ago ? -1 : 1;
  return restrict(makeInterval(sign * p.months, sign * p.days, sign * p.micros), mask, precision);
}

/** PostgreSQL's AdjustIntervalForTypmod: drop what is below the typmod's last field; round seconds. */
export function restrict(iv: Interval, mask: number | undefined, precision: number | undefined): Interval {
  let { months, days, micros } = iv;
  if (mask !== undefined && mask !== INTERVAL_FULL_RANGE) {
    const F = IntervalField;
    if (mask === F.year) {
      months = trunc(months / 12) * 12;
      days = 0;
      micros = 0;
    } else if (mask === F.month || mask === (F.year | F.month)) {
      days = 0;
      micros = 0;
    } else if (mask === F.day) {
      micros = 0;
    } else if (mask === F.hour || mask === (F.day | F.hour)) {
      micros = trunc(micros / MICROS_PER_HOUR) * MICROS_PER_HOUR;
    } else if (mask === F.minute || mask === (F.day | F.hour | F.minute) || mask === (F.hour | F.minute)) {
      micros = trunc(micros / MICROS_PER_MINUTE) * MICROS_PER_MINUTE;
    }
  }
  if (precision !== undefined && precision >= 0 && precision < 6) {
    const scale = 10 ** (6 - precision);
    micros =
      micros >= 0
        ? Math.floor((micros + scale / 2) / scale) * scale
        : -Math.floor((-micros + scale / 2) / scale) * scale;
  }
  return makeInterval(months, days, micros);
}

// ---- timestamps ± intervals (timestamp_pl_interval) ----

const YMD = new Int32Array(3);

/** days -> [y, m, d] (proleptic Gregorian), written to `out`. */
export function civil(days: number, out: Int32Array): void {
  let z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  out[2] = doy - Math.floor((153 * mp + 2) / 5) + 1;
  out[1] = mp + (mp < 10 ? 3 : -9);
  z = yoe + era * 400;
  out[0] = z + (out[1]! <= 2 ? 1 : 0);
}

export function daysFrom(y: number, m: number, d: number): number {
  const yy = y - (m <= 2 ? 1 : 0);
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Day count plus `months` calendar months, the day of month clamped to the target month. */
export function addMonthsToDays(days: number, months: number): number {
  if (months === 0) return days;
  civil(days, YMD);
  const total = YMD[0]! * 12 + (YMD[1]! - 1) + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  return daysFrom(y, m, Math.min(YMD[2]!, daysInMonth(y, m)));
}

const US_PER_DAY_BIG = 86_400_000_000n;
const TS_NOBEGIN = -9223372036854775808n;
const TS_NOEND = 9223372036854775807n;

function splitDays(us: bigint): [number, bigint] {
  let d = us / US_PER_DAY_BIG;
  let r = us - d * US_PER_DAY_BIG;
  if (r < 0n) {
    r += US_PER_DAY_BIG;
    d -= 1n;
  }
  return [Number(d), r];
}

/** Local timestamp (µs) + sign * interval: months, then days, then the time part. */
export function addIntervalToTimestamp(us: bigint, months: number, days: number, micros: number, sign: number): bigint {
  if (us === TS_NOBEGIN || us === TS_NOEND) return us;
  let t = us;
  if (months !== 0 || days !== 0) {
    const [d, r] = splitDays(t);
    t = BigInt(addMonthsToDays(d, sign * months) + sign * days) * US_PER_DAY_BIG + r;
  }
  return t + BigInt(sign * micros);
}

/** timestamp - timestamp: justify_hours of the difference (PostgreSQL's timestamp_mi). */
export function subtractTimestamps(a: bigint, b: bigint): Interval {
  if (a === TS_NOBEGIN || a === TS_NOEND || b === TS_NOBEGIN || b === TS_NOEND) {
    throw new SqlError(SqlStates.datetimeFieldOverflow, 'cannot subtract infinite timestamps');
  }
  const diff = a - b;
  const days = diff / US_PER_DAY_BIG;
  const rest = Number(diff - days * US_PER_DAY_BIG);
  return justifyHours(0, Number(days), rest);
}

/** age(a, b): symbolic years, months and days from b to a (PostgreSQL's timestamp_age). */
export function ageOf(a: bigint, b: bigint): Interval {
  const [da, ra] = splitDays(a);
  const [db, rb] = splitDays(b);
  civil(da, YMD);
  const y1 = YMD[0]!;
  const m1 = YMD[1]!;
  const d1 = YMD[2]!;
  civil(db, YMD);
  const y2 = YMD[0]!;
  const m2 = YMD[1]!;
  const d2 = YMD[2]!;
  let fsec = Number(ra - rb);
  let day = d1 - d2;
  let mon = m1 - m2;
  let year = y1 - y2;
  // Flip the sign when a < b so that the borrowing below works on positive values.
  const neg = a < b;
  if (neg) {
    fsec = -fsec;
    day = -day;
    mon = -mon;
    year = -year;
  }
  while (fsec < 0) {
    fsec += MICROS_PER_DAY;
    day--;
  }
  while (day < 0) {
    // Borrow the length of the earlier date's month (PostgreSQL's day_tab lookup).
    day += neg ? daysInMonth(y1, m1) : daysInMonth(y2, m2);
    mon--;
  }
  while (mon < 0) {
    mon += 12;
    year--;
  }
  const s = neg ? -1 : 1;
  return makeInterval(s * (year * 12 + mon), s * day, s * fsec);
}

// ---- Arrow layout: IntervalMonthDayNano, 4 int32 words per value ----
// [months, days, nanoseconds low word, nanoseconds high word] (little-endian int64). Tributary
// keeps microseconds; the nanosecond word pair is converted exactly without BigInt.

/** Microseconds of the nanosecond word pair (lo read as signed int32 is fine). */
export function nanosWordsToMicros(lo: number, hi: number): number {
  // hi * 2^32 + lo = 1000 * hi * 4294967 + (hi * 296 + lo)
  return hi * 4294967 + Math.floor((hi * 296 + (lo >>> 0)) / 1000);
}

/** Writes value k (months, days, micros) into an IntervalMonthDayNano Int32Array. */
export function setIntervalWords(out: Int32Array, k: number, months: number, days: number, micros: number): void {
  const b = k * 4;
  out[b] = months;
  out[b + 1] = days;
  const uh = Math.floor(micros / 4294967296);
  const ul = micros - uh * 4294967296;
  const p = ul * 1000;
  const carry = Math.floor(p / 4294967296);
  out[b + 2] = (p - carry * 4294967296) | 0;
  out[b + 3] = (uh * 1000 + carry) | 0;
}
