import { describe, expect, it } from 'vitest';
import { completeSlt } from '../../slt/complete.js';
import type { FileResult, Outcome } from '../../slt/executor.js';
import { expectedLines, formatRow, resultLines, sameLines, typeLetter } from '../../slt/format.js';
import { appliesTo, parseErrorPattern, parseSlt, SltParseError, type SltRecord } from '../../slt/parser.js';

const sample = `# a comment
statement ok
CREATE TABLE t (id int, name text)

statement ok
INSERT INTO t VALUES (1, 'a'),
  (2, NULL)

query IT rowsort
SELECT id, name
FROM t
----
1 a
2 NULL

skipif postgresql
onlyif tributary
query T nosort my_label
SELECT ''
----
(empty)

statement error 42P01
SELECT * FROM missing

statement error relation .* does not exist
SELECT * FROM missing

statement error
SELECT 1/0

query error 22012
SELECT 1/0

statement count 2
DELETE FROM t

query I
SELECT 1
----

halt

query I
SELECT 'not reached'
`;

function kindLines(records: readonly SltRecord[]) {
  return records.map((r) => `${r.kind}@${r.line}`);
}

describe('parseSlt', () => {
  const file = parseSlt(sample, 'sample.slt');

  it('splits the file into records with their header lines', () => {
    expect(kindLines(file.records)).toEqual([
      'statement@2',
      'statement@5',
      'query@9',
      'query@18',
      'statement@23',
      'statement@26',
      'statement@29',
      'query@32',
      'statement@35',
      'query@38',
      'halt@42',
      'query@44',
    ]);
  });

  it('reads multi-line SQL and expected rows', () => {
    const insert = file.records[1];
    expect(insert?.kind === 'statement' && insert.sql).toBe("INSERT INTO t VALUES (1, 'a'),\n  (2, NULL)");
    const query = file.records[2];
    if (query?.kind !== 'query') throw new Error('expected a query');
    expect(query.sql).toBe('SELECT id, name\nFROM t');
    expect(query.types).toBe('IT');
    expect(query.sortMode).toBe('rowsort');
    expect(query.expected).toEqual(['1 a', '2 NULL']);
    expect(query.error).toBeUndefined();
  });

  it('reads conditions, sort mode and label', () => {
    const query = file.records[3];
    if (query?.kind !== 'query') throw new Error('expected a query');
    expect(query.conditions).toEqual([
      { kind: 'skipif', engine: 'postgresql' },
      { kind: 'onlyif', engine: 'tributary' },
    ]);
    expect(query.sortMode).toBe('nosort');
    expect(query.label).toBe('my_label');
    expect(query.expected).toEqual(['(empty)']);
    expect(appliesTo(query, 'tributary')).toBe(true);
    expect(appliesTo(query, 'postgresql')).toBe(false);
    expect(appliesTo(file.records[0]!, 'postgresql')).toBe(true);
  });

  it('reads error expectations: SQLSTATE, regex, any, query error, count', () => {
    const expects = file.records
      .slice(4, 9)
      .map((r) => (r.kind === 'statement' ? r.expect : r.kind === 'query' ? r.error : r));
    expect(expects).toEqual([
      { kind: 'error', pattern: { kind: 'sqlstate', code: '42P01' } },
      { kind: 'error', pattern: { kind: 'regex', source: 'relation .* does not exist' } },
      { kind: 'error', pattern: { kind: 'any' } },
      { kind: 'sqlstate', code: '22012' },
      { kind: 'count', count: 2 },
    ]);
  });

  it('accepts a query with an empty result block', () => {
    const query = file.records[9];
    expect(query?.kind === 'query' && query.expected).toEqual([]);
  });

  it('reads a statement error with an exact message block', () => {
    const parsed = parseSlt('statement error\nSELECT x\n----\ncolumn "x" does not exist\n', 'm.slt');
    expect(parsed.records[0]?.kind === 'statement' && parsed.records[0].expect).toEqual({
      kind: 'error',
      pattern: { kind: 'message', text: 'column "x" does not exist' },
    });
  });

  it('ignores hash-threshold and handles CRLF line endings', () => {
    const parsed = parseSlt('hash-threshold 8\r\n\r\nquery I\r\nSELECT 1\r\n----\r\n1\r\n', 'crlf.slt');
    expect(parsed.records).toHaveLength(1);
    expect(parsed.records[0]?.kind === 'query' && parsed.records[0].expected).toEqual(['1']);
  });

  it.each([
    ['frobnicate\n', /x\.slt:1: unknown record 'frobnicate'/],
    ['statement maybe\nSELECT 1\n', /x\.slt:1: expected 'statement ok'/],
    ['query\nSELECT 1\n', /x\.slt:1: query needs column types/],
    ['query I sideways\nSELECT 1\n', /x\.slt:1: unknown sort mode 'sideways'/],
    ['\n\nstatement ok\n\n', /x\.slt:3: record has no SQL/],
    ['statement ok\nSELECT 1\n----\n1\n', /x\.slt:3: '----' after 'statement ok'/],
    ['skipif\n', /x\.slt:1: skipif needs an engine/],
    ['statement count x\nDELETE FROM t\n', /x\.slt:1: statement count needs a row count/],
  ])('reports %j with file:line', (text, message) => {
    expect(() => parseSlt(text, 'x.slt')).toThrow(SltParseError);
    expect(() => parseSlt(text, 'x.slt')).toThrow(message);
  });

  it('tells a SQLSTATE from a regex', () => {
    expect(parseErrorPattern(' 42601 ')).toEqual({ kind: 'sqlstate', code: '42601' });
    expect(parseErrorPattern('42601.*')).toEqual({ kind: 'regex', source: '42601.*' });
    expect(parseErrorPattern('')).toEqual({ kind: 'any' });
  });
});

