// Top-N, aggregation and join pushdown into real PostgreSQL and MariaDB servers, through a real
// cluster: results equal the same SQL run directly on PostgreSQL (and Tributary's own results
// with pushdown switched off), EXPLAIN shows the one remote statement, EXPLAIN ANALYZE shows
// fewer rows pulled, and hostile identifiers and values stay inert in the new SQL shapes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../../support/cluster.js';
import { mysqlLiteral, quoteMysqlIdent, startMysql, type TestMysql } from '../../support/mysql.js';
import { quoteIdent, startPostgres, type TestPostgres } from '../../support/postgres.js';

let pgServer: TestPostgres;
let myServer: TestMysql;
let cluster: Cluster;
let client: pg.Client;
let catalogsDir: string;
let db: string;
/** PostgreSQL has an ICU collation: customers.label orders differently from byte order there. */
let icu = false;

const HOSTILE_TABLE = `we"ird\`; -- /* tab ✓`;
const HOSTILE_COLUMN = `co"l\`; DROP TABLE orders; --`;
const HOSTILE_KEY = `k"ey\`); --`;
const HOSTILE_VALUE = `O'Reilly"; DROP TABLE orders; -- \`x\` /* ü */`;
const OFF = 'join-pushdown.enabled=false\naggregation-pushdown.enabled=false\ntopn-pushdown.enabled=false\n';

function day(i: number): string {
  return new Date(Date.UTC(2024, 0, 1 + (i % 60))).toISOString().slice(0, 10);
}

const ORDERS = Array.from({ length: 3000 }, (_, k) => {
  const i = k + 1;
  return [
    i,
    i % 10 === 0 ? null : i % 50, // customers 1..40 exist: 41..49 and NULL have no match
    i % 17 === 0 ? null : (((i * 7) % 1000) / 4).toFixed(2),
    day(i),
    i % 3 === 0 ? null : `n${i % 13}`,
    String(i * 1_000_003),
  ];
});
const NAMES = ['c', 'C', 'é', 'b', 'Z'];
const CUSTOMERS = Array.from({ length: 40 }, (_, k) => {
  const i = k + 1;
  return [i, `${NAMES[i % 5]}${i}`, i % 5];
});
const HOSTILE_ROWS = [
  [HOSTILE_VALUE, 1, 10],
  ['plain', 2, 20],
  ['plain', 3, 30],
  [null, 4, 40],
];

