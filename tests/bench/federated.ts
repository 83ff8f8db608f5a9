// The federated part of `npm run bench -- --federated`: a lake fact table (TPC-H lineitem as
// Parquet) joined with dimension tables in a real PostgreSQL (supplier, nation) and a real MariaDB
// (part), once with everything Tributary can push into the sources (filters, joins within a
// catalog, dynamic filters from the selective dimensions) and once with catalogs that push nothing.
// It reports, per source, the rows and bytes that came over the wire (from EXPLAIN ANALYZE's
// TableScan operators), the median time of each variant, and checks that both answer the same.
// TRIBUTARY_BENCH_EXPLAIN=1 prints each variant's EXPLAIN ANALYZE.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { type Cluster, startCluster } from '../support/cluster.js';
import { mysqlLiteral, startMysql, type TestMysql } from '../support/mysql.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { materialize, schemaFor } from './tpch.js';

export interface FederatedOptions {
  readonly sf: string;
  readonly repeat: number;
  readonly workers: number;
  readonly lakeRoot: string;
  /** A client of a cluster whose `lake` catalog holds lake.tpch_<sf>.* (the TPC-H bench writes it). */
  readonly client: pg.Client;
}

export interface SourceTraffic {
  readonly catalog: string;
  readonly rows: number;
  readonly bytes: number;
}

export interface FederatedVariant {
  readonly name: 'pushdown' | 'no pushdown';
  readonly medianMs: number;
  readonly traffic: readonly SourceTraffic[];
}

export interface FederatedResult {
  readonly sf: string;
  readonly query: string;
  readonly variants: readonly FederatedVariant[];
  readonly agree: boolean;
}

/** What a catalog may push: everything, or nothing at all (the baseline). */
const NO_PUSHDOWN = [
  'filter-pushdown.enabled=false',
  'join-pushdown.enabled=false',
  'aggregation-pushdown.enabled=false',
  'topn-pushdown.enabled=false',
].join('\n');

function federatedQuery(lakeSchema: string, mysqlDb: string, suffix: string): string {
  return `SELECT n.n_name, p.p_brand, count(*) AS lines, sum(l.l_extendedprice) AS revenue
FROM lake.${lakeSchema}.lineitem l
JOIN my${suffix}.${mysqlDb}.part p ON l.l_partkey = p.p_partkey
JOIN pg${suffix}.public.supplier s ON l.l_suppkey = s.s_suppkey
JOIN pg${suffix}.public.nation n ON s.s_nationkey = n.n_nationkey
WHERE p.p_size = 15 AND p.p_container = 'MED BOX' AND n.n_name IN ('FRANCE', 'GERMANY')
GROUP BY n.n_name, p.p_brand
ORDER BY revenue DESC, n.n_name, p.p_brand`;
}

