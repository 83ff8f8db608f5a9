// The binder side of the scalar functions: names, argument coercion and result types.
import { describe, expect, it } from 'vitest';
import { SqlError } from '../../../common/errors.js';
import type { Expr } from '../../../common/expr/expr.js';
import {
  BIGINT,
  BOOLEAN,
  DATE,
  type DataType,
  DOUBLE,
  decimal,
  INTEGER,
  TIMESTAMP,
  TIMESTAMPTZ,
  UNKNOWN,
  VARCHAR,
} from '../../../common/types.js';
import { castIfNeeded, commonSuperType } from '../../../coordinator/planner/coercion.js';
import {
  type ArgTools,
  resolveOperator,
  resolveScalarFunction,
  resolveSqlValueFunction,
} from '../../../coordinator/planner/function-resolver.js';

const tools: ArgTools = {
  resolve: (e, t) => (e.type.kind === 'unknown' ? castIfNeeded(e, t) : e),
  unify: (a, b) => {
    const t = commonSuperType(a.type, b.type)!;
    return [castIfNeeded(a, t), castIfNeeded(b, t)];
  },
  unifyAll: (args) => {
    let t: DataType = UNKNOWN;
    for (const a of args) t = commonSuperType(t, a.type)!;
    return args.map((a) => castIfNeeded(a, t.kind === 'unknown' ? VARCHAR : t));
  },
};
const ref = (type: DataType): Expr => ({ kind: 'ref', id: `x_${type.kind}`, type });
const text = (v: string): Expr => ({ kind: 'literal', value: v, type: UNKNOWN });
const resolve = (name: string, ...args: Expr[]) => resolveScalarFunction(name, args, tools, 0);

function fnOf(e: Expr): string {
  return e.kind === 'call' ? e.fn : e.kind;
}

describe('resolveScalarFunction', () => {
  it('maps PostgreSQL and Trino names to kernels with result types', () => {
    const s = ref(VARCHAR);
    const cases: [Expr, string, DataType][] = [
      [resolve('position', s, text('a')), 'strpos', INTEGER],
      [resolve('btrim', s, text('x')), 'trim', VARCHAR],
      [resolve('ltrim', s), 'ltrim', VARCHAR],
      [resolve('starts_with', s, text('a')), 'starts_with', BOOLEAN],
      [resolve('regexp_like', s, text('a')), 'regexp_like', BOOLEAN],
      [resolve('pow', ref(INTEGER), ref(INTEGER)), 'power', DOUBLE],
      [resolve('log', ref(DOUBLE)), 'log10', DOUBLE],
      [resolve('log', ref(DOUBLE), ref(DOUBLE)), 'log', DOUBLE],
      [resolve('mod', ref(INTEGER), ref(INTEGER)), 'modulus', INTEGER],
      [resolve('random'), 'random', DOUBLE],
      [resolve('date_trunc', text('month'), ref(TIMESTAMP)), 'date_trunc', TIMESTAMP],
      // A date is truncated as timestamptz, PostgreSQL's preferred datetime type.
      [resolve('date_trunc', text('month'), ref(DATE)), 'date_trunc', TIMESTAMPTZ],
      [resolve('date_add', text('day'), ref(INTEGER), ref(DATE)), 'date_add', DATE],
      [resolve('date_diff', text('day'), ref(TIMESTAMP), ref(TIMESTAMP)), 'date_diff', BIGINT],
      [resolve('make_date', ref(INTEGER), ref(INTEGER), ref(INTEGER)), 'make_date', DATE],
    ];
    for (const [e, fn, type] of cases) {
      expect(fnOf(e)).toBe(fn);
      expect(e.type).toEqual(type);
    }
  });

  it('constant string arguments become varchar literals (constant patterns, units)', () => {
    const e = resolve('regexp_like', ref(VARCHAR), text('^a'));
    expect(e.kind === 'call' && e.args[1]).toEqual({ kind: 'literal', value: '^a', type: VARCHAR });
    const lp = resolve('lpad', ref(VARCHAR), ref(INTEGER));
    expect(lp.kind === 'call' && lp.args[2]).toEqual({ kind: 'literal', value: ' ', type: VARCHAR });
  });

  it('round and trunc of decimals use PostgreSQL scales', () => {
    const d = ref(decimal(6, 3));
    expect(resolve('round', d).type).toEqual(decimal(4, 0));
    expect(resolve('round', d, { kind: 'literal', value: 1, type: INTEGER }).type).toEqual(decimal(5, 1));
    expect(resolve('round', d, { kind: 'literal', value: 5, type: INTEGER }).type).toEqual(decimal(9, 5));
    expect(resolve('trunc', d).type).toEqual(decimal(3, 0));
    expect(resolve('trunc', ref(DOUBLE)).type).toEqual(DOUBLE);
  });

  it('greatest/least take the common type; pi() is a constant', () => {
    const g = resolve('greatest', ref(INTEGER), ref(decimal(5, 2)));
    expect(g.type).toEqual(decimal(12, 2));
    expect(resolve('pi').kind).toBe('literal');
  });

  it('now() and friends are constants of the statement', () => {
    // now() is an instant; current_date and localtimestamp are it in the session zone (casts
    // that session-zone.ts makes explicit and constant folding evaluates).
    expect(resolve('now')).toMatchObject({ kind: 'literal', type: TIMESTAMPTZ });
    expect(resolveSqlValueFunction('SVFOP_CURRENT_TIMESTAMP', 0)).toMatchObject({ kind: 'literal', type: TIMESTAMPTZ });
    expect(resolveSqlValueFunction('SVFOP_CURRENT_DATE', 0)).toMatchObject({
      kind: 'cast',
      arg: { kind: 'literal', type: TIMESTAMPTZ },
      type: DATE,
    });
    expect(resolveSqlValueFunction('SVFOP_LOCALTIMESTAMP', 0)).toMatchObject({ kind: 'cast', type: TIMESTAMP });
    expect(() => resolveSqlValueFunction('SVFOP_CURRENT_USER', 0)).toThrow(SqlError);
  });

  it('wrong argument types are 42883', () => {
    for (const f of [() => resolve('strpos', ref(INTEGER), ref(VARCHAR)), () => resolve('sqrt', ref(VARCHAR))]) {
      try {
        f();
        expect.unreachable();
      } catch (e) {
        expect((e as SqlError).sqlState).toBe('42883');
      }
    }
  });
});

