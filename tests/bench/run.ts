// `npm run bench`: Tributary side by side with DuckDB (and PostgreSQL) on this machine, in one
// run, reported as ratios. Not a test: nothing here asserts timings.
//
//   npm run bench -- [--sf 0.1|1|10] [--queries 1,6,14] [--repeat 3] [--workers 2] [--threads 2] [--scaling]
//                    [--skip-tpch] [--skip-latency] [--skip-postgres] [--latency-runs 1000] [--lake-scan] [--federated] [--no-column-cache] [--out FILE]
//
// TPC-H: the tables are written as Parquet into a lake directory by Tributary itself
// (CREATE TABLE lake.tpch_sfX.t AS SELECT * FROM tpch.sfX.t), cached between runs, then the 22
// queries run on Tributary (through the PostgreSQL protocol) and on DuckDB (over the same Parquet
// files, same thread count) and on PostgreSQL (the same rows loaded into a private server; off with
// --skip-postgres), alternating engine by engine per query; answers are compared.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { type Cluster, repoRoot, startCluster } from '../support/cluster.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { type FederatedResult, runFederated } from './federated.js';
import { type LakeScanResult, runLakeScan } from './lake-scan.js';
import {
  LATENCY_CASES,
  type LatencyResult,
  measureLatency,
  prepareLatencyTables,
  processTreeCpuMs,
} from './latency.js';
import { runTpch, type TpchOptions, type TpchResult } from './tpch.js';

