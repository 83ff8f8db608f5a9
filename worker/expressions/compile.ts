// Expression compiler: turns physical Exprs into one generated JavaScript loop per batch
// (new Function). Each row's intermediate values live in local variables (numbers, bigints,
// booleans, or UTF-8 byte ranges buf/start/end); nothing is materialized between operators of
// one expression, and a filter + projections run in the same loop (PERFORMANCE.md rules 1-2).
//
// Generated shape:
//   factory(H, A, K0..Kn) -> bind(cols) -> run(count, sel, out): number
// `bind` captures the column arrays of one batch as constants of the `run` closure.
import { assertNever } from '../../common/assert.js';
import { SqlError } from '../../common/errors.js';
import type { Expr, LiteralValue } from '../../common/expr/expr.js';
import { decodeLiteral, makeCaster, POW10 } from '../../common/expr/literal.js';
import { SqlStates } from '../../common/sqlstate.js';
import { decodeInterval } from '../../common/time/interval.js';
import { type DataType, isShortDecimal, typeEquals, VARCHAR } from '../../common/types.js';
import { compileDatetimeCast, compileDatetimeFunction, compileExtract, intervalCompare } from './compile-datetime.js';
import { compileFunction } from './compile-functions.js';
import * as R from './runtime.js';
import { Arena, encodeUtf8, LikeMatcher } from './runtime.js';
import * as RD from './runtime-datetime.js';
import * as RF from './runtime-functions.js';
import { type Col, d128Get, d128Num, d128Set, d128SetNum, type Layout, layoutOf } from './vector.js';

/** Value domains of compiled code; 'iv' is an interval: v months, s days, e microseconds (numbers). */
export type Dom = 'bool' | 'num' | 'big' | 'str' | 'iv' | 'null';

export function domOf(t: DataType): Dom {
  switch (t.kind) {
    case 'boolean':
      return 'bool';
    case 'integer':
    case 'date':
    case 'double':
      return 'num';
    case 'decimal':
      return isShortDecimal(t) ? 'num' : 'big';
    case 'bigint':
    case 'timestamp':
    case 'timestamptz':
      return 'big';
    case 'interval':
      return 'iv';
    case 'varchar':
      return 'str';
    case 'unknown':
      return 'null';
    default:
      return assertNever(t, 'type');
  }
}

/** A compiled value: `n` is a JS expression that is true when NULL; `v` the value (buf for str). */
export interface Val {
  readonly dom: Dom;
  readonly n: string;
  readonly v: string;
  readonly s: string;
  readonly e: string;
  /**
   * Long decimals (dom 'big') only, optional: a number expression holding the scaled value when it
   * is an exact integer below 2^53 in magnitude, NaN otherwise. When present, `v` is an expression
   * that builds the BigInt on demand, so kernels that understand `f` skip BigInt for rows that fit
   * (PERFORMANCE.md rule 3).
   */
  readonly f?: string;
}

/** Largest integer exact in float64 (2^53 - 1). */
const SAFE = 9007199254740991;

/** Deterministic calls whose root-level results are reused by identical subexpressions. */
const CSE_FNS = new Set(['add', 'subtract', 'multiply', 'divide', 'modulus', 'negate']);

export class Gen {
  readonly consts: unknown[] = [];
  readonly decls: string[] = [];
  readonly usedCols = new Set<number>();
  usesArena = false;
  private nextVar = 0;
  /** The row loop's top-level statement list: column reads there are reused by later code. */
  rootOut: string[] | null = null;
  private readonly colMemo = new Map<number, Val>();
  /** Arithmetic and casts already computed at the row loop's top level, by expression. */
  private readonly exprMemo = new Map<string, Val>();

  constructor(private readonly inputTypes: readonly DataType[]) {}

  konst(x: unknown): string {
    this.consts.push(x);
    return `K${this.consts.length - 1}`;
  }

  fresh(dom: Dom): { n: string; v: string; s: string; e: string } {
    const id = this.nextVar++;
    const n = `n${id}`;
    const v = `v${id}`;
    switch (dom) {
      case 'bool':
        this.decls.push(`${n} = false`, `${v} = false`);
        break;
      case 'num':
      case 'null':
        this.decls.push(`${n} = false`, `${v} = 0`);
        break;
      case 'big':
        this.decls.push(`${n} = false`, `${v} = 0n`);
        break;
      case 'str':
        this.decls.push(`${n} = false`, `${v} = H.EMPTY`, `s${id} = 0`, `e${id} = 0`);
        break;
      case 'iv':
        this.decls.push(`${n} = false`, `${v} = 0`, `s${id} = 0`, `e${id} = 0`);
        break;
    }
    return { n, v, s: `s${id}`, e: `e${id}` };
  }

  /** A number variable (for `Val.f`). */
  numVar(): string {
    const f = `f${this.nextVar++}`;
    this.decls.push(`${f} = 0`);
    return f;
  }

  compile(e: Expr, out: string[]): Val {
    // Common subexpressions: `price * (1 - discount)` in two aggregates' arguments is computed once
    // per row. Only top-level code (run for every row, in order) is reused.
    if (out === this.rootOut && (e.kind === 'cast' || (e.kind === 'call' && CSE_FNS.has(e.fn)))) {
      const key = JSON.stringify(e);
      const hit = this.exprMemo.get(key);
      if (hit) return hit;
      const val = this.compileExpr(e, out);
      this.exprMemo.set(key, val);
      return val;
    }
    return this.compileExpr(e, out);
  }

  private compileExpr(e: Expr, out: string[]): Val {
    switch (e.kind) {
      case 'column':
        return this.column(e.index, e.type, out);
      case 'literal':
        return this.literal(e.value, e.type);
      case 'ref':
      case 'param':
        throw SqlError.internal(`unresolved ${e.kind} in a physical expression`);
      case 'call':
        return this.call(e.fn, e.args, e.type, out);
      case 'cast':
        return this.cast(e.arg, e.type, out);
      case 'and':
      case 'or':
        return this.logical(e.kind, e.args, out);
      case 'not': {
        const a = this.compile(e.arg, out);
        const r = this.fresh('bool');
        out.push(`${r.n} = ${a.n}; ${r.v} = !${a.v};`);
        return { dom: 'bool', ...r };
      }
      case 'is_null': {
        const a = this.compile(e.arg, out);
        const r = this.fresh('bool');
        out.push(`${r.n} = false; ${r.v} = ${e.negated ? '!' : ''}(${a.n});`);
        return { dom: 'bool', ...r };
      }
      case 'in':
        return this.inList(e.arg, e.list, e.negated, out);
      case 'case':
        return this.caseWhen(e.whens, e.otherwise, e.type, out);
      default:
        return assertNever(e, 'expression');
    }
  }

