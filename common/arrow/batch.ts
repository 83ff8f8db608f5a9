// Building and reading record batches from raw buffers, without per-value Arrow calls.
// Layouts per SQL type: see ./schema.ts.
import { type Data, makeData, RecordBatch, Struct } from 'apache-arrow';
import type { ColumnSchema } from '../types.js';
import { arrowSchema, arrowType } from './schema.js';

/**
 * Raw buffers of one column. `values`: the typed array of the layout (Uint8Array bit-packed for
 * boolean, Uint8Array UTF-8 bytes for varchar, Uint32Array of 4 words per value for long
 * decimals); `offsets`: Int32Array(length + 1) for varchar; `validity`: Arrow bitmap (bit set =
 * not null) or null when no value is NULL.
 */
export interface ColumnBuffers {
  readonly values: ArrayBufferView;
  readonly offsets?: Int32Array;
  readonly validity: Uint8Array | null;
  readonly nullCount?: number;
}

export function makeColumnData(c: ColumnSchema, length: number, b: ColumnBuffers): Data {
  const type = arrowType(c.type);
  const nullCount = b.validity ? (b.nullCount ?? countNulls(b.validity, length)) : 0;
  // biome-ignore lint/suspicious/noExplicitAny: makeData is overloaded per Arrow type; the layout is checked by arrowType above.
  const props: any = { type, length, nullCount, nullBitmap: b.validity ?? undefined, data: b.values };
  if (c.type.kind === 'varchar') props.valueOffsets = b.offsets;
  if (c.type.kind === 'unknown') return makeData({ type, length, nullCount: length } as never);
  return makeData(props);
}

export function makeBatch(
  columns: readonly ColumnSchema[],
  length: number,
  buffers: readonly ColumnBuffers[],
): RecordBatch {
  const schema = arrowSchema(columns);
  const children = columns.map((c, i) => {
    const b = buffers[i];
    if (!b) throw new Error(`makeBatch: no buffers for column ${i}`);
    return makeColumnData(c, length, b);
  });
  const data = makeData({ type: new Struct(schema.fields), length, nullCount: 0, children });
  return new RecordBatch(schema, data);
}

/** Batch from already-built column Data (e.g. sliced or reused from another batch). */
export function batchFromData(
  columns: readonly ColumnSchema[],
  length: number,
  children: readonly Data[],
): RecordBatch {
  const schema = arrowSchema(columns);
  const data = makeData({ type: new Struct(schema.fields), length, nullCount: 0, children: [...children] });
  return new RecordBatch(schema, data);
}

export function emptyBatch(columns: readonly ColumnSchema[]): RecordBatch {
  return makeBatch(
    columns,
    0,
    columns.map((c) => ({
      values: emptyValues(c),
      ...(c.type.kind === 'varchar' ? { offsets: new Int32Array(1) } : {}),
      validity: null,
    })),
  );
}

function emptyValues(c: ColumnSchema): ArrayBufferView {
  switch (c.type.kind) {
    case 'bigint':
    case 'timestamp':
    case 'timestamptz':
      return new BigInt64Array(0);
    case 'integer':
    case 'date':
    case 'interval':
      return new Int32Array(0);
    case 'double':
      return new Float64Array(0);
    case 'decimal':
      return c.type.precision <= 15 ? new Float64Array(0) : new Uint32Array(0);
    default:
      return new Uint8Array(0);
  }
}

export function countNulls(validity: Uint8Array, length: number): number {
  let valid = 0;
  for (let i = 0; i < length; i++) valid += (validity[i >> 3]! >> (i & 7)) & 1;
  return length - valid;
}

/** The single Data chunk of a batch column (a RecordBatch column always has exactly one). */
export function columnData(batch: RecordBatch, index: number): Data {
  const child = batch.data.children[index];
  if (!child) throw new Error(`batch has no column ${index}`);
  return child;
}