beforeAll(async () => {
  [pgServer, myServer] = await Promise.all([startPostgres(), startMysql()]);
  db = myServer.database;
  icu =
    (await pgServer.query(`SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'`)).rows.length > 0 &&
    (await pgServer.query('SHOW server_encoding')).rows[0]?.server_encoding === 'UTF8';
  const orderCols = [
    { name: 'id', pgType: 'int', mysqlType: 'int' },
    { name: 'cust', pgType: 'int', mysqlType: 'int' },
    { name: 'amount', pgType: 'numeric(10,2)', mysqlType: 'decimal(10,2)' },
    { name: 'day', pgType: 'date', mysqlType: 'date' },
    { name: 'note', pgType: 'text', mysqlType: 'varchar(20)' },
    { name: 'big', pgType: 'bigint', mysqlType: 'bigint' },
  ];
  const customerCols = [
    { name: 'id', pgType: 'int', mysqlType: 'int' },
    { name: 'name', pgType: 'text', mysqlType: 'varchar(20)' },
    { name: 'nation', pgType: 'int', mysqlType: 'int' },
  ];
  const hostileCols = [
    { name: HOSTILE_COLUMN, pgType: 'text', mysqlType: 'varchar(100)' },
    { name: HOSTILE_KEY, pgType: 'int', mysqlType: 'int' },
    { name: 'n', pgType: 'int', mysqlType: 'int' },
  ];
  const huge = [{ name: 'big', pgType: 'bigint', mysqlType: 'bigint' }];
  const hugeRows = [['9000000000000000000'], ['9000000000000000000']];
  for (const [name, cols, data] of [
    ['orders', orderCols, ORDERS],
    ['customers', customerCols, CUSTOMERS],
    [HOSTILE_TABLE, hostileCols, HOSTILE_ROWS],
    ['huge', huge, hugeRows],
  ] as const) {
    await pgServer.loadTable(name, cols, data);
    // The mysql client takes SQL as an argument: the rest of the rows in statements of 500.
    await myServer.loadTable(name, cols, data.slice(0, 500));
    for (let i = 500; i < data.length; i += 500) {
      const tuples = data.slice(i, i + 500).map((r) => `(${r.map(mysqlLiteral).join(', ')})`);
      await myServer.query(`INSERT INTO ${quoteMysqlIdent(name)} VALUES ${tuples.join(', ')}`);
    }
  }
  for (const t of ['orders', 'customers']) {
    await pgServer.query(`ALTER TABLE ${t} ADD PRIMARY KEY (id)`);
    await myServer.query(`ALTER TABLE ${t} ADD PRIMARY KEY (id)`);
  }
  if (icu) {
    await pgServer.query('ALTER TABLE customers ADD COLUMN label text COLLATE "und-x-icu"');
    await pgServer.query('UPDATE customers SET label = name');
  }
  await pgServer.query('ANALYZE');

  catalogsDir = await mkdtemp(join(tmpdir(), 'tributary-pushdown-'));
  const pgBase = `connector.name=postgresql\nconnection-url=jdbc:postgresql://${pgServer.host}:${pgServer.port}/${pgServer.database}\nconnection-user=${pgServer.user}\n`;
  const myBase = `connector.name=mysql\nconnection-url=jdbc:mysql://${myServer.host}:${myServer.port}/${db}\nconnection-user=${myServer.user}\nconnection-password=\${ENV:TRIB_TEST_MYSQL_PASSWORD}\n`;
  await writeFile(join(catalogsDir, 'pg.properties'), pgBase);
  await writeFile(join(catalogsDir, 'pgoff.properties'), pgBase + OFF);
  await writeFile(join(catalogsDir, 'my.properties'), myBase);
  await writeFile(join(catalogsDir, 'myoff.properties'), myBase + OFF);
  cluster = await startCluster({ workers: 2, catalogsDir, env: { TRIB_TEST_MYSQL_PASSWORD: myServer.password } });
  client = await cluster.client('pg.public');
}, 240_000);

afterAll(async () => {
  await cluster?.stop();
  await Promise.all([pgServer?.stop(), myServer?.stop()]);
  if (catalogsDir) await rm(catalogsDir, { recursive: true, force: true });
}, 120_000);

type Row = readonly unknown[];

function norm(v: unknown): unknown {
  return v instanceof Date ? v.toISOString() : v;
}

/** Rows of a Tributary query as arrays (Dates as ISO text). */
async function rows(sql: string): Promise<Row[]> {
  const r = await client.query({ text: sql, rowMode: 'array' });
  return r.rows.map((x: unknown[]) => x.map(norm));
}

/** Rows of the same SQL run directly on PostgreSQL. */
async function pgRows(sql: string): Promise<Row[]> {
  const r = await pgServer.query({ text: sql, rowMode: 'array' } as never);
  return (r.rows as unknown as unknown[][]).map((x) => x.map(norm));
}

const sorted = (r: Row[]): Row[] => [...r].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

async function explain(sql: string): Promise<string> {
  const r = await client.query({ text: `EXPLAIN ${sql}`, rowMode: 'array' });
  return r.rows.map((x: unknown[]) => String(x[0])).join('\n');
}

/** Rows the table scans returned to Tributary (EXPLAIN ANALYZE), over all tasks. */
async function rowsPulled(sql: string): Promise<number> {
  const r = await client.query({ text: `EXPLAIN ANALYZE ${sql}`, rowMode: 'array' });
  let n = 0;
  for (const line of r.rows.map((x: unknown[]) => String(x[0]))) {
    const m = /TableScan\([^)]*\): in \d+ rows, out (\d+) rows/.exec(line);
    if (m) n += Number(m[1]);
  }
  return n;
}