  private column(index: number, type: DataType, out: string[]): Val {
    const t = this.inputTypes[index];
    if (!t) throw SqlError.internal(`column ${index} out of range (${this.inputTypes.length} inputs)`);
    this.usedCols.add(index);
    const memo = this.colMemo.get(index);
    if (memo) return memo;
    const dom = domOf(type);
    const r = this.fresh(dom);
    const m = `c${index}m`;
    const cv = `c${index}v`;
    out.push(`${r.n} = ${m} !== null && ((${m}[i >> 3] >> (i & 7)) & 1) === 0;`);
    switch (layoutOf(t)) {
      case 'bool':
        out.push(`${r.v} = ((${cv}[i >> 3] >> (i & 7)) & 1) === 1;`);
        break;
      case 'd128': {
        // The number form first; the BigInt only when a consumer needs it (or it does not fit).
        const f = this.numVar();
        out.push(`${f} = H.d128Num(${cv}, i);`);
        const val: Val = { dom, n: r.n, v: `(${f} === ${f} ? BigInt(${f}) : H.d128Get(${cv}, i))`, s: r.s, e: r.e, f };
        if (out === this.rootOut) this.colMemo.set(index, val);
        return val;
      }
      case 'utf8':
        out.push(`${r.v} = ${cv}; ${r.s} = c${index}o[i]; ${r.e} = c${index}o[i + 1];`);
        break;
      case 'iv':
        out.push(
          `${r.v} = ${cv}[4 * i]; ${r.s} = ${cv}[4 * i + 1]; ${r.e} = H.ivMicros(${cv}[4 * i + 2], ${cv}[4 * i + 3]);`,
        );
        break;
      case 'null':
        out.push(`${r.n} = true;`);
        break;
      default:
        out.push(`${r.v} = ${cv}[i];`);
    }
    const val = { dom, ...r };
    if (out === this.rootOut) this.colMemo.set(index, val);
    return val;
  }

  literal(value: LiteralValue, type: DataType): Val {
    const dom = domOf(type);
    const v = decodeLiteral(value, type);
    if (v === null)
      return {
        dom,
        n: 'true',
        v: dom === 'big' ? '0n' : dom === 'bool' ? 'false' : dom === 'str' ? 'H.EMPTY' : '0',
        s: '0',
        e: '0',
      };
    switch (dom) {
      case 'bool':
        return { dom, n: 'false', v: v ? 'true' : 'false', s: '0', e: '0' };
      case 'num':
        return {
          dom,
          n: 'false',
          v: Number.isFinite(v) && !Object.is(v, -0) ? `(${String(v)})` : this.konst(v),
          s: '0',
          e: '0',
        };
      case 'big': {
        const big = { dom, n: 'false', v: `(${String(v)}n)`, s: '0', e: '0' };
        const small = type.kind === 'decimal' && typeof v === 'bigint' && v <= BigInt(SAFE) && v >= -BigInt(SAFE);
        return small ? { ...big, f: `(${String(v)})` } : big;
      }
      case 'str': {
        const bytes = encodeUtf8(String(v));
        return { dom, n: 'false', v: this.konst(bytes), s: '0', e: String(bytes.length) };
      }
      case 'iv': {
        const iv = decodeInterval(String(v));
        return { dom, n: 'false', v: `(${iv.months})`, s: `(${iv.days})`, e: `(${iv.micros})` };
      }
      default:
        return { dom, n: 'true', v: '0', s: '0', e: '0' };
    }
  }

  /** Strict (NULL in -> NULL out): evaluates args, then `body` only when none is NULL. */
  strict(args: readonly Val[], dom: Dom, out: string[], body: (r: Val) => string): Val {
    const r = { dom, ...this.fresh(dom) };
    const nulls = args.map((a) => a.n).filter((n) => n !== 'false');
    if (nulls.includes('true')) {
      out.push(`${r.n} = true;`);
      return r;
    }
    const cond = nulls.length ? nulls.join(' || ') : 'false';
    out.push(`${r.n} = ${cond}; if (!${r.n}) { ${body(r)} }`);
    return r;
  }

  compileArgs(args: readonly Expr[], out: string[]): Val[] {
    return args.map((a) => this.compile(a, out));
  }

