// Dynamic filtering into a real PostgreSQL: a selective build side (a few TPC-H customers) joined
// with a 200,000-row PostgreSQL table. The join's key values reach the remote query as bound
// parameters (`cust IN ($1, $2, $3)`, or a range when there are too many), so the rows read from
// PostgreSQL drop from 200,000 to a few; results are identical with dynamic filtering off and to
// PostgreSQL's own answer. Broadcast joins (filter inside one task) and partitioned joins (filter
// through the coordinator) both; cancelling or failing while a scan waits for its filter ends
// the query without waiting out the filter timeout.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../../support/cluster.js';
import { cancelRequest, errorOf } from '../../support/pg-cancel.js';
import { startPostgres, type TestPostgres } from '../../support/postgres.js';

const FACT_ROWS = 200_000;
let pgServer: TestPostgres;
let cluster: Cluster;
let client: pg.Client;
let catalogsDir: string;

beforeAll(async () => {
  pgServer = await startPostgres();
  await pgServer.query(
    `CREATE TABLE facts AS
       SELECT g AS id, (g % 20000) AS cust, (g % 1000) * 0.25 AS amount, 't' || (g % 1000) AS tag
       FROM generate_series(1, ${FACT_ROWS}) g`,
  );
  await pgServer.query('ALTER TABLE facts ALTER COLUMN amount TYPE numeric(12,2)');
  await pgServer.query('ANALYZE facts');
  // Build sides that take long, or fail, while the probe scan waits for their filter.
  await pgServer.query('CREATE VIEW slow_keys AS SELECT k FROM (VALUES (1), (2)) v(k), LATERAL (SELECT pg_sleep(5)) s');
  await pgServer.query('CREATE VIEW bad_keys AS SELECT 1 / (k - 1) AS k FROM (VALUES (1)) v(k)');
  catalogsDir = await mkdtemp(join(tmpdir(), 'tributary-df-pg-'));
  await writeFile(
    join(catalogsDir, 'pg.properties'),
    `connector.name=postgresql\nconnection-url=jdbc:postgresql://${pgServer.host}:${pgServer.port}/${pgServer.database}\nconnection-user=${pgServer.user}\n`,
  );
  await writeFile(join(catalogsDir, 'tpch.properties'), 'connector.name=tpch\n');
  await writeFile(join(catalogsDir, 'memory.properties'), 'connector.name=memory\n');
  cluster = await startCluster({ workers: 2, catalogsDir });
  client = await cluster.client('tpch.tiny');
  // Generous, so that a loaded machine cannot make a filter of a partitioned join late (the wait
  // ends as soon as the filter is there).
  await client.query("SET dynamic_filtering_wait_timeout = '30s'");
}, 240_000);

afterAll(async () => {
  await cluster?.stop();
  await pgServer?.stop();
  if (catalogsDir) await rm(catalogsDir, { recursive: true, force: true });
}, 120_000);

async function lines(sql: string): Promise<string[]> {
  const r = await client.query({ text: sql, rowMode: 'array' });
  return r.rows.map((x: unknown[]) => String(x[0]));
}

async function rows(sql: string): Promise<unknown[][]> {
  const r = await client.query({ text: sql, rowMode: 'array' });
  return r.rows as unknown[][];
}

interface PgScan {
  /** Rows the PostgreSQL scan received from the server. */
  readonly rowsRead: number;
  /** The `dynamic filters:` line (undefined without dynamic filtering). */
  readonly filters?: string;
}

/** EXPLAIN ANALYZE, and what the PostgreSQL table scan read. */
async function analyze(sql: string): Promise<PgScan> {
  const out = await lines(`EXPLAIN ANALYZE ${sql}`);
  const at = out.findIndex((l) => l.trim().startsWith('TableScan(pg):'));
  expect(at, out.join('\n')).toBeGreaterThanOrEqual(0);
  const filters = out[at + 1]?.trim().startsWith('dynamic filters:') ? out[at + 1]!.trim() : undefined;
  if (filters === undefined) {
    const m = /out (\d+) rows/.exec(out[at]!);
    return { rowsRead: Number(m![1]) };
  }
  const m = /(\d+) rows read/.exec(out[at + 2] ?? '');
  expect(m, out.join('\n')).not.toBeNull();
  return { rowsRead: Number(m![1]), filters };
}

