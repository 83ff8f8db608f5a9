import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../support/postgres.js';

describe('startPostgres (a real PostgreSQL server)', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers select 1 on a private port', async () => {
    expect(server.port).not.toBe(5432);
    expect(server.url).toMatch(/^postgres:\/\/[^@]+@[^:]+:\d+\/\w+$/);
    const result = await server.query<{ one: number }>('select 1 as one');
    expect(result.rows).toEqual([{ one: 1 }]);
  });

  it('uses UTF-8 and the C collation', async () => {
    const result = await server.query<{ enc: string; sorted: string[] }>(
      `select pg_encoding_to_char(encoding) as enc,
              (select array_agg(x order by x) from unnest(array['b', 'B', 'a', 'A']) as x) as sorted
       from pg_database where datname = current_database()`,
    );
    expect(result.rows[0]).toEqual({ enc: 'UTF8', sorted: ['A', 'B', 'a', 'b'] });
  });

  it('creates a table, loads rows (with NULLs, quotes, numerics) and queries them', async () => {
    await server.query('create schema sales');
    await server.loadTable(
      'sales.orders',
      [
        { name: 'id', pgType: 'int' },
        { name: 'customer', pgType: 'text' },
        { name: 'amount', pgType: 'numeric(12,2)' },
        { name: 'day', pgType: 'date' },
      ],
      [
        [1, 'alice', '10.50', '2024-01-02'],
        [2, 'o\'brien "x"', null, '2024-02-29'],
        [3, null, 7, null],
      ],
    );
    const result = await server.query<{
      id: number;
      customer: string | null;
      amount: string | null;
      day: string | null;
    }>(
      "select id, customer, amount::text as amount, to_char(day, 'YYYY-MM-DD') as day from sales.orders where id >= $1 order by id",
      [1],
    );
    expect(result.rows).toEqual([
      { id: 1, customer: 'alice', amount: '10.50', day: '2024-01-02' },
      { id: 2, customer: 'o\'brien "x"', amount: null, day: '2024-02-29' },
      { id: 3, customer: null, amount: '7.00', day: null },
    ]);
  });

  it('loads more rows than one INSERT carries', async () => {
    const rows = Array.from({ length: 12_345 }, (_, i) => [i, `name ${i}`]);
    await server.loadTable(
      'many',
      [
        { name: 'n', pgType: 'bigint' },
        { name: 'label', pgType: 'varchar(20)' },
      ],
      rows,
    );
    const result = await server.query<{ c: string; s: string }>('select count(*) as c, sum(n) as s from many');
    expect(result.rows[0]).toEqual({ c: '12345', s: String((12_344 * 12_345) / 2) });
  });

  it('rejects a row of the wrong width', async () => {
    await expect(server.loadTable('bad', [{ name: 'a', pgType: 'int' }], [[1, 2]])).rejects.toThrow(
      /row 0 has 2 values/,
    );
  });

  it('gives independent clients on the test database', async () => {
    const client = await server.client();
    try {
      const result = await client.query<{ db: string }>('select current_database() as db');
      expect(result.rows[0]?.db).toBe(server.database);
    } finally {
      await client.end();
    }
  });
});