  private call(fn: string, args: readonly Expr[], type: DataType, out: string[]): Val {
    switch (fn) {
      case 'add':
      case 'subtract':
      case 'multiply':
      case 'divide':
      case 'modulus':
        return this.arith(fn, args, type, out);
      case 'negate': {
        const [a] = this.compileArgs(args, out);
        return this.strict([a!], domOf(type), out, (r) => this.negate(a!, type, r));
      }
      case 'eq':
      case 'ne':
      case 'lt':
      case 'le':
      case 'gt':
      case 'ge':
        return this.compare(fn, args, out);
      case 'like':
      case 'ilike':
        return this.like(fn === 'ilike', args, out);
      case 'concat':
        return this.concat(args, out, false);
      case 'concat_op':
        return this.concat(args, out, true);
      case 'lower':
      case 'upper': {
        const [a] = this.compileArgs(args, out);
        this.usesArena = true;
        return this.strict(
          [a!],
          'str',
          out,
          (r) =>
            `const st = A.pos; H.changeCase(A, ${a!.v}, ${a!.s}, ${a!.e}, ${fn === 'upper'}); ${r.v} = A.buf; ${r.s} = st; ${r.e} = A.pos;`,
        );
      }
      case 'length': {
        const [a] = this.compileArgs(args, out);
        return this.strict([a!], 'num', out, (r) => `${r.v} = H.utf8Length(${a!.v}, ${a!.s}, ${a!.e});`);
      }
      case 'substring': {
        const vals = this.compileArgs(args, out);
        const [a, st, len] = vals;
        return this.strict(
          vals,
          'str',
          out,
          (r) =>
            `H.substring(${a!.v}, ${a!.s}, ${a!.e}, ${st!.v}, ${len ? len.v : 0}, ${len ? 'true' : 'false'}); ${r.v} = ${a!.v}; ${r.s} = H.RANGE[0]; ${r.e} = H.RANGE[1];`,
        );
      }
      case 'trim': {
        if (args.length > 1) return compileFunction(this, fn, args, type, out)!;
        const [a] = this.compileArgs(args, out);
        return this.strict(
          [a!],
          'str',
          out,
          (r) => `H.trim(${a!.v}, ${a!.s}, ${a!.e}); ${r.v} = ${a!.v}; ${r.s} = H.RANGE[0]; ${r.e} = H.RANGE[1];`,
        );
      }
      case 'abs':
      case 'round':
      case 'ceil':
      case 'floor':
        return this.numericFn(fn, args, type, out);
      case 'coalesce':
        return this.coalesce(args, type, out);
      case 'nullif': {
        const [a, b] = this.compileArgs(args, out);
        const eq = this.eqCode(a!, b!, args[0]!.type, args[1]!.type);
        const r = { dom: a!.dom, ...this.fresh(a!.dom) };
        out.push(
          `if (!(${a!.n}) && !(${b!.n}) && (${eq})) { ${r.n} = true; } else { ${r.n} = ${a!.n}; ${this.assign(r, a!)} }`,
        );
        return r;
      }
      case 'extract':
        return compileExtract(this, args, type, out);
      default: {
        const v = compileFunction(this, fn, args, type, out) ?? compileDatetimeFunction(this, fn, args, type, out);
        if (v) return v;
        throw new SqlError(SqlStates.undefinedFunction, `function ${fn} is not implemented by the worker`);
      }
    }
  }

  /** r := a, converting between number and bigint domains if the binder left them apart. */
  assign(r: { dom: Dom; v: string; s: string; e: string }, a: Val): string {
    if (a.dom === 'str' || a.dom === 'iv') return `${r.v} = ${a.v}; ${r.s} = ${a.s}; ${r.e} = ${a.e};`;
    if (a.n === 'true') return '';
    if (r.dom === 'big' && a.dom === 'num') return `${r.v} = BigInt(${a.v});`;
    if (r.dom === 'num' && a.dom === 'big') return `${r.v} = Number(${a.v});`;
    return `${r.v} = ${a.v};`;
  }

  private arith(fn: string, args: readonly Expr[], type: DataType, out: string[]): Val {
    const [ea, eb] = args;
    const [a, b] = this.compileArgs(args, out);
    const dom = domOf(type);
    switch (type.kind) {
      case 'integer':
        return this.strict([a!, b!], dom, out, (r) => {
          const chk = `if (${r.v} > 2147483647 || ${r.v} < -2147483648) H.overflow('integer');`;
          switch (fn) {
            case 'add':
              return `${r.v} = ${a!.v} + ${b!.v}; ${chk}`;
            case 'subtract':
              return `${r.v} = ${a!.v} - ${b!.v}; ${chk}`;
            case 'multiply':
              return `${r.v} = ${a!.v} * ${b!.v}; ${chk}`;
            case 'divide':
              return `if (${b!.v} === 0) H.divisionByZero(); ${r.v} = Math.trunc(${a!.v} / ${b!.v}); ${chk}`;
            default:
              return `if (${b!.v} === 0) H.divisionByZero(); ${r.v} = (${a!.v} % ${b!.v}) + 0;`;
          }
        });
      case 'bigint':
        return this.strict([a!, b!], dom, out, (r) => {
          const chk = `if (${r.v} > 9223372036854775807n || ${r.v} < -9223372036854775808n) H.overflow('bigint');`;
          const op = { add: '+', subtract: '-', multiply: '*', divide: '/', modulus: '%' }[fn] ?? '+';
          const z = fn === 'divide' || fn === 'modulus' ? `if (${b!.v} === 0n) H.divisionByZero(); ` : '';
          return `${z}${r.v} = ${a!.v} ${op} ${b!.v}; ${chk}`;
        });
      case 'double':
        return this.strict([a!, b!], dom, out, (r) => {
          const op = { add: '+', subtract: '-', multiply: '*', divide: '/', modulus: '%' }[fn] ?? '+';
          const z = fn === 'divide' || fn === 'modulus' ? `if (${b!.v} === 0) H.divisionByZero(); ` : '';
          return `${z}${r.v} = ${a!.v} ${op} ${b!.v}; if ((${r.v} === Infinity || ${r.v} === -Infinity) && Number.isFinite(${a!.v}) && Number.isFinite(${b!.v})) H.overflow('value');`;
        });
      case 'decimal': {
        const sa = ea!.type.kind === 'decimal' ? ea!.type.scale : 0;
        const sb = eb!.type.kind === 'decimal' ? eb!.type.scale : 0;
        const rs = type.scale;
        const p = type.precision;
        const limit = `${10 ** Math.min(p, 22)}`;
        const allNum = a!.dom === 'num' && b!.dom === 'num' && dom === 'num';
        if (allNum && (fn === 'add' || fn === 'subtract') && rs >= sa && rs >= sb) {
          const x = rs === sa ? a!.v : `${a!.v} * ${POW10[rs - sa]}`;
          const y = rs === sb ? b!.v : `${b!.v} * ${POW10[rs - sb]}`;
          const op = fn === 'add' ? '+' : '-';
          return this.strict(
            [a!, b!],
            dom,
            out,
            (r) =>
              `${r.v} = ${x} ${op} ${y}; if (${r.v} >= ${limit} || ${r.v} <= -${limit}) H.decFit(BigInt(${r.v}), ${rs}, ${rs}, ${p});`,
          );
        }
        if (allNum && fn === 'multiply' && rs === sa + sb) {
          return this.strict(
            [a!, b!],
            dom,
            out,
            (r) =>
              `${r.v} = ${a!.v} * ${b!.v} + 0; if (${r.v} >= ${limit} || ${r.v} <= -${limit}) H.decFit(BigInt(${r.v}), ${rs}, ${rs}, ${p});`,
          );
        }
        const A = a!.dom === 'big' ? a!.v : `BigInt(${a!.v})`;
        const B = b!.dom === 'big' ? b!.v : `BigInt(${b!.v})`;
        const exact = this.exactLongDecimal(fn, a!, b!, sa, sb, type, out, A, B);
        if (exact) return exact;
        return this.strict([a!, b!], dom, out, (r) => {
          switch (fn) {
            case 'add':
            case 'subtract': {
              const s = Math.max(sa, sb);
              const x = s === sa ? A : `${A} * ${10n ** BigInt(s - sa)}n`;
              const y = s === sb ? B : `${B} * ${10n ** BigInt(s - sb)}n`;
              return `${r.v} = H.decFit(${x} ${fn === 'add' ? '+' : '-'} ${y}, ${s}, ${rs}, ${p});`;
            }
            case 'multiply':
              return `${r.v} = H.decFit(${A} * ${B}, ${sa + sb}, ${rs}, ${p});`;
            case 'divide':
              return `${r.v} = H.decDivide(${A}, ${sa}, ${B}, ${sb}, ${rs}, ${p});`;
            default:
              return `${r.v} = H.decModulus(${A}, ${sa}, ${B}, ${sb}, ${rs}, ${p});`;
          }
        });
      }
      default:
        throw new SqlError(SqlStates.datatypeMismatch, `operator ${fn} does not apply to type ${type.kind}`);
    }
  }

