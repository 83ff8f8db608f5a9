// How a MySQL / MariaDB table divides into splits: information_schema.tables.table_rows (an
// estimate for InnoDB) and a single-column integer primary key.
import type { RemoteClient, SplitSource } from '../remote-sql/dialect.js';

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint']);

export function mysqlSplitSource(client: RemoteClient, quote: (name: string) => string): SplitSource {
  return {
    async describe(schema, table) {
      const stats = await client.query(
        'SELECT table_rows FROM information_schema.tables WHERE table_schema = ? AND table_name = ?',
        [schema, table],
      );
      const keys = await client.query(
        `SELECT column_name, LOWER(data_type) FROM information_schema.columns
         WHERE table_schema = ? AND table_name = ? AND column_key = 'PRI'`,
        [schema, table],
      );
      const n = stats[0]?.[0];
      const rows = n === null || n === undefined ? undefined : Number(n);
      const only = keys.length === 1 ? keys[0] : undefined;
      const key = only && INTEGER_TYPES.has(String(only[1])) ? String(only[0]) : undefined;
      return { rows: rows !== undefined && Number.isFinite(rows) ? rows : undefined, pages: undefined, key };
    },
    async keyRange(schema, table, key) {
      const k = quote(key);
      const rows = await client.query(
        `SELECT CAST(MIN(${k}) AS CHAR), CAST(MAX(${k}) AS CHAR) FROM ${quote(schema)}.${quote(table)}`,
      );
      const r = rows[0];
      return { min: r?.[0] == null ? null : String(r[0]), max: r?.[1] == null ? null : String(r[1]) };
    },
  };
}
