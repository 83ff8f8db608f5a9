// MySQL / MariaDB column types -> Tributary types (documented in connectors/mysql/README.md).
import {
  BIGINT,
  BOOLEAN,
  DATE,
  type DataType,
  DOUBLE,
  decimal,
  INTEGER,
  TIMESTAMP,
  VARCHAR,
} from '../../common/types.js';
import type { PushdownClass } from '../remote-sql/handle.js';

export interface MysqlColumnType {
  /** information_schema.columns.data_type, lower case: 'int', 'varchar', 'decimal'. */
  readonly dataType: string;
  /** information_schema.columns.column_type: 'int(10) unsigned', 'tinyint(1)', 'enum(...)'. */
  readonly columnType: string;
  readonly precision: number | null;
  readonly scale: number | null;
}

/** undefined: the column is left out (spatial types), with a warning. */
export function mapMysqlType(t: MysqlColumnType): { type: DataType; pushdown: PushdownClass } | undefined {
  const unsigned = /\bunsigned\b/i.test(t.columnType);
  switch (t.dataType) {
    case 'tinyint':
    case 'smallint':
    case 'mediumint':
    case 'year':
      return { type: INTEGER, pushdown: 'all' };
    case 'int':
    case 'integer':
      return { type: unsigned ? BIGINT : INTEGER, pushdown: 'all' };
    case 'bigint':
      return { type: unsigned ? decimal(20, 0) : BIGINT, pushdown: 'all' };
    case 'decimal':
    case 'numeric': {
      const p = t.precision ?? 10;
      const s = t.scale ?? 0;
      if (p > 38) return { type: VARCHAR, pushdown: 'none' };
      return { type: decimal(p, s), pushdown: 'all' };
    }
    case 'float':
    case 'double':
    case 'real':
      // float columns hold single precision: comparisons with double literals differ. Not pushed.
      return { type: DOUBLE, pushdown: t.dataType === 'float' ? 'none' : 'all' };
    case 'bit':
      return (t.precision ?? 1) === 1 ? { type: BOOLEAN, pushdown: 'none' } : { type: VARCHAR, pushdown: 'none' };
    case 'char':
    case 'varchar':
    case 'tinytext':
    case 'text':
    case 'mediumtext':
    case 'longtext':
      // Collations compare case- and pad-insensitively: equality returns a superset, re-checked by the engine.
      return { type: VARCHAR, pushdown: 'superset' };
    case 'enum':
    case 'set':
    case 'json':
    case 'time':
    case 'binary':
    case 'varbinary':
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
    case 'uuid':
    case 'inet4':
    case 'inet6':
      return { type: VARCHAR, pushdown: 'none' };
    case 'date':
      return { type: DATE, pushdown: 'all' };
    case 'datetime':
    case 'timestamp':
      return { type: TIMESTAMP, pushdown: 'all' };
    default:
      return undefined;
  }
}
