// The `tributary` command: start | coordinator | worker | query.
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startWorker } from '../worker/main.js';
import type { RunFragment } from '../worker/task/api.js';
import { spawnWorker, startCoordinatorProcess, stopChildren, waitForWorkers } from './cluster.js';
import { formatResult, type TextResult } from './print-table.js';

const HELP: Record<string, string> = {
  main: `Usage: tributary <command> [options]

Commands:
  start        coordinator + local worker processes
  coordinator  coordinator only (workers join with 'tributary worker')
  worker       a worker that announces itself to a coordinator
  query        run one SQL statement and print the result

Run 'tributary <command> --help' for the options of a command.
`,
  start: `Usage: tributary start [options]
  --pg-port N      PostgreSQL wire port (default 5433, 0 = ephemeral)
  --http-port N    HTTP port (default 8080, 0 = ephemeral)
  --host H         listen address (default 127.0.0.1)
  --workers N      local worker processes (default 2)
  --catalogs DIR   directory of <catalog>.properties files
Prints {"event":"ready",...} on stdout once the workers registered.
`,
  coordinator: `Usage: tributary coordinator [options]
  --pg-port N      PostgreSQL wire port (default 5433, 0 = ephemeral)
  --http-port N    HTTP port (default 8080, 0 = ephemeral)
  --host H         listen address (default 127.0.0.1)
  --catalogs DIR   directory of <catalog>.properties files
`,
  worker: `Usage: tributary worker --coordinator URL [options]
  --coordinator URL  coordinator HTTP address, e.g. http://127.0.0.1:8080
  --host H           listen address (default 127.0.0.1)
  --port N           HTTP port (default 0 = ephemeral)
  --node-id ID       node id (default: generated)
`,
  query: `Usage: tributary query "SQL" [options]
  --server HOST:PORT  PostgreSQL wire address of a running server (default 127.0.0.1:5433)
  --user NAME         user name (default tributary)
  --database NAME     catalog[.schema] to start in
  --catalogs DIR      catalogs for the embedded server used when nothing answers on --server
`,
};

function fail(message: string): never {
  process.stderr.write(`tributary: ${message}\n`);
  process.exit(2);
}

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`--${name} must be a port number, got '${value}'`);
  return n;
}

