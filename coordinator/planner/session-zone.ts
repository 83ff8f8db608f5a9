// Puts the session time zone into a bound plan, before optimizing: every operation whose result
// depends on it gets the zone as an explicit argument, so that constant folding, connector
// pushdown and the workers' kernels all see the same self-contained expression (the kernel
// cache keys on it, and EXPLAIN shows it).
//
//   CAST(ts AS timestamptz)            => timezone('Europe/Berlin', ts)
//   CAST(d AS timestamptz)             => timezone(zone, CAST(d AS timestamp))
//   CAST(text AS timestamptz)          => timestamptz_in(text, zone)
//   CAST(tstz AS timestamp | date | text) => timezone(zone, tstz) | CAST(timezone(...) AS date) | timestamptz_out(tstz, zone)
//   extract(hour FROM tstz)            => extract(hour FROM timezone(zone, tstz))   (epoch stays absolute)
//   date_trunc('day', tstz)            => date_trunc('day', tstz, zone)
//   tstz + interval                    => timestamptz_pl_interval(tstz, interval, zone)
//   age(tstz, tstz)                    => age(timezone(zone, a), timezone(zone, b))
//
// The walk is generic over plan nodes (any object with an expression-shaped member), so plan
// node kinds added later get the zone without changes here; connector handles are left alone.
import { type Expr, rewriteExpr } from '../../common/expr/expr.js';
import { DATE, type DataType, TIMESTAMP, TIMESTAMPTZ, VARCHAR } from '../../common/types.js';
import type { LogicalPlan } from './logical.js';

const EXPR_KINDS: ReadonlySet<string> = new Set([
  'column',
  'ref',
  'literal',
  'param',
  'call',
  'cast',
  'and',
  'or',
  'not',
  'is_null',
  'in',
  'case',
]);
/** Members that belong to connectors (their JSON is theirs, not expressions of ours). */
const OPAQUE_KEYS: ReadonlySet<string> = new Set(['handle', 'insertHandle']);

function isExpr(v: object): v is Expr {
  const kind = (v as { kind?: unknown }).kind;
  return typeof kind === 'string' && EXPR_KINDS.has(kind) && 'type' in v;
}

export function applySessionZone(plan: LogicalPlan, zone: string): LogicalPlan {
  return walk(plan, zone) as LogicalPlan;
}

function walk(v: unknown, zone: string): unknown {
  if (Array.isArray(v)) {
    let changed = false;
    const out = v.map((x) => {
      const y = walk(x, zone);
      if (y !== x) changed = true;
      return y;
    });
    return changed ? out : v;
  }
  if (v === null || typeof v !== 'object') return v;
  if (isExpr(v)) return withZone(v, zone);
  let out: Record<string, unknown> | undefined;
  for (const [k, x] of Object.entries(v)) {
    if (OPAQUE_KEYS.has(k)) continue;
    const y = walk(x, zone);
    if (y !== x) {
      out ??= { ...(v as Record<string, unknown>) };
      out[k] = y;
    }
  }
  return out ?? v;
}

const call = (fn: string, args: readonly Expr[], type: DataType): Expr => ({ kind: 'call', fn, args, type });
const cast = (arg: Expr, type: DataType): Expr => ({ kind: 'cast', arg, type });

/** The expression with the session zone made explicit wherever it matters. */
export function withZone(e: Expr, zone: string): Expr {
  const z: Expr = { kind: 'literal', value: zone, type: VARCHAR };
  const local = (x: Expr, at: Expr = z): Expr => call('timezone', [at, x], TIMESTAMP);
  const instant = (x: Expr, at: Expr = z): Expr => call('timezone', [at, x], TIMESTAMPTZ);
  return rewriteExpr(e, (n) => {
    if (n.kind === 'cast') {
      const from = n.arg.type.kind;
      const to = n.type.kind;
      if (to === 'timestamptz') {
        switch (from) {
          case 'timestamp':
            return instant(n.arg);
          case 'date':
            return instant(cast(n.arg, TIMESTAMP));
          case 'varchar':
            return call('timestamptz_in', [n.arg, z], TIMESTAMPTZ);
          case 'unknown':
            if (n.arg.kind === 'literal') {
              if (n.arg.value === null) return { kind: 'literal', value: null, type: TIMESTAMPTZ };
              return call(
                'timestamptz_in',
                [{ kind: 'literal', value: String(n.arg.value), type: VARCHAR }, z],
                TIMESTAMPTZ,
              );
            }
            return undefined;
          default:
            return undefined;
        }
      }
      if (from === 'timestamptz') {
        switch (to) {
          case 'timestamp':
            return local(n.arg);
          case 'date':
            return cast(local(n.arg), DATE);
          case 'varchar':
            return call('timestamptz_out', [n.arg, z], VARCHAR);
          default:
            return undefined;
        }
      }
      return undefined;
    }
    if (n.kind !== 'call') return undefined;
    switch (n.fn) {
      case 'extract': {
        const [field, x] = n.args;
        if (!field || !x || x.type.kind !== 'timestamptz' || n.args.length !== 2) return undefined;
        const f = field.kind === 'literal' ? field.value : undefined;
        if (f === 'epoch') return undefined;
        if (f === 'timezone' || f === 'timezone_hour' || f === 'timezone_minute') return { ...n, args: [field, x, z] };
        return { ...n, args: [field, local(x)] };
      }
      case 'date_trunc': {
        const [unit, x, at] = n.args;
        if (!unit || !x || x.type.kind !== 'timestamptz' || at) return undefined;
        return { ...n, args: [unit, x, z] };
      }
      case 'timestamptz_pl_interval':
      case 'timestamptz_mi_interval':
        return n.args.length === 2 ? { ...n, args: [...n.args, z] } : undefined;
      case 'age': {
        const [a, b] = n.args;
        if (!a || !b || a.type.kind !== 'timestamptz') return undefined;
        return { ...n, args: [local(a), local(b)] };
      }
      default:
        return undefined;
    }
  });
}
