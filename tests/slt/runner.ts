// sqllogictest runner over the PostgreSQL wire protocol.
//
//   npm run slt -- [options] <file.slt | dir>...
//     --complete          rewrite failing records' expectations from the actual results (review the diff)
//     --url URL           run against a running Tributary (postgres://tributary@127.0.0.1:5433/tpch)
//                         instead of starting a cluster
//     --engine NAME       tributary (default) or postgresql (then --url is a PostgreSQL database,
//                         or a private PostgreSQL server is started)
//     --workers N         workers of the started cluster (default 2)
//     --extended          use the extended query protocol
//
// Each file runs in a fresh schema (see harness.ts). pg_compat_*.slt files run on Tributary and on a
// real PostgreSQL and must give the expected results on both; with --complete they are completed
// from PostgreSQL, the reference, and then checked on Tributary.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Cluster, startCluster } from '../support/cluster.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { type FileResult, formatFailures } from './executor.js';
import { type EngineTarget, isPgCompat, runSltFile } from './harness.js';
import { ENGINES, type Engine } from './parser.js';

export interface RunnerArgs {
  readonly complete: boolean;
  readonly url: string | undefined;
  readonly engine: Engine;
  readonly workers: number;
  readonly extended: boolean;
  readonly paths: readonly string[];
}

export function parseArgs(argv: readonly string[]): RunnerArgs {
  let complete = false;
  let url: string | undefined;
  let engine: Engine = 'tributary';
  let workers = 2;
  let extended = false;
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--complete':
        complete = true;
        break;
      case '--url':
        url = value();
        break;
      case '--engine': {
        const name = value();
        if (!ENGINES.includes(name as Engine)) throw new Error(`unknown engine ${name} (${ENGINES.join(', ')})`);
        engine = name as Engine;
        break;
      }
      case '--workers':
        workers = Number(value());
        break;
      case '--extended':
        extended = true;
        break;
      default:
        if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
        paths.push(arg);
    }
  }
  return { complete, url, engine, workers, extended, paths };
}

/** The .slt files named, directories searched recursively, sorted. */
export function collectSltFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) walk(join(path, entry));
    } else if (path.endsWith('.slt')) {
      out.push(resolve(path));
    }
  };
  for (const p of paths) walk(p);
  return out;
}

/** Starts what the run needs lazily and stops it at the end. */
class Targets {
  private cluster: Cluster | undefined;
  private postgres: TestPostgres | undefined;

  constructor(private readonly args: RunnerArgs) {}

  async get(engine: Engine): Promise<EngineTarget> {
    if (engine === this.args.engine && this.args.url !== undefined) return { engine, url: this.args.url };
    if (engine === 'tributary') {
      this.cluster ??= await startCluster({ workers: this.args.workers });
      return { engine, url: this.cluster.pgUrl };
    }
    this.postgres ??= await startPostgres();
    return { engine, url: this.postgres.url };
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.cluster?.stop(), this.postgres?.stop()]);
  }
}

function summary(result: FileResult): string {
  const status = result.failed > 0 ? 'FAIL' : 'ok  ';
  return `${status} [${result.engine}] ${result.path}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`;
}

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  const files = collectSltFiles(args.paths.length > 0 ? args.paths : ['tests/slt']);
  if (files.length === 0) {
    process.stderr.write('no .slt files found\n');
    return 1;
  }
  const targets = new Targets(args);
  let failedFiles = 0;
  let passed = 0;
  let failed = 0;
  try {
    for (const file of files) {
      // pg_compat files: PostgreSQL first (it completes them), then the engine under test.
      const engines: Engine[] =
        isPgCompat(file) && args.url === undefined && args.engine === 'tributary'
          ? ['postgresql', 'tributary']
          : [args.engine];
      for (const engine of engines) {
        const complete = args.complete && (engines.length === 1 || engine === 'postgresql');
        const result = await runSltFile(file, await targets.get(engine), {
          complete,
          extended: args.extended,
        });
        process.stdout.write(`${summary(result)}${complete && result.failed > 0 ? ' (rewritten)' : ''}\n`);
        passed += result.passed;
        failed += result.failed;
        if (result.failed > 0 && !complete) {
          failedFiles++;
          process.stdout.write(`${formatFailures(result)}\n\n`);
        }
      }
    }
  } finally {
    await targets.stop();
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failedFiles > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
