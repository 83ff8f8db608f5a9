// Kernels of the scalar functions beyond the core operators, compiled and run over batches.
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
import { batchText, call, col, cols, lit, run, values } from './helpers.js';

async function evalRows(input: ColumnSchema[], rows: LiteralValue[][], exprs: Expr[]): Promise<(string | null)[][]> {
  const output = exprs.map((e, i) => ({ name: `e${i}`, type: e.type }));
  return batchText(await run({ kind: 'project', input: values(input, rows), exprs, output }));
}

/** One expression over a column of strings: its value per row. */
async function overStrings(vs: (string | null)[], f: (s: Expr) => Expr): Promise<(string | null)[]> {
  const r = await evalRows(
    cols(['s', VARCHAR]),
    vs.map((v) => [v]),
    [f(col(0, VARCHAR))],
  );
  return r.map((x) => x[0]!);
}

async function one(e: Expr): Promise<string | null> {
  return (await evalRows(cols(['x', INTEGER]), [[1]], [e]))[0]![0]!;
}

async function stateOf(e: Expr): Promise<string> {
  try {
    await one(e);
  } catch (err) {
    expect(err).toBeInstanceOf(SqlError);
    return (err as SqlError).sqlState;
  }
  throw new Error('expected an error');
}

const S = (v: string | null): Expr => lit(v, VARCHAR);
const I = (v: number | null): Expr => lit(v, INTEGER);
const F = (v: number): Expr => lit(v, DOUBLE);

describe('string functions', () => {
  const words = ['hello world', 'xxabcxx', null, '', 'héllo, wörld'];

  it('strpos counts code points; empty needle is 1', async () => {
    expect(await overStrings(words, (s) => call('strpos', INTEGER, s, S('o')))).toEqual(['5', '0', null, '0', '5']);
    expect(await overStrings(words, (s) => call('strpos', INTEGER, s, S('')))).toEqual(['1', '1', null, '1', '1']);
  });

  it('trim / ltrim / rtrim with a character set, ASCII and not', async () => {
    expect(await overStrings(words, (s) => call('trim', VARCHAR, s, S('x')))).toEqual([
      'hello world',
      'abc',
      null,
      '',
      'héllo, wörld',
    ]);
    expect(await overStrings(['ééaéé', '  a  '], (s) => call('ltrim', VARCHAR, s, S('é')))).toEqual(['aéé', '  a  ']);
    expect(await overStrings(['ééaéé', '  a  '], (s) => call('rtrim', VARCHAR, s))).toEqual(['ééaéé', '  a']);
  });

  it('replace, split_part (negative counts from the end), left/right', async () => {
    expect(await overStrings(words, (s) => call('replace', VARCHAR, s, S('l'), S('LL')))).toEqual([
      'heLLLLo worLLd',
      'xxabcxx',
      null,
      '',
      'héLLLLo, wörLLd',
    ]);
    expect(await overStrings(['a,b,,c', ''], (s) => call('split_part', VARCHAR, s, S(','), I(3)))).toEqual(['', '']);
    expect(await overStrings(['a,b,,c'], (s) => call('split_part', VARCHAR, s, S(','), I(-1)))).toEqual(['c']);
    expect(await overStrings(['a,b,,c'], (s) => call('split_part', VARCHAR, s, S(','), I(9)))).toEqual(['']);
    expect(await stateOf(call('split_part', VARCHAR, S('a'), S(','), I(0)))).toBe('22023');
    expect(await overStrings(['héllo'], (s) => call('left', VARCHAR, s, I(2)))).toEqual(['hé']);
    expect(await overStrings(['héllo'], (s) => call('left', VARCHAR, s, I(-2)))).toEqual(['hél']);
    expect(await overStrings(['héllo'], (s) => call('right', VARCHAR, s, I(4)))).toEqual(['éllo']);
    expect(await overStrings(['héllo'], (s) => call('right', VARCHAR, s, I(-4)))).toEqual(['o']);
  });

  it('lpad/rpad truncate or fill with a repeated pattern', async () => {
    expect(await one(call('lpad', VARCHAR, S('hi'), I(6), S('xyz')))).toBe('xyzxhi');
    expect(await one(call('rpad', VARCHAR, S('hi'), I(5), S('ab')))).toBe('hiaba');
    expect(await one(call('lpad', VARCHAR, S('hello'), I(3), S(' ')))).toBe('hel');
    expect(await one(call('lpad', VARCHAR, S('hi'), I(4), S('')))).toBe('hi');
    expect(await one(call('rpad', VARCHAR, S('hi'), I(-1), S(' ')))).toBe('');
  });

  it('starts_with, reverse, repeat, initcap, chr, ascii, md5', async () => {
    expect(await overStrings(words, (s) => call('starts_with', BOOLEAN, s, S('he')))).toEqual([
      'true',
      'false',
      null,
      'false',
      'false',
    ]);
    expect(await overStrings(words, (s) => call('reverse', VARCHAR, s))).toEqual([
      'dlrow olleh',
      'xxcbaxx',
      null,
      '',
      'dlröw ,olléh',
    ]);
    expect(await one(call('repeat', VARCHAR, S('ab'), I(3)))).toBe('ababab');
    expect(await one(call('repeat', VARCHAR, S('ab'), I(-1)))).toBe('');
    expect(await one(call('initcap', VARCHAR, S('hello wORLD-foo 3rd')))).toBe('Hello World-Foo 3rd');
    expect(await one(call('chr', VARCHAR, I(233)))).toBe('é');
    expect(await one(call('ascii', INTEGER, S('é')))).toBe('233');
    expect(await one(call('ascii', INTEGER, S('')))).toBe('0');
    expect(await stateOf(call('chr', VARCHAR, I(0)))).toBe('54000');
    expect(await one(call('md5', VARCHAR, S('abc')))).toBe('900150983cd24fb0d6963f7d28e17f72');
  });

  it('string results of several functions in one row do not overwrite each other', async () => {
    const r = await evalRows(
      cols(['s', VARCHAR]),
      [['abc'], ['de']],
      [
        call('reverse', VARCHAR, col(0, VARCHAR)),
        call('repeat', VARCHAR, col(0, VARCHAR), I(2)),
        call('upper', VARCHAR, call('replace', VARCHAR, col(0, VARCHAR), S('b'), S('XYZ'))),
      ],
    );
    expect(r).toEqual([
      ['cba', 'abcabc', 'AXYZC'],
      ['ed', 'dede', 'DE'],
    ]);
  });
});

