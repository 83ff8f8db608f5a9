// Helpers for the scalar functions the generated kernels call (string, regex, math, date).
// Strings are UTF-8 byte ranges (buf, start, end); results that are a sub-range of the input go
// to RANGE, new strings are appended to the row arena.
import { createHash } from 'node:crypto';
import { SqlError } from '../../common/errors.js';
import { civilFromDays, daysFromCivil } from '../../common/expr/literal.js';
import { SqlStates } from '../../common/sqlstate.js';
import { type Arena, decodeUtf8, eqBytes, RANGE } from './runtime.js';

// ---- strings ----

/** Code point index (1-based) of the first occurrence of needle in hay; 0 when absent. */
export function strpos(h: Uint8Array, hs: number, he: number, n: Uint8Array, ns: number, ne: number): number {
  const len = ne - ns;
  if (len === 0) return 1;
  const last = he - len;
  const c0 = n[ns]!;
  outer: for (let q = hs; q <= last; q++) {
    if (h[q] !== c0) continue;
    for (let k = 1; k < len; k++) if (h[q + k] !== n[ns + k]) continue outer;
    let cp = 1;
    for (let p = hs; p < q; p++) if ((h[p]! & 0xc0) !== 0x80) cp++;
    return cp;
  }
  return 0;
}

export function startsWith(b: Uint8Array, s: number, e: number, p: Uint8Array, ps: number, pe: number): boolean {
  const n = pe - ps;
  return e - s >= n && eqBytes(b, s, s + n, p, ps, pe);
}

/** mode: 0 both ends, 1 leading, 2 trailing; `chars` is the set of code points to strip. */
export function trimChars(
  b: Uint8Array,
  s: number,
  e: number,
  c: Uint8Array,
  cs: number,
  ce: number,
  mode: number,
): void {
  let ascii = true;
  for (let q = cs; q < ce; q++) if (c[q]! >= 0x80) ascii = false;
  if (ascii) {
    if (mode !== 2) while (s < e && inSet(c, cs, ce, b[s]!)) s++;
    if (mode !== 1) while (e > s && inSet(c, cs, ce, b[e - 1]!)) e--;
    RANGE[0] = s;
    RANGE[1] = e;
    return;
  }
  const set = new Set(Array.from(decodeUtf8(c, cs, ce), (ch) => ch.codePointAt(0)!));
  if (mode !== 2) {
    while (s < e) {
      const c2 = codePointAt(b, s);
      if (!set.has(c2[0]!)) break;
      s += c2[1]!;
    }
  }
  if (mode !== 1) {
    while (e > s) {
      let p = e - 1;
      while (p > s && (b[p]! & 0xc0) === 0x80) p--;
      if (!set.has(codePointAt(b, p)[0]!)) break;
      e = p;
    }
  }
  RANGE[0] = s;
  RANGE[1] = e;
}

function inSet(c: Uint8Array, cs: number, ce: number, x: number): boolean {
  for (let q = cs; q < ce; q++) if (c[q] === x) return true;
  return false;
}

const CP = new Int32Array(2);
function codePointAt(b: Uint8Array, q: number): Int32Array {
  const x = b[q]!;
  if (x < 0x80) {
    CP[0] = x;
    CP[1] = 1;
  } else if (x < 0xe0) {
    CP[0] = ((x & 0x1f) << 6) | (b[q + 1]! & 0x3f);
    CP[1] = 2;
  } else if (x < 0xf0) {
    CP[0] = ((x & 0x0f) << 12) | ((b[q + 1]! & 0x3f) << 6) | (b[q + 2]! & 0x3f);
    CP[1] = 3;
  } else {
    CP[0] = ((x & 0x07) << 18) | ((b[q + 1]! & 0x3f) << 12) | ((b[q + 2]! & 0x3f) << 6) | (b[q + 3]! & 0x3f);
    CP[1] = 4;
  }
  return CP;
}

export function replace(
  a: Arena,
  b: Uint8Array,
  s: number,
  e: number,
  f: Uint8Array,
  fs: number,
  fe: number,
  t: Uint8Array,
  ts: number,
  te: number,
): void {
  const n = fe - fs;
  if (n === 0) {
    a.append(b, s, e);
    return;
  }
  let from = s;
  const last = e - n;
  outer: for (let q = s; q <= last; q++) {
    for (let k = 0; k < n; k++) if (b[q + k] !== f[fs + k]) continue outer;
    a.append(b, from, q);
    a.append(t, ts, te);
    q += n - 1;
    from = q + 1;
  }
  a.append(b, from, e);
}

