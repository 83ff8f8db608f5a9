// A real PostgreSQL server for tests: Debian's postgresql package, a fresh cluster in a temp dir on a
// private port (trust auth, C locale, fsync off), stopped and removed by stop().
//
// With TRIBUTARY_TEST_PG_URL=postgres://user@host:port/db set, that server is used instead: nothing
// is started, and each startPostgres() gets a fresh database on it, dropped by stop().
//
//   const pg = await startPostgres();
//   await pg.loadTable('t', [{ name: 'id', pgType: 'int' }], [[1], [2]]);
//   (await pg.query('select count(*)::int as n from t')).rows  // [{ n: 2 }]
//   await pg.stop();
import { spawnSync } from 'node:child_process';
import { chownSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';
import {
  aptInstall,
  asUser,
  findBinDir,
  makeServerDir,
  type OsUser,
  postgresBinDirs,
  removeDir,
  runAs,
  serverUser,
  uniqueName,
} from './system-server.js';

export interface ColumnDef {
  readonly name: string;
  /** A PostgreSQL type as written in CREATE TABLE: 'int', 'text', 'numeric(12,2)', 'timestamp'. */
  readonly pgType: string;
}

export interface TestPostgres {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** postgres://USER@127.0.0.1:PORT/DATABASE (no password: trust auth). */
  readonly url: string;
  query<R extends pg.QueryResultRow = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<pg.QueryResult<R>>;
  /** CREATE TABLE name (columns) and INSERT the rows (values as node-pg sends them). `name` may be schema.table. */
  loadTable(name: string, columns: readonly ColumnDef[], rows: readonly (readonly unknown[])[]): Promise<void>;
  /** A new connected client on the test database; the caller ends it. */
  client(): Promise<pg.Client>;
  /**
   * Stops the server process but keeps its data and port, so `resumeServer()` brings the same
   * database back (tests of a source that goes away and returns). Not for external servers.
   */
  pauseServer(): Promise<void>;
  resumeServer(): Promise<void>;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** Serve TLS with this certificate and key (PEM files); `hba` then usually demands it. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /** Replaces pg_hba.conf, e.g. 'hostssl all all 127.0.0.1/32 trust'. Local socket access stays trusted. */
  readonly hba?: string;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** 'a.b' -> "a"."b" */
export function quoteQualified(name: string): string {
  return name.split('.').map(quoteIdent).join('.');
}

/** Servers started by this process and not stopped yet: stopped hard if the process exits. */
const liveServers = new Map<string, { pgCtl: string; dataDir: string; dir: string; user: OsUser | undefined }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const server of liveServers.values()) {
      const [file, args] = asUser(server.user, server.pgCtl, ['-D', server.dataDir, '-m', 'immediate', '-w', 'stop']);
      spawnSync(file, args, { stdio: 'ignore', timeout: 10_000 });
      rmSync(server.dir, { recursive: true, force: true });
    }
  });
}

async function findPostgresBinaries(): Promise<string> {
  const programs = ['initdb', 'pg_ctl'];
  const found = findBinDir(programs, postgresBinDirs());
  if (found !== undefined) return found;
  await aptInstall(['postgresql']);
  const installed = findBinDir(programs, postgresBinDirs());
  if (installed === undefined) throw new Error('postgresql installed but initdb/pg_ctl not found');
  return installed;
}

