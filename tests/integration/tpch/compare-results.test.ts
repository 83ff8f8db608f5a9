// The comparison rules of the TPC-H test: it must catch real differences, and accept only the
// representation differences it documents.
import { describe, expect, it } from 'vitest';
import { type Answer, compareAnswers, compareValue } from './compare-results.js';

const NUMERIC = 1700;
const TEXT = 25;

function answer(rows: (string | null)[][], types = [TEXT, NUMERIC]): Answer {
  return { columns: types.map((typeOid, i) => ({ name: `c${i}`, typeOid })), rows };
}

describe('compareValue', () => {
  it('compares exact decimals of the same scale exactly', () => {
    expect(compareValue('1.00', '1.00', true, false)).toBeUndefined();
    expect(compareValue('123456789012.34', '123456789012.35', true, false)).toMatch(/exact decimals/);
    expect(compareValue('123456789012.34', '123456789012.35', true, true)).toBeUndefined();
  });

  it('accepts a coarser scale only as the correctly rounded value in approximate columns', () => {
    expect(compareValue('25.58', '25.5770158', true, true)).toBeUndefined();
    expect(compareValue('0.05', '0.04998', true, true)).toBeUndefined();
    expect(compareValue('25.57', '25.5770158', true, true)).toBeDefined();
    expect(compareValue('0.05', '0.04998', true, false)).toBeDefined();
    expect(compareValue('12.5', '12.50', true, false)).toBeUndefined();
  });

  it('compares approximate numbers with a relative tolerance', () => {
    expect(compareValue('0.30000000000000004', '0.3', true, false)).toBeUndefined();
    expect(compareValue('1.5e3', '1500.00001', true, false)).toBeDefined();
    expect(compareValue('1.5e3', '1500.00001', true, true)).toBeUndefined();
  });

  it('compares text and NULL exactly', () => {
    expect(compareValue('a', 'a', false, false)).toBeUndefined();
    expect(compareValue('a', 'a ', false, false)).toBeDefined();
    expect(compareValue(null, null, true, false)).toBeUndefined();
    expect(compareValue(null, '0', true, false)).toBeDefined();
    expect(compareValue('1995', '1995', false, false)).toBeUndefined();
  });
});

describe('compareAnswers', () => {
  it('accepts the same rows, and rows tied on the ORDER BY in another order', () => {
    const theirs = answer([
      ['a', '2.00'],
      ['b', '1.00'],
      ['c', '1.00'],
    ]);
    const ours = answer([
      ['a', '2.00'],
      ['c', '1.00'],
      ['b', '1.00'],
    ]);
    expect(compareAnswers(ours, theirs, { orderKeys: [1] })).toEqual([]);
    expect(compareAnswers(ours, theirs, { orderKeys: [0] })).toHaveLength(2);
  });

  it('reports a missing row, a wrong value and a wrong order', () => {
    const theirs = answer([
      ['a', '1.00'],
      ['b', '2.00'],
    ]);
    expect(compareAnswers(answer([['a', '1.00']]), theirs, { orderKeys: [] })[0]).toMatch(/row count 1 <> 2/);
    expect(
      compareAnswers(
        answer([
          ['a', '1.00'],
          ['b', '2.01'],
        ]),
        theirs,
        { orderKeys: [] },
      ),
    ).toEqual(['sorted row 2, column c1: ours 2.01, PostgreSQL 2.00 (exact decimals)']);
    expect(
      compareAnswers(
        answer([
          ['b', '2.00'],
          ['a', '1.00'],
        ]),
        theirs,
        { orderKeys: [0] },
      ),
    ).toHaveLength(2);
  });
});
