import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../../common/json.js';
import type { CatalogConfig, NodeInfo, Split } from '../../../../common/plan/task.js';
import { BOOLEAN, type ColumnSchema, INTEGER, VARCHAR } from '../../../../common/types.js';
import { createConnector } from '../../../../connectors/registry.js';
import type { MetaContext, TableHandle } from '../../../../connectors/spi.js';
import { SYSTEM_BATCH_ROWS } from '../../../../connectors/system/encode.js';
import { informationSchemaTable } from '../../../../connectors/system/index.js';
import { CatalogManager } from '../../../../coordinator/catalog/catalog-manager.js';

const NODES: NodeInfo[] = [
  { nodeId: 'coord', httpUri: 'http://127.0.0.1:1', nodeVersion: '0.1.0', coordinator: true, state: 'active' },
  { nodeId: 'w1', httpUri: 'http://127.0.0.1:2', nodeVersion: '0.1.0', coordinator: false, state: 'shutting_down' },
];

const CTX: MetaContext = { session: { user: 'test', timeZone: 'UTC' }, workers: NODES.filter((n) => !n.coordinator) };

function catalog(name: string, connectorName: string): CatalogConfig {
  return { name, connectorName, properties: {}, configDir: '.' };
}

async function setup(): Promise<CatalogManager> {
  const m = new CatalogManager([catalog('mem', 'memory'), catalog('tpch', 'tpch')], {
    nodeId: 'coord',
    nodes: () => NODES,
  });
  const meta = m.connector('mem').metadata;
  await meta.createSchema!('s1', CTX);
  await meta.createTable!(
    's1',
    'people',
    [
      { name: 'id', type: INTEGER, nullable: false },
      { name: 'name', type: VARCHAR },
    ],
    CTX,
  );
  return m;
}

/** Plans on the coordinator, ships the split as JSON, reads it on a worker-role instance. */
async function query(
  m: CatalogManager,
  handle: TableHandle,
  columns: readonly ColumnSchema[] | readonly string[],
): Promise<unknown[][]> {
  const splits = await m.connector('system').splits.getSplits(handle, CTX);
  expect(splits).toHaveLength(1);
  expect(splits[0]!.addresses).toEqual([]);
  const split = JSON.parse(JSON.stringify(splits[0])) as Split;
  const worker = createConnector(m.config('system')!, 'worker', 'w1');
  const wanted = await resolve(m, handle, columns);
  const rows: unknown[][] = [];
  const ctx = { signal: new AbortController().signal, session: CTX.session, nodeId: 'w1' };
  for await (const b of worker.pageSource.open(split, JSON.parse(JSON.stringify(handle)) as JsonValue, wanted, ctx)) {
    expect(b.schema.fields.map((f) => f.name)).toEqual(wanted.map((c) => c.name));
    expect(b.numRows).toBeLessThanOrEqual(SYSTEM_BATCH_ROWS);
    for (let r = 0; r < b.numRows; r++) rows.push(wanted.map((_, c) => b.getChildAt(c)?.get(r)));
  }
  return rows;
}

async function resolve(
  m: CatalogManager,
  handle: TableHandle,
  columns: readonly ColumnSchema[] | readonly string[],
): Promise<readonly ColumnSchema[]> {
  if (typeof columns[0] !== 'string') return columns as readonly ColumnSchema[];
  const h = handle as { schema: string; table: string };
  const info = await m.connector('system').metadata.getTable(h.schema, h.table, CTX);
  return (columns as readonly string[]).map((n) => info!.columns.find((c) => c.name === n)!);
}

async function table(m: CatalogManager, schema: string, name: string) {
  const info = await m.connector('system').metadata.getTable(schema, name, CTX);
  expect(info).toBeDefined();
  return info!;
}