describe('result formatting', () => {
  it('writes NULL, (empty) and values separated by one space', () => {
    expect(formatRow(['1', null, '', 'two words', 't'])).toBe('1 NULL (empty) two words t');
  });

  it('sorts rows or values in code-unit (C) order', () => {
    const rows = [
      ['b', '2'],
      ['B', '10'],
      ['a', null],
    ];
    expect(resultLines(rows, 'nosort')).toEqual(['b 2', 'B 10', 'a NULL']);
    expect(resultLines(rows, 'rowsort')).toEqual(['B 10', 'a NULL', 'b 2']);
    expect(resultLines(rows, 'valuesort')).toEqual(['10', '2', 'B', 'NULL', 'a', 'b']);
  });

  it('compares ignoring trailing whitespace only', () => {
    expect(sameLines(expectedLines(['1 a  '], 'nosort'), ['1 a'])).toBe(true);
    expect(sameLines(expectedLines(['1  a'], 'nosort'), ['1 a'])).toBe(false);
    expect(sameLines(expectedLines(['2', '1'], 'rowsort'), resultLines([['1'], ['2']], 'rowsort'))).toBe(true);
    expect(sameLines(['1'], ['1', '2'])).toBe(false);
  });

  it('maps PostgreSQL type OIDs to type letters', () => {
    expect([23, 20, 1700, 701, 16, 1082, 25, 1043].map(typeLetter).join('')).toBe('IIRRBDTT');
  });
});

describe('completeSlt', () => {
  const text = `# keep me
statement ok
CREATE TABLE t (a int)

query I rowsort
SELECT a FROM t
----
7

query T
SELECT 'x'

statement ok
SELECT * FROM nope

query I
SELECT 1
----
1
`;
  const file = parseSlt(text, 'c.slt');
  const [create, select, literal, broken, one] = file.records as [
    SltRecord,
    SltRecord,
    SltRecord,
    SltRecord,
    SltRecord,
  ];
  const outcomes: Outcome[] = [
    { status: 'pass', record: create, actual: { kind: 'command', rowCount: null } },
    {
      status: 'fail',
      record: select,
      actual: { kind: 'rows', types: 'I', rows: [['3'], ['1']] },
      message: 'mismatch',
    },
    {
      status: 'fail',
      record: literal,
      actual: { kind: 'rows', types: 'TI', rows: [['x', '1']] },
      message: 'mismatch',
    },
    {
      status: 'fail',
      record: broken,
      actual: { kind: 'error', error: { code: '42P01', message: 'relation "nope" does not exist' } },
      message: 'failed',
    },
    { status: 'pass', record: one, actual: { kind: 'rows', types: 'I', rows: [['1']] } },
  ];
  const result: FileResult = {
    path: 'c.slt',
    engine: 'tributary',
    outcomes,
    passed: 2,
    failed: 3,
    skipped: 0,
    aborted: undefined,
  };

  it('rewrites failing records from the actual results and keeps the rest', () => {
    expect(completeSlt(file, result)).toBe(`# keep me
statement ok
CREATE TABLE t (a int)

query I rowsort
SELECT a FROM t
----
1
3

query TI
SELECT 'x'
----
x 1

statement error 42P01
SELECT * FROM nope

query I
SELECT 1
----
1
`);
  });

  it('gives back a file that parses to the completed expectations', () => {
    const reparsed = parseSlt(completeSlt(file, result), 'c.slt');
    const q = reparsed.records[1];
    expect(q?.kind === 'query' && q.expected).toEqual(['1', '3']);
  });
});
