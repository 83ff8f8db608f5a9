// INSERT: streams its input into the catalog's page sink, then outputs one row
// (rows bigint, fragment varchar = the JSON the connector's finishInsert receives).
import type { RecordBatch } from 'apache-arrow';
import { valuesToBatch } from '../../common/arrow/values.js';
import type { ColumnSchema } from '../../common/types.js';
import type { PageSinkWriter } from '../../connectors/spi.js';
import { countOutput, type MutableStats, newStats, type Sink } from './operator.js';

export class TableWriteSink implements Sink {
  readonly stats: MutableStats = newStats('TableWrite');
  private rows = 0;
  constructor(
    private readonly writer: PageSinkWriter,
    private readonly output: readonly ColumnSchema[],
  ) {}
  async consume(b: RecordBatch): Promise<void> {
    const t0 = performance.now();
    this.stats.inputRows += b.numRows;
    this.rows += b.numRows;
    if (b.numRows > 0) await this.writer.append(b);
    this.stats.wallMs += performance.now() - t0;
  }
  async abort(): Promise<void> {
    await this.writer.abort();
  }
  async *finish(): AsyncIterable<RecordBatch> {
    const fragment = await this.writer.finish();
    const out = valuesToBatch([[String(this.rows), JSON.stringify(fragment)]], this.output);
    countOutput(this.stats, [out]);
    yield out;
  }
}
