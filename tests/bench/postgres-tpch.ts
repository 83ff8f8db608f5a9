// PostgreSQL in the TPC-H bench: the same rows as the Parquet lake, loaded into a private
// PostgreSQL (tests/support/postgres.ts) with the specification's types, primary keys, two indexes
// and ANALYZE (as the correctness test does, tests/integration/tpch/copy-tables.ts). DuckDB turns
// each table's Parquet files into a CSV file that the server COPYs, the fastest path on offer.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type pg from 'pg';
import { AFTER_LOAD, TPCH_TABLES } from '../integration/tpch/copy-tables.js';
import type { TestPostgres } from '../support/postgres.js';

/** Longest a single PostgreSQL query may take in the bench (Q17/Q20 can run for hours at sf1 without care). */
export const POSTGRES_TIMEOUT_MS = 120_000;

/**
 * Loads the TPC-H tables that `duck` sees as views into `postgres` and returns a client whose
 * session has the bench's statement timeout and parallel workers matching `threads`.
 */
export async function loadTpchIntoPostgres(
  postgres: TestPostgres,
  duck: DuckDBConnection,
  threads: number,
): Promise<{ client: pg.Client; loadSeconds: number }> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'tributary-bench-pg-'));
  chmodSync(dir, 0o755); // the server process (user postgres) reads the files
  try {
    for (const [table, cols] of Object.entries(TPCH_TABLES)) {
      const t0 = performance.now();
      const file = join(dir, `${table}.csv`);
      const names = cols.map((c) => c.name).join(', ');
      await duck.run(`copy (select ${names} from ${table}) to '${file}' (format csv, header false)`);
      chmodSync(file, 0o644);
      await postgres.query(`drop table if exists ${table}`);
      await postgres.loadTable(table, cols, []);
      await postgres.query(`copy ${table} (${names}) from '${file}' with (format csv)`);
      console.log(`  loaded PostgreSQL ${table} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    for (const sql of AFTER_LOAD) await postgres.query(sql);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const client = await postgres.client();
  await client.query(`set statement_timeout = ${POSTGRES_TIMEOUT_MS}`);
  await client.query(`set max_parallel_workers_per_gather = ${Math.max(0, threads)}`);
  return { client, loadSeconds: (performance.now() - started) / 1000 };
}
