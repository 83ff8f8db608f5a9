// How the postgresql and mysql connectors fail, against real servers: TLS (verified, refused,
// preferred), a connection killed by the source in the middle of a scan, a statement timeout at the
// source, and a source that goes away and comes back — each an ErrorResponse with a fitting SQLSTATE
// naming the catalog, the other catalogs unaffected, and no restart needed afterwards.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../../support/cluster.js';
import { startMysql, type TestMysql } from '../../support/mysql.js';
import { startPostgres, type TestPostgres } from '../../support/postgres.js';
import { aptInstall, findBinDir } from '../../support/system-server.js';

const external = Boolean(process.env.TRIBUTARY_TEST_PG_URL);

let dir: string;
let plainPg: TestPostgres;
let tlsPg: TestPostgres | undefined;
let myServer: TestMysql;
let cluster: Cluster;
let client: pg.Client;

/** A CA, a server certificate for 127.0.0.1 signed by it, and an unrelated second CA. */
function makeCertificates(at: string): void {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: at, stdio: 'ignore' });
  for (const ca of ['ca', 'other-ca']) {
    run(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=tributary test ${ca}`,
      '-keyout',
      `${ca}.key`,
      '-out',
      `${ca}.pem`,
    );
  }
  run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr');
  execFileSync('sh', ['-c', 'printf "subjectAltName=IP:127.0.0.1,DNS:localhost\\n" > san.ext'], { cwd: at });
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'san.ext',
    '-out',
    'server.crt',
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tributary-failures-'));
  if (!external) {
    if (findBinDir(['openssl'], ['/usr/bin', '/usr/local/bin']) === undefined) await aptInstall(['openssl']);
    makeCertificates(dir);
  }
  [plainPg, tlsPg, myServer] = await Promise.all([
    startPostgres(),
    external
      ? Promise.resolve(undefined)
      : startPostgres({
          tls: { certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key') },
          hba: 'hostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject',
        }),
    startMysql(),
  ]);
  // Enough rows that a scan streams for a while (the connector fetches in chunks).
  await plainPg.query(
    `CREATE TABLE big AS SELECT g AS id, repeat(md5(g::text), 4) AS payload FROM generate_series(1, 400000) g`,
  );
  await plainPg.query('CREATE VIEW slow AS SELECT 1 AS x FROM pg_sleep(5)');
  await plainPg.query('CREATE TABLE small AS SELECT g AS id FROM generate_series(1, 10) g');
  await myServer.query(
    `CREATE TABLE big (id int primary key, payload varchar(200));
     INSERT INTO big SELECT seq, REPEAT(MD5(seq), 4) FROM seq_1_to_200000;
     CREATE VIEW slow AS SELECT SLEEP(5) AS x;`,
  );

  const catalogs = join(dir, 'catalogs');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(catalogs);
  const pgUrl = (s: TestPostgres, params = '') => `jdbc:postgresql://${s.host}:${s.port}/${s.database}${params}`;
  const props = (name: string, text: string) => writeFile(join(catalogs, `${name}.properties`), text);
  await props('pg', `connector.name=postgresql\nconnection-url=${pgUrl(plainPg)}\nconnection-user=${plainPg.user}\n`);
  await props(
    'pgslow',
    `connector.name=postgresql\nconnection-url=${pgUrl(plainPg)}\nconnection-user=${plainPg.user}\nstatement-timeout=1s\n`,
  );
  await props(
    'pgprefer',
    `connector.name=postgresql\nconnection-url=${pgUrl(plainPg, '?sslmode=prefer')}\nconnection-user=${plainPg.user}\n`,
  );
  if (tlsPg !== undefined) {
    const user = `connection-user=${tlsPg.user}\n`;
    await props(
      'pgtls',
      `connector.name=postgresql\nconnection-url=${pgUrl(tlsPg, `?sslmode=verify-full&sslrootcert=${join(dir, 'ca.pem')}`)}\n${user}`,
    );
    await props('pgnotls', `connector.name=postgresql\nconnection-url=${pgUrl(tlsPg)}\n${user}`);
    await props(
      'pgwrongca',
      `connector.name=postgresql\nconnection-url=${pgUrl(tlsPg, `?sslmode=verify-full&sslrootcert=${join(dir, 'other-ca.pem')}`)}\n${user}`,
    );
    await props('pgrequire', `connector.name=postgresql\nconnection-url=${pgUrl(tlsPg, '?sslmode=require')}\n${user}`);
  }
  const myUrl = `jdbc:mysql://${myServer.host}:${myServer.port}/${myServer.database}`;
  const myUser = `connection-user=${myServer.user}\nconnection-password=${myServer.password}\n`;
  await props('my', `connector.name=mysql\nconnection-url=${myUrl}\n${myUser}`);
  await props('myslow', `connector.name=mysql\nconnection-url=${myUrl}\n${myUser}statement-timeout=1s\n`);
  await props('tpch', 'connector.name=tpch\n');
  cluster = await startCluster({ workers: 2, catalogsDir: catalogs });
  client = await cluster.client('tpch.tiny');
}, 300_000);

