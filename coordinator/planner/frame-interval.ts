// Constant intervals of RANGE frame offsets (`RANGE BETWEEN INTERVAL '7 days' PRECEDING ...`),
// folded to months, days and microseconds while binding: the window operator compares date and
// timestamp keys in those units. The text is parsed by the interval type's own parser.
import type { Node, TypeCast } from '@pgsql/types';
import { SqlError } from '../../common/errors.js';
import { type Interval, parseInterval } from '../../common/time/interval.js';
import { as, locationOf, stringsOf } from '../sql/ast.js';

export type IntervalConstant = Interval;

/**
 * `INTERVAL '...' [field]` or `'...'::interval` as months, days and microseconds. Undefined when
 * the node is not such a literal.
 */
export function intervalConstant(n: Node): IntervalConstant | undefined {
  const tc = as(n, 'TypeCast') as TypeCast | undefined;
  if (!tc) return undefined;
  const names = stringsOf(tc.typeName?.names).filter((x) => x !== 'pg_catalog');
  if (names.join('.') !== 'interval') return undefined;
  const text = (as(tc.arg, 'A_Const') as { sval?: { sval?: string } } | undefined)?.sval?.sval;
  if (text === undefined)
    throw SqlError.unsupportedPlural('INTERVAL frame offsets that are not literals', locationOf(n));
  // typmods: PostgreSQL's INTERVAL_MASK bits of `INTERVAL '...' <field>`, then a precision.
  const mods = (tc.typeName?.typmods ?? []).map(
    (m) => (as(m, 'A_Const') as { ival?: { ival?: number } } | undefined)?.ival?.ival,
  );
  return parseInterval(text, mods[0], mods[1]);
}
