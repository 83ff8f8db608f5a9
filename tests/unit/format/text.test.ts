import { describe, expect, it } from 'vitest';
import { makeBatch } from '../../../common/arrow/batch.js';
import {
  formatColumn,
  formatDate,
  formatDouble,
  formatLongDecimal,
  formatShortDecimal,
  formatTimestamp,
} from '../../../common/format/text.js';
import { BIGINT, BOOLEAN, DATE, DOUBLE, decimal, INTEGER, TIMESTAMP, VARCHAR } from '../../../common/types.js';

/** Decimal128 words (little-endian uint32, two's complement) of a BigInt. */
function words(values: bigint[]): Uint32Array {
  const out = new Uint32Array(values.length * 4);
  values.forEach((v, i) => {
    const u = BigInt.asUintN(128, v);
    for (let k = 0; k < 4; k++) out[i * 4 + k] = Number((u >> BigInt(32 * k)) & 0xffffffffn);
  });
  return out;
}

describe('formatDouble (PostgreSQL 12+ float8out)', () => {
  it.each([
    [0.1, '0.1'],
    [1, '1'],
    [-2.5, '-2.5'],
    [1e20, '1e+20'],
    [1e15, '1e+15'],
    [123456789012345, '123456789012345'],
    [1.2345678901234568e17, '1.2345678901234568e+17'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [1e100, '1e+100'],
    [5e-324, '5e-324'],
    [-0, '-0'],
    [0, '0'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
    [0.30000000000000004, '0.30000000000000004'],
    [1 / 3, '0.3333333333333333'],
  ])('%s -> %s', (x, s) => {
    expect(formatDouble(x)).toBe(s);
  });
});

describe('decimals', () => {
  it('short decimals print exactly `scale` digits', () => {
    expect(formatShortDecimal(12345, 2)).toBe('123.45');
    expect(formatShortDecimal(-12345, 2)).toBe('-123.45');
    expect(formatShortDecimal(5, 3)).toBe('0.005');
    expect(formatShortDecimal(-5, 3)).toBe('-0.005');
    expect(formatShortDecimal(0, 2)).toBe('0.00');
    expect(formatShortDecimal(-0, 2)).toBe('0.00');
    expect(formatShortDecimal(100, 0)).toBe('100');
    expect(formatShortDecimal(-100, 0)).toBe('-100');
    expect(formatShortDecimal(999999999999999, 15)).toBe('0.999999999999999');
  });

  it('long decimals read Decimal128 words, with and without the BigInt path', () => {
    const w = words([
      0n,
      1n,
      -1n,
      123456789n,
      -123456789n,
      12345678901234567890123456789012345678n,
      -12345678901234567890123456789012345678n,
      2n ** 53n + 1n,
      -(2n ** 53n) - 1n,
    ]);
    expect(formatLongDecimal(w, 0, 2)).toBe('0.00');
    expect(formatLongDecimal(w, 1, 3)).toBe('0.001');
    expect(formatLongDecimal(w, 2, 3)).toBe('-0.001');
    expect(formatLongDecimal(w, 3, 4)).toBe('12345.6789');
    expect(formatLongDecimal(w, 4, 4)).toBe('-12345.6789');
    expect(formatLongDecimal(w, 5, 10)).toBe('1234567890123456789012345678.9012345678');
    expect(formatLongDecimal(w, 6, 10)).toBe('-1234567890123456789012345678.9012345678');
    expect(formatLongDecimal(w, 7, 0)).toBe('9007199254740993');
    expect(formatLongDecimal(w, 8, 1)).toBe('-900719925474099.3');
  });

  it('formats decimal columns of both layouts from a batch', () => {
    const cols = [
      { name: 's', type: decimal(12, 2) },
      { name: 'l', type: decimal(38, 5) },
    ];
    const b = makeBatch(cols, 3, [
      { values: new Float64Array([150, -7, 0]), validity: new Uint8Array([0b101]) },
      { values: words([-100000n, 2n ** 100n, 0n]), validity: new Uint8Array([0b011]) },
    ]);
    expect(formatColumn(b, 0, cols[0]!.type)).toEqual(['1.50', null, '0.00']);
    expect(formatColumn(b, 1, cols[1]!.type)).toEqual(['-1.00000', '12676506002282294014967032.05376', null]);
  });
});

describe('dates and timestamps', () => {
  it('formats dates, including before 1970 and BC', () => {
    expect(formatDate(0)).toBe('1970-01-01');
    expect(formatDate(-1)).toBe('1969-12-31');
    expect(formatDate(19723)).toBe('2024-01-01');
    expect(formatDate(11016)).toBe('2000-02-29');
    expect(formatDate(-719162)).toBe('0001-01-01');
    expect(formatDate(-719163)).toBe('0001-12-31 BC');
    expect(formatDate(-719528)).toBe('0001-01-01 BC');
    expect(formatDate(-736000)).toBe('0047-11-26 BC');
    expect(formatDate(2932896)).toBe('9999-12-31');
    expect(formatDate(2932897)).toBe('10000-01-01');
    expect(formatDate(-2147483648)).toBe('-infinity');
    expect(formatDate(2147483647)).toBe('infinity');
  });

  it('formats timestamps with trimmed fractional seconds', () => {
    expect(formatTimestamp(0n)).toBe('1970-01-01 00:00:00');
    expect(formatTimestamp(1_500_000n)).toBe('1970-01-01 00:00:01.5');
    expect(formatTimestamp(-1n)).toBe('1969-12-31 23:59:59.999999');
    expect(formatTimestamp(1_700_000_000_123_400n)).toBe('2023-11-14 22:13:20.1234');
    expect(formatTimestamp(-62135596800000000n)).toBe('0001-01-01 00:00:00');
    expect(formatTimestamp(-62135596800000000n - 1n)).toBe('0001-12-31 23:59:59.999999 BC');
    // far outside the 2^52 fast path
    expect(formatTimestamp(253402300799999999n)).toBe('9999-12-31 23:59:59.999999');
    expect(formatTimestamp(-210866803200000000n)).toBe('4714-11-24 00:00:00 BC');
    expect(formatTimestamp(9223372036854775807n)).toBe('infinity');
  });

  it('formats date and timestamp columns from a batch', () => {
    const cols = [
      { name: 'd', type: DATE },
      { name: 't', type: TIMESTAMP },
    ];
    const b = makeBatch(cols, 3, [
      { values: new Int32Array([-365, 0, 18000]), validity: new Uint8Array([0b110]) },
      { values: new BigInt64Array([-1n, 86_400_000_000n, 253402300799999999n]), validity: null },
    ]);
    expect(formatColumn(b, 0, DATE)).toEqual([null, '1970-01-01', '2019-04-14']);
    expect(formatColumn(b, 1, TIMESTAMP)).toEqual([
      '1969-12-31 23:59:59.999999',
      '1970-01-02 00:00:00',
      '9999-12-31 23:59:59.999999',
    ]);
  });
});

describe('formatColumn', () => {
  it('formats booleans, integers, bigints, doubles and varchars with NULLs', () => {
    const cols = [
      { name: 'b', type: BOOLEAN },
      { name: 'i', type: INTEGER },
      { name: 'l', type: BIGINT },
      { name: 'd', type: DOUBLE },
      { name: 's', type: VARCHAR },
    ];
    const enc = new TextEncoder().encode('añb');
    const b = makeBatch(cols, 3, [
      { values: new Uint8Array([0b001]), validity: new Uint8Array([0b011]) },
      { values: new Int32Array([-2147483648, 2147483647, 0]), validity: null },
      { values: new BigInt64Array([-9223372036854775808n, 9223372036854775807n, -5n]), validity: null },
      { values: new Float64Array([1e21, -0, 2.5]), validity: new Uint8Array([0b101]) },
      { values: enc, offsets: new Int32Array([0, 0, 3, 4]), validity: new Uint8Array([0b110]) },
    ]);
    expect(formatColumn(b, 0, BOOLEAN)).toEqual(['t', 'f', null]);
    expect(formatColumn(b, 1, INTEGER)).toEqual(['-2147483648', '2147483647', '0']);
    expect(formatColumn(b, 2, BIGINT)).toEqual(['-9223372036854775808', '9223372036854775807', '-5']);
    expect(formatColumn(b, 3, DOUBLE)).toEqual(['1e+21', null, '2.5']);
    expect(formatColumn(b, 4, VARCHAR)).toEqual([null, 'añ', 'b']);
  });

  it('honours the offset of sliced column data', () => {
    const cols = [
      { name: 'b', type: BOOLEAN },
      { name: 'i', type: INTEGER },
    ];
    const b = makeBatch(cols, 10, [
      { values: new Uint8Array([0b10101010, 0b10]), validity: null },
      { values: Int32Array.from({ length: 10 }, (_, i) => i), validity: new Uint8Array([0xff, 0b01]) },
    ]);
    const s = b.slice(7, 10);
    expect(formatColumn(s, 0, BOOLEAN)).toEqual(['t', 'f', 't']);
    expect(formatColumn(s, 1, INTEGER)).toEqual(['7', '8', null]);
  });
});
