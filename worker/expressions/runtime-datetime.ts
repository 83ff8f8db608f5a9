// Helpers the generated kernels call for timestamptz and interval values (part of the constant
// `H`). Intervals travel in kernels as three numbers (months, days, microseconds); helpers that
// produce one write it to IV. Zones are resolved once per kernel (constants) or, for a
// non-constant AT TIME ZONE argument, through a ZoneCache.
import { SqlError } from '../../common/errors.js';
import { formatTimestamptz as formatTstz } from '../../common/format/datetime.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { ExtractField } from '../../common/time/fields.js';
import {
  addIntervals,
  addIntervalToTimestamp,
  ageOf,
  compareIntervals,
  decodeInterval,
  divideInterval,
  encodeInterval,
  formatInterval,
  type Interval,
  justifyDays,
  justifyHours,
  justifyInterval,
  multiplyInterval,
  nanosWordsToMicros,
  parseInterval,
  setIntervalWords,
  subtractTimestamps,
} from '../../common/time/interval.js';
import { parseTimestamptz as parseTstz, TS_NOBEGIN, TS_NOEND } from '../../common/time/timestamp-text.js';
import { localToUtc, namedZone, utcToLocal, type Zone } from '../../common/time/zone.js';
import { dateTrunc, UNITS } from './runtime-functions.js';

const DAY_UNIT = UNITS.day!;

import {
  extractFromDays,
  extractFromInterval,
  extractFromTimestamp,
  extractZoneField,
} from '../../common/time/extract.js';

/** The interval a helper produced: [months, days, micros]. */
export const IV = new Float64Array(3);

function put(iv: Interval): void {
  IV[0] = iv.months;
  IV[1] = iv.days;
  IV[2] = iv.micros;
}

export function ivMicros(lo: number, hi: number): number {
  return nanosWordsToMicros(lo, hi);
}

export function ivSet(out: Int32Array, k: number, m: number, d: number, u: number): void {
  setIntervalWords(out, k, m, d, u);
}

export function ivCmp(am: number, ad: number, au: number, bm: number, bd: number, bu: number): number {
  return compareIntervals(am, ad, au, bm, bd, bu);
}

export function ivAdd(am: number, ad: number, au: number, bm: number, bd: number, bu: number, sign: 1 | -1): void {
  put(addIntervals({ months: am, days: ad, micros: au }, { months: bm, days: bd, micros: bu }, sign));
}

export function ivMul(m: number, d: number, u: number, f: number): void {
  put(multiplyInterval(m, d, u, f));
}

export function ivDiv(m: number, d: number, u: number, f: number): void {
  put(divideInterval(m, d, u, f));
}

export function ivJustify(kind: number, m: number, d: number, u: number): void {
  put(kind === 0 ? justifyHours(m, d, u) : kind === 1 ? justifyDays(m, d, u) : justifyInterval(m, d, u));
}

/** The canonical string of a kernel-value interval (input of generic casters). */
export function ivString(m: number, d: number, u: number): string {
  return encodeInterval({ months: m, days: d, micros: u });
}

/** Parts of a canonical interval string (output of generic casters) into IV. */
export function ivParse(s: string): void {
  put(decodeInterval(s));
}

/** Text input of an interval (varchar -> interval) into IV. */
export function ivFromText(text: string): void {
  put(parseInterval(text));
}

export function ivText(m: number, d: number, u: number): string {
  return formatInterval(m, d, u);
}

/** timestamp ± interval (local time: months, then days, then the time part). */
export function tsPlusInterval(ts: bigint, m: number, d: number, u: number, sign: number): bigint {
  return addIntervalToTimestamp(ts, m, d, u, sign);
}

/** timestamptz ± interval: months and days added in the zone's local time, like PostgreSQL. */
export function tstzPlusInterval(ts: bigint, m: number, d: number, u: number, sign: number, zone: Zone): bigint {
  let t = ts;
  if (m !== 0) t = localToUtc(addIntervalToTimestamp(utcToLocal(t, zone), m, 0, 0, sign), zone);
  if (d !== 0) t = localToUtc(addIntervalToTimestamp(utcToLocal(t, zone), 0, d, 0, sign), zone);
  return addIntervalToTimestamp(t, 0, 0, u, sign);
}

/** timestamp - timestamp (either kind, same kind on both sides) into IV. */
export function tsMinus(a: bigint, b: bigint): void {
  put(subtractTimestamps(a, b));
}

export function age(a: bigint, b: bigint): void {
  put(ageOf(a, b));
}

export function toUtc(local: bigint, zone: Zone): bigint {
  return localToUtc(local, zone);
}

export function toLocal(utc: bigint, zone: Zone): bigint {
  return utcToLocal(utc, zone);
}

/** Zones of a non-constant AT TIME ZONE argument, remembered by name. */
export class ZoneCache {
  private readonly zones = new Map<string, Zone>();
  get(name: string): Zone {
    let z = this.zones.get(name);
    if (!z) {
      z = namedZone(name);
      if (this.zones.size > 1000) this.zones.clear();
      this.zones.set(name, z);
    }
    return z;
  }
}

export function extractDate(field: ExtractField, days: number): number {
  return extractFromDays(field, days);
}

export function extractTs(field: ExtractField, us: bigint): number | bigint {
  return extractFromTimestamp(field, us);
}

export function extractZone(field: ExtractField, us: bigint, zone: Zone): number {
  return extractZoneField(field, zone.offsetAt(Math.floor(Number(us) / 1_000_000)));
}

export function extractIv(field: ExtractField, m: number, d: number, u: number): number | bigint {
  return extractFromInterval(field, m, d, u);
}

export function parseTimestamptz(text: string, zone: Zone): bigint {
  return parseTstz(text, zone);
}

export function formatTimestamptz(us: bigint, zone: Zone): string {
  return formatTstz(us, zone);
}

/** to_timestamp(double): seconds since the epoch -> timestamptz (PostgreSQL's float8_timestamptz). */
export function secondsToTimestamp(x: number): bigint {
  if (Number.isNaN(x)) throw new SqlError(SqlStates.datetimeFieldOverflow, 'timestamp cannot be NaN');
  if (x === Number.POSITIVE_INFINITY) return TS_NOEND;
  if (x === Number.NEGATIVE_INFINITY) return TS_NOBEGIN;
  const us = Math.round(x * 1e6);
  if (!Number.isSafeInteger(us)) throw new SqlError(SqlStates.datetimeFieldOverflow, `timestamp out of range: "${x}"`);
  return BigInt(us);
}

/**
 * date_trunc(unit, timestamptz) in `zone` (PostgreSQL's timestamptz_trunc_internal): units of a
 * day and longer start at local midnight (offset looked up again), shorter ones keep the value's
 * own offset, so date_trunc('hour', ...) stays in the same fold of a DST overlap.
 */
export function dateTruncTz(unit: number, us: bigint, zone: Zone): bigint {
  if (us === TS_NOBEGIN || us === TS_NOEND) return us;
  const local = utcToLocal(us, zone);
  const t = dateTrunc(unit, local);
  return unit < DAY_UNIT ? us - (local - t) : localToUtc(t, zone);
}
