// The lake connector through a real cluster: Parquet files written by DuckDB (several codecs,
// decimals, timestamps, NULLs, hive partitions) read by Tributary and compared with DuckDB's
// own reading; CTAS into the lake read back by both; a failing INSERT leaves no file behind.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../../support/cluster.js';

let dir: string;
let lake: string;
let cluster: Cluster;
let client: pg.Client;
let duck: DuckDBConnection;

const raw = (v: string) => v;

async function ours(sql: string): Promise<(string | null)[][]> {
  const r = await client.query({ text: sql, rowMode: 'array', types: { getTypeParser: () => raw } });
  return r.rows as (string | null)[][];
}

async function theirs(sql: string): Promise<(string | null)[][]> {
  const reader = await duck.runAndReadAll(sql);
  return reader.getRows().map((row) => row.map((v) => (v === null ? null : String(v))));
}

const TYPED = `SELECT i AS id, (i * 7 - 3000)::int AS i32, (i::bigint * 1000003 - 50000000) AS i64,
  (i * 1.37 - 500)::decimal(10,2) AS d10, (i * 12345.6789 - 9999999)::decimal(20,4) AS d20,
  i / 7.0 AS dbl, 'name-' || i AS str, DATE '2020-02-28' + i::int AS dt,
  TIMESTAMP '2021-03-04 05:06:07.123456' + INTERVAL (i * 3601) SECOND AS ts, i % 3 = 0 AS flag`;

function withNulls(select: string, from: string): string {
  return `SELECT id, ${['i32', 'i64', 'd10', 'd20', 'dbl', 'str', 'dt', 'ts', 'flag']
    .map((c, k) => `CASE WHEN (id + ${k}) % 7 = 0 THEN NULL ELSE ${c} END AS ${c}`)
    .join(', ')} FROM (${select} ${from})`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tributary-lake-'));
  lake = join(dir, 'lake');
  const catalogs = join(dir, 'catalogs');
  mkdirSync(catalogs);
  mkdirSync(join(lake, 'dk', 'typed'), { recursive: true });
  writeFileSync(join(catalogs, 'lake.properties'), `connector.name=lake\nlake.root=../lake\nlake.metadata-ttl=0ms\n`);
  writeFileSync(join(catalogs, 'tpch.properties'), 'connector.name=tpch\n');
  writeFileSync(join(catalogs, 'memory.properties'), 'connector.name=memory\n');
  const db = await DuckDBInstance.create(':memory:');
  duck = await db.connect();
  const codecs = ['zstd', 'snappy', 'gzip', 'uncompressed'];
  for (let k = 0; k < codecs.length; k++) {
    const from = `FROM range(${k * 2500}, ${(k + 1) * 2500}) t(i)`;
    await duck.run(
      `COPY (${withNulls(TYPED, from)}) TO '${join(lake, 'dk', 'typed', `part-${codecs[k]}.parquet`)}' (FORMAT parquet, COMPRESSION ${codecs[k]}, ROW_GROUP_SIZE 1000)`,
    );
  }
  await duck.run(
    `COPY (SELECT i AS id, 'r' || (i % 3) AS region, (i % 4)::int AS day, i * 0.5 AS amount FROM range(4000) t(i))
     TO '${join(lake, 'dk', 'sales')}' (FORMAT parquet, PARTITION_BY (region, day))`,
  );
  await duck.run(`COPY (SELECT 42 AS answer) TO '${join(lake, 'dk', 'single.parquet')}' (FORMAT parquet)`);
  cluster = await startCluster({ workers: 2, catalogsDir: catalogs });
  client = await cluster.client('lake.dk');
}, 90_000);

