// Text input of timestamp and timestamp with time zone, like PostgreSQL's datetime parser for the
// ISO forms: 'YYYY-MM-DD[( |T)HH:MM[:SS[.f]]]' followed by an optional zone ('Z', '+02', '-03:30',
// '+0530', 'EST', 'America/New_York'), plus 'epoch', 'infinity' and '-infinity'. A timestamp
// without time zone ignores a zone given in its input (as PostgreSQL does).
import { SqlError } from '../errors.js';
import { SqlStates } from '../sqlstate.js';
import { daysFrom } from './interval.js';
import { literalZone, localToUtc, type Zone } from './zone.js';

export const TS_NOBEGIN = -9223372036854775808n;
export const TS_NOEND = 9223372036854775807n;
const US_PER_DAY = 86_400_000_000n;

const RE =
  /^(\d{1,6})-(\d{1,2})-(\d{1,2})(?:(?:\s+|t)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d*))?)?)?\s*(z|[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?|[a-z][a-z_/+\-0-9]*)?(\s+bc)?$/i;

export interface ParsedTimestamp {
  /** Local wall time as microseconds since 1970-01-01 00:00:00 (or an infinity sentinel). */
  readonly local: bigint;
  /** Seconds east of UTC written in the text, if any. */
  readonly offset?: number;
  /** A zone named in the text, if any. */
  readonly zone?: Zone;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function invalid(s: string, type: string): never {
  throw new SqlError(SqlStates.invalidDatetimeFormat, `invalid input syntax for type ${type}: "${s}"`);
}

function outOfRange(s: string, type: string): never {
  throw new SqlError(SqlStates.datetimeFieldOverflow, `date/time field value out of range: "${s}"`, undefined, {
    hint: `type ${type}`,
  });
}

export function parseTimestampText(s: string, type: string): ParsedTimestamp {
  const t = s.trim();
  const lower = t.toLowerCase();
  if (lower === 'infinity' || lower === '+infinity') return { local: TS_NOEND, offset: 0 };
  if (lower === '-infinity') return { local: TS_NOBEGIN, offset: 0 };
  if (lower === 'epoch') return { local: 0n, offset: 0 };
  const m = RE.exec(t);
  if (!m) return invalid(s, type);
  let y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const hh = Number(m[4] ?? 0);
  const mi = Number(m[5] ?? 0);
  const ss = Number(m[6] ?? 0);
  const fracText = m[7] ?? '';
  let z = m[8];
  if (z !== undefined && z.toLowerCase() === 'bc' && !m[9]) {
    z = undefined;
    y = 1 - y;
  } else if (m[9]) y = 1 - y;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || hh > 24 || mi > 59 || ss > 60) outOfRange(s, type);
  if (hh === 24 && (mi !== 0 || ss !== 0 || /[1-9]/.test(fracText))) outOfRange(s, type);
  // Fractional seconds beyond microseconds are rounded (half up), like PostgreSQL.
  let frac = Number(`${fracText}000000`.slice(0, 6));
  if (fracText.length > 6 && fracText.charCodeAt(6) >= 53) frac += 1;
  const days = BigInt(daysFrom(y, mo, d));
  const local = days * US_PER_DAY + BigInt(((hh * 60 + mi) * 60 + ss) * 1_000_000 + frac);
  if (z === undefined) return { local };
  if (z === 'z' || z === 'Z') return { local, offset: 0 };
  if (z.startsWith('+') || z.startsWith('-')) {
    const om = /^([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(z);
    if (!om) return invalid(s, type);
    const secs = Number(om[2]) * 3600 + Number(om[3] ?? 0) * 60 + Number(om[4] ?? 0);
    if (Number(om[2]) > 15) outOfRange(s, type);
    return { local, offset: om[1] === '-' ? -secs : secs };
  }
  const zone = literalZone(z);
  if (!zone) {
    throw new SqlError(SqlStates.invalidDatetimeFormat, `time zone "${z}" not recognized`);
  }
  return { local, zone };
}

/** timestamp input: the local time, any zone in the text ignored. */
export function parseTimestampLocal(s: string): bigint {
  return parseTimestampText(s, 'timestamp').local;
}

/** timestamptz input: an explicit offset or zone in the text wins, else `session`. */
export function parseTimestamptz(s: string, session: Zone): bigint {
  const p = parseTimestampText(s, 'timestamp with time zone');
  if (p.local === TS_NOEND || p.local === TS_NOBEGIN) return p.local;
  if (p.offset !== undefined) return p.local - BigInt(p.offset) * 1_000_000n;
  return localToUtc(p.local, p.zone ?? session);
}
