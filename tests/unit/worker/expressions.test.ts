import { describe, expect, it } from 'vitest';
import { SqlError } from '../../../common/errors.js';
import type { Expr, LiteralValue } from '../../../common/expr/expr.js';
import {
  BIGINT,
  BOOLEAN,
  type ColumnSchema,
  DATE,
  type DataType,
  DOUBLE,
  decimal,
  INTEGER,
  TIMESTAMP,
  VARCHAR,
} from '../../../common/types.js';
import { compileFilter } from '../../../worker/expressions/compile.js';
import { readBatch } from '../../../worker/expressions/vector.js';
import { batchOf, batchText, call, cmp, col, cols, lit, run, values } from './helpers.js';

/** Evaluates exprs over rows via a project node; returns text rows. */
async function evalText(input: ColumnSchema[], rows: LiteralValue[][], exprs: Expr[]): Promise<(string | null)[][]> {
  const output = exprs.map((e, i) => ({ name: `e${i}`, type: e.type }));
  return batchText(await run({ kind: 'project', input: values(input, rows), exprs, output }));
}

async function evalOne(e: Expr): Promise<string | null> {
  const r = await evalText(cols(['x', INTEGER]), [[1]], [e]);
  return r[0]![0]!;
}

async function sqlState(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SqlError);
    return (e as SqlError).sqlState;
  }
  throw new Error('expected an error');
}

async function errorOf(p: Promise<unknown>): Promise<SqlError> {
  try {
    await p;
  } catch (e) {
    return e as SqlError;
  }
  throw new Error('expected an error');
}

const I = (v: number | null): Expr => lit(v, INTEGER);
const D = (digits: string, p: number, s: number): Expr => lit(digits, decimal(p, s));
const S = (v: string | null): Expr => lit(v, VARCHAR);
const B = (v: boolean | null): Expr => lit(v, BOOLEAN);
const cast = (arg: Expr, type: DataType): Expr => ({ kind: 'cast', arg, type });

describe('arithmetic', () => {
  it('integer ops, truncating division, NULL propagation', async () => {
    const input = cols(['a', INTEGER], ['b', INTEGER]);
    const rows = [
      [7, 2],
      [-7, 2],
      [5, null],
    ];
    const a = col(0, INTEGER);
    const b = col(1, INTEGER);
    const r = await evalText(input, rows, [
      call('add', INTEGER, a, b),
      call('subtract', INTEGER, a, b),
      call('multiply', INTEGER, a, b),
      call('divide', INTEGER, a, b),
      call('modulus', INTEGER, a, b),
      call('negate', INTEGER, a),
    ]);
    expect(r).toEqual([
      ['9', '5', '14', '3', '1', '-7'],
      ['-5', '-9', '-14', '-3', '-1', '7'],
      [null, null, null, null, null, '-5'],
    ]);
  });

  it('integer overflow raises 22003', async () => {
    expect(await sqlState(evalOne(call('add', INTEGER, I(2147483647), I(1))))).toBe('22003');
    expect(await sqlState(evalOne(call('multiply', INTEGER, I(65536), I(65536))))).toBe('22003');
    expect(await sqlState(evalOne(call('negate', INTEGER, I(-2147483648))))).toBe('22003');
    expect(await sqlState(evalOne(call('add', BIGINT, lit('9223372036854775807', BIGINT), lit('1', BIGINT))))).toBe(
      '22003',
    );
    expect(await evalOne(call('add', BIGINT, lit('9223372036854775806', BIGINT), lit('1', BIGINT)))).toBe(
      '9223372036854775807',
    );
  });

  it('division by zero raises 22012 (integer, bigint, double, decimal, modulus)', async () => {
    expect(await sqlState(evalOne(call('divide', INTEGER, I(1), I(0))))).toBe('22012');
    expect(await sqlState(evalOne(call('modulus', INTEGER, I(1), I(0))))).toBe('22012');
    expect(await sqlState(evalOne(call('divide', BIGINT, lit('1', BIGINT), lit('0', BIGINT))))).toBe('22012');
    expect(await sqlState(evalOne(call('divide', DOUBLE, lit(1, DOUBLE), lit(0, DOUBLE))))).toBe('22012');
    expect(await sqlState(evalOne(call('divide', decimal(10, 2), D('100', 5, 2), D('0', 5, 2))))).toBe('22012');
  });

  it('division by zero in an untaken CASE branch does not raise', async () => {
    const x = col(0, INTEGER);
    const e: Expr = {
      kind: 'case',
      whens: [{ when: cmp('eq', x, I(0)), result: I(-1) }],
      otherwise: call('divide', INTEGER, I(10), x),
      type: INTEGER,
    };
    expect(await evalText(cols(['x', INTEGER]), [[0], [3]], [e])).toEqual([['-1'], ['3']]);
  });

  it('decimal add/multiply/divide rescale to the result type', async () => {
    // 1.25 (5,2) + 0.125 (5,3) -> (6,3)
    expect(await evalOne(call('add', decimal(6, 3), D('125', 5, 2), D('125', 5, 3)))).toBe('1.375');
    // 1.5 * 2.25 -> scale 3
    expect(await evalOne(call('multiply', decimal(10, 3), D('15', 5, 1), D('225', 5, 2)))).toBe('3.375');
    // 1 / 3 at scale 6 rounds half away from zero; 2/3 rounds up
    expect(await evalOne(call('divide', decimal(10, 6), D('1', 5, 0), D('3', 5, 0)))).toBe('0.333333');
    expect(await evalOne(call('divide', decimal(10, 6), D('2', 5, 0), D('3', 5, 0)))).toBe('0.666667');
    expect(await evalOne(call('divide', decimal(10, 0), D('-5', 5, 0), D('2', 5, 0)))).toBe('-3');
    // long decimals (BigInt path)
    expect(await evalOne(call('multiply', decimal(38, 4), D('12345678901234567', 20, 2), D('100', 20, 2)))).toBe(
      '123456789012345.6700',
    );
    expect(await evalOne(call('subtract', decimal(20, 2), D('1', 20, 2), D('3', 20, 2)))).toBe('-0.02');
  });

  it('decimal overflow of the result precision raises 22003', async () => {
    expect(await sqlState(evalOne(call('add', decimal(3, 1), D('999', 3, 1), D('1', 3, 1))))).toBe('22003');
    expect(await sqlState(evalOne(call('multiply', decimal(4, 2), D('999', 3, 1), D('999', 3, 1))))).toBe('22003');
  });
});

