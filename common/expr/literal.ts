// Literal values in the kernel domain, and per-value casts shared by the coordinator (constant
// folding) and the worker kernels. Kernel domain per type:
//   boolean -> boolean; integer, date, double, short decimal (scaled integer) -> number;
//   bigint, timestamp, timestamptz, long decimal (scaled integer) -> bigint; varchar -> string;
//   interval -> its "months:days:micros" string (common/time/interval.ts); NULL -> null.
// Casts that depend on the session time zone (timestamptz <-> text, timestamp, date) take the
// zone as an argument; plans carry it explicitly (coordinator/planner/session-zone.ts).
import { assertNever } from '../assert.js';
import { SqlError } from '../errors.js';
import { formatTimestamptz } from '../format/datetime.js';
import { SqlStates } from '../sqlstate.js';
import { decodeInterval, encodeInterval, formatInterval, parseInterval } from '../time/interval.js';
import { parseTimestampLocal, parseTimestamptz } from '../time/timestamp-text.js';
import { localToUtc, UTC, utcToLocal, type Zone } from '../time/zone.js';
import { type DataType, isShortDecimal, typeToSql } from '../types.js';
import type { LiteralValue } from './expr.js';

export type KernelValue = null | boolean | number | bigint | string;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MICROS_PER_DAY = 86_400_000_000n;

/** LiteralValue (JSON encoding, see expr.ts) -> kernel value of `t`. */
export function decodeLiteral(v: LiteralValue, t: DataType): KernelValue {
  if (v === null) return null;
  switch (t.kind) {
    case 'boolean':
      return typeof v === 'boolean' ? v : v === 'true' || v === 1;
    case 'integer':
    case 'date':
      return Number(v);
    case 'double':
      return typeof v === 'number' ? v : Number(v);
    case 'bigint':
    case 'timestamp':
    case 'timestamptz':
      return BigInt(typeof v === 'number' ? Math.trunc(v) : String(v));
    case 'decimal': {
      const big = BigInt(typeof v === 'number' ? Math.trunc(v) : String(v));
      return isShortDecimal(t) ? Number(big) : big;
    }
    case 'varchar':
    case 'interval':
      return String(v);
    case 'unknown':
      return null;
    default:
      return assertNever(t, 'type');
  }
}

/** Kernel value -> LiteralValue (JSON-safe). */
export function encodeLiteral(v: KernelValue, t: DataType): LiteralValue {
  if (v === null) return null;
  switch (t.kind) {
    case 'boolean':
      return Boolean(v);
    case 'integer':
    case 'date':
      return Number(v);
    case 'double': {
      const x = Number(v);
      if (Number.isNaN(x)) return 'NaN';
      if (x === Number.POSITIVE_INFINITY) return 'Infinity';
      if (x === Number.NEGATIVE_INFINITY) return '-Infinity';
      return x;
    }
    case 'bigint':
    case 'timestamp':
    case 'timestamptz':
    case 'decimal':
      return typeof v === 'bigint' ? v.toString() : BigInt(Math.trunc(Number(v))).toString();
    case 'varchar':
    case 'interval':
      return String(v);
    case 'unknown':
      return null;
    default:
      return assertNever(t, 'type');
  }
}

/** Constant folding of CAST: same semantics as the worker kernels. */
export function castLiteral(v: LiteralValue, from: DataType, to: DataType, zone: Zone = UTC): LiteralValue {
  return encodeLiteral(castValue(decodeLiteral(v, from), from, to, zone), to);
}

/** A per-value caster for kernel values (NULL in, NULL out). */
export function makeCaster(from: DataType, to: DataType, zone: Zone = UTC): (v: KernelValue) => KernelValue {
  return (v) => castValue(v, from, to, zone);
}

function cannotCast(from: DataType, to: DataType): never {
  throw new SqlError(SqlStates.cannotCoerce, `cannot cast type ${typeToSql(from)} to ${typeToSql(to)}`);
}

export function outOfRange(type: string): never {
  throw new SqlError(SqlStates.numericValueOutOfRange, `${type} out of range`);
}

/**
 * CAST of one kernel value. `zone` is the session time zone, used by conversions between
 * timestamptz and text, timestamp or date (UTC when the caller has none).
 */
