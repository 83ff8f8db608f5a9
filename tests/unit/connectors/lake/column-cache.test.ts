import { describe, expect, it } from 'vitest';
import { INTEGER } from '../../../../common/types.js';
import type { DecodedBatch, DecodeRequest, ParquetCodec } from '../../../../connectors/lake/codec.js';
import { ColumnCache, cachingCodec } from '../../../../connectors/lake/column-cache.js';

/** A codec that "decodes" column `name` of a row group as rows 0..n-1 plus a per-name offset, counting calls. */
function countingCodec(batchRows: number[]) {
  const calls: string[][] = [];
  const codec: ParquetCodec = {
    prefetch: 2,
    openWriter: () => Promise.reject(new Error('not used')),
    close: () => Promise.resolve(),
    decode(req: DecodeRequest): Promise<DecodedBatch[]> {
      calls.push(req.outputs.map((o) => o.name));
      let at = 0;
      return Promise.resolve(
        batchRows.map((n) => {
          const cols = req.outputs.map((o) => ({
            values: Int32Array.from({ length: n }, (_, i) => at + i + 1000 * o.name.length + req.rowGroup),
            validity: null,
          }));
          at += n;
          return { rows: n, columns: cols };
        }),
      );
    },
  };
  return { codec, calls };
}

const req = (rowGroup: number, names: string[], limit = -1): DecodeRequest => ({
  path: '/lake/t/part-1.parquet',
  size: 100,
  mtimeMs: 5,
  rowGroup,
  outputs: names.map((name) => ({ name, type: INTEGER })),
  limit,
});
const signal = new AbortController().signal;
const firstValues = (d: DecodedBatch[]) => d.map((b) => b.columns.map((c) => (c.values as Int32Array)[0]));

describe('column chunk cache', () => {
  it('decodes a row group column once, and only the columns it lacks', async () => {
    const { codec, calls } = countingCodec([3, 2]);
    const c = cachingCodec(codec, new ColumnCache(1 << 20));
    const a = await c.decode(req(0, ['a', 'bb']), signal);
    const b = await c.decode(req(0, ['bb', 'a']), signal);
    expect(calls).toEqual([['a', 'bb']]);
    expect(firstValues(b)).toEqual([
      [2000, 1000],
      [2003, 1003],
    ]);
    expect(b.map((x) => x.rows)).toEqual(a.map((x) => x.rows));
    const c3 = await c.decode(req(0, ['a', 'ccc']), signal);
    expect(calls).toEqual([['a', 'bb'], ['ccc']]);
    expect(firstValues(c3)).toEqual([
      [1000, 3000],
      [1003, 3003],
    ]);
    await c.decode(req(1, ['a']), signal);
    expect(calls.at(-1)).toEqual(['a']);
  });

  it('does not cache a LIMIT (partial row group), nor with size 0', async () => {
    const { codec, calls } = countingCodec([4]);
    const c = cachingCodec(codec, new ColumnCache(1 << 20));
    await c.decode(req(0, ['a'], 2), signal);
    await c.decode(req(0, ['a'], 2), signal);
    expect(calls.length).toBe(2);
    const off = cachingCodec(codec, new ColumnCache(0));
    await off.decode(req(0, ['a']), signal);
    await off.decode(req(0, ['a']), signal);
    expect(calls.length).toBe(4);
  });

  it('evicts the least recently used chunks beyond its size', async () => {
    const { codec, calls } = countingCodec([100]); // 400 bytes per column chunk
    const cache = new ColumnCache(1700);
    const c = cachingCodec(codec, cache);
    for (const rg of [0, 1, 2, 3]) await c.decode(req(rg, ['a']), signal);
    await c.decode(req(0, ['a']), signal); // hit: row group 0 is now the most recent
    await c.decode(req(4, ['a']), signal); // 2,000 bytes: row group 1 leaves
    expect(cache.stats.bytes).toBe(1600);
    expect(calls.length).toBe(5);
    await c.decode(req(0, ['a']), signal);
    expect(calls.length).toBe(5);
    await c.decode(req(1, ['a']), signal);
    expect(calls.length).toBe(6);
  });
});
