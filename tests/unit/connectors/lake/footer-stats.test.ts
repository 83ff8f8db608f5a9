import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBatch } from '../../../../common/arrow/batch.js';
import type { Expr } from '../../../../common/expr/expr.js';
import { BIGINT, DATE, type DataType, decimal, INTEGER, TIMESTAMP, VARCHAR } from '../../../../common/types.js';
import { type FileStats, Physical, readFileStats } from '../../../../connectors/lake/footer-stats.js';
import { groupRowGroups } from '../../../../connectors/lake/splits.js';
import { selectRowGroups, statValue, toStatsPredicate } from '../../../../connectors/lake/stats-predicates.js';
import { encodeParquet } from '../../../../connectors/lake/writer.js';

let dir: string;
let duckFile: string;
let lakeFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lake-footer-'));
  duckFile = join(dir, 'duck.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const duck = await db.connect();
  await duck.run(`COPY (SELECT i AS id, (i * 2)::int AS i32, 'k' || lpad(i::varchar, 5, '0') AS s,
      (i * 1.25)::decimal(10,2) AS d10, (i * 3.5)::decimal(30,3) AS d30, DATE '2024-01-01' + i::int AS dt,
      TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) SECOND AS ts, CASE WHEN i < 2048 THEN NULL ELSE i END AS half
    FROM range(8192) t(i)) TO '${duckFile}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  duck.closeSync();
  lakeFile = join(dir, 'lake.parquet');
  const n = 300_000;
  const ids = new Int32Array(n);
  const big = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    ids[i] = i;
    big[i] = BigInt(i) * 1_000_000_000n;
  }
  const cols = [
    { name: 'id', type: INTEGER, nullable: true },
    { name: 'big', type: BIGINT, nullable: true },
  ];
  writeFileSync(
    lakeFile,
    encodeParquet(cols, [
      makeBatch(cols, n, [
        { values: ids, validity: null },
        { values: big, validity: null },
      ]),
    ]),
  );
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function minMax(stats: FileStats, rg: number, col: string, t: DataType): [unknown, unknown] {
  const leaf = stats.leaves.get(col)!;
  const c = stats.rowGroups[rg]!.columns.get(col)!;
  const conv = (v: unknown) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v);
  return [conv(statValue(leaf, c.min!, t)), conv(statValue(leaf, c.max!, t))];
}

const ref = (id: string, type: DataType): Expr => ({ kind: 'ref', id, type });
const lit = (value: number | string | null, type: DataType): Expr => ({ kind: 'literal', value, type });
const call = (fn: string, a: Expr, b: Expr): Expr => ({ kind: 'call', fn, args: [a, b], type: { kind: 'boolean' } });

describe('Parquet footer statistics', () => {
  it('decodes a DuckDB file: row groups, types, min/max and null counts', async () => {
    const s = await readFileStats(duckFile);
    expect(s.numRows).toBe(8192);
    expect(s.rowGroups.map((g) => g.rows)).toEqual([2048, 2048, 2048, 2048]);
    expect(s.leaves.get('id')!.physical).toBe(Physical.INT64);
    expect(s.leaves.get('s')!.logical).toEqual({ kind: 'string' });
    expect(s.leaves.get('dt')!.logical).toEqual({ kind: 'date' });
    expect(s.leaves.get('d30')!.logical).toMatchObject({ kind: 'decimal', scale: 3, precision: 30 });
    expect(minMax(s, 1, 'id', BIGINT)).toEqual([2048n, 4095n]);
    expect(minMax(s, 1, 'i32', INTEGER)).toEqual([4096, 8190]);
    expect(minMax(s, 2, 's', VARCHAR)).toEqual(['k04096', 'k06143']);
    expect(minMax(s, 0, 'd10', decimal(10, 2))).toEqual([0n, 255875n]);
    expect(minMax(s, 3, 'd30', decimal(30, 3))).toEqual([21504000n, 28668500n]);
    expect(minMax(s, 0, 'dt', DATE)).toEqual([19723, 19723 + 2047]);
    const t0 = BigInt(Date.UTC(2024, 0, 1)) * 1000n;
    expect(minMax(s, 3, 'ts', TIMESTAMP)).toEqual([t0 + 6144n * 1_000_000n, t0 + 8191n * 1_000_000n]);
    expect(s.rowGroups[0]!.columns.get('half')!.nullCount).toBe(2048);
    expect(s.rowGroups[1]!.columns.get('half')!.nullCount).toBe(0);
  });

  it('decodes a file written by the lake writer', async () => {
    const s = await readFileStats(lakeFile);
    expect(s.numRows).toBe(300_000);
    expect(s.rowGroups.map((g) => g.rows)).toEqual([131072, 131072, 37856]);
    expect(minMax(s, 1, 'id', INTEGER)).toEqual([131072, 262143]);
    expect(minMax(s, 2, 'big', BIGINT)).toEqual([262144n * 1_000_000_000n, 299999n * 1_000_000_000n]);
  });

  it('names the file when the footer is broken', async () => {
    const bad = join(dir, 'bad.parquet');
    writeFileSync(bad, 'PAR1 this is not parquet at all PAR1');
    await expect(readFileStats(bad)).rejects.toThrow(/bad\.parquet/);
  });

  it('prunes row groups by min/max and null counts', async () => {
    const s = await readFileStats(duckFile);
    const types = new Map<string, DataType>([
      ['id', BIGINT],
      ['i32', INTEGER],
      ['s', VARCHAR],
      ['dt', DATE],
      ['half', BIGINT],
      ['d10', decimal(10, 2)],
    ]);
    const pick = (e: Expr) => selectRowGroups(s, [toStatsPredicate(e, types)!], types);
    expect(pick(call('ge', ref('id', BIGINT), lit('5000', BIGINT)))).toEqual([2, 3]);
    expect(pick(call('lt', lit('5000', BIGINT), ref('id', BIGINT)))).toEqual([2, 3]);
    expect(pick(call('eq', ref('i32', INTEGER), lit(5000, INTEGER)))).toEqual([1]);
    expect(pick(call('lt', ref('s', VARCHAR), lit('k02048', VARCHAR)))).toEqual([0]);
    expect(pick(call('le', ref('dt', DATE), lit(19723, DATE)))).toEqual([0]);
    // row group 0 ends at 1.25 * 2047 = 2558.75 < 3124
    expect(pick(call('gt', ref('d10', decimal(10, 2)), lit('3124', decimal(10, 0))))).toEqual([1, 2, 3]);
    expect(pick({ kind: 'is_null', arg: ref('half', BIGINT), negated: false, type: { kind: 'boolean' } })).toEqual([0]);
    expect(pick({ kind: 'is_null', arg: ref('half', BIGINT), negated: true, type: { kind: 'boolean' } })).toEqual([
      1, 2, 3,
    ]);
    expect(
      pick({
        kind: 'in',
        arg: ref('id', BIGINT),
        list: [lit('10', BIGINT), lit('8000', BIGINT)],
        negated: false,
        type: { kind: 'boolean' },
      }),
    ).toEqual([0, 3]);
    // a column the file lacks reads as NULL: only IS NULL can match
    const withMissing = new Map(types).set('gone', INTEGER);
    expect(
      selectRowGroups(
        s,
        [toStatsPredicate(call('eq', ref('gone', INTEGER), lit(1, INTEGER)), withMissing)!],
        withMissing,
      ),
    ).toEqual([]);
    // non-literal comparisons are not statistics predicates
    expect(toStatsPredicate(call('eq', ref('id', BIGINT), ref('i32', INTEGER)), types)).toBeUndefined();
  });

  it('groups only the kept row groups into contiguous runs', () => {
    expect(groupRowGroups([10, 10, 10, 10], 15)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(groupRowGroups([10, 10, 10, 10], 100, [0, 2, 3])).toEqual([[0], [2, 3]]);
  });
});
