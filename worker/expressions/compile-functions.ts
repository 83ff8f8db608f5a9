// Code generation for the scalar functions beyond the core operators (strings, regular
// expressions, math, dates). Each case emits straight-line code for the row loop of the
// kernel; helpers live in runtime-functions.ts (the constant `H` of the generated code).
import { SqlError } from '../../common/errors.js';
import type { Expr } from '../../common/expr/expr.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { DataType } from '../../common/types.js';
import { type Dom, domOf, type Gen, type Val } from './compile.js';
import { compileRegex, DynamicRegex, translateReplacement, unitOf } from './runtime-functions.js';

const str = (a: Val): string => `${a.v}, ${a.s}, ${a.e}`;
/** Result as a sub-range of `a` (written to H.RANGE by the helper). */
const range = (r: Val, a: Val): string => `${r.v} = ${a.v}; ${r.s} = H.RANGE[0]; ${r.e} = H.RANGE[1];`;
/** Result appended to the arena by `call`. */
const arena = (r: Val, call: string): string =>
  `const st = A.pos; ${call}; ${r.v} = A.buf; ${r.s} = st; ${r.e} = A.pos;`;

function literalString(e: Expr | undefined, what: string): string | null {
  if (e?.kind !== 'literal') throw new SqlError(SqlStates.featureNotSupported, `${what} must be a constant`);
  return e.value === null ? null : String(e.value);
}

const NUM_1: Readonly<Record<string, (x: string) => string>> = {
  sqrt: (x) => `H.sqrt(${x})`,
  cbrt: (x) => `Math.cbrt(${x})`,
  ln: (x) => `H.ln(${x})`,
  log10: (x) => `H.log10(${x})`,
  exp: (x) => `H.exp(${x})`,
  degrees: (x) => `${x} * (180 / Math.PI)`,
  radians: (x) => `${x} * (Math.PI / 180)`,
};

