// date and timestamp output in PostgreSQL's ISO DateStyle: proleptic Gregorian calendar,
// years <= 0 printed as (1 - year) with " BC", four-digit minimum year, and 'infinity' /
// '-infinity' for the sentinel values PostgreSQL uses.
import { formatOffset, type Zone } from '../time/zone.js';

const MICROS_PER_DAY = 86_400_000_000;
const DATE_NOBEGIN = -2147483648;
const DATE_NOEND = 2147483647;
const TS_NOBEGIN = -9223372036854775808n;
const TS_NOEND = 9223372036854775807n;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** YYYY-MM-DD of a day count since 1970-01-01, plus whether it is BC. */
function ymd(days: number): { text: string; bc: boolean } {
  // Howard Hinnant's civil_from_days.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  let y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const bc = y <= 0;
  if (bc) y = 1 - y;
  const ys = y < 1000 ? String(y).padStart(4, '0') : String(y);
  return { text: `${ys}-${pad2(m)}-${pad2(d)}`, bc };
}

export function formatDate(days: number): string {
  if (days === DATE_NOBEGIN) return '-infinity';
  if (days === DATE_NOEND) return 'infinity';
  const r = ymd(days);
  return r.bc ? `${r.text} BC` : r.text;
}

/** HH:MM:SS[.ffffff with trailing zeros removed] of microseconds into the day. */
function timeOfDay(us: number): string {
  const secs = Math.floor(us / 1_000_000);
  const frac = us - secs * 1_000_000;
  const h = Math.floor(secs / 3600);
  const mi = Math.floor((secs - h * 3600) / 60);
  const s = secs - h * 3600 - mi * 60;
  const base = `${pad2(h)}:${pad2(mi)}:${pad2(s)}`;
  if (frac === 0) return base;
  let f = String(frac).padStart(6, '0');
  let end = f.length;
  while (f.charCodeAt(end - 1) === 48) end--;
  f = f.slice(0, end);
  return `${base}.${f}`;
}

function formatDayAndTime(day: number, us: number): string {
  const r = ymd(day);
  const t = `${r.text} ${timeOfDay(us)}`;
  return r.bc ? `${t} BC` : t;
}

/** Timestamp from microseconds since the epoch given as a safe integer (|us| < 2^53). */
export function formatTimestampNumber(us: number): string {
  const day = Math.floor(us / MICROS_PER_DAY);
  return formatDayAndTime(day, us - day * MICROS_PER_DAY);
}

export function formatTimestamp(us: bigint): string {
  if (us === TS_NOBEGIN) return '-infinity';
  if (us === TS_NOEND) return 'infinity';
  if (us > -4503599627370496n && us < 4503599627370496n) return formatTimestampNumber(Number(us));
  const perDay = BigInt(MICROS_PER_DAY);
  let day = us / perDay;
  let rem = us - day * perDay;
  if (rem < 0n) {
    rem += perDay;
    day -= 1n;
  }
  return formatDayAndTime(Number(day), Number(rem));
}

/** Timestamp stored as the 64-bit word pair (lo unsigned, hi signed) of a BigInt64Array slot. */
export function formatTimestampWords(lo: number, hi: number): string {
  // |hi| < 2^20 means |us| < 2^52: exact as a double, and day arithmetic stays exact.
  if (hi >= -0x100000 && hi < 0x100000) return formatTimestampNumber(hi * 4294967296 + lo);
  return formatTimestamp((BigInt(hi) << 32n) | BigInt(lo));
}

/**
 * timestamptz in the session zone, PostgreSQL's ISO style: '2024-01-01 03:00:00-05',
 * '2024-01-01 13:30:00+05:30', BC years as '0044-03-15 10:00:00+00:53:28 BC'.
 */
export function formatTimestamptz(us: bigint, zone: Zone): string {
  if (us === TS_NOBEGIN) return '-infinity';
  if (us === TS_NOEND) return 'infinity';
  const n = Number(us);
  const offset = zone.offsetAt(Math.floor(n / 1_000_000));
  // Below 2^52 µs (years 1827-2112 and much more) the arithmetic stays in exact doubles.
  const text =
    n > -4503599627370496 && n < 4503599627370496
      ? formatTimestampNumber(n + offset * 1_000_000)
      : formatTimestamp(us + BigInt(offset) * 1_000_000n);
  const tz = formatOffset(offset);
  return text.endsWith(' BC') ? `${text.slice(0, -3)}${tz} BC` : `${text}${tz}`;
}
