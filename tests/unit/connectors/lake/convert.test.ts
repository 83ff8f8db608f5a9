// Conversion of Arrow columns as parquet-wasm decodes them into Tributary layouts, and the
// round trip through our Parquet writer.
import {
  Bool,
  DateMillisecond,
  Decimal,
  Dictionary,
  Float32,
  Int8,
  Int32,
  makeData,
  TimestampMillisecond,
  TimestampNanosecond,
  Uint32,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { ParquetFile } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { makeBatch } from '../../../../common/arrow/batch.js';
import { BIGINT, DATE, DOUBLE, decimal, INTEGER, TIMESTAMP, VARCHAR } from '../../../../common/types.js';
import { sqlTypeOfArrow } from '../../../../connectors/lake/arrow-types.js';
import { constantColumn, nullColumn, sliceBits, toTributary } from '../../../../connectors/lake/convert.js';
import { encodeParquet, shortDecimalWords } from '../../../../connectors/lake/writer.js';

function decimalData(words: number[][], precision: number, scale: number) {
  const flat = new Uint32Array(words.flat());
  return makeData({ type: new Decimal(scale, precision, 128), length: words.length, nullCount: 0, data: flat });
}

describe('arrow -> tributary conversion', () => {
  it('maps Arrow types to SQL types', () => {
    expect(sqlTypeOfArrow(new Int8())).toEqual(INTEGER);
    expect(sqlTypeOfArrow(new Uint32())).toEqual(BIGINT);
    expect(sqlTypeOfArrow(new Float32())).toEqual(DOUBLE);
    expect(sqlTypeOfArrow(new Decimal(2, 10, 128))).toEqual(decimal(10, 2));
    expect(sqlTypeOfArrow(new TimestampNanosecond())).toEqual(TIMESTAMP);
    expect(sqlTypeOfArrow(new Dictionary(new Utf8(), new Int32()))).toEqual(VARCHAR);
  });

  it('converts small ints and floats with NULLs', () => {
    const ints = vectorFromArray([1, null, -3], new Int8()).data[0]!;
    const b = toTributary(ints, INTEGER);
    expect(Array.from(b.values as Int32Array)).toEqual([1, 0, -3]);
    expect(b.validity?.[0]).toBe(0b101);
    const f = toTributary(vectorFromArray([1.5, 2.25], new Float32()).data[0]!, DOUBLE);
    expect(Array.from(f.values as Float64Array)).toEqual([1.5, 2.25]);
    const u = toTributary(vectorFromArray([4000000000], new Uint32()).data[0]!, BIGINT);
    expect(Array.from(u.values as BigInt64Array)).toEqual([4000000000n]);
  });

  it('turns short decimals into exact scaled doubles without BigInt, keeps long ones as 128-bit', () => {
    // 12345 and -12345 and 999999999999999 (15 digits)
    const big = 999999999999999;
    const d = decimalData(
      [
        [12345, 0, 0, 0],
        [-12345 >>> 0, 0xffffffff, 0xffffffff, 0xffffffff],
        [big % 4294967296, Math.floor(big / 4294967296), 0, 0],
      ],
      15,
      2,
    );
    expect(Array.from(toTributary(d, decimal(15, 2)).values as Float64Array)).toEqual([12345, -12345, big]);
    const wide = decimalData([[7, 0, 0, 0]], 20, 2);
    expect(Array.from(toTributary(wide, decimal(20, 2)).values as Uint32Array)).toEqual([7, 0, 0, 0]);
    expect(Array.from(shortDecimalWords(new Float64Array([12345, -12345, big]), 3))).toEqual(
      Array.from(d.values as Uint32Array),
    );
  });

  it('converts timestamps of every unit to microseconds and dates to days', () => {
    const ms = toTributary(vectorFromArray([1000n, -1n], new TimestampMillisecond()).data[0]!, TIMESTAMP);
    expect(Array.from(ms.values as BigInt64Array)).toEqual([1000000n, -1000n]);
    const nsData = makeData({
      type: new TimestampNanosecond(),
      length: 2,
      nullCount: 0,
      data: new BigInt64Array([1999n, -1n]),
    });
    const ns = toTributary(nsData, TIMESTAMP);
    expect(Array.from(ns.values as BigInt64Array)).toEqual([1n, -1n]);
    const dm = toTributary(vectorFromArray([new Date(86_400_000 * 3)], new DateMillisecond()).data[0]!, DATE);
    expect(Array.from(dm.values as Int32Array)).toEqual([3]);
  });

  it('expands string dictionaries and slices with offsets', () => {
    const dict = vectorFromArray(['a', 'bb', 'a', null, 'ccc'], new Dictionary(new Utf8(), new Int32()));
    const b = toTributary(dict.data[0]!, VARCHAR);
    const text = new TextDecoder().decode(b.values as Uint8Array);
    expect(text).toBe('abbaccc');
    expect(Array.from(b.offsets!)).toEqual([0, 1, 3, 4, 4, 7]);
    const sliced = vectorFromArray(['x', 'yy', 'zzz']).slice(1).data[0]!;
    const s = toTributary(sliced, VARCHAR);
    expect(Array.from(s.offsets!)).toEqual([0, 2, 5]);
    expect(new TextDecoder().decode(s.values as Uint8Array)).toBe('yyzzz');
    const bools = vectorFromArray([true, false, true, true], new Bool()).slice(1).data[0]!;
    expect(toTributary(bools, { kind: 'boolean' }).values).toEqual(new Uint8Array([0b110]));
  });

  it('builds NULL, constant columns and bit slices', () => {
    expect(nullColumn(INTEGER, 3).nullCount).toBe(3);
    expect(Array.from(constantColumn(DATE, 7, 2).values as Int32Array)).toEqual([7, 7]);
    const c = constantColumn(VARCHAR, 'ab', 3);
    expect(new TextDecoder().decode(c.values as Uint8Array)).toBe('ababab');
    expect(Array.from(sliceBits(new Uint8Array([0b10110100]), 2, 5))).toEqual([0b01101]);
  });
});

describe('writer round trip', () => {
  it('writes zstd Parquet that parquet-wasm reads back with real decimal types', async () => {
    const columns = [
      { name: 'k', type: INTEGER },
      { name: 'price', type: decimal(12, 2) },
      { name: 'big', type: decimal(20, 2) },
      { name: 'name', type: VARCHAR },
    ];
    const words = new Uint32Array([5, 0, 0, 0, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]);
    const batch = makeBatch(columns, 2, [
      { values: new Int32Array([1, 2]), validity: null },
      { values: new Float64Array([12345, -5]), validity: new Uint8Array([0b01]) },
      { values: words, validity: null },
      { values: new TextEncoder().encode('ab'), offsets: new Int32Array([0, 1, 2]), validity: null },
    ]);
    const bytes = encodeParquet(columns, [batch]);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x50, 0x41, 0x52, 0x31]);
    const pf = await ParquetFile.fromFile(new Blob([bytes]));
    const rg = pf.metadata().rowGroup(0);
    expect(rg.column(0).compression()).toBe(5); // ZSTD
    const { tableFromIPC } = await import('apache-arrow');
    const t = tableFromIPC((await pf.read()).intoIPCStream());
    expect(String(t.schema.fields[1]!.type)).toBe('Decimal[12e+2]');
    const price = toTributary(t.batches[0]!.data.children[1]!, decimal(12, 2));
    expect(Array.from(price.values as Float64Array)[0]).toBe(12345);
    expect((price.validity?.[0] ?? 0) & 1).toBe(1);
    expect((price.validity?.[0] ?? 0) & 2).toBe(0);
    const big = toTributary(t.batches[0]!.data.children[2]!, decimal(20, 2));
    expect(Array.from(big.values as Uint32Array)).toEqual(Array.from(words));
  });
});