describe('regular expressions', () => {
  it('regexp_like with constant and per-row patterns, flags', async () => {
    expect(await overStrings(['Hello', 'foo123', null], (s) => call('regexp_like', BOOLEAN, s, S('\\d{3}')))).toEqual([
      'false',
      'true',
      null,
    ]);
    expect(await one(call('regexp_like', BOOLEAN, S('abc'), S('B'), S('i')))).toBe('true');
    expect(await one(call('regexp_like', BOOLEAN, S('abc'), S('B')))).toBe('false');
    const r = await evalRows(
      cols(['s', VARCHAR], ['p', VARCHAR]),
      [
        ['abc', '^a'],
        ['abc', 'c$'],
        ['abc', '^b'],
      ],
      [call('regexp_like', BOOLEAN, col(0, VARCHAR), col(1, VARCHAR))],
    );
    expect(r.map((x) => x[0])).toEqual(['true', 'true', 'false']);
  });

  it('PostgreSQL classes and dot-matches-newline', async () => {
    expect(await one(call('regexp_like', BOOLEAN, S('a1'), S('^[[:alpha:]][[:digit:]]$')))).toBe('true');
    expect(await one(call('regexp_like', BOOLEAN, S('a\nb'), S('a.b')))).toBe('true');
  });

  it('regexp_replace: first match by default, g for all, \\1 and \\& in the replacement', async () => {
    expect(await one(call('regexp_replace', VARCHAR, S('foobarbaz'), S('ba(.)'), S('X\\1')))).toBe('fooXrbaz');
    expect(await one(call('regexp_replace', VARCHAR, S('foobarbaz'), S('ba(.)'), S('X\\1'), S('g')))).toBe('fooXrXz');
    expect(await one(call('regexp_replace', VARCHAR, S('abc'), S('b'), S('[\\&$1]')))).toBe('a[b$1]c');
  });

  it('invalid patterns raise 2201B, unknown flags 22023', async () => {
    expect(await stateOf(call('regexp_like', BOOLEAN, S('a'), S('(')))).toBe('2201B');
    expect(await stateOf(call('regexp_like', BOOLEAN, S('a'), S('a'), S('z')))).toBe('22023');
  });
});