/** split_part: field n (1-based; negative counts from the end), empty when out of range. */
export function splitPart(b: Uint8Array, s: number, e: number, d: Uint8Array, ds: number, de: number, n: number): void {
  if (n === 0) throw new SqlError(SqlStates.invalidParameterValue, 'field position must not be zero');
  const dl = de - ds;
  const starts: number[] = [s];
  const ends: number[] = [];
  if (dl > 0) {
    outer: for (let q = s; q <= e - dl; q++) {
      for (let k = 0; k < dl; k++) if (b[q + k] !== d[ds + k]) continue outer;
      ends.push(q);
      starts.push(q + dl);
      q += dl - 1;
    }
  }
  ends.push(e);
  // PostgreSQL: an empty input has no fields.
  const count = e === s ? 0 : starts.length;
  const k = n > 0 ? n - 1 : count + n;
  if (k < 0 || k >= count) {
    RANGE[0] = s;
    RANGE[1] = s;
    return;
  }
  RANGE[0] = starts[k]!;
  RANGE[1] = ends[k]!;
}

/** Byte offset after `n` code points from s (capped at e). */
function skipChars(b: Uint8Array, s: number, e: number, n: number): number {
  let q = s;
  for (let k = 0; k < n && q < e; k++) {
    q++;
    while (q < e && (b[q]! & 0xc0) === 0x80) q++;
  }
  return q;
}

function charCount(b: Uint8Array, s: number, e: number): number {
  let n = 0;
  for (let q = s; q < e; q++) if ((b[q]! & 0xc0) !== 0x80) n++;
  return n;
}

/** left(s, n): first n characters; negative n: all but the last |n|. */
export function left(b: Uint8Array, s: number, e: number, n: number): void {
  const keep = n >= 0 ? n : Math.max(0, charCount(b, s, e) + n);
  RANGE[0] = s;
  RANGE[1] = skipChars(b, s, e, keep);
}

/** right(s, n): last n characters; negative n: all but the first |n|. */
export function right(b: Uint8Array, s: number, e: number, n: number): void {
  const total = charCount(b, s, e);
  const drop = n >= 0 ? Math.max(0, total - n) : Math.min(total, -n);
  RANGE[0] = skipChars(b, s, e, drop);
  RANGE[1] = e;
}

export function reverse(a: Arena, b: Uint8Array, s: number, e: number): void {
  a.reserve(e - s);
  const out = a.buf;
  let p = a.pos;
  let q = e;
  while (q > s) {
    let st = q - 1;
    while (st > s && (b[st]! & 0xc0) === 0x80) st--;
    for (let k = st; k < q; k++) out[p++] = b[k]!;
    q = st;
  }
  a.pos = p;
}

export function repeat(a: Arena, b: Uint8Array, s: number, e: number, n: number): void {
  if (n <= 0 || e === s) return;
  if ((e - s) * n > 1 << 28) throw new SqlError(SqlStates.programLimitExceeded, 'requested length too large');
  for (let k = 0; k < n; k++) a.append(b, s, e);
}

/** lpad/rpad to `len` characters with `fill` (truncating when longer, like PostgreSQL). */
export function pad(
  a: Arena,
  b: Uint8Array,
  s: number,
  e: number,
  len: number,
  f: Uint8Array,
  fs: number,
  fe: number,
  leftSide: boolean,
): void {
  if (len <= 0) return;
  const have = charCount(b, s, e);
  if (have >= len) {
    a.append(b, s, skipChars(b, s, e, len));
    return;
  }
  if (len > 1 << 28) throw new SqlError(SqlStates.programLimitExceeded, 'requested length too large');
  const fillChars = charCount(f, fs, fe);
  const appendFill = (): void => {
    if (fillChars === 0) return;
    let need = len - have;
    while (need >= fillChars) {
      a.append(f, fs, fe);
      need -= fillChars;
    }
    a.append(f, fs, skipChars(f, fs, fe, need));
  };
  if (leftSide) appendFill();
  a.append(b, s, e);
  if (!leftSide) appendFill();
}

/**
 * initcap: first letter of each run of ASCII letters and digits upper case, the rest lower case;
 * other characters are kept (PostgreSQL in the C locale).
 */
