import { describe, expect, it } from 'vitest';
import { makeBatch } from '../../../common/arrow/batch.js';
import { valuesToBatch } from '../../../common/arrow/values.js';
import { SqlError } from '../../../common/errors.js';
import { castLiteral, decodeLiteral, encodeLiteral } from '../../../common/expr/literal.js';
import { BIGINT, BOOLEAN, DATE, DOUBLE, decimal, INTEGER, TIMESTAMP, VARCHAR } from '../../../common/types.js';
import { partitionBatch } from '../../../worker/exchange/partitioner.js';
import { allRows, batchText, cols } from './helpers.js';

describe('literals', () => {
  it('decode into kernel values and encode back', () => {
    expect(decodeLiteral('12345', decimal(10, 2))).toBe(12345);
    expect(decodeLiteral('12345', decimal(20, 2))).toBe(12345n);
    expect(decodeLiteral('-9223372036854775808', BIGINT)).toBe(-(2n ** 63n));
    expect(decodeLiteral('NaN', DOUBLE)).toBeNaN();
    expect(decodeLiteral('-Infinity', DOUBLE)).toBe(Number.NEGATIVE_INFINITY);
    expect(decodeLiteral(null, INTEGER)).toBe(null);
    expect(encodeLiteral(12345n, decimal(20, 2))).toBe('12345');
    expect(encodeLiteral(Number.POSITIVE_INFINITY, DOUBLE)).toBe('Infinity');
    expect(encodeLiteral(3n, TIMESTAMP)).toBe('3');
    for (const [v, t] of [
      ['123', decimal(5, 1)],
      [7, INTEGER],
      [true, BOOLEAN],
      ['x', VARCHAR],
      [19000, DATE],
      ['1700000000000000', TIMESTAMP],
    ] as const) {
      expect(encodeLiteral(decodeLiteral(v, t), t)).toEqual(v);
    }
  });

  it('castLiteral folds casts with kernel semantics', () => {
    expect(castLiteral('42', VARCHAR, INTEGER)).toBe(42);
    expect(castLiteral('1.255', VARCHAR, decimal(10, 2))).toBe('126');
    expect(castLiteral('-125', decimal(10, 2), INTEGER)).toBe(-1);
    expect(castLiteral('2024-01-02', VARCHAR, DATE)).toBe(19724);
    expect(castLiteral(19724, DATE, VARCHAR)).toBe('2024-01-02');
    expect(castLiteral('123456', decimal(10, 3), VARCHAR)).toBe('123.456');
    expect(castLiteral(null, INTEGER, VARCHAR)).toBe(null);
    expect(() => castLiteral('abc', VARCHAR, BIGINT)).toThrow(SqlError);
    expect(() => castLiteral(2147483648, BIGINT, INTEGER)).toThrow(/out of range/);
  });

  it('valuesToBatch builds every type', () => {
    const schema = cols(
      ['b', BOOLEAN],
      ['i', INTEGER],
      ['l', BIGINT],
      ['f', DOUBLE],
      ['d', decimal(10, 2)],
      ['D', decimal(30, 2)],
      ['s', VARCHAR],
      ['t', DATE],
      ['ts', TIMESTAMP],
    );
    const batch = valuesToBatch(
      [
        [true, 1, '2', 1.5, '-150', '-123456789012345678901', 'hé', 0, '86400000000'],
        [null, null, null, null, null, null, null, null, null],
      ],
      schema,
    );
    expect(batchText([batch])).toEqual([
      ['true', '1', '2', '1.5', '-1.50', '-1234567890123456789.01', 'hé', '1970-01-01', '1970-01-02 00:00:00'],
      [null, null, null, null, null, null, null, null, null],
    ]);
  });
});

