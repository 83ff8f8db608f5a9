import type { RecordBatch } from 'apache-arrow';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeBatch } from '../../../../common/arrow/batch.js';
import { SqlError } from '../../../../common/errors.js';
import type { JsonValue } from '../../../../common/json.js';
import type { CatalogConfig, NodeInfo, Split } from '../../../../common/plan/task.js';
import { type ColumnSchema, INTEGER, VARCHAR } from '../../../../common/types.js';
import { memoryConnectorFactory } from '../../../../connectors/memory/index.js';
import { getData, storedDataCount } from '../../../../connectors/memory/store.js';
import type { Connector, MetaContext, TableHandle } from '../../../../connectors/spi.js';

const COLUMNS: readonly ColumnSchema[] = [
  { name: 'id', type: INTEGER, nullable: false },
  { name: 'name', type: VARCHAR },
];

function node(nodeId: string): NodeInfo {
  return { nodeId, httpUri: `http://${nodeId}`, nodeVersion: 'test', coordinator: false, state: 'active' };
}

function meta(...workers: string[]): MetaContext {
  return { session: { user: 'test', timeZone: 'UTC' }, workers: workers.map(node) };
}

const CTX = meta('w1', 'w2');

function config(properties: Record<string, string> = {}): CatalogConfig {
  return { name: 'mem', connectorName: 'memory', properties, configDir: '.' };
}

function connector(role: 'coordinator' | 'worker', nodeId: string, properties?: Record<string, string>): Connector {
  return memoryConnectorFactory.create({ catalog: config(properties), role, nodeId });
}

function rowsBatch(ids: readonly number[], names: readonly (string | null)[]): RecordBatch {
  const enc = new TextEncoder();
  const offsets = new Int32Array(names.length + 1);
  const parts: number[] = [];
  let validity: Uint8Array | null = null;
  names.forEach((n, i) => {
    if (n === null) {
      validity ??= new Uint8Array(Math.ceil(names.length / 8)).fill(0xff);
      validity[i >> 3]! &= ~(1 << (i & 7));
    } else parts.push(...enc.encode(n));
    offsets[i + 1] = parts.length;
  });
  return makeBatch(COLUMNS, ids.length, [
    { values: Int32Array.from(ids), validity: null },
    { values: Uint8Array.from(parts), offsets, validity },
  ]);
}

/** JSON round trip, as handles and splits travel between processes. */
function wire<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

async function sqlError(p: Promise<unknown>): Promise<SqlError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SqlError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

async function readAll(
  worker: Connector,
  split: Split,
  handle: TableHandle,
  columns: readonly ColumnSchema[],
  nodeId: string,
): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  const ctx = { signal: new AbortController().signal, session: CTX.session, nodeId };
  for await (const b of worker.pageSource.open(split, handle, columns, ctx)) {
    expect(b.schema.fields.map((f) => f.name)).toEqual(columns.map((c) => c.name));
    for (let r = 0; r < b.numRows; r++) rows.push(columns.map((_, c) => b.getChildAt(c)?.get(r)));
  }
  return rows;
}

async function insert(
  coordinator: Connector,
  handle: TableHandle,
  perNode: Readonly<Record<string, RecordBatch[]>>,
): Promise<{ insertHandle: JsonValue; fragments: JsonValue[] }> {
  const insertHandle = wire(await coordinator.metadata.beginInsert!(handle, CTX));
  const fragments: JsonValue[] = [];
  for (const [nodeId, batches] of Object.entries(perNode)) {
    const sink = connector('worker', nodeId).pageSink!.create(wire(insertHandle), COLUMNS, {
      signal: new AbortController().signal,
      session: CTX.session,
      nodeId,
    });
    for (const b of batches) await sink.append(b);
    fragments.push(wire(await sink.finish()));
  }
  return { insertHandle, fragments };
}

