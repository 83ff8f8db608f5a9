// Time zones as PostgreSQL's TimeZone setting and AT TIME ZONE understand them: IANA names
// ('Europe/Berlin', case-insensitive), POSIX-style fixed offsets ('UTC+3', '<+05>-05', '+02:00':
// hours WEST of Greenwich, like PostgreSQL), ISO offsets (SET TIME ZONE 5 / INTERVAL '-03:30',
// hours EAST), and a few fixed abbreviations for AT TIME ZONE ('PST', 'CET').
//
// Offsets of IANA zones come from Intl.DateTimeFormat, once per zone and calendar day: a day whose
// start and end have the same offset is taken to have no transition; otherwise the transition
// second is found by bisection. Kernels therefore call Intl a few times per distinct day, never
// per row. Local wall time -> instant follows PostgreSQL's DetermineTimeZoneOffset: in a DST gap
// or overlap, the later of the two candidate instants wins (02:30 in a spring-forward gap is
// read with the offset before the jump; in a fall-back overlap the second occurrence is taken).
import { SqlError } from '../errors.js';
import { SqlStates } from '../sqlstate.js';

export interface Zone {
  /** The name SHOW TIME ZONE prints (PostgreSQL's spelling where it is a known IANA name). */
  readonly name: string;
  /** Seconds east of UTC at the instant `utcSec` (seconds since 1970-01-01 UTC). */
  offsetAt(utcSec: number): number;
}

const SECONDS_PER_DAY = 86_400;
const TS_NOBEGIN = -9223372036854775808n;
const TS_NOEND = 9223372036854775807n;
/** Instants beyond what JS Dates represent use the offset at the edge. */
const MAX_DATE_SEC = 8.64e12 - SECONDS_PER_DAY * 2;

class FixedZone implements Zone {
  constructor(
    readonly name: string,
    private readonly offset: number,
  ) {}
  offsetAt(): number {
    return this.offset;
  }
}

export const UTC: Zone = new FixedZone('UTC', 0);

/** Offsets of one day: `off` until `at` (exclusive), `after` from then on (at = Infinity: none). */
interface DaySpan {
  readonly off: number;
  readonly at: number;
  readonly after: number;
}

class IanaZone implements Zone {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly days = new Map<number, DaySpan>();
  private lastDay = Number.NaN;
  private last: DaySpan = { off: 0, at: Number.POSITIVE_INFINITY, after: 0 };

  constructor(
    readonly name: string,
    intlName: string,
  ) {
    this.fmt = new Intl.DateTimeFormat('en-US', { timeZone: intlName, timeZoneName: 'longOffset' });
  }

  offsetAt(utcSec: number): number {
    const t = Math.min(MAX_DATE_SEC, Math.max(-MAX_DATE_SEC, utcSec));
    const day = Math.floor(t / SECONDS_PER_DAY);
    let span = this.last;
    if (day !== this.lastDay) {
      span = this.days.get(day) ?? this.computeDay(day);
      this.lastDay = day;
      this.last = span;
    }
    return t < span.at ? span.off : span.after;
  }

