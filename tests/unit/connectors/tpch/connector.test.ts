// The tpch connector SPI: metadata, splits, page source, determinism and split independence.
import { describe, expect, it } from 'vitest';
import { tpchConnectorFactory } from '../../../../connectors/tpch/index.js';
import { scaleFactorOf } from '../../../../connectors/tpch/schema.js';
import { connector, hashRead, metaContext, readTable } from './helpers.js';

const c = connector();

describe('tpch metadata', () => {
  it('lists schemas and tables, resolves sf names', async () => {
    const ctx = metaContext();
    expect(await c.metadata.listSchemas(ctx)).toEqual(['tiny', 'sf0_1', 'sf1', 'sf10']);
    expect(await c.metadata.listTables('sf1', ctx)).toHaveLength(8);
    expect(await c.metadata.listTables('nope', ctx)).toEqual([]);
    expect(scaleFactorOf('tiny')).toBe(0.01);
    expect(scaleFactorOf('sf0_1')).toBe(0.1);
    expect(scaleFactorOf('sf100')).toBe(100);
    expect(scaleFactorOf('sf0_25')).toBe(0.25);
    expect(scaleFactorOf('sf')).toBeUndefined();
    expect(await c.metadata.getTable('tiny', 'nope', ctx)).toBeUndefined();
    expect(await c.metadata.getTable('bogus', 'orders', ctx)).toBeUndefined();
    const t = await c.metadata.getTable('sf1', 'lineitem', ctx);
    expect(t?.handle).toEqual({ schema: 'sf1', table: 'lineitem', sf: 1 });
    expect(t?.columns.map((x) => x.name)).toContain('l_extendedprice');
    expect(t?.columns.find((x) => x.name === 'l_discount')?.type).toEqual({ kind: 'decimal', precision: 15, scale: 2 });
    expect(await c.metadata.getStatistics?.(t!.handle, ctx)).toEqual({ rowCount: 6_000_000 });
    await expect(c.metadata.getTable('sf100000', 'orders', ctx)).rejects.toMatchObject({ sqlState: '22023' });
  });

  it('rejects a bad splits-per-node property', () => {
    expect(() => connector({ 'tpch.splits-per-node': '0' })).toThrow(/splits-per-node/);
    expect(tpchConnectorFactory.knownProperties).toEqual(['tpch.splits-per-node']);
  });
});

describe('tpch splits', () => {
  it('makes workers x splits-per-node disjoint ranges, one for nation/region', async () => {
    const ctx = metaContext(3);
    const orders = await c.metadata.getTable('tiny', 'orders', ctx);
    const splits = await c.splits.getSplits(orders!.handle, ctx);
    expect(splits).toHaveLength(12);
    let next = 0;
    for (const s of splits) {
      const p = s.payload as { start: number; end: number };
      expect(p.start).toBe(next);
      expect(s.addresses).toEqual([]);
      next = p.end;
    }
    expect(next).toBe(15000);
    const nation = await c.metadata.getTable('tiny', 'nation', ctx);
    expect(await c.splits.getSplits(nation!.handle, ctx)).toHaveLength(1);
    const two = connector({ 'tpch.splits-per-node': '2' });
    expect(await two.splits.getSplits(orders!.handle, ctx)).toHaveLength(6);
  });

  it('the union of splits is the full generation, for every table', async () => {
    for (const table of ['lineitem', 'orders', 'partsupp', 'customer', 'supplier', 'part']) {
      const one = hashRead(await readTable(connector({ 'tpch.splits-per-node': '1' }), 'tiny', table));
      const many = hashRead(await readTable(connector({ 'tpch.splits-per-node': '7' }), 'tiny', table, undefined, 3));
      expect(many, table).toBe(one);
    }
  }, 120_000);

  it('is deterministic across calls', async () => {
    const a = hashRead(await readTable(c, 'tiny', 'lineitem'));
    const b = hashRead(await readTable(c, 'tiny', 'lineitem'));
    expect(a).toBe(b);
  }, 60_000);
});

describe('tpch page source', () => {
  it('returns exactly the requested columns, in order', async () => {
    const r = await readTable(c, 'tiny', 'orders', ['o_totalprice', 'o_orderkey']);
    for (const b of r.batches) expect(b.schema.fields.map((f) => f.name)).toEqual(['o_totalprice', 'o_orderkey']);
    expect(r.batches[0]!.numRows).toBeGreaterThan(0);
  });

  it('stops when the signal is aborted', async () => {
    const ctx = metaContext();
    const t = await c.metadata.getTable('sf1', 'orders', ctx);
    const [split] = await c.splits.getSplits(t!.handle, ctx);
    const ac = new AbortController();
    const read = async () => {
      let n = 0;
      for await (const _ of c.pageSource.open(split!, t!.handle, t!.columns.slice(0, 1), {
        signal: ac.signal,
        session: ctx.session,
        nodeId: 'w0',
      })) {
        if (++n === 1) ac.abort();
      }
      return n;
    };
    await expect(read()).rejects.toThrow();
  });
});
