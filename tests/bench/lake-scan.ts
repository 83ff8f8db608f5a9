// The lake-scan part of `npm run bench -- --lake-scan`: how fast Tributary reads Parquet, next to
// DuckDB reading the same files in the same run. TPC-H lineitem is written into the lake by
// Tributary (CTAS, cached between runs like the TPC-H part); then, alternating engine by engine:
//   full scan   every column decoded (sums of the numbers, max of the dates and strings)
//   one column  sum(l_extendedprice)
// reported as rows/s and MB/s of Parquet read (whole files for the full scan, the column's
// compressed chunks for the one-column scan). While Tributary runs the full scan, a second
// connection times a tiny query that needs the workers: how free the workers' event loops stay.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { RAW_TEXT } from '../integration/tpch/raw-text.js';
import type { Cluster } from '../support/cluster.js';
import { schemaFor } from './tpch.js';

export interface LakeScanOptions {
  readonly sf: string;
  readonly repeat: number;
  readonly threads: number;
  readonly lakeRoot: string;
  readonly cluster: Cluster;
  readonly client: pg.Client;
}

export interface ScanTiming {
  readonly scan: string;
  readonly rows: number;
  readonly parquetBytes: number;
  readonly tributaryMs: number;
  readonly duckdbMs: number;
  readonly ratio: number;
  readonly agree: boolean;
}

export interface LakeScanResult {
  readonly sf: string;
  readonly files: number;
  readonly rowGroups: number;
  readonly scans: ScanTiming[];
  /** A tiny worker query, run repeatedly while the full scan runs: median and max ms. */
  readonly probeDuringScan: { readonly runs: number; readonly p50Ms: number; readonly maxMs: number };
  readonly probeIdleP50Ms: number;
}

const STRINGS = ['l_returnflag', 'l_linestatus', 'l_shipinstruct', 'l_shipmode', 'l_comment'];
const FULL = `select count(*), sum(l_orderkey), sum(l_partkey), sum(l_suppkey), sum(l_linenumber),
  sum(l_quantity), sum(l_extendedprice), sum(l_discount), sum(l_tax),
  max(l_shipdate), max(l_commitdate), max(l_receiptdate), ${STRINGS.map((s) => `max(${s})`).join(', ')}
  from lineitem`;
const ONE = 'select count(*), sum(l_extendedprice) from lineitem';
const PROBE = 'select count(*) from tpch.tiny.region';

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function parquetFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.parquet') && !f.startsWith('_') && !f.startsWith('.'))
    .map((f) => join(dir, f));
}

