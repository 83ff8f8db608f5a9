// The wire protocol server driven by the real node-postgres client (simple and extended query).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgServer, startPgServer } from '../../../coordinator/protocol/server.js';
import { testEngine } from './test-engine.js';

const engine = testEngine();
let server: PgServer;
const rawTypes = { getTypeParser: () => (v: string) => v };

function config(extra: Partial<pg.ClientConfig> = {}): pg.ClientConfig {
  return { host: '127.0.0.1', port: server.port, user: 'u', database: 'db', types: rawTypes, ...extra };
}

async function connect(extra: Partial<pg.ClientConfig> = {}): Promise<pg.Client> {
  const c = new pg.Client(config(extra));
  await c.connect();
  return c;
}

async function errorOf(p: Promise<unknown>): Promise<pg.DatabaseError> {
  try {
    await p;
  } catch (e) {
    return e as pg.DatabaseError;
  }
  throw new Error('expected an error');
}

beforeAll(async () => {
  server = await startPgServer({ port: 0, engine });
});
afterAll(async () => {
  await server.close();
});

describe('pg wire server with node-postgres', () => {
  it('answers a simple query with RowDescription, DataRow and the SELECT count', async () => {
    const c = await connect();
    try {
      const r = await c.query('select 1');
      expect(r.rows).toEqual([{ '?column?': '1' }]);
      expect(r.fields[0]?.dataTypeID).toBe(23);
      expect(r.command).toBe('SELECT');
      expect(r.rowCount).toBe(1);
    } finally {
      await c.end();
    }
  });

  it('reports startup parameters and maps the database to catalog.schema', async () => {
    const c = await connect({ database: 'lake.sales', application_name: 'tests' });
    try {
      expect((c as unknown as { processID: number }).processID).toBeGreaterThan(0);
      const r = await c.query({ text: 'show catalog', rowMode: 'array' });
      expect(r.rows).toEqual([['lake', 'sales', 'u']]);
    } finally {
      await c.end();
    }
  });

  it('formats every type as PostgreSQL text with the right OIDs and typmod', async () => {
    const c = await connect();
    try {
      const r = await c.query({ text: 'select types', rowMode: 'array' });
      expect(r.fields.map((f) => f.dataTypeID)).toEqual([16, 23, 20, 701, 1700, 1700, 1043, 1082, 1114, 25]);
      expect(r.fields[4]?.dataTypeModifier).toBe(((10 << 16) | 2) + 4);
      expect(r.rows[0]).toEqual([
        't',
        '-42',
        '9007199254740993',
        '0.1',
        '-123.45',
        '-1.000',
        'héllo',
        '1969-12-31',
        '2023-11-14 22:13:20.1234',
        null,
      ]);
      expect(r.rows[1]).toEqual(Array(10).fill(null));
    } finally {
      await c.end();
    }
  });

  it('runs parameterized queries over the extended protocol', async () => {
    const c = await connect();
    try {
      const r = await c.query({ text: 'select $1, $2', values: ['a b', null], rowMode: 'array' });
      expect(r.rows).toEqual([['a b', null]]);
      // named prepared statement, executed twice
      const q = { name: 'echo', text: 'select $1', values: ['x'], rowMode: 'array' as const };
      expect((await c.query(q)).rows).toEqual([['x']]);
      expect((await c.query({ ...q, values: ['y'] })).rows).toEqual([['y']]);
      const n = await c.query({ text: 'select 7', values: [] });
      expect(n.rows).toEqual([{ '?column?': '7' }]);
    } finally {
      await c.end();
    }
  });

  it('returns errors with SQLSTATE, position, detail and hint, and the session survives', async () => {
    const c = await connect();
    try {
      const e1 = await errorOf(c.query('select 1 frm t'));
      expect(e1.code).toBe('42601');
      expect(e1.position).toBe('10');
      expect(e1.message).toBe('syntax error at or near "frm"');
      // position is relative to the whole text of a multi-statement query
      const e2 = await errorOf(c.query('select 1;  select * from missing'));
      expect(e2.code).toBe('42P01');
      expect(e2.position).toBe(String('select 1;  select * from missing'.indexOf('missing') + 1));
      expect(e2.detail).toBe('some detail');
      expect(e2.hint).toBe('some hint');
      const e3 = await errorOf(c.query('select boom'));
      expect(e3.code).toBe('XX000');
      expect(e3.message).toContain('boom');
      // extended protocol error, then the connection still works
      const e4 = await errorOf(c.query({ text: 'select * from missing where a = $1', values: [1] }));
      expect(e4.code).toBe('42P01');
      expect((await c.query('select 2')).rows).toEqual([{ '?column?': '2' }]);
      expect((await c.query({ text: 'select $1', values: ['ok'], rowMode: 'array' })).rows).toEqual([['ok']]);
    } finally {
      await c.end();
    }
  });

  it('runs multiple statements and stops at the first error', async () => {
    const c = await connect();
    try {
      const before = engine.state.executed.length;
      const results = (await c.query('select 1; select 2; create table t (x int)')) as unknown as pg.QueryResult[];
      expect(results.map((r) => r.command)).toEqual(['SELECT', 'SELECT', 'CREATE']);
      expect(results[1]?.rows).toEqual([{ '?column?': '2' }]);
      await errorOf(c.query('select 3; select boom; select 4'));
      const ran = engine.state.executed.slice(before);
      expect(ran).toContain('select 3');
      expect(ran).not.toContain('select 4');
    } finally {
      await c.end();
    }
  });

  it('answers an empty query', async () => {
    const c = await connect();
    try {
      const r = await c.query('  ; ');
      expect(r.rows).toEqual([]);
    } finally {
      await c.end();
    }
  });

  it('streams large results across many batches', async () => {
    const c = await connect();
    try {
      const r = await c.query({ text: 'select series 50000 batch 4096', rowMode: 'array' });
      expect(r.rowCount).toBe(50000);
      expect(r.rows[0]).toEqual(['0', 'row 0']);
      expect(r.rows[49999]).toEqual(['49999', 'row 49999']);
      const e = await c.query({ text: 'select nothing', rowMode: 'array' });
      expect(e.rows).toEqual([]);
      expect(e.rowCount).toBe(0);
    } finally {
      await c.end();
    }
  });

  it('cancels a running statement with a CancelRequest (57014)', async () => {
    const c = await connect();
    try {
      const query = new pg.Query('select sleep');
      const done = new Promise<Error>((resolve, reject) => {
        query.on('error', resolve);
        query.on('end', () => reject(new Error('query finished without cancel')));
      });
      c.query(query);
      await new Promise((r) => setTimeout(r, 50));
      // pg's (untyped) Client#cancel opens a second connection and sends a CancelRequest
      (new pg.Client(config()) as unknown as { cancel(c: pg.Client, q: pg.Query): void }).cancel(c, query);
      const err = (await done) as pg.DatabaseError;
      expect(err.code).toBe('57014');
      expect(err.message).toBe('canceling statement due to user request');
      await expect.poll(() => engine.state.aborted).toContain('select sleep');
      expect((await c.query('select 5')).rows).toEqual([{ '?column?': '5' }]);
    } finally {
      await c.end();
    }
  });

  it('tracks transaction status: a failed block rejects statements until ROLLBACK', async () => {
    const c = await connect();
    try {
      await c.query('begin');
      await errorOf(c.query('select boom'));
      const e = await errorOf(c.query('select 1'));
      expect(e.code).toBe('25P02');
      const r = await c.query('rollback');
      expect(r.command).toBe('ROLLBACK');
      expect((await c.query('select 1')).rows).toEqual([{ '?column?': '1' }]);
    } finally {
      await c.end();
    }
  });

  it('sends ParameterStatus when SET changes a reported setting', async () => {
    const c = await connect();
    try {
      const seen: [string, string][] = [];
      (c as unknown as { connection: NodeJS.EventEmitter }).connection.on(
        'parameterStatus',
        (m: { parameterName: string; parameterValue: string }) => seen.push([m.parameterName, m.parameterValue]),
      );
      await c.query("set application_name = 'x1'");
      await c.query("set timezone = 'Europe/Paris'");
      expect(seen).toEqual([
        ['application_name', 'x1'],
        ['TimeZone', 'Europe/Paris'],
      ]);
    } finally {
      await c.end();
    }
  });
});
