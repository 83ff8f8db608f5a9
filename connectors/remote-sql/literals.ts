// Literal values (Expr encoding, see common/expr/expr.ts) as the text the source parses, and
// source text back into Tributary's scaled/epoch encodings. Both directions are exact.
import type { LiteralValue } from '../../common/expr/expr.js';
import type { DataType } from '../../common/types.js';

const MS_PER_DAY = 86_400_000;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Days since the epoch as YYYY-MM-DD; undefined outside years 1..9999. */
export function formatDate(days: number): string | undefined {
  const d = new Date(days * MS_PER_DAY);
  const y = d.getUTCFullYear();
  if (!Number.isFinite(y) || y < 1 || y > 9999) return undefined;
  return `${pad(y, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** Microseconds since the epoch as YYYY-MM-DD HH:MM:SS.ffffff. */
export function formatTimestamp(micros: bigint): string | undefined {
  let days = micros / 86_400_000_000n;
  let rest = micros % 86_400_000_000n;
  if (rest < 0n) {
    rest += 86_400_000_000n;
    days -= 1n;
  }
  const date = formatDate(Number(days));
  if (date === undefined) return undefined;
  const secs = Number(rest / 1_000_000n);
  const frac = Number(rest % 1_000_000n);
  return `${date} ${pad(Math.floor(secs / 3600), 2)}:${pad(Math.floor(secs / 60) % 60, 2)}:${pad(secs % 60, 2)}.${pad(frac, 6)}`;
}

/** The unscaled integer digits of a decimal as decimal text ('-12345', 2 -> '-123.45'). */
export function formatDecimal(unscaled: string, scale: number): string {
  const negative = unscaled.startsWith('-');
  const digits = (negative ? unscaled.slice(1) : unscaled).padStart(scale + 1, '0');
  const text =
    scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

/** A non-null literal as parameter text; undefined when it cannot be sent exactly. */
export function literalText(value: LiteralValue, type: DataType): string | undefined {
  if (value === null) return undefined;
  switch (type.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? (value ? 'true' : 'false') : undefined;
    case 'integer':
    case 'bigint':
      return typeof value === 'number' || (typeof value === 'string' && /^-?\d+$/.test(value))
        ? String(value)
        : undefined;
    case 'double':
      // NaN and infinities compare differently across systems: never pushed.
      return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
    case 'decimal':
      return typeof value === 'string' && /^-?\d+$/.test(value) ? formatDecimal(value, type.scale) : undefined;
    case 'varchar':
      return typeof value === 'string' && !value.includes('\0') ? value : undefined;
    case 'date':
      return typeof value === 'number' ? formatDate(value) : undefined;
    case 'timestamp':
      return typeof value === 'string' && /^-?\d+$/.test(value) ? formatTimestamp(BigInt(value)) : undefined;
    case 'timestamptz': {
      // The instant in UTC with an explicit offset: the source session's zone does not matter.
      const text = typeof value === 'string' && /^-?\d+$/.test(value) ? formatTimestamp(BigInt(value)) : undefined;
      return text === undefined ? undefined : `${text}+00`;
    }
    case 'interval':
    case 'unknown':
      return undefined;
  }
}

/**
 * Decimal text ('-123.4567', '1e3' is not accepted) as the unscaled integer string at `scale`,
 * rounding half away from zero when the text has more fractional digits. undefined if not a number.
 */
export function scaleDecimalText(text: string, scale: number): string | undefined {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (!m) return undefined;
  const sign = m[1] === '-' ? '-' : '';
  const intPart = m[2] ?? '';
  const frac = m[3] ?? '';
  if (intPart === '' && frac === '') return undefined;
  let digits = intPart + frac.slice(0, scale).padEnd(scale, '0');
  if (frac.length > scale && frac.charCodeAt(scale) - 48 >= 5) {
    digits = (BigInt(digits === '' ? '0' : digits) + 1n).toString();
  }
  digits = digits.replace(/^0+(?=\d)/, '');
  if (digits === '') digits = '0';
  return digits === '0' ? '0' : sign + digits;
}

/** Parses YYYY-MM-DD (the start of `text`) to days since the epoch; undefined if not a date. */
export function parseDateText(text: string): number | undefined {
  if (text.length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const y = digitsAt(text, 0, 4);
  const mo = digitsAt(text, 5, 2);
  const d = digitsAt(text, 8, 2);
  if (y < 0 || mo < 1 || d < 1) return undefined;
  if (text.length > 10 && text.charCodeAt(10) !== 32 && text.charCodeAt(10) !== 84) return undefined; // ' ' or 'T'
  const ms = Date.UTC(y, mo - 1, d);
  // Date.UTC maps years 0..99 to 1900..1999.
  const fixed = y < 100 ? new Date(ms).setUTCFullYear(y) : ms;
  return Math.round(fixed / MS_PER_DAY);
}

/**
 * Parses `YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM]]` to microseconds since the epoch (UTC; an offset
 * is subtracted). undefined if not a timestamp.
 */
export function parseTimestampText(text: string): bigint | undefined {
  if (text === 'infinity') return 9223372036854775807n;
  if (text === '-infinity') return -9223372036854775808n;
  const days = parseDateText(text);
  if (days === undefined) return undefined;
  let secs = 0;
  let micros = 0;
  let i = 10;
  if (text.length > 10) {
    const h = digitsAt(text, 11, 2);
    const mi = digitsAt(text, 14, 2);
    const s = digitsAt(text, 17, 2);
    if (h < 0 || mi < 0 || s < 0) return undefined;
    secs = h * 3600 + mi * 60 + s;
    i = 19;
    if (text.charCodeAt(i) === 46) {
      i++;
      let scale = 100_000;
      while (i < text.length) {
        const c = text.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        micros += c * scale;
        scale /= 10;
        i++;
      }
      micros = Math.round(micros);
    }
    if (i < text.length) {
      const sign = text[i] === '-' ? -1 : text[i] === '+' ? 1 : 0;
      if (sign === 0) return undefined;
      const oh = digitsAt(text, i + 1, 2);
      const om = text.charCodeAt(i + 3) === 58 ? digitsAt(text, i + 4, 2) : 0;
      if (oh < 0 || om < 0) return undefined;
      secs -= sign * (oh * 3600 + om * 60);
    }
  }
  return BigInt(days * 86_400 + secs) * 1_000_000n + BigInt(micros);
}

function digitsAt(text: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    n = n * 10 + c;
  }
  return n;
}
