// The postgresql and mysql connectors against real servers (tests/support/postgres.ts and mysql.ts),
// through a real cluster: type mapping, pushdown visible in EXPLAIN, hostile identifiers and
// values, a federated join with tpch, INSERT INTO memory SELECT, and a wrong password.
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

const HOSTILE_TABLE = `we"ird\`; -- /* tab ✓`;
const HOSTILE_COLUMN = `co"l\`; DROP TABLE t; --`;
const HOSTILE_VALUE = `O'Reilly"; DROP TABLE t; -- \`x\` /* ü */`;

beforeAll(async () => {
  [pgServer, myServer] = await Promise.all([startPostgres(), startMysql()]);
  await pgServer.query(`CREATE TYPE mood AS ENUM ('sad', 'happy')`);
  await pgServer.loadTable(
    'all_types',
    [
      { name: 'id', pgType: 'int' },
      { name: 'small', pgType: 'smallint' },
      { name: 'big', pgType: 'bigint' },
      { name: 'price', pgType: 'numeric(12,2)' },
      { name: 'wide', pgType: 'numeric(30,5)' },
      { name: 'free', pgType: 'numeric' },
      { name: 'real4', pgType: 'real' },
      { name: 'dbl', pgType: 'double precision' },
      { name: 'flag', pgType: 'boolean' },
      { name: 'name', pgType: 'text' },
      { name: 'code', pgType: 'char(3)' },
      { name: 'bin', pgType: 'bytea' },
      { name: 'day', pgType: 'date' },
      { name: 'clock', pgType: 'time' },
      { name: 'ts', pgType: 'timestamp' },
      { name: 'tstz', pgType: 'timestamptz' },
      { name: 'doc', pgType: 'jsonb' },
      { name: 'uid', pgType: 'uuid' },
      { name: 'feeling', pgType: 'mood' },
      { name: 'tags', pgType: 'int[]' },
    ],
    [
      [
        1,
        7,
        '9007199254740993',
        '1234567890.12',
        '1234567890123456789012345.12345',
        '3.14159265358979323846',
        1.5,
        0.1,
        true,
        'alpha',
        'ab',
        '\\x00ff',
        '2024-02-29',
        '13:45:00',
        '2024-02-29 12:34:56.123456',
        '2024-02-29 12:00:00+02',
        '{"a": 1}',
        'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
        'happy',
        '{1,2}',
      ],
      [
        2,
        null,
        null,
        '-0.05',
        null,
        null,
        null,
        null,
        false,
        null,
        null,
        null,
        '1969-12-31',
        null,
        '1900-01-01 00:00:00',
        null,
        null,
        null,
        'sad',
        null,
      ],
    ],
  );
  await pgServer.loadTable(
    'customers',
    [
      { name: 'id', pgType: 'int' },
      { name: 'nationkey', pgType: 'int' },
      { name: 'name', pgType: 'text' },
    ],
    Array.from({ length: 100 }, (_, i) => [i, i % 25, `customer ${i}`]),
  );
  await pgServer.loadTable(
    HOSTILE_TABLE,
    [
      { name: HOSTILE_COLUMN, pgType: 'text' },
      { name: 'n', pgType: 'int' },
    ],
    [
      [HOSTILE_VALUE, 1],
      ['plain', 2],
    ],
  );

  await myServer.loadTable(
    'all_types',
    [
      { name: 'id', mysqlType: 'int' },
      { name: 'tiny', mysqlType: 'tinyint' },
      { name: 'big', mysqlType: 'bigint' },
      { name: 'ubig', mysqlType: 'bigint unsigned' },
      { name: 'price', mysqlType: 'decimal(12,2)' },
      { name: 'wide', mysqlType: 'decimal(30,5)' },
      { name: 'dbl', mysqlType: 'double' },
      { name: 'flag', mysqlType: 'bit(1)' },
      { name: 'name', mysqlType: 'varchar(20)' },
      { name: 'body', mysqlType: 'text' },
      { name: 'bin', mysqlType: 'varbinary(4)' },
      { name: 'day', mysqlType: 'date' },
      { name: 'clock', mysqlType: 'time' },
      { name: 'dt', mysqlType: 'datetime(6)' },
      { name: 'ts', mysqlType: 'timestamp NULL' },
      { name: 'choice', mysqlType: "enum('x','y')" },
      { name: 'doc', mysqlType: 'json' },
    ],
    [
      [
        1,
        -5,
        '9007199254740993',
        '18446744073709551615',
        '1234567890.12',
        '1234567890123456789012345.12345',
        0.1,
        1,
        'Alpha',
        'long text',
        'ab',
        '2024-02-29',
        '13:45:00',
        '2024-02-29 12:34:56.123456',
        '2024-02-29 12:00:00',
        'y',
        '{"a": 1}',
      ],
      [2, null, null, null, '-0.05', null, null, 0, 'alpha', null, null, '1969-12-31', null, null, null, 'x', null],
    ],
  );
  await myServer.loadTable(
    'orders',
    [
      { name: 'id', mysqlType: 'int' },
      { name: 'custkey', mysqlType: 'int' },
      { name: 'amount', mysqlType: 'decimal(10,2)' },
    ],
    Array.from({ length: 300 }, (_, i) => [i, i % 100, `${i}.50`]),
  );
  await myServer.loadTable(
    HOSTILE_TABLE,
    [
      { name: HOSTILE_COLUMN, mysqlType: 'varchar(100)' },
      { name: 'n', mysqlType: 'int' },
    ],
    [
      [HOSTILE_VALUE, 1],
      ['plain', 2],
    ],
  );

  catalogsDir = await mkdtemp(join(tmpdir(), 'tributary-remote-'));
  const pgJdbc = `jdbc:postgresql://${pgServer.host}:${pgServer.port}/${pgServer.database}`;
  const myJdbc = `jdbc:mysql://${myServer.host}:${myServer.port}/${myServer.database}`;
  await writeFile(
    join(catalogsDir, 'pg.properties'),
    `connector.name=postgresql\nconnection-url=${pgJdbc}\nconnection-user=${pgServer.user}\nconnection-pool.max-size=3\n`,
  );
  await writeFile(
    join(catalogsDir, 'my.properties'),
    `connector.name=mysql\nconnection-url=${myJdbc}\nconnection-user=${myServer.user}\nconnection-password=\${ENV:TRIB_TEST_MYSQL_PASSWORD}\n`,
  );
  // A catalog with a wrong password (the test PostgreSQL trusts everyone, so on MariaDB: 28000).
  await myServer.query("CREATE USER 'pwuser'@'%' IDENTIFIED BY 'the-right-one'; GRANT ALL ON *.* TO 'pwuser'@'%';");
  await writeFile(
    join(catalogsDir, 'badmy.properties'),
    `connector.name=mysql\nconnection-url=mysql://${myServer.host}:${myServer.port}\nconnection-user=pwuser\nconnection-password=sekrit-Pa55\n`,
  );
  await writeFile(
    join(catalogsDir, 'downpg.properties'),
    `connector.name=postgresql\nconnection-url=postgres://127.0.0.1:1/db\nconnection-user=x\nconnection-password=sekrit-Pa55\n`,
  );
  await writeFile(join(catalogsDir, 'tpch.properties'), 'connector.name=tpch\n');
  await writeFile(join(catalogsDir, 'memory.properties'), 'connector.name=memory\n');
  cluster = await startCluster({ workers: 2, catalogsDir, env: { TRIB_TEST_MYSQL_PASSWORD: myServer.password } });
  client = await cluster.client('tpch.tiny');
}, 240_000);