describe('system connector', () => {
  it('lists its schemas and tables', async () => {
    const m = await setup();
    const meta = m.connector('system').metadata;
    expect(await meta.listSchemas(CTX)).toEqual(['information_schema', 'runtime']);
    expect(await meta.listTables('information_schema', CTX)).toEqual(['columns', 'schemata', 'tables']);
    expect(await meta.listTables('runtime', CTX)).toEqual(['nodes']);
    expect(await meta.getTable('runtime', 'nope', CTX)).toBeUndefined();
    await expect(meta.listTables('nope', CTX)).rejects.toMatchObject({ sqlState: '3F000' });
  });

  it('information_schema.schemata lists every catalog, each with an information_schema', async () => {
    const m = await setup();
    const t = await table(m, 'information_schema', 'schemata');
    const rows = await query(m, t.handle, t.columns);
    expect(rows).toEqual([
      ['mem', 'default'],
      ['mem', 'information_schema'],
      ['mem', 's1'],
      ['system', 'information_schema'],
      ['system', 'runtime'],
      ['tpch', 'information_schema'],
      ['tpch', 'sf0_1'],
      ['tpch', 'sf1'],
      ['tpch', 'sf10'],
      ['tpch', 'tiny'],
    ]);
  });

  it('information_schema.tables covers memory, tpch and system tables', async () => {
    const m = await setup();
    const t = await table(m, 'information_schema', 'tables');
    const rows = await query(m, t.handle, t.columns);
    expect(rows).toContainEqual(['mem', 's1', 'people', 'BASE TABLE']);
    expect(rows).toContainEqual(['tpch', 'tiny', 'lineitem', 'BASE TABLE']);
    expect(rows).toContainEqual(['system', 'runtime', 'nodes', 'BASE TABLE']);
    expect(rows).toContainEqual(['tpch', 'information_schema', 'columns', 'BASE TABLE']);
    expect(rows.filter((r) => r[0] === 'tpch' && r[1] === 'sf1')).toHaveLength(8);
    expect(rows.filter((r) => r[0] === 'mem')).toEqual([
      ['mem', 'information_schema', 'columns', 'BASE TABLE'],
      ['mem', 'information_schema', 'schemata', 'BASE TABLE'],
      ['mem', 'information_schema', 'tables', 'BASE TABLE'],
      ['mem', 's1', 'people', 'BASE TABLE'],
    ]);
  });

  it('information_schema.columns gives ordinal, SQL type and nullability', async () => {
    const m = await setup();
    const t = await table(m, 'information_schema', 'columns');
    expect(t.columns.find((c) => c.name === 'ordinal_position')?.type).toEqual(INTEGER);
    const rows = await query(m, t.handle, t.columns);
    expect(rows.filter((r) => r[0] === 'mem' && r[2] === 'people')).toEqual([
      [
        'mem',
        's1',
        'people',
        'id',
        1,
        'integer',
        'NO',
        null,
        null,
        32,
        2,
        0,
        null,
        'mem',
        'pg_catalog',
        'int4',
        'NO',
        'NEVER',
      ],
      [
        'mem',
        's1',
        'people',
        'name',
        2,
        'varchar',
        'YES',
        null,
        null,
        null,
        null,
        null,
        null,
        'mem',
        'pg_catalog',
        'varchar',
        'NO',
        'NEVER',
      ],
    ]);
    const lineitem = rows.filter((r) => r[0] === 'tpch' && r[1] === 'tiny' && r[2] === 'lineitem');
    expect(lineitem).toHaveLength(16);
    expect(lineitem[0]!.slice(3, 5)).toEqual(['l_orderkey', 1]);
    expect(lineitem.find((r) => r[3] === 'l_extendedprice')?.[5]).toBe('decimal(15,2)');
    expect(rows.map((r) => r.slice(0, 7))).toContainEqual([
      'system',
      'runtime',
      'nodes',
      'coordinator',
      4,
      'boolean',
      'NO',
    ]);
    // PostgreSQL's extra columns, as BI tools read them.
    const price = lineitem.find((r) => r[3] === 'l_extendedprice');
    expect(price?.slice(9, 12)).toEqual([15, 10, 2]);
    expect(price?.[15]).toBe('numeric');
    expect(lineitem.find((r) => r[3] === 'l_shipdate')?.slice(12, 16)).toEqual([0, 'tpch', 'pg_catalog', 'date']);
  });

  it('projects the requested columns, in the requested order', async () => {
    const m = await setup();
    const t = await table(m, 'information_schema', 'columns');
    const rows = await query(m, t.handle, ['column_name', 'table_name']);
    expect(rows).toContainEqual(['name', 'people']);
    expect(rows.every((r) => r.length === 2)).toBe(true);
  });

  it('informationSchemaTable restricts rows to one catalog', async () => {
    const m = await setup();
    const info = informationSchemaTable('tables', 'mem');
    expect(info).toBeDefined();
    expect(informationSchemaTable('nope', 'mem')).toBeUndefined();
    expect(m.connector('system').metadata.describeHandle?.(info!.handle)).toBe('catalog=mem');
    const rows = await query(m, info!.handle, info!.columns);
    expect(rows.map((r) => r[2])).toEqual(['columns', 'schemata', 'tables', 'people']);
    expect(rows.every((r) => r[0] === 'mem')).toBe(true);
    const schemata = informationSchemaTable('schemata', 'tpch')!;
    expect((await query(m, schemata.handle, schemata.columns)).map((r) => r[1])).toEqual([
      'information_schema',
      'sf0_1',
      'sf1',
      'sf10',
      'tiny',
    ]);
    const unfiltered = informationSchemaTable('schemata')!;
    expect(unfiltered.handle).toEqual({ schema: 'information_schema', table: 'schemata' });
  });

  it('sees tables created after an earlier query (rows computed at split time)', async () => {
    const m = await setup();
    const info = informationSchemaTable('tables', 'mem')!;
    expect(await query(m, info.handle, ['table_name'])).toHaveLength(4);
    await m.connector('mem').metadata.createTable!('default', 'later', [{ name: 'x', type: BOOLEAN }], CTX);
    expect((await query(m, info.handle, ['table_name'])).map((r) => r[0])).toContain('later');
  });

  it('runtime.nodes lists the nodes the engine knows', async () => {
    const m = await setup();
    const t = await table(m, 'runtime', 'nodes');
    expect(t.columns.map((c) => [c.name, c.type.kind])).toEqual([
      ['node_id', 'varchar'],
      ['http_uri', 'varchar'],
      ['node_version', 'varchar'],
      ['coordinator', 'boolean'],
      ['state', 'varchar'],
    ]);
    expect(await query(m, t.handle, t.columns)).toEqual([
      ['coord', 'http://127.0.0.1:1', '0.1.0', true, 'active'],
      ['w1', 'http://127.0.0.1:2', '0.1.0', false, 'shutting_down'],
    ]);
    expect(await query(m, t.handle, ['state', 'node_id'])).toEqual([
      ['active', 'coord'],
      ['shutting_down', 'w1'],
    ]);
  });

  it('refuses to compute splits without the engine (worker role)', async () => {
    const worker = createConnector(catalog('system', 'system'), 'worker', 'w1');
    await expect(worker.splits.getSplits({ schema: 'runtime', table: 'nodes' }, CTX)).rejects.toMatchObject({
      sqlState: 'XX000',
    });
  });
});
