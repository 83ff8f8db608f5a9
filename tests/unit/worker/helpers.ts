// Test helpers: build batches from plain rows, read batches back into plain rows, run plans.
import type { RecordBatch } from 'apache-arrow';
import { schemaColumns } from '../../../common/arrow/schema.js';
import { valuesToBatch } from '../../../common/arrow/values.js';
import type { Expr, LiteralValue } from '../../../common/expr/expr.js';
import { formatValue, type KernelValue } from '../../../common/expr/literal.js';
import type { PhysicalNode } from '../../../common/plan/physical.js';
import type { ColumnSchema, DataType } from '../../../common/types.js';
import { BOOLEAN } from '../../../common/types.js';
import { d128Get, layoutOf, readBatch } from '../../../worker/expressions/vector.js';
import type { ExecContext, TaskInputs } from '../../../worker/task/api.js';
import { runFragment } from '../../../worker/task/run-fragment.js';

export type Row = KernelValue[];

/** Plain kernel values (number / bigint / string / boolean / null) of every row. */
export function batchRows(batch: RecordBatch): Row[] {
  const schema = schemaColumns(batch.schema);
  const types = schema.map((c) => c.type);
  const cols = readBatch(batch, types);
  const dec = new TextDecoder();
  const rows: Row[] = [];
  for (let i = 0; i < batch.numRows; i++) {
    rows.push(
      cols.map((c, j) => {
        const m = c.validity;
        if (m !== null && ((m[i >> 3]! >> (i & 7)) & 1) === 0) return null;
        switch (layoutOf(types[j]!)) {
          case 'bool':
            return (((c.values as Uint8Array)[i >> 3]! >> (i & 7)) & 1) === 1;
          case 'utf8':
            return dec.decode((c.values as Uint8Array).subarray(c.offsets![i]!, c.offsets![i + 1]!));
          case 'd128':
            return d128Get(c.values as Uint32Array, i);
          case 'null':
            return null;
          default:
            return c.values[i] as number | bigint;
        }
      }),
    );
  }
  return rows;
}

/** Rows as text (PostgreSQL output format), convenient for comparisons. */
export function batchText(batches: readonly RecordBatch[]): (string | null)[][] {
  const out: (string | null)[][] = [];
  for (const b of batches) {
    const types = schemaColumns(b.schema).map((c) => c.type);
    for (const r of batchRows(b)) out.push(r.map((v, j) => formatValue(v, types[j]!)));
  }
  return out;
}

export function allRows(batches: readonly RecordBatch[]): Row[] {
  return batches.flatMap(batchRows);
}

export function cols(...spec: [string, DataType][]): ColumnSchema[] {
  return spec.map(([name, type]) => ({ name, type }));
}

export function values(columns: ColumnSchema[], rows: LiteralValue[][]): PhysicalNode {
  return { kind: 'values', rows, output: columns };
}

export function batchOf(columns: ColumnSchema[], rows: LiteralValue[][]): RecordBatch {
  return valuesToBatch(rows, columns);
}

export const col = (index: number, type: DataType): Expr => ({ kind: 'column', index, type });
export const lit = (value: LiteralValue, type: DataType): Expr => ({ kind: 'literal', value, type });
export const call = (fn: string, type: DataType, ...args: Expr[]): Expr => ({ kind: 'call', fn, args, type });
export const cmp = (fn: string, a: Expr, b: Expr): Expr => call(fn, BOOLEAN, a, b);

export function testInputs(opts: {
  remote?: Record<number, RecordBatch[]>;
  scan?: RecordBatch[];
  written?: RecordBatch[];
}): TaskInputs {
  return {
    async *remote(id) {
      for (const b of opts.remote?.[id] ?? []) yield b;
    },
    async *scan() {
      for (const b of opts.scan ?? []) yield b;
    },
    sink() {
      return {
        async append(b) {
          opts.written?.push(b);
        },
        async finish() {
          return { files: ['f1'] };
        },
        async abort() {},
      };
    },
  };
}

export function testContext(signal: AbortSignal = new AbortController().signal): ExecContext {
  return { signal, session: { user: 'test', timeZone: 'UTC' }, nodeId: 'w1' };
}

export async function run(root: PhysicalNode, inputs: TaskInputs = testInputs({})): Promise<RecordBatch[]> {
  const r = runFragment(root, inputs, testContext());
  const out: RecordBatch[] = [];
  for await (const b of r.batches) out.push(b);
  return out;
}

export async function runRows(root: PhysicalNode, inputs?: TaskInputs): Promise<Row[]> {
  return allRows(await run(root, inputs));
}
