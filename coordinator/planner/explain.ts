// EXPLAIN text: fragments (stages) with their distribution and output partitioning, and the
// operator tree of each, with what was pushed into scans.
import { assertNever } from '../../common/assert.js';
import type { Expr } from '../../common/expr/expr.js';
import { formatValue } from '../../common/expr/literal.js';
import type { DynamicFilterScanStats } from '../../common/plan/dynamic-filter.js';
import { type PhysicalNode, type PlanFragment, physicalChildren } from '../../common/plan/physical.js';
import type { TaskStats } from '../../common/plan/task.js';
import { typeToSql } from '../../common/types.js';
import type { FragmentedPlan } from './fragmenter.js';

export interface ExplainOptions {
  /** `columns`: what the scan reads (connector column names). */
  describeHandle(catalog: string, handle: unknown, columns: readonly string[]): string | undefined;
  /** EXPLAIN ANALYZE: stats of the tasks that ran. */
  readonly stats?: readonly TaskStats[];
}

export function explainText(plan: FragmentedPlan, opts: ExplainOptions): string[] {
  const lines: string[] = [];
  const ordered = [...plan.fragments].sort((a, b) => b.id - a.id);
  for (const f of ordered) {
    lines.push(fragmentHeader(f, f.id === plan.rootFragmentId));
    if (opts.stats) lines.push(...fragmentStats(f, opts.stats));
    printNode(f.root, 1, lines, opts);
    lines.push('');
  }
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function fragmentHeader(f: PlanFragment, root: boolean): string {
  const out =
    f.outputPartitioning.kind === 'hash'
      ? `hash(${f.outputPartitioning.keys.map((k) => `#${k}`).join(', ')})`
      : f.outputPartitioning.kind;
  return `Fragment ${f.id} [${f.distribution}]${root ? ' (output)' : ''} -> output: ${out}`;
}

function fragmentStats(f: PlanFragment, stats: readonly TaskStats[]): string[] {
  const mine = stats.filter((s) => s.taskId.split('.')[1] === String(f.id));
  const lines = mine.map(
    (s) =>
      `  task ${s.taskId} on ${s.nodeId}: ${s.splits} splits, ${s.outputRows} rows, ${fmtBytes(s.outputBytes)}, ${s.elapsedMs.toFixed(1)} ms`,
  );
  // Operators summed over the fragment's tasks (the slowest task's time), in pipeline order.
  const ops = new Map<
    string,
    { input: number; output: number; bytes: number; ms: number; df?: DynamicFilterScanStats | undefined }
  >();
  for (const s of mine) {
    for (const o of s.operators) {
      const acc = ops.get(o.operator) ?? { input: 0, output: 0, bytes: 0, ms: 0 };
      acc.input += o.inputRows;
      acc.output += o.outputRows;
      acc.bytes += o.outputBytes;
      acc.ms = Math.max(acc.ms, o.wallMs);
      if (o.dynamicFilter) acc.df = acc.df ? addScanStats(acc.df, o.dynamicFilter) : o.dynamicFilter;
      ops.set(o.operator, acc);
    }
  }
  for (const [name, o] of ops) {
    lines.push(`    ${name}: in ${o.input} rows, out ${o.output} rows, ${fmtBytes(o.bytes)}, ${o.ms.toFixed(1)} ms`);
    if (o.df) lines.push(...dynamicFilterLines(o.df));
  }
  return lines;
}

function addScanStats(a: DynamicFilterScanStats, b: DynamicFilterScanStats): DynamicFilterScanStats {
  const sum = (k: Exclude<keyof DynamicFilterScanStats, 'filters' | 'waitMs'>) => a[k] + b[k];
  return {
    filters: [...new Set([...a.filters, ...b.filters])],
    waitMs: Math.max(a.waitMs, b.waitMs),
    rowsRead: sum('rowsRead'),
    rowsFiltered: sum('rowsFiltered'),
    splits: sum('splits'),
    splitsSkipped: sum('splitsSkipped'),
    files: sum('files'),
    filesSkipped: sum('filesSkipped'),
    partitions: sum('partitions'),
    partitionsSkipped: sum('partitionsSkipped'),
    rowGroups: sum('rowGroups'),
    rowGroupsSkipped: sum('rowGroupsSkipped'),
  };
}

/** EXPLAIN ANALYZE: what a scan's dynamic filters were and what they saved. */
function dynamicFilterLines(d: DynamicFilterScanStats): string[] {
  const read = (total: number, skipped: number, what: string) => `${total - skipped}/${total} ${what}`;
  const parts = [`${d.rowsRead} rows read (${d.rowsFiltered} filtered after the scan)`];
  parts.push(read(d.splits, d.splitsSkipped, 'splits'));
  if (d.files > 0) parts.push(read(d.files, d.filesSkipped, 'files'));
  if (d.partitions > 0) parts.push(read(d.partitions, d.partitionsSkipped, 'partitions'));
  if (d.rowGroups > 0) parts.push(read(d.rowGroups, d.rowGroupsSkipped, 'row groups'));
  return [
    `      dynamic filters: ${d.filters.join('; ')} (waited ${d.waitMs} ms)`,
    `      dynamic filtering read: ${parts.join(', ')}`,
  ];
}

function fmtBytes(b: number): string {
  return b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MB` : b >= 1024 ? `${(b / 1024).toFixed(1)} kB` : `${b} B`;
}

function printNode(n: PhysicalNode, depth: number, lines: string[], opts: ExplainOptions): void {
  const pad = '  '.repeat(depth);
  const cols = (n.output ?? []).map((c) => c.name);
  lines.push(`${pad}${describe(n, opts)}`);
  if (n.kind !== 'table_write') lines.push(`${pad}    => [${cols.join(', ')}]`);
  for (const c of childrenOf(n)) printNode(c, depth + 1, lines, opts);
}

function childrenOf(n: PhysicalNode): readonly PhysicalNode[] {
  return physicalChildren(n);
}

function describe(n: PhysicalNode, opts: ExplainOptions): string {
  switch (n.kind) {
    case 'table_scan': {
      const extra = opts.describeHandle(n.catalog, n.handle, n.columns);
      const df = n.dynamicFilters?.length
        ? ` dynamicFilters=[${n.dynamicFilters.map((d) => `${d.id}: ${n.columns[d.column] ?? `#${d.column}`}`).join(', ')}]`
        : '';
      return `TableScan ${n.catalog} columns=[${n.columns.join(', ')}]${extra ? ` ${extra}` : ''}${df}`;
    }
    case 'values':
      return `Values ${n.rows.length} rows`;
    case 'remote_source':
      return `RemoteSource fragment ${n.fragmentId}`;
    case 'filter':
      return `Filter ${exprText(
        n.predicate,
        n.input.output.map((c) => c.name),
      )}`;
    case 'project': {
      const names = n.input.output.map((c) => c.name);
      return `Project ${n.exprs.map((e, i) => `${n.output[i]?.name} := ${exprText(e, names)}`).join(', ')}`;
    }
    case 'aggregate': {
      const names = n.input.output.map((c) => c.name);
      const keys = n.groupBy.map((k) => names[k] ?? `#${k}`);
      const aggs = n.aggregates.map(
        (a) =>
          `${a.fn === 'count_star' ? 'count(*)' : `${a.fn}(${a.distinct ? 'DISTINCT ' : ''}${a.args.map((x) => names[x] ?? `#${x}`).join(', ')}${a.orderBy ? ` ORDER BY ${sortText(a.orderBy, names)}` : ''})`}`,
      );
      return `Aggregate(${n.step}) keys=[${keys.join(', ')}] aggregates=[${aggs.join(', ')}]`;
    }
    case 'hash_join': {
      const p = n.probe.output.map((c) => c.name);
      const b = n.build.output.map((c) => c.name);
      const keys = n.probeKeys.map((k, i) => `${p[k]} = ${b[n.buildKeys[i]!]}`);
      const residual = n.residual ? ` residual=${exprText(n.residual, [...p, ...b])}` : '';
      const df = n.dynamicFilters?.length
        ? ` dynamicFilters=[${n.dynamicFilters.map((d) => `${d.id}: ${b[n.buildKeys[d.buildKey] ?? -1] ?? '?'}`).join(', ')}]`
        : '';
      return `HashJoin ${n.joinType.toUpperCase().replace('_', ' ')}${n.nullAware ? ' (null-aware)' : ''} [${keys.join(' AND ')}]${residual}${df}`;
    }
    case 'nested_loop_join': {
      const names = [...n.probe.output, ...n.build.output].map((c) => c.name);
      return `NestedLoopJoin ${n.joinType.toUpperCase()}${n.condition ? ` on ${exprText(n.condition, names)}` : ''}`;
    }
    case 'sort':
      return `Sort [${sortText(
        n.keys,
        n.input.output.map((c) => c.name),
      )}]`;
    case 'top_n':
      return `TopN ${n.limit} [${sortText(
        n.keys,
        n.input.output.map((c) => c.name),
      )}]`;
    case 'limit':
      return `Limit ${n.limit ?? 'ALL'}${n.offset ? ` offset ${n.offset}` : ''}`;
    case 'table_write':
      return `TableWrite ${n.catalog}`;
    case 'union_all':
      return `UnionAll ${n.inputs.length} inputs`;
    case 'window': {
      const names = n.input.output.map((c) => c.name);
      const part = n.partitionBy.map((k) => names[k] ?? `#${k}`).join(', ');
      const fns = n.functions.map((f) => `${f.fn}(${f.args.map((a) => names[a] ?? `#${a}`).join(', ')})`).join(', ');
      return `Window partition=[${part}] order=[${sortText(n.orderBy, names)}] functions=[${fns}]`;
    }
    case 'enforce_single_row':
      return 'EnforceSingleRow';
    case 'replicate':
      return `Replicate count=${n.input.output[n.count]?.name ?? `#${n.count}`}`;
    default:
      return assertNever(n, 'physical node');
  }
}

function sortText(
  keys: readonly { index: number; ascending: boolean; nullsFirst: boolean }[],
  names: string[],
): string {
  return keys
    .map(
      (k) =>
        `${names[k.index] ?? `#${k.index}`} ${k.ascending ? 'ASC' : 'DESC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`,
    )
    .join(', ');
}

const INFIX: Record<string, string> = {
  add: '+',
  subtract: '-',
  multiply: '*',
  divide: '/',
  modulus: '%',
  eq: '=',
  ne: '<>',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
  concat_op: '||',
  like: 'LIKE',
  ilike: 'ILIKE',
};

/** Readable SQL-ish text of a physical expression (column positions shown by name). */
export function exprText(e: Expr, names: readonly string[]): string {
  const t = (x: Expr) => exprText(x, names);
  switch (e.kind) {
    case 'column':
      return names[e.index] ?? `#${e.index}`;
    case 'ref':
      return e.id;
    case 'param':
      return `$${e.index}`;
    case 'literal':
      if (e.value === null) return 'NULL';
      if (e.type.kind === 'varchar' || e.type.kind === 'unknown') return `'${String(e.value).replace(/'/g, "''")}'`;
      if (e.type.kind === 'decimal') return decimalText(String(e.value), e.type.scale);
      if (e.type.kind === 'date' || e.type.kind === 'timestamp' || e.type.kind === 'timestamptz') {
        return `${typeToSql(e.type).toUpperCase()} ${e.value}`;
      }
      if (e.type.kind === 'interval') return `INTERVAL '${formatValue(e.value, e.type)}'`;
      return String(e.value);
    case 'call': {
      const op = INFIX[e.fn];
      if (op && e.args.length === 2) return `(${t(e.args[0]!)} ${op} ${t(e.args[1]!)})`;
      return `${e.fn}(${e.args.map(t).join(', ')})`;
    }
    case 'cast':
      return `CAST(${t(e.arg)} AS ${typeToSql(e.type)})`;
    case 'and':
    case 'or':
      return `(${e.args.map(t).join(` ${e.kind.toUpperCase()} `)})`;
    case 'not':
      return `(NOT ${t(e.arg)})`;
    case 'is_null':
      return `(${t(e.arg)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'in':
      return `(${t(e.arg)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map(t).join(', ')}))`;
    case 'case':
      return `CASE ${e.whens.map((w) => `WHEN ${t(w.when)} THEN ${t(w.result)}`).join(' ')}${e.otherwise ? ` ELSE ${t(e.otherwise)}` : ''} END`;
    default:
      return assertNever(e, 'expression');
  }
}

function decimalText(unscaled: string, scale: number): string {
  if (scale === 0) return unscaled;
  const neg = unscaled.startsWith('-');
  const digits = (neg ? unscaled.slice(1) : unscaled).padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