export function initcap(a: Arena, b: Uint8Array, s: number, e: number): void {
  a.reserve(e - s);
  const out = a.buf;
  let p = a.pos;
  let inWord = false;
  for (let q = s; q < e; q++) {
    const c = b[q]!;
    const lower = c >= 97 && c <= 122;
    const upper = c >= 65 && c <= 90;
    if (lower || upper) {
      out[p++] = inWord ? (upper ? c + 32 : c) : lower ? c - 32 : c;
      inWord = true;
    } else {
      out[p++] = c;
      inWord = c >= 48 && c <= 57;
    }
  }
  a.pos = p;
}

export function chr(a: Arena, n: number): void {
  if (n < 0) throw new SqlError(SqlStates.invalidParameterValue, 'character number must be positive');
  if (n === 0) throw new SqlError(SqlStates.programLimitExceeded, 'null character not permitted');
  if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) {
    throw new SqlError(SqlStates.programLimitExceeded, `requested character too large for encoding: ${n}`);
  }
  a.appendString(String.fromCodePoint(n));
}

export function ascii(b: Uint8Array, s: number, e: number): number {
  return e === s ? 0 : codePointAt(b, s)[0]!;
}

export function md5(a: Arena, b: Uint8Array, s: number, e: number): void {
  a.appendString(createHash('md5').update(b.subarray(s, e)).digest('hex'));
}

// ---- regular expressions (PostgreSQL ARE syntax translated to JS where they agree) ----

const POSIX_CLASSES: Record<string, string> = {
  alpha: '\\p{L}',
  digit: '0-9',
  alnum: '\\p{L}\\p{N}',
  upper: '\\p{Lu}',
  lower: '\\p{Ll}',
  space: '\\s',
  blank: ' \\t',
  punct: '\\p{P}\\p{S}',
  xdigit: '0-9A-Fa-f',
  word: '\\w',
  cntrl: '\\p{Cc}',
  print: '\\P{C}',
  graph: '\\p{L}\\p{N}\\p{P}\\p{S}',
};

function translatePattern(p: string): string {
  return p
    .replace(/\[:([a-z]+):\]/g, (m, name: string) => POSIX_CLASSES[name] ?? m)
    .replace(/\\y/g, '\\b')
    .replace(/\\Y/g, '\\B')
    .replace(/\\m/g, '\\b(?=\\w)')
    .replace(/\\M/g, '\\b(?<=\\w)')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$');
}

/** PostgreSQL flags -> a JS RegExp; invalid patterns or flags raise 2201B / 22023. */
export function compileRegex(pattern: string, flags: string): RegExp {
  let js = 's';
  let global = false;
  for (const f of flags) {
    switch (f) {
      case 'i':
        if (!js.includes('i')) js += 'i';
        break;
      case 'c':
        js = js.replace('i', '');
        break;
      case 'g':
        global = true;
        break;
      case 'n':
      case 'm':
        js = `${js.replace('s', '')}m`;
        break;
      case 's':
        break;
      default:
        throw new SqlError(SqlStates.invalidParameterValue, `invalid regular expression option: "${f}"`);
    }
  }
  if (global) js += 'g';
  const src = translatePattern(pattern);
  try {
    return new RegExp(src, `${js}u`);
  } catch {
    try {
      return new RegExp(src, js);
    } catch (e) {
      throw new SqlError(
        SqlStates.invalidRegularExpression,
        `invalid regular expression: ${e instanceof Error ? e.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : String(e)}`,
      );
    }
  }
}

/** PostgreSQL replacement text (\1..\9, \&, \\) -> JS replacement ($1, $&, \). */
export function translateReplacement(r: string): string {
  let out = '';
  for (let k = 0; k < r.length; k++) {
    const c = r[k]!;
    if (c === '$') out += '$$';
    else if (c === '\\' && k + 1 < r.length) {
      const n = r[k + 1]!;
      if (n >= '1' && n <= '9') out += `$${n}`;
      else if (n === '&') out += '$&';
      else out += n;
      k++;
    } else out += c;
  }
  return out;
}

/** Cache of the last compiled pattern, for non-constant patterns. */
export class DynamicRegex {
  private key = '';
  private re: RegExp | null = null;
  get(pattern: string, flags: string): RegExp {
    const key = `${flags}/${pattern}`;
    if (this.re === null || key !== this.key) {
      this.re = compileRegex(pattern, flags);
      this.key = key;
    }
    return this.re;
  }
}

