// Parallel reads of large remote tables: ranges of an integer primary key (PostgreSQL, MariaDB) or
// of heap pages (PostgreSQL ctid) as several splits on several workers, with the pushed filters
// applied per split; the rows equal PostgreSQL's / MariaDB's own.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../../support/cluster.js';
import { startMysql, type TestMysql } from '../../support/mysql.js';
import { startPostgres, type TestPostgres } from '../../support/postgres.js';

let pgServer: TestPostgres;
let myServer: TestMysql;
let cluster: Cluster;
let client: pg.Client;
let catalogsDir: string;
let db: string;

const ROWS = 60_000;
const HOSTILE_TABLE = `sp"lit\`; -- /* ✓`;
const HOSTILE_KEY = `k"ey\`); DROP TABLE big; --`;
const pgHostile = `"${HOSTILE_TABLE.replaceAll('"', '""')}"`;
const pgKey = `"${HOSTILE_KEY.replaceAll('"', '""')}"`;
const myHostile = `\`${HOSTILE_TABLE.replaceAll('`', '``')}\``;
const myKey = `\`${HOSTILE_KEY.replaceAll('`', '``')}\``;
// 60 000 rows / 10 000 per split, at most 4: four splits. Aggregation pushdown off, so that the
// scans (not a pushed count) are what runs.
const SPLIT = 'split.target-rows=10000\nsplit.max-count=4\naggregation-pushdown.enabled=false\n';

beforeAll(async () => {
  [pgServer, myServer] = await Promise.all([startPostgres(), startMysql()]);
  db = myServer.database;
  await pgServer.query(`CREATE TABLE big (id int PRIMARY KEY, v int, s text)`);
  await pgServer.query(`INSERT INTO big SELECT g, g % 97, 's' || (g % 13) FROM generate_series(1, ${ROWS}) g`);
  // No key: split by heap pages (ctid).
  await pgServer.query(`CREATE TABLE heap AS SELECT g AS a, g % 101 AS b FROM generate_series(1, ${ROWS}) g`);
  await pgServer.query(`CREATE TABLE small (id int PRIMARY KEY, v int)`);
  await pgServer.query(`INSERT INTO small SELECT g, g FROM generate_series(1, 100) g`);
  await pgServer.query(`CREATE TABLE ${pgHostile} (${pgKey} bigint PRIMARY KEY, v int)`);
  await pgServer.query(`INSERT INTO ${pgHostile} SELECT g * 3, g % 7 FROM generate_series(1, 30000) g`);
  await pgServer.query('ANALYZE');
  await myServer.query(
    `CREATE TABLE big (id int PRIMARY KEY, v int, s varchar(10));
     INSERT INTO big SELECT seq, seq % 97, CONCAT('s', seq % 13) FROM seq_1_to_${ROWS};
     ANALYZE TABLE big;
     CREATE TABLE ${myHostile} (${myKey} bigint PRIMARY KEY, v int);
     INSERT INTO ${myHostile} SELECT seq * 3, seq % 7 FROM seq_1_to_30000;
     ANALYZE TABLE ${myHostile};`,
  );

  catalogsDir = await mkdtemp(join(tmpdir(), 'tributary-splits-'));
  await writeFile(
    join(catalogsDir, 'pgsplit.properties'),
    `connector.name=postgresql\nconnection-url=postgres://${pgServer.host}:${pgServer.port}/${pgServer.database}\nconnection-user=${pgServer.user}\n${SPLIT}`,
  );
  await writeFile(
    join(catalogsDir, 'mysplit.properties'),
    `connector.name=mysql\nconnection-url=mysql://${myServer.host}:${myServer.port}/${db}\nconnection-user=${myServer.user}\nconnection-password=\${ENV:TRIB_TEST_MYSQL_PASSWORD}\n${SPLIT}`,
  );
  // Defaults: 1 000 000 rows per split, so these tables are read whole.
  await writeFile(
    join(catalogsDir, 'pg.properties'),
    `connector.name=postgresql\nconnection-url=postgres://${pgServer.host}:${pgServer.port}/${pgServer.database}\nconnection-user=${pgServer.user}\n`,
  );
  cluster = await startCluster({ workers: 2, catalogsDir, env: { TRIB_TEST_MYSQL_PASSWORD: myServer.password } });
  client = await cluster.client();
}, 240_000);

afterAll(async () => {
  await cluster?.stop();
  await Promise.all([pgServer?.stop(), myServer?.stop()]);
  if (catalogsDir) await rm(catalogsDir, { recursive: true, force: true });
}, 120_000);

type Row = readonly unknown[];
const sorted = (r: Row[]): Row[] => [...r].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

async function rows(sql: string): Promise<Row[]> {
  return (await client.query({ text: sql, rowMode: 'array' })).rows;
}

async function pgRows(sql: string): Promise<Row[]> {
  return (await pgServer.query({ text: sql, rowMode: 'array' } as never)).rows as unknown as Row[];
}

