// Worker side: decodes the rows shipped in the split; nothing is looked up locally.
import type { RecordBatch } from 'apache-arrow';
import type { Split } from '../../common/plan/task.js';
import type { ColumnSchema } from '../../common/types.js';
import type { PageSource, ReadContext, TableHandle } from '../spi.js';
import { decodeBatches, toRowsPayload } from './encode.js';

export const systemPageSource: PageSource = {
  async *open(
    split: Split,
    _handle: TableHandle,
    columns: readonly ColumnSchema[],
    ctx: ReadContext,
  ): AsyncIterable<RecordBatch> {
    for (const batch of decodeBatches(toRowsPayload(split.payload), columns)) {
      ctx.signal.throwIfAborted();
      yield batch;
    }
  },
};
