// Copies the eight TPC-H tables of one tpch schema from Tributary into PostgreSQL, with the
// specification's types (integer keys, numeric(15,2) money, date, text), then adds the primary
// keys and a few indexes (PostgreSQL runs the correlated subqueries of Q2, Q17, Q20, Q21 as nested
// loops) and ANALYZEs. Values travel as text, exactly as Tributary sent them.
import type pg from 'pg';
import type { ColumnDef, TestPostgres } from '../../support/postgres.js';
import { RAW_TEXT } from './raw-text.js';

const KEY = 'integer';
const MONEY = 'numeric(15,2)';
const TEXT = 'text';
const DATE = 'date';

function columns(spec: Record<string, string>): ColumnDef[] {
  return Object.entries(spec).map(([name, pgType]) => ({ name, pgType }));
}

export const TPCH_TABLES: Readonly<Record<string, readonly ColumnDef[]>> = {
  region: columns({ r_regionkey: KEY, r_name: TEXT, r_comment: TEXT }),
  nation: columns({ n_nationkey: KEY, n_name: TEXT, n_regionkey: KEY, n_comment: TEXT }),
  part: columns({
    p_partkey: KEY,
    p_name: TEXT,
    p_mfgr: TEXT,
    p_brand: TEXT,
    p_type: TEXT,
    p_size: KEY,
    p_container: TEXT,
    p_retailprice: MONEY,
    p_comment: TEXT,
  }),
  supplier: columns({
    s_suppkey: KEY,
    s_name: TEXT,
    s_address: TEXT,
    s_nationkey: KEY,
    s_phone: TEXT,
    s_acctbal: MONEY,
    s_comment: TEXT,
  }),
  partsupp: columns({
    ps_partkey: KEY,
    ps_suppkey: KEY,
    ps_availqty: KEY,
    ps_supplycost: MONEY,
    ps_comment: TEXT,
  }),
  customer: columns({
    c_custkey: KEY,
    c_name: TEXT,
    c_address: TEXT,
    c_nationkey: KEY,
    c_phone: TEXT,
    c_acctbal: MONEY,
    c_mktsegment: TEXT,
    c_comment: TEXT,
  }),
  orders: columns({
    o_orderkey: KEY,
    o_custkey: KEY,
    o_orderstatus: TEXT,
    o_totalprice: MONEY,
    o_orderdate: DATE,
    o_orderpriority: TEXT,
    o_clerk: TEXT,
    o_shippriority: KEY,
    o_comment: TEXT,
  }),
  lineitem: columns({
    l_orderkey: KEY,
    l_partkey: KEY,
    l_suppkey: KEY,
    l_linenumber: KEY,
    l_quantity: MONEY,
    l_extendedprice: MONEY,
    l_discount: MONEY,
    l_tax: MONEY,
    l_returnflag: TEXT,
    l_linestatus: TEXT,
    l_shipdate: DATE,
    l_commitdate: DATE,
    l_receiptdate: DATE,
    l_shipinstruct: TEXT,
    l_shipmode: TEXT,
    l_comment: TEXT,
  }),
};

export const AFTER_LOAD = [
  'alter table region add primary key (r_regionkey)',
  'alter table nation add primary key (n_nationkey)',
  'alter table part add primary key (p_partkey)',
  'alter table supplier add primary key (s_suppkey)',
  'alter table partsupp add primary key (ps_partkey, ps_suppkey)',
  'alter table customer add primary key (c_custkey)',
  'alter table orders add primary key (o_orderkey)',
  'alter table lineitem add primary key (l_orderkey, l_linenumber)',
  'create index on lineitem (l_partkey, l_suppkey)',
  'create index on orders (o_custkey)',
  'analyze',
];

/** Rows read per Tributary query: big tables are read in key ranges to bound memory. */
const ROWS_PER_READ = 60_000;
const ROWS_PER_INSERT = 1_000;

async function insertRows(
  postgres: TestPostgres,
  table: string,
  cols: readonly ColumnDef[],
  rows: readonly (readonly (string | null)[])[],
): Promise<void> {
  const names = cols.map((c) => c.name).join(', ');
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    const params: (string | null)[] = [];
    const tuples = chunk.map((row) => {
      const slots = cols.map((c, i) => {
        params.push(row[i] ?? null);
        return `$${params.length}::${c.pgType}`;
      });
      return `(${slots.join(', ')})`;
    });
    await postgres.query(`insert into ${table} (${names}) values ${tuples.join(', ')}`, params);
  }
}

/**
 * Reads rows as text. A read that fails with 08006 (a busy worker missed its heartbeats on a loaded
 * machine: an engine robustness problem, reported, but not what this test is about) is retried.
 */
async function readRows(tributary: pg.Client, sql: string, attempts = 3): Promise<(string | null)[][]> {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await tributary.query<(string | null)[]>({ text: sql, rowMode: 'array', types: RAW_TEXT });
      return result.rows;
    } catch (err) {
      if ((err as { code?: string }).code !== '08006' || attempt >= attempts) throw err;
      // The coordinator takes the worker back once it announces itself again (every second).
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
  }
}

/** Copies one table; returns its row count. */
async function copyTable(
  tributary: pg.Client,
  postgres: TestPostgres,
  qualifiedSchema: string,
  table: string,
): Promise<number> {
  const cols = TPCH_TABLES[table];
  if (cols === undefined) throw new Error(`unknown TPC-H table ${table}`);
  const source = `${qualifiedSchema}.${table}`;
  const select = `select ${cols.map((c) => c.name).join(', ')} from ${source}`;
  await postgres.loadTable(table, cols, []);
  const key = cols[0]?.name ?? '';
  const [countRow] = await readRows(tributary, `select count(*), min(${key}), max(${key}) from ${source}`);
  const count = Number(countRow?.[0] ?? 0);
  const lo = Number(countRow?.[1] ?? 0);
  const hi = Number(countRow?.[2] ?? 0);
  const pieces = Math.max(1, Math.ceil(count / ROWS_PER_READ));
  const step = Math.ceil((hi - lo + 1) / pieces);
  let copied = 0;
  for (let piece = 0; piece < pieces; piece++) {
    const from = lo + piece * step;
    const sql = pieces === 1 ? select : `${select} where ${key} >= ${from} and ${key} < ${from + step}`;
    const rows = await readRows(tributary, sql).catch((err: unknown) => {
      throw new Error(`reading ${source} from Tributary (${sql.slice(select.length) || 'all rows'}): ${String(err)}`);
    });
    await insertRows(postgres, table, cols, rows);
    copied += rows.length;
  }
  if (copied !== count) throw new Error(`${source}: copied ${copied} rows, expected ${count}`);
  return count;
}

/** Copies all eight tables of `tpch.<schema>`; returns the row count of each. */
export async function copyTpchSchema(
  tributary: pg.Client,
  postgres: TestPostgres,
  schema: string,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of Object.keys(TPCH_TABLES)) {
    counts[table] = await copyTable(tributary, postgres, `tpch.${schema}`, table);
  }
  for (const sql of AFTER_LOAD) await postgres.query(sql);
  return counts;
}
