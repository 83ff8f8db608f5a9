// dbgen fidelity: known rows of dbgen's output, cardinalities, value domains and invariants.
import { describe, expect, it } from 'vitest';
import { connector, epochDay, numbers, readTable, strings } from './helpers.js';

const c = connector();

describe('tpch cardinalities (dbgen)', () => {
  it('tiny (sf 0.01)', async () => {
    const expected: Record<string, [string, number]> = {
      region: ['r_regionkey', 5],
      nation: ['n_nationkey', 25],
      supplier: ['s_suppkey', 100],
      part: ['p_partkey', 2000],
      partsupp: ['ps_partkey', 8000],
      customer: ['c_custkey', 1500],
      orders: ['o_orderkey', 15000],
      lineitem: ['l_orderkey', 60175],
    };
    for (const [table, [column, rows]] of Object.entries(expected)) {
      expect((await readTable(c, 'tiny', table, [column])).rows, table).toBe(rows);
    }
  });

  it('sf0_1', async () => {
    expect((await readTable(c, 'sf0_1', 'orders', ['o_orderkey'])).rows).toBe(150000);
    expect((await readTable(c, 'sf0_1', 'lineitem', ['l_orderkey'])).rows).toBe(600572);
    expect((await readTable(c, 'sf0_1', 'partsupp', ['ps_suppkey'])).rows).toBe(80000);
  });

  it('sparse order keys: 8 of every 32', async () => {
    const keys = numbers(await readTable(c, 'tiny', 'orders', ['o_orderkey']), 'o_orderkey');
    expect(Array.from(keys.subarray(0, 10))).toEqual([1, 2, 3, 4, 5, 6, 7, 32, 33, 34]);
    expect(keys[keys.length - 1]).toBe(60000);
  });
});

describe('tpch known dbgen rows', () => {
  it('nation and region', async () => {
    const n = await readTable(c, 'tiny', 'nation');
    expect(strings(n, 'n_name')[0]).toBe('ALGERIA');
    expect(strings(n, 'n_comment')[0]).toBe(' haggle. carefully final deposits detect slyly agai');
    expect(Array.from(numbers(n, 'n_regionkey')).slice(0, 8)).toEqual([0, 1, 1, 1, 4, 0, 3, 3]);
    expect(strings(n, 'n_name')[24]).toBe('UNITED STATES');
    const r = await readTable(c, 'tiny', 'region');
    expect(strings(r, 'r_name')).toEqual(['AFRICA', 'AMERICA', 'ASIA', 'EUROPE', 'MIDDLE EAST']);
    expect(strings(r, 'r_comment')[0]).toBe(
      'lar deposits. blithely final packages cajole. regular waters are final requests. regular accounts are according to ',
    );
  }, 120_000);

  it('first rows of part, supplier, customer, partsupp, orders, lineitem at sf1', async () => {
    const p = await readTable(
      c,
      'sf1',
      'part',
      ['p_name', 'p_mfgr', 'p_brand', 'p_type', 'p_size', 'p_container', 'p_retailprice', 'p_comment'],
      1,
      true,
    );
    const row = (r: typeof p, i: number) =>
      r.columns.map((col) => (col.type.kind === 'varchar' ? strings(r, col.name)[i] : numbers(r, col.name)[i]));
    expect(row(p, 0)).toEqual([
      'goldenrod lavender spring chocolate lace',
      'Manufacturer#1',
      'Brand#13',
      'PROMO BURNISHED COPPER',
      7,
      'JUMBO PKG',
      90100,
      'ly. slyly ironi',
    ]);
    const s = await readTable(
      c,
      'sf1',
      'supplier',
      ['s_name', 's_address', 's_nationkey', 's_phone', 's_acctbal', 's_comment'],
      1,
      true,
    );
    expect(row(s, 0)).toEqual([
      'Supplier#000000001',
      ' N kD4on9OM Ipw3,gf0JBoQDd7tgrzrddZ',
      17,
      '27-918-335-1736',
      575594,
      'each slyly above the careful',
    ]);
    const cu = await readTable(
      c,
      'sf1',
      'customer',
      ['c_name', 'c_address', 'c_nationkey', 'c_phone', 'c_acctbal', 'c_mktsegment', 'c_comment'],
      1,
      true,
    );
    expect(row(cu, 0)).toEqual([
      'Customer#000000001',
      'IVhzIApeRb ot,c,E',
      15,
      '25-989-741-2988',
      71156,
      'BUILDING',
      'to the even, regular platelets. regular, ironic epitaphs nag e',
    ]);
    const ps = await readTable(
      c,
      'sf1',
      'partsupp',
      ['ps_partkey', 'ps_suppkey', 'ps_availqty', 'ps_supplycost'],
      1,
      true,
    );
    expect(row(ps, 0)).toEqual([1, 2, 3325, 77164]);
    const o = await readTable(
      c,
      'sf1',
      'orders',
      [
        'o_orderkey',
        'o_custkey',
        'o_orderstatus',
        'o_totalprice',
        'o_orderdate',
        'o_orderpriority',
        'o_clerk',
        'o_shippriority',
        'o_comment',
      ],
      1,
      true,
    );
    expect(row(o, 0)).toEqual([
      1,
      36901,
      'O',
      17366547,
      epochDay('1996-01-02'),
      '5-LOW',
      'Clerk#000000951',
      0,
      'nstructions sleep furiously among ',
    ]);
    const l = await readTable(
      c,
      'sf1',
      'lineitem',
      [
        'l_orderkey',
        'l_partkey',
        'l_suppkey',
        'l_linenumber',
        'l_quantity',
        'l_extendedprice',
        'l_discount',
        'l_tax',
        'l_returnflag',
        'l_linestatus',
        'l_shipdate',
        'l_commitdate',
        'l_receiptdate',
        'l_shipinstruct',
        'l_shipmode',
        'l_comment',
      ],
      1,
      true,
    );
    expect((await readTable(c, 'sf1', 'lineitem', ['l_linenumber'])).rows).toBe(6001215);
    expect(row(l, 0)).toEqual([
      1,
      155190,
      7706,
      1,
      1700,
      2116823,
      4,
      2,
      'N',
      'O',
      epochDay('1996-03-13'),
      epochDay('1996-02-12'),
      epochDay('1996-03-22'),
      'DELIVER IN PERSON',
      'TRUCK',
      'egular courts above the',
    ]);
  }, 300_000);
});