/** The tasks of the fragment that scans (EXPLAIN ANALYZE): node and splits of each. */
async function scanTasks(sql: string): Promise<{ node: string; splits: number; rows: number }[]> {
  const r = await client.query({ text: `EXPLAIN ANALYZE ${sql}`, rowMode: 'array' });
  const text = r.rows.map((x: unknown[]) => String(x[0])).join('\n');
  const block = text.split(/^Fragment /m).find((b) => /TableScan\(/.test(b));
  expect(block, text).toBeDefined();
  return [...block!.matchAll(/task \S+ on (\S+): (\d+) splits, (\d+) rows/g)].map((m) => ({
    node: m[1]!,
    splits: Number(m[2]),
    rows: Number(m[3]),
  }));
}

/** At least two workers read splits; `splits` of them in all (when the row estimate is exact). */
function expectParallel(tasks: { node: string; splits: number }[], splits?: number): void {
  const busy = tasks.filter((t) => t.splits > 0);
  expect(busy.length).toBeGreaterThanOrEqual(2);
  expect(new Set(busy.map((t) => t.node)).size).toBeGreaterThanOrEqual(2);
  if (splits !== undefined) expect(busy.reduce((n, t) => n + t.splits, 0)).toBe(splits);
}

describe('parallel splits', () => {
  it('PostgreSQL: a big table is read as key ranges on both workers, filters applied per split', async () => {
    const sql = 'SELECT id, v, s FROM pgsplit.public.big WHERE v < 5';
    const tasks = await scanTasks(sql);
    expectParallel(tasks, 4);
    const got = await rows(sql);
    const want = await pgRows('SELECT id, v, s FROM big WHERE v < 5');
    expect(got.length).toBe(want.length);
    expect(sorted(got)).toEqual(sorted(want));
    // Every row once: aggregated in the engine over the four splits.
    const whole = await rows('SELECT count(*), sum(v), min(id), max(id), count(DISTINCT s) FROM pgsplit.public.big');
    expect(whole).toEqual(await pgRows('SELECT count(*), sum(v), min(id), max(id), count(DISTINCT s) FROM big'));
  });

  it('PostgreSQL: a table without a key is read as ctid page ranges', async () => {
    const tasks = await scanTasks('SELECT a, b FROM pgsplit.public.heap');
    expectParallel(tasks, 4);
    expect(tasks.reduce((n, t) => n + t.rows, 0)).toBe(ROWS);
    const sql = 'SELECT a, b FROM pgsplit.public.heap WHERE b = 7';
    expect(sorted(await rows(sql))).toEqual(sorted(await pgRows('SELECT a, b FROM heap WHERE b = 7')));
    expect(await rows('SELECT count(*), sum(a), count(DISTINCT a) FROM pgsplit.public.heap')).toEqual(
      await pgRows('SELECT count(*), sum(a), count(DISTINCT a) FROM heap'),
    );
  });

  it('MariaDB: a big table is read as primary key ranges on both workers', async () => {
    const sql = `SELECT id, v, s FROM mysplit.${db}.big WHERE v BETWEEN 10 AND 12`;
    const tasks = await scanTasks(sql);
    expectParallel(tasks); // InnoDB's table_rows is an estimate
    const got = await rows(sql);
    const want = (await myServer.query('SELECT id, v, s FROM big WHERE v BETWEEN 10 AND 12')).map((r) => [
      Number(r[0]),
      Number(r[1]),
      r[2],
    ]);
    expect(sorted(got)).toEqual(sorted(want));
    expect(await rows(`SELECT count(*), sum(v), min(id), max(id) FROM mysplit.${db}.big`)).toEqual(
      (await myServer.query('SELECT count(*), sum(v), min(id), max(id) FROM big')).map((r) => [
        r[0],
        r[1],
        Number(r[2]),
        Number(r[3]),
      ]),
    );
  });

  it('hostile table and key names in the split statements; split bounds bound as parameters', async () => {
    // 30 000 rows: three splits.
    const pgSql = `SELECT ${pgKey} AS k, v FROM pgsplit.public.${pgHostile} WHERE v = 3`;
    expectParallel(await scanTasks(pgSql), 3);
    expect(sorted(await rows(pgSql))).toEqual(sorted(await pgRows(`SELECT ${pgKey}, v FROM ${pgHostile} WHERE v = 3`)));
    const mySql = `SELECT ${pgKey} AS k, v FROM mysplit.${db}.${pgHostile} WHERE v = 3`;
    expectParallel(await scanTasks(mySql)); // InnoDB's table_rows is an estimate
    const want = (await myServer.query(`SELECT ${myKey}, v FROM ${myHostile} WHERE v = 3`)).map((r) => [
      r[0],
      Number(r[1]),
    ]);
    expect(sorted(await rows(mySql))).toEqual(sorted(want));
    // Nothing was dropped.
    expect(await rows('SELECT count(*) FROM pgsplit.public.big')).toEqual([[String(ROWS)]]);
    expect(await rows(`SELECT count(*) FROM mysplit.${db}.big`)).toEqual([[String(ROWS)]]);
  });

  it('one split for small tables, with the default target, and for pushed limits', async () => {
    const count = async (sql: string) => (await scanTasks(sql)).reduce((n, t) => n + t.splits, 0);
    expect(await count('SELECT * FROM pgsplit.public.small')).toBe(1);
    expect(await count('SELECT * FROM pg.public.big WHERE v = 1')).toBe(1);
    // A limit (guaranteed by the connector) is one statement at the source, not one per split.
    expect(await count('SELECT * FROM pgsplit.public.big LIMIT 5')).toBe(1);
    expect(await rows('SELECT count(*) FROM (SELECT * FROM pgsplit.public.big LIMIT 5) t')).toEqual([['5']]);
    expect(await count('SELECT id FROM pgsplit.public.big ORDER BY id DESC LIMIT 3')).toBe(1);
    expect(await rows('SELECT id FROM pgsplit.public.big ORDER BY id DESC LIMIT 3')).toEqual([
      [ROWS],
      [ROWS - 1],
      [ROWS - 2],
    ]);
  });
});