afterAll(async () => {
  await cluster?.stop();
  await Promise.all([plainPg?.stop(), tlsPg?.stop(), myServer?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
}, 120_000);

async function failure(sql: string): Promise<{ code: string; message: string }> {
  try {
    await client.query(sql);
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error(`expected an error from: ${sql}`);
}

async function count(sql: string): Promise<number> {
  const r = await client.query({ text: sql, rowMode: 'array' });
  return Number(r.rows[0]?.[0]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(external)('TLS to PostgreSQL (a server that accepts only TLS)', () => {
  it('sslmode=verify-full with the signing CA connects', async () => {
    await tlsPg?.query('CREATE TABLE IF NOT EXISTS secured AS SELECT 1 AS id');
    expect(await count('SELECT count(*) FROM pgtls.public.secured')).toBe(1);
    // The server saw an encrypted session from this catalog.
    const seen = await tlsPg?.query<{ ssl: boolean }>(
      `SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'tributary/pgtls'`,
    );
    expect(seen?.rows.length).toBeGreaterThan(0);
    expect(seen?.rows.every((r) => r.ssl)).toBe(true);
  });

  it('sslmode=require encrypts without verifying', async () => {
    expect(await count('SELECT count(*) FROM pgrequire.public.secured')).toBe(1);
  });

  it('no TLS: the server refuses with 28000, naming the catalog', async () => {
    const e = await failure('SELECT count(*) FROM pgnotls.public.secured');
    expect(e.code).toBe('28000');
    expect(e.message).toContain("'pgnotls'");
  });

  it('a certificate from another CA: 08001 naming the catalog', async () => {
    const e = await failure('SELECT count(*) FROM pgwrongca.public.secured');
    expect(e.code).toBe('08001');
    expect(e.message).toContain("'pgwrongca'");
    expect(e.message).toMatch(/certificate/i);
  });

  it('sslmode=prefer falls back to plain text on a server without TLS', async () => {
    expect(await count('SELECT count(*) FROM pgprefer.public.small')).toBe(10);
  });
});

/** Kills the source's sessions of `catalog` once one of them is fetching, while `query` runs. */
async function killMidway(
  query: Promise<unknown>,
  sessions: () => Promise<number>,
): Promise<{ code: string; message: string }> {
  let outcome: { code: string; message: string } | undefined;
  const done = query.then(
    () => {
      outcome = { code: 'none', message: 'the query finished before a session could be killed' };
    },
    (e: { code: string; message: string }) => {
      outcome = e;
    },
  );
  for (let i = 0; i < 400 && outcome === undefined; i++) {
    if ((await sessions()) > 0) break;
    await sleep(25);
  }
  await done;
  return outcome ?? { code: 'none', message: 'no outcome' };
}

describe('a connection lost in the middle of a scan', () => {
  it('PostgreSQL: pg_terminate_backend gives 08006 naming the catalog; the next query works', async () => {
    const e = await killMidway(client.query("SELECT max(payload || 'x') FROM pg.public.big"), async () => {
      const r = await plainPg.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
         WHERE application_name = 'tributary/pg' AND query LIKE 'FETCH%'`,
      );
      return r.rows[0]?.n ?? 0;
    });
    expect(e.code).toBe('08006');
    expect(e.message).toContain("'pg'");
    expect(await count('SELECT count(*) FROM pg.public.small')).toBe(10);
    expect(await count('SELECT count(*) FROM tpch.tiny.nation')).toBe(25);
  });

  it('MySQL: KILL CONNECTION gives 08006 naming the catalog; the next query works', async () => {
    const e = await killMidway(
      client.query("SELECT max(concat(payload, 'x')) FROM my.tributary_test.big"),
      async () => {
        const ids = await myServer.query(
          `SELECT id FROM information_schema.processlist WHERE user = '${myServer.user}' AND info LIKE '%big%' AND id <> CONNECTION_ID()`,
        );
        for (const [id] of ids) await myServer.query(`KILL CONNECTION ${Number(id)}`).catch(() => {});
        return ids.length;
      },
    );
    expect(e.code).toBe('08006');
    expect(e.message).toContain("'my'");
    expect(await count('SELECT count(*) FROM my.tributary_test.big WHERE id <= 10')).toBe(10);
  });
});

describe('a statement timeout at the source', () => {
  it('PostgreSQL statement-timeout=1s: 57014 naming the catalog', async () => {
    const e = await failure('SELECT * FROM pgslow.public.slow');
    expect(e.code).toBe('57014');
    expect(e.message).toContain("'pgslow'");
    expect(await count('SELECT count(*) FROM pgslow.public.small')).toBe(10);
  });

  it('MySQL statement-timeout=1s: 57014 naming the catalog', async () => {
    const e = await failure('SELECT * FROM myslow.tributary_test.slow');
    expect(e.code).toBe('57014');
    expect(e.message).toContain("'myslow'");
  });
});

describe.skipIf(external)('a source that goes away and comes back', () => {
  it('is an 08 error while down, other catalogs keep working, and it is usable again without restart', async () => {
    expect(await count('SELECT count(*) FROM pg.public.small')).toBe(10);
    await plainPg.pauseServer();
    try {
      const e = await failure('SELECT count(*) FROM pg.public.small');
      expect(e.code).toMatch(/^08/);
      expect(e.message).toContain("'pg'");
      expect(await count('SELECT count(*) FROM tpch.tiny.region')).toBe(5);
      expect(await count('SELECT count(*) FROM my.tributary_test.big WHERE id <= 3')).toBe(3);
    } finally {
      await plainPg.resumeServer();
    }
    expect(await count('SELECT count(*) FROM pg.public.small')).toBe(10);
  });
});
