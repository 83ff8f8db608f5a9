// The TPC-H part of `npm run bench`: Parquet written by Tributary into a lake directory, the 22
// queries on Tributary and on DuckDB over the same files, alternating, answers compared.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { compareAnswers } from '../integration/tpch/compare-results.js';
import { RAW_TEXT } from '../integration/tpch/raw-text.js';
import type { Cluster } from '../support/cluster.js';
import type { TestPostgres } from '../support/postgres.js';
import { type PeakMemory, watchProcessGroup } from './memory.js';
import { loadTpchIntoPostgres, POSTGRES_TIMEOUT_MS } from './postgres-tpch.js';

export const TPCH_TABLES = ['region', 'nation', 'supplier', 'customer', 'part', 'partsupp', 'orders', 'lineitem'];
const FIXTURES = new URL('../fixtures/tpch/', import.meta.url);

export interface TpchOptions {
  readonly sf: string;
  readonly queries: readonly number[] | undefined;
  readonly repeat: number;
  readonly threads: number;
  readonly lakeRoot: string;
  readonly cluster: Cluster;
  readonly client: pg.Client;
  /** Also run DuckDB (off for the scaling run, which compares Tributary with itself). */
  readonly duckdb?: boolean;
  /** Also run PostgreSQL, with the same rows loaded into this server. */
  readonly postgres?: TestPostgres;
}

export interface QueryTiming {
  readonly query: string;
  readonly tributaryMs: number | null;
  readonly duckdbMs: number | null;
  readonly ratio: number | null;
  /**
   * The first run of each engine and their ratio. Tributary's column cache may already hold
   * columns that earlier queries read; `--no-column-cache` gives cold figures.
   */
  readonly tributaryFirstMs: number | null;
  readonly duckdbFirstMs: number | null;
  readonly firstRatio: number | null;
  /** PostgreSQL's median, or null (not run, failed, or over the timeout: see postgresNote). */
  readonly postgresMs?: number | null;
  /** Tributary / PostgreSQL. */
  readonly postgresRatio?: number | null;
  readonly postgresNote?: string;
  readonly agree: boolean | null;
  readonly error?: string;
}

export interface TpchResult {
  readonly sf: string;
  readonly loadSeconds: number;
  readonly queries: QueryTiming[];
  readonly geomeanRatio: number | null;
  /** Geometric mean of the first runs' ratios. */
  readonly geomeanFirstRatio: number | null;
  readonly postgres?: {
    readonly loadSeconds: number;
    readonly geomeanRatio: number | null;
    /** Queries where Tributary's median beat PostgreSQL's (a PostgreSQL timeout counts as beaten). */
    readonly fasterThanPostgres: number;
    readonly compared: number;
  };
  readonly peakMemory: PeakMemory;
}

export function schemaFor(sf: string): string {
  return `sf${sf.replace('.', '_')}`;
}