export function compileFunction(
  g: Gen,
  fn: string,
  args: readonly Expr[],
  type: DataType,
  out: string[],
): Val | undefined {
  const num1 = NUM_1[fn];
  if (num1) {
    const [a] = g.compileArgs(args, out);
    return g.strict([a!], 'num', out, (r) => `${r.v} = ${num1(a!.v)};`);
  }
  switch (fn) {
    // ---- strings ----
    case 'strpos': {
      const vals = g.compileArgs(args, out);
      const [a, b] = vals;
      return g.strict(vals, 'num', out, (r) => `${r.v} = H.strpos(${str(a!)}, ${str(b!)});`);
    }
    case 'starts_with': {
      const vals = g.compileArgs(args, out);
      const [a, b] = vals;
      return g.strict(vals, 'bool', out, (r) => `${r.v} = H.startsWith(${str(a!)}, ${str(b!)});`);
    }
    case 'ltrim':
    case 'rtrim':
    case 'trim': {
      const vals = g.compileArgs(args, out);
      const [a, c] = vals;
      const mode = fn === 'trim' ? 0 : fn === 'ltrim' ? 1 : 2;
      return g.strict(vals, 'str', out, (r) => {
        if (c) return `H.trimChars(${str(a!)}, ${str(c)}, ${mode}); ${range(r, a!)}`;
        if (mode === 0) return `H.trim(${str(a!)}); ${range(r, a!)}`;
        return `H.trimChars(${str(a!)}, H.SPACE, 0, 1, ${mode}); ${range(r, a!)}`;
      });
    }
    case 'split_part': {
      const vals = g.compileArgs(args, out);
      const [a, d, n] = vals;
      return g.strict(vals, 'str', out, (r) => `H.splitPart(${str(a!)}, ${str(d!)}, ${n!.v}); ${range(r, a!)}`);
    }
    case 'left':
    case 'right': {
      const vals = g.compileArgs(args, out);
      const [a, n] = vals;
      return g.strict(vals, 'str', out, (r) => `H.${fn}(${str(a!)}, ${n!.v}); ${range(r, a!)}`);
    }
    case 'replace': {
      g.usesArena = true;
      const vals = g.compileArgs(args, out);
      const [a, f, t] = vals;
      return g.strict(vals, 'str', out, (r) => arena(r, `H.replace(A, ${str(a!)}, ${str(f!)}, ${str(t!)})`));
    }
    case 'lpad':
    case 'rpad': {
      g.usesArena = true;
      const vals = g.compileArgs(args, out);
      const [a, n, f] = vals;
      return g.strict(vals, 'str', out, (r) => arena(r, `H.pad(A, ${str(a!)}, ${n!.v}, ${str(f!)}, ${fn === 'lpad'})`));
    }
    case 'reverse':
    case 'initcap':
    case 'md5': {
      g.usesArena = true;
      const [a] = g.compileArgs(args, out);
      return g.strict([a!], 'str', out, (r) => arena(r, `H.${fn}(A, ${str(a!)})`));
    }
    case 'repeat': {
      g.usesArena = true;
      const vals = g.compileArgs(args, out);
      const [a, n] = vals;
      return g.strict(vals, 'str', out, (r) => arena(r, `H.repeat(A, ${str(a!)}, ${n!.v})`));
    }
    case 'chr': {
      g.usesArena = true;
      const [a] = g.compileArgs(args, out);
      return g.strict([a!], 'str', out, (r) => arena(r, `H.chr(A, ${a!.v})`));
    }
    case 'ascii': {
      const [a] = g.compileArgs(args, out);
      return g.strict([a!], 'num', out, (r) => `${r.v} = H.ascii(${str(a!)});`);
    }
    case 'regexp_like':
      return regex(g, args, out, null);
    case 'regexp_replace':
      return regex(g, args, out, args[2]!);
    // ---- math ----
    case 'power':
    case 'log': {
      const vals = g.compileArgs(args, out);
      const [a, b] = vals;
      const h = fn === 'power' ? 'H.power' : 'H.logBase';
      return g.strict(vals, 'num', out, (r) => `${r.v} = ${h}(${a!.v}, ${b!.v});`);
    }
    case 'random': {
      const r = { dom: 'num' as Dom, ...g.fresh('num') };
      out.push(`${r.n} = false; ${r.v} = Math.random();`);
      return r;
    }
    case 'sign': {
      const [a] = g.compileArgs(args, out);
      const at = args[0]!.type;
      const dom = domOf(type);
      const zero = a!.dom === 'big' ? '0n' : '0';
      const one = dom === 'big' ? '1n' : '1';
      return g.strict([a!], dom, out, (r) => {
        const unit =
          type.kind === 'decimal'
            ? `(${one} * ${dom === 'big' ? `${10n ** BigInt(type.scale)}n` : 10 ** type.scale})`
            : one;
        if (at.kind === 'double') return `${r.v} = ${a!.v} > 0 ? 1 : ${a!.v} < 0 ? -1 : ${a!.v};`;
        return `${r.v} = ${a!.v} > ${zero} ? ${unit} : ${a!.v} < ${zero} ? -${unit} : ${dom === 'big' ? '0n' : '0'};`;
      });
    }
    case 'trunc':
      return trunc(g, args, type, out);
    case 'greatest':
    case 'least':
      return greatest(g, fn === 'greatest', args, type, out);
    // ---- dates ----
    case 'make_date': {
      const vals = g.compileArgs(args, out);
      const [y, m, d] = vals;
      return g.strict(vals, 'num', out, (r) => `${r.v} = H.makeDate(${y!.v}, ${m!.v}, ${d!.v});`);
    }
    case 'date_trunc': {
      if (args[1]?.type.kind === 'timestamptz') return undefined; // compile-datetime.ts
      const unit = literalString(args[0], 'the unit of date_trunc');
      const u = unit === null ? 0 : unitOf(unit, 'type timestamp without time zone');
      const a = g.compile(args[1]!, out);
      if (unit === null) return g.strict([a, { ...a, n: 'true' }], 'big', out, () => '');
      return g.strict([a], 'big', out, (r) => `${r.v} = H.dateTrunc(${u}, ${a.v});`);
    }
    case 'date_add': {
      const unit = literalString(args[0], 'the unit of date_add');
      const vals = g.compileArgs(args.slice(1), out);
      const [n, d] = vals;
      const dom = domOf(type);
      if (unit === null) return g.strict([{ ...n!, n: 'true' }], dom, out, () => '');
      const u = unitOf(unit, 'date_add');
      if (type.kind === 'date') {
        const nn = n!.dom === 'big' ? `Number(${n!.v})` : n!.v;
        return g.strict(vals, dom, out, (r) => `${r.v} = H.dateAddDays(${u}, ${nn}, ${d!.v});`);
      }
      const nb = n!.dom === 'big' ? n!.v : `BigInt(${n!.v})`;
      return g.strict(vals, dom, out, (r) => `${r.v} = H.dateAddMicros(${u}, ${nb}, ${d!.v});`);
    }
    case 'date_diff': {
      const unit = literalString(args[0], 'the unit of date_diff');
      const vals = g.compileArgs(args.slice(1), out);
      const [a, b] = vals;
      const dom = domOf(type);
      if (unit === null) return g.strict([{ ...a!, n: 'true' }], dom, out, () => '');
      const u = unitOf(unit, 'date_diff');
      const dated = args[1]!.type.kind === 'date';
      if (dated && u === 5) {
        // date - date and date_diff('day', ...): plain day counts.
        return g.strict(
          vals,
          dom,
          out,
          (r) => `${r.v} = ${dom === 'big' ? `BigInt(${b!.v} - ${a!.v})` : `${b!.v} - ${a!.v}`};`,
        );
      }
      const ts = (v: Val): string => (dated ? `BigInt(${v.v}) * 86400000000n` : v.v);
      return g.strict(vals, dom, out, (r) => {
        const d = `H.dateDiff(${u}, ${ts(a!)}, ${ts(b!)})`;
        return `${r.v} = ${dom === 'big' ? d : `Number(${d})`};`;
      });
    }
    default:
      return undefined;
  }
}

