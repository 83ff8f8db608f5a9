// Shared helpers for the tpch connector tests: read a table through the connector SPI.
import type { RecordBatch } from 'apache-arrow';
import { columnData } from '../../../../common/arrow/batch.js';
import type { NodeInfo } from '../../../../common/plan/task.js';
import type { ColumnSchema } from '../../../../common/types.js';
import type { Connector, MetaContext } from '../../../../connectors/spi.js';
import { tpchConnectorFactory } from '../../../../connectors/tpch/index.js';

export function connector(props: Record<string, string> = {}): Connector {
  return tpchConnectorFactory.create({
    catalog: { name: 'tpch', connectorName: 'tpch', properties: props, configDir: '.' },
    role: 'coordinator',
    nodeId: 'test',
  });
}

export function metaContext(workers = 1): MetaContext {
  const nodes: NodeInfo[] = Array.from({ length: workers }, (_, i) => ({
    nodeId: `w${i}`,
    httpUri: `http://127.0.0.1:${1000 + i}`,
    nodeVersion: 'test',
    coordinator: false,
    state: 'active',
  }));
  return { session: { user: 'test', timeZone: 'UTC' }, workers: nodes };
}

export interface Read {
  readonly columns: readonly ColumnSchema[];
  readonly batches: readonly RecordBatch[];
  readonly rows: number;
}

/** Reads `schema.table` (all columns unless named) through getTable/getSplits/pageSource. */
export async function readTable(
  c: Connector,
  schema: string,
  table: string,
  names?: readonly string[],
  workers = 1,
  firstBatchOnly = false,
): Promise<Read> {
  const ctx = metaContext(workers);
  const info = await c.metadata.getTable(schema, table, ctx);
  if (!info) throw new Error(`no table ${schema}.${table}`);
  const columns = names ? names.map((n) => info.columns.find((x) => x.name === n)!) : info.columns;
  const splits = await c.splits.getSplits(info.handle, ctx);
  const batches: RecordBatch[] = [];
  const signal = new AbortController().signal;
  for (const split of splits) {
    for await (const b of c.pageSource.open(split, info.handle, columns, {
      signal,
      session: ctx.session,
      nodeId: 'w0',
    })) {
      batches.push(b);
      if (firstBatchOnly) break;
    }
    if (firstBatchOnly) break;
  }
  return { columns, batches, rows: batches.reduce((n, b) => n + b.numRows, 0) };
}

/** A column's values concatenated over batches as plain numbers (numeric/date columns). */
export function numbers(r: Read, name: string): Float64Array {
  const i = r.columns.findIndex((c) => c.name === name);
  const out = new Float64Array(r.rows);
  let k = 0;
  for (const b of r.batches) {
    const values = columnData(b, i).values as Int32Array | Float64Array;
    for (let j = 0; j < b.numRows; j++) out[k++] = values[j]!;
  }
  return out;
}

/** A varchar column's values concatenated over batches. */
export function strings(r: Read, name: string): string[] {
  const i = r.columns.findIndex((c) => c.name === name);
  const out: string[] = [];
  const dec = new TextDecoder();
  for (const b of r.batches) {
    const d = columnData(b, i);
    const offsets = d.valueOffsets as Int32Array;
    const bytes = d.values as Uint8Array;
    for (let j = 0; j < b.numRows; j++) out.push(dec.decode(bytes.subarray(offsets[j]!, offsets[j + 1]!)));
  }
  return out;
}

/** Order-sensitive FNV-1a hash of every column of a read (values, not batch boundaries). */
export function hashRead(r: Read): string {
  return r.columns
    .map((c) => {
      let h = 0x811c9dc5;
      const mix = (x: number) => {
        h = Math.imul(h ^ x, 0x01000193) >>> 0;
      };
      if (c.type.kind === 'varchar')
        for (const s of strings(r, c.name)) {
          for (let i = 0; i < s.length; i++) mix(s.charCodeAt(i));
          mix(0xffff);
        }
      else
        for (const v of numbers(r, c.name)) {
          mix(v | 0);
          mix(Math.floor(v / 4294967296));
        }
      return `${c.name}:${h.toString(16)}`;
    })
    .join(',');
}

export function epochDay(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
}