/** Writes tpch.<sf>.* into lake.tpch_<sf>.* with CTAS, skipping tables already there. */
export async function materialize(client: pg.Client, sf: string): Promise<number> {
  const source = schemaFor(sf);
  const target = `tpch_${source}`;
  const started = performance.now();
  await client.query(`create schema if not exists lake.${target}`);
  const existing = new Set((await client.query(`show tables from lake.${target}`)).rows.map((r) => r.Table as string));
  for (const t of TPCH_TABLES) {
    if (existing.has(t)) continue;
    const t0 = performance.now();
    await client.query(`create table lake.${target}.${t} as select * from tpch.${source}.${t}`);
    console.log(`  wrote lake.${target}.${t} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return (performance.now() - started) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function parquetFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('_') || e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.parquet')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

export async function runTpch(o: TpchOptions): Promise<TpchResult> {
  console.log(`\nTPC-H sf${o.sf}: materializing Parquet in ${o.lakeRoot} (cached between runs)`);
  const loadSeconds = await materialize(o.client, o.sf);
  const schema = `tpch_${schemaFor(o.sf)}`;
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const duck = await DuckDBInstance.create(':memory:', { threads: String(o.threads) });
  const dc = await duck.connect();
  for (const t of TPCH_TABLES) {
    const files = parquetFiles(join(o.lakeRoot, schema, t)).map((f) => `'${f.replaceAll("'", "''")}'`);
    await dc.run(`create view ${t} as select * from read_parquet([${files.join(', ')}])`);
  }
  let pgClient: pg.Client | undefined;
  let pgLoadSeconds = 0;
  if (o.postgres !== undefined) {
    console.log(
      `\nLoading the same rows into PostgreSQL (statement timeout ${POSTGRES_TIMEOUT_MS / 1000} s per query)`,
    );
    const loaded = await loadTpchIntoPostgres(o.postgres, dc, o.threads);
    pgClient = loaded.client;
    pgLoadSeconds = loaded.loadSeconds;
  }
  const client = await o.cluster.client(`lake.${schema}`);
  await client.query('select 1');
  const names = (o.queries ?? Array.from({ length: 22 }, (_, i) => i + 1)).map((q) => `q${String(q).padStart(2, '0')}`);
  const memory = watchProcessGroup(o.cluster.pid);
  const timings: QueryTiming[] = [];
  console.log(
    `\n${pad('query', 7)}${pad('Tributary ms', 14)}${pad('DuckDB ms', 12)}${pad('ratio', 8)}${pad('1st ratio', 11)}${
      pgClient ? `${pad('PostgreSQL ms', 15)}${pad('ratio', 8)}` : ''
    }answers`,
  );
  try {
    for (const name of names) {
      const sql = readFileSync(new URL(`${name}.sql`, FIXTURES), 'utf8');
      const ours: number[] = [];
      const theirs: number[] = [];
      const pgTimes: number[] = [];
      let pgNote: string | undefined;
      let agree: boolean | null = null;
      let error: string | undefined;
      try {
        for (let r = 0; r < o.repeat; r++) {
          let t0 = performance.now();
          const a = await client.query<(string | null)[]>({ text: sql, rowMode: 'array', types: RAW_TEXT });
          ours.push(performance.now() - t0);
          if (o.duckdb === false) continue;
          t0 = performance.now();
          const b = await dc.runAndReadAll(sql);
          theirs.push(performance.now() - t0);
          if (r === 0) {
            const rows = b.getRowsJson().map((row) => row.map((v) => (v === null ? null : String(v))));
            const cols = a.fields.map((f) => ({ name: f.name, typeOid: f.dataTypeID }));
            const diffs = compareAnswers(
              { columns: cols, rows: a.rows },
              { columns: cols, rows },
              { orderKeys: [], approx: cols.map((_, i) => i) },
            );
            agree = diffs.length === 0;
            if (!agree) error = diffs.slice(0, 2).join('; ');
          }
          if (pgClient !== undefined && pgNote === undefined) {
            t0 = performance.now();
            try {
              const c = await pgClient.query<(string | null)[]>({ text: sql, rowMode: 'array', types: RAW_TEXT });
              pgTimes.push(performance.now() - t0);
              if (r === 0) {
                const cols = a.fields.map((f) => ({ name: f.name, typeOid: f.dataTypeID }));
                const diffs = compareAnswers(
                  { columns: cols, rows: a.rows },
                  { columns: cols, rows: c.rows },
                  { orderKeys: [], approx: cols.map((_, i) => i) },
                );
                if (diffs.length > 0) {
                  agree = false;
                  error = `PostgreSQL: ${diffs.slice(0, 2).join('; ')}`;
                }
              }
            } catch (e) {
              const code = (e as { code?: string }).code;
              pgNote = code === '57014' ? `over ${POSTGRES_TIMEOUT_MS / 1000} s` : `error: ${String(e)}`;
            }
          }
        }
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      const tm = ours.length ? median(ours) : null;
      const dm = theirs.length ? median(theirs) : null;
      const ratio = tm !== null && dm !== null && ours.length === o.repeat ? tm / dm : null;
      const pm = pgTimes.length === o.repeat ? median(pgTimes) : null;
      const pgRatio = tm !== null && pm !== null ? tm / pm : null;
      const tf = ours[0] ?? null;
      const df = theirs[0] ?? null;
      const firstRatio = tf !== null && df !== null && ratio !== null ? tf / df : null;
      timings.push({
        query: name,
        tributaryMs: tm,
        duckdbMs: dm,
        ratio,
        tributaryFirstMs: tf,
        duckdbFirstMs: df,
        firstRatio,
        ...(pgClient ? { postgresMs: pm, postgresRatio: pgRatio, ...(pgNote ? { postgresNote: pgNote } : {}) } : {}),
        agree,
        ...(error ? { error } : {}),
      });
      const pgColumns = pgClient
        ? `${pad(pm === null ? (pgNote ?? '-') : pm.toFixed(0), 15)}${pad(pgRatio === null ? '-' : pgRatio.toFixed(2), 8)}`
        : '';
      console.log(
        `${pad(name, 7)}${pad(tm === null ? '-' : tm.toFixed(0), 14)}${pad(dm === null ? '-' : dm.toFixed(0), 12)}${pad(
          ratio === null ? '-' : ratio.toFixed(2),
          8,
        )}${pad(firstRatio === null ? '-' : firstRatio.toFixed(2), 11)}${pgColumns}${agree === null ? (error ? `error: ${error}` : 'not compared') : agree ? 'agree' : `DIFFER: ${error}`}`,
      );
    }
  } finally {
    memory.stop();
    await client.end();
    await pgClient?.end();
    dc.closeSync();
  }
  const ratios = timings.map((t) => t.ratio).filter((r): r is number => r !== null && r > 0);
  const geomeanRatio = ratios.length ? Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length) : null;
  const firsts = timings.map((t) => t.firstRatio).filter((r): r is number => r !== null && r > 0);
  const geomeanFirstRatio = firsts.length
    ? Math.exp(firsts.reduce((s, r) => s + Math.log(r), 0) / firsts.length)
    : null;
  const peak = memory.peak();
  let postgres: TpchResult['postgres'];
  if (pgClient !== undefined) {
    const pgRatios = timings.map((t) => t.postgresRatio).filter((r): r is number => typeof r === 'number' && r > 0);
    const compared = timings.filter((t) => t.tributaryMs !== null && (t.postgresMs != null || t.postgresNote));
    const faster = compared.filter((t) => t.postgresMs == null || (t.tributaryMs ?? Infinity) < t.postgresMs).length;
    postgres = {
      loadSeconds: pgLoadSeconds,
      geomeanRatio: pgRatios.length
        ? Math.exp(pgRatios.reduce((acc, r) => acc + Math.log(r), 0) / pgRatios.length)
        : null,
      fasterThanPostgres: faster,
      compared: compared.length,
    };
    console.log(
      `geometric mean Tributary/PostgreSQL over ${pgRatios.length} queries: ${postgres.geomeanRatio?.toFixed(2) ?? '-'}; ` +
        `Tributary faster on ${faster} of ${compared.length}`,
    );
  }
  console.log(
    `\n${o.duckdb === false ? '' : `geometric mean Tributary/DuckDB over ${ratios.length} queries: ${geomeanRatio?.toFixed(2) ?? '-'}; `}` +
      `first runs: ${geomeanFirstRatio?.toFixed(2) ?? '-'}; peak RSS: ${(peak.maxProcessBytes / 2 ** 20).toFixed(0)} MB largest process, ${(peak.totalBytes / 2 ** 20).toFixed(0)} MB all`,
  );
  return {
    sf: o.sf,
    loadSeconds,
    queries: timings,
    geomeanRatio,
    geomeanFirstRatio,
    ...(postgres ? { postgres } : {}),
    peakMemory: peak,
  };
}

function pad(s: string, n: number): string {
  return s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length);
}