export function regexTest(re: RegExp, b: Uint8Array, s: number, e: number): boolean {
  re.lastIndex = 0;
  return re.test(decodeUtf8(b, s, e));
}

export function regexReplace(a: Arena, re: RegExp, b: Uint8Array, s: number, e: number, replacement: string): void {
  re.lastIndex = 0;
  a.appendString(decodeUtf8(b, s, e).replace(re, replacement));
}

// ---- math ----

export function sqrt(x: number): number {
  if (x < 0) throw new SqlError(SqlStates.invalidArgumentForPower, 'cannot take square root of a negative number');
  return Math.sqrt(x);
}

export function ln(x: number): number {
  if (x === 0) throw new SqlError(SqlStates.invalidArgumentForLog, 'cannot take logarithm of zero');
  if (x < 0) throw new SqlError(SqlStates.invalidArgumentForLog, 'cannot take logarithm of a negative number');
  return Math.log(x);
}

export function log10(x: number): number {
  ln(x);
  return Math.log10(x);
}

export function logBase(b: number, x: number): number {
  const lb = ln(b);
  const lx = ln(x);
  if (lb === 0) throw new SqlError(SqlStates.divisionByZero, 'division by zero');
  return lx / lb;
}

export function power(x: number, y: number): number {
  if (x === 0 && y < 0) {
    throw new SqlError(SqlStates.invalidArgumentForPower, 'zero raised to a negative power is undefined');
  }
  if (x < 0 && !Number.isInteger(y) && Number.isFinite(y)) {
    throw new SqlError(
      SqlStates.invalidArgumentForPower,
      'a negative number raised to a non-integer power yields a complex result',
    );
  }
  const r = x ** y;
  if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) {
    throw new SqlError(SqlStates.numericValueOutOfRange, 'value out of range: overflow');
  }
  return r;
}

export function exp(x: number): number {
  const r = Math.exp(x);
  if (r === Number.POSITIVE_INFINITY && Number.isFinite(x)) {
    throw new SqlError(SqlStates.numericValueOutOfRange, 'value out of range: overflow');
  }
  return r;
}

export function truncDouble(x: number, d: number): number {
  if (!Number.isFinite(x)) return x;
  if (d === 0) return Math.trunc(x);
  const f = 10 ** d;
  return Math.trunc(x * f) / f;
}

/** trunc(x, d) of a scaled decimal (scale s, kept). */
export function decTrunc(v: bigint, s: number, d: number): bigint {
  if (d >= s) return v;
  const unit = 10n ** BigInt(Math.min(s - d, 78));
  return (v / unit) * unit;
}

// ---- dates ----

const YMD = new Int32Array(3);
const MICROS_PER_DAY = 86_400_000_000n;

function dateOutOfRange(): never {
  throw new SqlError(SqlStates.datetimeFieldOverflow, 'date out of range');
}

export function makeDate(y: number, m: number, d: number): number {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  if (y === 0 || m < 1 || m > 12 || d < 1 || d > dim) {
    const pad = (n: number): string => String(n).padStart(2, '0');
    throw new SqlError(SqlStates.datetimeFieldOverflow, `date field value out of range: ${y}-${pad(m)}-${pad(d)}`);
  }
  // Negative years are BC: year -1 is 1 BC (astronomical year 0).
  return daysFromCivil(y < 0 ? y + 1 : y, m, d);
}

/** Units of date_trunc / date_add / date_diff, as numbers the kernels switch on. */
export const UNITS: Readonly<Record<string, number>> = {
  microsecond: 0,
  microseconds: 0,
  millisecond: 1,
  milliseconds: 1,
  second: 2,
  seconds: 2,
  minute: 3,
  minutes: 3,
  hour: 4,
  hours: 4,
  day: 5,
  days: 5,
  week: 6,
  weeks: 6,
  month: 7,
  months: 7,
  quarter: 8,
  quarters: 8,
  year: 9,
  years: 9,
  decade: 10,
  decades: 10,
  century: 11,
  centuries: 11,
  millennium: 12,
  millennia: 12,
};
const UNIT_MICROS = [1n, 1000n, 1_000_000n, 60_000_000n, 3_600_000_000n, MICROS_PER_DAY, 7n * MICROS_PER_DAY];

