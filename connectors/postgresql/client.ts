// The PostgreSQL side: a node-pg pool per catalog per process, catalog queries, and reads through
// a server-side cursor (DECLARE ... CURSOR in a read-only transaction, FETCH n at a time), so
// the source never sends more than one fetch ahead of the consumer.
import pg from 'pg';
import type { RemoteConfig } from '../remote-sql/config.js';
import type { RemoteClient } from '../remote-sql/dialect.js';
import type { RemoteColumn } from '../remote-sql/handle.js';
import { isTlsUnsupported, tlsOptions } from '../remote-sql/tls.js';
import { mapPgType } from './types.js';

const HIDDEN_SCHEMAS = ['pg_catalog', 'information_schema', 'pg_toast'];

/** Every value as the server's text (exact numerics, ISO dates); see to-arrow.ts. */
const textTypes: pg.CustomTypesConfig = {
  getTypeParser: (() => (value: string) => value) as unknown as pg.CustomTypesConfig['getTypeParser'],
};

export class PgClient implements RemoteClient {
  private pool: pg.Pool | undefined;
  /** sslmode=prefer and the server has no TLS: connect in plain text from now on. */
  private plain = false;

  constructor(private readonly config: RemoteConfig) {}

  private getPool(): pg.Pool {
    if (this.pool) return this.pool;
    const c = this.config;
    const options: pg.PoolConfig = {
      host: c.host,
      port: c.port,
      database: c.database,
      max: c.poolSize,
      connectionTimeoutMillis: c.connectTimeoutMs,
      idleTimeoutMillis: 30_000,
      application_name: `tributary/${c.catalog}`,
      types: textTypes,
      // Session settings: timestamptz printed in UTC, ISO dates, floats round-trip exactly.
      options: `-c TimeZone=UTC -c DateStyle=ISO,YMD -c extra_float_digits=3 -c IntervalStyle=postgres${
        c.statementTimeoutMs > 0 ? ` -c statement_timeout=${c.statementTimeoutMs}` : ''
      }`,
    };
    if (c.tls.mode !== 'disable' && !this.plain) options.ssl = tlsOptions(c.tls, c.host);
    if (c.user !== undefined) options.user = c.user;
    if (c.password !== undefined) options.password = c.password;
    const pool = new pg.Pool(options);
    // Idle clients that lose their connection emit 'error'; the next checkout reconnects.
    pool.on('error', () => {});
    // A checked-out client whose session the server ends (pg_terminate_backend, shutdown) emits
    // 'error' too, which would crash the process unheard; the running query fails with it anyway.
    pool.on('connect', (client) => client.on('error', () => {}));
    this.pool = pool;
    return pool;
  }

  /** A pooled connection; with sslmode=prefer, falls back to plain text once if the server has no TLS. */
  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.getPool().connect();
    } catch (e) {
      if (this.config.tls.mode !== 'prefer' || this.plain || !isTlsUnsupported(e)) throw e;
      this.plain = true;
      const old = this.pool;
      this.pool = undefined;
      void old?.end().catch(() => {});
      return this.getPool().connect();
    }
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<unknown[][]> {
    const client = await this.connect();
    let broken: Error | undefined;
    try {
      const r = await client.query({ text: sql, values: [...params], rowMode: 'array' });
      return r.rows as unknown[][];
    } catch (e) {
      broken = e instanceof Error ? e : new Error(String(e));
      throw e;
    } finally {
      client.release(broken);
    }
  }

  async listSchemas(): Promise<readonly string[]> {
    const rows = await this.query(
      `SELECT nspname FROM pg_catalog.pg_namespace
       WHERE nspname <> ALL ($1::text[]) AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
       ORDER BY 1`,
      [HIDDEN_SCHEMAS],
    );
    return rows.map((r) => String(r[0]));
  }

  async listTables(schema: string): Promise<readonly string[]> {
    const rows = await this.query(
      `SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'v', 'm', 'p', 'f') AND NOT c.relispartition
       ORDER BY 1`,
      [schema],
    );
    return rows.map((r) => String(r[0]));
  }

  async getColumns(schema: string, table: string): Promise<readonly RemoteColumn[] | undefined> {
    if (HIDDEN_SCHEMAS.includes(schema)) return undefined;
    const rows = await this.query(
      `SELECT c.oid IS NOT NULL, a.attname, coalesce(bt.typname, t.typname), coalesce(bt.typtype, t.typtype),
              coalesce(bt.typcategory, t.typcategory), CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END
       FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       LEFT JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
       WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
       ORDER BY a.attnum`,
      [schema, table],
    );
    if (rows.length === 0) return undefined;
    const columns: RemoteColumn[] = [];
    for (const r of rows) {
      if (r[1] === null) continue;
      const mapped = mapPgType({
        typname: String(r[2]),
        typtype: String(r[3]),
        typcategory: String(r[4]),
        typmod: Number(r[5]),
      });
      columns.push({ name: String(r[1]), ...mapped });
    }
    return columns;
  }

  async rowCount(schema: string, table: string): Promise<number | undefined> {
    const rows = await this.query(
      `SELECT c.reltuples FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relname = $2`,
      [schema, table],
    );
    const n = Number(rows[0]?.[0]);
    return Number.isFinite(n) && n >= 0 ? n : undefined;
  }

  async *stream(
    sql: string,
    params: readonly (string | null)[],
    fetchSize: number,
    signal: AbortSignal,
  ): AsyncIterable<readonly (readonly unknown[])[]> {
    const client = await this.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN TRANSACTION READ ONLY');
      await client.query({ text: `DECLARE tributary_scan NO SCROLL CURSOR FOR ${sql}`, values: [...params] });
      for (;;) {
        signal.throwIfAborted();
        const r = await client.query({ text: `FETCH ${fetchSize} FROM tributary_scan`, rowMode: 'array' });
        const rows = r.rows as unknown[][];
        if (rows.length > 0) yield rows;
        if (rows.length < fetchSize) break;
      }
      await client.query('COMMIT');
    } catch (e) {
      broken = e instanceof Error ? e : new Error(String(e));
      throw e;
    } finally {
      if (broken === undefined && client.getTransactionStatus?.() === 'T') {
        // The consumer stopped early (LIMIT, cancel): end the transaction, keep the connection.
        await client.query('ROLLBACK').catch((e: unknown) => {
          broken = e instanceof Error ? e : new Error(String(e));
        });
      }
      client.release(broken ?? false);
    }
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }
}