  private computeDay(day: number): DaySpan {
    const start = day * SECONDS_PER_DAY;
    const end = start + SECONDS_PER_DAY;
    const a = this.raw(start);
    const b = this.raw(end);
    let span: DaySpan;
    if (a === b) span = { off: a, at: Number.POSITIVE_INFINITY, after: a };
    else {
      // The first second whose offset is no longer `a` (transitions fall on whole seconds).
      let lo = start;
      let hi = end;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (this.raw(mid) === a) lo = mid;
        else hi = mid;
      }
      span = { off: a, at: hi, after: this.raw(hi) };
    }
    if (this.days.size > 100_000) this.days.clear();
    this.days.set(day, span);
    return span;
  }

  /** Offset in seconds at an instant, straight from Intl ("GMT+05:30", "GMT-03", "GMT+00:53:28"). */
  private raw(sec: number): number {
    const text = this.fmt.format(new Date(sec * 1000));
    const m = /GMT(?:([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/.exec(text);
    if (!m || m[1] === undefined) return 0;
    const v = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
    return m[1] === '-' ? -v : v;
  }
}

const zones = new Map<string, Zone | null>();
let canonicalNames: Map<string, string> | undefined;

/** Canonical spelling of IANA names by lower-case name ('america/new_york' -> 'America/New_York'). */
function canonicalSpelling(name: string): string | undefined {
  if (!canonicalNames) {
    canonicalNames = new Map();
    for (const z of Intl.supportedValuesOf('timeZone')) canonicalNames.set(z.toLowerCase(), z);
    for (const z of [...TOP_LEVEL, 'Etc/UTC', 'Etc/GMT', 'Asia/Kolkata', 'Europe/Kyiv', 'America/Nuuk']) {
      canonicalNames.set(z.toLowerCase(), z);
    }
  }
  return canonicalNames.get(name.toLowerCase());
}

/** "H[:MM[:SS]]" with optional sign -> seconds, or undefined. */
function parseHms(text: string): number | undefined {
  const m = /^([+-]?)(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(text);
  if (!m) return undefined;
  const h = Number(m[2]);
  const mi = Number(m[3] ?? 0);
  const s = Number(m[4] ?? 0);
  if (h > 15 * 24 || mi > 59 || s > 59) return undefined;
  const v = h * 3600 + mi * 60 + s;
  return m[1] === '-' ? -v : v;
}

/**
 * POSIX "STDoffset" without DST rules: `UTC+3`, `XYZ-5:30`, `<+05>-05`, and (like PostgreSQL)
 * a bare `+02:00`. The offset counts hours WEST of Greenwich, so the result is its negation.
 */
function parsePosix(text: string): number | undefined {
  let rest: string;
  if (text.startsWith('<')) {
    const close = text.indexOf('>');
    if (close < 0) return undefined;
    rest = text.slice(close + 1);
  } else {
    const m = /^([A-Za-z]{3,})?(.*)$/.exec(text);
    if (!m) return undefined;
    rest = m[2] ?? '';
    if (m[1] === undefined && !/^[+-]/.test(rest)) return undefined;
  }
  const west = parseHms(rest);
  return west === undefined ? undefined : west === 0 ? 0 : -west;
}

/**
 * Zone names without a '/' in the IANA database PostgreSQL ships. ICU knows more (PST, IST, ...),
 * which PostgreSQL rejects as TimeZone values; those stay unrecognized here too.
 */
const TOP_LEVEL: readonly string[] = [
  'CET',
  'CST6CDT',
  'Cuba',
  'EET',
  'EST',
  'EST5EDT',
  'Egypt',
  'Eire',
  'GB',
  'GB-Eire',
  'GMT',
  'GMT+0',
  'GMT-0',
  'GMT0',
  'Greenwich',
  'HST',
  'Hongkong',
  'Iceland',
  'Iran',
  'Israel',
  'Jamaica',
  'Japan',
  'Kwajalein',
  'Libya',
  'MET',
  'MST',
  'MST7MDT',
  'NZ',
  'NZ-CHAT',
  'Navajo',
  'PRC',
  'PST8PDT',
  'Poland',
  'Portugal',
  'ROC',
  'ROK',
  'Singapore',
  'Turkey',
  'UCT',
  'UTC',
  'Universal',
  'W-SU',
  'WET',
  'Zulu',
];
const TOP_LEVEL_NAMES: ReadonlySet<string> = new Set(TOP_LEVEL.map((n) => n.toLowerCase()));

function lookupName(name: string): Zone | undefined {
  const key = name.trim();
  const hit = zones.get(key);
  if (hit !== undefined) return hit ?? undefined;
  let zone: Zone | null = null;
  const posix = parsePosix(key);
  if (posix !== undefined && !/^[A-Za-z]+$/.test(key)) zone = new FixedZone(key, posix);
  else if (!key.includes('/') && !TOP_LEVEL_NAMES.has(key.toLowerCase())) zone = null;
  else {
    try {
      const intl = new Intl.DateTimeFormat('en-US', { timeZone: key }).resolvedOptions().timeZone;
      const display = canonicalSpelling(key) ?? key;
      zone = intl === 'UTC' ? new FixedZone(display, 0) : new IanaZone(display, key);
    } catch {
      zone = null;
    }
  }
  if (zones.size > 1000) zones.clear();
  zones.set(key, zone);
  return zone ?? undefined;
}

/**
 * A fixed zone from an offset in seconds east of UTC, named the way PostgreSQL shows it
 * ('<+05>-05'). Zone names that travel in plans are always such unambiguous names: a user's
 * AT TIME ZONE 'CET' (the abbreviation, +01 all year) must not turn into the IANA zone CET.
 */
export function fixedZone(offsetSec: number): Zone {
  if (offsetSec === 0) return UTC;
  const iso = formatOffset(offsetSec);
  const posix = formatOffset(-offsetSec);
  return new FixedZone(`<${iso}>${posix}`, offsetSec);
}

/**
 * The value of `SET TIME ZONE '...'` (PostgreSQL's check_timezone): a plain number is hours east
 * of UTC; anything else is a zone name or a POSIX offset. 22023 when not recognized.
 */
export function sessionZone(value: string): Zone {
  const t = value.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) {
    const hours = Number(t);
    if (Math.abs(hours) < 168) return fixedZone(Math.round(hours * 3600));
  }
  const z = lookupName(t);
  if (!z) {
    throw new SqlError(SqlStates.invalidParameterValue, `invalid value for parameter "TimeZone": "${value}"`);
  }
  return z;
}

/** Abbreviations PostgreSQL's default set resolves for AT TIME ZONE, as fixed offsets (hours east). */
const ABBREVIATIONS: Readonly<Record<string, number>> = {
  utc: 0,
  gmt: 0,
  z: 0,
  zulu: 0,
  ut: 0,
  wet: 0,
  west: 1,
  bst: 1,
  cet: 1,
  cest: 2,
  met: 1,
  mest: 2,
  eet: 2,
  eest: 3,
  msk: 3,
  est: -5,
  edt: -4,
  cst: -6,
  cdt: -5,
  mst: -7,
  mdt: -6,
  pst: -8,
  pdt: -7,
  akst: -9,
  akdt: -8,
  hst: -10,
  jst: 9,
  kst: 9,
  hkt: 8,
  awst: 8,
  acst: 9.5,
  acdt: 10.5,
  aest: 10,
  aedt: 11,
  nzst: 12,
  nzdt: 13,
};

/**
 * The zone of `x AT TIME ZONE 'name'` (PostgreSQL's timestamp_zone): an abbreviation, a numeric
 * offset (POSIX sign: '+02' is two hours WEST), or a zone name. 22023 when not recognized.
 */
export function namedZone(name: string): Zone {
  const t = name.trim();
  const abbrev = ABBREVIATIONS[t.toLowerCase()];
  if (abbrev !== undefined) return fixedZone(abbrev * 3600);
  const west = parseHms(t);
  if (west !== undefined) return fixedZone(west === 0 ? 0 : -west);
  const z = lookupName(t);
  if (!z) throw new SqlError(SqlStates.invalidParameterValue, `time zone "${name}" not recognized`);
  return z;
}

/** A zone named inside a timestamptz literal ('2024-01-01 10:00 Europe/Berlin'), or undefined. */
export function literalZone(name: string): Zone | undefined {
  const abbrev = ABBREVIATIONS[name.toLowerCase()];
  if (abbrev !== undefined) return fixedZone(abbrev * 3600);
  return name.includes('/') ? lookupName(name) : undefined;
}

/** A zone by the (unambiguous) name the coordinator resolved it to; 22023 when unknown. */
export function zoneByName(name: string): Zone {
  if (name === 'UTC') return UTC;
  const z = lookupName(name);
  if (!z) throw new SqlError(SqlStates.invalidParameterValue, `time zone "${name}" not recognized`);
  return z;
}

/** PostgreSQL's offset suffix: '+05', '-03:30', '+00:53:28'. */
export function formatOffset(sec: number): string {
  const neg = sec < 0;
  const a = Math.abs(sec);
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  const s = a % 60;
  let out = `${neg ? '-' : '+'}${h < 10 ? '0' : ''}${h}`;
  if (m !== 0 || s !== 0) out += `:${m < 10 ? '0' : ''}${m}`;
  if (s !== 0) out += `:${s < 10 ? '0' : ''}${s}`;
  return out;
}

const MICROS = 1_000_000;

/** Seconds east of UTC that apply to the local wall time `localSec` (see the header for gaps). */
export function offsetForLocal(z: Zone, localSec: number): number {
  const before = z.offsetAt(localSec - SECONDS_PER_DAY);
  const after = z.offsetAt(localSec + SECONDS_PER_DAY);
  if (before === after) {
    const off = z.offsetAt(localSec - before);
    if (off === before) return before;
  }
  const tA = localSec - before;
  const tB = localSec - after;
  const okA = z.offsetAt(tA) === before;
  const okB = z.offsetAt(tB) === after;
  if (okA && !okB) return before;
  if (okB && !okA) return after;
  return tA >= tB ? before : after;
}

/** Instant (µs UTC) -> local wall time (µs) in `z`. */
export function utcToLocal(us: bigint, z: Zone): bigint {
  if (us === TS_NOEND || us === TS_NOBEGIN) return us;
  return us + BigInt(z.offsetAt(Math.floor(Number(us) / MICROS)) * MICROS);
}

/** Local wall time (µs) in `z` -> instant (µs UTC). */
export function localToUtc(us: bigint, z: Zone): bigint {
  if (us === TS_NOEND || us === TS_NOBEGIN) return us;
  return us - BigInt(offsetForLocal(z, Math.floor(Number(us) / MICROS)) * MICROS);
}

/** The canonical name of a TimeZone value, or `fallback` when it is not a zone (client startup). */
export function canonicalZoneName(value: string, fallback = 'UTC'): string {
  try {
    return sessionZone(value).name;
  } catch {
    return fallback;
  }
}
