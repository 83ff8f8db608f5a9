// Parquet decoding and encoding through the codec: on the calling thread (LocalCodec) and in a
// pool of worker threads (CodecPool) — same buffers, the same errors naming the file, cancelled
// work leaves the queue, a dying thread is replaced; the page sink never re-creates a staging
// directory the coordinator removed.

import { setMaxListeners } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ColumnBuffers, makeBatch } from '../../../../common/arrow/batch.js';
import { SqlError } from '../../../../common/errors.js';
import { type ColumnSchema, decimal, INTEGER, VARCHAR } from '../../../../common/types.js';
import type { DecodedBatch, DecodeRequest } from '../../../../connectors/lake/codec.js';
import { CodecPool } from '../../../../connectors/lake/codec-pool.js';
import { lakeConfig } from '../../../../connectors/lake/config.js';
import { columnsToJson } from '../../../../connectors/lake/handle.js';
import { LocalCodec } from '../../../../connectors/lake/local-codec.js';
import { lakePageSink } from '../../../../connectors/lake/sink.js';
import { exportIPC } from '../../../../connectors/lake/writer.js';

const COLUMNS: ColumnSchema[] = [
  { name: 'id', type: INTEGER },
  { name: 'price', type: decimal(12, 2) },
  { name: 'name', type: VARCHAR },
];

function rows(from: number, n: number) {
  const enc = new TextEncoder();
  const ids = new Int32Array(n);
  const prices = new Float64Array(n);
  const validity = new Uint8Array((n + 7) >> 3);
  const names = Array.from({ length: n }, (_, k) => enc.encode(`name-${from + k}`));
  const offsets = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) {
    ids[k] = from + k;
    prices[k] = (from + k) * 7 - 1000;
    if ((from + k) % 5 !== 0) validity[k >> 3]! |= 1 << (k & 7);
    offsets[k + 1] = offsets[k]! + names[k]!.length;
  }
  const bytes = new Uint8Array(offsets[n]!);
  for (let k = 0; k < n; k++) bytes.set(names[k]!, offsets[k]!);
  return makeBatch(COLUMNS, n, [
    { values: ids, validity: null },
    { values: prices, validity },
    { values: bytes, offsets, validity: null },
  ]);
}

let dir: string;
let file: string;
let pool: CodecPool;
const never = new AbortController().signal;

function request(path: string, rowGroup: number, limit = -1): DecodeRequest {
  const st = statSync(path);
  return {
    path,
    size: st.size,
    mtimeMs: st.mtimeMs,
    rowGroup,
    outputs: COLUMNS.map((c) => ({ name: c.name, type: c.type })),
    limit,
  };
}

function plain(batches: readonly DecodedBatch[]) {
  const arr = (b: ColumnBuffers) => ({
    values: Array.from(b.values as Int32Array),
    offsets: b.offsets ? Array.from(b.offsets) : null,
    validity: b.validity ? Array.from(b.validity.subarray(0, 1)) : null,
  });
  return batches.map((b) => ({ rows: b.rows, columns: b.columns.map(arr) }));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lake-codec-'));
  file = join(dir, 'three-groups.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const duck = await db.connect();
  await duck.run(`COPY (SELECT i::int AS id, CASE WHEN i % 5 = 0 THEN NULL ELSE ((i * 7 - 1000) / 100.0)::decimal(12,2) END AS price,
      'name-' || i AS name FROM range(30720) t(i)) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 10240)`);
  duck.closeSync();
  pool = new CodecPool(2);
  await pool.whenReady();
}, 60_000);

