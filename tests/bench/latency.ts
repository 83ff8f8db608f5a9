// Small-query latency over the wire protocol: the same statements on Tributary and on
// PostgreSQL, p50/p99 of N sequential runs on one connection each. For Tributary also the CPU
// time its processes (coordinator + workers) spent per run: unlike the latency, it hardly
// depends on what else the machine is doing.
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { descendants } from '../support/process-tree.js';

export interface LatencyCase {
  readonly name: string;
  readonly tributary: string;
  readonly postgres: string;
}

export interface LatencyResult {
  readonly name: string;
  readonly engine: 'tributary' | 'postgresql';
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly runs: number;
  /** Tributary: CPU ms (user + system) of the cluster's processes per run. */
  readonly cpuMsPerRun?: number;
}

export async function measureLatency(
  client: pg.Client,
  sql: string,
  runs: number,
  cpuMs?: () => number | undefined,
): Promise<{ p50Ms: number; p99Ms: number; cpuMsPerRun?: number }> {
  for (let i = 0; i < Math.min(50, runs); i++) await client.query(sql); // warm-up
  const times = new Float64Array(runs);
  const cpu0 = cpuMs?.();
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await client.query(sql);
    times[i] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  const cpu1 = cpuMs?.();
  times.sort();
  const out = { p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99) };
  return cpu0 === undefined || cpu1 === undefined ? out : { ...out, cpuMsPerRun: (cpu1 - cpu0) / runs };
}

/** CPU ms (user + system, all threads) of process `root` and its descendants; undefined off Linux. */
export function processTreeCpuMs(root: number): number | undefined {
  let ticks = 0;
  for (const pid of [root, ...descendants(root)]) {
    try {
      // Fields after the parenthesized command name: utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      if (pid === root) return undefined;
    }
  }
  return ticks * 10; // USER_HZ = 100 on Linux
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export async function prepareLatencyTables(tributary: pg.Client, postgres: pg.Client | undefined): Promise<void> {
  await tributary.query('create schema if not exists memory.bench');
  await tributary.query('drop table if exists memory.bench.kv');
  await tributary.query('create table memory.bench.kv (k integer, v varchar, amount decimal(12,2))');
  await tributary.query(
    'insert into memory.bench.kv select n_nationkey, n_name, n_nationkey * 1.25 from tpch.tiny.nation',
  );
  if (postgres) {
    await postgres.query('drop table if exists bench_kv');
    await postgres.query('create table bench_kv (k integer primary key, v text, amount numeric(12,2))');
    await postgres.query("insert into bench_kv select g, 'name' || g, g * 1.25 from generate_series(0, 24) g");
  }
}

export const LATENCY_CASES: readonly LatencyCase[] = [
  { name: 'SELECT 1', tributary: 'select 1', postgres: 'select 1' },
  {
    name: 'point lookup (memory table, 25 rows)',
    tributary: 'select v from memory.bench.kv where k = 7',
    postgres: 'select v from bench_kv where k = 7',
  },
  {
    name: 'small aggregate (25 rows)',
    tributary: 'select count(*), sum(amount) from memory.bench.kv',
    postgres: 'select count(*), sum(amount) from bench_kv',
  },
];