interface Report {
  readonly date: string;
  readonly machine: string;
  readonly options: Record<string, unknown>;
  readonly latency: LatencyResult[];
  tpch: TpchResult | null;
  scaling: { query: string; oneWorkerMs: number | null; workersMs: number | null; speedup: number | null }[] | null;
  lakeScan?: LakeScanResult;
  federated?: FederatedResult;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sf: { type: 'string', default: '0.1' },
      queries: { type: 'string' },
      repeat: { type: 'string', default: '3' },
      workers: { type: 'string', default: '2' },
      threads: { type: 'string', default: '2' },
      'skip-tpch': { type: 'boolean', default: false },
      'skip-latency': { type: 'boolean', default: false },
      'skip-postgres': { type: 'boolean', default: false },
      scaling: { type: 'boolean', default: false },
      'lake-scan': { type: 'boolean', default: false },
      federated: { type: 'boolean', default: false },
      'no-column-cache': { type: 'boolean', default: false },
      'latency-runs': { type: 'string', default: '1000' },
      out: { type: 'string' },
    },
  });
  const workers = Number(values.workers);
  const benchDir = join(repoRoot, '.tributary', 'bench');
  const catalogs = join(benchDir, 'catalogs');
  mkdirSync(join(benchDir, 'lake'), { recursive: true });
  mkdirSync(catalogs, { recursive: true });
  writeFileSync(join(catalogs, 'tpch.properties'), 'connector.name=tpch\n');
  writeFileSync(join(catalogs, 'memory.properties'), 'connector.name=memory\n');
  // --no-column-cache: every run decodes the Parquet files (cold figures)
  const cache = values['no-column-cache'] ? 'lake.column-cache-size=0\n' : '';
  writeFileSync(
    join(catalogs, 'lake.properties'),
    `connector.name=lake\nlake.root=${join(benchDir, 'lake')}\n${cache}`,
  );

  const cluster: Cluster = await startCluster({ workers, catalogsDir: catalogs, startTimeoutMs: 120_000 });
  let postgres: TestPostgres | undefined;
  const report: Report = {
    date: new Date().toISOString(),
    machine: machineLine(),
    options: values,
    latency: [],
    tpch: null,
    scaling: null,
  };
  try {
    const client = await cluster.client('tpch.tiny');
    if (!values['skip-latency']) {
      postgres = await startPostgres();
      const pgClient = await postgres.client();
      try {
        await prepareLatencyTables(client, pgClient);
        const runs = Number(values['latency-runs']);
        console.log(
          `\nSmall-query latency, ${runs} sequential runs each (ms; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`,
        );
        console.log(
          pad('statement', 40),
          pad('Tributary p50', 14),
          pad('p99', 8),
          pad('CPU/run', 8),
          pad('PostgreSQL p50', 15),
          pad('p99', 8),
        );
        for (const c of LATENCY_CASES) {
          const t = await measureLatency(client, c.tributary, runs, () => processTreeCpuMs(cluster.pid));
          const p = await measureLatency(pgClient, c.postgres, runs);
          report.latency.push({ name: c.name, engine: 'tributary', runs, ...t });
          report.latency.push({ name: c.name, engine: 'postgresql', runs, ...p });
          console.log(
            pad(c.name, 40),
            pad(t.p50Ms.toFixed(3), 14),
            pad(t.p99Ms.toFixed(3), 8),
            pad(t.cpuMsPerRun?.toFixed(2) ?? '-', 8),
            pad(p.p50Ms.toFixed(3), 15),
            pad(p.p99Ms.toFixed(3), 8),
          );
        }
        console.log(`(load average afterwards ${loadavg()[0]!.toFixed(1)}; CPU/run: coordinator + workers)`);
      } finally {
        await pgClient.end();
      }
    }
    if (!values['skip-tpch']) {
      const opts: TpchOptions = {
        sf: values.sf ?? '0.1',
        queries: values.queries ? values.queries.split(',').map((q) => Number(q)) : undefined,
        repeat: Number(values.repeat),
        threads: Number(values.threads),
        lakeRoot: join(benchDir, 'lake'),
        cluster,
        client: client as pg.Client,
      };
      if (!values['skip-postgres']) postgres ??= await startPostgres();
      report.tpch = await runTpch(postgres === undefined ? opts : { ...opts, postgres });
    }
    if (values['lake-scan']) {
      report.lakeScan = await runLakeScan({
        sf: values.sf ?? '0.1',
        repeat: Number(values.repeat),
        threads: Number(values.threads),
        lakeRoot: join(benchDir, 'lake'),
        cluster,
        client: client as pg.Client,
      });
    }
    if (values.federated) {
      report.federated = await runFederated({
        sf: values.sf ?? '0.1',
        repeat: Number(values.repeat),
        workers,
        lakeRoot: join(benchDir, 'lake'),
        client: client as pg.Client,
      });
    }
  } finally {
    await postgres?.stop();
    await cluster.stop();
  }
  if (values.scaling && report.tpch && workers > 1) {
    // The same queries on a one-worker cluster: the speed-up of `workers` workers over one.
    const single = await startCluster({ workers: 1, catalogsDir: catalogs, startTimeoutMs: 120_000 });
    try {
      const client = await single.client('tpch.tiny');
      console.log('\nScaling: the same queries with 1 worker');
      const one = await runTpch({
        sf: values.sf ?? '0.1',
        queries: values.queries ? values.queries.split(',').map((q) => Number(q)) : undefined,
        repeat: Number(values.repeat),
        threads: Number(values.threads),
        lakeRoot: join(benchDir, 'lake'),
        cluster: single,
        client: client as pg.Client,
        duckdb: false,
      });
      report.scaling = one.queries.map((q) => {
        const many = report.tpch?.queries.find((x) => x.query === q.query)?.tributaryMs ?? null;
        const speedup = q.tributaryMs !== null && many !== null && many > 0 ? q.tributaryMs / many : null;
        return { query: q.query, oneWorkerMs: q.tributaryMs, workersMs: many, speedup };
      });
      const ups = report.scaling.map((x) => x.speedup).filter((x): x is number => x !== null && x > 0);
      const geo = ups.length ? Math.exp(ups.reduce((a, b) => a + Math.log(b), 0) / ups.length) : null;
      console.log(
        `\nspeed-up of ${workers} workers over 1 (geometric mean over ${ups.length} queries): ${geo?.toFixed(2) ?? '-'}`,
      );
    } finally {
      await single.stop();
    }
  }
  const out = values.out ?? join(repoRoot, 'tests', 'bench', 'results', `bench-${report.date.slice(0, 10)}.json`);
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nSaved ${out}`);
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function machineLine(): string {
  const cpus = (() => {
    try {
      const info = readFileSync('/proc/cpuinfo', 'utf8');
      const model = /model name\s*:\s*(.*)/.exec(info)?.[1] ?? 'unknown CPU';
      const count = info.split('\n').filter((l) => l.startsWith('processor')).length;
      return `${count} × ${model}`;
    } catch {
      return 'unknown CPU';
    }
  })();
  const memGb = existsSync('/proc/meminfo')
    ? Math.round(Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024 / 1024)
    : 0;
  return `${cpus}, ${memGb} GB, Node ${process.version}`;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
