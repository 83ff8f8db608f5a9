// Binary wire format for the simple types: result values (when a client asks for format 1,
// as pgjdbc does for int/float/numeric/date/timestamp columns) and Bind parameters (decoded
// to the text form the engine takes).
import { SqlError } from '../../common/errors.js';
import { formatDate, formatDouble, formatTimestamp } from '../../common/format/text.js';
import { PgOid } from '../../common/pg-types.js';
import { SqlStates } from '../../common/sqlstate.js';
import { formatInterval } from '../../common/time/interval.js';
import type { BufferWriter } from './buffer-writer.js';

/** Days from 1970-01-01 to 2000-01-01, PostgreSQL's binary epoch. */
export const PG_EPOCH_DAYS = 10957;
export const PG_EPOCH_MICROS = 946_684_800_000_000;
const NUMERIC_NEG = 0x4000;
const NUMERIC_NAN = 0xc000;

/** Writes length + binary numeric for a decimal already formatted as text ("-12.340"). */
export function writeNumericBinary(w: BufferWriter, text: string): void {
  const neg = text.charCodeAt(0) === 45;
  const body = neg ? text.slice(1) : text;
  const dot = body.indexOf('.');
  const intPart = dot < 0 ? body : body.slice(0, dot);
  const frac = dot < 0 ? '' : body.slice(dot + 1);
  const ip = '0'.repeat((4 - (intPart.length % 4)) % 4) + intPart;
  const fp = frac + '0'.repeat((4 - (frac.length % 4)) % 4);
  const groups: number[] = [];
  for (let i = 0; i < ip.length; i += 4) groups.push(Number(ip.slice(i, i + 4)));
  for (let i = 0; i < fp.length; i += 4) groups.push(Number(fp.slice(i, i + 4)));
  let weight = ip.length / 4 - 1;
  let first = 0;
  while (first < groups.length && groups[first] === 0) {
    first++;
    weight--;
  }
  let last = groups.length;
  while (last > first && groups[last - 1] === 0) last--;
  const n = last - first;
  if (n === 0) weight = 0;
  w.int32(8 + 2 * n)
    .int16(n)
    .int16(weight)
    .int16(n === 0 || !neg ? 0 : NUMERIC_NEG)
    .int16(frac.length);
  for (let i = first; i < last; i++) w.int16(groups[i]!);
}

/** Text of a binary numeric value. */
export function numericBinaryToText(b: Buffer): string {
  if (b.length < 8) throw badBinary('numeric');
  const n = b.readInt16BE(0);
  const weight = b.readInt16BE(2);
  const sign = b.readUInt16BE(4);
  const dscale = b.readInt16BE(6);
  if (sign === NUMERIC_NAN) return 'NaN';
  if (b.length < 8 + 2 * n) throw badBinary('numeric');
  const digit = (k: number): number => (k >= 0 && k < n ? b.readInt16BE(8 + 2 * k) : 0);
  let int = '';
  for (let k = 0; k <= weight; k++) {
    const d = String(digit(k));
    int += k === 0 ? d : d.padStart(4, '0');
  }
  if (int === '') int = '0';
  let frac = '';
  for (let k = weight + 1; frac.length < dscale; k++) frac += String(digit(k)).padStart(4, '0');
  frac = frac.slice(0, dscale);
  const neg = sign === NUMERIC_NEG && /[1-9]/.test(int + frac);
  return `${neg ? '-' : ''}${int}${dscale > 0 ? `.${frac}` : ''}`;
}

function badBinary(type: string): SqlError {
  return new SqlError(SqlStates.invalidTextRepresentation, `incorrect binary data format in bind parameter (${type})`);
}

/** Text form of a binary-format Bind parameter of type `oid`. */
export function decodeBinaryParam(oid: number, b: Buffer): string {
  const fixed = (len: number, type: string): void => {
    if (b.length !== len) throw badBinary(type);
  };
  switch (oid) {
    case PgOid.bool:
      fixed(1, 'boolean');
      return b[0] ? 't' : 'f';
    case PgOid.int2:
      fixed(2, 'smallint');
      return String(b.readInt16BE(0));
    case PgOid.int4:
    case PgOid.oid:
      fixed(4, 'integer');
      return String(oid === PgOid.oid ? b.readUInt32BE(0) : b.readInt32BE(0));
    case PgOid.int8:
      fixed(8, 'bigint');
      return b.readBigInt64BE(0).toString();
    case PgOid.float4:
      fixed(4, 'real');
      return formatDouble(b.readFloatBE(0));
    case PgOid.float8:
      fixed(8, 'double precision');
      return formatDouble(b.readDoubleBE(0));
    case PgOid.text:
    case PgOid.varchar:
    case PgOid.bpchar:
    case PgOid.name:
    case PgOid.char:
    case PgOid.unknown:
      return b.toString('utf8');
    case PgOid.date: {
      fixed(4, 'date');
      const d = b.readInt32BE(0);
      return d === 2147483647 || d === -2147483648 ? formatDate(d) : formatDate(d + PG_EPOCH_DAYS);
    }
    case PgOid.timestamp:
    case PgOid.timestamptz: {
      fixed(8, 'timestamp');
      const v = b.readBigInt64BE(0);
      const inf = v === 9223372036854775807n || v === -9223372036854775808n;
      const text = formatTimestamp(inf ? v : v + BigInt(PG_EPOCH_MICROS));
      // A timestamptz parameter is an instant: say so, or it would be read in the session zone.
      return oid === PgOid.timestamptz && !inf ? `${text}+00` : text;
    }
    case PgOid.interval: {
      fixed(16, 'interval');
      const micros = Number(b.readBigInt64BE(0));
      return formatInterval(b.readInt32BE(12), b.readInt32BE(8), micros);
    }
    case PgOid.numeric:
      return numericBinaryToText(b);
    default:
      throw new SqlError(
        SqlStates.featureNotSupported,
        `binary format is not supported for parameters of type OID ${oid}`,
      );
  }
}
