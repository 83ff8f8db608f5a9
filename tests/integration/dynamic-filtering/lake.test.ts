// Dynamic filtering into the lake: a small build side (a memory table of a few days, or a few
// ids) joined with a date-partitioned Parquet table (written by DuckDB) skips whole partition
// files, and joined on a sorted data column skips row groups by their min/max statistics. The
// files, partitions and row groups read drop versus dynamic filtering off, with identical
// results (also checked against DuckDB's own answer). A predicate on the join key of one side
// is copied to the other side at plan time and prunes its partitions before any split exists.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../../support/cluster.js';

const DAYS = 30;
let dir: string;
let lake: string;
let cluster: Cluster;
let client: pg.Client;
let duck: DuckDBConnection;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tributary-df-lake-'));
  lake = join(dir, 'lake');
  const catalogs = join(dir, 'catalogs');
  mkdirSync(catalogs);
  mkdirSync(join(lake, 'dk'), { recursive: true });
  writeFileSync(join(catalogs, 'lake.properties'), 'connector.name=lake\nlake.root=../lake\nlake.metadata-ttl=0ms\n');
  writeFileSync(join(catalogs, 'memory.properties'), 'connector.name=memory\n');
  writeFileSync(join(catalogs, 'tpch.properties'), 'connector.name=tpch\n');
  const db = await DuckDBInstance.create(':memory:');
  duck = await db.connect();
  // 30 daily partitions of 1,000 events each.
  await duck.run(
    `COPY (SELECT i AS id, DATE '2024-05-01' + (i % ${DAYS})::int AS dt, 'u' || (i % 37) AS username, i * 0.5 AS amount
           FROM range(${DAYS * 1000}) t(i))
     TO '${join(lake, 'dk', 'events')}' (FORMAT parquet, PARTITION_BY (dt))`,
  );
  // One file, ids in order, 10 row groups of 2,048 rows.
  mkdirSync(join(lake, 'dk', 'ordered'), { recursive: true });
  await duck.run(
    `COPY (SELECT i AS id, i % 97 AS v FROM range(20480) t(i))
     TO '${join(lake, 'dk', 'ordered', 'part-0.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
  );
  cluster = await startCluster({ workers: 2, catalogsDir: catalogs });
  client = await cluster.client('lake.dk');
  // Generous, so that a loaded machine cannot make a filter of a partitioned join late (the wait
  // ends as soon as the filter is there).
  await client.query("SET dynamic_filtering_wait_timeout = '30s'");
  await client.query('CREATE SCHEMA memory.df');
  await client.query('CREATE TABLE memory.df.days (dt date, label varchar)');
  await client.query(
    "INSERT INTO memory.df.days VALUES (DATE '2024-05-03', 'third'), (DATE '2024-05-17', 'seventeenth'), (DATE '2031-01-01', 'none')",
  );
  await client.query('CREATE TABLE memory.df.ids (id bigint)');
  await client.query('INSERT INTO memory.df.ids VALUES (5), (4100), (4101)');
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  duck?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function lines(sql: string): Promise<string[]> {
  const r = await client.query({ text: sql, rowMode: 'array' });
  return r.rows.map((x: unknown[]) => String(x[0]));
}

async function rows(sql: string): Promise<(string | null)[][]> {
  const r = await client.query({ text: sql, rowMode: 'array', types: { getTypeParser: () => (v: string) => v } });
  return r.rows as (string | null)[][];
}

interface LakeScan {
  readonly rowsRead: number;
  /** Totals over the scan's tasks: read/total. */
  readonly files?: [number, number];
  readonly partitions?: [number, number];
  readonly rowGroups?: [number, number];
  readonly filters?: string;
}

/** EXPLAIN ANALYZE: what the lake scan read (with dynamic filtering: from its statistics line). */
async function analyze(sql: string): Promise<LakeScan> {
  const out = await lines(`EXPLAIN ANALYZE ${sql}`);
  const at = out.findIndex((l) => l.trim().startsWith('TableScan(lake):'));
  expect(at, out.join('\n')).toBeGreaterThanOrEqual(0);
  const filters = out[at + 1]?.trim();
  if (!filters?.startsWith('dynamic filters:')) return { rowsRead: Number(/out (\d+) rows/.exec(out[at]!)![1]) };
  const read = out[at + 2] ?? '';
  const pair = (what: string): [number, number] | undefined => {
    const m = new RegExp(`(\\d+)/(\\d+) ${what}`).exec(read);
    return m ? [Number(m[1]), Number(m[2])] : undefined;
  };
  const files = pair('files');
  const partitions = pair('partitions');
  const rowGroups = pair('row groups');
  return {
    rowsRead: Number(/(\d+) rows read/.exec(read)![1]),
    filters,
    ...(files ? { files } : {}),
    ...(partitions ? { partitions } : {}),
    ...(rowGroups ? { rowGroups } : {}),
  };
}

/** Files the plan-time split listing selects, from EXPLAIN: [selected, total]. */
async function plannedFiles(sql: string): Promise<[number, number]> {
  const m = /files=(\d+)\/(\d+)/.exec((await lines(`EXPLAIN ${sql}`)).join('\n'));
  expect(m).not.toBeNull();
  return [Number(m![1]), Number(m![2])];
}

async function compare(sql: string): Promise<{ on: LakeScan; off: LakeScan; result: (string | null)[][] }> {
  await client.query('RESET enable_dynamic_filtering');
  const result = await rows(sql);
  const on = await analyze(sql);
  await client.query('SET enable_dynamic_filtering = off');
  expect(await rows(sql)).toEqual(result);
  const off = await analyze(sql);
  await client.query('RESET enable_dynamic_filtering');
  return { on, off, result };
}

const BY_DAY = `SELECT d.label, count(*) AS n, sum(e.amount) AS total
  FROM lake.dk.events e JOIN memory.df.days d ON e.dt = d.dt GROUP BY d.label ORDER BY d.label`;

async function duckByDay(): Promise<(string | null)[][]> {
  const r = await duck.runAndReadAll(
    `SELECT CASE dt WHEN DATE '2024-05-03' THEN 'third' ELSE 'seventeenth' END AS label, count(*)::varchar, sum(amount)::varchar
     FROM read_parquet('${join(lake, 'dk', 'events', '**', '*.parquet')}', hive_partitioning = true)
     WHERE dt IN (DATE '2024-05-03', DATE '2024-05-17') GROUP BY 1 ORDER BY 1`,
  );
  return r.getRows().map((row) => row.map((v) => (v === null ? null : String(v))));
}

describe('dynamic filtering into the lake', () => {
  it('prunes partitions by the join keys of the build side (broadcast join)', async () => {
    const plan = (await lines(`EXPLAIN ${BY_DAY}`)).join('\n');
    expect(plan).toMatch(/TableScan lake columns=\[.*dt.*\] lake dk\/events .*dynamicFilters=\[df0: dt\]/);
    const { on, off, result } = await compare(BY_DAY);
    expect(result).toEqual(await duckByDay());
    expect(on.filters).toContain(
      "df0 dt IN (DATE '2024-05-03', DATE '2024-05-17', DATE '2031-01-01') (by the connector)",
    );
    expect(on.files).toEqual([2, DAYS]);
    expect(on.partitions).toEqual([2, DAYS]);
    expect(on.rowsRead).toBe(2000);
    expect(off.rowsRead).toBe(DAYS * 1000);
    console.log(
      `lake files read, broadcast join: ${on.files?.[0]} of ${on.files?.[1]} with dynamic filtering, all ${DAYS} without`,
    );
  });

  it('gets the filter through the coordinator for a partitioned join', async () => {
    await client.query("SET join_distribution_type = 'partitioned'");
    try {
      const { on, off, result } = await compare(BY_DAY);
      expect(result).toEqual(await duckByDay());
      expect(on.files).toEqual([2, DAYS]);
      expect(on.rowsRead).toBe(2000);
      expect(off.rowsRead).toBe(DAYS * 1000);
    } finally {
      await client.query('RESET join_distribution_type');
    }
  });

  it('skips row groups whose statistics exclude every build key', async () => {
    const { on, off, result } = await compare(
      'SELECT o.id, o.v FROM lake.dk.ordered o JOIN memory.df.ids i ON o.id = i.id ORDER BY o.id',
    );
    expect(result).toEqual([
      ['5', '5'],
      ['4100', String(4100 % 97)],
      ['4101', String(4101 % 97)],
    ]);
    expect(on.rowGroups).toEqual([2, 10]);
    expect(on.rowsRead).toBe(2 * 2048);
    expect(off.rowsRead).toBe(20480);
  });

  it('a semi join prunes partitions too; an empty build side reads nothing', async () => {
    const semi = await compare(
      "SELECT count(*) FROM lake.dk.events WHERE dt IN (SELECT dt FROM memory.df.days WHERE label = 'third')",
    );
    expect(semi.result).toEqual([['1000']]);
    expect(semi.on.files).toEqual([1, DAYS]);
    const none = await compare(
      "SELECT count(*) FROM lake.dk.events e JOIN memory.df.days d ON e.dt = d.dt WHERE d.label = 'nobody'",
    );
    expect(none.result).toEqual([['0']]);
    expect(none.on.rowsRead).toBe(0);
    expect(none.off.rowsRead).toBe(DAYS * 1000);
  });
});

describe('join predicates known at plan time', () => {
  it('copies a literal on one join key to the other and prunes partitions before listing', async () => {
    const sql = `SELECT count(*) FROM lake.dk.events e JOIN memory.df.days d ON e.dt = d.dt
      WHERE d.dt = DATE '2024-05-03'`;
    expect(await plannedFiles(sql)).toEqual([1, DAYS]);
    expect((await lines(`EXPLAIN ${sql}`)).join('\n')).toMatch(/partition filter=\[dt = 19846\]/);
    expect(await rows(sql)).toEqual([['1000']]);
    // the other way round, through IN, and into a left join's inner side only
    expect(
      await plannedFiles(
        "SELECT count(*) FROM memory.df.days d JOIN lake.dk.events e ON d.dt = e.dt WHERE d.dt IN (DATE '2024-05-03', DATE '2024-05-04')",
      ),
    ).toEqual([2, DAYS]);
    expect(
      await plannedFiles(
        "SELECT count(*) FROM memory.df.days d LEFT JOIN lake.dk.events e ON d.dt = e.dt WHERE d.dt = DATE '2024-05-04'",
      ),
    ).toEqual([1, DAYS]);
    expect(
      await rows(
        "SELECT count(*) FROM memory.df.days d LEFT JOIN lake.dk.events e ON d.dt = e.dt WHERE d.dt >= DATE '2024-05-17'",
      ),
    ).toEqual([['1001']]);
  });
});
