// Tributary batches -> zstd Parquet bytes with row-group statistics, through parquet-wasm.
// Short decimals (scaled Float64) are written as real Parquet decimals (Decimal128 built from
// two 32-bit words, no BigInt per value), so other readers see decimal(p,s).
import { type Data, Decimal, Field, makeData, RecordBatch, Schema, Struct, Table, tableToIPC } from 'apache-arrow';
import {
  Compression,
  EnabledStatistics,
  Table as WasmTable,
  type WriterProperties,
  WriterPropertiesBuilder,
  writeParquet,
} from 'parquet-wasm';
import { arrowType } from '../../common/arrow/schema.js';
import type { ColumnSchema } from '../../common/types.js';

export const ROW_GROUP_ROWS = 131_072;
const TWO32 = 4294967296;

function exportField(c: ColumnSchema): Field {
  if (c.type.kind === 'decimal' && c.type.precision <= 15) {
    return new Field(c.name, new Decimal(c.type.scale, c.type.precision, 128), true);
  }
  return new Field(c.name, arrowType(c.type.kind === 'unknown' ? { kind: 'varchar' } : c.type), true);
}

/** Scaled-integer Float64 values -> 128-bit little-endian two's complement words. */
export function shortDecimalWords(values: Float64Array, n: number): Uint32Array {
  const out = new Uint32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const hi = Math.floor(v / TWO32);
    out[i * 4] = v - hi * TWO32;
    out[i * 4 + 1] = hi >>> 0;
    const sign = hi < 0 ? 0xffffffff : 0;
    out[i * 4 + 2] = sign;
    out[i * 4 + 3] = sign;
  }
  return out;
}

function exportData(c: ColumnSchema, field: Field, d: Data): Data {
  if (c.type.kind === 'decimal' && c.type.precision <= 15) {
    const vals = (d.values as Float64Array).subarray(0, d.length);
    return makeData({
      type: field.type as Decimal,
      length: d.length,
      nullCount: d.nullCount,
      nullBitmap: d.nullCount > 0 ? d.nullBitmap : undefined,
      data: shortDecimalWords(vals, d.length),
    });
  }
  if (c.type.kind === 'unknown') {
    return makeData({
      type: field.type,
      length: d.length,
      nullCount: d.length,
      nullBitmap: new Uint8Array((d.length + 7) >> 3),
      valueOffsets: new Int32Array(d.length + 1),
      data: new Uint8Array(0),
    } as never);
  }
  return d.clone(field.type);
}

/** Batches (Tributary layouts of `columns`) as an Arrow IPC stream in the layout written to files. */
export function exportIPC(columns: readonly ColumnSchema[], batches: readonly RecordBatch[]): Uint8Array {
  const fields = columns.map(exportField);
  const schema = new Schema(fields);
  const out = batches.map((b) => {
    const children = columns.map((c, i) => exportData(c, fields[i]!, b.data.children[i]!));
    return new RecordBatch(schema, makeData({ type: new Struct(fields), length: b.numRows, nullCount: 0, children }));
  });
  return tableToIPC(new Table(schema, out), 'stream');
}

/** zstd, chunk statistics, row groups of ROW_GROUP_ROWS. */
export function writerProperties(): WriterProperties {
  return new WriterPropertiesBuilder()
    .setCompression(Compression.ZSTD)
    .setStatisticsEnabled(EnabledStatistics.Chunk)
    .setMaxRowGroupSize(ROW_GROUP_ROWS)
    .setCreatedBy('tributary lake connector')
    .build();
}

/** Encodes batches (Tributary layouts of `columns`) as one Parquet file. */
export function encodeParquet(columns: readonly ColumnSchema[], batches: readonly RecordBatch[]): Uint8Array {
  return writeParquet(WasmTable.fromIPCStream(exportIPC(columns, batches)), writerProperties());
}
