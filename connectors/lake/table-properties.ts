// Table properties of CREATE TABLE ... WITH (...) in the lake (Trino Hive connector names):
//   partitioned_by = ARRAY['col', ...]   columns written as `col=value/` directories, in this
//                                        order; of type integer, bigint, date or varchar
//   format = 'PARQUET'                   the only format
// Anything else is an error naming the property.
import { SqlError } from '../../common/errors.js';
import type { JsonValue } from '../../common/json.js';
import { SqlStates } from '../../common/sqlstate.js';
import { type ColumnSchema, typeToSql } from '../../common/types.js';

export interface LakeTableProperties {
  readonly partitionedBy?: readonly string[];
}

const PARTITION_TYPES = new Set(['integer', 'bigint', 'date', 'varchar']);

function invalid(message: string): SqlError {
  return new SqlError(SqlStates.invalidParameterValue, message);
}

export function tableProperties(
  props: Readonly<Record<string, JsonValue>>,
  columns: readonly ColumnSchema[],
): LakeTableProperties {
  // parquet-wasm (arrow-rs) cannot write Arrow's MONTH_DAY_NANO intervals, and Parquet's own
  // INTERVAL (months, days, milliseconds) would lose microseconds.
  const interval = columns.find((c) => c.type.kind === 'interval');
  if (interval) throw SqlError.unsupported(`lake: column '${interval.name}' of type interval`);
  let partitionedBy: string[] | undefined;
  for (const [rawKey, value] of Object.entries(props)) {
    const key = rawKey.toLowerCase();
    if (key === 'format') {
      if (typeof value !== 'string' || value.toUpperCase() !== 'PARQUET') {
        throw invalid(`lake: table property 'format' must be 'PARQUET', got ${JSON.stringify(value)}`);
      }
      continue;
    }
    if (key === 'partitioned_by') {
      const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : undefined;
      if (!list?.every((v): v is string => typeof v === 'string')) {
        throw invalid(`lake: table property 'partitioned_by' must be an ARRAY of column names`);
      }
      partitionedBy = [];
      for (const raw of list) {
        const name = raw.toLowerCase();
        const col = columns.find((c) => c.name.toLowerCase() === name);
        if (!col) throw invalid(`lake: partitioned_by column '${raw}' is not a column of the table`);
        if (partitionedBy.includes(col.name.toLowerCase())) throw invalid(`lake: partitioned_by names '${raw}' twice`);
        if (!PARTITION_TYPES.has(col.type.kind)) {
          throw SqlError.unsupported(`lake: partitioning by column '${raw}' of type ${typeToSql(col.type)}`);
        }
        partitionedBy.push(col.name.toLowerCase());
      }
      if (partitionedBy.length === columns.length) {
        throw invalid('lake: partitioned_by cannot name every column of the table');
      }
      continue;
    }
    throw new SqlError(SqlStates.invalidParameterValue, `lake: unknown table property '${rawKey}'`);
  }
  return partitionedBy && partitionedBy.length > 0 ? { partitionedBy } : {};
}
