// Aggregate functions: result types and the layout of their partial (intermediate) state,
// which is what crosses the exchange between a partial and a final aggregation.
import { assertNever } from '../assert.js';
import { BIGINT, type DataType, DOUBLE, decimal, MAX_DECIMAL_PRECISION } from '../types.js';

export type AggregateFn = 'count_star' | 'count' | 'sum' | 'avg' | 'min' | 'max';

export const AGGREGATE_FUNCTIONS: ReadonlySet<string> = new Set(['count', 'sum', 'avg', 'min', 'max']);

export interface AggregateCall {
  readonly fn: AggregateFn;
  /** Input column positions (physical) — empty for count(*). */
  readonly args: readonly number[];
  readonly argTypes: readonly DataType[];
  readonly distinct: boolean;
  /** Output type of the final value. */
  readonly type: DataType;
}

/** The SQL result type of an aggregate (Trino's rules, which keep decimals exact). */
export function aggregateResultType(fn: AggregateFn, arg: DataType | undefined): DataType {
  switch (fn) {
    case 'count_star':
    case 'count':
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
    default:
      return assertNever(fn, 'aggregate');
  }
}

/**
 * Columns a partial aggregation emits for one aggregate, and a final aggregation reads back:
 * count/count_star -> [bigint count]; sum -> [sum in result type]; avg -> [sum, bigint count]
 * (sum in double for double avg, in decimal(38,s) for decimal avg); min/max -> [value].
 * The count of a sum state is not needed: an empty group's sum is NULL (null state).
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
    default:
      return assertNever(fn, 'aggregate');
  }
}

function required(t: DataType | undefined, fn: string): DataType {
  if (!t) throw new Error(`aggregate ${fn} needs an argument`);
  return t;
}