  /**
   * A long-decimal (BigInt) result of +, - or * computed on JS numbers while the operands and the
   * result are exact integers below 2^53 (rounding is monotonic, so a rounded result within that
   * bound is the exact one); rows outside it take the BigInt path. The result then fits any long
   * precision (2^53 < 10^16). Null when an operand has no number form.
   */
  private exactLongDecimal(
    fn: string,
    a: Val,
    b: Val,
    sa: number,
    sb: number,
    type: DataType & { kind: 'decimal' },
    out: string[],
    A: string,
    B: string,
  ): Val | null {
    if (domOf(type) !== 'big') return null;
    const x = a.dom === 'num' ? a.v : a.f;
    const y = b.dom === 'num' ? b.v : b.f;
    if (x === undefined || y === undefined) return null;
    const rs = type.scale;
    const p = type.precision;
    let num: string;
    let big: string;
    const checks: string[] = [];
    if (fn === 'multiply' && rs === sa + sb) {
      num = `${x} * ${y}`;
      big = `H.decFit(${A} * ${B}, ${rs}, ${rs}, ${p})`;
    } else if ((fn === 'add' || fn === 'subtract') && rs === Math.max(sa, sb)) {
      // A scaled operand is checked on its own: an inexact one could cancel back into range.
      const scaled = (v: string, s: number): string => {
        if (s === rs) return v;
        checks.push(`(${v} * ${POW10[rs - s]})`);
        return `(${v} * ${POW10[rs - s]})`;
      };
      const op = fn === 'add' ? '+' : '-';
      num = `${scaled(x, sa)} ${op} ${scaled(y, sb)}`;
      const bx = rs === sa ? A : `${A} * ${10n ** BigInt(rs - sa)}n`;
      const by = rs === sb ? B : `${B} * ${10n ** BigInt(rs - sb)}n`;
      big = `H.decFit(${bx} ${op} ${by}, ${rs}, ${rs}, ${p})`;
    } else return null;
    const f = this.numVar();
    const inRange = (v: string): string => `${v} <= ${SAFE} && ${v} >= -${SAFE}`;
    const fallback = this.fresh('big').v;
    const scaledOk = checks.map((c) => ` && ${inRange(c)}`).join('');
    // NaN (an operand without an exact number form) fails the range test too.
    const r = this.strict(
      [a, b],
      'big',
      out,
      () => `${f} = ${num} + 0; if (!(${inRange(f)}${scaledOk})) { ${f} = NaN; ${fallback} = ${big}; }`,
    );
    // A NULL result leaves f stale; consumers test `n` first.
    return { ...r, v: `(${f} === ${f} ? BigInt(${f}) : ${fallback})`, f };
  }

  private negate(a: Val, type: DataType, r: { v: string }): string {
    switch (type.kind) {
      case 'integer':
        return `if (${a.v} === -2147483648) H.overflow('integer'); ${r.v} = 0 - ${a.v};`;
      case 'bigint':
        return `if (${a.v} === -9223372036854775808n) H.overflow('bigint'); ${r.v} = -${a.v};`;
      case 'double':
        return `${r.v} = -${a.v};`;
      case 'decimal':
        return a.dom === 'big' ? `${r.v} = -${a.v};` : `${r.v} = 0 - ${a.v};`;
      default:
        throw new SqlError(SqlStates.datatypeMismatch, `cannot negate type ${type.kind}`);
    }
  }

  /** Brings two numeric values to a comparable form (same domain, same decimal scale). */
  private comparable(a: Val, b: Val, ta: DataType, tb: DataType): [string, string] {
    let x = a.v;
    let y = b.v;
    const sa = ta.kind === 'decimal' ? ta.scale : 0;
    const sb = tb.kind === 'decimal' ? tb.scale : 0;
    const big = a.dom === 'big' || b.dom === 'big';
    if (big) {
      if (a.dom !== 'big') x = `BigInt(${x})`;
      if (b.dom !== 'big') y = `BigInt(${y})`;
      if (sa < sb) x = `(${x} * ${10n ** BigInt(sb - sa)}n)`;
      if (sb < sa) y = `(${y} * ${10n ** BigInt(sa - sb)}n)`;
    } else {
      if (sa < sb) x = `(${x} * ${POW10[sb - sa]})`;
      if (sb < sa) y = `(${y} * ${POW10[sa - sb]})`;
    }
    return [x, y];
  }

