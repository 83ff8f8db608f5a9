// Scalar subquery guard: exactly one row out; more than one input row raises 21000, none
// yields a row of NULLs.
import type { RecordBatch } from 'apache-arrow';
import { valuesToBatch } from '../../common/arrow/values.js';
import { SqlError } from '../../common/errors.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { ColumnSchema } from '../../common/types.js';
import { countOutput, type MutableStats, newStats, type Sink } from './operator.js';

export class SingleRowSink implements Sink {
  readonly stats: MutableStats = newStats('EnforceSingleRow');
  private row: RecordBatch | null = null;
  constructor(private readonly output: readonly ColumnSchema[]) {}
  consume(b: RecordBatch): void {
    this.stats.inputRows += b.numRows;
    if (b.numRows === 0) return;
    if (this.row !== null || b.numRows > 1) {
      throw new SqlError(
        SqlStates.cardinalityViolation,
        'more than one row returned by a subquery used as an expression',
      );
    }
    this.row = b;
  }
  *finish(): Iterable<RecordBatch> {
    const out = this.row ?? valuesToBatch([this.output.map(() => null)], this.output);
    countOutput(this.stats, [out]);
    yield out;
  }
}
