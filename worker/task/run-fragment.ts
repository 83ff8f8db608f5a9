// Turns a fragment's physical plan into pipelines (async source -> sync transforms -> sink) and
// streams the root pipeline's batches. Breakers (aggregate, sort, top-n, table write, join
// build sides) drain their input pipeline and become the source of the next one.
import type { RecordBatch } from 'apache-arrow';
import { valuesToBatch } from '../../common/arrow/values.js';
import { assertNever } from '../../common/assert.js';
import type { PhysicalNode } from '../../common/plan/physical.js';
import type { DataType } from '../../common/types.js';
import { AggregateSink } from '../operators/aggregate.js';
import { FilterTransform, ProjectTransform } from '../operators/filter-project.js';
import { HashJoin } from '../operators/hash-join.js';
import { LimitTransform } from '../operators/limit.js';
import { NestedLoopJoin } from '../operators/nested-loop-join.js';
import { countOutput, type MutableStats, newStats, type Sink, type Transform } from '../operators/operator.js';
import { ReplicateTransform } from '../operators/replicate.js';
import { SingleRowSink } from '../operators/single-row.js';
import { SortSink, TopNSink } from '../operators/sort.js';
import { TableWriteSink } from '../operators/table-write.js';
import { WindowSink } from '../operators/window.js';
import type { ExecContext, FragmentRun, RunFragment, TaskInputs } from './api.js';

const YIELD_EVERY_MS = 50;

interface Pipeline {
  readonly prepare: (() => Promise<void>)[];
  readonly source: () => AsyncIterable<RecordBatch> | Iterable<RecordBatch>;
  /** Stats the driver fills for the source (null when the source counts itself). */
  readonly sourceStats: MutableStats | null;
  readonly transforms: Transform[];
}

function typesOf(n: PhysicalNode): DataType[] {
  return n.output.map((c) => c.type);
}