export function castValue(v: KernelValue, from: DataType, to: DataType, zone: Zone = UTC): KernelValue {
  if (v === null) return null;
  // A non-NULL value of unknown type is an untyped string literal: cast it as text.
  if (from.kind === 'unknown') return typeof v === 'string' ? castValue(v, { kind: 'varchar' }, to, zone) : null;
  switch (to.kind) {
    case 'unknown':
      return null;
    case 'varchar':
      return formatValue(v, from, zone);
    case 'boolean':
      switch (from.kind) {
        case 'boolean':
          return v;
        case 'varchar':
          return parseBoolean(String(v));
        case 'integer':
        case 'double':
        case 'bigint':
        case 'decimal':
          return typeof v === 'bigint' ? v !== 0n : v !== 0;
        default:
          return cannotCast(from, to);
      }
    case 'integer':
    case 'bigint':
    case 'double':
    case 'decimal':
      return castToNumeric(v, from, to);
    case 'date':
      switch (from.kind) {
        case 'date':
          return v;
        case 'varchar':
          return parseDate(String(v));
        case 'timestamp':
          return floorDiv(v as bigint, MICROS_PER_DAY);
        case 'timestamptz':
          return floorDiv(utcToLocal(v as bigint, zone), MICROS_PER_DAY);
        default:
          return cannotCast(from, to);
      }
    case 'timestamp':
      switch (from.kind) {
        case 'timestamp':
          return v;
        case 'varchar':
          return parseTimestamp(String(v));
        case 'date':
          return BigInt(v as number) * MICROS_PER_DAY;
        case 'timestamptz':
          return utcToLocal(v as bigint, zone);
        default:
          return cannotCast(from, to);
      }
    case 'timestamptz':
      switch (from.kind) {
        case 'timestamptz':
          return v;
        case 'varchar':
          return parseTimestamptz(String(v), zone);
        case 'timestamp':
          return localToUtc(v as bigint, zone);
        case 'date':
          return localToUtc(BigInt(v as number) * MICROS_PER_DAY, zone);
        default:
          return cannotCast(from, to);
      }
    case 'interval':
      switch (from.kind) {
        case 'interval':
          return v;
        case 'varchar':
          return encodeInterval(parseInterval(String(v)));
        default:
          return cannotCast(from, to);
      }
    default:
      return assertNever(to, 'type');
  }
}

function floorDiv(a: bigint, b: bigint): number {
  let q = a / b;
  if (a % b !== 0n && a < 0n) q -= 1n;
  return Number(q);
}

function castToNumeric(v: KernelValue, from: DataType, to: DataType): KernelValue {
  // Normalise the source to either a finite-or-not double, or an exact scaled bigint.
  let exact: bigint | null = null;
  let scale = 0;
  let dbl = 0;
  switch (from.kind) {
    case 'boolean':
      exact = v ? 1n : 0n;
      break;
    case 'integer':
      exact = BigInt(v as number);
      break;
    case 'bigint':
      exact = v as bigint;
      break;
    case 'decimal':
      exact = typeof v === 'bigint' ? v : BigInt(v as number);
      scale = from.scale;
      break;
    case 'double':
      dbl = v as number;
      break;
    case 'varchar': {
      const s = String(v);
      switch (to.kind) {
        case 'integer':
          return parseIntegerText(s, 'integer');
        case 'bigint':
          return parseIntegerText(s, 'bigint');
        case 'double':
          return parseDouble(s);
        case 'decimal':
          return parseDecimal(s, to.precision, to.scale);
        default:
          return cannotCast(from, to);
      }
    }
    default:
      return cannotCast(from, to);
  }
  if (exact === null) {
    // from double
    switch (to.kind) {
      case 'double':
        return dbl;
      case 'integer': {
        if (!Number.isFinite(dbl)) outOfRange('integer');
        const r = roundHalfEven(dbl);
        if (r < INT32_MIN || r > INT32_MAX) outOfRange('integer');
        return r;
      }
      case 'bigint': {
        if (!Number.isFinite(dbl)) outOfRange('bigint');
        const r = BigInt(roundHalfEven(dbl));
        if (r < INT64_MIN || r > INT64_MAX) outOfRange('bigint');
        return r;
      }
      case 'decimal': {
        if (!Number.isFinite(dbl)) {
          throw new SqlError(SqlStates.numericValueOutOfRange, `cannot convert ${dbl} to numeric`);
        }
        // Through the shortest decimal text: 0.1 -> "0.1" -> exactly 1 at scale 1.
        return parseDecimal(formatDouble(dbl), to.precision, to.scale);
      }
      default:
        return cannotCast(from, to);
    }
  }
  switch (to.kind) {
    case 'double':
      return scale === 0 ? Number(exact) : bigDecimalToDouble(exact, scale);
    case 'integer': {
      const r = rescaleBig(exact, scale, 0);
      if (r < BigInt(INT32_MIN) || r > BigInt(INT32_MAX)) outOfRange('integer');
      return Number(r);
    }
    case 'bigint': {
      const r = rescaleBig(exact, scale, 0);
      if (r < INT64_MIN || r > INT64_MAX) outOfRange('bigint');
      return r;
    }
    case 'decimal': {
      const r = rescaleBig(exact, scale, to.scale);
      return fitDecimal(r, to.precision, to.scale);
    }
    default:
      return cannotCast(from, to);
  }
}