/** The query on `catalog` and on its pushdown-off twin: the same rows (in order when `ordered`). */
async function sameWithoutPushdown(sql: (catalog: string) => string, on: string, ordered: boolean): Promise<Row[]> {
  const pushed = await rows(sql(on));
  const plain = await rows(sql(`${on}off`));
  expect(ordered ? pushed : sorted(pushed)).toEqual(ordered ? plain : sorted(plain));
  return pushed;
}

describe('LIKE pushdown', () => {
  it('PostgreSQL evaluates LIKE at the source, exactly; NOT LIKE and ESCAPE other than \\ stay in the engine', async () => {
    const sql = "SELECT id, note FROM pg.public.orders WHERE note LIKE 'n1%' ORDER BY id";
    expect(await explain(sql)).toMatch(/remote: SELECT .*WHERE \("note" LIKE \$1::text\)/);
    expect(await rows(sql)).toEqual(await pgRows("SELECT id, note FROM orders WHERE note LIKE 'n1%' ORDER BY id"));
    expect(await rowsPulled(sql)).toBe((await pgRows("SELECT 1 FROM orders WHERE note LIKE 'n1%'")).length);
    const escaped = "SELECT count(*) FROM pg.public.orders WHERE note LIKE 'n1#%' ESCAPE '#'";
    expect(await explain(escaped)).not.toMatch(/LIKE \$/);
    expect(await rows(escaped)).toEqual([['0']]);
  });

  it('MySQL: LIKE sent as a superset (case-insensitive collation) and applied again', async () => {
    await myServer.query("INSERT INTO customers VALUES (1001, 'Nx', 1), (1002, 'nx', 1)");
    try {
      const sql = `SELECT id FROM my.${db}.customers WHERE name LIKE 'n%' ORDER BY id`;
      expect(await explain(sql)).toMatch(/remote: SELECT .*WHERE \(`name` LIKE \?\)/);
      expect(await rows(sql)).toEqual([[1002]]);
      expect(await rowsPulled(sql)).toBe(2);
    } finally {
      await myServer.query('DELETE FROM customers WHERE id > 1000');
    }
  });
});

describe('top-N pushdown', () => {
  it('PostgreSQL: ORDER BY .. LIMIT runs at the source with explicit NULL placement', async () => {
    for (const order of [
      'amount DESC, id',
      'amount NULLS FIRST, id DESC',
      'note DESC NULLS LAST, id',
      'day, cust NULLS FIRST, id',
    ]) {
      const sql = (c: string) => `SELECT id, amount, note FROM ${c}.public.orders ORDER BY ${order} LIMIT 7`;
      const r = await sameWithoutPushdown(sql, 'pg', true);
      const direct = await pgRows(
        `SELECT id, amount, note FROM orders ORDER BY ${order.replace('note', 'note COLLATE "C"')} LIMIT 7`,
      );
      expect(r).toEqual(direct);
      const plan = await explain(sql('pg'));
      expect(plan).toMatch(/pushed: topN=7 \(one split\); remote: SELECT .* ORDER BY .* NULLS (FIRST|LAST).* LIMIT 7/);
      expect(plan).not.toContain('TopN');
    }
    expect(await explain('SELECT id FROM pg.public.orders ORDER BY amount DESC, id LIMIT 3')).toContain(
      'ORDER BY "amount" DESC NULLS FIRST, "id" ASC NULLS LAST LIMIT 3',
    );
  });

  it('PostgreSQL strings are ordered byte-wise (COLLATE "C"), whatever the column collation', async () => {
    const column = icu ? 'label' : 'name';
    const sql = (c: string) => `SELECT id, ${column} FROM ${c}.public.customers ORDER BY ${column} LIMIT 6`;
    const r = await sameWithoutPushdown(sql, 'pg', true);
    expect(r).toEqual(await pgRows(`SELECT id, ${column} FROM customers ORDER BY ${column} COLLATE "C" LIMIT 6`));
    expect(await explain(sql('pg'))).toContain(`ORDER BY "${column}" COLLATE "C" ASC NULLS LAST LIMIT 6`);
    if (icu) {
      // The column's own collation orders otherwise: the COLLATE matters.
      expect(r).not.toEqual(await pgRows('SELECT id, label FROM customers ORDER BY label LIMIT 6'));
    }
  });

  it('MySQL: NULL placement emulated with IS NULL; strings stay in the engine', async () => {
    const sql = (c: string) => `SELECT id, amount FROM ${c}.${db}.orders ORDER BY amount DESC NULLS LAST, id LIMIT 7`;
    const r = await sameWithoutPushdown(sql, 'my', true);
    expect(r).toEqual(await rows(sql('pg').replace(`pg.${db}.`, 'pg.public.')));
    const plan = await explain(sql('my'));
    expect(plan).toContain('ORDER BY `amount` IS NULL ASC, `amount` DESC, `id` IS NULL ASC, `id` ASC LIMIT 7');
    expect(plan).not.toContain('TopN');
    // Case-insensitive collation: the engine sorts, the source is not asked to.
    const names = (c: string) => `SELECT id, name FROM ${c}.${db}.customers ORDER BY name LIMIT 6`;
    const byName = await sameWithoutPushdown(names, 'my', true);
    expect(byName).toEqual(await rows('SELECT id, name FROM pg.public.customers ORDER BY name LIMIT 6'));
    expect(await explain(names('my'))).toContain('TopN');
  });
});

