// Clients' catalog introspection against a running cluster: psql's backslash commands (the real
// psql binary), the SQL pgjdbc and Metabase send for metadata (replayed through node-postgres'
// extended protocol), and pgjdbc itself when a JVM and its jar are on the machine.
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../../support/cluster.js';
import { exec } from '../../support/exec.js';
import { METABASE, PGJDBC } from './introspection-queries.js';

const PSQL = process.env.TRIBUTARY_TEST_PSQL ?? '/usr/bin/psql';
const TPCH_TABLES = ['customer', 'lineitem', 'nation', 'orders', 'part', 'partsupp', 'region', 'supplier'];

let cluster: Cluster;
let client: pg.Client;

beforeAll(async () => {
  cluster = await startCluster({ workers: 1 });
  client = await cluster.client('tpch.tiny');
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

/** psql -A -t output lines of a backslash command, run with -v ON_ERROR_STOP=1. */
async function psql(command: string, database = 'tpch.tiny', before: readonly string[] = []): Promise<string[]> {
  const r = await cluster.psql(command, {
    database,
    args: ['-v', 'ON_ERROR_STOP=1', ...before.flatMap((b) => ['-c', b])],
  });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '');
}

describe.skipIf(!existsSync(PSQL))('psql backslash commands', () => {
  it('\\dt lists the tables of the current schema', async () => {
    expect(await psql('\\dt')).toEqual(TPCH_TABLES.map((t) => `tiny|${t}|table|tributary`));
  });

  it('\\dt with a schema pattern, and with a database.schema.table pattern', async () => {
    expect(await psql('\\dt sf1.n*', 'tpch')).toEqual(['sf1|nation|table|tributary']);
    expect(await psql('\\dt tpch.tiny.r*', 'tpch')).toEqual(['tiny|region|table|tributary']);
  });

  it('\\d nation describes its columns', async () => {
    expect(await psql('\\d nation')).toEqual([
      'n_nationkey|integer||not null|',
      'n_name|character varying||not null|',
      'n_regionkey|integer||not null|',
      'n_comment|character varying||not null|',
    ]);
  });

  it('\\d+ nation adds storage and description columns', async () => {
    const lines = await psql('\\d+ nation');
    expect(lines[0]).toBe('n_nationkey|integer||not null||plain|||');
    expect(lines[1]).toBe('n_name|character varying||not null||extended|||');
    expect(lines).toHaveLength(4);
  });

  it('\\d of a decimal column and of a pg_catalog table', async () => {
    const lines = await psql('\\d lineitem');
    expect(lines).toContain('l_extendedprice|numeric(15,2)||not null|');
    expect(lines).toContain('l_shipdate|date||not null|');
    expect(await psql('\\d pg_catalog.pg_namespace')).toEqual([
      'oid|integer||not null|',
      'nspname|character varying||not null|',
      'nspowner|integer||not null|',
      'nspacl|character varying|||',
    ]);
  });

  it('\\l lists every catalog as a database', async () => {
    const names = (await psql('\\l')).map((l) => l.split('|')[0]);
    expect(names).toEqual(expect.arrayContaining(['memory', 'system', 'tpch']));
  });

  it('\\dn lists the schemas of the current catalog', async () => {
    expect(await psql('\\dn')).toEqual(['sf0_1|tributary', 'sf1|tributary', 'sf10|tributary', 'tiny|tributary']);
  });

  it('\\dv, \\df, \\di list nothing; \\du lists the session user', async () => {
    const none = await cluster.psql('\\dv', { database: 'tpch.tiny', args: ['-v', 'ON_ERROR_STOP=1'] });
    expect(none.stderr).toBe('');
    expect(none.code).toBe(0);
    expect(await psql('\\df')).toEqual([]);
    expect((await cluster.psql('\\di', { database: 'tpch.tiny' })).stderr).toBe('');
    expect((await psql('\\du'))[0]).toMatch(/^tributary\|Superuser/);
  });

  it('\\x switches to expanded output', async () => {
    const lines = await psql('select n_name, n_regionkey from nation where n_nationkey = 3', 'tpch.tiny', ['\\x on']);
    expect(lines).toEqual(['n_name|CANADA', 'n_regionkey|1']);
  });
});

describe('pgjdbc metadata SQL over node-postgres', () => {
  const rows = async (sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows;

  it('getCatalogs, getSchemas', async () => {
    expect((await rows(PGJDBC.getCatalogs)).map((r) => r.TABLE_CAT)).toEqual(
      expect.arrayContaining(['memory', 'system', 'tpch']),
    );
    expect(await rows(PGJDBC.getSchemas)).toEqual(
      ['information_schema', 'pg_catalog', 'sf0_1', 'sf1', 'sf10', 'tiny'].map((s) => ({
        TABLE_SCHEM: s,
        TABLE_CATALOG: 'tpch',
      })),
    );
    expect(await rows(PGJDBC.getSchemasLike, ['ti%'])).toEqual([{ TABLE_SCHEM: 'tiny', TABLE_CATALOG: 'tpch' }]);
  });

  it('getTables', async () => {
    const r = await rows(PGJDBC.getTables, ['tiny', '%']);
    expect(r.map((x) => [x.TABLE_CAT, x.TABLE_SCHEM, x.TABLE_NAME, x.TABLE_TYPE])).toEqual(
      TPCH_TABLES.map((t) => ['tpch', 'tiny', t, 'TABLE']),
    );
    // types TABLE and VIEW exclude pg_catalog's SYSTEM TABLEs, as on PostgreSQL
    expect(await rows(PGJDBC.getTables, ['pg_catalog', 'pg_c%'])).toEqual([]);
  });

  it('getColumns: types, typmods, nullability, positions', async () => {
    const r = await rows(PGJDBC.getColumns, ['tiny', 'lineitem', 'l_%']);
    const byName = new Map(r.map((x) => [x.attname, x]));
    expect(r).toHaveLength(16);
    expect(byName.get('l_orderkey')).toMatchObject({ nspname: 'tiny', relname: 'lineitem', atttypid: 23, attnum: '1' });
    expect(byName.get('l_extendedprice')).toMatchObject({ atttypid: 1700, atttypmod: (15 << 16) + 2 + 4 });
    expect(byName.get('l_shipdate')).toMatchObject({ atttypid: 1082, attnotnull: true, typtype: 'b' });
    expect(byName.get('l_comment')).toMatchObject({ atttypid: 1043, atttypmod: -1, adsrc: null, description: null });
  });

  it('getPrimaryKeys, getImportedKeys, getIndexInfo, getFunctions return no rows', async () => {
    expect(await rows(PGJDBC.getPrimaryKeys, ['tiny', 'nation'])).toEqual([]);
    expect(await rows(PGJDBC.getImportedKeys, ['tiny', 'nation'])).toEqual([]);
    expect(await rows(PGJDBC.getIndexInfo, ['tiny', 'nation'])).toEqual([]);
    expect(await rows(PGJDBC.getFunctions, ['tiny', '%'])).toEqual([]);
    expect(await rows(PGJDBC.maxIndexKeys)).toEqual([{ setting: '32' }]);
  });

  it('getTypeInfo and the type cache', async () => {
    const names = await rows(PGJDBC.typeInfoNames);
    expect(names).toEqual(
      expect.arrayContaining([
        { typname: 'int4', oid: 23 },
        { typname: 'numeric', oid: 1700 },
      ]),
    );
    const cache = await rows(PGJDBC.typeInfoCache);
    expect(cache.find((t) => t.typname === '_int4')).toMatchObject({ is_array: true, oid: 1007 });
    expect(cache.find((t) => t.typname === 'int4')).toMatchObject({ is_array: false, typtype: 'b' });
  });

  it('select current_catalog', async () => {
    expect((await rows(PGJDBC.currentCatalog))[0]).toEqual({ current_catalog: 'tpch' });
  });
});

describe('Metabase sync SQL over node-postgres', () => {
  it('schemas, table privileges and tables with row estimates', async () => {
    const schemas = (await client.query(METABASE.schemas)).rows.map((r) => r.TABLE_SCHEM);
    expect(schemas).toContain('tiny');
    const privileges = (await client.query(METABASE.tablePrivileges)).rows;
    expect(privileges).toContainEqual({
      role: null,
      schema: 'tiny',
      table: 'nation',
      update: true,
      select: true,
      insert: true,
      delete: true,
    });
    const tables = (await client.query(METABASE.describeDatabase, ['tiny'])).rows;
    expect(tables.map((t) => [t.name, t.type, t.estimated_row_count])).toContainEqual(['nation', 'TABLE', '25']);
    expect(tables).toHaveLength(8);
  });
});

/** The pgjdbc jar in the local Maven repository, if any. */
function pgjdbcJar(): string | undefined {
  const dir = join(homedir(), '.m2', 'repository', 'org', 'postgresql', 'postgresql');
  if (!existsSync(dir)) return undefined;
  for (const version of readdirSync(dir).sort().reverse()) {
    const jar = join(dir, version, `postgresql-${version}.jar`);
    if (existsSync(jar)) return jar;
  }
  return undefined;
}

const JAR = pgjdbcJar();
const JAVA = '/usr/bin/java';

describe.skipIf(!JAR || !existsSync(JAVA))('pgjdbc DatabaseMetaData', () => {
  it('lists catalogs, schemas, tables and columns', async () => {
    const source = join(dirname(fileURLToPath(import.meta.url)), 'jdbc', 'Metadata.java');
    const url = `jdbc:postgresql://127.0.0.1:${cluster.pgPort}/tpch.tiny`;
    const r = await exec(JAVA, ['-cp', JAR!, source, url, 'tiny', 'nation'], { timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('product|PostgreSQL|15');
    expect(lines).toContain('catalogs|tpch');
    expect(lines).toContain('schemas|tpch|tiny');
    expect(lines.filter((l) => l.startsWith('tables|'))).toEqual(TPCH_TABLES.map((t) => `tables|tiny|${t}|TABLE`));
    expect(lines.filter((l) => l.startsWith('columns|'))).toEqual([
      'columns|n_nationkey|int4|4|10|0|NO|1',
      'columns|n_name|varchar|12|2147483647|0|NO|2',
      'columns|n_regionkey|int4|4|10|0|NO|3',
      'columns|n_comment|varchar|12|2147483647|0|NO|4',
    ]);
    expect(lines.some((l) => /^(primaryKeys|importedKeys|indexInfo|functions)\|/.test(l))).toBe(false);
    expect(Number(lines.find((l) => l.startsWith('typeInfo|'))?.split('|')[1])).toBeGreaterThan(50);
  }, 150_000);
});
