// Filter selectivity guesses: per kind of predicate, conjuncts multiplied, the two bounds of one
// column counted as one range, a conjunct repeated (an implied restriction) counted once.
import { describe, expect, it } from 'vitest';
import type { Expr } from '../../../common/expr/expr.js';
import { BOOLEAN, DATE, INTEGER, VARCHAR } from '../../../common/types.js';
import { predicateSelectivity } from '../../../coordinator/planner/estimate.js';

const ref = (id: string, type = INTEGER): Expr => ({ kind: 'ref', id, type });
const lit = (value: number | string, type = INTEGER): Expr => ({ kind: 'literal', value, type });
const call = (fn: string, a: Expr, b: Expr): Expr => ({ kind: 'call', fn, args: [a, b], type: BOOLEAN });
const and = (...args: Expr[]): Expr => ({ kind: 'and', args, type: BOOLEAN });
const or = (...args: Expr[]): Expr => ({ kind: 'or', args, type: BOOLEAN });

describe('predicate selectivity', () => {
  const eq = call('eq', ref('mode', VARCHAR), lit('AIR', VARCHAR));
  const from = call('ge', ref('day', DATE), lit(8766, DATE));
  const to = call('lt', ref('day', DATE), lit(9131, DATE));

  it('keeps fewer rows for more conjuncts, and a range of one column counts as one', () => {
    const one = predicateSelectivity(eq);
    const range = predicateSelectivity(and(from, to));
    expect(one).toBeLessThan(0.5);
    expect(range).toBeLessThan(predicateSelectivity(from));
    expect(range).toBeGreaterThan(predicateSelectivity(from) * predicateSelectivity(to));
    expect(predicateSelectivity(and(eq, from, to))).toBeCloseTo(one * range);
  });

  it('counts a repeated conjunct once', () => {
    expect(predicateSelectivity(and(eq, from, eq))).toBeCloseTo(predicateSelectivity(and(eq, from)));
  });

  it('keeps more rows for OR and NOT than for their terms', () => {
    const other = call('eq', ref('mode', VARCHAR), lit('SHIP', VARCHAR));
    expect(predicateSelectivity(or(eq, other))).toBeGreaterThan(predicateSelectivity(eq));
    expect(predicateSelectivity(or(eq, other))).toBeLessThanOrEqual(1);
    expect(predicateSelectivity({ kind: 'not', arg: eq, type: BOOLEAN })).toBeGreaterThan(0.5);
    const inList: Expr = { kind: 'in', arg: ref('k'), list: [lit(1), lit(2), lit(3)], negated: false, type: BOOLEAN };
    expect(predicateSelectivity(inList)).toBeGreaterThan(predicateSelectivity(call('eq', ref('k'), lit(1))));
  });

  it('never reaches zero for a long conjunction', () => {
    const many = and(...Array.from({ length: 30 }, (_, i) => call('eq', ref(`c${i}`), lit(i))));
    expect(predicateSelectivity(many)).toBeGreaterThan(0);
  });
});
