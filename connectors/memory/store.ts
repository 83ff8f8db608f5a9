// The rows of memory tables, held by the worker process that wrote them (process-wide, shared
// by every memory catalog of the process; data ids are unique across catalogs and nodes).
//
// Freeing is lazy: the coordinator cannot call into workers, so when a table is dropped or an
// insert aborted it remembers the insert ids to free (a bounded list, see metadata.ts) and
// ships them inside every split and insert handle of the catalog; a worker frees the matching
// data when it opens a split or a sink. Data of a dropped table therefore stays on a worker
// until the next memory scan or insert on that worker (or until the process exits).
import type { RecordBatch } from 'apache-arrow';
import type { ColumnSchema } from '../../common/types.js';
import { insertIdOf } from './types.js';

export interface StoredData {
  readonly nodeId: string;
  readonly columns: readonly ColumnSchema[];
  readonly batches: RecordBatch[];
  rows: number;
  bytes: number;
}

const store = new Map<string, StoredData>();
const bytesByNode = new Map<string, number>();

export function getData(dataId: string): StoredData | undefined {
  return store.get(dataId);
}

export function createData(dataId: string, nodeId: string, columns: readonly ColumnSchema[]): StoredData {
  const entry: StoredData = { nodeId, columns, batches: [], rows: 0, bytes: 0 };
  store.set(dataId, entry);
  return entry;
}

export function appendData(entry: StoredData, batch: RecordBatch, bytes: number): void {
  entry.batches.push(batch);
  entry.rows += batch.numRows;
  entry.bytes += bytes;
  bytesByNode.set(entry.nodeId, (bytesByNode.get(entry.nodeId) ?? 0) + bytes);
}

export function deleteData(dataId: string): void {
  const entry = store.get(dataId);
  if (!entry) return;
  store.delete(dataId);
  const left = (bytesByNode.get(entry.nodeId) ?? 0) - entry.bytes;
  if (left > 0) bytesByNode.set(entry.nodeId, left);
  else bytesByNode.delete(entry.nodeId);
}

/** Frees all data written by the given inserts (the lazy free list shipped by the coordinator). */
export function freeInserts(insertIds: readonly string[]): void {
  if (insertIds.length === 0 || store.size === 0) return;
  const ids = new Set(insertIds);
  for (const dataId of [...store.keys()]) {
    if (ids.has(insertIdOf(dataId))) deleteData(dataId);
  }
}

/** Bytes held for one node (memory.max-data-per-node). */
export function bytesOnNode(nodeId: string): number {
  return bytesByNode.get(nodeId) ?? 0;
}

/** Number of stored chunks (for tests and the runtime view). */
export function storedDataCount(): number {
  return store.size;
}

/** Buffer bytes of a batch: values, offsets and validity of every column. */
export function batchBytes(batch: RecordBatch): number {
  let total = 0;
  for (const child of batch.data.children) {
    total += child.values?.byteLength ?? 0;
    total += child.valueOffsets?.byteLength ?? 0;
    total += child.nullBitmap?.byteLength ?? 0;
  }
  return total;
}