async function materialize(client: pg.Client, sf: string): Promise<void> {
  const target = `tpch_${schemaFor(sf)}`;
  await client.query(`create schema if not exists lake.${target}`);
  const existing = (await client.query(`show tables from lake.${target}`)).rows.map((r) => r.Table as string);
  if (existing.includes('lineitem')) return;
  const t0 = performance.now();
  await client.query(`create table lake.${target}.lineitem as select * from tpch.${schemaFor(sf)}.lineitem`);
  console.log(`  wrote lake.${target}.lineitem in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function timeQuery(client: pg.Client, sql: string): Promise<{ ms: number; rows: (string | null)[][] }> {
  const t0 = performance.now();
  const r = await client.query<(string | null)[]>({ text: sql, rowMode: 'array', types: RAW_TEXT });
  return { ms: performance.now() - t0, rows: r.rows };
}

/** The same answer up to float formatting (sums of doubles may differ in the last digits). */
function agree(a: readonly (string | null)[], b: readonly (string | null)[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i] ?? null;
    if (x === null || y === null) return x === y;
    const nx = Number(x);
    const ny = Number(y);
    if (Number.isFinite(nx) && Number.isFinite(ny) && x.trim() !== '' && y.trim() !== '') {
      return Math.abs(nx - ny) <= 1e-9 * Math.max(1, Math.abs(nx), Math.abs(ny));
    }
    return x === y;
  });
}

export async function runLakeScan(o: LakeScanOptions): Promise<LakeScanResult> {
  console.log(`\nLake scan, TPC-H lineitem sf${o.sf}: Parquet written by Tributary into ${o.lakeRoot} (cached)`);
  await materialize(o.client, o.sf);
  const schema = `tpch_${schemaFor(o.sf)}`;
  const files = parquetFiles(join(o.lakeRoot, schema, 'lineitem'));
  const fileBytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const duck = await DuckDBInstance.create(':memory:', { threads: String(o.threads) });
  const dc = await duck.connect();
  const list = `[${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}]`;
  await dc.run(`create view lineitem as select * from read_parquet(${list})`);
  const meta = await dc.runAndReadAll(
    `select count(distinct (file_name, row_group_id))::bigint, sum(total_compressed_size)::bigint
     from parquet_metadata(${list}) where path_in_schema = 'l_extendedprice'`,
  );
  const [rowGroups, columnBytes] = (meta.getRows()[0] ?? [0, 0]).map((v) => Number(v));
  const client = await o.cluster.client(`lake.${schema}`);
  const probeClient = await o.cluster.client('tpch.tiny');
  const scans: ScanTiming[] = [];
  let probeDuringScan = { runs: 0, p50Ms: Number.NaN, maxMs: Number.NaN };
  let probeIdleP50Ms = Number.NaN;
  try {
    await client.query('select 1');
    const idle: number[] = [];
    for (let i = 0; i < 20; i++) idle.push((await timeQuery(probeClient, PROBE)).ms);
    probeIdleP50Ms = median(idle);
    console.log(`${files.length} files, ${rowGroups} row groups, ${(fileBytes / 2 ** 20).toFixed(0)} MB of Parquet`);
    console.log(
      `\n${pad('scan', 12)}${pad('Tributary ms', 14)}${pad('rows/s', 12)}${pad('MB/s', 8)}${pad('DuckDB ms', 11)}${pad('rows/s', 12)}${pad('MB/s', 8)}${pad('ratio', 7)}answers`,
    );
    for (const [name, sql, bytes] of [
      ['full', FULL, fileBytes],
      ['one column', ONE, columnBytes ?? 0],
    ] as const) {
      const ours: number[] = [];
      const theirs: number[] = [];
      let same = true;
      let rows = 0;
      for (let r = 0; r < o.repeat; r++) {
        const probes: number[] = [];
        let scanning = name === 'full' && r === 0;
        const probing = (async () => {
          while (scanning) probes.push((await timeQuery(probeClient, PROBE)).ms);
        })();
        const a = await timeQuery(client, sql);
        scanning = false;
        await probing;
        if (probes.length > 0)
          probeDuringScan = { runs: probes.length, p50Ms: median(probes), maxMs: Math.max(...probes) };
        ours.push(a.ms);
        const t0 = performance.now();
        const b = await dc.runAndReadAll(sql);
        theirs.push(performance.now() - t0);
        const theirRow = (b.getRowsJson()[0] ?? []).map((v) => (v === null ? null : String(v)));
        if (r === 0) {
          same = agree(a.rows[0] ?? [], theirRow);
          rows = Number(a.rows[0]?.[0] ?? 0);
          if (!same)
            console.log(
              `  answers differ:\n  ours   ${JSON.stringify(a.rows[0])}\n  DuckDB ${JSON.stringify(theirRow)}`,
            );
        }
      }
      const tm = median(ours);
      const dm = median(theirs);
      scans.push({ scan: name, rows, parquetBytes: bytes, tributaryMs: tm, duckdbMs: dm, ratio: tm / dm, agree: same });
      const rate = (ms: number) => (rows / (ms / 1000) / 1e6).toFixed(2);
      const mbs = (ms: number) => (bytes / 2 ** 20 / (ms / 1000)).toFixed(0);
      console.log(
        `${pad(name, 12)}${pad(tm.toFixed(0), 14)}${pad(`${rate(tm)} M`, 12)}${pad(mbs(tm), 8)}${pad(dm.toFixed(0), 11)}${pad(`${rate(dm)} M`, 12)}${pad(mbs(dm), 8)}${pad(
          (tm / dm).toFixed(2),
          7,
        )}${same ? 'agree' : 'DIFFER'}`,
      );
    }
    console.log(
      `\nworker probe (${PROBE}): idle p50 ${probeIdleP50Ms.toFixed(1)} ms; during the full scan p50 ${probeDuringScan.p50Ms.toFixed(1)} ms, max ${probeDuringScan.maxMs.toFixed(0)} ms over ${probeDuringScan.runs} runs`,
    );
  } finally {
    await client.end();
    await probeClient.end();
    dc.closeSync();
  }
  return { sf: o.sf, files: files.length, rowGroups: rowGroups ?? 0, scans, probeDuringScan, probeIdleP50Ms };
}

function pad(s: string, n: number): string {
  return s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length);
}
