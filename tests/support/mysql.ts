// A real MariaDB server for tests (Debian's mariadb-server), the MySQL-protocol twin of postgres.ts:
// a fresh data directory in a temp dir, a private port on 127.0.0.1, user `tributary` without
// password, a fresh database; stop() shuts it down and removes the directory.
//
// With TRIBUTARY_TEST_MYSQL_URL=mysql://user:pass@host:port set, that server is used instead and each
// startMysql() gets a fresh database on it, dropped by stop().
//
// Queries go through the `mariadb` command-line client (no npm driver needed): query() returns rows
// of text values (NULL as null), as `mariadb --batch` prints them.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { exec, execOk, tail } from './exec.js';
import { freePort } from './free-port.js';
import { killQuietly, sleep } from './process-tree.js';
import { aptInstall, findBinDir, makeServerDir, removeDir, runAs, serverUser, uniqueName } from './system-server.js';

export interface MysqlColumnDef {
  readonly name: string;
  /** A MySQL type as written in CREATE TABLE: 'int', 'varchar(20)', 'decimal(12,2)', 'datetime'. */
  readonly mysqlType: string;
}

export interface TestMysql {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** mysql://USER[:PASSWORD]@127.0.0.1:PORT/DATABASE */
  readonly url: string;
  /** Runs SQL (one or more statements); the rows of the last result, text values, NULL as null. */
  query(sql: string): Promise<(string | null)[][]>;
  loadTable(name: string, columns: readonly MysqlColumnDef[], rows: readonly (readonly unknown[])[]): Promise<void>;
  stop(): Promise<void>;
}

export function quoteMysqlIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/** A MySQL literal for a JS value (strings escaped for the default sql_mode). */
export function mysqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return `'${value.toISOString().replace('T', ' ').replace('Z', '')}'`;
  const text = String(value).replaceAll('\\', '\\\\').replaceAll("'", "''").replaceAll('\0', '\\0');
  return `'${text}'`;
}

/** Parses `mariadb --batch --skip-column-names` output (tab-separated, \-escapes, NULL). */
export function parseBatchOutput(stdout: string): (string | null)[][] {
  if (stdout === '') return [];
  return stdout
    .replace(/\n$/, '')
    .split('\n')
    .map((line) =>
      line
        .split('\t')
        .map((v) =>
          v === 'NULL'
            ? null
            : v.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', '0': '\0', '\\': '\\' })[c] ?? c),
        ),
    );
}

interface Connection {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

async function runSql(client: string, conn: Connection, database: string | undefined, sql: string) {
  const args = [
    '--no-defaults',
    '--protocol=TCP',
    `--host=${conn.host}`,
    `--port=${conn.port}`,
    `--user=${conn.user}`,
    '--batch',
    '--skip-column-names',
    '--connect-timeout=10',
  ];
  if (database !== undefined) args.push(`--database=${database}`);
  const env = { ...process.env, MYSQL_PWD: conn.password };
  const result = await execOk(client, [...args, '-e', sql], { env, timeoutMs: 120_000 });
  return parseBatchOutput(result.stdout);
}

function findClient(): string | undefined {
  const dir = findBinDir(['mariadb'], ['/usr/bin']) ?? findBinDir(['mysql'], ['/usr/bin']);
  if (dir === undefined) return undefined;
  return join(dir, findBinDir(['mariadb'], [dir]) === dir ? 'mariadb' : 'mysql');
}

async function ensureMariadb(): Promise<{ server: string; installDb: string; client: string }> {
  const locate = () => {
    const serverDir = findBinDir(['mariadbd'], ['/usr/sbin']) ?? findBinDir(['mysqld'], ['/usr/sbin']);
    const installDir =
      findBinDir(['mariadb-install-db'], ['/usr/bin']) ?? findBinDir(['mysql_install_db'], ['/usr/bin']);
    const client = findClient();
    if (serverDir === undefined || installDir === undefined || client === undefined) return undefined;
    const server = findBinDir(['mariadbd'], [serverDir]) === serverDir ? 'mariadbd' : 'mysqld';
    const installDb =
      findBinDir(['mariadb-install-db'], [installDir]) === installDir ? 'mariadb-install-db' : 'mysql_install_db';
    return { server: join(serverDir, server), installDb: join(installDir, installDb), client };
  };
  const found = locate();
  if (found !== undefined) return found;
  await aptInstall(['mariadb-server', 'mariadb-client']);
  const installed = locate();
  if (installed === undefined) throw new Error('mariadb-server installed but mariadbd/mariadb-install-db not found');
  return installed;
}

export async function startMysql(): Promise<TestMysql> {
  const external = process.env.TRIBUTARY_TEST_MYSQL_URL;
  if (external !== undefined && external !== '') return useExternal(external);

  const bins = await ensureMariadb();
  const user = serverUser('mysql');
  const dir = await makeServerDir('tributary-mysql-', user);
  const dataDir = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const userArgs = user === undefined ? [] : [`--user=${user.name}`];
  try {
    await runAs(
      user,
      bins.installDb,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        ...userArgs,
      ],
      { timeoutMs: 180_000 },
    );
  } catch (err) {
    await removeDir(dir);
    throw err;
  }

