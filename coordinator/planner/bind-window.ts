// Window specifications: named windows (WINDOW w AS (...), OVER w, OVER (w ORDER BY ...)) and
// frame clauses (ROWS / RANGE / GROUPS with their offsets), by PostgreSQL's rules.
import type { Node, WindowDef } from '@pgsql/types';
import { SqlError } from '../../common/errors.js';
import type { Expr } from '../../common/expr/expr.js';
import type { FrameBound, WindowFrame } from '../../common/plan/physical.js';
import { SqlStates } from '../../common/sqlstate.js';
import { BIGINT, type DataType, typeToSql } from '../../common/types.js';
import { foldExpr } from '../optimizer/rules/fold-constants.js';
import { as, locationOf } from '../sql/ast.js';
import { castIfNeeded } from './coercion.js';
import { intervalConstant } from './frame-interval.js';

/** The windows of a WINDOW clause by name, each already merged with the window it copies. */
export type NamedWindows = ReadonlyMap<string, WindowDef>;

// PostgreSQL's FRAMEOPTION_* bits of WindowDef.frameOptions.
const F = {
  nonDefault: 0x1,
  range: 0x2,
  rows: 0x4,
  groups: 0x8,
  startUnboundedPreceding: 0x20,
  endUnboundedFollowing: 0x100,
  startCurrentRow: 0x200,
  endCurrentRow: 0x400,
  startOffsetPreceding: 0x800,
  endOffsetPreceding: 0x1000,
  startOffsetFollowing: 0x2000,
  endOffsetFollowing: 0x4000,
  exclusions: 0x8000 | 0x10000 | 0x20000,
} as const;
/** RANGE UNBOUNDED PRECEDING AND CURRENT ROW, no clause written. */
const FRAME_DEFAULTS = F.range | F.startUnboundedPreceding | F.endCurrentRow;

/** WINDOW clause: each definition may copy an earlier one (`w2 AS (w1 ORDER BY x)`). */
export function namedWindows(defs: readonly Node[] | undefined): NamedWindows {
  const named = new Map<string, WindowDef>();
  for (const d of defs ?? []) {
    const w = as(d, 'WindowDef') as WindowDef;
    const name = w.name ?? '';
    if (named.has(name)) {
      throw new SqlError(SqlStates.windowingError, `window "${name}" is already defined`, locationOf(d));
    }
    named.set(name, w.refname ? copyWindow(w, named, true) : w);
  }
  return named;
}

/** The window of an OVER clause: `OVER w` is w itself, `OVER (w ...)` copies w and refines it. */
export function resolveOver(w: WindowDef, named: NamedWindows | undefined, position: number | undefined): WindowDef {
  if (w.name) {
    const found = named?.get(w.name);
    if (!found) throw new SqlError(SqlStates.undefinedObject, `window "${w.name}" does not exist`, position);
    return found;
  }
  return w.refname ? copyWindow(w, named, false) : w;
}

/**
 * SQL's rules for a window that names another: it takes the other's PARTITION BY (and may not
 * have its own), takes its ORDER BY unless it has one (then the other may have none), and has
 * its own frame (the other may have no frame clause).
 */
function copyWindow(w: WindowDef, named: NamedWindows | undefined, inWindowClause: boolean): WindowDef {
  const ref = w.refname ?? '';
  const position = w.location !== undefined && w.location >= 0 ? w.location + 1 : undefined;
  const base = named?.get(ref);
  if (!base) throw new SqlError(SqlStates.undefinedObject, `window "${ref}" does not exist`, position);
  if ((w.partitionClause?.length ?? 0) > 0) {
    throw new SqlError(SqlStates.windowingError, `cannot override PARTITION BY clause of window "${ref}"`, position);
  }
  const ownOrder = (w.orderClause?.length ?? 0) > 0;
  if (ownOrder && (base.orderClause?.length ?? 0) > 0) {
    throw new SqlError(SqlStates.windowingError, `cannot override ORDER BY clause of window "${ref}"`, position);
  }
  if (((base.frameOptions ?? FRAME_DEFAULTS) & F.nonDefault) !== 0) {
    const bare = !inWindowClause && !ownOrder && ((w.frameOptions ?? FRAME_DEFAULTS) & F.nonDefault) === 0;
    throw new SqlError(
      SqlStates.windowingError,
      `cannot copy window "${ref}" because it has a frame clause`,
      position,
      bare ? { hint: 'Omit the parentheses in this OVER clause.' } : undefined,
    );
  }
  const { refname: _copied, ...own } = w;
  return {
    ...own,
    partitionClause: base.partitionClause ?? [],
    orderClause: (ownOrder ? w.orderClause : base.orderClause) ?? [],
  };
}

