// Text of Parquet values the engine has no type for (read as varchar, see arrow-types.ts), written
// the way PostgreSQL prints the nearest thing:
//   list   -> array literal    {1,2,NULL}  {a,"b,c","say \"hi\""}  {{1,2},{3}}
//   struct -> record literal   (1,"x y")   (,)  for all-NULL fields   ("(1.5)","{1,2}") nested
//   map    -> jsonb text       {"k1": 10, "k2": [1, 2]}  (PostgreSQL has no map type)
//   binary -> bytea hex \x0102   time -> 12:34:56.5   and inside the above: dates 2024-01-02,
//   timestamps 2024-01-02 03:04:05.123456 (+00 when UTC-adjusted), booleans t/f, exact decimals.
// Values are read from the Arrow buffers (offsets, children, bitmaps), never through Vector.get.
import { type Data, type Decimal, type Field, makeVector, type Struct, Type } from 'apache-arrow';
import { formatDate, formatTimestamp } from '../../common/format/datetime.js';
import { formatDouble } from '../../common/format/double.js';

const utf8 = new TextDecoder();

function isValid(d: Data, i: number): boolean {
  const bits = d.nullBitmap;
  if (d.nullCount === 0 || !bits || bits.length === 0) return true;
  const j = d.offset + i;
  return ((bits[j >> 3]! >> (j & 7)) & 1) === 1;
}

function hex(bytes: Uint8Array): string {
  let s = '\\x';
  for (let i = 0; i < bytes.length; i++) s += bytes[i]!.toString(16).padStart(2, '0');
  return s;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Seconds since midnight + a fraction of `digits` digits, PostgreSQL style (trailing zeros cut). */
function clock(secs: number, frac: bigint, digits: number): string {
  const t = `${pad2(Math.floor(secs / 3600))}:${pad2(Math.floor(secs / 60) % 60)}:${pad2(secs % 60)}`;
  if (frac === 0n) return t;
  return `${t}.${frac.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}

const PER_SECOND = [1n, 1000n, 1_000_000n, 1_000_000_000n];

/** A time of day as `unit`s (0 s, 1 ms, 2 µs, 3 ns) since midnight. */
export function timeText(v: number | bigint, unit: number): string {
  const per = PER_SECOND[unit] ?? 1_000_000n;
  const big = BigInt(v);
  return clock(Number(big / per), big % per, per.toString().length - 1);
}

/** `v` in `unit`s (0 s, 1 ms, 2 µs, 3 ns) as microseconds, rounding down. */
function toMicros(v: bigint, unit: number): bigint {
  if (unit === 2) return v;
  if (unit === 3) return v / 1000n - (v < 0n && v % 1000n !== 0n ? 1n : 0n);
  return v * (unit === 1 ? 1000n : 1_000_000n);
}

function decimalText(d: Data, i: number): string {
  const t = d.type as Decimal;
  const words = d.values as Uint32Array;
  const stride = (t.bitWidth ?? 128) / 32;
  let v = 0n;
  for (let k = stride - 1; k >= 0; k--) v = (v << 32n) | BigInt(words[i * stride + k]!);
  v = BigInt.asIntN(stride * 32, v);
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString().padStart(t.scale + 1, '0');
  const body = t.scale > 0 ? `${digits.slice(0, -t.scale)}.${digits.slice(-t.scale)}` : digits;
  return neg ? `-${body}` : body;
}

export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

function bytesAt(d: Data, i: number): Uint8Array {
  const offs = d.valueOffsets as Int32Array | BigInt64Array;
  return (d.values as Uint8Array).subarray(Number(offs[i]!), Number(offs[i + 1]!));
}

function fields(d: Data): readonly Field[] {
  return (d.type as Struct).children;
}

type Kind = 'list' | 'struct' | 'map' | 'string' | 'number' | 'boolean' | 'other';

function kindOf(d: Data): Kind {
  switch (d.typeId) {
    case Type.List:
    case Type.LargeList:
    case Type.FixedSizeList:
      return 'list';
    case Type.Struct:
      return 'struct';
    case Type.Map:
      return 'map';
    case Type.Int:
    case Type.Float:
    case Type.Decimal:
      return 'number';
    case Type.Bool:
      return 'boolean';
    case Type.Utf8:
    case Type.LargeUtf8:
      return 'string';
    case Type.Dictionary:
      return d.dictionary?.data[0] ? kindOf(d.dictionary.data[0]) : 'other';
    default:
      return 'other';
  }
}

/** Child index range of list value `i`. */
function listRange(d: Data, i: number): [number, number] {
  if (d.typeId === Type.FixedSizeList) {
    const size = (d.type as unknown as { listSize: number }).listSize;
    // sliced with the list (no offsets buffer): index from 0
    return [i * size, (i + 1) * size];
  }
  const offs = d.valueOffsets as Int32Array | BigInt64Array;
  return [Number(offs[i]!), Number(offs[i + 1]!)];
}

/** PostgreSQL's text of value `i` of `d`; null for NULL. */
export function valueText(d: Data, i: number): string | null {
  if (!isValid(d, i)) return null;
  switch (d.typeId) {
    case Type.Null:
      return null;
    case Type.Bool: {
      const j = d.offset + i;
      return ((d.values as Uint8Array)[j >> 3]! >> (j & 7)) & 1 ? 't' : 'f';
    }
    case Type.Int:
      return String((d.values as Int32Array | BigInt64Array)[i]);
    case Type.Float: {
      const v = (d.values as Float64Array | Float32Array | Uint16Array)[i]!;
      return formatDouble(d.values instanceof Uint16Array ? halfToFloat(v) : v);
    }
    case Type.Decimal:
      return decimalText(d, i);
    case Type.Utf8:
    case Type.LargeUtf8:
      return utf8.decode(bytesAt(d, i));
    case Type.Binary:
    case Type.LargeBinary:
      return hex(bytesAt(d, i));
    case Type.FixedSizeBinary: {
      const w = (d.type as unknown as { byteWidth: number }).byteWidth;
      return hex((d.values as Uint8Array).subarray(i * w, (i + 1) * w));
    }
    case Type.Date: {
      const v = (d.values as Int32Array | BigInt64Array)[i]!;
      return formatDate(typeof v === 'bigint' ? Math.floor(Number(v) / 86_400_000) : v);
    }
    case Type.Time:
      return timeText((d.values as Int32Array | BigInt64Array)[i]!, (d.type as unknown as { unit: number }).unit);
    case Type.Timestamp: {
      const t = d.type as unknown as { unit: number; timezone?: string | null };
      const text = formatTimestamp(toMicros((d.values as BigInt64Array)[i]!, t.unit));
      return t.timezone ? `${text}+00` : text;
    }
    case Type.Dictionary: {
      const dict = d.dictionary?.data[0];
      return dict ? valueText(dict, Number((d.values as Int32Array)[i])) : null;
    }
    case Type.List:
    case Type.LargeList:
    case Type.FixedSizeList:
      return arrayLiteral(d, i);
    case Type.Struct:
      return recordLiteral(d, i);
    case Type.Map:
      return jsonText(d, i);
    default:
      return otherText(d, i);
  }
}

/** Anything else (intervals, durations, unions): arrow-js's value as JSON. Rare: per-value get is fine. */
function otherText(d: Data, i: number): string {
  const v: unknown = makeVector(d).get(i);
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return v;
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

const ARRAY_SPECIAL = /[{}",\\\s]/;

function arrayElement(s: string): string {
  if (s !== '' && !ARRAY_SPECIAL.test(s) && s.toUpperCase() !== 'NULL') return s;
  return `"${s.replace(/[\\"]/g, '\\$&')}"`;
}