afterAll(async () => {
  await cluster?.stop();
  duck?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const COLS = 'id, i32, i64, d10, d20, dbl, str, dt, ts, flag';

const DBL = 5;

/** PostgreSQL text for booleans is t/f where DuckDB prints true/false; doubles compare as numbers. */
function normalize(rows: (string | null)[][]): (string | null)[][] {
  return rows.map((r) =>
    r.map((v, i) => (v === null ? null : i === DBL ? String(Number(v)) : v === 't' ? 'true' : v === 'f' ? 'false' : v)),
  );
}

describe('lake connector reading DuckDB-written Parquet', () => {
  it('lists schemas and tables (directories, partitioned directories, single files)', async () => {
    expect(await ours('show tables from lake.dk')).toEqual([['sales'], ['single'], ['typed']]);
    expect(await ours('select answer from lake.dk.single')).toEqual([['42']]);
  });

  it('reads every column type of four codecs like DuckDB does', async () => {
    const mine = normalize(await ours(`select ${COLS} from lake.dk.typed order by id`));
    const glob = join(lake, 'dk', 'typed', '*.parquet');
    const cast = COLS.split(', ')
      .map((c) => (c === 'dbl' ? `${c}::double::varchar` : `${c}::varchar`))
      .join(', ');
    const expected = normalize(await theirs(`select ${cast} from read_parquet('${glob}') order by id`));
    expect(mine.length).toBe(10_000);
    expect(mine).toEqual(expected);
    const timed = performance.now();
    await ours(`select ${COLS} from lake.dk.typed`);
    console.log(`lake: 10k rows x 10 columns in ${Math.round(performance.now() - timed)} ms`);
  });

  it('aggregates decimals exactly', async () => {
    const mine = await ours('select sum(d10), sum(d20), count(*), count(i32) from lake.dk.typed');
    const glob = join(lake, 'dk', 'typed', '*.parquet');
    const expected = await theirs(
      `select sum(d10)::varchar, sum(d20)::varchar, count(*)::varchar, count(i32)::varchar from read_parquet('${glob}')`,
    );
    expect(mine).toEqual(expected);
  });

  it('types partition columns and prunes partitions', async () => {
    const mine = await ours(
      "select region, day, count(*), sum(amount) from lake.dk.sales where day >= 2 and region in ('r0', 'r2') group by region, day order by 1, 2",
    );
    const expected = await theirs(
      `select region, day::varchar, count(*)::varchar, sum(amount)::varchar from read_parquet('${join(lake, 'dk', 'sales', '**', '*.parquet')}', hive_partitioning = true)
       where day >= 2 and region in ('r0', 'r2') group by region, day order by 1, 2`,
    );
    expect(mine).toEqual(expected);
    const plan = (await ours("explain select count(*) from lake.dk.sales where day = 1 and region = 'r1'"))
      .map((r) => r.join(' '))
      .join('\n');
    expect(plan).toMatch(/files=1\/12/);
  });
});

describe('lake connector writing', () => {
  it('CTAS writes Parquet that both engines read back', async () => {
    await ours('create schema lake.w');
    await ours(
      'create table lake.w.li as select l_orderkey, l_linenumber, l_quantity, l_extendedprice, l_shipdate, l_comment from tpch.tiny.lineitem',
    );
    const mine = await ours('select count(*), sum(l_extendedprice), max(l_shipdate), sum(l_quantity) from lake.w.li');
    const source = await ours(
      'select count(*), sum(l_extendedprice), max(l_shipdate), sum(l_quantity) from tpch.tiny.lineitem',
    );
    expect(mine).toEqual(source);
    const files = readdirSync(join(lake, 'w', 'li')).filter((f) => f.endsWith('.parquet'));
    expect(files.length).toBeGreaterThan(0);
    const duckSum = await theirs(
      `select count(*)::varchar, sum(l_extendedprice)::varchar from read_parquet('${join(lake, 'w', 'li', '*.parquet')}')`,
    );
    expect(duckSum).toEqual([[mine[0]![0], mine[0]![1]]]);
  });

  it('INSERT appends; a failing INSERT leaves no visible file', async () => {
    await ours('insert into lake.w.li select * from lake.w.li where l_orderkey < 100');
    const before = await ours('select count(*) from lake.w.li');
    const filesBefore = readdirSync(join(lake, 'w', 'li')).sort();
    await expect(
      ours(
        'insert into lake.w.li select l_orderkey, l_linenumber, l_quantity, l_extendedprice / (l_linenumber - 7), l_shipdate, l_comment from lake.w.li',
      ),
    ).rejects.toThrow();
    expect(readdirSync(join(lake, 'w', 'li')).sort()).toEqual(filesBefore);
    expect(await ours('select count(*) from lake.w.li')).toEqual(before);
  });

  it('DROP TABLE removes the files', async () => {
    await ours('create table lake.w.tmp as select 1 as x');
    expect(await ours('select x from lake.w.tmp')).toEqual([['1']]);
    await ours('drop table lake.w.tmp');
    expect(readdirSync(join(lake, 'w'))).not.toContain('tmp');
  });
});
