// Starts a real Tributary cluster (`bin/tributary.js start`: coordinator + N worker processes) on
// private ports for a test, and stops it again, checking that no process of it is left behind.
//
//   const cluster = await startCluster({ workers: 2 });
//   const client = await cluster.client();          // database tpch; cluster.client('memory.s1')
//   await cluster.psql('select 1');                  // { stdout: '1\n', stderr: '', code: 0 }
//   await cluster.stop();
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type ExecResult, exec, tail } from './exec.js';
import { descendants, groupAlive, isAlive, killQuietly, sleep } from './process-tree.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ClusterOptions {
  /** Worker processes (default 2). */
  readonly workers?: number;
  /** Directory of `<catalog>.properties` files (default: the engine's embedded catalogs). */
  readonly catalogsDir?: string;
  readonly extraArgs?: readonly string[];
  /** Extra environment for the cluster process. */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for the ready line (default 30 s, env TRIBUTARY_TEST_START_TIMEOUT_MS). */
  readonly startTimeoutMs?: number;
  /** How long stop() waits after SIGINT before killing the process group (default 15 s). */
  readonly stopGraceMs?: number;
  /** Script run instead of bin/tributary.js (the harness's own tests use a fake cluster). */
  readonly entry?: string;
}

export interface PsqlOptions {
  readonly database?: string;
  /** Extra psql arguments, e.g. ['-v', 'ON_ERROR_STOP=1']. */
  readonly args?: readonly string[];
  readonly timeoutMs?: number;
}

export interface Cluster {
  readonly pgPort: number;
  readonly httpPort: number;
  readonly workers: number;
  /** postgres://tributary@127.0.0.1:PORT/tpch */
  readonly pgUrl: string;
  readonly httpUrl: string;
  readonly pid: number;
  /** A connected node-pg client (user tributary, database tpch unless given); closed by stop(). */
  client(database?: string): Promise<pg.Client>;
  /** Runs `psql -X -A -t -q -c SQL`. */
  psql(sql: string, options?: PsqlOptions): Promise<ExecResult>;
  /** Everything the cluster wrote to stdout and stderr so far (tail). */
  logs(): string;
  /** SIGINT, wait for exit, then verify no process of the cluster is left (SIGKILL as a last resort). */
  stop(): Promise<void>;
}

interface ReadyLine {
  readonly event: 'ready';
  readonly pgPort: number;
  readonly httpPort: number;
  readonly workers: number;
}

const PSQL = process.env.TRIBUTARY_TEST_PSQL ?? '/usr/bin/psql';
const LOG_LIMIT = 64 * 1024;

/** Clusters not yet stopped; killed hard if the test process exits without stopping them. */
const running = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of running) killQuietly(-pid, 'SIGKILL');
  });
}

