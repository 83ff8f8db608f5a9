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
  // The same lake cut into small splits (one row group each), to see scans spread over workers.
  writeFileSync(
    join(catalogs, 'lakesplit.properties'),
    `connector.name=lake\nlake.root=../lake\nlake.metadata-ttl=0ms\nlake.target-split-rows=2048\n`,
  );
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
  mkdirSync(join(lake, 'dk', 'ordered'), { recursive: true });
  await duck.run(
    `COPY (SELECT i AS id, i % 97 AS v, 'n' || lpad(i::varchar, 6, '0') AS s FROM range(20480) t(i))
     TO '${join(lake, 'dk', 'ordered', 'part-0.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
  );
  mkdirSync(join(lake, 'dn'), { recursive: true });
  await duck.run(
    `COPY (SELECT * FROM (VALUES
      (1, [1, 2, 3], {'a': 1, 'b': 'x y'}, MAP {'k1': 10, 'k2': 20}, ['a', NULL, 'b,c', 'say "hi"', '', 'NULL'],
       [[1, 2], [3]], {'n': {'m': 1.5}, 'l': [1, 2]}, [{'x': 1}, {'x': 2}], [TIMESTAMP '2024-01-02 03:04:05.5'],
       [1.25::decimal(10,2), -0.5::decimal(10,2)], [DATE '2024-01-02'], [true, false]),
      (2, [], NULL, MAP {}, NULL, [[]], NULL, [], [], [], [], []),
      (3, [NULL], {'a': NULL, 'b': NULL}, NULL, [' lead', 'back\\slash', '{x}'], NULL, {'n': NULL, 'l': NULL}, [NULL],
       NULL, NULL, NULL, [NULL])
    ) t(id, li, st, mp, ls, lli, nest, lst, lts, ldec, ld, lb)) TO '${join(lake, 'dn', 'nested.parquet')}' (FORMAT parquet)`,
  );
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
    expect(await ours('show tables from lake.dk')).toEqual([['ordered'], ['sales'], ['single'], ['typed']]);
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

  it('shows list, struct and map columns as PostgreSQL prints arrays and records (maps as jsonb)', async () => {
    // each expected text is what PostgreSQL 15 prints for the same value as an array, a row or jsonb
    expect(
      await ours('select id, li, st, mp, ls, lli, nest, lst, lts, ldec, ld, lb from lake.dn.nested order by id'),
    ).toEqual([
      [
        '1',
        '{1,2,3}',
        '(1,"x y")',
        '{"k1": 10, "k2": 20}',
        '{a,NULL,"b,c","say \\"hi\\"","","NULL"}',
        '{{1,2},{3}}',
        '("(1.5)","{1,2}")',
        '{(1),(2)}',
        '{"2024-01-02 03:04:05.5"}',
        '{1.25,-0.50}',
        '{2024-01-02}',
        '{t,f}',
      ],
      ['2', '{}', null, '{}', null, '{{}}', null, '{}', '{}', '{}', '{}', '{}'],
      [
        '3',
        '{NULL}',
        '(,)',
        null,
        '{" lead","back\\\\slash","{x}"}',
        null,
        '(,)',
        '{NULL}',
        null,
        null,
        null,
        '{NULL}',
      ],
    ]);
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

describe('lake connector and timestamp with time zone', () => {
  it('reads UTC-adjusted Parquet timestamps as timestamptz and writes them back UTC-adjusted', async () => {
    mkdirSync(join(lake, 'dz'), { recursive: true });
    await duck.run("SET TimeZone = 'UTC'");
    await duck.run(
      `COPY (SELECT i AS id, TIMESTAMPTZ '2024-03-30 00:00:00+00' + to_seconds(i * 5400) AS ts,
              TIMESTAMP '2024-03-30 00:00:00' + to_seconds(i * 5400) AS loc FROM range(100) t(i))
       TO '${join(lake, 'dz', 'events.parquet')}' (FORMAT parquet)`,
    );
    expect(await ours('describe lake.dz.events')).toEqual([
      ['id', 'bigint', '', ''],
      ['ts', 'timestamp with time zone', '', ''],
      ['loc', 'timestamp', '', ''],
    ]);
    await ours("set time zone 'Europe/Berlin'");
    // Row 17 is 2024-03-31 01:30 UTC, just after Berlin's switch to +02.
    expect(await ours('select ts, loc from lake.dz.events where id in (0, 17) order by id')).toEqual([
      ['2024-03-30 01:00:00+01', '2024-03-30 00:00:00'],
      ['2024-03-31 03:30:00+02', '2024-03-31 01:30:00'],
    ]);
    await ours("set time zone 'UTC'");
    const duckText = (col: string) => `strftime(${col}, '%Y-%m-%d %H:%M:%S') || '+00'`;
    const mine = await ours('select id::varchar, ts from lake.dz.events order by id');
    const expected = await theirs(
      `select id::varchar, ${duckText('ts')} from read_parquet('${join(lake, 'dz', 'events.parquet')}') order by id`,
    );
    expect(mine).toEqual(expected);
    // Filters on the instant, whatever the zone of the literal.
    expect(await ours("select count(*) from lake.dz.events where ts >= timestamptz '2024-03-31 00:00:00-02'")).toEqual([
      ['82'],
    ]);

    await ours("create table lake.dz.copy as select id, ts, ts + interval '1 day' as next_day from lake.dz.events");
    const files = readdirSync(join(lake, 'dz', 'copy')).filter((f) => f.endsWith('.parquet'));
    const glob = join(lake, 'dz', 'copy', '*.parquet');
    expect(await theirs(`select distinct typeof(ts), typeof(next_day) from read_parquet('${glob}')`)).toEqual([
      ['TIMESTAMP WITH TIME ZONE', 'TIMESTAMP WITH TIME ZONE'],
    ]);
    expect(files.length).toBeGreaterThan(0);
    expect(await ours('select id::varchar, ts from lake.dz.copy order by id')).toEqual(mine);
    expect(
      await theirs(`select count(*)::varchar from read_parquet('${glob}') where next_day - ts = INTERVAL 1 DAY`),
    ).toEqual([['100']]);
  });

  it('does not create interval columns (Parquet writers cannot store them)', async () => {
    await expect(ours("create table lake.dz.iv as select interval '1 day' as d")).rejects.toMatchObject({
      code: '0A000',
    });
  });
});

async function plan(sql: string): Promise<string> {
  return (await ours(`explain ${sql}`)).map((r) => r.join(' ')).join('\n');
}

describe('lake connector parallel scans', () => {
  it('spreads the row groups of a table over every worker, with the same answer', async () => {
    const q = 'select count(*), sum(v) from lakesplit.dk.ordered';
    const text = (await client.query(`explain analyze ${q}`)).rows.map((r) => r['Query Plan'] as string).join('\n');
    const scanFragment = text.split(/\n\s*\n/).find((f) => f.includes('TableScan lakesplit'));
    const tasks = [...(scanFragment ?? '').matchAll(/task \S+ on (\S+): (\d+) splits/g)];
    expect(new Set(tasks.map((t) => t[1])).size).toBe(2);
    expect(tasks.reduce((n, t) => n + Number(t[2]), 0)).toBe(10);
    expect(await ours(q)).toEqual(await ours('select count(*), sum(v) from lake.dk.ordered'));
  });
});

describe('lake connector statistics and limits', () => {
  it('skips row groups whose min/max exclude a range predicate, with the same results', async () => {
    const q = 'select count(*), sum(v), min(s), max(s) from lake.dk.ordered where id between 5000 and 7000';
    expect(await plan(q)).toMatch(/row groups=2\/10/);
    expect(await plan('select count(*) from lake.dk.ordered')).toMatch(/row groups=10\/10/);
    const pruned = await ours(q);
    // the same filter in a form the connector cannot use reads every row group
    const full = await ours(
      'select count(*), sum(v), min(s), max(s) from lake.dk.ordered where id + 0 between 5000 and 7000',
    );
    expect(pruned).toEqual(full);
    expect(pruned[0]![0]).toBe('2001');
    const file = join(lake, 'dk', 'ordered', 'part-0.parquet');
    const expected = await theirs(
      `select count(*)::varchar, sum(v)::varchar, min(s), max(s) from read_parquet('${file}') where id between 5000 and 7000`,
    );
    expect(pruned).toEqual(expected);
    expect(await ours("select count(*) from lake.dk.ordered where s = 'n010000'")).toEqual([['1']]);
    expect(await plan("select count(*) from lake.dk.ordered where s = 'n010000'")).toMatch(/row groups=1\/10/);
    expect(await ours('select count(*) from lake.dk.ordered where id > 99999')).toEqual([['0']]);
  });

  it('a LIMIT is pushed into the scan and stops reading early', async () => {
    expect(await plan('select id from lake.dk.ordered limit 5')).toMatch(/limit=5/);
    const rows = await ours('select id, s from lake.dk.ordered limit 5');
    expect(rows.length).toBe(5);
    expect(await ours('select count(*) from (select id from lake.dk.typed limit 7) t')).toEqual([['7']]);
    expect(await ours('select count(*) from (select id from lake.dk.ordered limit 30000) t')).toEqual([['20480']]);
  });
});

describe('lake connector partitioned writes', () => {
  it('CTAS WITH (partitioned_by) writes one directory per value, reads back equal and prunes', async () => {
    await ours('create schema if not exists lake.p');
    const src =
      "select l_orderkey, l_linenumber, l_quantity, l_shipdate as dt from tpch.tiny.lineitem where l_shipdate < date '1992-02-01'";
    await ours(`create table lake.p.li with (partitioned_by = ARRAY['dt'], format = 'PARQUET') as ${src}`);
    const dirs = readdirSync(join(lake, 'p', 'li')).filter((d) => d.startsWith('dt='));
    const days = await ours(`select count(distinct dt) from (${src}) t`);
    expect(dirs.length).toBe(Number(days[0]![0]));
    const picked = dirs.sort()[dirs.length >> 1]!;
    expect(picked).toMatch(/^dt=1992-01-\d\d$/);
    // partition columns are not stored in the files
    const one = join(lake, 'p', 'li', picked, '*.parquet');
    const fileCols = await theirs(
      `select column_name from (describe select * from read_parquet('${one}', hive_partitioning = false))`,
    );
    expect(fileCols.map((r) => r[0])).toEqual(['l_orderkey', 'l_linenumber', 'l_quantity']);
    const agg = 'select count(*), sum(l_quantity), min(dt), max(dt), sum(l_orderkey * l_linenumber)';
    expect(await ours(`${agg} from lake.p.li`)).toEqual(await ours(`${agg} from (${src}) t`));
    const day = `where dt = date '${picked.slice(3)}'`;
    const inDir = readdirSync(join(lake, 'p', 'li', picked)).length;
    const total = dirs.reduce((n, d) => n + readdirSync(join(lake, 'p', 'li', d)).length, 0);
    expect(total).toBeGreaterThan(inDir);
    expect(await plan(`select count(*) from lake.p.li ${day}`)).toMatch(new RegExp(`files=${inDir}/${total}`));
    expect(await ours(`select count(*), sum(l_quantity) from lake.p.li ${day}`)).toEqual(
      await ours(`select count(*), sum(l_quantity) from (${src}) t ${day}`),
    );
  });

  it('INSERT into a partitioned table and NULL partition values', async () => {
    await ours(
      "insert into lake.p.li select l_orderkey, l_linenumber, l_quantity, l_shipdate from tpch.tiny.lineitem where l_shipdate between date '1992-02-01' and date '1992-02-03'",
    );
    expect(readdirSync(join(lake, 'p', 'li'))).toContain('dt=1992-02-02');
    expect(await ours("select count(*) from lake.p.li where dt >= date '1992-02-01'")).toEqual(
      await ours(
        "select count(*) from tpch.tiny.lineitem where l_shipdate between date '1992-02-01' and date '1992-02-03'",
      ),
    );
    await ours(
      `create table lake.p.g with (partitioned_by = ARRAY['grp']) as select l_orderkey as k,
       case when l_linenumber % 3 = 0 then null else 'g' || (l_linenumber % 3)::varchar end as grp
       from tpch.tiny.lineitem where l_orderkey < 1000`,
    );
    expect(
      readdirSync(join(lake, 'p', 'g'))
        .filter((d) => d.includes('='))
        .sort(),
    ).toEqual(['grp=__HIVE_DEFAULT_PARTITION__', 'grp=g1', 'grp=g2']);
    expect(await ours('select grp, count(*) from lake.p.g group by grp order by grp nulls last')).toEqual(
      await ours(
        `select case when l_linenumber % 3 = 0 then null else 'g' || (l_linenumber % 3)::varchar end as grp, count(*)
         from tpch.tiny.lineitem where l_orderkey < 1000 group by 1 order by 1 nulls last`,
      ),
    );
    expect(await ours('select count(*) from lake.p.g where grp is null')).toEqual(
      await ours('select count(*) from tpch.tiny.lineitem where l_orderkey < 1000 and l_linenumber % 3 = 0'),
    );
  });

  it('rejects unknown table properties, naming them', async () => {
    await expect(ours('create table lake.p.bad with (bucket_count = 4) as select 1 as x')).rejects.toThrow(
      /bucket_count/,
    );
    await expect(
      ours("create table lake.p.bad with (partitioned_by = ARRAY['nope']) as select 1 as x"),
    ).rejects.toThrow(/nope/);
    expect(readdirSync(join(lake, 'p'))).not.toContain('bad');
  });
});