async function* drive(p: Pipeline, ctx: ExecContext): AsyncGenerator<RecordBatch> {
  // Hash builds of one pipeline fill at the same time: a later join's build input (a broadcast)
  // then arrives while an earlier one is built, and dynamic filters are published sooner.
  await Promise.all(p.prepare.map((f) => f()));
  const ts = p.transforms;
  const src = p.source();
  const it =
    Symbol.asyncIterator in src
      ? (src as AsyncIterable<RecordBatch>)[Symbol.asyncIterator]()
      : (src as Iterable<RecordBatch>)[Symbol.iterator]();
  let finished = false;
  let lastYield = performance.now();
  try {
    for (;;) {
      ctx.signal.throwIfAborted();
      if (ts.some((t) => t.done)) break; // e.g. LIMIT 0: pull nothing
      const t0 = performance.now();
      const r = await it.next();
      if (p.sourceStats) p.sourceStats.wallMs += performance.now() - t0;
      if (r.done) {
        finished = true;
        break;
      }
      const batch = r.value;
      if (p.sourceStats) countOutput(p.sourceStats, [batch]);
      let outs = [batch];
      let stop = false;
      for (const t of ts) {
        if (outs.length === 0) break;
        const next: RecordBatch[] = [];
        for (const o of outs) for (const x of t.push(o)) next.push(x);
        outs = next;
        if (t.done) stop = true;
      }
      for (const o of outs) yield o;
      if (stop) break;
      // Long synchronous stretches starve heartbeats and HTTP I/O: yield to the event loop now and then.
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
  } finally {
    if (!finished) await it.return?.();
  }
  for (let k = 0; k < ts.length; k++) {
    ctx.signal.throwIfAborted();
    let outs = ts[k]!.flush();
    for (let m = k + 1; m < ts.length && outs.length; m++) {
      const next: RecordBatch[] = [];
      for (const o of outs) for (const x of ts[m]!.push(o)) next.push(x);
      outs = next;
    }
    for (const o of outs) yield o;
  }
}

async function* runSink(
  input: Pipeline,
  sink: Sink & { abort?(): Promise<void> },
  ctx: ExecContext,
): AsyncGenerator<RecordBatch> {
  try {
    for await (const b of drive(input, ctx)) await sink.consume(b);
  } catch (e) {
    if (sink.abort) await sink.abort().catch(() => undefined);
    throw e;
  }
  yield* sink.finish();
}

class Builder {
  readonly stats: MutableStats[] = [];
  constructor(
    private readonly inputs: TaskInputs,
    private readonly ctx: ExecContext,
  ) {}

  private track<T extends { stats: MutableStats }>(op: T): T {
    this.stats.push(op.stats);
    return op;
  }

  private sinkPipeline(input: Pipeline, sink: Sink & { abort?(): Promise<void> }): Pipeline {
    this.stats.push(sink.stats);
    return { prepare: [], source: () => runSink(input, sink, this.ctx), sourceStats: null, transforms: [] };
  }

  build(node: PhysicalNode): Pipeline {
    switch (node.kind) {
      case 'table_scan': {
        const stats = newStats(`TableScan(${node.catalog})`);
        this.stats.push(stats);
        return { prepare: [], source: () => this.inputs.scan(node, stats), sourceStats: stats, transforms: [] };
      }
      case 'remote_source': {
        const stats = newStats(`RemoteSource(${node.fragmentId})`);
        this.stats.push(stats);
        return { prepare: [], source: () => this.inputs.remote(node.fragmentId), sourceStats: stats, transforms: [] };
      }
      case 'values': {
        const stats = newStats('Values');
        this.stats.push(stats);
        return {
          prepare: [],
          source: () => [valuesToBatch(node.rows, node.output)],
          sourceStats: stats,
          transforms: [],
        };
      }
      case 'filter': {
        const p = this.build(node.input);
        p.transforms.push(this.track(new FilterTransform(node.predicate, typesOf(node.input), node.output)));
        return p;
      }
      case 'project': {
        if (node.input.kind === 'filter') {
          const f = node.input;
          const p = this.build(f.input);
          p.transforms.push(this.track(new ProjectTransform(node.exprs, typesOf(f.input), node.output, f.predicate)));
          return p;
        }
        const p = this.build(node.input);
        p.transforms.push(this.track(new ProjectTransform(node.exprs, typesOf(node.input), node.output)));
        return p;
      }
      case 'limit': {
        const p = this.build(node.input);
        p.transforms.push(this.track(new LimitTransform(node.limit, node.offset)));
        return p;
      }
      case 'aggregate':
        return this.sinkPipeline(this.build(node.input), new AggregateSink(node, typesOf(node.input)));
      case 'sort':
        return this.sinkPipeline(this.build(node.input), new SortSink(node.keys, typesOf(node.input), node.output));
      case 'top_n':
        return this.sinkPipeline(
          this.build(node.input),
          new TopNSink(node.keys, node.limit, typesOf(node.input), node.output),
        );
      case 'table_write': {
        const input = this.build(node.input);
        const writer = this.inputs.sink(node.catalog, node.insertHandle, node.input.output);
        return this.sinkPipeline(input, new TableWriteSink(writer, node.output));
      }
      case 'hash_join':
      case 'nested_loop_join': {
        const probe = this.build(node.probe);
        const buildSide = this.build(node.build);
        const join =
          node.kind === 'hash_join'
            ? new HashJoin(node, typesOf(node.probe), typesOf(node.build))
            : new NestedLoopJoin(node, typesOf(node.probe), typesOf(node.build));
        this.stats.push(join.buildStats);
        probe.prepare.push(async () => {
          for await (const b of drive(buildSide, this.ctx)) {
            const t0 = performance.now();
            join.addBuild(b);
            join.buildStats.wallMs += performance.now() - t0;
          }
          join.finishBuild();
          // The build keys' values, for scans on the probe side (common/plan/dynamic-filter.ts).
          if (node.kind === 'hash_join' && join instanceof HashJoin) {
            for (const df of node.dynamicFilters ?? []) {
              this.inputs.dynamicFilters?.publish(df, join.buildKeySummary(df.buildKey));
            }
          }
        });
        probe.transforms.push(this.track(join));
        return probe;
      }
      case 'union_all': {
        const stats = newStats('UnionAll');
        this.stats.push(stats);
        const parts = node.inputs.map((n) => this.build(n));
        const ctx = this.ctx;
        return {
          prepare: [],
          source: async function* () {
            for (const p of parts) yield* drive(p, ctx);
          },
          sourceStats: stats,
          transforms: [],
        };
      }
      case 'enforce_single_row':
        return this.sinkPipeline(this.build(node.input), new SingleRowSink(node.output));
      case 'replicate': {
        const p = this.build(node.input);
        p.transforms.push(this.track(new ReplicateTransform(node.count, typesOf(node.input), node.output)));
        return p;
      }
      case 'window':
        return this.sinkPipeline(this.build(node.input), new WindowSink(node, typesOf(node.input), this.ctx.signal));
      default:
        return assertNever(node, 'physical node');
    }
  }
}

export const runFragment: RunFragment = (root: PhysicalNode, inputs: TaskInputs, ctx: ExecContext): FragmentRun => {
  const builder = new Builder(inputs, ctx);
  const pipeline = builder.build(root);
  return {
    batches: drive(pipeline, ctx),
    stats: () => builder.stats.map((s) => ({ ...s })),
  };
};