function parseReady(line: string): ReadyLine | undefined {
  if (!line.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (v.event !== 'ready' || typeof v.pgPort !== 'number' || typeof v.httpPort !== 'number') return undefined;
  return {
    event: 'ready',
    pgPort: v.pgPort,
    httpPort: v.httpPort,
    workers: typeof v.workers === 'number' ? v.workers : 0,
  };
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const workers = options.workers ?? 2;
  const args = [
    options.entry ?? join(repoRoot, 'bin', 'tributary.js'),
    'start',
    '--pg-port',
    '0',
    '--http-port',
    '0',
    '--workers',
    String(workers),
  ];
  if (options.catalogsDir !== undefined) args.push('--catalogs', options.catalogsDir);
  args.push(...(options.extraArgs ?? []));

  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    // Own process group: stop() and the exit hook can reach every process of the cluster.
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) {
    const err = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new Error(`could not spawn the cluster: ${err.message}`);
  }
  installExitHook();
  running.add(pid);
  child.stdin.end();

  let output = '';
  const appendLog = (text: string) => {
    output += text;
    if (output.length > LOG_LIMIT * 2) output = output.slice(output.length - LOG_LIMIT);
  };
  let stderrText = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    appendLog(chunk);
    stderrText += chunk;
    if (stderrText.length > LOG_LIMIT * 2) stderrText = stderrText.slice(stderrText.length - LOG_LIMIT);
  });

  let exited = false;
  let exitDescription = '';
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      exitDescription = signal !== null ? `signal ${signal}` : `code ${code}`;
      resolve();
    });
  });

  const timeoutMs = options.startTimeoutMs ?? Number(process.env.TRIBUTARY_TEST_START_TIMEOUT_MS ?? 30_000);
  const ready = await new Promise<ReadyLine>((resolve, reject) => {
    let buffered = '';
    let settled = false;
    const finish = (error: Error | undefined, line?: ReadyLine) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(line!);
    };
    const timer = setTimeout(() => {
      finish(
        new Error(
          `cluster did not print its ready line within ${timeoutMs} ms (${args.slice(1).join(' ')})\n--- stderr tail\n${tail(stderrText)}`,
        ),
      );
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      appendLog(chunk);
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        const parsed = parseReady(line);
        if (parsed) finish(undefined, parsed);
        newline = buffered.indexOf('\n');
      }
    });
    void exitPromise.then(() => {
      // Let the stderr stream drain before quoting it.
      setTimeout(() => {
        finish(
          new Error(`cluster exited (${exitDescription}) before it was ready\n--- stderr tail\n${tail(stderrText)}`),
        );
      }, 50);
    });
    child.once('error', (err) => finish(err));
  }).catch(async (err: unknown) => {
    await killGroup(pid, exitPromise, () => exited);
    running.delete(pid);
    throw err;
  });

  const clients = new Set<pg.Client>();
  const pgUrl = `postgres://tributary@127.0.0.1:${ready.pgPort}/tpch`;
  let stopped = false;
  const stopGraceMs = options.stopGraceMs ?? 15_000;

  return {
    pgPort: ready.pgPort,
    httpPort: ready.httpPort,
    workers: ready.workers,
    pgUrl,
    httpUrl: `http://127.0.0.1:${ready.httpPort}`,
    pid,
    async client(database = 'tpch') {
      const client = new pg.Client({
        host: '127.0.0.1',
        port: ready.pgPort,
        user: 'tributary',
        database,
        connectionTimeoutMillis: 10_000,
      });
      // A server-side error after connect must not crash the test process as an unhandled 'error'.
      client.on('error', () => {});
      await client.connect();
      clients.add(client);
      client.once('end', () => clients.delete(client));
      return client;
    },
    psql(sql, psqlOptions = {}) {
      const psqlArgs = [
        '-X',
        '-A',
        '-t',
        '-q',
        '-h',
        '127.0.0.1',
        '-p',
        String(ready.pgPort),
        '-U',
        'tributary',
        '-d',
        psqlOptions.database ?? 'tpch',
        ...(psqlOptions.args ?? []),
        '-c',
        sql,
      ];
      return exec(PSQL, psqlArgs, {
        env: { ...process.env, PGCONNECT_TIMEOUT: '10' },
        timeoutMs: psqlOptions.timeoutMs ?? 60_000,
      });
    },
    logs: () => tail(output, LOG_LIMIT),
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.allSettled([...clients].map((c) => c.end()));
      // Note every descendant now: a worker may have been put in a process group of its own.
      const family = descendants(pid);
      if (!exited) killQuietly(pid, 'SIGINT');
      const gracefulExit = await Promise.race([exitPromise.then(() => true), sleep(stopGraceMs).then(() => false)]);
      // Workers get a moment to follow the coordinator out.
      const deadline = Date.now() + (gracefulExit ? Math.min(5_000, stopGraceMs) : 0);
      while (Date.now() < deadline && (groupAlive(pid) || family.some(isAlive))) await sleep(50);
      const leftovers = family.filter(isAlive);
      const groupLeft = groupAlive(pid);
      running.delete(pid);
      if (gracefulExit && leftovers.length === 0 && !groupLeft) return;
      await killGroup(pid, exitPromise, () => exited);
      for (const p of leftovers) killQuietly(p, 'SIGKILL');
      throw new Error(
        gracefulExit
          ? `cluster exited on SIGINT but left processes behind (${leftovers.join(', ') || `group ${pid}`}); killed them`
          : `cluster did not exit within ${stopGraceMs} ms of SIGINT; killed its process group\n--- log tail\n${tail(output)}`,
      );
    },
  };
}

async function killGroup(pgid: number, exitPromise: Promise<void>, exited: () => boolean): Promise<void> {
  killQuietly(-pgid, 'SIGKILL');
  if (!exited()) await Promise.race([exitPromise, sleep(5_000)]);
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && groupAlive(pgid)) await sleep(50);
}
