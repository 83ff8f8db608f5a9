// Worker side: generates a split's units batch by batch, only the requested columns.
import type { RecordBatch } from 'apache-arrow';
import { makeBatch } from '../../common/arrow/batch.js';
import type { Split } from '../../common/plan/task.js';
import type { ColumnSchema } from '../../common/types.js';
import type { PageSource, ReadContext, TableHandle } from '../spi.js';
import { parseSplit } from './handle.js';
import { GENERATORS, UNITS_PER_BATCH } from './tables/index.js';

export function createPageSource(): PageSource {
  return {
    open(split: Split, _handle: TableHandle, columns: readonly ColumnSchema[], ctx: ReadContext) {
      return readSplit(split, columns, ctx.signal);
    },
  };
}

async function* readSplit(
  split: Split,
  columns: readonly ColumnSchema[],
  signal: AbortSignal,
): AsyncGenerator<RecordBatch> {
  const s = parseSplit(split.payload);
  const generate = GENERATORS[s.table];
  const step = UNITS_PER_BATCH[s.table];
  const names = columns.map((c) => c.name);
  for (let start = s.start; start < s.end; start += step) {
    signal.throwIfAborted();
    const chunk = generate(s.sf, start, Math.min(start + step, s.end), names);
    yield makeBatch(columns, chunk.length, chunk.buffers);
  }
}
