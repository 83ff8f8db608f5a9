// Code generation for timestamptz and interval operations (helpers in runtime-datetime.ts).
// Intervals are compiled values of domain 'iv': v = months, s = days, e = microseconds.
// Zone-dependent calls carry their zone as an argument (coordinator/planner/session-zone.ts):
// a literal zone name becomes a kernel constant, any other zone is looked up per row.
import { SqlError } from '../../common/errors.js';
import type { Expr } from '../../common/expr/expr.js';
import { makeCaster } from '../../common/expr/literal.js';
import { SqlStates } from '../../common/sqlstate.js';
import { type ExtractField, extractField } from '../../common/time/fields.js';
import { zoneByName } from '../../common/time/zone.js';
import type { DataType } from '../../common/types.js';
import { type Dom, domOf, type Gen, type Val } from './compile.js';
import { ZoneCache } from './runtime-datetime.js';
import { unitOf } from './runtime-functions.js';

/** r := the interval a helper left in H.IV. */
const fromIV = (r: Val): string => `${r.v} = H.IV[0]; ${r.s} = H.IV[1]; ${r.e} = H.IV[2];`;
const iv = (a: Val): string => `${a.v}, ${a.s}, ${a.e}`;
const str = (a: Val): string => `H.decodeUtf8(${a.v}, ${a.s}, ${a.e})`;
const arena = (r: Val, call: string): string =>
  `const st = A.pos; A.appendString(${call}); ${r.v} = A.buf; ${r.s} = st; ${r.e} = A.pos;`;

/** A zone argument: a constant for a literal name, else a per-row lookup (PostgreSQL's AT TIME ZONE rules). */
function zoneArg(g: Gen, e: Expr | undefined, out: string[], deps: Val[]): string {
  if (!e) throw SqlError.internal('a time zone argument is missing');
  if (e.kind === 'literal') {
    if (e.value === null) {
      deps.push({ dom: 'null', n: 'true', v: '0', s: '0', e: '0' });
      return 'null';
    }
    return g.konst(zoneByName(String(e.value)));
  }
  const z = g.compile(e, out);
  deps.push(z);
  const cache = g.konst(new ZoneCache());
  return `${cache}.get(${str(z)})`;
}

function fieldArg(e: Expr | undefined): ExtractField {
  const f = e?.kind === 'literal' && typeof e.value === 'string' ? extractField(e.value) : undefined;
  if (!f) throw new SqlError(SqlStates.featureNotSupported, 'extract needs a literal field name');
  return f;
}

export function compileExtract(g: Gen, args: readonly Expr[], type: DataType, out: string[]): Val {
  const field = fieldArg(args[0]);
  const F = JSON.stringify(field);
  const src = args[1]!;
  const a = g.compile(src, out);
  const dom = domOf(type);
  const asDom = (x: string): string => (dom === 'big' ? `BigInt(${x})` : `Number(${x})`);
  switch (src.type.kind) {
    case 'date':
      return g.strict([a], dom, out, (r) => `${r.v} = ${asDom(`H.extractDate(${F}, ${a.v})`)};`);
    case 'timestamp':
    case 'timestamptz': {
      if (field === 'epoch')
        return g.strict([a], dom, out, (r) => `${r.v} = ${dom === 'big' ? a.v : `Number(${a.v})`};`);
      if (field === 'timezone' || field === 'timezone_hour' || field === 'timezone_minute') {
        const deps = [a];
        const z = zoneArg(g, args[2], out, deps);
        return g.strict(deps, dom, out, (r) => `${r.v} = ${asDom(`H.extractZone(${F}, ${a.v}, ${z})`)};`);
      }
      return g.strict([a], dom, out, (r) => `${r.v} = ${asDom(`H.extractTs(${F}, ${a.v})`)};`);
    }
    case 'interval':
      return g.strict([a], dom, out, (r) => `${r.v} = ${asDom(`H.extractIv(${F}, ${iv(a)})`)};`);
    default:
      throw new SqlError(SqlStates.undefinedFunction, `function extract(${src.type.kind}) is not implemented`);
  }
}

/** Casts from or to interval (the zone-dependent timestamptz casts arrive as calls). */
export function compileDatetimeCast(g: Gen, a: Val, from: DataType, to: DataType, out: string[]): Val | undefined {
  if (from.kind !== 'interval' && to.kind !== 'interval') return undefined;
  if (to.kind === 'varchar') {
    g.usesArena = true;
    return g.strict([a], 'str', out, (r) => arena(r, `H.ivText(${iv(a)})`));
  }
  if (to.kind === 'interval' && from.kind === 'varchar') {
    return g.strict([a], 'iv', out, (r) => `H.ivFromText(${str(a)}); ${fromIV(r)}`);
  }
  // Anything else raises PostgreSQL's "cannot cast" through the generic caster.
  const caster = g.konst(makeCaster(from, to));
  const input = a.dom === 'iv' ? `H.ivString(${iv(a)})` : a.dom === 'str' ? str(a) : a.v;
  return g.strict([a], domOf(to), out, () => `${caster}(${input});`);
}

