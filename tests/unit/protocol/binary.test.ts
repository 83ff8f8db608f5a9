import { describe, expect, it } from 'vitest';
import { makeBatch } from '../../../common/arrow/batch.js';
import { PgOid } from '../../../common/pg-types.js';
import { setIntervalWords } from '../../../common/time/interval.js';
import { INTERVAL, TIMESTAMPTZ } from '../../../common/types.js';
import { decodeBinaryParam, numericBinaryToText, writeNumericBinary } from '../../../coordinator/protocol/binary.js';
import { BufferWriter } from '../../../coordinator/protocol/buffer-writer.js';
import { prepareColumns, writeDataRows } from '../../../coordinator/protocol/data-rows.js';

function numeric(text: string): Buffer {
  const w = new BufferWriter(64);
  writeNumericBinary(w, text);
  const b = w.take();
  expect(b.readInt32BE(0)).toBe(b.length - 4);
  return b.subarray(4);
}

describe('binary numeric', () => {
  it('encodes base-10000 digits, weight, sign and dscale like PostgreSQL', () => {
    // 12345.678 -> digits [1, 2345, 6780], weight 1, dscale 3
    const b = numeric('12345.678');
    expect([b.readInt16BE(0), b.readInt16BE(2), b.readUInt16BE(4), b.readInt16BE(6)]).toEqual([3, 1, 0, 3]);
    expect([b.readInt16BE(8), b.readInt16BE(10), b.readInt16BE(12)]).toEqual([1, 2345, 6780]);
    const z = numeric('0.00');
    expect([z.readInt16BE(0), z.readInt16BE(2), z.readUInt16BE(4), z.readInt16BE(6)]).toEqual([0, 0, 0, 2]);
    const small = numeric('-0.0005');
    expect([small.readInt16BE(0), small.readInt16BE(2), small.readUInt16BE(4), small.readInt16BE(8)]).toEqual([
      1, -1, 0x4000, 5,
    ]);
  });

  it.each([
    '0',
    '1',
    '-1',
    '10000',
    '0.5',
    '-123.45',
    '0.0001',
    '100000000.00000001',
    '12345678901234567890.123456789',
  ])('round-trips %s', (t) => {
    expect(numericBinaryToText(numeric(t))).toBe(t);
  });
});

describe('binary timestamptz and interval', () => {
  const cols = [
    { name: 'at', type: TIMESTAMPTZ },
    { name: 'iv', type: INTERVAL },
  ];
  const iv = new Int32Array(8);
  setIntervalWords(iv, 0, 14, 3, 14_706_500_000);
  setIntervalWords(iv, 1, 0, -1, -1);
  const batch = makeBatch(cols, 2, [
    { values: new BigInt64Array([BigInt(Date.parse('2024-01-01T10:00:00Z')) * 1000n, 0n]), validity: null },
    { values: iv, validity: null },
  ]);

  function values(formats: number[], zone?: string): Buffer[] {
    const w = new BufferWriter(256);
    const out = prepareColumns(batch, cols, formats, w, zone);
    expect(writeDataRows(w, out, 0, 2, 1 << 20)).toBe(2);
    const all = w.take();
    const fields: Buffer[] = [];
    let p = 0;
    while (p < all.length) {
      const len = all.readInt32BE(p + 1);
      const end = p + 1 + len;
      const n = all.readInt16BE(p + 5);
      let q = p + 7;
      for (let k = 0; k < n; k++) {
        const size = all.readInt32BE(q);
        fields.push(all.subarray(q + 4, q + 4 + size));
        q += 4 + size;
      }
      p = end;
    }
    return fields;
  }

  it('text: timestamptz in the session zone, interval in PostgreSQL style', () => {
    const f = values([0, 0], 'Asia/Kolkata').map((b) => b.toString());
    expect(f).toEqual([
      '2024-01-01 15:30:00+05:30',
      '1 year 2 mons 3 days 04:05:06.5',
      '1970-01-01 05:30:00+05:30',
      '-1 days -00:00:00.000001',
    ]);
  });

  it('binary: int64 µs since 2000-01-01; interval as µs, days, months', () => {
    const f = values([1, 1]);
    expect(f[0]!.readBigInt64BE(0)).toBe((BigInt(Date.parse('2024-01-01T10:00:00Z')) - 946_684_800_000n) * 1000n);
    expect([f[1]!.readBigInt64BE(0), f[1]!.readInt32BE(8), f[1]!.readInt32BE(12)]).toEqual([14_706_500_000n, 3, 14]);
    expect([f[3]!.readBigInt64BE(0), f[3]!.readInt32BE(8), f[3]!.readInt32BE(12)]).toEqual([-1n, -1, 0]);
    // Bind parameters decode back to text the engine reads.
    expect(decodeBinaryParam(PgOid.interval, f[1]!)).toBe('1 year 2 mons 3 days 04:05:06.5');
    expect(decodeBinaryParam(PgOid.timestamptz, f[0]!)).toBe('2024-01-01 10:00:00+00');
  });
});