describe('comparisons and logic', () => {
  it('strings compare by bytes (C collation)', async () => {
    const input = cols(['a', VARCHAR], ['b', VARCHAR]);
    const rows = [
      ['abc', 'abd'],
      ['Z', 'a'],
      ['é', 'z'],
      ['ab', 'abc'],
      ['x', 'x'],
      [null, 'x'],
    ];
    const a = col(0, VARCHAR);
    const b = col(1, VARCHAR);
    const r = await evalText(input, rows, [cmp('lt', a, b), cmp('eq', a, b), cmp('ge', a, b)]);
    expect(r).toEqual([
      ['true', 'false', 'false'],
      ['true', 'false', 'false'],
      ['false', 'false', 'true'],
      ['true', 'false', 'false'],
      ['false', 'true', 'true'],
      [null, null, null],
    ]);
  });

  it('AND/OR/NOT follow three-valued logic', async () => {
    const input = cols(['a', BOOLEAN], ['b', BOOLEAN]);
    const vals = [true, false, null];
    const rows = vals.flatMap((x) => vals.map((y) => [x, y]));
    const a = col(0, BOOLEAN);
    const b = col(1, BOOLEAN);
    const r = await evalText(input, rows, [
      { kind: 'and', args: [a, b], type: BOOLEAN },
      { kind: 'or', args: [a, b], type: BOOLEAN },
      { kind: 'not', arg: a, type: BOOLEAN },
      { kind: 'is_null', arg: a, negated: false, type: BOOLEAN },
      { kind: 'is_null', arg: b, negated: true, type: BOOLEAN },
    ]);
    const and3 = (x: boolean | null, y: boolean | null) =>
      x === false || y === false ? false : x === null || y === null ? null : true;
    const or3 = (x: boolean | null, y: boolean | null) =>
      x === true || y === true ? true : x === null || y === null ? null : false;
    const t = (v: boolean | null) => (v === null ? null : String(v));
    expect(r).toEqual(
      rows.map(([x, y]) => [
        t(and3(x as boolean | null, y as boolean | null)),
        t(or3(x as boolean | null, y as boolean | null)),
        t(x === null ? null : !x),
        t(x === null),
        t(y !== null),
      ]),
    );
  });

  it('IN with NULL rules', async () => {
    const x = col(0, INTEGER);
    const inList = (list: Expr[], negated = false): Expr => ({ kind: 'in', arg: x, list, negated, type: BOOLEAN });
    const input = cols(['x', INTEGER]);
    const rows = [[1], [3], [null]];
    const r = await evalText(input, rows, [
      inList([I(1), I(2)]),
      inList([I(1), I(null)]),
      inList([I(1), I(null)], true),
      inList([I(1), I(2)], true),
      inList([col(0, INTEGER), I(7)]),
    ]);
    expect(r).toEqual([
      ['true', 'true', 'false', 'false', 'true'],
      ['false', null, null, 'true', 'true'],
      [null, null, null, null, null],
    ]);
    const s = await evalText(
      cols(['s', VARCHAR]),
      [['b'], ['q']],
      [{ kind: 'in', arg: col(0, VARCHAR), list: [S('a'), S('b')], negated: false, type: BOOLEAN }],
    );
    expect(s).toEqual([['true'], ['false']]);
  });

  it('CASE with and without ELSE, varchar results', async () => {
    const x = col(0, INTEGER);
    const e: Expr = {
      kind: 'case',
      whens: [
        { when: cmp('lt', x, I(0)), result: S('neg') },
        { when: cmp('eq', x, I(0)), result: S('zero') },
      ],
      otherwise: S('pos'),
      type: VARCHAR,
    };
    const noElse: Expr = {
      kind: 'case',
      whens: [{ when: cmp('gt', x, I(0)), result: x }],
      otherwise: null,
      type: INTEGER,
    };
    const r = await evalText(cols(['x', INTEGER]), [[-5], [0], [9], [null]], [e, noElse]);
    expect(r).toEqual([
      ['neg', null],
      ['zero', null],
      ['pos', '9'],
      ['pos', null],
    ]);
  });

  it('coalesce and nullif', async () => {
    const r = await evalText(
      cols(['a', INTEGER], ['b', INTEGER]),
      [
        [null, 2],
        [1, 1],
        [null, null],
      ],
      [
        call('coalesce', INTEGER, col(0, INTEGER), col(1, INTEGER), I(9)),
        call('nullif', INTEGER, col(0, INTEGER), col(1, INTEGER)),
      ],
    );
    expect(r).toEqual([
      ['2', null],
      ['1', null],
      ['9', null],
    ]);
  });
});

