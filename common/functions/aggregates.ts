// Aggregate functions: result types and the layout of their partial (intermediate) state,
// which is what crosses the exchange between a partial and a final aggregation.
import { assertNever } from '../assert.js';
import { SqlError } from '../errors.js';
import { BIGINT, BOOLEAN, type DataType, DOUBLE, decimal, INTEGER, MAX_DECIMAL_PRECISION, VARCHAR } from '../types.js';

export type AggregateFn =
  | 'count_star'
  | 'count'
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'bool_and'
  | 'bool_or'
  | 'stddev_samp'
  | 'stddev_pop'
  | 'var_samp'
  | 'var_pop'
  | 'string_agg'
  | 'array_agg'
  | 'approx_distinct'
  // Ordered-set aggregates: fn(direct args) WITHIN GROUP (ORDER BY x); args [x, fraction?].
  | 'percentile_cont'
  | 'percentile_disc'
  | 'mode';

/** SQL names (PostgreSQL's and Trino's) -> the aggregate they call. */
const NAMES: Readonly<Record<string, AggregateFn>> = {
  count: 'count',
  sum: 'sum',
  avg: 'avg',
  min: 'min',
  max: 'max',
  bool_and: 'bool_and',
  every: 'bool_and',
  bool_or: 'bool_or',
  stddev: 'stddev_samp',
  stddev_samp: 'stddev_samp',
  stddev_pop: 'stddev_pop',
  variance: 'var_samp',
  var_samp: 'var_samp',
  var_pop: 'var_pop',
  string_agg: 'string_agg',
  array_agg: 'array_agg',
  approx_distinct: 'approx_distinct',
  percentile_cont: 'percentile_cont',
  percentile_disc: 'percentile_disc',
  mode: 'mode',
};

/** Aggregates written fn(...) WITHIN GROUP (ORDER BY x), which see their rows in that order. */
export const ORDERED_SET_AGGREGATES: ReadonlySet<AggregateFn> = new Set(['percentile_cont', 'percentile_disc', 'mode']);

export const AGGREGATE_FUNCTIONS: ReadonlySet<string> = new Set(Object.keys(NAMES));

/** The aggregate a SQL function name calls (`every` -> bool_and, `variance` -> var_samp, ...). */
export function aggregateOfName(name: string): AggregateFn | undefined {
  return Object.hasOwn(NAMES, name) ? NAMES[name] : name === 'count_star' ? 'count_star' : undefined;
}

export interface AggregateCall {
  readonly fn: AggregateFn;
  /**
   * Input column positions (physical) — empty for count(*). string_agg: [value, delimiter].
   * For step `final`: the first state column.
   */
  readonly args: readonly number[];
  readonly argTypes: readonly DataType[];
  readonly distinct: boolean;
  /**
   * ORDER BY inside the call (string_agg(x, ',' ORDER BY y), WITHIN GROUP (ORDER BY x)): input
   * column positions the rows of a group are fed in. Only in step single.
   */
  readonly orderBy?: readonly { readonly index: number; readonly ascending: boolean; readonly nullsFirst: boolean }[];
  /** Output type of the final value. */
  readonly type: DataType;
}

/** HyperLogLog of approx_distinct: 2^11 registers, standard error 1.04/sqrt(2048) = 2.3% (Trino's default). */
export const HLL_INDEX_BITS = 11;

/** The SQL result type of an aggregate (Trino's rules, which keep decimals exact). */
export function aggregateResultType(fn: AggregateFn, arg: DataType | undefined): DataType {
  const canonical = aggregateOfName(fn);
  if (!canonical) throw SqlError.unsupported(`aggregate function ${fn}`);
  fn = canonical;
  switch (fn) {
    case 'count_star':
    case 'count':
    case 'approx_distinct':
      return BIGINT;
    case 'min':
    case 'max':
      return required(arg, fn);
    case 'sum': {
      const t = required(arg, fn);
      if (t.kind === 'integer' || t.kind === 'bigint') return BIGINT;
      if (t.kind === 'decimal') return decimal(MAX_DECIMAL_PRECISION, t.scale);
      return DOUBLE;
    }
    case 'avg': {
      const t = required(arg, fn);
      if (t.kind === 'decimal') return t;
      return DOUBLE;
    }
    case 'bool_and':
    case 'bool_or':
      return BOOLEAN;
    case 'stddev_samp':
    case 'stddev_pop':
    case 'var_samp':
    case 'var_pop':
      return DOUBLE;
    case 'string_agg':
    case 'array_agg':
      // array_agg: no array type yet; the PostgreSQL array text form '{a,b,NULL}' as varchar.
      return VARCHAR;
    case 'percentile_cont':
      return DOUBLE;
    case 'percentile_disc':
    case 'mode':
      return required(arg, fn);
    default:
      return assertNever(fn, 'aggregate');
  }
}

/**
 * Columns a partial aggregation emits for one aggregate, and a final aggregation reads back:
 * count/count_star -> [bigint count]; sum -> [sum in result type]; avg -> [sum, bigint count]
 * (sum in double for double avg, in decimal(38,s) for decimal avg); min/max -> [value].
 * The count of a sum state is not needed: an empty group's sum is NULL (null state).
 * bool_and/bool_or -> [boolean] (NULL: no input).
 * stddev_*, var_* -> [bigint count, double mean, double M2] (merged with Chan et al.'s formula).
 * string_agg -> [varchar: each value preceded by its delimiter, integer: byte length of the
 *   first delimiter] (NULL: no input); the final value drops the first delimiter.
 * array_agg -> [varchar: the elements in array text form without braces, 'a,"b c",NULL'] (NULL: no input).
 * approx_distinct -> [varchar: HyperLogLog registers, 2048 bytes (dense) or 3 bytes per set
 *   register (sparse: index >> 7, index & 127, rank); every byte below 0x80].
 */
export function aggregateStateTypes(fn: AggregateFn, arg: DataType | undefined): readonly DataType[] {
  switch (fn) {
    case 'count_star':
    case 'count':
      return [BIGINT];
    case 'sum':
      return [aggregateResultType('sum', arg)];
    case 'avg': {
      const t = required(arg, fn);
      return [t.kind === 'decimal' ? decimal(MAX_DECIMAL_PRECISION, t.scale) : DOUBLE, BIGINT];
    }
    case 'min':
    case 'max':
      return [required(arg, fn)];
    case 'bool_and':
    case 'bool_or':
      return [BOOLEAN];
    case 'stddev_samp':
    case 'stddev_pop':
    case 'var_samp':
    case 'var_pop':
      return [BIGINT, DOUBLE, DOUBLE];
    case 'string_agg':
      return [VARCHAR, INTEGER];
    case 'array_agg':
    case 'approx_distinct':
      return [VARCHAR];
    case 'percentile_cont':
    case 'percentile_disc':
    case 'mode':
      // Ordered: never split into partial and final steps (see the fragmenter).
      return [];
    default:
      return assertNever(fn, 'aggregate');
  }
}

function required(t: DataType | undefined, fn: string): DataType {
  if (!t) throw new Error(`aggregate ${fn} needs an argument`);
  return t;
}
