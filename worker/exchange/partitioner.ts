// Splits a batch into hash partitions of its key columns. The hash is deterministic across
// workers and batches (worker/operators/hash.ts); all rows whose keys are NULL land together.
import type { RecordBatch } from 'apache-arrow';
import { schemaColumns } from '../../common/arrow/schema.js';
import { colsToBatch, layoutOf, readBatch, takeCol } from '../expressions/vector.js';
import { hashColumns } from '../operators/hash.js';

export function partitionBatch(batch: RecordBatch, keys: number[], partitions: number): (RecordBatch | null)[] {
  const n = batch.numRows;
  if (partitions <= 1) return [n > 0 ? batch : null];
  const out: (RecordBatch | null)[] = new Array(partitions).fill(null);
  if (n === 0) return out;
  const schema = schemaColumns(batch.schema);
  const types = schema.map((c) => c.type);
  const layouts = types.map(layoutOf);
  const cols = readBatch(batch, types);
  const hashes = new Uint32Array(n);
  hashColumns(
    keys.map((k) => cols[k]!),
    keys.map((k) => layouts[k]!),
    n,
    hashes,
  );
  const counts = new Int32Array(partitions);
  const part = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = hashes[i]! % partitions;
    part[i] = p;
    counts[p]!++;
  }
  for (let p = 0; p < partitions; p++) {
    if (counts[p] === n) {
      out[p] = batch;
      return out;
    }
  }
  const idx = new Int32Array(n);
  const start = new Int32Array(partitions + 1);
  for (let p = 0; p < partitions; p++) start[p + 1] = start[p]! + counts[p]!;
  const fill = start.slice(0, partitions);
  for (let i = 0; i < n; i++) idx[fill[part[i]!]!++] = i;
  for (let p = 0; p < partitions; p++) {
    const c = counts[p]!;
    if (c === 0) continue;
    const sel = idx.subarray(start[p]!, start[p]! + c);
    out[p] = colsToBatch(
      schema,
      cols.map((col, j) => takeCol(col, layouts[j]!, sel, c)),
      c,
    );
  }
  return out;
}
