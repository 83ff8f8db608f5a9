// How each SQL type is laid out in Arrow. Kernels read these buffers directly:
//   boolean   -> Bool (bit-packed values)
//   integer   -> Int32 (Int32Array)
//   bigint    -> Int64 (BigInt64Array)
//   double    -> Float64 (Float64Array)
//   decimal   -> p <= 15: Float64 holding the exact scaled integer (123.45 in decimal(15,2) is
//                12345), field metadata "tributary.type" = "decimal(p,s)". Exact because
//                10^15 < 2^53, and kernel-ready without BigInt (PERFORMANCE.md rule 3).
//                p > 15: Decimal (128-bit, the standard Arrow layout; kernels use BigInt).
//   varchar   -> Utf8 (Int32 offsets + UTF-8 bytes)
//   date      -> DateDay (Int32Array, days since epoch)
//   timestamp -> Timestamp(MICROSECOND) (BigInt64Array)
//   timestamptz -> Timestamp(MICROSECOND, 'UTC') (BigInt64Array, the instant)
//   interval  -> Interval(MONTH_DAY_NANO): Int32Array, 4 words per value [months, days, nanos lo,
//                nanos hi]. Arrow's own layout for PostgreSQL-style intervals (DataFusion uses it
//                too), so it survives IPC and Parquet readers; kernels keep microseconds and
//                convert the nanosecond words exactly (common/time/interval.ts).
//   unknown   -> Null
import {
  type DataType as ArrowType,
  Bool,
  DateDay,
  Decimal,
  Field,
  Float64,
  Int32,
  Int64,
  IntervalMonthDayNano,
  IntervalUnit,
  Null,
  Schema,
  type Timestamp,
  TimestampMicrosecond,
  Type,
  Utf8,
} from 'apache-arrow';
import { assertNever } from '../assert.js';
import {
  BIGINT,
  BOOLEAN,
  type ColumnSchema,
  DATE,
  type DataType,
  DOUBLE,
  decimal,
  INTEGER,
  INTERVAL,
  isShortDecimal,
  parseTypeName,
  TIMESTAMP,
  TIMESTAMPTZ,
  typeToSql,
  UNKNOWN,
  VARCHAR,
} from '../types.js';

export const TYPE_METADATA_KEY = 'tributary.type';

export function arrowType(t: DataType): ArrowType {
  switch (t.kind) {
    case 'boolean':
      return new Bool();
    case 'integer':
      return new Int32();
    case 'bigint':
      return new Int64();
    case 'double':
      return new Float64();
    case 'decimal':
      return isShortDecimal(t) ? new Float64() : new Decimal(t.scale, t.precision, 128);
    case 'varchar':
      return new Utf8();
    case 'date':
      return new DateDay();
    case 'timestamp':
      return new TimestampMicrosecond();
    case 'timestamptz':
      return new TimestampMicrosecond('UTC');
    case 'interval':
      return new IntervalMonthDayNano();
    case 'unknown':
      return new Null();
    default:
      return assertNever(t, 'type');
  }
}

export function arrowField(c: ColumnSchema): Field {
  const metadata = new Map<string, string>([[TYPE_METADATA_KEY, typeToSql(c.type)]]);
  return new Field(c.name, arrowType(c.type), c.nullable ?? true, metadata);
}

/** Original column name when the Arrow field name had to be made unique (see arrowSchema). */
export const NAME_METADATA_KEY = 'tributary.name';

/**
 * Field names are made unique (`abs`, `abs\u00001`, ...; the original kept in metadata):
 * apache-arrow's RecordBatch constructor (also used by its IPC reader) merges fields with equal
 * names, which gave `SELECT abs(-5), abs(-2.50)` the second column's type for both columns.
 */
export function arrowSchema(columns: readonly ColumnSchema[]): Schema {
  const seen = new Set<string>();
  return new Schema(
    columns.map((c, i) => {
      if (!seen.has(c.name)) {
        seen.add(c.name);
        return arrowField(c);
      }
      const f = arrowField({ ...c, name: `${c.name}\u0000${i}` });
      f.metadata.set(NAME_METADATA_KEY, c.name);
      return f;
    }),
  );
}

/** The SQL type of an Arrow field: our metadata if present, else inferred from the Arrow type. */
export function fieldType(f: Field): DataType {
  const declared = f.metadata.get(TYPE_METADATA_KEY);
  if (declared) {
    const t = parseTypeName(declared);
    if (t) return t;
  }
  return typeOfArrow(f.type);
}

export function typeOfArrow(t: ArrowType): DataType {
  switch (t.typeId) {
    case Type.Bool:
      return BOOLEAN;
    case Type.Int:
      return (t as Int32 | Int64).bitWidth === 64 ? BIGINT : INTEGER;
    case Type.Float:
      return DOUBLE;
    case Type.Decimal: {
      const d = t as Decimal;
      return decimal(d.precision, d.scale);
    }
    case Type.Utf8:
    case Type.LargeUtf8:
      return VARCHAR;
    case Type.Date:
      return DATE;
    case Type.Timestamp:
      return (t as Timestamp).timezone ? TIMESTAMPTZ : TIMESTAMP;
    case Type.Interval:
      return (t as IntervalMonthDayNano).unit === IntervalUnit.MONTH_DAY_NANO ? INTERVAL : VARCHAR;
    case Type.Null:
      return UNKNOWN;
    default:
      return VARCHAR;
  }
}

export function schemaColumns(s: Schema): ColumnSchema[] {
  return s.fields.map((f) => ({
    name: f.metadata.get(NAME_METADATA_KEY) ?? f.name,
    type: fieldType(f),
    nullable: f.nullable,
  }));
}