function onShutdown(handler: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    handler().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`tributary: error during ${signal} shutdown: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

const coordinatorOptions = {
  'pg-port': { type: 'string' },
  'http-port': { type: 'string' },
  host: { type: 'string' },
  catalogs: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function cmdStart(args: string[], withWorkers: boolean): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { ...coordinatorOptions, ...(withWorkers ? { workers: { type: 'string' } } : {}) },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP[withWorkers ? 'start' : 'coordinator']!);
    return;
  }
  const host = values.host ?? '127.0.0.1';
  const workersFlag = (values as { workers?: string }).workers;
  const workerCount = withWorkers ? Number(workersFlag ?? '2') : 0;
  if (!Number.isInteger(workerCount) || workerCount < 0) fail(`--workers must be a count, got '${workersFlag}'`);
  const coordinator = await startCoordinatorProcess({
    host,
    pgPort: port(values['pg-port'], 5433, 'pg-port'),
    httpPort: port(values['http-port'], 8080, 'http-port'),
    ...(values.catalogs === undefined ? {} : { catalogsDir: values.catalogs }),
  });
  const children: ChildProcess[] = [];
  let stopping = false;
  onShutdown(async () => {
    stopping = true;
    await stopChildren(children);
    await coordinator.close();
  });
  for (let i = 0; i < workerCount; i++) {
    const child = spawnWorker(coordinator.httpUri, host, i);
    child.on('exit', (code, signal) => {
      if (!stopping) process.stderr.write(`tributary: worker ${i + 1} exited (${signal ?? code})\n`);
    });
    children.push(child);
  }
  const workers = await waitForWorkers(coordinator.httpUri, workerCount, 30_000);
  process.stdout.write(
    `Tributary ready: PostgreSQL on ${host}:${coordinator.pgPort}, HTTP on ${coordinator.httpUri}, ${workers.length} worker(s)\n`,
  );
  process.stdout.write(
    `${JSON.stringify({ event: 'ready', pgPort: coordinator.pgPort, httpPort: coordinator.httpPort, workers: workers.length })}\n`,
  );
}

async function cmdWorker(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      coordinator: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'node-id': { type: 'string' },
      attached: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP.worker!);
    return;
  }
  if (!values.coordinator) fail('worker needs --coordinator URL');
  // Started by `tributary start`: leave when the parent goes away or the coordinator stops answering.
  const attached = values.attached === true;
  let shuttingDown = false;
  // Test seam (not in --help): a module exporting `runFragment` replaces the operator engine.
  const engineModule = process.env.TRIBUTARY_RUN_FRAGMENT_MODULE;
  const runFragment = engineModule
    ? ((await import(pathToFileURL(engineModule).href)) as { runFragment: RunFragment }).runFragment
    : undefined;
  const worker = await startWorker({
    ...(runFragment ? { runFragment } : {}),
    coordinatorUri: values.coordinator,
    host: values.host ?? '127.0.0.1',
    port: port(values.port, 0, 'port'),
    ...(values['node-id'] === undefined ? {} : { nodeId: values['node-id'] }),
    onLog: (m) => process.stderr.write(`worker: ${m}\n`),
    ...(attached
      ? {
          coordinatorLossTimeoutMs: 10_000,
          onCoordinatorLost: () => {
            process.stderr.write('worker: coordinator unreachable for 10 s, exiting\n');
            void shutdown();
          },
        }
      : {}),
  });
  const shutdown = async () => {
    if (shuttingDown) return;
    shuttingDown = true;
    await worker.close();
    process.exit(0);
  };
  onShutdown(() => worker.close());
  if (process.connected) process.on('disconnect', () => void shutdown());
  process.stderr.write(`worker ${worker.nodeId} listening on ${worker.uri}\n`);
}

async function cmdQuery(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      server: { type: 'string' },
      user: { type: 'string' },
      database: { type: 'string' },
      catalogs: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP.query!);
    return;
  }
  const sql = positionals.join(' ');
  if (sql.trim() === '') fail('query needs a SQL statement');
  const [h, p] = (values.server ?? '127.0.0.1:5433').split(':');
  const host = h || '127.0.0.1';
  const pgPort = port(p, 5433, 'server port');
  let embedded: { pgPort: number; close(): Promise<void> } | undefined;
  if (!(await isListening(host, pgPort))) {
    embedded = await startEmbedded(values.catalogs);
  }
  try {
    const out = await runQuery({
      host: embedded ? '127.0.0.1' : host,
      port: embedded ? embedded.pgPort : pgPort,
      user: values.user ?? 'tributary',
      ...(values.database === undefined ? {} : { database: values.database }),
      sql,
    });
    process.stdout.write(out);
  } catch (e) {
    const err = e as { message?: string; code?: string };
    process.stderr.write(`ERROR:  ${err.message ?? String(e)}${err.code ? ` (SQLSTATE ${err.code})` : ''}\n`);
    process.exitCode = 1;
  } finally {
    await embedded?.close();
  }
}

function isListening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.setTimeout(2000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(false));
  });
}

/** Coordinator + two in-process workers on ephemeral ports. */
async function startEmbedded(catalogsDir: string | undefined): Promise<{ pgPort: number; close(): Promise<void> }> {
  const coordinator = await startCoordinatorProcess({
    host: '127.0.0.1',
    pgPort: 0,
    httpPort: 0,
    ...(catalogsDir === undefined ? {} : { catalogsDir }),
  });
  const workers = await Promise.all(
    [0, 1].map((i) =>
      startWorker({ coordinatorUri: coordinator.httpUri, nodeId: `embedded-worker-${i + 1}`, port: 0 }),
    ),
  );
  await waitForWorkers(coordinator.httpUri, workers.length, 30_000);
  return {
    pgPort: coordinator.pgPort,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await coordinator.close();
    },
  };
}

async function runQuery(opts: {
  host: string;
  port: number;
  user: string;
  database?: string;
  sql: string;
}): Promise<string> {
  const pg = await import('pg');
  const client = new pg.default.Client({
    host: opts.host,
    port: opts.port,
    user: opts.user,
    ...(opts.database === undefined ? {} : { database: opts.database }),
    types: { getTypeParser: () => (v: string) => v },
  });
  await client.connect();
  try {
    const res = (await client.query({ text: opts.sql, rowMode: 'array' })) as unknown;
    const results = (Array.isArray(res) ? res : [res]) as TextResult[];
    return results.map(formatResult).join('\n');
  } finally {
    await client.end();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return cmdStart(rest, true);
    case 'coordinator':
      return cmdStart(rest, false);
    case 'worker':
      return cmdWorker(rest);
    case 'query':
      return cmdQuery(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(HELP.main!);
      return;
    default:
      fail(`unknown command '${command}'\n${HELP.main}`);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`tributary: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
