// The MySQL side: a mysql2 pool per catalog per process (session time zone UTC), catalog queries
// from information_schema, and reads as a streamed prepared statement (`execute(...).stream()`):
// mysql2 pauses the socket when the consumer falls behind.
import mysql from 'mysql2';
import type { RemoteConfig } from '../remote-sql/config.js';
import type { RemoteClient } from '../remote-sql/dialect.js';
import type { RemoteColumn } from '../remote-sql/handle.js';
import { isTlsUnsupported, tlsOptions } from '../remote-sql/tls.js';
import { mapMysqlType } from './types.js';

export const HIDDEN_SCHEMAS = ['information_schema', 'mysql', 'performance_schema', 'sys'];

type Row = unknown[];

export class MysqlClient implements RemoteClient {
  private pool: mysql.Pool | undefined;
  /** sslMode=PREFERRED and the server has no TLS: connect in plain text from now on. */
  private plain = false;

  constructor(private readonly config: RemoteConfig) {}

  private getPool(): mysql.Pool {
    if (this.pool) return this.pool;
    const c = this.config;
    const options: mysql.PoolOptions = {
      host: c.host,
      port: c.port,
      connectionLimit: c.poolSize,
      maxIdle: c.poolSize,
      idleTimeout: 30_000,
      connectTimeout: c.connectTimeoutMs,
      charset: 'utf8mb4',
      timezone: 'Z',
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
      jsonStrings: true,
      rowsAsArray: true,
    };
    if (c.database !== '') options.database = c.database;
    if (c.user !== undefined) options.user = c.user;
    if (c.password !== undefined) options.password = c.password;
    if (c.tls.mode !== 'disable' && !this.plain) options.ssl = tlsOptions(c.tls, c.host) as mysql.SslOptions;
    const pool = mysql.createPool(options);
    const timeoutMs = c.statementTimeoutMs;
    pool.on('connection', (conn) => {
      conn.query("SET time_zone = '+00:00'");
      if (timeoutMs > 0) {
        // MariaDB counts seconds in max_statement_time, MySQL milliseconds in max_execution_time.
        conn.query(`SET SESSION max_statement_time = ${timeoutMs / 1000}`, (err) => {
          if (err) conn.query(`SET SESSION max_execution_time = ${Math.ceil(timeoutMs)}`, () => {});
        });
      }
    });
    this.pool = pool;
    return pool;
  }

  /** Runs `fn`; with sslMode=PREFERRED, falls back to plain text once if the server has no TLS. */
  private async withTlsFallback<T>(fn: (pool: mysql.Pool) => Promise<T>): Promise<T> {
    try {
      return await fn(this.getPool());
    } catch (e) {
      if (this.config.tls.mode !== 'prefer' || this.plain || !isTlsUnsupported(e)) throw e;
      this.plain = true;
      const old = this.pool;
      this.pool = undefined;
      old?.end(() => {});
      return fn(this.getPool());
    }
  }

  private connection(): Promise<mysql.PoolConnection> {
    return this.withTlsFallback(
      (pool) =>
        new Promise((resolve, reject) => {
          pool.getConnection((err, conn) => (err ? reject(err) : resolve(conn)));
        }),
    );
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    const [rows] = await this.withTlsFallback((pool) =>
      pool.promise().execute({ sql, values: [...params] as (string | number)[], rowsAsArray: true }),
    );
    return rows as Row[];
  }

  async listSchemas(): Promise<readonly string[]> {
    const rows = await this.query('SELECT schema_name FROM information_schema.schemata ORDER BY 1');
    return rows.map((r) => String(r[0])).filter((s) => !HIDDEN_SCHEMAS.includes(s.toLowerCase()));
  }

  async listTables(schema: string): Promise<readonly string[]> {
    const rows = await this.query(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1',
      [schema],
    );
    return rows.map((r) => String(r[0]));
  }

  async getColumns(schema: string, table: string): Promise<readonly RemoteColumn[] | undefined> {
    if (HIDDEN_SCHEMAS.includes(schema.toLowerCase())) return undefined;
    const rows = await this.query(
      `SELECT column_name, LOWER(data_type), LOWER(column_type), numeric_precision, numeric_scale, datetime_precision
       FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position`,
      [schema, table],
    );
    if (rows.length === 0) return undefined;
    // information_schema compares names case-insensitively on some platforms: keep exact matches.
    const columns: RemoteColumn[] = [];
    for (const r of rows) {
      const name = String(r[0]);
      const dataType = String(r[1]);
      const mapped = mapMysqlType({
        dataType,
        columnType: String(r[2]),
        precision: r[3] === null ? (dataType === 'bit' ? bitWidth(String(r[2])) : null) : Number(r[3]),
        scale: r[4] === null ? null : Number(r[4]),
      });
      if (mapped === undefined) {
        process.emitWarning(
          `catalog '${this.config.catalog}': column ${schema}.${table}.${name} of type ${dataType} is not supported and left out`,
        );
        continue;
      }
      columns.push({ name, type: mapped.type, pushdown: mapped.pushdown });
    }
    return columns;
  }

  async rowCount(schema: string, table: string): Promise<number | undefined> {
    const rows = await this.query(
      'SELECT table_rows FROM information_schema.tables WHERE table_schema = ? AND table_name = ?',
      [schema, table],
    );
    const v = rows[0]?.[0];
    return v === null || v === undefined ? undefined : Number(v);
  }

  async *stream(
    sql: string,
    params: readonly (string | null)[],
    fetchSize: number,
    signal: AbortSignal,
  ): AsyncIterable<readonly (readonly unknown[])[]> {
    const conn = await this.connection();
    let done = false;
    const stream = conn.execute({ sql, values: [...params], rowsAsArray: true }).stream({ highWaterMark: fetchSize });
    // mysql2 reports a connection lost mid-stream (KILL CONNECTION, server gone) only on the
    // connection, and the row stream would then wait forever: end the stream with that error.
    const onLost = (err: Error) => stream.destroy(err);
    conn.on('error', onLost);
    try {
      let chunk: Row[] = [];
      for await (const row of stream as AsyncIterable<Row>) {
        chunk.push(row);
        if (chunk.length >= fetchSize) {
          signal.throwIfAborted();
          yield chunk;
          chunk = [];
        }
      }
      if (chunk.length > 0) yield chunk;
      done = true;
    } finally {
      conn.off('error', onLost);
      if (done) conn.release();
      else {
        // Stopped early or failed: the rest of the result set is still on the wire. Drop the connection.
        stream.destroy();
        conn.destroy();
      }
    }
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await pool.promise().end();
  }
}

function bitWidth(columnType: string): number {
  const m = /bit\((\d+)\)/.exec(columnType);
  return m ? Number(m[1]) : 1;
}