describe('partitioner', () => {
  const schema = cols(['k', INTEGER], ['s', VARCHAR], ['v', DOUBLE]);
  const rows = Array.from({ length: 1000 }, (_, i) => [i % 50 === 0 ? null : i % 97, `s${i % 13}`, i]);

  it('puts equal keys in the same partition regardless of batch boundaries; NULL keys together', () => {
    const whole = partitionBatch(valuesToBatch(rows, schema), [0, 1], 4);
    const where = new Map<string, number>();
    whole.forEach((b, p) => {
      if (!b) return;
      for (const r of allRows([b])) where.set(JSON.stringify([r[0], r[1]]), p);
    });
    // the same rows split into other batches land identically
    for (const chunk of [rows.slice(0, 333), rows.slice(333, 700), rows.slice(700)]) {
      partitionBatch(valuesToBatch(chunk, schema), [0, 1], 4).forEach((b, p) => {
        if (!b) return;
        for (const r of allRows([b])) expect(where.get(JSON.stringify([r[0], r[1]]))).toBe(p);
      });
    }
    const total = whole.reduce((n, b) => n + (b?.numRows ?? 0), 0);
    expect(total).toBe(1000);
    expect(whole.filter((b) => b && b.numRows > 0).length).toBeGreaterThan(1);
    // all-NULL key rows: single partition
    const nullParts = partitionBatch(
      valuesToBatch(
        rows.filter((r) => r[0] === null),
        schema,
      ),
      [0],
      4,
    );
    expect(nullParts.filter((b) => b !== null).length).toBe(1);
  });

  it('hashes integer values identically whether they come as Int32 or as a double-typed batch', () => {
    const a = makeBatch(cols(['k', INTEGER]), 3, [{ values: Int32Array.from([5, 6, 7]), validity: null }]);
    const b = makeBatch(cols(['k', INTEGER]), 3, [{ values: Int32Array.from([7, 5, 6]), validity: null }]);
    const pa = partitionBatch(a, [0], 3);
    const pb = partitionBatch(b, [0], 3);
    const owner = (parts: typeof pa) => {
      const m = new Map<unknown, number>();
      parts.forEach((x, p) => {
        if (!x) return;
        for (const r of allRows([x])) m.set(r[0], p);
      });
      return m;
    };
    expect(owner(pb)).toEqual(owner(pa));
    expect(partitionBatch(a, [0], 1)[0]).toBe(a);
  });
});

describe('decimal128 words', () => {
  it('round-trips small and large, positive and negative values', async () => {
    const { d128Get, d128Set } = await import('../../../worker/expressions/vector.js');
    const v = new Uint32Array(4);
    for (const x of [
      0n,
      1n,
      -1n,
      2n ** 63n - 1n,
      -(2n ** 63n),
      2n ** 63n,
      -(2n ** 63n) - 1n,
      10n ** 37n,
      -(10n ** 37n) + 7n,
    ]) {
      d128Set(v, 0, x);
      expect(d128Get(v, 0)).toBe(x);
    }
  });
});

describe('reading columns', () => {
  it('decodes dictionary-encoded strings and sliced batches', async () => {
    const { vectorFromArray, Dictionary, Utf8, Int32, makeData, RecordBatch, Schema, Field, Struct } = await import(
      'apache-arrow'
    );
    const v = vectorFromArray(['x', 'y', null, 'x'], new Dictionary(new Utf8(), new Int32()));
    const field = new Field('s', v.type, true);
    const schema = new Schema([field]);
    const data = makeData({ type: new Struct([field]), length: 4, nullCount: 0, children: [v.data[0]!] });
    const batch = new RecordBatch(schema, data);
    const { readBatch } = await import('../../../worker/expressions/vector.js');
    const [c] = readBatch(batch, [VARCHAR]);
    const dec = new TextDecoder();
    const strs = [0, 1, 2, 3].map((i) =>
      c!.validity && ((c!.validity[i >> 3]! >> (i & 7)) & 1) === 0
        ? null
        : dec.decode(c!.values.subarray(c!.offsets![i]!, c!.offsets![i + 1]!) as Uint8Array),
    );
    expect(strs).toEqual(['x', 'y', null, 'x']);
    const plain = valuesToBatch(
      [
        [1, true],
        [2, null],
        [3, false],
        [null, true],
      ],
      cols(['i', INTEGER], ['b', BOOLEAN]),
    );
    expect(allRows([plain.slice(1, 4)])).toEqual([
      [2, null],
      [3, false],
      [null, true],
    ]);
  });
});