/** Checks precision and returns the kernel representation (number when short). */
export function fitDecimal(r: bigint, precision: number, scale: number): number | bigint {
  const limit = POW10_BIG[precision] as bigint;
  if (r >= limit || r <= -limit) {
    throw new SqlError(
      SqlStates.numericValueOutOfRange,
      'numeric field overflow',
      undefined,
      precision > scale
        ? {
            detail: `A field with precision ${precision}, scale ${scale} must round to an absolute value less than 10^${precision - scale}.`,
          }
        : {},
    );
  }
  return precision <= 15 ? Number(r) : r;
}

export const POW10_BIG: readonly bigint[] = Array.from({ length: 80 }, (_, i) => 10n ** BigInt(i));
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Rescales a scaled integer, rounding half away from zero when the scale shrinks. */
export function rescaleBig(v: bigint, from: number, to: number): bigint {
  if (to === from) return v;
  if (to > from) return v * (POW10_BIG[to - from] as bigint);
  return divRoundHalfAway(v, POW10_BIG[from - to] as bigint);
}

/** a / b rounded half away from zero (b != 0). */
export function divRoundHalfAway(a: bigint, b: bigint): bigint {
  const q = a / b;
  const r = a % b;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  const babs = b < 0n ? -b : b;
  if (twice >= babs) return a < 0n !== b < 0n ? q - 1n : q + 1n;
  return q;
}

export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // Math.round rounds .5 up; correct exact halves to even.
  if (r - x === 0.5 && r % 2 !== 0) return r - 1;
  return r;
}

export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

export function bigDecimalToDouble(v: bigint, scale: number): number {
  if (scale === 0) return Number(v);
  return Number(formatDecimal(v, scale));
}

// ---- text <-> values ----

function invalidText(type: string, s: string): never {
  throw new SqlError(SqlStates.invalidTextRepresentation, `invalid input syntax for type ${type}: "${s}"`);
}

export function parseBoolean(s: string): boolean {
  const t = s.trim().toLowerCase();
  if (t.length > 0) {
    if ('true'.startsWith(t) || 'yes'.startsWith(t) || t === 'on' || t === '1') return true;
    if ('false'.startsWith(t) || (t.length > 0 && 'no'.startsWith(t)) || t === 'off' || t === '0') return false;
  }
  return invalidText('boolean', s);
}

const INT_RE = /^[+-]?\d+$/;

function parseIntegerText(s: string, type: 'integer' | 'bigint'): number | bigint {
  const t = s.trim();
  if (!INT_RE.test(t)) return invalidText(type, s);
  const b = BigInt(t);
  if (type === 'integer') {
    if (b < BigInt(INT32_MIN) || b > BigInt(INT32_MAX)) {
      throw new SqlError(SqlStates.numericValueOutOfRange, `value "${s}" is out of range for type integer`);
    }
    return Number(b);
  }
  if (b < INT64_MIN || b > INT64_MAX) {
    throw new SqlError(SqlStates.numericValueOutOfRange, `value "${s}" is out of range for type bigint`);
  }
  return b;
}

export function parseInteger(s: string): number {
  return parseIntegerText(s, 'integer') as number;
}
export function parseBigint(s: string): bigint {
  return parseIntegerText(s, 'bigint') as bigint;
}

const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export function parseDouble(s: string): number {
  const t = s.trim();
  if (FLOAT_RE.test(t)) {
    const x = Number(t);
    if (!Number.isFinite(x)) {
      throw new SqlError(SqlStates.numericValueOutOfRange, `"${s}" is out of range for type double precision`);
    }
    return x;
  }
  const l = t.toLowerCase();
  if (l === 'nan') return Number.NaN;
  if (l === 'infinity' || l === '+infinity' || l === 'inf' || l === '+inf') return Number.POSITIVE_INFINITY;
  if (l === '-infinity' || l === '-inf') return Number.NEGATIVE_INFINITY;
  return invalidText('double precision', s);
}

/** Text -> scaled decimal of (precision, scale), rounding half away from zero. */
export function parseDecimal(s: string, precision: number, scale: number): number | bigint {
  const t = s.trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(t);
  if (!m || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) return invalidText('numeric', s);
  const neg = m[1] === '-';
  const intPart = m[2] ?? '';
  const frac = m[3] ?? '';
  const exp = m[4] ? Number(m[4]) : 0;
  // digits as an integer with scale = frac.length - exp
  let digits = BigInt((intPart + frac).replace(/^0+(?=\d)/, '') || '0');
  let sc = frac.length - exp;
  if (sc < 0) {
    digits *= 10n ** BigInt(-sc);
    sc = 0;
  }
  let r = rescaleBig(digits, sc, scale);
  if (neg) r = -r;
  return fitDecimal(r, precision, scale);
}