describe('strings', () => {
  const s = col(0, VARCHAR);
  it('LIKE / ILIKE with %, _, escapes and multibyte characters', async () => {
    const rows = [['hello'], ['HeLLo world'], ['héllo'], ['h%llo'], [''], [null]];
    const like = (p: string, ci = false, esc?: string) =>
      call(ci ? 'ilike' : 'like', BOOLEAN, s, S(p), ...(esc ? [S(esc)] : []));
    const r = await evalText(cols(['s', VARCHAR]), rows, [
      like('h%'),
      like('%llo'),
      like('h_llo'),
      like('%l_o%'),
      like('hello'),
      like('he%', true),
      like('h\\%llo'),
      like('h#%llo', false, '#'),
      like('%'),
    ]);
    expect(r).toEqual([
      ['true', 'true', 'true', 'true', 'true', 'true', 'false', 'false', 'true'],
      ['false', 'false', 'false', 'false', 'false', 'true', 'false', 'false', 'true'],
      ['true', 'true', 'true', 'true', 'false', 'false', 'false', 'false', 'true'],
      ['true', 'true', 'true', 'true', 'false', 'false', 'true', 'true', 'true'],
      ['false', 'false', 'false', 'false', 'false', 'false', 'false', 'false', 'true'],
      [null, null, null, null, null, null, null, null, null],
    ]);
    // Non-constant pattern
    const dyn = await evalText(
      cols(['s', VARCHAR], ['p', VARCHAR]),
      [
        ['abc', 'a%'],
        ['abc', '%d'],
      ],
      [call('like', BOOLEAN, s, col(1, VARCHAR))],
    );
    expect(dyn).toEqual([['true'], ['false']]);
  });

  it('concat, ||, lower/upper, length, substring, trim', async () => {
    const rows = [['  Ab  '], ['héllo'], [null]];
    const r = await evalText(cols(['s', VARCHAR]), rows, [
      call('concat', VARCHAR, s, S('-'), S(null), I(1)),
      call('concat_op', VARCHAR, s, S('!')),
      call('upper', VARCHAR, s),
      call('lower', VARCHAR, s),
      call('length', INTEGER, s),
      call('substring', VARCHAR, s, I(2), I(3)),
      call('substring', VARCHAR, s, I(0), I(2)),
      call('trim', VARCHAR, s),
    ]);
    expect(r).toEqual([
      ['  Ab  -1', '  Ab  !', '  AB  ', '  ab  ', '6', ' Ab', ' ', 'Ab'],
      ['héllo-1', 'héllo!', 'HÉLLO', 'héllo', '5', 'éll', 'h', 'héllo'],
      ['-1', null, null, null, null, null, null, null],
    ]);
  });
});