const FEW_CUSTOMERS = `SELECT count(*) AS n, sum(f.amount) AS total, min(f.id) AS first
  FROM pg.public.facts f JOIN customer c ON f.cust = c.c_custkey
  WHERE c.c_name IN ('Customer#000000001', 'Customer#000000002', 'Customer#000000003')`;

/** Runs `sql` with dynamic filtering on and off: same rows, and the PostgreSQL rows read each way. */
async function compare(sql: string): Promise<{ on: PgScan; off: PgScan; result: unknown[][] }> {
  await client.query('RESET enable_dynamic_filtering');
  const result = await rows(sql);
  const on = await analyze(sql);
  await client.query('SET enable_dynamic_filtering = off');
  expect(await rows(sql)).toEqual(result);
  const off = await analyze(sql);
  await client.query('RESET enable_dynamic_filtering');
  return { on, off, result };
}

describe('dynamic filtering into PostgreSQL', () => {
  it('plans a filter from the build side onto the PostgreSQL scan', async () => {
    const plan = (await lines(`EXPLAIN ${FEW_CUSTOMERS}`)).join('\n');
    expect(plan).toMatch(/HashJoin INNER \[cust = c_custkey\] dynamicFilters=\[df0: c_custkey\]/);
    expect(plan).toMatch(/TableScan pg columns=\[.*cust.*\] remote: .* dynamicFilters=\[df0: cust\]/);
    await client.query('SET enable_dynamic_filtering = off');
    expect((await lines(`EXPLAIN ${FEW_CUSTOMERS}`)).join('\n')).not.toContain('dynamicFilters');
    await client.query('RESET enable_dynamic_filtering');
  });

  it('sends the build keys as bound IN parameters (broadcast join): rows read drop', async () => {
    const { on, off, result } = await compare(FEW_CUSTOMERS);
    // PostgreSQL's own answer for customers 1, 2 and 3.
    const expected = await pgServer.query<{ n: string; total: string; first: number }>(
      'SELECT count(*) AS n, sum(amount) AS total, min(id) AS first FROM facts WHERE cust IN (1, 2, 3)',
    );
    const e = expected.rows[0]!;
    expect(result).toEqual([[e.n, e.total, e.first]]);
    expect(on.filters).toContain('df0 cust IN (1, 2, 3) (by the connector)');
    expect(off.rowsRead).toBe(FACT_ROWS);
    expect(on.rowsRead).toBe(Number(e.n));
    console.log(`PostgreSQL rows read, broadcast join: ${on.rowsRead} with dynamic filtering, ${off.rowsRead} without`);
  });

  it('gets the merged filter through the coordinator for a partitioned join', async () => {
    await client.query("SET join_distribution_type = 'partitioned'");
    try {
      const plan = (await lines(`EXPLAIN ${FEW_CUSTOMERS}`)).join('\n');
      expect(plan).toMatch(/Fragment \d+ \[hash\]/);
      const { on, off, result } = await compare(FEW_CUSTOMERS);
      expect(result[0]![0]).toBe('30');
      expect(on.filters).toContain('df0 cust IN (1, 2, 3) (by the connector)');
      expect(off.rowsRead).toBe(FACT_ROWS);
      expect(on.rowsRead).toBe(30);
      console.log(
        `PostgreSQL rows read, partitioned join: ${on.rowsRead} with dynamic filtering, ${off.rowsRead} without`,
      );
    } finally {
      await client.query('RESET join_distribution_type');
    }
  });

  it('filters string keys, semi joins and right joins', async () => {
    const strings = await compare(
      "SELECT count(*), sum(f.id) FROM pg.public.facts f JOIN (VALUES ('t7'), ('t70'), ('nope')) v(t) ON f.tag = v.t",
    );
    expect(strings.result).toEqual([['400', String(sumOf((g) => g % 1000 === 7 || g % 1000 === 70))]]);
    expect(strings.on.rowsRead).toBe(400);
    expect(strings.off.rowsRead).toBe(FACT_ROWS);

    const semi = await compare(
      "SELECT count(*) FROM pg.public.facts WHERE cust IN (SELECT c_custkey FROM customer WHERE c_name = 'Customer#000000042')",
    );
    expect(semi.result).toEqual([['10']]);
    expect(semi.on.rowsRead).toBe(10);

    const right = await compare(
      "SELECT c.c_custkey, count(f.id) FROM pg.public.facts f RIGHT JOIN customer c ON f.cust = c.c_custkey WHERE c.c_name IN ('Customer#000000005', 'Customer#000001499') GROUP BY c.c_custkey ORDER BY 1",
    );
    expect(right.result).toEqual([
      [5, '10'],
      [1499, '10'],
    ]);
    expect(right.on.rowsRead).toBe(20);
    expect(right.off.rowsRead).toBe(FACT_ROWS);
  });

  it('pushes the range of a key list too long to bind, and checks the values after the scan', async () => {
    // 15,000 distinct order keys between 1 and 60,000: integer keys are kept as values (up to
    // 250,000), PostgreSQL gets their range, the row filter the values.
    const { on, off, result } = await compare(
      'SELECT count(*) FROM pg.public.facts f JOIN orders o ON f.id = o.o_orderkey',
    );
    expect(result).toEqual([['15000']]);
    expect(on.filters).toMatch(/df0 id IN \(15000 values\) \(connector \+ row filter/);
    expect(on.rowsRead).toBe(60_000);
    expect(off.rowsRead).toBe(FACT_ROWS);
  });

  it('a left join does not filter its preserved side', async () => {
    const plan = (
      await lines(
        "EXPLAIN SELECT count(*) FROM pg.public.facts f LEFT JOIN customer c ON f.cust = c.c_custkey AND c.c_name = 'x'",
      )
    ).join('\n');
    expect(plan).not.toContain('dynamicFilters');
  });
});

describe('waiting for a filter never hangs a query', () => {
  it('is cancelled while the probe scan waits for the filter', async () => {
    const c = await cluster.client('tpch.tiny');
    try {
      await c.query("SET join_distribution_type = 'partitioned'");
      await c.query("SET dynamic_filtering_wait_timeout = '10m'");
      // The handler is attached at once: the error may arrive before cancelRequest resolves.
      const q = errorOf(
        c.query('SELECT count(*) FROM pg.public.facts WHERE cust IN (SELECT k FROM pg.public.slow_keys)'),
      );
      await new Promise((r) => setTimeout(r, 1500));
      await cancelRequest(c, cluster.pgPort);
      expect((await q).code).toBe('57014');
      await c.query('RESET dynamic_filtering_wait_timeout');
      expect((await c.query('SELECT count(*)::int AS n FROM pg.public.facts WHERE cust = 7')).rows).toEqual([
        { n: 10 },
      ]);
    } finally {
      await c.end();
    }
  }, 60_000);

  it('fails with the build side error while the probe scan waits', async () => {
    const c = await cluster.client('tpch.tiny');
    try {
      await c.query("SET join_distribution_type = 'partitioned'");
      await c.query("SET dynamic_filtering_wait_timeout = '10m'");
      const e = await errorOf(
        c.query('SELECT count(*) FROM pg.public.facts WHERE cust IN (SELECT k FROM pg.public.bad_keys)'),
      );
      expect(e.code).toBe('22012');
    } finally {
      await c.end();
    }
  }, 60_000);
});

function sumOf(pick: (g: number) => boolean): number {
  let s = 0;
  for (let g = 1; g <= FACT_ROWS; g++) if (pick(g)) s += g;
  return s;
}