/** Sums the `TableScan(<catalog>)` operator lines of EXPLAIN ANALYZE per catalog. */
export function scanTraffic(explain: readonly string[], catalogs: readonly string[]): SourceTraffic[] {
  const units: Record<string, number> = { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
  return catalogs.map((catalog) => {
    let rows = 0;
    let bytes = 0;
    const re = new RegExp(`^\\s*TableScan\\(${catalog}\\): in \\d+ rows, out (\\d+) rows, ([\\d.]+) (B|kB|MB|GB)`);
    for (const line of explain) {
      const m = re.exec(line);
      if (!m) continue;
      rows += Number(m[1]);
      bytes += Number(m[2]) * (units[m[3] ?? 'B'] ?? 1);
    }
    return { catalog, rows, bytes: Math.round(bytes) };
  });
}

async function textRows(client: pg.Client, sql: string): Promise<(string | null)[][]> {
  const r = await client.query<(string | null)[]>({ text: sql, rowMode: 'array' });
  return r.rows;
}

async function loadDimensions(
  client: pg.Client,
  lakeSchema: string,
  postgres: TestPostgres,
  mysql: TestMysql,
): Promise<void> {
  const part = await textRows(client, `SELECT p_partkey, p_brand, p_size, p_container FROM lake.${lakeSchema}.part`);
  await mysql.loadTable(
    'part',
    [
      { name: 'p_partkey', mysqlType: 'int primary key' },
      { name: 'p_brand', mysqlType: 'varchar(10)' },
      { name: 'p_size', mysqlType: 'int' },
      { name: 'p_container', mysqlType: 'varchar(10)' },
    ],
    part.slice(0, 500),
  );
  // The mariadb client takes SQL as an argument: the rest in statements of 500 rows.
  for (let i = 500; i < part.length; i += 500) {
    const tuples = part.slice(i, i + 500).map((r) => `(${r.map(mysqlLiteral).join(', ')})`);
    await mysql.query(`INSERT INTO part VALUES ${tuples.join(', ')}`);
  }
  const supplier = await textRows(client, `SELECT s_suppkey, s_name, s_nationkey FROM lake.${lakeSchema}.supplier`);
  await postgres.loadTable(
    'supplier',
    [
      { name: 's_suppkey', pgType: 'int' },
      { name: 's_name', pgType: 'text' },
      { name: 's_nationkey', pgType: 'int' },
    ],
    supplier,
  );
  const nation = await textRows(client, `SELECT n_nationkey, n_name FROM lake.${lakeSchema}.nation`);
  await postgres.loadTable(
    'nation',
    [
      { name: 'n_nationkey', pgType: 'int' },
      { name: 'n_name', pgType: 'text' },
    ],
    nation,
  );
  await postgres.query('ALTER TABLE supplier ADD PRIMARY KEY (s_suppkey)');
  await postgres.query('ALTER TABLE nation ADD PRIMARY KEY (n_nationkey)');
  await postgres.query('ANALYZE');
  await mysql.query('ANALYZE TABLE part');
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

export async function runFederated(o: FederatedOptions): Promise<FederatedResult> {
  const lakeSchema = `tpch_${schemaFor(o.sf)}`;
  console.log(`\nFederated: lake.${lakeSchema}.lineitem ⋈ MariaDB part ⋈ PostgreSQL supplier, nation`);
  await materialize(o.client, o.sf);
  const [postgres, mysql] = await Promise.all([startPostgres(), startMysql()]);
  const dir = mkdtempSync(join(tmpdir(), 'tributary-bench-fed-'));
  let cluster: Cluster | undefined;
  try {
    await loadDimensions(o.client, lakeSchema, postgres, mysql);
    const pgProps = `connector.name=postgresql\nconnection-url=${postgres.url}\n`;
    const myProps = `connector.name=mysql\nconnection-url=jdbc:mysql://${mysql.host}:${mysql.port}/${mysql.database}\nconnection-user=${mysql.user}\nconnection-password=${mysql.password}\n`;
    writeFileSync(join(dir, 'lake.properties'), `connector.name=lake\nlake.root=${o.lakeRoot}\n`);
    writeFileSync(join(dir, 'pg.properties'), pgProps);
    writeFileSync(join(dir, 'my.properties'), myProps);
    writeFileSync(join(dir, 'pg_plain.properties'), `${pgProps}${NO_PUSHDOWN}\n`);
    writeFileSync(join(dir, 'my_plain.properties'), `${myProps}${NO_PUSHDOWN}\n`);
    cluster = await startCluster({ workers: o.workers, catalogsDir: dir, startTimeoutMs: 120_000 });
    const client = await cluster.client('lake');
    const variants: FederatedVariant[] = [];
    const answers: string[] = [];
    try {
      for (const [name, suffix, dynamic] of [
        ['pushdown', '', 'on'],
        ['no pushdown', '_plain', 'off'],
      ] as const) {
        await client.query(`SET enable_dynamic_filtering = ${dynamic}`);
        const sql = federatedQuery(lakeSchema, mysql.database, suffix);
        const times: number[] = [];
        for (let r = 0; r < o.repeat; r++) {
          const t0 = performance.now();
          const rows = await textRows(client, sql);
          times.push(performance.now() - t0);
          if (r === 0) answers.push(JSON.stringify(rows));
        }
        const explain = (await textRows(client, `EXPLAIN ANALYZE ${sql}`)).map((r) => String(r[0]));
        if (process.env.TRIBUTARY_BENCH_EXPLAIN) console.log(explain.join('\n'));
        const traffic = scanTraffic(explain, [`my${suffix}`, `pg${suffix}`]);
        variants.push({ name, medianMs: median(times), traffic });
      }
    } finally {
      await client.end();
    }
    const agree = answers.length === 2 && answers[0] === answers[1];
    console.log(`${'variant'.padEnd(14)}${'ms'.padEnd(9)}${'MariaDB rows / bytes'.padEnd(26)}PostgreSQL rows / bytes`);
    for (const v of variants) {
      const cell = (t: SourceTraffic | undefined) => (t ? `${t.rows} / ${(t.bytes / 1024).toFixed(1)} kB` : '-');
      console.log(
        `${v.name.padEnd(14)}${v.medianMs.toFixed(0).padEnd(9)}${cell(v.traffic[0]).padEnd(26)}${cell(v.traffic[1])}`,
      );
    }
    console.log(agree ? 'answers agree' : 'ANSWERS DIFFER between the variants');
    return { sf: o.sf, query: federatedQuery(lakeSchema, 'DB', ''), variants, agree };
  } finally {
    await cluster?.stop();
    await Promise.all([postgres.stop(), mysql.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