export function unitOf(name: string, fn: string): number {
  const u = UNITS[name.toLowerCase()];
  if (u === undefined) {
    throw new SqlError(SqlStates.invalidParameterValue, `unit "${name}" not recognized for ${fn}`);
  }
  return u;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** date_trunc(unit, timestamp) -> timestamp. */
export function dateTrunc(unit: number, us: bigint): bigint {
  if (unit <= 5) {
    const m = UNIT_MICROS[unit]!;
    return floorDiv(us, m) * m;
  }
  const days = Number(floorDiv(us, MICROS_PER_DAY));
  return BigInt(truncDays(unit, days)) * MICROS_PER_DAY;
}

function truncDays(unit: number, days: number): number {
  if (unit === 6) return days - ((((days + 3) % 7) + 7) % 7); // ISO week starts Monday
  civilFromDays(days, YMD);
  const y = YMD[0]!;
  const m = YMD[1]!;
  switch (unit) {
    case 7:
      return daysFromCivil(y, m, 1);
    case 8:
      return daysFromCivil(y, m - ((m - 1) % 3), 1);
    case 9:
      return daysFromCivil(y, 1, 1);
    case 10:
      return daysFromCivil(y - (((y % 10) + 10) % 10), 1, 1);
    case 11:
      return daysFromCivil(y > 0 ? Math.floor((y - 1) / 100) * 100 + 1 : y, 1, 1);
    default:
      return daysFromCivil(y > 0 ? Math.floor((y - 1) / 1000) * 1000 + 1 : y, 1, 1);
  }
}

function addMonths(days: number, months: number): number {
  civilFromDays(days, YMD);
  const total = YMD[0]! * 12 + (YMD[1]! - 1) + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return daysFromCivil(y, m, Math.min(YMD[2]!, dim));
}

const MONTHS_PER_UNIT = [0, 0, 0, 0, 0, 0, 0, 1, 3, 12, 120, 1200, 12000];

/** date_add(unit, n, date) -> date (units day and longer). */
export function dateAddDays(unit: number, n: number, days: number): number {
  let r: number;
  if (unit === 5) r = days + n;
  else if (unit === 6) r = days + 7 * n;
  else if (unit >= 7) r = addMonths(days, n * MONTHS_PER_UNIT[unit]!);
  else throw new SqlError(SqlStates.invalidParameterValue, 'date_add on a date needs a unit of a day or longer');
  if (!Number.isFinite(r) || r < -2_451_545 - 2_000_000 || r > 2_932_896 * 100) dateOutOfRange();
  return r;
}

/** date_add(unit, n, timestamp) -> timestamp. */
export function dateAddMicros(unit: number, n: bigint, us: bigint): bigint {
  if (unit <= 6) return us + n * UNIT_MICROS[unit]!;
  const days = floorDiv(us, MICROS_PER_DAY);
  const tod = us - days * MICROS_PER_DAY;
  return BigInt(addMonths(Number(days), Number(n) * MONTHS_PER_UNIT[unit]!)) * MICROS_PER_DAY + tod;
}

/** Whole months from a to b (Trino's date_diff semantics: complete months). */
function monthsBetween(da: number, ta: bigint, db: number, tb: bigint): number {
  civilFromDays(da, YMD);
  const ya = YMD[0]!;
  const ma = YMD[1]!;
  const dda = YMD[2]!;
  civilFromDays(db, YMD);
  let months = (YMD[0]! - ya) * 12 + (YMD[1]! - ma);
  const later = YMD[2]! > dda || (YMD[2] === dda && tb >= ta);
  const earlier = YMD[2]! < dda || (YMD[2] === dda && tb <= ta);
  if (months > 0 && !later) months--;
  if (months < 0 && !earlier) months++;
  return months;
}

/** date_diff(unit, a, b) over timestamps in µs: complete units from a to b. */
export function dateDiff(unit: number, a: bigint, b: bigint): bigint {
  if (unit <= 6) return (b - a) / UNIT_MICROS[unit]!;
  const da = floorDiv(a, MICROS_PER_DAY);
  const db = floorDiv(b, MICROS_PER_DAY);
  const months = monthsBetween(Number(da), a - da * MICROS_PER_DAY, Number(db), b - db * MICROS_PER_DAY);
  return BigInt(Math.trunc(months / MONTHS_PER_UNIT[unit]!));
}