describe('resolveOperator', () => {
  it('regular expression operators', () => {
    expect(fnOf(resolveOperator('~', ref(VARCHAR), text('a'), tools, 0)!)).toBe('regexp_like');
    const ci = resolveOperator('!~*', ref(VARCHAR), text('a'), tools, 0)!;
    expect(ci.kind).toBe('not');
    expect(ci.kind === 'not' && ci.arg.kind === 'call' && ci.arg.args[2]).toEqual({
      kind: 'literal',
      value: 'i',
      type: VARCHAR,
    });
  });

  it('date arithmetic with integers and dates', () => {
    const plus = resolveOperator('+', ref(DATE), ref(INTEGER), tools, 0)!;
    expect(plus).toMatchObject({ kind: 'call', fn: 'date_add', type: DATE });
    expect(resolveOperator('+', ref(INTEGER), ref(DATE), tools, 0)).toMatchObject({ fn: 'date_add', type: DATE });
    const minus = resolveOperator('-', ref(DATE), { kind: 'literal', value: 3, type: INTEGER }, tools, 0)!;
    expect(minus.kind === 'call' && minus.args[1]).toMatchObject({ kind: 'cast', arg: { value: -3 }, type: BIGINT });
    expect(resolveOperator('-', ref(DATE), ref(DATE), tools, 0)).toMatchObject({ fn: 'date_diff', type: INTEGER });
    expect(resolveOperator('-', ref(DATE), text('2024-01-01'), tools, 0)).toMatchObject({ fn: 'date_diff' });
  });

  it('leaves everything else to the binder', () => {
    expect(resolveOperator('+', ref(INTEGER), ref(INTEGER), tools, 0)).toBeUndefined();
    expect(resolveOperator('*', ref(DATE), ref(INTEGER), tools, 0)).toBeUndefined();
    expect(resolveOperator('-', ref(TIMESTAMP), ref(INTEGER), tools, 0)).toBeUndefined();
  });
});
