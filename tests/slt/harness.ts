// Runs one .slt file in a fresh, empty schema of an engine:
//  - Tributary: CREATE SCHEMA memory.<unique>, then a connection whose database is memory.<unique>
//    (current catalog memory, current schema <unique>), DROP SCHEMA ... CASCADE afterwards;
//  - PostgreSQL (pg_compat_*.slt): CREATE SCHEMA <unique> and search_path=<unique>.
// Unqualified table names in a file therefore mean the same thing on both.
import { readFile, writeFile } from 'node:fs/promises';
import { basename, relative } from 'node:path';
import pg from 'pg';
import { completeSlt } from './complete.js';
import { type ExecuteOptions, executeSlt, type FileResult } from './executor.js';
import { type Engine, parseSlt } from './parser.js';

/** How to reach an engine: a base URL; the harness picks the database/schema per file. */
export interface EngineTarget {
  readonly engine: Engine;
  /** postgres://user@host:port/db: tributary's any-catalog URL, or a PostgreSQL database. */
  readonly url: string;
}

export interface RunFileOptions {
  /** Rewrite the file's expectations from the results (`--complete`). */
  readonly complete?: boolean;
  readonly recordTimeoutMs?: number;
  readonly extended?: boolean;
  /** Path shown in reports (default: relative to the working directory). */
  readonly displayPath?: string;
}

let schemaCounter = 0;

/** A fresh schema name: slt_<file stem>_<pid>_<n>, lower-case identifier characters only. */
export function uniqueSchemaName(path: string): string {
  schemaCounter += 1;
  const stem = basename(path, '.slt')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, 30);
  return `slt_${stem}_${process.pid}_${schemaCounter}`;
}

export function isPgCompat(path: string): boolean {
  return basename(path).startsWith('pg_compat_');
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

async function connect(config: pg.ClientConfig): Promise<pg.Client> {
  const client = new pg.Client({ connectionTimeoutMillis: 10_000, ...config });
  client.on('error', () => {});
  await client.connect();
  return client;
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = await connect({ connectionString: url });
  try {
    await client.query(sql);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Opens a connection on a fresh schema of the target; `drop()` removes the schema. */
export async function openFreshSchema(
  target: EngineTarget,
  path: string,
): Promise<{ client: pg.Client; schema: string; drop: () => Promise<void> }> {
  const schema = uniqueSchemaName(path);
  switch (target.engine) {
    case 'tributary': {
      await adminQuery(target.url, `CREATE SCHEMA memory.${schema}`);
      const client = await connect({ connectionString: withDatabase(target.url, `memory.${schema}`) });
      return {
        client,
        schema,
        drop: async () => {
          await client.end().catch(() => {});
          await adminQuery(target.url, `DROP SCHEMA memory.${schema} CASCADE`).catch(() => {});
        },
      };
    }
    case 'postgresql': {
      await adminQuery(target.url, `CREATE SCHEMA ${schema}`);
      const client = await connect({ connectionString: target.url, options: `-c search_path=${schema}` });
      return {
        client,
        schema,
        drop: async () => {
          await client.end().catch(() => {});
          await adminQuery(target.url, `DROP SCHEMA ${schema} CASCADE`).catch(() => {});
        },
      };
    }
    default: {
      const never: never = target.engine;
      throw new Error(`unknown engine ${String(never)}`);
    }
  }
}

/** Parses and runs one .slt file on a fresh schema of `target`; with `complete`, rewrites the file. */
export async function runSltFile(
  path: string,
  target: EngineTarget,
  options: RunFileOptions = {},
): Promise<FileResult> {
  const text = await readFile(path, 'utf8');
  const file = parseSlt(text, options.displayPath ?? relative(process.cwd(), path));
  const { client, drop } = await openFreshSchema(target, path);
  let result: FileResult;
  try {
    const executeOptions: ExecuteOptions = {
      engine: target.engine,
      ...(options.recordTimeoutMs === undefined ? {} : { recordTimeoutMs: options.recordTimeoutMs }),
      ...(options.extended === undefined ? {} : { extended: options.extended }),
    };
    result = await executeSlt(file, client, executeOptions);
  } finally {
    await drop();
  }
  if (options.complete && result.failed > 0) {
    const completed = completeSlt(file, result);
    if (completed !== text) await writeFile(path, completed);
  }
  return result;
}