describe('aggregation pushdown', () => {
  const groupSql = (c: string, schema = 'public') =>
    `SELECT cust, count(*) AS n, count(note) AS notes, sum(id) AS s_id, sum(amount) AS s_amount, avg(id) AS a_id,
            avg(amount) AS a_amount, min(day) AS first_day, max(note) AS last_note, sum(big) AS s_big, max(amount) AS top
     FROM ${c}.${schema}.orders WHERE day >= DATE '2024-01-10' GROUP BY cust`;

  it('PostgreSQL: GROUP BY with count/sum/avg/min/max after the pushed filter, in the engine types', async () => {
    const r = await sameWithoutPushdown(groupSql, 'pg', false);
    const matching = ORDERS.filter((o) => String(o[3]) >= '2024-01-10');
    const groups = new Set(matching.map((o) => o[1])).size;
    expect(r.length).toBe(groups);
    const direct = await pgRows(
      `SELECT cust, count(*), count(note), sum(id), sum(amount), avg(id)::float8, round(avg(amount), 2), min(day),
              max(note COLLATE "C"), sum(big), max(amount)
       FROM orders WHERE day >= DATE '2024-01-10' GROUP BY cust`,
    );
    expect(sorted(r)).toEqual(sorted(direct));
    const plan = await explain(groupSql('pg'));
    expect(plan).toMatch(/remote: SELECT "cust", count\(\*\) AS "count_all", .* GROUP BY "cust"/);
    expect(plan).not.toContain('Aggregate(');
    // Rows pulled from PostgreSQL: one per group instead of every matching row.
    const pushed = await rowsPulled(groupSql('pg'));
    const plain = await rowsPulled(groupSql('pgoff'));
    expect(pushed).toBe(groups);
    expect(plain).toBe(matching.length);
    console.log(`rows pulled from PostgreSQL for the GROUP BY: ${pushed} with pushdown, ${plain} without`);
  });

  it('global aggregates of no rows, HAVING and ORDER BY .. LIMIT over the pushed GROUP BY', async () => {
    const empty = (c: string) =>
      `SELECT count(*), count(amount), sum(amount), avg(amount), avg(id), min(id) FROM ${c}.public.orders WHERE id < 0`;
    expect(await sameWithoutPushdown(empty, 'pg', true)).toEqual([['0', '0', null, null, null, null]]);
    expect(await sameWithoutPushdown((c) => empty(c).replace('.public.', `.${db}.`), 'my', true)).toEqual([
      ['0', '0', null, null, null, null],
    ]);
    const top = (c: string) =>
      `SELECT cust, sum(amount) AS s FROM ${c}.public.orders GROUP BY cust HAVING count(*) > 50 ORDER BY s DESC, cust LIMIT 3`;
    const r = await sameWithoutPushdown(top, 'pg', true);
    expect(r).toEqual(
      await pgRows(
        'SELECT cust, sum(amount) AS s FROM orders GROUP BY cust HAVING count(*) > 50 ORDER BY s DESC, cust LIMIT 3',
      ),
    );
    const plan = await explain(top('pg'));
    expect(plan).toMatch(
      /remote: SELECT .* FROM \(SELECT "cust", .* GROUP BY "cust"\) AS "t" WHERE .* ORDER BY .* LIMIT 3/,
    );
    expect(plan).not.toMatch(/Aggregate\(|TopN|Filter/);
  });

  it('all or nothing: one aggregate the source cannot compute exactly keeps the GROUP BY in the engine', async () => {
    const sql = (c: string) => `SELECT cust, count(DISTINCT note), sum(amount) FROM ${c}.public.orders GROUP BY cust`;
    await sameWithoutPushdown(sql, 'pg', false);
    const plan = await explain(sql('pg'));
    expect(plan).toContain('Aggregate(');
    expect(plan).not.toContain('GROUP BY');
  });

  it('MySQL: exact DECIMAL sums and integer averages pushed; avg(decimal) and string keys are not', async () => {
    const sql = (c: string, schema = db) =>
      `SELECT cust, count(*) AS n, count(note), sum(id), sum(amount), avg(id), min(day), max(amount), sum(big)
       FROM ${c}.${schema}.orders WHERE day >= DATE '2024-01-10' GROUP BY cust`;
    const r = await sameWithoutPushdown(sql, 'my', false);
    expect(sorted(r)).toEqual(sorted(await rows(sql('pg', 'public'))));
    expect(await explain(sql('my'))).toMatch(/SUM\(`amount`\) AS `sum_amount`.* GROUP BY `cust`/);
    const avgDecimal = (c: string) => `SELECT cust, avg(amount) FROM ${c}.${db}.orders GROUP BY cust`;
    const a = await sameWithoutPushdown(avgDecimal, 'my', false);
    expect(sorted(a)).toEqual(sorted(await rows('SELECT cust, avg(amount) FROM pg.public.orders GROUP BY cust')));
    expect(await explain(avgDecimal('my'))).toContain('Aggregate(');
    expect(await explain(`SELECT name, count(*) FROM my.${db}.customers GROUP BY name`)).toContain('Aggregate(');
  });

  it('a bigint sum that overflows fails with 22003 as in the engine, pushed or not', async () => {
    for (const table of ['pg.public.huge', 'pgoff.public.huge', `my.${db}.huge`, `myoff.${db}.huge`]) {
      await expect(client.query(`SELECT sum(big) FROM ${table}`)).rejects.toMatchObject({ code: '22003' });
    }
  });
});

describe('join pushdown', () => {
  it('PostgreSQL inner join with filters on both sides: one remote statement', async () => {
    const sql = (c: string) =>
      `SELECT o.id, o.amount, c.name FROM ${c}.public.orders o JOIN ${c}.public.customers c ON o.cust = c.id
       WHERE c.nation = 3 AND o.day < DATE '2024-02-15'`;
    const r = await sameWithoutPushdown(sql, 'pg', false);
    expect(r.length).toBeGreaterThan(100);
    expect(sorted(r)).toEqual(
      sorted(
        await pgRows(
          "SELECT o.id, o.amount, c.name FROM orders o JOIN customers c ON o.cust = c.id WHERE c.nation = 3 AND o.day < DATE '2024-02-15'",
        ),
      ),
    );
    const plan = await explain(sql('pg'));
    expect(plan).toMatch(/pushed: join\(inner on cust = id\).*INNER JOIN .*"nation" = \$\d::int4/);
    expect(plan).not.toContain('HashJoin');
    expect(plan.match(/TableScan/g)).toHaveLength(1);
    const pushed = await rowsPulled(sql('pg'));
    const plain = await rowsPulled(sql('pgoff'));
    expect(pushed).toBe(r.length);
    expect(plain).toBeGreaterThan(pushed);
    console.log(`rows pulled from PostgreSQL for the join: ${pushed} with pushdown, ${plain} without`);
  });

  it('left join keeps unmatched and NULL keys; the non-equality part of an inner ON goes along', async () => {
    const left = (c: string) =>
      `SELECT o.id, o.cust, c.name FROM ${c}.public.orders o LEFT JOIN ${c}.public.customers c ON o.cust = c.id WHERE o.id <= 100`;
    const r = await sameWithoutPushdown(left, 'pg', false);
    expect(sorted(r)).toEqual(
      sorted(
        await pgRows(
          'SELECT o.id, o.cust, c.name FROM orders o LEFT JOIN customers c ON o.cust = c.id WHERE o.id <= 100',
        ),
      ),
    );
    expect(r.some((x) => x[1] === null && x[2] === null)).toBe(true);
    expect(r.some((x) => x[1] !== null && x[2] === null)).toBe(true);
    expect(await explain(left('pg'))).toContain('LEFT JOIN');
    const theta = (c: string) =>
      `SELECT o.id, c.id FROM ${c}.public.orders o JOIN ${c}.public.customers c ON o.cust = c.id AND o.id < c.id * 3`;
    const t = await sameWithoutPushdown(theta, 'pg', false);
    expect(sorted(t)).toEqual(
      sorted(await pgRows('SELECT o.id, c.id FROM orders o JOIN customers c ON o.cust = c.id AND o.id < c.id * 3')),
    );
    const gt = await explain(
      `SELECT o.id FROM pg.public.orders o JOIN pg.public.customers c ON o.cust = c.id AND o.id > c.id`,
    );
    expect(gt).toMatch(/WHERE \("id" > "id_2"\)/);
  });

  it('join, GROUP BY and top-N in one remote statement; MySQL too; never across catalogs', async () => {
    const sql = (c: string, schema: string) =>
      `SELECT c.nation, count(*) AS n, sum(o.amount) AS total
       FROM ${c}.${schema}.orders o JOIN ${c}.${schema}.customers c ON o.cust = c.id
       GROUP BY c.nation ORDER BY total DESC, c.nation LIMIT 3`;
    const r = await sameWithoutPushdown((c) => sql(c, 'public'), 'pg', true);
    expect(r).toEqual(
      await pgRows(
        'SELECT c.nation, count(*), sum(o.amount) AS total FROM orders o JOIN customers c ON o.cust = c.id GROUP BY c.nation ORDER BY total DESC, c.nation LIMIT 3',
      ),
    );
    const plan = await explain(sql('pg', 'public'));
    expect(plan.match(/TableScan/g)).toHaveLength(1);
    const pulled = await rowsPulled(sql('pg', 'public'));
    const pulledOff = await rowsPulled(sql('pgoff', 'public'));
    expect(pulled).toBe(3);
    console.log(`rows pulled for join + GROUP BY + top-N: ${pulled} with pushdown, ${pulledOff} without`);
    expect(plan).toMatch(
      /INNER JOIN .* GROUP BY "nation"\) AS "t" ORDER BY "sum_amount" DESC NULLS FIRST, "nation" ASC NULLS LAST LIMIT 3/,
    );
    expect(await sameWithoutPushdown((c) => sql(c, db), 'my', true)).toEqual(r);
    expect(await explain(sql('my', db))).toMatch(/INNER JOIN .* GROUP BY `nation`/);
    // Three tables: a join of a pushed join.
    const three = (c: string) =>
      `SELECT c.nation, count(*) AS n, max(o2.amount) AS m FROM ${c}.public.orders o
       JOIN ${c}.public.customers c ON o.cust = c.id JOIN ${c}.public.orders o2 ON o2.id = o.id + 0 * c.id
       JOIN ${c}.public.customers c2 ON c2.id = o2.cust GROUP BY c.nation`;
    const t3 = await sameWithoutPushdown(three, 'pg', false);
    expect(sorted(t3)).toEqual(
      sorted(
        await pgRows(
          `SELECT c.nation, count(*), max(o2.amount) FROM orders o JOIN customers c ON o.cust = c.id
           JOIN orders o2 ON o2.id = o.id + 0 * c.id JOIN customers c2 ON c2.id = o2.cust GROUP BY c.nation`,
        ),
      ),
    );
    const plan3 = await explain(
      `SELECT count(*) FROM pg.public.orders o JOIN pg.public.customers c ON o.cust = c.id
       JOIN pg.public.orders o2 ON o2.id = o.id JOIN pg.public.customers c2 ON c2.id = o2.cust`,
    );
    expect(plan3.match(/TableScan/g)).toHaveLength(1);
    expect(plan3.match(/INNER JOIN/g)).toHaveLength(3);
    const cross = `SELECT o.id, c.name FROM pg.public.orders o JOIN my.${db}.customers c ON o.cust = c.id WHERE o.id < 30`;
    expect(sorted(await rows(cross))).toEqual(
      sorted(await pgRows('SELECT o.id, c.name FROM orders o JOIN customers c ON o.cust = c.id WHERE o.id < 30')),
    );
    expect(await explain(cross)).toContain('HashJoin');
  });
});

