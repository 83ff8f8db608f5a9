// Which SQL type a Parquet column (as the Arrow type parquet-wasm reads it as) becomes.
//   int8/16/32, uint8/16 -> integer     int64, uint32 -> bigint     uint64 -> decimal(20,0)
//   float16/32/64 -> double             decimal(p,s) -> decimal(p,s) (p <= 38)
//   utf8 (and dictionaries of it) -> varchar
//   binary, fixed binary (uuid) -> varchar (hex)   time -> varchar 'HH:MM:SS.ffffff'
//   date -> date                        timestamp (any unit) -> timestamp (µs); isAdjustedToUTC
//                                       (an Arrow time zone) -> timestamp with time zone
//   interval (MONTH_DAY_NANO) -> interval
//   list, struct, map and anything else -> varchar: PostgreSQL's array / record literal text, maps
//                                          as jsonb text (nested-text.ts; read-only view for now)
import {
  type DataType as ArrowType,
  type Decimal,
  type Dictionary,
  type Field,
  type Int,
  type IntervalMonthDayNano,
  IntervalUnit,
  type Timestamp,
  Type,
} from 'apache-arrow';
import {
  BIGINT,
  BOOLEAN,
  DATE,
  type DataType,
  DOUBLE,
  decimal,
  INTEGER,
  INTERVAL,
  TIMESTAMP,
  TIMESTAMPTZ,
  UNKNOWN,
  VARCHAR,
} from '../../common/types.js';

export function sqlTypeOfArrow(t: ArrowType): DataType {
  switch (t.typeId) {
    case Type.Bool:
      return BOOLEAN;
    case Type.Int: {
      const i = t as Int;
      if (i.bitWidth < 32 || (i.bitWidth === 32 && i.isSigned)) return INTEGER;
      if (i.bitWidth === 32 || i.isSigned) return BIGINT;
      return decimal(20, 0);
    }
    case Type.Float:
      return DOUBLE;
    case Type.Decimal: {
      const d = t as Decimal;
      return decimal(Math.min(d.precision, 38), d.scale);
    }
    case Type.Date:
      return DATE;
    case Type.Timestamp:
      return (t as Timestamp).timezone ? TIMESTAMPTZ : TIMESTAMP;
    case Type.Interval:
      return (t as IntervalMonthDayNano).unit === IntervalUnit.MONTH_DAY_NANO ? INTERVAL : VARCHAR;
    case Type.Null:
      return UNKNOWN;
    case Type.Dictionary:
      return sqlTypeOfArrow((t as Dictionary).dictionary);
    default:
      return VARCHAR;
  }
}

export function sqlTypeOfField(f: Field): DataType {
  return sqlTypeOfArrow(f.type);
}

/** Whether values of a file column of type `from` can be read into a table column of type `to`. */
export function canWiden(from: DataType, to: DataType): boolean {
  if (from.kind === to.kind) {
    if (from.kind === 'decimal' && to.kind === 'decimal') {
      return from.scale === to.scale && from.precision <= to.precision && from.precision > 15 === to.precision > 15;
    }
    return true;
  }
  if (from.kind === 'unknown') return true;
  if (from.kind === 'integer') return to.kind === 'bigint' || to.kind === 'double';
  if (from.kind === 'bigint') return to.kind === 'double';
  return false;
}
