// The TPC-H part of `npm run bench`: Parquet written by Tributary into a lake directory, the 22
// queries on Tributary and on DuckDB over the same files, alternating, answers compared.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { compareAnswers } from '../integration/tpch/compare-results.js';
import { RAW_TEXT } from '../integration/tpch/raw-text.js';
import type { Cluster } from '../support/cluster.js';
import { type PeakMemory, watchProcessGroup } from './memory.js';

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
}

export interface QueryTiming {
  readonly query: string;
  readonly tributaryMs: number | null;
  readonly duckdbMs: number | null;
  readonly ratio: number | null;
  readonly agree: boolean | null;
  readonly error?: string;
}

export interface TpchResult {
  readonly sf: string;
  readonly loadSeconds: number;
  readonly queries: QueryTiming[];
  readonly geomeanRatio: number | null;
  readonly peakMemory: PeakMemory;
}

export function schemaFor(sf: string): string {
  return `sf${sf.replace('.', '_')}`;
}

/** Writes tpch.<sf>.* into lake.tpch_<sf>.* with CTAS, skipping tables already there. */
async function materialize(client: pg.Client, sf: string): Promise<number> {
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
  const client = await o.cluster.client(`lake.${schema}`);
  await client.query('select 1');
  const names = (o.queries ?? Array.from({ length: 22 }, (_, i) => i + 1)).map((q) => `q${String(q).padStart(2, '0')}`);
  const memory = watchProcessGroup(o.cluster.pid);
  const timings: QueryTiming[] = [];
  console.log(`\n${pad('query', 7)}${pad('Tributary ms', 14)}${pad('DuckDB ms', 12)}${pad('ratio', 8)}answers`);
  try {
    for (const name of names) {
      const sql = readFileSync(new URL(`${name}.sql`, FIXTURES), 'utf8');
      const ours: number[] = [];
      const theirs: number[] = [];
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
        }
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      const tm = ours.length ? median(ours) : null;
      const dm = theirs.length ? median(theirs) : null;
      const ratio = tm !== null && dm !== null && ours.length === o.repeat ? tm / dm : null;
      timings.push({ query: name, tributaryMs: tm, duckdbMs: dm, ratio, agree, ...(error ? { error } : {}) });
      console.log(
        `${pad(name, 7)}${pad(tm === null ? '-' : tm.toFixed(0), 14)}${pad(dm === null ? '-' : dm.toFixed(0), 12)}${pad(
          ratio === null ? '-' : ratio.toFixed(2),
          8,
        )}${agree === null ? (error ? `error: ${error}` : 'not compared') : agree ? 'agree' : `DIFFER: ${error}`}`,
      );
    }
  } finally {
    memory.stop();
    await client.end();
    dc.closeSync();
  }
  const ratios = timings.map((t) => t.ratio).filter((r): r is number => r !== null && r > 0);
  const geomeanRatio = ratios.length ? Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length) : null;
  const peak = memory.peak();
  console.log(
    `\n${o.duckdb === false ? '' : `geometric mean Tributary/DuckDB over ${ratios.length} queries: ${geomeanRatio?.toFixed(2) ?? '-'}; `}` +
      `peak RSS: ${(peak.maxProcessBytes / 2 ** 20).toFixed(0)} MB largest process, ${(peak.totalBytes / 2 ** 20).toFixed(0)} MB all`,
  );
  return { sf: o.sf, loadSeconds, queries: timings, geomeanRatio, peakMemory: peak };
}

function pad(s: string, n: number): string {
  return s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length);
}