describe('hostile identifiers and values in the new SQL shapes', () => {
  const t = `"${HOSTILE_TABLE.replaceAll('"', '""')}"`;
  const col = `"${HOSTILE_COLUMN.replaceAll('"', '""')}"`;
  const key = `"${HOSTILE_KEY.replaceAll('"', '""')}"`;
  const value = `'${HOSTILE_VALUE.replaceAll("'", "''")}'`;

  for (const [catalog, schema] of [
    ['pg', 'public'],
    ['my', 'DB'],
  ] as const) {
    it(`${catalog}: top-N, GROUP BY and join over quoted names, values bound`, async () => {
      const s = schema === 'DB' ? db : schema;
      const q = (c: string) => `${c}.${s}.${t}`;
      const top = (c: string) => `SELECT ${col} AS v, ${key} AS k FROM ${q(c)} ORDER BY ${key} DESC LIMIT 2`;
      expect(await sameWithoutPushdown(top, catalog, true)).toEqual([
        [null, 4],
        ['plain', 3],
      ]);
      expect(await explain(top(catalog))).not.toContain('TopN');
      const group = (c: string) =>
        `SELECT ${key} AS k, count(*) AS n, sum(n) AS s FROM ${q(c)} WHERE ${key} >= 2 GROUP BY ${key}`;
      expect(sorted(await sameWithoutPushdown(group, catalog, false))).toEqual([
        [2, '1', '20'],
        [3, '1', '30'],
        [4, '1', '40'],
      ]);
      expect(await explain(group(catalog))).not.toContain('Aggregate(');
      const joined = (c: string) =>
        `SELECT h.${col} AS v, o.id, o.note FROM ${q(c)} h JOIN ${c}.${s}.orders o ON o.id = h.${key}
         WHERE (h.${col} = ${value} OR o.note = ${value}) AND o.id < 100`;
      expect(await sameWithoutPushdown(joined, catalog, false)).toEqual([[HOSTILE_VALUE, 1, 'n1']]);
      const plan = await explain(joined(catalog));
      expect(plan).not.toContain('HashJoin');
      expect(plan).toContain(catalog === 'pg' ? '$1' : '?');
      if (myServer.password !== '') expect(plan).not.toContain(myServer.password);
      // Nothing was dropped or altered at the source.
      expect(await rows(`SELECT count(*) FROM ${catalog}.${s}.orders`)).toEqual([['3000']]);
    });
  }

  it('PostgreSQL direct agrees on the hostile join', async () => {
    expect(
      await pgRows(
        `SELECT h.${col}, o.id, o.note FROM ${quoteIdent(HOSTILE_TABLE)} h JOIN orders o ON o.id = h.${key} WHERE h.${col} = ${value} OR o.note = ${value}`,
      ),
    ).toEqual([[HOSTILE_VALUE, 1, 'n1']]);
  });
});
