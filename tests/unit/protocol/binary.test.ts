import { describe, expect, it } from 'vitest';
import { numericBinaryToText, writeNumericBinary } from '../../../coordinator/protocol/binary.js';
import { BufferWriter } from '../../../coordinator/protocol/buffer-writer.js';

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