afterAll(async () => {
  await cluster?.stop();
  await Promise.all([pgServer?.stop(), myServer?.stop()]);
  if (catalogsDir) await rm(catalogsDir, { recursive: true, force: true });
}, 120_000);

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await client.query(sql)).rows;
}

async function explain(sql: string): Promise<string> {
  const r = await client.query({ text: `EXPLAIN ${sql}`, rowMode: 'array' });
  return r.rows.map((x: unknown[]) => String(x[0])).join('\n');
}

async function failure(sql: string): Promise<{ code: string; message: string }> {
  try {
    await client.query(sql);
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error(`expected an error from: ${sql}`);
}

describe('postgresql catalog', () => {
  it('lists schemas and tables, hiding system schemas', async () => {
    const schemas = (await rows('SHOW SCHEMAS FROM pg')).map((r) => Object.values(r)[0]);
    expect(schemas).toContain('public');
    expect(schemas).not.toContain('pg_catalog');
    const tables = (await rows('SHOW TABLES FROM pg.public')).map((r) => Object.values(r)[0]);
    expect(tables).toEqual(expect.arrayContaining(['all_types', 'customers', HOSTILE_TABLE]));
  });

  it('reads every mapped type', async () => {
    const r = await rows('SELECT * FROM pg.public.all_types ORDER BY id');
    expect(r[0]).toEqual({
      id: 1,
      small: 7,
      big: '9007199254740993',
      price: '1234567890.12',
      wide: '1234567890123456789012345.12345',
      free: '3.1415926536',
      real4: 1.5,
      dbl: 0.1,
      flag: true,
      name: 'alpha',
      code: 'ab ',
      bin: '\\x00ff',
      day: new Date('2024-02-29T00:00:00Z'),
      clock: '13:45:00',
      ts: new Date('2024-02-29T12:34:56.123Z'),
      tstz: new Date('2024-02-29T10:00:00Z'),
      doc: '{"a": 1}',
      uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      feeling: 'happy',
      tags: '{1,2}',
    });
    expect(r[1]).toMatchObject({
      id: 2,
      small: null,
      big: null,
      price: '-0.05',
      flag: false,
      day: new Date('1969-12-31T00:00:00Z'),
      ts: new Date('1900-01-01T00:00:00Z'),
    });
    // Microseconds survive (node-pg's Date would cut them).
    const micros = await rows('SELECT CAST(ts AS varchar) AS t FROM pg.public.all_types WHERE id = 1');
    expect(micros).toEqual([{ t: '2024-02-29 12:34:56.123456' }]);
  });

  it('pushes filters and limits into the remote SQL, with the same results', async () => {
    const sql =
      "SELECT id FROM pg.public.customers WHERE id BETWEEN 10 AND 20 AND name = 'customer 12' OR id IN (1, 2)";
    const plan = await explain(sql);
    expect(plan).toContain('remote: SELECT');
    expect(plan).toMatch(/"id" (>=|IN)/);
    expect((await rows(`${sql} ORDER BY id`)).map((r) => r.id)).toEqual([1, 2, 12]);

    expect(await rows('SELECT * FROM pg.public.customers LIMIT 3')).toHaveLength(3);
    expect(await explain('SELECT * FROM pg.public.customers LIMIT 3')).toMatch(/remote: SELECT .* LIMIT/);
    // A string equality alone still reaches MySQL (re-checked here for collation differences).
    expect(await explain(`SELECT id FROM my.${myServer.database}.all_types WHERE name = 'alpha'`)).toMatch(
      /remote: SELECT .*WHERE/,
    );

    const isNull = await rows('SELECT id FROM pg.public.all_types WHERE small IS NULL');
    expect(isNull).toEqual([{ id: 2 }]);
    const byDate = await rows("SELECT id FROM pg.public.all_types WHERE day < DATE '2000-01-01'");
    expect(byDate).toEqual([{ id: 2 }]);
    expect(await explain("SELECT id FROM pg.public.all_types WHERE day < DATE '2000-01-01'")).toContain('"day" <');
    const byBig = await rows('SELECT id FROM pg.public.all_types WHERE big = 9007199254740993');
    expect(byBig).toEqual([{ id: 1 }]);
    const byDecimal = await rows('SELECT id FROM pg.public.all_types WHERE price < 0');
    expect(byDecimal).toEqual([{ id: 2 }]);
  });

  it('reads timestamptz columns as instants shown in the session zone, and intervals', async () => {
    await pgServer.loadTable(
      'events_tz',
      [
        { name: 'id', pgType: 'int' },
        { name: 'at', pgType: 'timestamptz' },
        { name: 'span', pgType: 'interval' },
      ],
      [
        [1, '2024-03-30 12:00:00+00', '1 day 02:00:00.5'],
        [2, '2024-03-31 12:00:00+00', '-1 mons'],
        [3, null, null],
      ],
    );
    await client.query("SET TIME ZONE 'Europe/Berlin'");
    try {
      const text = await client.query({
        text: 'SELECT id, at, span, extract(hour FROM at) AS h FROM pg.public.events_tz ORDER BY id',
        rowMode: 'array',
        types: { getTypeParser: () => (v: string) => v },
      });
      // Berlin switched to +02 on 2024-03-31; the interval keeps its parts.
      expect(text.rows).toEqual([
        ['1', '2024-03-30 13:00:00+01', '1 day 02:00:00.5', '13'],
        ['2', '2024-03-31 14:00:00+02', '-1 mons', '14'],
        ['3', null, null, null],
      ]);
      expect(text.fields.map((f) => f.dataTypeID)).toEqual([23, 1184, 1186, 1700]);
      // A timestamptz literal is bound as a parameter (with its offset) and compared remotely.
      const sql = "SELECT id FROM pg.public.events_tz WHERE at > timestamptz '2024-03-31 00:00:00+02'";
      expect(await explain(sql)).toMatch(/"at" > \$1::timestamptz/);
      expect(await rows(sql)).toEqual([{ id: 2 }]);
      // A timestamp is read in the session zone (13:30 in Berlin is 12:30 UTC).
      const local = "SELECT id FROM pg.public.events_tz WHERE at < timestamp '2024-03-30 13:30:00'";
      expect(await explain(local)).toContain('remote: SELECT');
      expect(await rows(local)).toEqual([{ id: 1 }]);
    } finally {
      await client.query("SET TIME ZONE 'UTC'");
    }
  });

  it('quotes hostile identifiers and binds hostile values', async () => {
    const table = `"${HOSTILE_TABLE.replaceAll('"', '""')}"`;
    const column = `"${HOSTILE_COLUMN.replaceAll('"', '""')}"`;
    const value = `'${HOSTILE_VALUE.replaceAll("'", "''")}'`;
    const r = await rows(`SELECT ${column} AS v, n FROM pg.public.${table} WHERE ${column} = ${value}`);
    expect(r).toEqual([{ v: HOSTILE_VALUE, n: 1 }]);
    expect(await explain(`SELECT n FROM pg.public.${table} WHERE ${column} = ${value}`)).toContain('$1');
    // Still there: nothing was dropped.
    expect((await pgServer.query('SELECT count(*)::int AS n FROM customers')).rows[0]).toEqual({ n: 100 });
  });
});

describe('mysql catalog', () => {
  it('lists schemas and tables, hiding system schemas', async () => {
    const schemas = (await rows('SHOW SCHEMAS FROM my')).map((r) => Object.values(r)[0]);
    expect(schemas).toContain(myServer.database);
    for (const hidden of ['mysql', 'performance_schema', 'sys']) {
      expect(schemas).not.toContain(hidden);
    }
  });

  it('reads every mapped type', async () => {
    const r = await rows(`SELECT * FROM my.${myServer.database}.all_types ORDER BY id`);
    expect(r[0]).toEqual({
      id: 1,
      tiny: -5,
      big: '9007199254740993',
      ubig: '18446744073709551615',
      price: '1234567890.12',
      wide: '1234567890123456789012345.12345',
      dbl: 0.1,
      flag: true,
      name: 'Alpha',
      body: 'long text',
      bin: '\\x6162',
      day: new Date('2024-02-29T00:00:00Z'),
      clock: '13:45:00',
      dt: new Date('2024-02-29T12:34:56.123Z'),
      ts: new Date('2024-02-29T12:00:00Z'),
      choice: 'y',
      doc: '{"a": 1}',
    });
    expect(r[1]).toMatchObject({ id: 2, tiny: null, price: '-0.05', flag: false, name: 'alpha' });
  });

  it('pushes string equality as a superset and re-checks it (case-insensitive collation)', async () => {
    const sql = `SELECT id FROM my.${myServer.database}.all_types WHERE name = 'alpha' AND id > 0`;
    expect(await rows(sql)).toEqual([{ id: 2 }]);
    const plan = await explain(sql);
    expect(plan).toContain('`name` = ?');
    expect(plan).toMatch(/Filter \(name = 'alpha'\)/);
    const numeric = `SELECT id FROM my.${myServer.database}.orders WHERE amount > 297 AND custkey IN (97, 98)`;
    expect((await rows(`${numeric} ORDER BY id`)).map((r) => r.id)).toEqual([297, 298]);
    expect(await explain(numeric)).toContain('`amount` > CAST(? AS DECIMAL');
  });

  it('quotes hostile identifiers and binds hostile values', async () => {
    const table = `"${HOSTILE_TABLE.replaceAll('"', '""')}"`;
    const column = `"${HOSTILE_COLUMN.replaceAll('"', '""')}"`;
    const value = `'${HOSTILE_VALUE.replaceAll("'", "''")}'`;
    const r = await rows(`SELECT ${column} AS v, n FROM my.${myServer.database}.${table} WHERE ${column} = ${value}`);
    expect(r).toEqual([{ v: HOSTILE_VALUE, n: 1 }]);
    expect(await myServer.query('SELECT count(*) FROM orders')).toEqual([['300']]);
  });
});

describe('federated', () => {
  it('joins postgresql, mysql and tpch in one query', async () => {
    const r = await rows(
      `SELECT n.n_name, count(*) AS orders, sum(o.amount) AS total
       FROM my.${myServer.database}.orders o
       JOIN pg.public.customers c ON c.id = o.custkey
       JOIN tpch.tiny.nation n ON n.n_nationkey = c.nationkey
       WHERE n.n_name IN ('ALGERIA', 'ARGENTINA')
       GROUP BY n.n_name ORDER BY n.n_name`,
    );
    // custkey = i % 100, nationkey = custkey % 25: nation 0 has customers 0,25,50,75; nation 1 has 1,26,51,76.
    const expected = (nation: number) => {
      let count = 0;
      let total = 0;
      for (let i = 0; i < 300; i++) {
        if ((i % 100) % 25 === nation) {
          count++;
          total += i + 0.5;
        }
      }
      return { count, total: total.toFixed(2) };
    };
    expect(r).toEqual([
      { n_name: 'ALGERIA', orders: String(expected(0).count), total: expected(0).total },
      { n_name: 'ARGENTINA', orders: String(expected(1).count), total: expected(1).total },
    ]);
  });

  it('INSERT INTO memory SELECT FROM postgresql', async () => {
    await client.query('CREATE TABLE memory.default.pg_copy (id integer, name varchar)');
    await client.query('INSERT INTO memory.default.pg_copy SELECT id, name FROM pg.public.customers WHERE id < 10');
    const r = await rows('SELECT count(*) AS n, min(name) AS first FROM memory.default.pg_copy');
    expect(r).toEqual([{ n: '10', first: 'customer 0' }]);
  });
});

describe('failures', () => {
  it('wrong credentials: 28000 naming the catalog, no password; other catalogs keep working', async () => {
    const e = await failure('SELECT * FROM badmy.x.y');
    expect(e.code).toMatch(/^28/);
    expect(e.message).toContain("'badmy'");
    expect(e.message).not.toContain('sekrit-Pa55');
    expect(await rows('SELECT count(*) AS n FROM pg.public.customers')).toEqual([{ n: '100' }]);
    expect(await rows('SELECT count(*) AS n FROM tpch.tiny.nation')).toEqual([{ n: '25' }]);
  });

  it('source down: 08001 naming the catalog', async () => {
    const e = await failure('SELECT * FROM downpg.public.t');
    expect(e.code).toBe('08001');
    expect(e.message).toContain("'downpg'");
    expect(e.message).not.toContain('sekrit-Pa55');
    expect(await rows(`SELECT count(*) AS n FROM my.${myServer.database}.orders`)).toEqual([{ n: '300' }]);
  });
});