describe('tpch value domains (tiny)', () => {
  it('lineitem columns stay in the spec ranges', async () => {
    const l = await readTable(c, 'tiny', 'lineitem', [
      'l_quantity',
      'l_discount',
      'l_tax',
      'l_shipdate',
      'l_receiptdate',
      'l_returnflag',
      'l_linestatus',
      'l_suppkey',
      'l_partkey',
    ]);
    const range = (a: Float64Array) => [Math.min(...a), Math.max(...a)];
    expect(range(numbers(l, 'l_quantity'))).toEqual([100, 5000]);
    expect(range(numbers(l, 'l_discount'))).toEqual([0, 10]);
    expect(range(numbers(l, 'l_tax'))).toEqual([0, 8]);
    const [minShip, maxShip] = range(numbers(l, 'l_shipdate'));
    expect(minShip).toBeGreaterThanOrEqual(epochDay('1992-01-02'));
    expect(maxShip).toBeLessThanOrEqual(epochDay('1998-12-01'));
    expect(range(numbers(l, 'l_partkey'))[1]).toBeLessThanOrEqual(2000);
    expect(range(numbers(l, 'l_suppkey'))[1]).toBeLessThanOrEqual(100);
    expect(new Set(strings(l, 'l_returnflag'))).toEqual(new Set(['R', 'A', 'N']));
    expect(new Set(strings(l, 'l_linestatus'))).toEqual(new Set(['O', 'F']));
    const receipts = numbers(l, 'l_receiptdate');
    const flags = strings(l, 'l_returnflag');
    const currentDate = epochDay('1995-06-17');
    flags.forEach((f, i) => {
      expect(f === 'N').toBe(receipts[i]! > currentDate);
    });
  });

  it("o_totalprice is dbgen's sum over the order's lines", async () => {
    const o = await readTable(c, 'tiny', 'orders', ['o_orderkey', 'o_totalprice', 'o_orderstatus']);
    const l = await readTable(c, 'tiny', 'lineitem', [
      'l_orderkey',
      'l_extendedprice',
      'l_discount',
      'l_tax',
      'l_linestatus',
    ]);
    const totals = new Map<number, number>();
    const spec = new Map<number, number>();
    const keys = numbers(l, 'l_orderkey');
    const ext = numbers(l, 'l_extendedprice');
    const disc = numbers(l, 'l_discount');
    const tax = numbers(l, 'l_tax');
    for (let i = 0; i < l.rows; i++) {
      const k = keys[i]!;
      const discounted = Math.floor((ext[i]! * (100 - disc[i]!)) / 100);
      totals.set(k, (totals.get(k) ?? 0) + Math.floor((discounted * (100 + tax[i]!)) / 100));
      spec.set(k, (spec.get(k) ?? 0) + (ext[i]! * (100 - disc[i]!) * (100 + tax[i]!)) / 10000);
    }
    const orderKeys = numbers(o, 'o_orderkey');
    const price = numbers(o, 'o_totalprice');
    for (let i = 0; i < o.rows; i++) {
      expect(price[i]).toBe(totals.get(orderKeys[i]!));
      // Within two cents per line of the spec's exact formula sum(extendedprice * (1 + tax) * (1 - discount)).
      expect(Math.abs(price[i]! - spec.get(orderKeys[i]!)!)).toBeLessThan(15);
    }
    // o_orderstatus: F when all lines shipped (linestatus F), O when none, P otherwise.
    const lineStatus = strings(l, 'l_linestatus');
    const statusOf = new Map<number, string>();
    for (let i = 0; i < l.rows; i++) statusOf.set(keys[i]!, (statusOf.get(keys[i]!) ?? '') + lineStatus[i]);
    const status = strings(o, 'o_orderstatus');
    for (let i = 0; i < o.rows; i++) {
      const s = statusOf.get(orderKeys[i]!)!;
      expect(status[i]).toBe(/^F+$/.test(s) ? 'F' : /^O+$/.test(s) ? 'O' : 'P');
    }
  });
});
