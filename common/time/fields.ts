// extract(field FROM x): the fields PostgreSQL knows per source type and the numeric type of the
// result (PostgreSQL 14+ returns numeric: 'second' keeps its microseconds, 1.500000). Used by the
// binder to type the call and by the kernels to compute it (common/time/extract.ts).
import { SqlError } from '../errors.js';
import { SqlStates } from '../sqlstate.js';
import { type DataType, decimal, typeToSql } from '../types.js';

export type ExtractField =
  | 'microseconds'
  | 'milliseconds'
  | 'second'
  | 'minute'
  | 'hour'
  | 'day'
  | 'week'
  | 'month'
  | 'quarter'
  | 'year'
  | 'decade'
  | 'century'
  | 'millennium'
  | 'dow'
  | 'isodow'
  | 'doy'
  | 'isoyear'
  | 'epoch'
  | 'timezone'
  | 'timezone_hour'
  | 'timezone_minute';

const SYNONYMS: Readonly<Record<string, ExtractField>> = {
  microsecond: 'microseconds',
  microseconds: 'microseconds',
  us: 'microseconds',
  usec: 'microseconds',
  usecs: 'microseconds',
  millisecond: 'milliseconds',
  milliseconds: 'milliseconds',
  ms: 'milliseconds',
  msec: 'milliseconds',
  msecs: 'milliseconds',
  second: 'second',
  seconds: 'second',
  s: 'second',
  sec: 'second',
  secs: 'second',
  minute: 'minute',
  minutes: 'minute',
  m: 'minute',
  min: 'minute',
  mins: 'minute',
  hour: 'hour',
  hours: 'hour',
  h: 'hour',
  hr: 'hour',
  hrs: 'hour',
  day: 'day',
  days: 'day',
  d: 'day',
  week: 'week',
  weeks: 'week',
  w: 'week',
  month: 'month',
  months: 'month',
  mon: 'month',
  mons: 'month',
  quarter: 'quarter',
  qtr: 'quarter',
  year: 'year',
  years: 'year',
  y: 'year',
  yr: 'year',
  yrs: 'year',
  decade: 'decade',
  decades: 'decade',
  dec: 'decade',
  century: 'century',
  centuries: 'century',
  c: 'century',
  cent: 'century',
  millennium: 'millennium',
  millennia: 'millennium',
  mil: 'millennium',
  mils: 'millennium',
  dow: 'dow',
  isodow: 'isodow',
  doy: 'doy',
  isoyear: 'isoyear',
  epoch: 'epoch',
  timezone: 'timezone',
  timezone_h: 'timezone_hour',
  timezone_hour: 'timezone_hour',
  timezone_m: 'timezone_minute',
  timezone_minute: 'timezone_minute',
};

const DATE_FIELDS = new Set<ExtractField>([
  'day',
  'week',
  'month',
  'quarter',
  'year',
  'decade',
  'century',
  'millennium',
  'dow',
  'isodow',
  'doy',
  'isoyear',
  'epoch',
]);
const TIME_FIELDS = new Set<ExtractField>(['microseconds', 'milliseconds', 'second', 'minute', 'hour']);
const INTERVAL_FIELDS = new Set<ExtractField>([
  'microseconds',
  'milliseconds',
  'second',
  'minute',
  'hour',
  'day',
  'month',
  'quarter',
  'year',
  'decade',
  'century',
  'millennium',
  'epoch',
]);
const ZONE_FIELDS = new Set<ExtractField>(['timezone', 'timezone_hour', 'timezone_minute']);

/** The canonical field of a name ('YEARS', 'yr' -> 'year'), or undefined. */
export function extractField(name: string): ExtractField | undefined {
  return SYNONYMS[name.toLowerCase()];
}

/**
 * The numeric type of extract(field FROM a value of `source`), or a SqlError: 22023 for an
 * unknown unit, 0A000 for a unit the type does not have (PostgreSQL's messages).
 */
export function extractResultType(name: string, source: DataType): { field: ExtractField; type: DataType } {
  const field = extractField(name);
  const typeName = source.kind === 'timestamptz' ? 'timestamp with time zone' : typeToSql(source);
  const unsupported = (): never => {
    throw new SqlError(SqlStates.featureNotSupported, `unit "${name}" not supported for type ${typeName}`);
  };
  if (!field) {
    throw new SqlError(SqlStates.invalidParameterValue, `unit "${name}" not recognized for type ${typeName}`);
  }
  switch (source.kind) {
    case 'date':
      if (!DATE_FIELDS.has(field)) unsupported();
      return { field, type: field === 'epoch' ? decimal(15, 0) : decimal(10, 0) };
    case 'timestamp':
    case 'timestamptz':
      if (ZONE_FIELDS.has(field) && source.kind === 'timestamp') unsupported();
      if (!DATE_FIELDS.has(field) && !TIME_FIELDS.has(field) && !ZONE_FIELDS.has(field)) unsupported();
      return { field, type: resultType(field, decimal(19, 6)) };
    case 'interval':
      if (!INTERVAL_FIELDS.has(field)) unsupported();
      return { field, type: resultType(field, decimal(25, 6)) };
    default:
      throw new SqlError(SqlStates.undefinedFunction, `function extract(unknown, ${typeName}) does not exist`);
  }
}

function resultType(field: ExtractField, epoch: DataType): DataType {
  switch (field) {
    case 'epoch':
      return epoch;
    case 'second':
      return decimal(8, 6);
    case 'milliseconds':
      return decimal(8, 3);
    default:
      return decimal(10, 0);
  }
}
