// Hash aggregation (a sink): step single (rows -> values), partial (rows -> keys + states),
// final (keys + states -> values). See common/functions/aggregates.ts for the state layout.
import type { RecordBatch } from 'apache-arrow';
import { assertNever } from '../../common/assert.js';
import { SqlError } from '../../common/errors.js';
import { type AggregateCall, aggregateStateTypes } from '../../common/functions/aggregates.js';
import type { PhysicalNode } from '../../common/plan/physical.js';
import type { DataType } from '../../common/types.js';
import { type Col, colsToBatch, layoutOf, readBatch, sliceCol } from '../expressions/vector.js';
import { HllAcc } from './agg-hll.js';
import { OrderedAcc, OrderedSetAcc } from './agg-ordered.js';
import { AvgAcc, BoolAcc, CountAcc, MinMaxAcc, type MultiAccumulator, SumAcc } from './agg-states.js';
import { ArrayAggAcc, StringAggAcc } from './agg-text.js';
import { VarianceAcc } from './agg-variance.js';
import { type FusedItem, FusedUpdater } from './fused-update.js';
import { GroupTable } from './group-table.js';
import { countOutput, type MutableStats, newStats, OUTPUT_BATCH_ROWS, type Sink } from './operator.js';

type AggregateNode = Extract<PhysicalNode, { kind: 'aggregate' }>;

interface Slot {
  readonly call: AggregateCall;
  readonly acc: CountAcc | SumAcc | AvgAcc | MinMaxAcc | MultiAccumulator;
  readonly arg: number;
  /** Columns a MultiAccumulator reads: the arguments, or in step final the state columns. */
  readonly argCols: readonly number[];
  /** Columns a MultiAccumulator is fed: argCols, then the sort keys of an ordered aggregate. */
  readonly feedCols: readonly number[];
  /** Type of the (first) input column the accumulator reads. */
  readonly inType: DataType | undefined;
  readonly distinct: GroupTable | null;
}

export class AggregateSink implements Sink {
  readonly stats: MutableStats;
  private readonly table: GroupTable | null;
  private readonly slots: Slot[];
  private groups = 0;
  private gids = new Int32Array(0);
  /** count/sum/avg parts updated by one generated loop; the rest (min/max, BigInt sums, DISTINCT) per slot. */
  private readonly fused: FusedUpdater | null;
  private readonly slow: Slot[];

  constructor(
    private readonly node: AggregateNode,
    private readonly inputTypes: readonly DataType[],
  ) {
    this.stats = newStats(`Aggregate(${node.step})`);
    this.table = node.groupBy.length ? new GroupTable(node.groupBy.map((k) => layoutOf(inputTypes[k]!))) : null;
    if (!this.table) this.groups = 1;
    const final = node.step === 'final';
    this.slots = node.aggregates.map((call) => {
      const arg = call.args[0] ?? -1;
      const inType = arg >= 0 ? inputTypes[arg] : undefined;
      let acc: Slot['acc'];
      switch (call.fn) {
        case 'count_star':
        case 'count':
          acc = new CountAcc(call.fn === 'count_star' && !final, final);
          break;
        case 'sum':
          acc = new SumAcc(inType!);
          break;
        case 'avg':
          acc = new AvgAcc(inType!, final);
          break;
        case 'min':
        case 'max':
          acc = new MinMaxAcc(inType!, call.fn === 'max');
          break;
        case 'bool_and':
        case 'bool_or':
          acc = new BoolAcc(call.fn === 'bool_and');
          break;
        case 'stddev_samp':
        case 'stddev_pop':
        case 'var_samp':
        case 'var_pop':
          acc = new VarianceAcc(call.fn, inType!, final);
          break;
        case 'string_agg':
          acc = new StringAggAcc(final);
          break;
        case 'array_agg':
          acc = new ArrayAggAcc(call.argTypes[0]!, final);
          break;
        case 'approx_distinct':
          acc = new HllAcc(call.argTypes[0]!, final);
          break;
        case 'percentile_cont':
        case 'percentile_disc':
        case 'mode':
          acc = new OrderedSetAcc(call.fn, call.argTypes[0]!);
          break;
        default:
          return assertNever(call.fn, 'aggregate');
      }
      const width = aggregateStateTypes(call.fn, call.argTypes[0]).length;
      const argCols = final ? Array.from({ length: width }, (_, i) => arg + i) : call.args;
      // DISTINCT over all arguments (string_agg(DISTINCT s, ',')), per group.
      const distinct =
        call.distinct && !final && call.args.length > 0
          ? new GroupTable(['i32', ...call.args.map((a) => layoutOf(inputTypes[a]!))])
          : null;
      // ORDER BY inside the call: rows buffered with their keys, fed sorted at the end.
      const order = !final && call.orderBy && call.orderBy.length > 0 ? call.orderBy : null;
      const keyCols = order ? order.map((k) => k.index) : [];
      if (order) {
        if (!isMulti(acc)) throw SqlError.internal(`ORDER BY inside ${call.fn}`);
        const types = [...call.args, ...keyCols].map((c) => inputTypes[c]!);
        acc = new OrderedAcc(acc, call.args.length, types, order);
      }
      acc.resize(this.groups);
      return { call, acc, arg, argCols, feedCols: [...argCols, ...keyCols], inType, distinct };
    });
    const items: FusedItem[] = [];
    this.slow = [];
    for (const s of this.slots) {
      const parts = s.distinct ? null : fusedParts(s, final);
      if (parts) items.push(...parts);
      else this.slow.push(s);
    }
    this.fused = items.length ? new FusedUpdater(items) : null;
  }