  eqCode(a: Val, b: Val, ta: DataType, tb: DataType): string {
    if (a.dom === 'str') return `H.eqBytes(${a.v}, ${a.s}, ${a.e}, ${b.v}, ${b.s}, ${b.e})`;
    if (a.dom === 'bool') return `${a.v} === ${b.v}`;
    if (a.dom === 'iv') return intervalCompare(a, b, '===');
    const [x, y] = this.comparable(a, b, ta, tb);
    return `${x} === ${y}`;
  }

  private compare(fn: string, args: readonly Expr[], out: string[]): Val {
    const [a, b] = this.compileArgs(args, out);
    const ta = args[0]!.type;
    const tb = args[1]!.type;
    const op = { eq: '===', ne: '!==', lt: '<', le: '<=', gt: '>', ge: '>=' }[fn] ?? '===';
    return this.strict([a!, b!], 'bool', out, (r) => {
      if (a!.dom === 'str') {
        if (fn === 'eq' || fn === 'ne') {
          return `${r.v} = ${fn === 'ne' ? '!' : ''}H.eqBytes(${a!.v}, ${a!.s}, ${a!.e}, ${b!.v}, ${b!.s}, ${b!.e});`;
        }
        return `${r.v} = H.cmpBytes(${a!.v}, ${a!.s}, ${a!.e}, ${b!.v}, ${b!.s}, ${b!.e}) ${op} 0;`;
      }
      if (a!.dom === 'bool') return `${r.v} = (${a!.v} ? 1 : 0) ${op} (${b!.v} ? 1 : 0);`;
      if (a!.dom === 'iv') return `${r.v} = ${intervalCompare(a!, b!, op)};`;
      const [x, y] = this.comparable(a!, b!, ta, tb);
      return `${r.v} = ${x} ${op} ${y};`;
    });
  }

  private like(ci: boolean, args: readonly Expr[], out: string[]): Val {
    const [es, ep, ee] = args;
    const s = this.compile(es!, out);
    const constPattern = ep!.kind === 'literal' && (!ee || ee.kind === 'literal');
    let text = (r: string): string => `${r} = M.match(${s.v}, ${s.s}, ${s.e});`;
    if (ci) {
      this.usesArena = true;
      text = (r) =>
        `const st = A.pos; H.changeCase(A, ${s.v}, ${s.s}, ${s.e}, false); ${r} = M.match(A.buf, st, A.pos);`;
    }
    if (constPattern) {
      const pv = ep!.kind === 'literal' ? ep!.value : null;
      const escv = ee && ee.kind === 'literal' ? ee.value : '\\';
      if (pv === null || (ee && escv === null)) return this.literal(null, { kind: 'boolean' });
      const pattern = ci ? String(pv).toLowerCase() : String(pv);
      const m = this.konst(new LikeMatcher(pattern, escv === null ? null : String(escv)));
      return this.strict([s], 'bool', out, (r) => `const M = ${m}; ${text(r.v)}`);
    }
    const p = this.compile(ep!, out);
    const esc = ee ? this.compile(ee, out) : null;
    const dyn = this.konst(new R.DynamicLike());
    const escCode = esc ? `H.decodeUtf8(${esc.v}, ${esc.s}, ${esc.e})` : `'\\\\'`;
    const pat = `H.decodeUtf8(${p.v}, ${p.s}, ${p.e})`;
    return this.strict(
      esc ? [s, p, esc] : [s, p],
      'bool',
      out,
      (r) => `const M = ${dyn}.get(${ci ? `${pat}.toLowerCase()` : pat}, ${escCode}); ${text(r.v)}`,
    );
  }

  private concat(args: readonly Expr[], out: string[], strictNulls: boolean): Val {
    this.usesArena = true;
    const vals = args.map((a) =>
      this.compile(a.type.kind === 'varchar' ? a : { kind: 'cast', arg: a, type: VARCHAR }, out),
    );
    const appends = vals.map((a) => `if (!(${a.n})) A.append(${a.v}, ${a.s}, ${a.e});`).join(' ');
    if (strictNulls) {
      return this.strict(
        vals,
        'str',
        out,
        (r) => `const st = A.pos; ${appends} ${r.v} = A.buf; ${r.s} = st; ${r.e} = A.pos;`,
      );
    }
    const r = { dom: 'str' as Dom, ...this.fresh('str') };
    out.push(`{ const st = A.pos; ${appends} ${r.n} = false; ${r.v} = A.buf; ${r.s} = st; ${r.e} = A.pos; }`);
    return r;
  }

  private numericFn(fn: string, args: readonly Expr[], type: DataType, out: string[]): Val {
    const vals = this.compileArgs(args, out);
    const [a, d] = vals;
    const at = args[0]!.type;
    const dom = domOf(type);
    return this.strict(vals, dom, out, (r) => {
      switch (at.kind) {
        case 'integer':
          if (fn === 'abs') return `if (${a!.v} === -2147483648) H.overflow('integer'); ${r.v} = Math.abs(${a!.v});`;
          return this.retype(a!.v, at, type, r.v);
        case 'bigint':
          if (fn === 'abs') {
            return `if (${a!.v} === -9223372036854775808n) H.overflow('bigint'); ${r.v} = ${a!.v} < 0n ? -${a!.v} : ${a!.v};`;
          }
          return this.retype(a!.v, at, type, r.v);
        case 'double':
          switch (fn) {
            case 'abs':
              return `${r.v} = Math.abs(${a!.v});`;
            case 'round':
              return `${r.v} = H.roundDouble(${a!.v}, ${d ? d.v : 0});`;
            case 'ceil':
              return `${r.v} = Math.ceil(${a!.v});`;
            default:
              return `${r.v} = Math.floor(${a!.v});`;
          }
        case 'decimal': {
          const s = at.scale;
          const A = a!.dom === 'big' ? a!.v : `BigInt(${a!.v})`;
          const rs = type.kind === 'decimal' ? type.scale : 0;
          const rp = type.kind === 'decimal' ? type.precision : 38;
          let big: string;
          let from = s;
          switch (fn) {
            case 'abs':
              if (a!.dom === 'num' && dom === 'num' && rs === s) return `${r.v} = Math.abs(${a!.v});`;
              big = `(${A} < 0n ? -${A} : ${A})`;
              break;
            case 'round':
              big = `H.decRound(${A}, ${s}, ${d ? d.v : 0})`;
              break;
            default:
              big = `H.decCeilFloor(${A}, ${s}, ${fn === 'ceil'})`;
              from = 0;
          }
          if (type.kind === 'decimal') return `${r.v} = H.decFit(${big}, ${from}, ${rs}, ${rp});`;
          if (type.kind === 'double') return `${r.v} = Number(${big}) / ${10 ** from};`;
          return `${r.v} = ${dom === 'big' ? '' : 'Number'}(${big} / ${10n ** BigInt(from)}n);`;
        }
        default:
          throw new SqlError(SqlStates.datatypeMismatch, `${fn} does not apply to type ${at.kind}`);
      }
    });
  }