describe('numeric functions and extract', () => {
  it('abs, round, ceil, floor', async () => {
    const dec = decimal(10, 2);
    const r = await evalText(
      cols(['d', dec], ['f', DOUBLE]),
      [
        ['-125', -2.5],
        ['125', 2.5],
        ['-124', 1.4],
      ],
      [
        call('abs', dec, col(0, dec)),
        call('round', dec, col(0, dec), I(1)),
        call('round', dec, col(0, dec)),
        call('ceil', dec, col(0, dec)),
        call('floor', dec, col(0, dec)),
        call('round', DOUBLE, col(1, DOUBLE)),
        call('abs', DOUBLE, col(1, DOUBLE)),
      ],
    );
    expect(r).toEqual([
      ['1.25', '-1.30', '-1.00', '-1.00', '-2.00', '-3', '2.5'],
      ['1.25', '1.30', '1.00', '2.00', '1.00', '3', '2.5'],
      ['1.24', '-1.20', '-1.00', '-1.00', '-2.00', '1', '1.4'],
    ]);
  });

  it('extract fields from date and timestamp', async () => {
    const fields = ['year', 'month', 'day', 'quarter', 'dow', 'doy', 'week'];
    const r = await evalText(
      cols(['d', DATE]),
      [[daysOf('2024-03-15')]],
      fields.map((f) => call('extract', decimal(10, 0), S(f), col(0, DATE))),
    );
    expect(r).toEqual([['2024', '3', '15', '1', '5', '75', '11']]);
    // PostgreSQL 14+: numeric results; 'second' keeps the fraction, 'epoch' is the instant.
    const ts = await evalText(
      cols(['t', TIMESTAMP]),
      [[String(BigInt(daysOf('1999-12-31')) * 86400000000n + 45296500000n)]],
      [
        call('extract', decimal(10, 0), S('hour'), col(0, TIMESTAMP)),
        call('extract', decimal(10, 0), S('minute'), col(0, TIMESTAMP)),
        call('extract', decimal(8, 6), S('second'), col(0, TIMESTAMP)),
        call('extract', decimal(10, 0), S('year'), col(0, TIMESTAMP)),
        call('extract', decimal(19, 6), S('epoch'), col(0, TIMESTAMP)),
      ],
    );
    expect(ts).toEqual([['12', '34', '56.500000', '1999', '946643696.500000']]);
    const before1970 = await evalText(
      cols(['t', TIMESTAMP]),
      [[String(-3600000000n)]],
      [
        call('extract', decimal(10, 0), S('hour'), col(0, TIMESTAMP)),
        call('extract', decimal(10, 0), S('year'), col(0, TIMESTAMP)),
        call('extract', decimal(10, 0), S('day'), col(0, TIMESTAMP)),
      ],
    );
    expect(before1970).toEqual([['23', '1969', '31']]);
  });
});

function daysOf(s: string): number {
  return Math.round(Date.parse(`${s}T00:00:00Z`) / 86400000);
}