describe('memory connector', () => {
  let coordinator: Connector;
  let handle: TableHandle;

  beforeEach(async () => {
    coordinator = connector('coordinator', 'coord');
    await coordinator.metadata.createTable!('default', 't', COLUMNS, CTX);
    const info = await coordinator.metadata.getTable('default', 't', CTX);
    handle = wire(info!.handle);
  });

  it('has a default schema and lists created schemas and tables', async () => {
    const m = coordinator.metadata;
    expect(await m.listSchemas(CTX)).toEqual(['default']);
    await m.createSchema!('s1', CTX);
    expect(await m.listSchemas(CTX)).toEqual(['default', 's1']);
    expect(await m.listTables('default', CTX)).toEqual(['t']);
    expect(await m.listTables('s1', CTX)).toEqual([]);
    expect((await m.getTable('default', 't', CTX))?.columns).toEqual(COLUMNS);
    expect(await m.getTable('default', 'nope', CTX)).toBeUndefined();
    expect(await m.getTable('nope', 't', CTX)).toBeUndefined();
  });

  it('reports DDL errors with their SQLSTATEs', async () => {
    const m = coordinator.metadata;
    expect((await sqlError(m.createSchema!('default', CTX))).sqlState).toBe('42P06');
    const dup = await sqlError(m.createTable!('default', 't', COLUMNS, CTX));
    expect(dup.sqlState).toBe('42P07');
    expect(dup.message).toBe('table mem.default.t already exists');
    expect((await sqlError(m.createTable!('nope', 'x', COLUMNS, CTX))).sqlState).toBe('3F000');
    expect((await sqlError(m.listTables('nope', CTX))).sqlState).toBe('3F000');
    expect((await sqlError(m.dropSchema!('nope', CTX))).sqlState).toBe('3F000');
    expect((await sqlError(m.dropSchema!('default', CTX))).sqlState).toBe('2BP01');
    const cols = [COLUMNS[0]!, COLUMNS[0]!];
    expect((await sqlError(m.createTable!('default', 'u', cols, CTX))).sqlState).toBe('42701');
    await m.createSchema!('empty', CTX);
    await m.dropSchema!('empty', CTX);
    expect(await m.listSchemas(CTX)).toEqual(['default']);
  });

  it('inserts from two nodes, commits atomically, and reads back by split with projection', async () => {
    const { insertHandle, fragments } = await insert(coordinator, handle, {
      w1: [rowsBatch([1, 2], ['a', 'b']), rowsBatch([3], [null])],
      w2: [rowsBatch([10], ['x'])],
    });
    expect(fragments.map((f) => (f as { nodeId: string; rows: number }).rows)).toEqual([3, 1]);
    // Not visible before finishInsert.
    expect(await coordinator.splits.getSplits(handle, CTX)).toEqual([]);
    expect(await coordinator.metadata.getStatistics!(handle, CTX)).toEqual({ rowCount: 0 });

    await coordinator.metadata.finishInsert!(insertHandle, fragments, CTX);
    const splits = wire(await coordinator.splits.getSplits(handle, CTX));
    expect(splits.map((s) => s.addresses)).toEqual([['w1'], ['w2']]);
    expect(splits.every((s) => s.catalog === 'mem')).toBe(true);
    expect(await coordinator.metadata.getStatistics!(handle, CTX)).toEqual({ rowCount: 4 });

    const w1 = connector('worker', 'w1');
    const w2 = connector('worker', 'w2');
    expect(await readAll(w1, splits[0]!, handle, COLUMNS, 'w1')).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, null],
    ]);
    expect(await readAll(w2, splits[1]!, handle, COLUMNS, 'w2')).toEqual([[10, 'x']]);
    // Projection: a subset, in another order.
    expect(await readAll(w1, splits[0]!, handle, [COLUMNS[1]!], 'w1')).toEqual([['a'], ['b'], [null]]);
    const reversed = [COLUMNS[1]!, COLUMNS[0]!];
    expect(await readAll(w2, splits[1]!, handle, reversed, 'w2')).toEqual([['x', 10]]);
  });

  it('an empty sink adds no fragment', async () => {
    const { insertHandle, fragments } = await insert(coordinator, handle, { w1: [] });
    await coordinator.metadata.finishInsert!(insertHandle, fragments, CTX);
    expect(await coordinator.splits.getSplits(handle, CTX)).toEqual([]);
  });

  it('an aborted insert leaves nothing visible and its data is freed lazily', async () => {
    const before = storedDataCount();
    const { insertHandle } = await insert(coordinator, handle, { w1: [rowsBatch([1], ['a'])] });
    expect(storedDataCount()).toBe(before + 1);
    await coordinator.metadata.abortInsert!(insertHandle, CTX);
    expect(await coordinator.splits.getSplits(handle, CTX)).toEqual([]);
    expect(await coordinator.metadata.getStatistics!(handle, CTX)).toEqual({ rowCount: 0 });
    // The next insert handle carries the free list; opening a sink frees the aborted data.
    const next = await insert(coordinator, handle, { w1: [rowsBatch([2], ['b'])] });
    expect(storedDataCount()).toBe(before + 1);
    await coordinator.metadata.finishInsert!(next.insertHandle, next.fragments, CTX);
    const splits = await coordinator.splits.getSplits(handle, CTX);
    expect(await readAll(connector('worker', 'w1'), splits[0]!, handle, COLUMNS, 'w1')).toEqual([[2, 'b']]);
  });

  it('a sink that aborts frees its data at once', async () => {
    const before = storedDataCount();
    const insertHandle = await coordinator.metadata.beginInsert!(handle, CTX);
    const sink = connector('worker', 'w1').pageSink!.create(insertHandle, COLUMNS, {
      signal: new AbortController().signal,
      session: CTX.session,
      nodeId: 'w1',
    });
    await sink.append(rowsBatch([1], ['a']));
    expect(storedDataCount()).toBe(before + 1);
    await sink.abort();
    expect(storedDataCount()).toBe(before);
  });

  it('rejects fragments of another insert and finishing an insert twice', async () => {
    const a = await insert(coordinator, handle, { w1: [rowsBatch([1], ['a'])] });
    const b = await insert(coordinator, handle, { w1: [rowsBatch([2], ['b'])] });
    expect((await sqlError(coordinator.metadata.finishInsert!(a.insertHandle, b.fragments, CTX))).sqlState).toBe(
      'XX000',
    );
    await coordinator.metadata.finishInsert!(b.insertHandle, b.fragments, CTX);
    expect((await sqlError(coordinator.metadata.finishInsert!(b.insertHandle, b.fragments, CTX))).sqlState).toBe(
      'XX000',
    );
  });

  it('fails with 08006 when a node holding data left the cluster', async () => {
    const { insertHandle, fragments } = await insert(coordinator, handle, {
      w1: [rowsBatch([1], ['a'])],
      w2: [rowsBatch([2], ['b'])],
    });
    await coordinator.metadata.finishInsert!(insertHandle, fragments, CTX);
    const e = await sqlError(coordinator.splits.getSplits(handle, meta('w1', 'w3')));
    expect(e.sqlState).toBe('08006');
    expect(e.message).toBe('memory table mem.default.t: its data on node w2 was lost (the node left the cluster)');
  });

  it('fails with 08006 when the worker no longer holds the data (restarted)', async () => {
    const split: Split = {
      catalog: 'mem',
      payload: { tableId: 'x', dataId: 'gone/1', rows: 1, free: [] },
      addresses: [],
    };
    const e = await sqlError(readAll(connector('worker', 'w9'), split, handle, COLUMNS, 'w9'));
    expect(e.sqlState).toBe('08006');
    expect(e.message).toContain('on node w9 was lost');
  });

  it('drops tables; old handles fail with 42P01 and the data is freed on the next scan', async () => {
    const { insertHandle, fragments } = await insert(coordinator, handle, { w1: [rowsBatch([1], ['a'])] });
    await coordinator.metadata.finishInsert!(insertHandle, fragments, CTX);
    const afterInsert = storedDataCount();
    await coordinator.metadata.dropTable!(handle, CTX);
    expect(await coordinator.metadata.listTables('default', CTX)).toEqual([]);
    expect((await sqlError(coordinator.splits.getSplits(handle, CTX))).sqlState).toBe('42P01');
    expect((await sqlError(coordinator.metadata.beginInsert!(handle, CTX))).sqlState).toBe('42P01');

    // Re-created under the same name: a new, empty table; the old handle still fails.
    await coordinator.metadata.createTable!('default', 't', COLUMNS, CTX);
    const fresh = (await coordinator.metadata.getTable('default', 't', CTX))!.handle;
    expect(await coordinator.splits.getSplits(fresh, CTX)).toEqual([]);
    expect((await sqlError(coordinator.splits.getSplits(handle, CTX))).sqlState).toBe('42P01');

    // Still stored until a worker sees the free list (in a split or an insert handle).
    const oldDataId = (fragments[0] as { dataId: string }).dataId;
    expect(getData(oldDataId)?.rows).toBe(1);
    const next = await insert(coordinator, fresh, { w2: [rowsBatch([5], ['e'])] });
    expect(getData(oldDataId)).toBeUndefined();
    expect(storedDataCount()).toBe(afterInsert);
    await coordinator.metadata.finishInsert!(next.insertHandle, next.fragments, CTX);
    // Splits carry the free list too.
    const splits = await coordinator.splits.getSplits(fresh, CTX);
    expect((splits[0]!.payload as { free: string[] }).free).toContain(oldDataId.slice(0, oldDataId.lastIndexOf('/')));
  });

  it('a table dropped during an insert makes finishInsert fail with 42P01', async () => {
    const { insertHandle, fragments } = await insert(coordinator, handle, { w1: [rowsBatch([1], ['a'])] });
    await coordinator.metadata.dropTable!(handle, CTX);
    expect((await sqlError(coordinator.metadata.finishInsert!(insertHandle, fragments, CTX))).sqlState).toBe('42P01');
  });

  it('enforces memory.max-data-per-node', async () => {
    const insertHandle = await coordinator.metadata.beginInsert!(handle, CTX);
    const sink = connector('worker', 'small', { 'memory.max-data-per-node': '16B' }).pageSink!.create(
      insertHandle,
      COLUMNS,
      { signal: new AbortController().signal, session: CTX.session, nodeId: 'small' },
    );
    const e = await sqlError(sink.append(rowsBatch([1, 2, 3, 4, 5], ['aaaaaaaa', 'b', 'c', 'd', 'e'])));
    expect(e.sqlState).toBe('53000');
    await sink.abort();
    expect(() => connector('worker', 'x', { 'memory.max-data-per-node': 'lots' })).toThrow(
      "catalog 'mem': property 'memory.max-data-per-node' is not a data size (like 128MB): 'lots'",
    );
  });
});