  consume(batch: RecordBatch): void {
    const t0 = performance.now();
    const n = batch.numRows;
    this.stats.inputRows += n;
    if (n === 0) return;
    const cols = readBatch(batch, this.inputTypes);
    if (this.gids.length < n) this.gids = new Int32Array(n);
    const gids = this.gids;
    if (this.table) {
      this.table.findOrInsert(
        this.node.groupBy.map((k) => cols[k]!),
        n,
        gids,
      );
      this.groups = this.table.size;
    } else gids.fill(0, 0, n);
    const final = this.node.step === 'final';
    for (const s of this.slots) s.acc.resize(this.groups);
    this.fused?.update(cols, n, gids);
    for (const s of this.slow) {
      const col: Col =
        s.arg >= 0 ? cols[s.arg]! : (cols[0] ?? { values: new Uint8Array(0), offsets: null, validity: null });
      let sel: Int32Array | null = null;
      let count = n;
      if (s.distinct) {
        const isNew = new Uint8Array(n);
        const tmp = new Int32Array(n);
        s.distinct.findOrInsert(
          [{ values: gids, offsets: null, validity: null }, ...s.argCols.map((a) => cols[a]!)],
          n,
          tmp,
          isNew,
        );
        sel = new Int32Array(n);
        count = 0;
        for (let k = 0; k < n; k++) if (isNew[k]) sel[count++] = k;
      }
      if (s.acc instanceof AvgAcc) {
        s.acc.sum.update(col, count, gids, sel);
        s.acc.count.update(final ? cols[s.arg + 1]! : col, count, gids, sel);
      } else if (isMulti(s.acc))
        s.acc.update(
          s.feedCols.map((a) => cols[a]!),
          count,
          gids,
          sel,
        );
      else s.acc.update(col, count, gids, sel);
    }
    this.stats.wallMs += performance.now() - t0;
  }

  private outputColumns(): Col[] {
    const groups = this.groups;
    const out: Col[] = this.table ? this.table.keyColumns(0, groups) : [];
    const partial = this.node.step === 'partial';
    for (const s of this.slots) {
      const { call, acc } = s;
      if (acc instanceof CountAcc) out.push(acc.output(groups));
      else if (acc instanceof SumAcc) {
        const t = partial ? aggregateStateTypes('sum', s.inType)[0]! : call.type;
        out.push(acc.output(groups, t));
      } else if (acc instanceof AvgAcc) {
        const sumScale = s.inType?.kind === 'decimal' ? s.inType.scale : 0;
        if (partial) {
          const [st] = aggregateStateTypes('avg', s.inType);
          out.push(acc.sum.output(groups, st!), acc.count.output(groups));
        } else out.push(acc.output(groups, call.type, sumScale));
      } else if (isMulti(acc)) out.push(...acc.output(groups, partial));
      else out.push(acc.output(groups));
    }
    return out;
  }

  *finish(): Iterable<RecordBatch> {
    const t0 = performance.now();
    const cols = this.outputColumns();
    const layouts = this.node.output.map((c) => layoutOf(c.type));
    const total = this.groups;
    this.stats.wallMs += performance.now() - t0;
    for (let start = 0; start < total || (start === 0 && total === 0); start += OUTPUT_BATCH_ROWS) {
      if (total === 0) return;
      const end = Math.min(total, start + OUTPUT_BATCH_ROWS);
      const part = start === 0 && end === total ? cols : cols.map((c, j) => sliceCol(c, layouts[j]!, start, end));
      const b = colsToBatch(this.node.output, part, end - start);
      countOutput(this.stats, [b]);
      yield b;
    }
  }
}

function isMulti(acc: Slot['acc']): acc is MultiAccumulator {
  return !(acc instanceof CountAcc || acc instanceof SumAcc || acc instanceof AvgAcc || acc instanceof MinMaxAcc);
}

function sumPart(acc: SumAcc, column: number): FusedItem | null {
  if (acc.mode === 'big') return acc.inLayout === 'd128' ? { kind: 'sum_d128', column, acc } : null;
  return { kind: acc.mode === 'double' ? 'sum_double' : 'sum_exact', column, acc };
}

/** The fused-loop items of a slot, or null when it needs its own update. */
function fusedParts(s: Slot, final: boolean): FusedItem[] | null {
  const { acc, arg } = s;
  if (acc instanceof CountAcc) {
    if (final) return [{ kind: 'count_merge', column: arg, acc }];
    return [{ kind: s.call.fn === 'count_star' ? 'count_star' : 'count', column: Math.max(arg, 0), acc }];
  }
  if (acc instanceof SumAcc) {
    const p = sumPart(acc, arg);
    return p ? [p] : null;
  }
  if (acc instanceof AvgAcc) {
    const p = sumPart(acc.sum, arg);
    if (!p) return null;
    return [
      p,
      final ? { kind: 'count_merge', column: arg + 1, acc: acc.count } : { kind: 'count', column: arg, acc: acc.count },
    ];
  }
  return null;
}