function arrayLiteral(d: Data, i: number): string {
  const child = d.children[0]!;
  const [start, end] = listRange(d, i);
  const nested = kindOf(child) === 'list';
  const parts: string[] = [];
  for (let j = start; j < end; j++) {
    const v = valueText(child, j);
    parts.push(v === null ? 'NULL' : nested ? v : arrayElement(v));
  }
  return `{${parts.join(',')}}`;
}

const RECORD_SPECIAL = /[()",\\\s]/;

function recordField(s: string): string {
  if (s !== '' && !RECORD_SPECIAL.test(s)) return s;
  return `"${s.replace(/["\\]/g, '$&$&')}"`;
}

function recordLiteral(d: Data, i: number): string {
  const parts = d.children.map((c) => {
    const v = valueText(c, i);
    return v === null ? '' : recordField(v);
  });
  return `(${parts.join(',')})`;
}

/** jsonb-style text (`{"a": 1, "b": [1, 2]}`) of value `i`. */
function jsonText(d: Data, i: number): string {
  if (!isValid(d, i)) return 'null';
  switch (kindOf(d)) {
    case 'list': {
      const child = d.children[0]!;
      const [start, end] = listRange(d, i);
      const parts: string[] = [];
      for (let j = start; j < end; j++) parts.push(jsonText(child, j));
      return `[${parts.join(', ')}]`;
    }
    case 'struct':
      return `{${fields(d)
        .map((f, k) => `${JSON.stringify(f.name)}: ${jsonText(d.children[k]!, i)}`)
        .join(', ')}}`;
    case 'map': {
      const entries = d.children[0]!;
      const [start, end] = listRange(d, i);
      const parts: string[] = [];
      for (let j = start; j < end; j++) {
        const key = valueText(entries.children[0]!, j) ?? 'null';
        parts.push(`${JSON.stringify(key)}: ${jsonText(entries.children[1]!, j)}`);
      }
      return `{${parts.join(', ')}}`;
    }
    case 'number': {
      const v = valueText(d, i) ?? 'null';
      return /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v) ? v : JSON.stringify(v);
    }
    case 'boolean':
      return valueText(d, i) === 't' ? 'true' : 'false';
    default:
      return JSON.stringify(valueText(d, i));
  }
}