/** regexp_like(s, p[, flags]) (replacement null) or regexp_replace(s, p, replacement[, flags]). */
function regex(g: Gen, args: readonly Expr[], out: string[], replacement: Expr | null): Val {
  const [es, ep] = args;
  const ef = replacement ? args[3] : args[2];
  const s = g.compile(es!, out);
  const constant = ep!.kind === 'literal' && (!ef || ef.kind === 'literal');
  const isReplace = replacement !== null;
  const dom: Dom = isReplace ? 'str' : 'bool';
  let re: string;
  const deps: Val[] = [s];
  if (constant) {
    const p = literalString(ep, 'pattern');
    const f = ef ? literalString(ef, 'flags') : '';
    if (p === null || f === null) return g.strict([{ ...s, n: 'true' }], dom, out, () => '');
    re = g.konst(compileRegex(p, f));
  } else {
    const p = g.compile(ep!, out);
    const f = ef ? g.compile(ef, out) : null;
    deps.push(p);
    if (f) deps.push(f);
    const dyn = g.konst(new DynamicRegex());
    re = `${dyn}.get(H.decodeUtf8(${str(p)}), ${f ? `H.decodeUtf8(${str(f)})` : "''"})`;
  }
  if (!isReplace) return g.strict(deps, 'bool', out, (r) => `${r.v} = H.regexTest(${re}, ${str(s)});`);
  g.usesArena = true;
  let rep: string;
  if (replacement.kind === 'literal') {
    if (replacement.value === null) return g.strict([{ ...s, n: 'true' }], dom, out, () => '');
    rep = JSON.stringify(translateReplacement(String(replacement.value)));
  } else {
    const rv = g.compile(replacement, out);
    deps.push(rv);
    rep = `H.translateReplacement(H.decodeUtf8(${str(rv)}))`;
  }
  return g.strict(deps, 'str', out, (r) => arena(r, `H.regexReplace(A, ${re}, ${str(s)}, ${rep})`));
}

function trunc(g: Gen, args: readonly Expr[], type: DataType, out: string[]): Val {
  const vals = g.compileArgs(args, out);
  const [a, d] = vals;
  const at = args[0]!.type;
  const dom = domOf(type);
  return g.strict(vals, dom, out, (r) => {
    if (at.kind === 'double') return `${r.v} = H.truncDouble(${a!.v}, ${d ? d.v : 0});`;
    if (at.kind !== 'decimal') return g.assign(r, a!);
    const A = a!.dom === 'big' ? a!.v : `BigInt(${a!.v})`;
    const rs = type.kind === 'decimal' ? type.scale : 0;
    const rp = type.kind === 'decimal' ? type.precision : 38;
    return `${r.v} = H.decFit(H.decTrunc(${A}, ${at.scale}, ${d ? d.v : 0}), ${at.scale}, ${rs}, ${rp});`;
  });
}

/** greatest/least: NULL arguments are ignored; NULL only when all are NULL (PostgreSQL). */
function greatest(g: Gen, max: boolean, args: readonly Expr[], type: DataType, out: string[]): Val {
  const dom = domOf(type);
  const r = { dom, ...g.fresh(dom) };
  out.push(`${r.n} = true;`);
  const op = max ? '>' : '<';
  for (const e of args) {
    const body: string[] = [];
    const a = g.compile(e, body);
    let better: string;
    if (dom === 'str') better = `H.cmpBytes(${str(a)}, ${r.v}, ${r.s}, ${r.e}) ${op} 0`;
    else if (dom === 'bool') better = `(${a.v} ? 1 : 0) ${op} (${r.v} ? 1 : 0)`;
    else if (dom === 'iv') better = `H.ivCmp(${a.v}, ${a.s}, ${a.e}, ${r.v}, ${r.s}, ${r.e}) ${op} 0`;
    else better = `${a.v} ${op} ${r.v}`;
    out.push(`${body.join('\n')}\nif (!(${a.n}) && (${r.n} || ${better})) { ${r.n} = false; ${g.assign(r, a)} }`);
  }
  return r;
}
