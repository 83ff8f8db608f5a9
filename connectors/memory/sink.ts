// Worker side of INSERT: each sink stores its batches in this process under a fresh data id
// and reports {nodeId, dataId, rows}; the coordinator makes the fragments visible at once.
import { randomUUID } from 'node:crypto';
import type { RecordBatch } from 'apache-arrow';
import { SqlError } from '../../common/errors.js';
import type { JsonValue } from '../../common/json.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { ColumnSchema } from '../../common/types.js';
import type { PageSink, PageSinkWriter, ReadContext } from '../spi.js';
import { MAX_DATA_PER_NODE, type MemoryConfig } from './config.js';
import { appendData, batchBytes, bytesOnNode, createData, deleteData, freeInserts } from './store.js';
import { columnsFromJson, type MemoryFragment, toInsertHandle } from './types.js';

export function memoryPageSink(config: MemoryConfig): PageSink {
  return {
    create(insertHandle: JsonValue, columns: readonly ColumnSchema[], ctx: ReadContext): PageSinkWriter {
      const h = toInsertHandle(insertHandle);
      freeInserts(h.free);
      const tableColumns = columnsFromJson(h.columns);
      if (columns.length !== tableColumns.length) {
        throw SqlError.internal(
          `memory connector: writing ${columns.length} columns into a table of ${tableColumns.length}`,
        );
      }
      const dataId = `${h.insertId}/${randomUUID()}`;
      const entry = createData(dataId, ctx.nodeId, tableColumns);
      let done = false;
      return {
        async append(batch: RecordBatch): Promise<void> {
          if (done) throw SqlError.internal('memory connector: append after finish/abort');
          if (batch.numRows === 0) return;
          if (batch.numCols !== tableColumns.length) {
            throw SqlError.internal(
              `memory connector: batch of ${batch.numCols} columns for a table of ${tableColumns.length}`,
            );
          }
          const bytes = batchBytes(batch);
          if (bytesOnNode(ctx.nodeId) + bytes > config.maxDataPerNode) {
            throw new SqlError(
              SqlStates.insufficientResources,
              `memory connector: node ${ctx.nodeId} would hold more than ${config.maxDataPerNode} bytes of table data (${MAX_DATA_PER_NODE})`,
            );
          }
          appendData(entry, batch, bytes);
        },
        async finish(): Promise<JsonValue> {
          done = true;
          if (entry.rows === 0) deleteData(dataId);
          const fragment: MemoryFragment = { nodeId: ctx.nodeId, dataId, rows: entry.rows };
          return fragment;
        },
        async abort(): Promise<void> {
          done = true;
          deleteData(dataId);
        },
      };
    },
  };
}