export function compileDatetimeFunction(
  g: Gen,
  fn: string,
  args: readonly Expr[],
  type: DataType,
  out: string[],
): Val | undefined {
  switch (fn) {
    case 'timezone': {
      // timezone(zone, x): timestamp -> timestamptz (x is local time in zone) and back.
      const x = g.compile(args[1]!, out);
      const deps = [x];
      const z = zoneArg(g, args[0], out, deps);
      const h = type.kind === 'timestamptz' ? 'H.toUtc' : 'H.toLocal';
      return g.strict(deps, 'big', out, (r) => `${r.v} = ${h}(${x.v}, ${z});`);
    }
    case 'timestamptz_in': {
      const x = g.compile(args[0]!, out);
      const deps = [x];
      const z = zoneArg(g, args[1], out, deps);
      return g.strict(deps, 'big', out, (r) => `${r.v} = H.parseTimestamptz(${str(x)}, ${z});`);
    }
    case 'timestamptz_out': {
      const x = g.compile(args[0]!, out);
      const deps = [x];
      const z = zoneArg(g, args[1], out, deps);
      g.usesArena = true;
      return g.strict(deps, 'str', out, (r) => arena(r, `H.formatTimestamptz(${x.v}, ${z})`));
    }
    case 'date_trunc': {
      // date_trunc(unit, timestamptz, zone): truncated in the zone's local time.
      const unit = args[0]?.kind === 'literal' ? args[0].value : undefined;
      if (typeof unit !== 'string') {
        if (unit === null) return g.strict([{ dom: 'null', n: 'true', v: '0', s: '0', e: '0' }], 'big', out, () => '');
        throw new SqlError(SqlStates.featureNotSupported, 'the unit of date_trunc must be a constant');
      }
      const u = unitOf(unit, 'type timestamp with time zone');
      const x = g.compile(args[1]!, out);
      const deps = [x];
      const z = zoneArg(g, args[2], out, deps);
      return g.strict(deps, 'big', out, (r) => `${r.v} = H.dateTruncTz(${u}, ${x.v}, ${z});`);
    }
    case 'interval_add':
    case 'interval_sub': {
      const [a, b] = g.compileArgs(args, out);
      const sign = fn === 'interval_add' ? 1 : -1;
      return g.strict([a!, b!], 'iv', out, (r) => `H.ivAdd(${iv(a!)}, ${iv(b!)}, ${sign}); ${fromIV(r)}`);
    }
    case 'interval_neg': {
      const [a] = g.compileArgs(args, out);
      return g.strict([a!], 'iv', out, (r) => `H.ivAdd(0, 0, 0, ${iv(a!)}, -1); ${fromIV(r)}`);
    }
    case 'interval_mul':
    case 'interval_div': {
      const [a, f] = g.compileArgs(args, out);
      const h = fn === 'interval_mul' ? 'H.ivMul' : 'H.ivDiv';
      return g.strict([a!, f!], 'iv', out, (r) => `${h}(${iv(a!)}, ${f!.v}); ${fromIV(r)}`);
    }
    case 'justify_hours':
    case 'justify_days':
    case 'justify_interval': {
      const [a] = g.compileArgs(args, out);
      const kind = fn === 'justify_hours' ? 0 : fn === 'justify_days' ? 1 : 2;
      return g.strict([a!], 'iv', out, (r) => `H.ivJustify(${kind}, ${iv(a!)}); ${fromIV(r)}`);
    }
    case 'timestamp_pl_interval':
    case 'timestamp_mi_interval': {
      const [t, i] = g.compileArgs(args, out);
      const sign = fn === 'timestamp_pl_interval' ? 1 : -1;
      return g.strict([t!, i!], 'big', out, (r) => `${r.v} = H.tsPlusInterval(${t!.v}, ${iv(i!)}, ${sign});`);
    }
    case 'timestamptz_pl_interval':
    case 'timestamptz_mi_interval': {
      const t = g.compile(args[0]!, out);
      const i = g.compile(args[1]!, out);
      const deps = [t, i];
      const z = zoneArg(g, args[2], out, deps);
      const sign = fn === 'timestamptz_pl_interval' ? 1 : -1;
      return g.strict(deps, 'big', out, (r) => `${r.v} = H.tstzPlusInterval(${t.v}, ${iv(i)}, ${sign}, ${z});`);
    }
    case 'timestamp_mi':
    case 'age': {
      const [a, b] = g.compileArgs(args, out);
      const h = fn === 'age' ? 'H.age' : 'H.tsMinus';
      return g.strict([a!, b!], 'iv', out, (r) => `${h}(${a!.v}, ${b!.v}); ${fromIV(r)}`);
    }
    case 'to_timestamp': {
      // to_timestamp(seconds since the epoch) -> timestamptz, rounded to microseconds.
      const [a] = g.compileArgs(args, out);
      return g.strict([a!], 'big', out, (r) => `${r.v} = H.secondsToTimestamp(${a!.v});`);
    }
    default:
      return undefined;
  }
}

/** Ordering comparison of two intervals by total span (30-day months, 24-hour days). */
export function intervalCompare(a: Val, b: Val, op: string): string {
  return `H.ivCmp(${iv(a)}, ${iv(b)}) ${op} 0`;
}

export type { Dom };