  /** Integer value of type `from` as type `to` (numeric identity functions like ceil(int)). */
  private retype(v: string, from: DataType, to: DataType, r: string): string {
    if (typeEquals(from, to)) return `${r} = ${v};`;
    const caster = this.konst(makeCaster(from, to));
    return `${r} = ${caster}(${v});`;
  }

  private coalesce(args: readonly Expr[], type: DataType, out: string[]): Val {
    const dom = domOf(type);
    const r = { dom, ...this.fresh(dom) };
    const emit = (k: number): string => {
      if (k >= args.length) return `${r.n} = true;`;
      const body: string[] = [];
      const a = this.compile(args[k]!, body);
      return `${body.join('\n')}\nif (!(${a.n})) { ${r.n} = false; ${this.assign(r, a)} } else { ${emit(k + 1)} }`;
    };
    out.push(emit(0));
    return r;
  }

  private logical(kind: 'and' | 'or', args: readonly Expr[], out: string[]): Val {
    const r = { dom: 'bool' as Dom, ...this.fresh('bool') };
    // AND: a FALSE decides; OR: a TRUE decides. Otherwise NULL if any NULL.
    const decisive = kind === 'and' ? 'false' : 'true';
    const neutral = kind === 'and' ? 'true' : 'false';
    const emit = (k: number): string => {
      if (k >= args.length) return `${r.v} = ${neutral};`;
      const body: string[] = [];
      const a = this.compile(args[k]!, body);
      const isDecisive = kind === 'and' ? `!(${a.n}) && !${a.v}` : `!(${a.n}) && ${a.v}`;
      return `${body.join('\n')}\nif (${isDecisive}) { ${r.v} = ${decisive}; ${r.n} = false; } else { if (${a.n}) ${r.n} = true; ${emit(k + 1)} }`;
    };
    out.push(`${r.n} = false;`);
    out.push(emit(0));
    return r;
  }

  private inList(arg: Expr, list: readonly Expr[], negated: boolean, out: string[]): Val {
    const a = this.compile(arg, out);
    const r = { dom: 'bool' as Dom, ...this.fresh('bool') };
    const allLiteral = list.every((x) => x.kind === 'literal');
    const hasNullLiteral = list.some((x) => x.kind === 'literal' && x.value === null);
    const body: string[] = [];
    if (
      allLiteral &&
      (a.dom === 'num' || a.dom === 'big') &&
      (arg.type.kind !== 'decimal' || list.every((x) => typeEquals(x.type, arg.type)))
    ) {
      const set = new Set(
        list.flatMap((x) => {
          const v = x.kind === 'literal' ? decodeLiteral(x.value, x.type) : null;
          return v === null ? [] : [v];
        }),
      );
      const k = this.konst(set);
      body.push(`${r.v} = ${k}.has(${a.v}); ${r.n} = !${r.v} && ${hasNullLiteral};`);
    } else {
      // One flat test per item (nesting them overflowed the stack for long string lists): stop at
      // the first match; a NULL item makes a non-match NULL.
      body.push(`${r.v} = false; ${r.n} = false;`);
      for (const item of list) {
        const b: string[] = [];
        const x = this.compile(item, b);
        const eq = this.eqCode(a, x, arg.type, item.type);
        body.push(
          `if (!${r.v}) { ${b.join('\n')}\nif (${x.n}) { ${r.n} = true; } else if (${eq}) { ${r.v} = true; } }`,
        );
      }
      body.push(`if (${r.v}) ${r.n} = false;`);
    }
    const flip = negated ? `${r.v} = !${r.v};` : '';
    out.push(`if (${a.n}) { ${r.n} = true; } else { ${body.join('\n')} ${flip} }`);
    return r;
  }

  private caseWhen(
    whens: readonly { readonly when: Expr; readonly result: Expr }[],
    otherwise: Expr | null,
    type: DataType,
    out: string[],
  ): Val {
    const dom = domOf(type);
    const r = { dom, ...this.fresh(dom) };
    const emit = (k: number): string => {
      if (k >= whens.length) {
        if (!otherwise) return `${r.n} = true;`;
        const b: string[] = [];
        const x = this.compile(otherwise, b);
        return `${b.join('\n')}\n${r.n} = ${x.n}; ${this.assign(r, x)}`;
      }
      const w = whens[k]!;
      const cb: string[] = [];
      const c = this.compile(w.when, cb);
      const rb: string[] = [];
      const x = this.compile(w.result, rb);
      return `${cb.join('\n')}\nif (!(${c.n}) && ${c.v}) { ${rb.join('\n')}\n${r.n} = ${x.n}; ${this.assign(r, x)} } else { ${emit(k + 1)} }`;
    };
    out.push(emit(0));
    return r;
  }

