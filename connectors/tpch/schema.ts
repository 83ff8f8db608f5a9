// The eight TPC-H tables with the specification's column names and types, scale-factor schema
// names, and table sizes.
import { SqlError } from '../../common/errors.js';
import { SqlStates } from '../../common/sqlstate.js';
import { type ColumnSchema, DATE, type DataType, decimal, INTEGER, VARCHAR } from '../../common/types.js';

export const TABLE_NAMES = [
  'customer',
  'lineitem',
  'nation',
  'orders',
  'part',
  'partsupp',
  'region',
  'supplier',
] as const;
export type TpchTableName = (typeof TABLE_NAMES)[number];

export function isTableName(name: string): name is TpchTableName {
  return (TABLE_NAMES as readonly string[]).includes(name);
}

const MONEY = decimal(15, 2);

function cols(spec: Record<string, DataType>): readonly ColumnSchema[] {
  return Object.entries(spec).map(([name, type]) => ({ name, type, nullable: false }));
}

export const TABLE_COLUMNS: Readonly<Record<TpchTableName, readonly ColumnSchema[]>> = {
  region: cols({ r_regionkey: INTEGER, r_name: VARCHAR, r_comment: VARCHAR }),
  nation: cols({ n_nationkey: INTEGER, n_name: VARCHAR, n_regionkey: INTEGER, n_comment: VARCHAR }),
  part: cols({
    p_partkey: INTEGER,
    p_name: VARCHAR,
    p_mfgr: VARCHAR,
    p_brand: VARCHAR,
    p_type: VARCHAR,
    p_size: INTEGER,
    p_container: VARCHAR,
    p_retailprice: MONEY,
    p_comment: VARCHAR,
  }),
  supplier: cols({
    s_suppkey: INTEGER,
    s_name: VARCHAR,
    s_address: VARCHAR,
    s_nationkey: INTEGER,
    s_phone: VARCHAR,
    s_acctbal: MONEY,
    s_comment: VARCHAR,
  }),
  partsupp: cols({
    ps_partkey: INTEGER,
    ps_suppkey: INTEGER,
    ps_availqty: INTEGER,
    ps_supplycost: MONEY,
    ps_comment: VARCHAR,
  }),
  customer: cols({
    c_custkey: INTEGER,
    c_name: VARCHAR,
    c_address: VARCHAR,
    c_nationkey: INTEGER,
    c_phone: VARCHAR,
    c_acctbal: MONEY,
    c_mktsegment: VARCHAR,
    c_comment: VARCHAR,
  }),
  orders: cols({
    o_orderkey: INTEGER,
    o_custkey: INTEGER,
    o_orderstatus: VARCHAR,
    o_totalprice: MONEY,
    o_orderdate: DATE,
    o_orderpriority: VARCHAR,
    o_clerk: VARCHAR,
    o_shippriority: INTEGER,
    o_comment: VARCHAR,
  }),
  lineitem: cols({
    l_orderkey: INTEGER,
    l_partkey: INTEGER,
    l_suppkey: INTEGER,
    l_linenumber: INTEGER,
    l_quantity: MONEY,
    l_extendedprice: MONEY,
    l_discount: MONEY,
    l_tax: MONEY,
    l_returnflag: VARCHAR,
    l_linestatus: VARCHAR,
    l_shipdate: DATE,
    l_commitdate: DATE,
    l_receiptdate: DATE,
    l_shipinstruct: VARCHAR,
    l_shipmode: VARCHAR,
    l_comment: VARCHAR,
  }),
};

/** Schemas listed by SHOW SCHEMAS; any other sf<N> or sf<N>_<M> name is accepted too. */
export const LISTED_SCHEMAS = ['tiny', 'sf0_1', 'sf1', 'sf10'] as const;

/** Largest scale factor whose keys fit the spec's `integer` columns (o_orderkey ~ 6,000,000 x SF). */
export const MAX_SCALE_FACTOR = 300;

/** The scale factor a schema name stands for, or undefined when it names none. */
export function scaleFactorOf(schema: string): number | undefined {
  const name = schema.toLowerCase();
  if (name === 'tiny') return 0.01;
  const m = /^sf(\d+)(?:_(\d+))?$/.exec(name);
  if (!m) return undefined;
  const sf = Number(m[2] === undefined ? m[1] : `${m[1]}.${m[2]}`);
  return sf > 0 ? sf : undefined;
}

export function checkScaleFactor(sf: number): void {
  if (!(sf > 0) || sf > MAX_SCALE_FACTOR || Math.trunc(10_000 * sf) < 1) {
    throw new SqlError(
      SqlStates.invalidParameterValue,
      `tpch scale factor ${sf} is out of range (supported: more than 0.0001 up to ${MAX_SCALE_FACTOR})`,
    );
  }
}

/** dbgen's table sizes: (long) (base * SF). */
export function scaledCount(base: number, sf: number): number {
  return Math.trunc(base * sf);
}

export const SUPPLIER_BASE = 10_000;
export const PART_BASE = 200_000;
export const CUSTOMER_BASE = 150_000;
export const ORDERS_BASE = 1_500_000;

/**
 * Units a table is generated and split in: rows, except partsupp (parts, 4 rows each) and
 * lineitem (orders, 1-7 rows each).
 */
export function unitCount(table: TpchTableName, sf: number): number {
  switch (table) {
    case 'region':
      return 5;
    case 'nation':
      return 25;
    case 'supplier':
      return scaledCount(SUPPLIER_BASE, sf);
    case 'part':
    case 'partsupp':
      return scaledCount(PART_BASE, sf);
    case 'customer':
      return scaledCount(CUSTOMER_BASE, sf);
    case 'orders':
    case 'lineitem':
      return scaledCount(ORDERS_BASE, sf);
  }
}

/** Row count (lineitem: the expected 4 lines per order, exact only once generated). */
export function estimatedRowCount(table: TpchTableName, sf: number): number {
  const units = unitCount(table, sf);
  return table === 'partsupp' || table === 'lineitem' ? units * 4 : units;
}