describe('casts', () => {
  it('between numbers, text, dates, timestamps and booleans', async () => {
    expect(await evalOne(cast(S(' 42 '), INTEGER))).toBe('42');
    expect(await evalOne(cast(S('-9223372036854775808'), BIGINT))).toBe('-9223372036854775808');
    expect(await evalOne(cast(S('1.005'), decimal(10, 2)))).toBe('1.01');
    expect(await evalOne(cast(S('-1.005'), decimal(10, 2)))).toBe('-1.01');
    expect(await evalOne(cast(D('12345', 10, 3), decimal(10, 1)))).toBe('12.3');
    expect(await evalOne(cast(D('12355', 10, 3), decimal(10, 2)))).toBe('12.36');
    expect(await evalOne(cast(D('-25', 10, 1), INTEGER))).toBe('-3');
    expect(await evalOne(cast(lit(2.5, DOUBLE), INTEGER))).toBe('2');
    expect(await evalOne(cast(lit(0.1, DOUBLE), decimal(10, 3)))).toBe('0.100');
    expect(await evalOne(cast(D('15', 5, 1), DOUBLE))).toBe('1.5');
    expect(await evalOne(cast(I(7), decimal(20, 2)))).toBe('7.00');
    expect(await evalOne(cast(S('2024-02-29'), DATE))).toBe('2024-02-29');
    expect(await evalOne(cast(S('2024-02-29 13:14:15.5'), TIMESTAMP))).toBe('2024-02-29 13:14:15.5');
    expect(await evalOne(cast(cast(S('2024-02-29'), DATE), TIMESTAMP))).toBe('2024-02-29 00:00:00');
    expect(await evalOne(cast(cast(S('2024-02-29 23:59:59'), TIMESTAMP), DATE))).toBe('2024-02-29');
    expect(await evalOne(cast(S('yes'), BOOLEAN))).toBe('true');
    expect(await evalOne(cast(I(0), BOOLEAN))).toBe('false');
    expect(await evalOne(cast(B(true), INTEGER))).toBe('1');
    expect(await evalOne(cast(lit(1e21, DOUBLE), VARCHAR))).toBe('1e+21');
    expect(await evalOne(cast(D('-5', 10, 2), VARCHAR))).toBe('-0.05');
    expect(await evalOne(cast(lit('123456789012345678901234', decimal(30, 4)), VARCHAR))).toBe(
      '12345678901234567890.1234',
    );
    expect(await evalOne(cast(I(null), VARCHAR))).toBe(null);
  });

  it('raises PostgreSQL-like errors', async () => {
    const e = await errorOf(evalOne(cast(S('abc'), INTEGER)));
    expect(e.sqlState).toBe('22P02');
    expect(e.message).toBe('invalid input syntax for type integer: "abc"');
    expect(await sqlState(evalOne(cast(S('99999999999'), INTEGER)))).toBe('22003');
    expect(await sqlState(evalOne(cast(S('x1'), decimal(5, 2))))).toBe('22P02');
    expect(await sqlState(evalOne(cast(S('1000'), decimal(5, 2))))).toBe('22003');
    const d = await errorOf(evalOne(cast(S('2024-13-45x'), DATE)));
    expect(d.sqlState).toBe('22007');
    expect(d.message).toBe('invalid input syntax for type date: "2024-13-45x"');
    expect(await sqlState(evalOne(cast(S('nope'), TIMESTAMP)))).toBe('22007');
    expect(await sqlState(evalOne(cast(lit(3e10, DOUBLE), INTEGER)))).toBe('22003');
    expect(await sqlState(evalOne(cast(S('maybe'), BOOLEAN)))).toBe('22P02');
  });
});

describe('kernels', () => {
  it('a predicate yields a selection vector of TRUE rows only', () => {
    const input = cols(['a', INTEGER]);
    const batch = batchOf(input, [[1], [null], [5], [10], [3]]);
    const k = compileFilter(cmp('gt', col(0, INTEGER), I(2)), [INTEGER]);
    const { sel, count } = k.run(readBatch(batch, [INTEGER]), batch.numRows);
    expect([...sel.subarray(0, count)]).toEqual([2, 3, 4]);
  });

  it('fused filter + project evaluates projections only for passing rows', async () => {
    const input = cols(['a', INTEGER]);
    const x = col(0, INTEGER);
    const out = await run({
      kind: 'project',
      input: { kind: 'filter', input: values(input, [[0], [2], [4]]), predicate: cmp('ne', x, I(0)), output: input },
      exprs: [call('divide', INTEGER, I(8), x)],
      output: cols(['q', INTEGER]),
    });
    expect(batchText(out)).toEqual([['4'], ['2']]);
  });

  it('rejects unresolved params', async () => {
    expect(await sqlState(evalOne({ kind: 'param', index: 1, type: INTEGER }))).toBe('XX000');
  });
});