  private cast(argExpr: Expr, to: DataType, out: string[]): Val {
    // An untyped string literal ('abc'::integer) is text: its cast must parse it (and raise
    // 22P02 / 22007 on bad input), not yield NULL.
    if (argExpr.type.kind === 'unknown' && argExpr.kind === 'literal' && argExpr.value !== null) {
      return this.cast({ kind: 'literal', value: String(argExpr.value), type: VARCHAR }, to, out);
    }
    const from = argExpr.type;
    const a = this.compile(argExpr, out);
    if (typeEquals(from, to)) return a;
    const dom = domOf(to);
    if (from.kind === 'unknown' || to.kind === 'unknown') {
      return {
        dom,
        n: 'true',
        v: dom === 'big' ? '0n' : dom === 'str' ? 'H.EMPTY' : dom === 'bool' ? 'false' : '0',
        s: '0',
        e: '0',
      };
    }
    const datetime = compileDatetimeCast(this, a, from, to, out);
    if (datetime) return datetime;
    // Inline the cheap, common numeric casts.
    const fast = fastCast(a.v, from, to);
    if (fast !== null) return this.strict([a], dom, out, (r) => `${r.v} = ${fast};`);
    const caster = this.konst(makeCaster(from, to));
    const input = a.dom === 'str' ? `H.decodeUtf8(${a.v}, ${a.s}, ${a.e})` : a.v;
    if (dom === 'str') {
      this.usesArena = true;
      return this.strict(
        [a],
        'str',
        out,
        (r) => `const st = A.pos; A.appendString(${caster}(${input})); ${r.v} = A.buf; ${r.s} = st; ${r.e} = A.pos;`,
      );
    }
    return this.strict([a], dom, out, (r) => `${r.v} = ${caster}(${input});`);
  }
}