/** The ORDER BY of a window as bound, for checking and converting RANGE offsets. */
export interface OrderKeyInfo {
  readonly type: DataType;
}

/**
 * The frame of a window. `bindOffset` binds an offset expression (constant after folding);
 * `order` is the window's ORDER BY. RANGE offsets are converted to the units the window
 * operator compares order keys in (see FrameBound).
 */
export function frameOf(
  w: WindowDef,
  order: readonly OrderKeyInfo[],
  bindOffset: (n: Node, clause: string) => Expr,
  position: number | undefined,
): WindowFrame {
  const o = w.frameOptions ?? FRAME_DEFAULTS;
  if (!(o & F.nonDefault)) {
    return { mode: 'range', start: { kind: 'unbounded_preceding' }, end: { kind: 'current_row' } };
  }
  if (o & F.exclusions) throw SqlError.unsupported('EXCLUDE in window frames', position);
  const mode = o & F.rows ? 'rows' : o & F.groups ? 'groups' : 'range';
  const hasOffset =
    (o & (F.startOffsetPreceding | F.startOffsetFollowing | F.endOffsetPreceding | F.endOffsetFollowing)) !== 0;
  if (mode === 'groups' && order.length === 0) {
    throw new SqlError(SqlStates.windowingError, 'GROUPS mode requires an ORDER BY clause', position);
  }
  if (mode === 'range' && hasOffset && order.length !== 1) {
    throw new SqlError(
      SqlStates.windowingError,
      'RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column',
      position,
    );
  }
  const offset = (
    n: Node | undefined,
    which: 'starting' | 'ending',
  ): { offset: number; months?: number; infinite?: true } => {
    if (!n) throw SqlError.syntax('frame offset missing', position);
    const at = locationOf(n) ?? position;
    if (mode !== 'range') return { offset: countOffset(n, mode, bindOffset, which, at) };
    const r = rangeOffset(n, order[0]!.type, bindOffset, which, at);
    // +Infinity travels as a flag; -Infinity and NaN fail like negative offsets when run.
    if (r.offset === Number.POSITIVE_INFINITY) return { ...r, offset: 0, infinite: true };
    return Number.isNaN(r.offset) || r.offset === Number.NEGATIVE_INFINITY ? { ...r, offset: -1 } : r;
  };
  const bound = (preceding: boolean, n: Node | undefined, which: 'starting' | 'ending'): FrameBound => ({
    kind: preceding ? 'preceding' : 'following',
    ...offset(n, which),
  });
  const start: FrameBound =
    o & F.startUnboundedPreceding
      ? { kind: 'unbounded_preceding' }
      : o & F.startCurrentRow
        ? { kind: 'current_row' }
        : o & F.startOffsetPreceding
          ? bound(true, w.startOffset, 'starting')
          : o & F.startOffsetFollowing
            ? bound(false, w.startOffset, 'starting')
            : { kind: 'unbounded_preceding' };
  const end: FrameBound =
    o & F.endUnboundedFollowing
      ? { kind: 'unbounded_following' }
      : o & F.endOffsetPreceding
        ? bound(true, w.endOffset, 'ending')
        : o & F.endOffsetFollowing
          ? bound(false, w.endOffset, 'ending')
          : { kind: 'current_row' };
  return { mode, start, end };
}

/** A constant offset expression (PostgreSQL allows no column references in it). */
function constantOffset(
  n: Node,
  expected: DataType | undefined,
  bindOffset: (n: Node, clause: string) => Expr,
  what: string,
  at: number | undefined,
): Extract<Expr, { kind: 'literal' }> {
  let e = bindOffset(n, what);
  if (e.type.kind === 'unknown' && expected) e = castIfNeeded(e, expected);
  const folded = foldExpr(e);
  if (folded.kind !== 'literal') {
    throw SqlError.unsupportedPlural(`non-constant ${what} frame offsets`, at);
  }
  return folded;
}

function nullOffset(which: 'starting' | 'ending', at: number | undefined): SqlError {
  return new SqlError(SqlStates.nullValueNotAllowed, `frame ${which} offset must not be null`, at);
}

