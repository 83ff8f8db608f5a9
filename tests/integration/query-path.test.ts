// The whole path, as a user meets it: `tributary start` with two worker processes, queried
// through the PostgreSQL protocol by node-postgres and psql. Aggregates over tpch.tiny are
// compared with a real PostgreSQL holding the same rows.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../support/cluster.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

let cluster: Cluster;
let client: pg.Client;

beforeAll(async () => {
  cluster = await startCluster({ workers: 2 });
  client = await cluster.client('tpch.tiny');
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

async function sqlError(
  sql: string,
  params?: unknown[],
): Promise<{ code: string; position?: string; message: string }> {
  try {
    await client.query(sql, params);
  } catch (e) {
    const err = e as { code: string; position?: string; message: string };
    return err;
  }
  throw new Error(`expected an error from: ${sql}`);
}

describe('PostgreSQL protocol with node-postgres', () => {
  it('answers SELECT 1 and parameters', async () => {
    expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    const r = await client.query('select n_name from nation where n_nationkey = $1 or n_name = $2 order by 1', [
      3,
      'JAPAN',
    ]);
    expect(r.rows.map((x) => x.n_name)).toEqual(['CANADA', 'JAPAN']);
  });

  it('sends correct type OIDs', async () => {
    const r = await client.query(
      'select n_nationkey, n_name, 1.50::decimal(10,2) as d, count(*) over_nothing, true as b from nation group by 1, 2 limit 1',
    );
    expect(r.fields.map((f) => f.dataTypeID)).toEqual([23, 1043, 1700, 20, 16]);
  });

  it('reports errors with SQLSTATE and position, and the session survives', async () => {
    const syntax = await sqlError('select * form nation');
    expect(syntax.code).toBe('42601');
    expect(syntax.position).toBe('10');
    expect((await sqlError('select * from no_such_table')).code).toBe('42P01');
    expect((await sqlError('select no_such_column from nation')).code).toBe('42703');
    expect((await sqlError('select no_such_function(1)')).code).toBe('42883');
    expect((await sqlError('select n_nationkey / 0 from nation')).code).toBe('22012');
    const unsupported = await sqlError(
      'select sum(n_nationkey) over (order by n_nationkey rows between 1 preceding and current row exclude ties) from nation',
    );
    expect(unsupported.code).toBe('0A000');
    expect(unsupported.message).toMatch(/EXCLUDE/);
    // A recursive query that never ends is stopped with 54000, and the session goes on.
    const endless = await sqlError('with recursive r(n) as (select 1 union all select n + 1 from r) select * from r');
    expect(endless.code).toBe('54000');
    expect((await client.query('select count(*) as n from nation')).rows).toEqual([{ n: '25' }]);
  });

  it('runs several statements of one simple query', async () => {
    const results = (await client.query('select 1 as a; select 2 as b')) as unknown as pg.QueryResult[];
    expect(results.map((r) => r.rows[0])).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('shows catalogs, schemas, tables and columns', async () => {
    expect((await client.query('show catalogs')).rows.map((r) => r.Catalog)).toEqual([
      'lake',
      'memory',
      'system',
      'tpch',
    ]);
    expect((await client.query('show schemas from tpch')).rows.map((r) => r.Schema)).toContain('sf1');
    expect((await client.query('show tables')).rows.map((r) => r.Table)).toContain('lineitem');
    const cols = await client.query('describe orders');
    expect(cols.rows.find((r) => r.Column === 'o_totalprice')?.Type).toBe('decimal(15,2)');
    const info = await client.query(
      "select column_name, data_type from tpch.information_schema.columns where table_schema = 'tiny' and table_name = 'region' order by ordinal_position",
    );
    expect(info.rows).toEqual([
      { column_name: 'r_regionkey', data_type: 'integer' },
      { column_name: 'r_name', data_type: 'varchar' },
      { column_name: 'r_comment', data_type: 'varchar' },
    ]);
  });

  it('lists the live nodes in system.runtime.nodes', async () => {
    const r = await client.query(
      'select coordinator, state from system.runtime.nodes order by coordinator desc, node_id',
    );
    expect(r.rows).toEqual([
      { coordinator: true, state: 'active' },
      { coordinator: false, state: 'active' },
      { coordinator: false, state: 'active' },
    ]);
  });

  it('creates, fills, reads and drops memory tables', async () => {
    await client.query('create schema memory.qp');
    await client.query('create table memory.qp.t (id integer, name varchar, amount decimal(12,2), day date)');
    const ins = await client.query(
      "insert into memory.qp.t values (1, 'a', 10.25, date '2024-05-01'), (2, null, null, null)",
    );
    expect(ins.rowCount).toBe(2);
    const more = await client.query(
      'insert into memory.qp.t select n_nationkey + 10, n_name, 1.10, null from tpch.tiny.nation',
    );
    expect(more.rowCount).toBe(25);
    const r = await client.query('select count(*) as n, sum(amount) as s, count(name) as named from memory.qp.t');
    expect(r.rows).toEqual([{ n: '27', s: '37.75', named: '26' }]);
    const row = await client.query('select id, name, amount, day from memory.qp.t where id = 1');
    expect(row.rows[0]).toMatchObject({ id: 1, name: 'a', amount: '10.25' });
    await client.query('drop table memory.qp.t');
    expect((await sqlError('select * from memory.qp.t')).code).toBe('42P01');
  });

  it('runs partial aggregation on both workers and the final aggregation after a hash exchange', async () => {
    const plan = (await client.query('explain analyze select l_returnflag, count(*) from lineitem group by 1')).rows
      .map((r) => r['Query Plan'] as string)
      .join('\n');
    const fragments = plan.split(/\n\s*\n/);
    const source = fragments.find((f) => f.includes('Aggregate(partial)'));
    const final = fragments.find((f) => f.includes('Aggregate(final)'));
    expect(source).toMatch(/\[source\] -> output: hash\(#0\)/);
    expect(final).toMatch(/\[hash\]/);
    const nodesOf = (text: string | undefined) => new Set([...(text ?? '').matchAll(/ on (\S+):/g)].map((m) => m[1]));
    expect(nodesOf(source).size).toBe(2);
    expect(nodesOf(final).size).toBe(2);
  });
});

describe('psql', () => {
  it('runs a query', async () => {
    const r = await cluster.psql('select 1');
    expect(r.stdout.trim()).toBe('1');
    expect(r.code).toBe(0);
  });

  it('shows the error position of a syntax error', async () => {
    const r = await cluster.psql('select * frm nation', { database: 'tpch.tiny' });
    expect(r.stderr).toContain('ERROR:  syntax error at or near "frm"');
    expect(r.stderr).toContain('LINE 1: select * frm nation');
    expect(r.code).not.toBe(0);
  });
});

describe('answers agree with PostgreSQL on the same rows', () => {
  let postgres: TestPostgres;

  beforeAll(async () => {
    postgres = await startPostgres();
    const rows = await client.query({
      text: 'select l_orderkey, l_linenumber, l_quantity, l_extendedprice, l_discount, l_tax, l_returnflag, l_linestatus, l_shipdate from tpch.tiny.lineitem',
      rowMode: 'array',
    });
    expect(rows.rows.length).toBe(60175);
    await postgres.loadTable(
      'lineitem',
      [
        { name: 'l_orderkey', pgType: 'integer' },
        { name: 'l_linenumber', pgType: 'integer' },
        { name: 'l_quantity', pgType: 'numeric(15,2)' },
        { name: 'l_extendedprice', pgType: 'numeric(15,2)' },
        { name: 'l_discount', pgType: 'numeric(15,2)' },
        { name: 'l_tax', pgType: 'numeric(15,2)' },
        { name: 'l_returnflag', pgType: 'text' },
        { name: 'l_linestatus', pgType: 'text' },
        { name: 'l_shipdate', pgType: 'date' },
      ],
      rows.rows as unknown[][],
    );
  }, 120_000);

  afterAll(async () => {
    await postgres?.stop();
  });

  it('agrees on a grouped aggregate over tpch.tiny.lineitem', async () => {
    const sql = `select l_returnflag, l_linestatus, count(*) as n, sum(l_quantity) as qty,
        sum(l_extendedprice) as price, sum(l_extendedprice * (1 - l_discount)) as disc_price,
        min(l_shipdate) as first, max(l_orderkey) as last_order
      from lineitem where l_shipdate <= '1998-09-02' group by l_returnflag, l_linestatus order by 1, 2`;
    const ours = await client.query({ text: sql, rowMode: 'array' });
    const theirs = await postgres.query(sql);
    const theirRows = (await (async () => {
      const c = await postgres.client();
      try {
        return (await c.query({ text: sql, rowMode: 'array' })).rows;
      } finally {
        await c.end();
      }
    })()) as unknown[][];
    expect(theirs.rows.length).toBeGreaterThan(0);
    const normalise = (rows: unknown[][]) =>
      rows.map((r) => r.map((v) => (v instanceof Date ? v.toISOString() : String(v))));
    expect(normalise(ours.rows as unknown[][])).toEqual(normalise(theirRows));
  });
});