describe('math functions', () => {
  it('double functions', async () => {
    const r = await evalRows(
      cols(['x', DOUBLE]),
      [[4], [0.5], [null]],
      [
        call('sqrt', DOUBLE, col(0, DOUBLE)),
        call('power', DOUBLE, col(0, DOUBLE), F(2)),
        call('ln', DOUBLE, col(0, DOUBLE)),
        call('log10', DOUBLE, col(0, DOUBLE)),
        call('sign', DOUBLE, call('negate', DOUBLE, col(0, DOUBLE))),
        call('trunc', DOUBLE, col(0, DOUBLE)),
      ],
    );
    expect(r).toEqual([
      ['2', '16', String(Math.log(4)), String(Math.log10(4)), '-1', '4'],
      ['0.7071067811865476', '0.25', String(Math.log(0.5)), String(Math.log10(0.5)), '-1', '0'],
      [null, null, null, null, null, null],
    ]);
    expect(await one(call('log', DOUBLE, F(2), F(8)))).toBe('3');
    expect(await one(call('cbrt', DOUBLE, F(-8)))).toBe('-2');
    expect(await one(call('degrees', DOUBLE, F(Math.PI)))).toBe('180');
  });

  it('domain errors', async () => {
    expect(await stateOf(call('sqrt', DOUBLE, F(-1)))).toBe('2201F');
    expect(await stateOf(call('ln', DOUBLE, F(0)))).toBe('2201E');
    expect(await stateOf(call('log10', DOUBLE, F(-1)))).toBe('2201E');
    expect(await stateOf(call('power', DOUBLE, F(0), F(-1)))).toBe('2201F');
    expect(await stateOf(call('power', DOUBLE, F(-8), F(0.5)))).toBe('2201F');
    expect(await stateOf(call('exp', DOUBLE, F(1000)))).toBe('22003');
    expect(await stateOf(call('log', DOUBLE, F(1), F(8)))).toBe('22012');
  });

  it('trunc and sign of decimals (short and long)', async () => {
    const t = decimal(8, 3);
    const r = await evalRows(
      cols(['c', t]),
      [['-5678'], ['1234'], [null]],
      [
        call('trunc', decimal(6, 1), col(0, t), I(1)),
        call('trunc', decimal(5, 0), col(0, t)),
        call('sign', decimal(1, 0), col(0, t)),
      ],
    );
    expect(r).toEqual([
      ['-5.6', '-5', '-1'],
      ['1.2', '1', '1'],
      [null, null, null],
    ]);
    const long = decimal(30, 4);
    expect(await one(call('trunc', decimal(30, 2), lit('-123456789012345678901234567', long), I(2)))).toBe(
      '-12345678901234567890123.45',
    );
  });

  it('random is evaluated per row', async () => {
    const r = await evalRows(
      cols(['x', INTEGER]),
      Array.from({ length: 20 }, (_, i) => [i]),
      [call('random', DOUBLE)],
    );
    const vals = r.map((x) => Number(x[0]));
    expect(vals.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(vals).size).toBeGreaterThan(1);
  });

  it('greatest / least ignore NULLs', async () => {
    const r = await evalRows(
      cols(['a', INTEGER], ['b', INTEGER]),
      [
        [1, 5],
        [null, 3],
        [null, null],
      ],
      [
        call('greatest', INTEGER, col(0, INTEGER), col(1, INTEGER), I(2)),
        call('least', INTEGER, col(0, INTEGER), col(1, INTEGER)),
      ],
    );
    expect(r).toEqual([
      ['5', '1'],
      ['3', '3'],
      ['2', null],
    ]);
    expect(await one(call('greatest', VARCHAR, S('b'), S(null), S('c'), S('a')))).toBe('c');
    expect(await one(call('least', BIGINT, lit('5', BIGINT), lit('-7', BIGINT)))).toBe('-7');
  });
});

