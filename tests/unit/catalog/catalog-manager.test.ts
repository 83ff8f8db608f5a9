// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests spell ${ENV:NAME} references literally
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqlError } from '../../../common/errors.js';
import type { NodeInfo } from '../../../common/plan/task.js';
import { connectorFactories } from '../../../connectors/registry.js';
import type { ConnectorFactory } from '../../../connectors/spi.js';
import {
  CatalogManager,
  DEFAULT_CATALOG_DIR,
  type LoadOptions,
  loadCatalogs,
} from '../../../coordinator/catalog/catalog-manager.js';

/** A stand-in with required properties, like the postgresql connector will have. */
const fakePostgres: ConnectorFactory = {
  name: 'postgresql',
  knownProperties: ['connection-url', 'connection-user', 'connection-password'],
  requiredProperties: ['connection-url'],
  create() {
    throw new Error('not used');
  },
};

const factories = new Map([...connectorFactories, ['postgresql', fakePostgres]]);
const env = { PG_PASSWORD: 'hunter2' };
const OPTIONS: LoadOptions = { factories, env };

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tributary-catalogs-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function files(entries: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(entries)) await writeFile(join(dir, name), text);
}

async function loadError(options: LoadOptions = OPTIONS): Promise<SqlError> {
  try {
    await loadCatalogs(dir, options);
  } catch (e) {
    if (e instanceof SqlError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('loadCatalogs', () => {
  it('loads every .properties file, adds system, ignores other files, substitutes env', async () => {
    await files({
      'memory.properties': 'connector.name=memory\n',
      'PG.properties':
        '# main db\nconnector.name=postgresql\nconnection-url=jdbc:postgresql://h/db\nconnection-password=${ENV:PG_PASSWORD}\n',
      'README.md': 'not a catalog',
      'notes.properties.bak': 'junk',
    });
    await mkdir(join(dir, 'sub.properties'));
    const catalogs = await loadCatalogs(dir, OPTIONS);
    expect(catalogs).toEqual([
      { name: 'memory', connectorName: 'memory', properties: {}, configDir: dir },
      {
        name: 'pg',
        connectorName: 'postgresql',
        properties: { 'connection-url': 'jdbc:postgresql://h/db', 'connection-password': 'hunter2' },
        configDir: dir,
      },
      { name: 'system', connectorName: 'system', properties: {}, configDir: dir },
    ]);
  });

  it('an empty directory has only the system catalog', async () => {
    expect((await loadCatalogs(dir, OPTIONS)).map((c) => c.name)).toEqual(['system']);
  });

  it('the embedded default directory has lake, memory, tpch and system', async () => {
    const catalogs = await loadCatalogs(DEFAULT_CATALOG_DIR);
    expect(catalogs.map((c) => [c.name, c.connectorName])).toEqual([
      ['lake', 'lake'],
      ['memory', 'memory'],
      ['system', 'system'],
      ['tpch', 'tpch'],
    ]);
  });

  it.each([
    [
      'unknown key',
      { 'pg.properties': 'connector.name=postgresql\nconnection-url=x\nconection-user=bob\n' },
      "pg.properties: unknown property 'conection-user' for connector postgresql",
    ],
    [
      'missing connector.name',
      { 'pg.properties': 'connection-url=x\n' },
      "pg.properties: missing required property 'connector.name'",
    ],
    [
      'unknown connector',
      { 'odd.properties': 'connector.name=oracle\n' },
      "odd.properties: unknown connector 'oracle' in property 'connector.name' (known: lake, memory, mysql, postgresql, tpch)",
    ],
    [
      'missing required key',
      { 'pg.properties': 'connector.name=postgresql\nconnection-user=bob\n' },
      "pg.properties: missing required property 'connection-url' for connector postgresql",
    ],
    [
      'unset env var',
      {
        'pg.properties': 'connector.name=postgresql\nconnection-url=x\nconnection-user=${ENV:TRIBUTARY_NO_SUCH_VAR}\n',
      },
      "pg.properties: property 'connection-user' references environment variable 'TRIBUTARY_NO_SUCH_VAR', which is not set",
    ],
    [
      'system.properties',
      { 'system.properties': 'connector.name=memory\n' },
      "system.properties: the 'system' catalog is built in and cannot be configured",
    ],
    [
      'connector.name=system',
      { 'sys2.properties': 'connector.name=system\n' },
      "sys2.properties: connector 'system' cannot be configured; the system catalog is built in",
    ],
    [
      'bad catalog name',
      { 'my-db.properties': 'connector.name=memory\n' },
      "my-db.properties: catalog name 'my-db' is not a valid identifier (letters, digits and underscores, not starting with a digit)",
    ],
    [
      'name starting with a digit',
      { '1db.properties': 'connector.name=memory\n' },
      "1db.properties: catalog name '1db' is not a valid identifier (letters, digits and underscores, not starting with a digit)",
    ],
    [
      'duplicate key',
      { 'm.properties': 'connector.name=memory\nconnector.name=tpch\n' },
      "m.properties:2: duplicate property 'connector.name'",
    ],
  ])('rejects %s with a message naming file and key', async (_what, entries, message) => {
    await files({ 'ok.properties': 'connector.name=memory\n', ...entries });
    const e = await loadError();
    expect(e.sqlState).toBe('F0000');
    expect(e.message).toBe(
      `${join(dir, message.slice(0, message.indexOf(':')))}${message.slice(message.indexOf(':'))}`,
    );
  });

  it('rejects two files whose names differ only in case', async () => {
    await files({ 'Mem.properties': 'connector.name=memory\n', 'mem.properties': 'connector.name=memory\n' });
    const e = await loadError();
    expect(e.message).toBe(
      `${join(dir, 'mem.properties')}: catalog 'mem' is already defined by ${join(dir, 'Mem.properties')}`,
    );
  });

  it('a missing directory is a config error', async () => {
    const missing = join(dir, 'nope');
    await expect(loadCatalogs(missing, OPTIONS)).rejects.toMatchObject({
      sqlState: 'F0000',
      message: expect.stringContaining(`catalog directory ${missing} cannot be read`),
    });
  });
});

describe('CatalogManager', () => {
  const nodes: NodeInfo[] = [
    { nodeId: 'coord', httpUri: 'http://c', nodeVersion: '1', coordinator: true, state: 'active' },
  ];

  it('serves configs, creates each connector once, and implements introspection', async () => {
    await files({ 'mem.properties': 'connector.name=memory\n' });
    const m = await CatalogManager.load(dir, { nodeId: 'coord', nodes: () => nodes, ...OPTIONS });
    expect(m.catalogNames()).toEqual(['mem', 'system']);
    expect(m.config('mem')?.connectorName).toBe('memory');
    expect(m.config('nope')).toBeUndefined();
    const c = m.connector('mem');
    expect(m.connector('mem')).toBe(c);
    expect(m.metadataOf('mem')).toBe(c.metadata);
    expect(m.metadataOf('nope')).toBeUndefined();
    expect(m.nodes()).toBe(nodes);
    expect(() => m.connector('nope')).toThrow(SqlError);
    try {
      m.connector('nope');
    } catch (e) {
      expect((e as SqlError).sqlState).toBe('3D000');
    }
    // State lives in the cached instance.
    const ctx = { session: { user: 'u', timeZone: 'UTC' }, workers: [] };
    await m.connector('mem').metadata.createSchema!('s', ctx);
    expect(await m.metadataOf('mem')!.listSchemas(ctx)).toEqual(['default', 's']);
    await m.close();
  });

  it('adds the system catalog when constructed without it', () => {
    const m = new CatalogManager([{ name: 'a', connectorName: 'memory', properties: {}, configDir: '/x' }], {
      nodeId: 'coord',
      nodes: () => nodes,
    });
    expect(m.catalogNames()).toEqual(['a', 'system']);
    expect(m.configs().map((c) => c.configDir)).toEqual(['/x', '/x']);
  });
});