export function formatDecimal(v: number | bigint, scale: number): string {
  const b = typeof v === 'bigint' ? v : BigInt(v);
  const neg = b < 0n;
  let digits = (neg ? -b : b).toString();
  if (scale === 0) return (neg ? '-' : '') + digits;
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  const cut = digits.length - scale;
  return `${neg ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/** PostgreSQL's float8 output (shortest round-trip, exponent with at least two digits). */
export function formatDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return 'Infinity';
  if (x === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (Object.is(x, -0)) return '-0';
  const s = String(x);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const mant = s.slice(0, e);
  const sign = s[e + 1] === '-' ? '-' : '+';
  let ex = s.slice(e + 2);
  if (ex.length < 2) ex = `0${ex}`;
  return `${mant}e${sign}${ex}`;
}

// Proleptic Gregorian calendar arithmetic (Howard Hinnant's days_from_civil / civil_from_days).
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** days -> [year, month, day] written into `out`. */
export function civilFromDays(z: number, out: Int32Array): void {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  out[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  out[1] = m;
  out[2] = d;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function fieldOutOfRange(s: string, type: string): never {
  throw new SqlError(SqlStates.datetimeFieldOverflow, `date/time field value out of range: "${s}"`, undefined, {
    hint: `type ${type}`,
  });
}

const DATE_RE = /^(\d{1,6})-(\d{1,2})-(\d{1,2})$/;
const TS_RE = /^(\d{1,6})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;

export function parseDate(s: string): number {
  const m = DATE_RE.exec(s.trim()) ?? TS_RE.exec(s.trim());
  if (!m) throw new SqlError(SqlStates.invalidDatetimeFormat, `invalid input syntax for type date: "${s}"`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) fieldOutOfRange(s, 'date');
  return daysFromCivil(y, mo, d);
}

/** timestamp input ('2024-01-01 10:00:00[.f]', 'T' separator, 'infinity'; a zone suffix is ignored). */
export function parseTimestamp(s: string): bigint {
  return parseTimestampLocal(s);
}

const ymd = new Int32Array(3);
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function formatDate(days: number): string {
  civilFromDays(days, ymd);
  const y = ymd[0] as number;
  const ys = y < 0 ? `${String(1 - y).padStart(4, '0')}` : String(y).padStart(4, '0');
  return `${ys}-${pad2(ymd[1] as number)}-${pad2(ymd[2] as number)}${y <= 0 ? ' BC' : ''}`;
}

export function formatTimestamp(us: bigint): string {
  if (us === INT64_MAX) return 'infinity';
  if (us === INT64_MIN) return '-infinity';
  let days = us / MICROS_PER_DAY;
  let rem = us % MICROS_PER_DAY;
  if (rem < 0n) {
    rem += MICROS_PER_DAY;
    days -= 1n;
  }
  const r = Number(rem);
  const secs = Math.floor(r / 1_000_000);
  const micros = r % 1_000_000;
  const hh = Math.floor(secs / 3600);
  const mi = Math.floor((secs % 3600) / 60);
  const ss = secs % 60;
  const date = formatDate(Number(days));
  const bc = date.endsWith(' BC');
  let out = `${bc ? date.slice(0, -3) : date} ${pad2(hh)}:${pad2(mi)}:${pad2(ss)}`;
  if (micros !== 0) out += `.${String(micros).padStart(6, '0').replace(/0+$/, '')}`;
  return bc ? `${out} BC` : out;
}

/** The text form of a kernel value, as PostgreSQL prints it (timestamptz in `zone`). */
export function formatValue(v: KernelValue, t: DataType, zone: Zone = UTC): string | null {
  if (v === null) return null;
  switch (t.kind) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'integer':
    case 'bigint':
      return String(v);
    case 'double':
      return formatDouble(v as number);
    case 'decimal':
      return formatDecimal(v as number | bigint, t.scale);
    case 'varchar':
      return String(v);
    case 'date':
      return formatDate(v as number);
    case 'timestamp':
      return formatTimestamp(v as bigint);
    case 'timestamptz':
      return formatTimestamptz(v as bigint, zone);
    case 'interval': {
      const iv = decodeInterval(String(v));
      return formatInterval(iv.months, iv.days, iv.micros);
    }
    case 'unknown':
      return null;
    default:
      return assertNever(t, 'type');
  }
}
