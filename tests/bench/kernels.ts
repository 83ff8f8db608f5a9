// Micro-benchmark (not a test): a TPC-H Q1-like filter + project + group-by over 6M rows of
// synthetic typed-array columns, run through runFragment. Reports median wall ms.
//   node --import tsx tests/bench/kernels.ts [rows]
import type { RecordBatch } from 'apache-arrow';
import { makeBatch } from '../../common/arrow/batch.js';
import type { Expr } from '../../common/expr/expr.js';
import { type AggregateCall, type AggregateFn, aggregateResultType } from '../../common/functions/aggregates.js';
import type { PhysicalNode } from '../../common/plan/physical.js';
import { BOOLEAN, type ColumnSchema, DATE, type DataType, decimal, VARCHAR } from '../../common/types.js';
import { runFragment } from '../../worker/task/run-fragment.js';

const ROWS = Number(process.argv[2] ?? 6_001_215);
const BATCH = 65536;
const D2 = decimal(15, 2);

const schema: ColumnSchema[] = [
  { name: 'l_returnflag', type: VARCHAR },
  { name: 'l_linestatus', type: VARCHAR },
  { name: 'l_quantity', type: D2 },
  { name: 'l_extendedprice', type: D2 },
  { name: 'l_discount', type: D2 },
  { name: 'l_tax', type: D2 },
  { name: 'l_shipdate', type: DATE },
];

function makeData(): RecordBatch[] {
  const batches: RecordBatch[] = [];
  let seed = 42;
  const rnd = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const flags = [65, 78, 82]; // A N R
  for (let start = 0; start < ROWS; start += BATCH) {
    const n = Math.min(BATCH, ROWS - start);
    const rf = new Uint8Array(n);
    const ls = new Uint8Array(n);
    const off = new Int32Array(n + 1);
    const q = new Float64Array(n);
    const p = new Float64Array(n);
    const d = new Float64Array(n);
    const t = new Float64Array(n);
    const sd = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      rf[i] = flags[Math.floor(rnd() * 3)]!;
      ls[i] = rnd() < 0.5 ? 70 : 79; // F O
      off[i + 1] = i + 1;
      q[i] = (1 + Math.floor(rnd() * 50)) * 100;
      p[i] = Math.floor(rnd() * 10_000_000);
      d[i] = Math.floor(rnd() * 11);
      t[i] = Math.floor(rnd() * 9);
      sd[i] = 8036 + Math.floor(rnd() * 2526); // 1992-01-02 .. 1998-12-01
    }
    batches.push(
      makeBatch(schema, n, [
        { values: rf, offsets: off, validity: null },
        { values: ls, offsets: off, validity: null },
        { values: q, validity: null },
        { values: p, validity: null },
        { values: d, validity: null },
        { values: t, validity: null },
        { values: sd, validity: null },
      ]),
    );
  }
  return batches;
}

const col = (index: number, type: DataType): Expr => ({ kind: 'column', index, type });
const lit = (value: string | number, type: DataType): Expr => ({ kind: 'literal', value, type });
const call = (fn: string, type: DataType, ...args: Expr[]): Expr => ({ kind: 'call', fn, args, type });

/** `wide`: Trino result types (products are decimal(30+,s) = long, BigInt per row). */
function plan(wide: boolean): PhysicalNode {
  const oneMinusDisc = call('subtract', decimal(wide ? 16 : 15, 2), lit('100', D2), col(4, D2));
  const onePlusTax = call('add', decimal(wide ? 16 : 15, 2), lit('100', D2), col(5, D2));
  const discPriceType = decimal(wide ? 31 : 15, 4);
  const discPrice = call('multiply', discPriceType, col(3, D2), oneMinusDisc);
  const chargeType = decimal(wide ? 38 : 15, 6);
  const charge = call('multiply', chargeType, discPrice, onePlusTax);
  const scan: PhysicalNode = {
    kind: 'table_scan',
    catalog: 'bench',
    handle: null,
    columns: schema.map((c) => c.name),
    output: schema,
  };
  const filter: PhysicalNode = {
    kind: 'filter',
    input: scan,
    predicate: call('le', BOOLEAN, col(6, DATE), lit(10471, DATE)), // 1998-09-02
    output: schema,
  };
  const projOut: ColumnSchema[] = [
    { name: 'rf', type: VARCHAR },
    { name: 'ls', type: VARCHAR },
    { name: 'q', type: D2 },
    { name: 'p', type: D2 },
    { name: 'dp', type: discPriceType },
    { name: 'ch', type: chargeType },
    { name: 'd', type: D2 },
  ];
  const project: PhysicalNode = {
    kind: 'project',
    input: filter,
    exprs: [col(0, VARCHAR), col(1, VARCHAR), col(2, D2), col(3, D2), discPrice, charge, col(4, D2)],
    output: projOut,
  };
  const agg = (fn: AggregateFn, arg: number | null): AggregateCall => {
    const t = arg === null ? undefined : projOut[arg]!.type;
    return {
      fn,
      args: arg === null ? [] : [arg],
      argTypes: t ? [t] : [],
      distinct: false,
      type: aggregateResultType(fn, t),
    };
  };
  const aggregates = [
    agg('sum', 2),
    agg('sum', 3),
    agg('sum', 4),
    agg('sum', 5),
    agg('avg', 2),
    agg('avg', 3),
    agg('avg', 6),
    agg('count_star', null),
  ];
  return {
    kind: 'aggregate',
    input: project,
    step: 'single',
    groupBy: [0, 1],
    aggregates,
    output: [projOut[0]!, projOut[1]!, ...aggregates.map((a, i) => ({ name: `a${i}`, type: a.type }))],
  };
}

async function runOnce(
  root: PhysicalNode,
  batches: RecordBatch[],
): Promise<{ ms: number; cpuMs: number; groups: number }> {
  const ctx = { signal: new AbortController().signal, session: { user: 'bench', timeZone: 'UTC' }, nodeId: 'bench' };
  const inputs = {
    async *remote() {},
    async *scan() {
      for (const b of batches) yield b;
    },
    sink(): never {
      throw new Error('no sink');
    },
  };
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let groups = 0;
  for await (const b of runFragment(root, inputs, ctx).batches) groups += b.numRows;
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, groups };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const batches = makeData();
for (const wide of process.argv[3] === 'short' ? [false] : process.argv[3] === 'wide' ? [true] : [false, true]) {
  const root = plan(wide);
  const times: number[] = [];
  const cpu: number[] = [];
  let groups = 0;
  for (let r = 0; r < 5; r++) {
    const res = await runOnce(root, batches);
    times.push(res.ms);
    cpu.push(res.cpuMs);
    groups = res.groups;
  }
  console.log(
    `Q1-like ${ROWS} rows, ${wide ? 'Trino-typed (long decimal products, BigInt per row)' : 'short decimals (float64 scaled ints)'}: median ${median(times).toFixed(0)} ms wall, ${median(cpu).toFixed(0)} ms CPU (wall runs ${times.map((t) => t.toFixed(0)).join(', ')}), ${groups} groups`,
  );
}