/** ROWS / GROUPS: a bigint count (negative counts fail when the window runs, like PostgreSQL). */
function countOffset(
  n: Node,
  mode: 'rows' | 'groups',
  bindOffset: (n: Node, clause: string) => Expr,
  which: 'starting' | 'ending',
  at: number | undefined,
): number {
  const name = mode.toUpperCase();
  const lit = constantOffset(n, BIGINT, bindOffset, name, at);
  // Numbers are assigned to bigint (1.5 rounds to 2), as PostgreSQL coerces ROWS/GROUPS offsets.
  if (lit.type.kind === 'decimal' || lit.type.kind === 'double') return roundedCount(lit, which, at);
  if (lit.type.kind !== 'integer' && lit.type.kind !== 'bigint') {
    throw new SqlError(
      SqlStates.datatypeMismatch,
      `argument of ${name} must be type bigint, not type ${typeToSql(lit.type)}`,
      at,
    );
  }
  if (lit.value === null) throw nullOffset(which, at);
  return Number(lit.value);
}

function roundedCount(
  lit: Extract<Expr, { kind: 'literal' }>,
  which: 'starting' | 'ending',
  at: number | undefined,
): number {
  const rounded = foldExpr(castIfNeeded(lit, BIGINT));
  if (rounded.kind !== 'literal') throw SqlError.unsupportedPlural('non-constant frame offsets', at);
  if (rounded.value === null) throw nullOffset(which, at);
  return Number(rounded.value);
}

const MICROS_PER_DAY = 86_400_000_000;

/**
 * RANGE offsets, in the units the window operator compares keys in: the key's own (scaled
 * integers for decimals) for numbers; days for dates and microseconds for timestamps, plus
 * calendar months, for interval offsets. Key and offset types pair as PostgreSQL's in_range
 * functions allow (integer keys: integer offsets; double: any number; numeric: integer or
 * numeric; date and timestamp: interval).
 */
function rangeOffset(
  n: Node,
  keyType: DataType,
  bindOffset: (n: Node, clause: string) => Expr,
  which: 'starting' | 'ending',
  at: number | undefined,
): { offset: number; months?: number } {
  const interval = intervalConstant(n);
  const notSupported = (offsetType: string): never => {
    throw new SqlError(
      SqlStates.featureNotSupported,
      `RANGE with offset PRECEDING/FOLLOWING is not supported for column type ${sqlName(keyType)} and offset type ${offsetType}`,
      at,
      { hint: 'Cast the offset value to an appropriate type.' },
    );
  };
  if (interval) {
    const { months, days, micros } = interval;
    if (keyType.kind === 'date') return { offset: days + micros / MICROS_PER_DAY, months };
    // (timestamptz keys, where the type exists, are microseconds too.)
    if (keyType.kind === 'timestamp' || (keyType.kind as string) === 'timestamptz') {
      return { offset: days * MICROS_PER_DAY + micros, months };
    }
    return notSupported('interval');
  }
  const keyIsNumber =
    keyType.kind === 'integer' || keyType.kind === 'bigint' || keyType.kind === 'double' || keyType.kind === 'decimal';
  const lit = constantOffset(n, keyIsNumber ? keyType : undefined, bindOffset, 'RANGE', at);
  if (lit.value === null) throw nullOffset(which, at);
  const t = lit.type;
  switch (keyType.kind) {
    case 'integer':
    case 'bigint':
      if (t.kind !== 'integer' && t.kind !== 'bigint') return notSupported(sqlName(t));
      return { offset: Number(lit.value) };
    case 'double':
      if (t.kind === 'decimal') return { offset: Number(lit.value) / 10 ** t.scale };
      if (t.kind !== 'integer' && t.kind !== 'bigint' && t.kind !== 'double') return notSupported(sqlName(t));
      return { offset: Number(lit.value) };
    case 'decimal': {
      if (t.kind === 'integer' || t.kind === 'bigint') return { offset: Number(lit.value) * 10 ** keyType.scale };
      if (t.kind !== 'decimal') return notSupported(sqlName(t));
      // Exact while the scaled offset is an integer (the offset's scale is at most the key's).
      const unscaled = BigInt(String(lit.value));
      const shift = keyType.scale - t.scale;
      return { offset: shift >= 0 ? Number(unscaled * 10n ** BigInt(shift)) : Number(unscaled) / 10 ** -shift };
    }
    default:
      return notSupported(sqlName(t));
  }
}

/** PostgreSQL's names of types in messages. */
function sqlName(t: DataType): string {
  switch (t.kind) {
    case 'decimal':
      return 'numeric';
    case 'double':
      return 'double precision';
    case 'varchar':
      return 'text';
    case 'timestamp':
      return 'timestamp without time zone';
    default:
      return typeToSql(t);
  }
}