afterAll(async () => {
  await pool?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('lake codec', () => {
  it('decodes a row group in a thread into the same buffers as on the main thread', async () => {
    expect(pool.stats().ready).toBe(2);
    const local = new LocalCodec();
    for (const rg of [0, 2]) {
      const mine = await pool.decode(request(file, rg), never);
      expect(plain(mine)).toEqual(plain(await local.decode(request(file, rg), never)));
      // the decoded buffers were moved here, not shared with the thread
      expect(mine[0]!.columns[0]!.values.buffer).toBeInstanceOf(ArrayBuffer);
    }
    const limited = await pool.decode(request(file, 1, 10), never);
    expect(limited.reduce((n, b) => n + b.rows, 0)).toBe(10);
    expect(Array.from(limited[0]!.columns[0]!.values as Int32Array).slice(0, 3)).toEqual([10240, 10241, 10242]);
    await local.close();
  });

  it('drops queued work on abort and finishes with nothing in flight', async () => {
    const stop = new AbortController();
    setMaxListeners(20, stop.signal);
    const all = Array.from({ length: 12 }, (_, k) =>
      pool.decode(request(file, k % 3), stop.signal).then(
        () => 'done',
        (e: unknown) => (e === stop.signal.reason ? 'aborted' : String(e)),
      ),
    );
    expect(pool.stats().queued).toBeGreaterThan(0);
    stop.abort(new Error('cancelled'));
    expect(pool.stats().queued).toBe(0);
    expect(new Set(await Promise.all(all))).toEqual(new Set(['aborted']));
    for (let i = 0; i < 500 && pool.stats().inFlight > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(pool.stats().inFlight).toBe(0);
  });

  it('reports a broken file as the SqlError a main-thread read gives, naming the file', async () => {
    const broken = join(dir, 'broken.parquet');
    writeFileSync(broken, 'PAR1 this is no Parquet file PAR1');
    const inThread = (await pool.decode(request(broken, 0), never).catch((e: unknown) => e)) as SqlError;
    const onMain = (await new LocalCodec().decode(request(broken, 0), never).catch((e: unknown) => e)) as SqlError;
    expect(inThread).toBeInstanceOf(SqlError);
    expect(inThread.sqlState).toBe('58000');
    expect(inThread.message).toContain(broken);
    expect(inThread.message).toBe(onMain.message);
  });

  it('a thread that dies fails its decode with an error naming the file, and is replaced', async () => {
    // asking for a row group the file does not have makes parquet-wasm panic (a wasm trap)
    const e = (await pool.decode(request(file, 99), never).catch((x: unknown) => x)) as SqlError;
    expect(e).toBeInstanceOf(SqlError);
    expect(e.sqlState).toBe('58000');
    expect(e.message).toContain(`row group 99 of ${file}`);
    await pool.whenReady();
    expect(pool.stats().ready).toBe(2);
    expect((await pool.decode(request(file, 0), never)).length).toBeGreaterThan(0);
  });

  it('writes a file row group by row group in a thread; abort removes the partial file', async () => {
    const out = join(dir, 'written.parquet');
    const w = await pool.openWriter(out);
    await w.write(exportIPC(COLUMNS, [rows(0, 6000)]));
    await w.write(exportIPC(COLUMNS, [rows(6000, 4240)]));
    expect(await w.close()).toBe(statSync(out).size);
    const back = await pool.decode(request(out, 0), never);
    expect(plain(back)).toEqual(plain(await pool.decode(request(file, 0), never)));
    const partial = join(dir, 'partial.parquet');
    const p = await pool.openWriter(partial);
    await p.write(exportIPC(COLUMNS, [rows(0, 1000)]));
    await p.abort();
    expect(readdirSync(dir)).not.toContain('partial.parquet');
    // an existing file is never overwritten
    await expect(pool.openWriter(out)).rejects.toThrow(/cannot create Parquet file/);
  });
});

describe('lake page sink', () => {
  it('does not re-create a staging directory that was removed (the statement was aborted)', async () => {
    const root = join(dir, 'lake');
    const staging = join(root, 's', 't', '_staging', 'ins-1');
    mkdirSync(staging, { recursive: true });
    const config = lakeConfig({
      name: 'lake',
      connectorName: 'lake',
      configDir: dir,
      properties: { 'lake.root': root, 'lake.writer.max-file-rows': '1000' },
    });
    const handle = {
      schema: 's',
      table: 't',
      path: 's/t',
      insertId: 'ins-1',
      columns: columnsToJson(COLUMNS),
    };
    const ctx = { signal: never, session: {} as never, nodeId: 'n1' };
    const sink = lakePageSink(config, () => pool).create(handle, COLUMNS, ctx);
    await sink.append(rows(0, 2500));
    expect(readdirSync(staging).length).toBeGreaterThan(0);
    rmSync(join(root, 's', 't', '_staging'), { recursive: true, force: true });
    await expect(
      (async () => {
        await sink.append(rows(2500, 2500));
        await sink.finish();
      })(),
    ).rejects.toThrow(/cannot (create|write)/);
    await sink.abort();
    expect(readdirSync(join(root, 's', 't'))).toEqual([]);
  });
});