function fastCast(v: string, from: DataType, to: DataType): string | null {
  const f = from.kind;
  const t = to.kind;
  if (f === 'integer' && t === 'double') return v;
  if (f === 'integer' && t === 'bigint') return `BigInt(${v})`;
  if (f === 'bigint' && t === 'double') return `Number(${v})`;
  if (f === 'date' && t === 'timestamp') return `BigInt(${v}) * 86400000000n`;
  if (f === 'decimal' && t === 'double' && isShortDecimal(from)) return `${v} / ${10 ** from.scale}`;
  if (f === 'integer' && t === 'decimal' && isShortDecimal(to) && to.precision - to.scale >= 10) {
    return `${v} * ${10 ** to.scale}`;
  }
  if (f === 'decimal' && t === 'decimal' && isShortDecimal(from) && isShortDecimal(to) && to.scale >= from.scale) {
    if (to.precision - to.scale >= from.precision - from.scale) return `${v} * ${10 ** (to.scale - from.scale)}`;
  }
  if (f === 'decimal' && t === 'decimal' && isShortDecimal(from) && !isShortDecimal(to) && to.scale >= from.scale) {
    if (to.precision - to.scale >= from.precision - from.scale)
      return `BigInt(${v}) * ${10n ** BigInt(to.scale - from.scale)}n`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------

export interface OutputCol {
  values: Uint8Array | Int32Array | Float64Array | BigInt64Array | Uint32Array;
  offsets: Int32Array | null;
  /** Allocated on the first NULL. */
  validity: Uint8Array | null;
  nulls: number;
}

type RunFn = (count: number, sel: Uint32Array | null, out: OutputCol[], osel: Uint32Array | null) => number;
type BindFn = (cols: readonly Col[]) => RunFn;

interface KernelSpec {
  readonly predicate: Expr | null;
  readonly outputs: readonly Expr[];
  /** Filter only: write the selected row positions instead of output columns. */
  readonly emitSelection: boolean;
}

const kernelCache = new Map<string, { factory: (...a: unknown[]) => BindFn; consts: unknown[]; layouts: Layout[] }>();

function buildKernel(
  spec: KernelSpec,
  inputTypes: readonly DataType[],
): { bind: BindFn; layouts: Layout[]; source: string } {
  const gen = new Gen(inputTypes);
  const body: string[] = [];
  gen.rootOut = body;
  if (spec.predicate) {
    const p = gen.compile(spec.predicate, body);
    body.push(`if ((${p.n}) || !(${p.v})) continue;`);
  }
  const layouts: Layout[] = [];
  const writes: string[] = [];
  const prologue: string[] = [];
  const epilogue: string[] = [];
  spec.outputs.forEach((e, j) => {
    const v = gen.compile(e, body);
    const layout = layoutOf(e.type);
    layouts.push(layout);
    prologue.push(`const o${j}v = out[${j}].values; let o${j}m = out[${j}].validity, o${j}n = 0;`);
    epilogue.push(`out[${j}].nulls = o${j}n; out[${j}].validity = o${j}m;`);
    let w: string;
    switch (layout) {
      case 'bool':
        w = `if (${v.v}) o${j}v[k >> 3] |= 1 << (k & 7);`;
        break;
      case 'd128':
        w = v.f
          ? `if (${v.f} === ${v.f}) H.d128SetNum(o${j}v, k, ${v.f}); else H.d128Set(o${j}v, k, ${v.v});`
          : `H.d128Set(o${j}v, k, ${v.dom === 'big' ? v.v : `BigInt(${v.v})`});`;
        break;
      case 'utf8':
        prologue.push(`let o${j}b = out[${j}].values, o${j}p = 0; const o${j}o = out[${j}].offsets;`);
        epilogue.push(`out[${j}].values = o${j}b;`);
        w = `{ const len = ${v.e} - ${v.s}; if (o${j}p + len > o${j}b.length) o${j}b = H.grow(o${j}b, o${j}p + len); for (let q = ${v.s}; q < ${v.e}; q++) o${j}b[o${j}p++] = ${v.v}[q]; }`;
        break;
      case 'null':
        w = '';
        break;
      case 'iv':
        w = `H.ivSet(o${j}v, k, ${v.v}, ${v.s}, ${v.e});`;
        break;
      case 'i64':
        w = `o${j}v[k] = ${v.dom === 'big' ? v.v : `BigInt(${v.v})`};`;
        break;
      default:
        w = `o${j}v[k] = ${v.dom === 'big' ? `Number(${v.v})` : v.v};`;
    }
    const utf8Close = layout === 'utf8' ? ` o${j}o[k + 1] = o${j}p;` : '';
    writes.push(
      `if (${v.n}) { if (o${j}m === null) o${j}m = H.ones(count); o${j}m[k >> 3] &= ~(1 << (k & 7)); o${j}n++; } else { ${w} }${utf8Close}`,
    );
  });
  if (spec.emitSelection) writes.push('osel[k] = i;');
  const colDecls = [...gen.usedCols]
    .sort((x, y) => x - y)
    .map((c) => `const c${c}v = cols[${c}].values, c${c}m = cols[${c}].validity, c${c}o = cols[${c}].offsets;`);
  const constNames = gen.consts.map((_, k) => `K${k}`);
  const src = `"use strict";
return function bind(cols) {
${colDecls.join('\n')}
return function run(count, sel, out, osel) {
let ${gen.decls.length ? gen.decls.join(', ') : '_u = 0'};
${prologue.join('\n')}
let k = 0;
for (let j = 0; j < count; j++) {
const i = sel === null ? j : sel[j];
${gen.usesArena ? 'A.pos = 0;' : ''}
${body.join('\n')}
${writes.join('\n')}
k++;
}
${epilogue.join('\n')}
return k;
};
};`;
  const key = `${JSON.stringify(spec)}|${JSON.stringify(inputTypes)}`;
  let cached = kernelCache.get(key);
  if (!cached) {
    const factory = new Function('H', 'A', ...constNames, src) as (...a: unknown[]) => BindFn;
    cached = { factory, consts: gen.consts, layouts };
    if (kernelCache.size > 500) kernelCache.clear();
    kernelCache.set(key, cached);
  }
  // Each kernel instance gets its own arena (kernels may run concurrently in one process).
  const bind = cached.factory(RUNTIME, new Arena(), ...gen.consts);
  return { bind, layouts, source: src };
}

const RUNTIME = {
  ...R,
  ...RF,
  ...RD,
  EMPTY: new Uint8Array(0),
  SPACE: new Uint8Array([0x20]),
  d128Get,
  d128Set,
  d128Num,
  d128SetNum,
  ones(n: number): Uint8Array {
    return new Uint8Array((n + 7) >> 3).fill(0xff);
  },
  grow(b: Uint8Array, need: number): Uint8Array {
    let cap = Math.max(64, b.length * 2);
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(b);
    return next;
  },
};

function allocOutput(layout: Layout, n: number): OutputCol {
  const validity = null;
  switch (layout) {
    case 'bool':
      return { values: new Uint8Array((n + 7) >> 3), offsets: null, validity, nulls: 0 };
    case 'i32':
      return { values: new Int32Array(n), offsets: null, validity, nulls: 0 };
    case 'f64':
      return { values: new Float64Array(n), offsets: null, validity, nulls: 0 };
    case 'i64':
      return { values: new BigInt64Array(n), offsets: null, validity, nulls: 0 };
    case 'd128':
      return { values: new Uint32Array(n * 4), offsets: null, validity, nulls: 0 };
    case 'iv':
      return { values: new Int32Array(n * 4), offsets: null, validity, nulls: 0 };
    case 'utf8':
      return { values: new Uint8Array(Math.max(64, n)), offsets: new Int32Array(n + 1), validity, nulls: 0 };
    case 'null':
      return { values: new Uint8Array(0), offsets: null, validity: new Uint8Array((n + 7) >> 3), nulls: n };
    default:
      return assertNever(layout, 'layout');
  }
}

function finishOutput(o: OutputCol, layout: Layout, k: number, n: number): Col {
  let validity: Uint8Array | null = o.nulls === 0 ? null : o.validity;
  if (layout === 'null') validity = new Uint8Array((k + 7) >> 3);
  if (validity && k < n) validity = validity.subarray(0, (k + 7) >> 3);
  let values = o.values;
  if (k < n) {
    switch (layout) {
      case 'bool':
        values = values.subarray(0, (k + 7) >> 3);
        break;
      case 'd128':
      case 'iv':
        values = values.subarray(0, k * 4);
        break;
      case 'utf8':
      case 'null':
        break;
      default:
        values = values.subarray(0, k);
    }
  }
  if (layout === 'utf8') {
    const offsets = o.offsets!;
    return { values: values.subarray(0, offsets[k]!), offsets: k < n ? offsets.subarray(0, k + 1) : offsets, validity };
  }
  return { values, offsets: null, validity };
}

/** Projections (optionally fused with a filter evaluated first, in the same loop). */
export interface ProjectionKernel {
  /**
   * Evaluates over rows [0, n) or over `sel[0..selCount)`; returns the output columns and, when
   * compiled `withSelection`, the positions of the rows that passed the filter.
   */
  run(
    cols: readonly Col[],
    n: number,
    sel?: Uint32Array | null,
    selCount?: number,
  ): { cols: Col[]; length: number; sel: Uint32Array | null };
  readonly source: string;
}

export function compileProjection(
  exprs: readonly Expr[],
  inputTypes: readonly DataType[],
  predicate: Expr | null = null,
  withSelection = false,
): ProjectionKernel {
  const { bind, layouts, source } = buildKernel(
    { predicate, outputs: exprs, emitSelection: withSelection },
    inputTypes,
  );
  return {
    source,
    run(cols, n, sel = null, selCount = n) {
      const count = sel ? selCount : n;
      const outs = layouts.map((l) => allocOutput(l, count));
      const osel = withSelection ? new Uint32Array(count) : null;
      const k = bind(cols)(count, sel, outs, osel);
      return { cols: outs.map((o, j) => finishOutput(o, layouts[j]!, k, count)), length: k, sel: osel };
    },
  };
}

/** A predicate producing a selection vector of the rows where it is TRUE. */
export interface FilterKernel {
  run(
    cols: readonly Col[],
    n: number,
    sel?: Uint32Array | null,
    selCount?: number,
  ): { sel: Uint32Array; count: number };
  readonly source: string;
}

export function compileFilter(predicate: Expr, inputTypes: readonly DataType[]): FilterKernel {
  const { bind, source } = buildKernel({ predicate, outputs: [], emitSelection: true }, inputTypes);
  return {
    source,
    run(cols, n, sel = null, selCount = n) {
      const count = sel ? selCount : n;
      const osel = new Uint32Array(count);
      const k = bind(cols)(count, sel, [], osel);
      return { sel: osel, count: k };
    },
  };
}
