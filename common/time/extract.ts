// The values of extract(field FROM x) as scaled integers of the result's decimal type (see
// fields.ts): 'second' of 01.5 is 1500000 at scale 6. Shared by constant folding and kernels.
import type { ExtractField } from './fields.js';
import { civil, daysFrom } from './interval.js';

const YMD = new Int32Array(3);
const US_PER_DAY = 86_400_000_000n;

function isoWeekParts(days: number): { week: number; year: number } {
  const dow = (((days + 3) % 7) + 7) % 7; // Monday = 0
  const thursday = days - dow + 3;
  civil(thursday, YMD);
  const y = YMD[0]!;
  const jan1 = daysFrom(y, 1, 1);
  return { week: Math.floor((thursday - jan1) / 7) + 1, year: y };
}

/** PostgreSQL's year of an astronomical year (there is no year 0: 1 BC is -1). */
function pgYear(y: number): number {
  return y > 0 ? y : y - 1;
}

/** Fields of a date (days since 1970-01-01), at scale 0. */
export function extractFromDays(field: ExtractField, days: number): number {
  civil(days, YMD);
  const y = YMD[0]!;
  const m = YMD[1]!;
  const d = YMD[2]!;
  // y is astronomical (1 BC = 0), like PostgreSQL's tm_year; 'year' prints 1 BC as -1.
  switch (field) {
    case 'year':
      return pgYear(y);
    case 'month':
      return m;
    case 'day':
      return d;
    case 'quarter':
      return Math.floor((m - 1) / 3) + 1;
    case 'week':
      return isoWeekParts(days).week;
    case 'isoyear':
      return pgYear(isoWeekParts(days).year);
    case 'dow':
      return (((days + 4) % 7) + 7) % 7;
    case 'isodow':
      return ((((days + 3) % 7) + 7) % 7) + 1;
    case 'doy':
      return days - daysFrom(y, 1, 1) + 1;
    case 'decade':
      return y > 0 ? Math.trunc(y / 10) : -Math.trunc((8 - (y - 1)) / 10);
    case 'century':
      return y > 0 ? Math.trunc((y + 99) / 100) : -Math.trunc((99 - (y - 1)) / 100);
    case 'millennium':
      return y > 0 ? Math.trunc((y + 999) / 1000) : -Math.trunc((999 - (y - 1)) / 1000);
    case 'epoch':
      return days * 86400;
    default:
      return 0;
  }
}

/**
 * Fields of a (local) timestamp in µs: 'epoch' is the µs value itself (scale 6, a bigint),
 * 'second' µs within the minute (scale 6), 'milliseconds' the same at scale 3.
 */
export function extractFromTimestamp(field: ExtractField, us: bigint): number | bigint {
  if (field === 'epoch') return us;
  let days = us / US_PER_DAY;
  let rem = us - days * US_PER_DAY;
  if (rem < 0n) {
    rem += US_PER_DAY;
    days -= 1n;
  }
  const tod = Number(rem);
  switch (field) {
    case 'hour':
      return Math.floor(tod / 3_600_000_000);
    case 'minute':
      return Math.floor((tod % 3_600_000_000) / 60_000_000);
    case 'second':
    case 'milliseconds':
    case 'microseconds':
      return tod % 60_000_000;
    default:
      return extractFromDays(field, Number(days));
  }
}

/** timezone / timezone_hour / timezone_minute of an offset in seconds east of UTC. */
export function extractZoneField(field: ExtractField, offsetSec: number): number {
  if (field === 'timezone_hour') return Math.trunc(offsetSec / 3600) + 0;
  if (field === 'timezone_minute') return Math.trunc(offsetSec / 60) % 60 || 0;
  return offsetSec;
}

/** Fields of an interval (PostgreSQL's interval_part; 'epoch' counts 365.25-day years). */
export function extractFromInterval(
  field: ExtractField,
  months: number,
  days: number,
  micros: number,
): number | bigint {
  const year = Math.trunc(months / 12);
  const mon = months % 12;
  switch (field) {
    case 'microseconds':
    case 'milliseconds':
    case 'second':
      return (micros % 60_000_000) + 0;
    case 'minute':
      return Math.trunc(micros / 60_000_000) % 60 || 0;
    case 'hour':
      return Math.trunc(micros / 3_600_000_000) + 0;
    case 'day':
      return days;
    case 'month':
      return mon + 0;
    case 'quarter':
      return Math.trunc(mon / 3) + 1;
    case 'year':
      return year + 0;
    case 'decade':
      return Math.trunc(year / 10) + 0;
    case 'century':
      return Math.trunc(year / 100) + 0;
    case 'millennium':
      return Math.trunc(year / 1000) + 0;
    case 'epoch': {
      // (4 * 365.25 * years + 4 * 30 * months + 4 * days) * (86400 / 4) seconds, then + time.
      const secs = (1461n * BigInt(year) + 120n * BigInt(mon) + 4n * BigInt(days)) * 21600n;
      return secs * 1_000_000n + BigInt(micros);
    }
    default:
      return 0;
  }
}