export async function startPostgres(options: PostgresOptions = {}): Promise<TestPostgres> {
  const external = process.env.TRIBUTARY_TEST_PG_URL;
  if (external !== undefined && external !== '') {
    if (options.tls !== undefined || options.hba !== undefined) {
      throw new Error('startPostgres: TLS and pg_hba options need a server started by the tests');
    }
    return useExternal(external);
  }

  const binDir = await findPostgresBinaries();
  const initdb = join(binDir, 'initdb');
  const pgCtl = join(binDir, 'pg_ctl');
  const user = serverUser('postgres');
  const dir = await makeServerDir('tributary-pg-', user);
  const dataDir = join(dir, 'data');
  try {
    await runAs(
      user,
      initdb,
      ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      {
        timeoutMs: 120_000,
      },
    );
    configure(dataDir, user, options);
  } catch (err) {
    await removeDir(dir);
    throw err;
  }

  const startOn = (port: number) => {
    const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off`;
    return runAs(
      user,
      pgCtl,
      ['-D', dataDir, '-l', join(dir, 'server.log'), '-o', settings, '-w', '-t', '60', 'start'],
      {
        timeoutMs: 90_000,
      },
    );
  };
  const stopServer = () =>
    runAs(user, pgCtl, ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop'], { timeoutMs: 90_000 }).catch(async () =>
      runAs(user, pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], { timeoutMs: 30_000 }),
    );

  // A free port may be taken between finding and binding it: try a few.
  let port = 0;
  let lastError: unknown;
  for (let attempt = 0; attempt < 3 && port === 0; attempt++) {
    const candidate = await freePort();
    try {
      await startOn(candidate);
      port = candidate;
    } catch (err) {
      lastError = err;
    }
  }
  if (port === 0) {
    await removeDir(dir);
    throw new Error(`PostgreSQL did not start: ${String(lastError)}`);
  }
  installExitHook();
  liveServers.set(dir, { pgCtl, dataDir, dir, user });

  const admin = { host: '127.0.0.1', port, user: 'postgres', database: 'postgres' };
  const database = 'tributary_test';
  // With a pg_hba.conf of the test's own, the test's clients use the Unix socket (left trusted).
  const clientHost = options.hba === undefined ? admin.host : dir;
  const setup = new pg.Client({ ...admin, host: clientHost });
  await setup.connect();
  try {
    await setup.query(`CREATE DATABASE ${quoteIdent(database)}`);
  } finally {
    await setup.end();
  }

  return makeHandle(
    { ...admin, host: clientHost, database },
    async () => {
      liveServers.delete(dir);
      await stopServer();
      await removeDir(dir);
    },
    { pause: stopServer, resume: async () => void (await startOn(port)), tcpHost: admin.host },
  );
}

/** Writes TLS files and pg_hba.conf into a fresh data directory (owned by the server user). */
function configure(dataDir: string, user: OsUser | undefined, options: PostgresOptions): void {
  const own = (path: string) => {
    if (user !== undefined) chownSync(path, user.uid, user.gid);
  };
  if (options.tls !== undefined) {
    const cert = join(dataDir, 'server.crt');
    const key = join(dataDir, 'server.key');
    copyFileSync(options.tls.certFile, cert);
    copyFileSync(options.tls.keyFile, key);
    for (const f of [cert, key]) own(f);
    spawnSync('chmod', ['600', key]);
    writeFileSync(
      join(dataDir, 'postgresql.conf'),
      "\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n",
      {
        flag: 'a',
      },
    );
  }
  if (options.hba !== undefined) {
    const hba = join(dataDir, 'pg_hba.conf');
    writeFileSync(hba, `local all all trust\n${options.hba}\n`);
    own(hba);
  }
}

async function useExternal(url: string): Promise<TestPostgres> {
  const parsed = new URL(url);
  const database = uniqueName('tributary_t');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
  } finally {
    await admin.end();
  }
  const config: pg.ClientConfig = {
    host: parsed.hostname,
    port: Number(parsed.port || '5432'),
    user: decodeURIComponent(parsed.username || 'postgres'),
    database,
  };
  if (parsed.password !== '') config.password = decodeURIComponent(parsed.password);
  return makeHandle(config, async () => {
    const drop = new pg.Client({ connectionString: url });
    await drop.connect();
    try {
      await drop.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
    } finally {
      await drop.end();
    }
  });
}

interface LocalControls {
  readonly pause: () => Promise<unknown>;
  readonly resume: () => Promise<void>;
  /** The TCP host to advertise when the test's own clients use a socket. */
  readonly tcpHost: string;
}

function makeHandle(config: pg.ClientConfig, shutdown: () => Promise<void>, local?: LocalControls): TestPostgres {
  const host = local?.tcpHost ?? config.host ?? '127.0.0.1';
  const port = config.port ?? 5432;
  const user = config.user ?? 'postgres';
  const database = config.database ?? 'postgres';
  const password = typeof config.password === 'string' ? `:${encodeURIComponent(config.password)}` : '';
  let connecting: Promise<pg.Client> | undefined;
  const newClient = async () => {
    const client = new pg.Client(config);
    client.on('error', () => {});
    await client.connect();
    return client;
  };
  const sharedClient = () => {
    connecting ??= newClient();
    return connecting;
  };
  let stopped = false;

  const handle: TestPostgres = {
    host,
    port,
    user,
    database,
    url: `postgres://${encodeURIComponent(user)}${password}@${host}:${port}/${database}`,
    async query<R extends pg.QueryResultRow>(sql: string, params?: readonly unknown[]) {
      const client = await sharedClient();
      return client.query<R>(sql, params === undefined ? undefined : [...params]);
    },
    async loadTable(name, columns, rows) {
      const columnList = columns.map((c) => `${quoteIdent(c.name)} ${c.pgType}`).join(', ');
      await handle.query(`CREATE TABLE ${quoteQualified(name)} (${columnList})`);
      if (rows.length === 0 || columns.length === 0) return;
      // Stay far below the 65535 bind-parameter limit.
      const perInsert = Math.max(1, Math.floor(10_000 / columns.length));
      const names = columns.map((c) => quoteIdent(c.name)).join(', ');
      for (let start = 0; start < rows.length; start += perInsert) {
        const chunk = rows.slice(start, start + perInsert);
        const params: unknown[] = [];
        const tuples = chunk.map((row, r) => {
          if (row.length !== columns.length) {
            throw new Error(`loadTable ${name}: row ${start + r} has ${row.length} values, expected ${columns.length}`);
          }
          const slots = columns.map((c, i) => {
            params.push(row[i]);
            return `$${params.length}::${c.pgType}`;
          });
          return `(${slots.join(', ')})`;
        });
        await handle.query(`INSERT INTO ${quoteQualified(name)} (${names}) VALUES ${tuples.join(', ')}`, params);
      }
    },
    client: newClient,
    async pauseServer() {
      if (local === undefined) throw new Error('pauseServer: the server was not started by the tests');
      if (connecting !== undefined) await connecting.then((c) => c.end()).catch(() => {});
      connecting = undefined;
      await local.pause();
    },
    async resumeServer() {
      if (local === undefined) throw new Error('resumeServer: the server was not started by the tests');
      await local.resume();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (connecting !== undefined) await connecting.then((c) => c.end()).catch(() => {});
      await shutdown();
    },
  };
  return handle;
}
