// How a PostgreSQL table divides into splits: reltuples and relpages from pg_class (estimates
// kept by VACUUM / ANALYZE; -1 before the first), and a single-column integer primary key.
import type { RemoteClient, SplitSource } from '../remote-sql/dialect.js';

export function pgSplitSource(client: RemoteClient, quote: (name: string) => string): SplitSource {
  return {
    async describe(schema, table) {
      const rows = await client.query(
        `SELECT c.reltuples, c.relpages, c.relkind,
                (SELECT a.attname FROM pg_catalog.pg_index i
                   JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                  WHERE i.indrelid = c.oid AND i.indisprimary AND i.indnkeyatts = 1
                    AND a.atttypid IN ('pg_catalog.int2'::regtype, 'pg_catalog.int4'::regtype, 'pg_catalog.int8'::regtype))
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relname = $2`,
        [schema, table],
      );
      const r = rows[0];
      if (r === undefined) return { rows: undefined, pages: undefined, key: undefined };
      const tuples = Number(r[0]);
      const pages = Number(r[1]);
      // ctid ranges only mean something in a plain table's (or materialized view's) own heap.
      const heap = r[2] === 'r' || r[2] === 'm';
      return {
        rows: Number.isFinite(tuples) && tuples >= 0 ? tuples : undefined,
        pages: heap && Number.isFinite(pages) && pages > 0 ? pages : undefined,
        key: r[3] === null || r[3] === undefined ? undefined : String(r[3]),
      };
    },
    async keyRange(schema, table, key) {
      const k = quote(key);
      const rows = await client.query(
        `SELECT CAST(min(${k}) AS text), CAST(max(${k}) AS text) FROM ${quote(schema)}.${quote(table)}`,
      );
      const r = rows[0];
      return { min: r?.[0] == null ? null : String(r[0]), max: r?.[1] == null ? null : String(r[1]) };
    },
  };
}