describe('date functions', () => {
  const ts = (s: string): Expr => ({ kind: 'cast', arg: S(s), type: TIMESTAMP });
  const d = (s: string): Expr => ({ kind: 'cast', arg: S(s), type: DATE });
  const U = (u: string): Expr => S(u);

  it('date_trunc', async () => {
    const x = ts('2024-05-17 13:45:12.5');
    const units: [string, string][] = [
      ['second', '2024-05-17 13:45:12'],
      ['minute', '2024-05-17 13:45:00'],
      ['hour', '2024-05-17 13:00:00'],
      ['day', '2024-05-17 00:00:00'],
      ['week', '2024-05-13 00:00:00'],
      ['month', '2024-05-01 00:00:00'],
      ['quarter', '2024-04-01 00:00:00'],
      ['year', '2024-01-01 00:00:00'],
      ['decade', '2020-01-01 00:00:00'],
      ['century', '2001-01-01 00:00:00'],
    ];
    for (const [u, want] of units) expect(await one(call('date_trunc', TIMESTAMP, U(u), x))).toBe(want);
    expect(await one(call('date_trunc', TIMESTAMP, U('month'), ts('1969-12-31 23:59:59')))).toBe('1969-12-01 00:00:00');
    expect(await stateOf(call('date_trunc', TIMESTAMP, U('fortnight'), x))).toBe('22023');
  });

  it('date_add / date_diff over dates and timestamps', async () => {
    expect(await one(call('date_add', DATE, U('day'), lit('-1', BIGINT), d('2024-03-01')))).toBe('2024-02-29');
    expect(await one(call('date_add', DATE, U('month'), lit('1', BIGINT), d('2024-01-31')))).toBe('2024-02-29');
    expect(await one(call('date_add', DATE, U('quarter'), lit('-1', BIGINT), d('2024-05-31')))).toBe('2024-02-29');
    expect(await one(call('date_add', TIMESTAMP, U('minute'), lit('90', BIGINT), ts('2024-01-01 23:00:00')))).toBe(
      '2024-01-02 00:30:00',
    );
    expect(await one(call('date_diff', INTEGER, U('day'), d('2024-03-01'), d('2024-01-01')))).toBe('-60');
    expect(await one(call('date_diff', BIGINT, U('month'), d('2024-01-31'), d('2024-02-29')))).toBe('0');
    expect(await one(call('date_diff', BIGINT, U('year'), d('2020-02-29'), d('2024-02-29')))).toBe('4');
    expect(
      await one(call('date_diff', BIGINT, U('second'), ts('2024-01-01 00:00:00'), ts('2024-01-01 00:01:30.9'))),
    ).toBe('90');
  });

  it('make_date validates fields (22008)', async () => {
    expect(await one(call('make_date', DATE, I(2024), I(2), I(29)))).toBe('2024-02-29');
    expect(await stateOf(call('make_date', DATE, I(2023), I(2), I(29)))).toBe('22008');
    expect(await stateOf(call('make_date', DATE, I(2023), I(13), I(1)))).toBe('22008');
  });

  it('extract: isodow, isoyear, epoch, century', async () => {
    const x = d('2021-01-03'); // a Sunday in ISO week 53 of 2020
    const ex = (f: string) => call('extract', BIGINT, S(f), x);
    const r = await evalRows(
      cols(['x', INTEGER]),
      [[1]],
      [ex('isodow'), ex('dow'), ex('isoyear'), ex('week'), ex('epoch'), ex('century')],
    );
    expect(r).toEqual([['7', '0', '2020', '53', '1609632000', '21']]);
  });
});

describe('casts of untyped literals', () => {
  const unknownLit = (v: string): Expr => ({ kind: 'literal', value: v, type: { kind: 'unknown' } });
  const cast = (arg: Expr, type: DataType): Expr => ({ kind: 'cast', arg, type });

  it('parse the text instead of yielding NULL', async () => {
    expect(await one(cast(unknownLit('12'), INTEGER))).toBe('12');
    expect(await one(cast(unknownLit('2024-02-29'), DATE))).toBe('2024-02-29');
  });

  it('raise PostgreSQL errors on bad text', async () => {
    expect(await stateOf(cast(unknownLit('abc'), INTEGER))).toBe('22P02');
    expect(await stateOf(cast(unknownLit('x'), DATE))).toBe('22007');
    expect(await stateOf(cast(unknownLit('2023-02-30'), DATE))).toBe('22008');
    expect(await stateOf(cast(unknownLit('1.5x'), decimal(5, 2)))).toBe('22P02');
  });
});
