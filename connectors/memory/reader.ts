// Worker side: reads the batches a page sink stored in this process, keeping only the
// requested columns (zero-copy: the stored column Data is reused).
import type { RecordBatch } from 'apache-arrow';
import { batchFromData, columnData } from '../../common/arrow/batch.js';
import { SqlError } from '../../common/errors.js';
import type { Split } from '../../common/plan/task.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { ColumnSchema } from '../../common/types.js';
import type { PageSource, ReadContext, TableHandle } from '../spi.js';
import { freeInserts, getData } from './store.js';
import { toSplitPayload, toTableHandle } from './types.js';

export const memoryPageSource: PageSource = {
  async *open(
    split: Split,
    handle: TableHandle,
    columns: readonly ColumnSchema[],
    ctx: ReadContext,
  ): AsyncIterable<RecordBatch> {
    const payload = toSplitPayload(split.payload);
    freeInserts(payload.free);
    const data = getData(payload.dataId);
    if (!data) {
      const h = toTableHandle(handle);
      throw new SqlError(
        SqlStates.connectionFailure,
        `memory table ${split.catalog}.${h.schema}.${h.table}: its data on node ${ctx.nodeId} was lost (the worker restarted)`,
      );
    }
    const positions = columns.map((c) => {
      const i = data.columns.findIndex((d) => d.name === c.name);
      if (i < 0) throw SqlError.internal(`memory connector: no column ${c.name} in stored data`);
      return i;
    });
    for (const batch of data.batches) {
      ctx.signal.throwIfAborted();
      yield batchFromData(
        columns,
        batch.numRows,
        positions.map((i) => columnData(batch, i)),
      );
    }
  },
};