  const port = await freePort();
  const serverArgs = [
    '--no-defaults',
    `--datadir=${dataDir}`,
    `--socket=${socket}`,
    `--pid-file=${join(dir, 'mysqld.pid')}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    '--skip-name-resolve',
    '--innodb-flush-log-at-trx-commit=0',
    '--innodb-doublewrite=0',
    `--log-error=${join(dir, 'error.log')}`,
    ...userArgs,
  ];
  const child = spawn(bins.server, serverArgs, { stdio: 'ignore', detached: true });
  const pid = child.pid;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const killHard = () => {
    if (pid !== undefined) killQuietly(-pid, 'SIGKILL');
  };
  process.once('exit', killHard);

  // Wait until the server answers on its socket, then create the test user and database as root.
  const rootArgs = ['--no-defaults', `--socket=${socket}`, '--user=root', '--batch', '--skip-column-names'];
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ping = await exec(bins.client, [...rootArgs, '-e', 'SELECT 1'], { timeoutMs: 10_000 });
    if (ping.code === 0) break;
    if (exited || Date.now() > deadline) {
      killHard();
      const log = await exec('cat', [join(dir, 'error.log')]);
      await removeDir(dir);
      throw new Error(`MariaDB did not start\n--- error log\n${tail(log.stdout)}`);
    }
    await sleep(200);
  }
  const database = 'tributary_test';
  await execOk(bins.client, [
    ...rootArgs,
    '-e',
    `CREATE USER 'tributary'@'%'; GRANT ALL ON *.* TO 'tributary'@'%' WITH GRANT OPTION; CREATE DATABASE ${database};`,
  ]);

  const conn: Connection = { host: '127.0.0.1', port, user: 'tributary', password: '' };
  return makeHandle(bins.client, conn, database, async () => {
    process.off('exit', killHard);
    if (pid !== undefined && !exited) {
      killQuietly(pid, 'SIGTERM');
      const until = Date.now() + 30_000;
      while (!exited && Date.now() < until) await sleep(100);
      if (!exited) killHard();
    }
    await removeDir(dir);
  });
}

async function useExternal(url: string): Promise<TestMysql> {
  const client = findClient() ?? (await ensureMariadb()).client;
  const parsed = new URL(url);
  const conn: Connection = {
    host: parsed.hostname,
    port: Number(parsed.port || '3306'),
    user: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password),
  };
  const database = uniqueName('tributary_t');
  await runSql(client, conn, undefined, `CREATE DATABASE ${quoteMysqlIdent(database)}`);
  return makeHandle(client, conn, database, async () => {
    await runSql(client, conn, undefined, `DROP DATABASE IF EXISTS ${quoteMysqlIdent(database)}`);
  });
}

function makeHandle(client: string, conn: Connection, database: string, shutdown: () => Promise<void>): TestMysql {
  const auth = conn.password === '' ? '' : `:${encodeURIComponent(conn.password)}`;
  let stopped = false;
  const handle: TestMysql = {
    ...conn,
    database,
    url: `mysql://${encodeURIComponent(conn.user)}${auth}@${conn.host}:${conn.port}/${database}`,
    query: (sql) => runSql(client, conn, database, sql),
    async loadTable(name, columns, rows) {
      const qualified = name.split('.').map(quoteMysqlIdent).join('.');
      const columnList = columns.map((c) => `${quoteMysqlIdent(c.name)} ${c.mysqlType}`).join(', ');
      const statements = [`CREATE TABLE ${qualified} (${columnList});`];
      for (let start = 0; start < rows.length; start += 1000) {
        const tuples = rows.slice(start, start + 1000).map((row, r) => {
          if (row.length !== columns.length) {
            throw new Error(`loadTable ${name}: row ${start + r} has ${row.length} values, expected ${columns.length}`);
          }
          return `(${row.map(mysqlLiteral).join(', ')})`;
        });
        statements.push(`INSERT INTO ${qualified} VALUES ${tuples.join(', ')};`);
      }
      await handle.query(statements.join('\n'));
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await shutdown();
    },
  };
  return handle;
}
