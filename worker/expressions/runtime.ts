// Helpers the generated kernels call (passed in as the constant `H`). Everything here works on
// raw values: numbers, bigints and UTF-8 byte ranges (buf, start, end).
import { SqlError } from '../../common/errors.js';
import { divRoundHalfAway, fitDecimal, POW10_BIG, roundHalfAway } from '../../common/expr/literal.js';
import { SqlStates } from '../../common/sqlstate.js';

export function overflow(type: string): never {
  throw new SqlError(SqlStates.numericValueOutOfRange, `${type} out of range`);
}

export function divisionByZero(): never {
  throw new SqlError(SqlStates.divisionByZero, 'division by zero');
}

/** Scratch bytes for strings computed within one row (reset at the start of each row). */
export class Arena {
  buf = new Uint8Array(256);
  pos = 0;
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
  append(b: Uint8Array, s: number, e: number): void {
    this.reserve(e - s);
    const out = this.buf;
    let p = this.pos;
    for (let q = s; q < e; q++) out[p++] = b[q]!;
    this.pos = p;
  }
  appendString(str: string): void {
    this.reserve(str.length * 3);
    const r = encoder.encodeInto(str, this.buf.subarray(this.pos));
    this.pos += r.written;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeUtf8(s: string): Uint8Array {
  return encoder.encode(s);
}

export function decodeUtf8(b: Uint8Array, s: number, e: number): string {
  if (e - s < 24) {
    let ascii = true;
    for (let q = s; q < e; q++) {
      if (b[q]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      let out = '';
      for (let q = s; q < e; q++) out += String.fromCharCode(b[q]!);
      return out;
    }
  }
  return decoder.decode(b.subarray(s, e));
}

/** Byte-wise comparison = code point order for UTF-8 (C collation). */
export function cmpBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const la = ae - as;
  const lb = be - bs;
  const n = Math.min(la, lb);
  for (let k = 0; k < n; k++) {
    const d = a[as + k]! - b[bs + k]!;
    if (d !== 0) return d;
  }
  return la - lb;
}

export function eqBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): boolean {
  if (ae - as !== be - bs) return false;
  for (let k = as, j = bs; k < ae; k++, j++) if (a[k] !== b[j]) return false;
  return true;
}

export function utf8Length(b: Uint8Array, s: number, e: number): number {
  let n = 0;
  for (let q = s; q < e; q++) if ((b[q]! & 0xc0) !== 0x80) n++;
  return n;
}

/** Result range of substring/trim: [start, end] written here. */
export const RANGE = new Int32Array(2);

/** PostgreSQL substring(s from start [for len]) on code points; writes RANGE. */
export function substring(b: Uint8Array, s: number, e: number, start: number, len: number, hasLen: boolean): void {
  if (hasLen && len < 0) {
    throw new SqlError('22011' as never, 'negative substring length not allowed');
  }
  const first = Math.max(start, 1);
  const last = hasLen ? start + len : Number.POSITIVE_INFINITY; // exclusive, 1-based
  let cp = 1;
  let q = s;
  while (q < e && cp < first) {
    q++;
    while (q < e && (b[q]! & 0xc0) === 0x80) q++;
    cp++;
  }
  const from = q;
  if (last <= first) {
    RANGE[0] = from;
    RANGE[1] = from;
    return;
  }
  while (q < e && cp < last) {
    q++;
    while (q < e && (b[q]! & 0xc0) === 0x80) q++;
    cp++;
  }
  RANGE[0] = from;
  RANGE[1] = q;
}

export function trim(b: Uint8Array, s: number, e: number): void {
  while (s < e && b[s] === 0x20) s++;
  while (e > s && b[e - 1] === 0x20) e--;
  RANGE[0] = s;
  RANGE[1] = e;
}

/** lower/upper into the arena (ASCII fast path). */
export function changeCase(a: Arena, b: Uint8Array, s: number, e: number, upper: boolean): void {
  let ascii = true;
  for (let q = s; q < e; q++) {
    if (b[q]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (!ascii) {
    const str = decodeUtf8(b, s, e);
    a.appendString(upper ? str.toUpperCase() : str.toLowerCase());
    return;
  }
  a.reserve(e - s);
  const out = a.buf;
  let p = a.pos;
  for (let q = s; q < e; q++) {
    const c = b[q]!;
    if (upper) out[p++] = c >= 97 && c <= 122 ? c - 32 : c;
    else out[p++] = c >= 65 && c <= 90 ? c + 32 : c;
  }
  a.pos = p;
}

// ---- LIKE on UTF-8 bytes ----

const ANY = -1;
const STAR = -2;

export class LikeMatcher {
  private readonly tokens: Int32Array;
  private readonly mode: 'exact' | 'prefix' | 'suffix' | 'segments' | 'generic';
  private readonly lit: Uint8Array;
  /** segments mode (no `_`): the literal runs between `%`s, found left to right. */
  private readonly segments: Uint8Array[] = [];
  private readonly anchoredStart: boolean = false;
  private readonly anchoredEnd: boolean = false;

  constructor(pattern: string, escapeChar: string | null) {
    const bytes = encoder.encode(pattern);
    const esc = escapeChar === null || escapeChar === '' ? -1 : encoder.encode(escapeChar)[0]!;
    const toks: number[] = [];
    for (let k = 0; k < bytes.length; k++) {
      const c = bytes[k]!;
      if (c === esc) {
        k++;
        if (k >= bytes.length) {
          throw new SqlError(SqlStates.invalidParameterValue, 'LIKE pattern must not end with escape character');
        }
        toks.push(bytes[k]!);
      } else if (c === 0x25) {
        if (toks[toks.length - 1] !== STAR) toks.push(STAR);
      } else if (c === 0x5f) toks.push(ANY);
      else toks.push(c);
    }
    this.tokens = Int32Array.from(toks);
    const inner = toks.filter((t) => t !== STAR);
    const noAny = inner.every((t) => t >= 0);
    const stars = toks.length - inner.length;
    const first = toks[0] === STAR;
    const last = toks[toks.length - 1] === STAR;
    this.lit = Uint8Array.from(inner.map((t) => Math.max(t, 0)));
    if (noAny && stars === 0) this.mode = 'exact';
    else if (noAny && stars === 1 && last) this.mode = 'prefix';
    else if (noAny && stars === 1 && first) this.mode = 'suffix';
    else if (noAny) {
      // 'a%b%c', '%special%requests%': literal runs, each matched leftmost after the previous one.
      this.mode = 'segments';
      this.anchoredStart = !first;
      this.anchoredEnd = !last;
      let run: number[] = [];
      for (const t of [...toks, STAR]) {
        if (t !== STAR) run.push(t);
        else if (run.length > 0) {
          this.segments.push(Uint8Array.from(run));
          run = [];
        }
      }
    } else this.mode = 'generic';
  }

  match(b: Uint8Array, s: number, e: number): boolean {
    const lit = this.lit;
    const n = lit.length;
    switch (this.mode) {
      case 'exact':
        return eqBytes(b, s, e, lit, 0, n);
      case 'prefix':
        return e - s >= n && eqBytes(b, s, s + n, lit, 0, n);
      case 'suffix':
        return e - s >= n && eqBytes(b, e - n, e, lit, 0, n);
      case 'segments':
        return this.segmentsMatch(b, s, e);
      default:
        return this.generic(b, s, e);
    }
  }

  private segmentsMatch(b: Uint8Array, s: number, e: number): boolean {
    const segs = this.segments;
    let from = 0;
    let to = segs.length;
    let q = s;
    let end = e;
    if (this.anchoredStart) {
      const p = segs[from++]!;
      if (end - q < p.length || !eqBytes(b, q, q + p.length, p, 0, p.length)) return false;
      q += p.length;
    }
    if (this.anchoredEnd && from < to) {
      const p = segs[--to]!;
      if (end - q < p.length || !eqBytes(b, end - p.length, end, p, 0, p.length)) return false;
      end -= p.length;
    }
    for (let k = from; k < to; k++) {
      const p = segs[k]!;
      const n = p.length;
      const c0 = p[0]!;
      const last = end - n;
      let found = -1;
      outer: for (let x = q; x <= last; x++) {
        if (b[x] !== c0) continue;
        for (let j = 1; j < n; j++) if (b[x + j] !== p[j]) continue outer;
        found = x;
        break;
      }
      if (found < 0) return false;
      q = found + n;
    }
    return true;
  }

  private generic(b: Uint8Array, s: number, e: number): boolean {
    const tok = this.tokens;
    const plen = tok.length;
    let p = 0;
    let t = s;
    let starP = -1;
    let starT = s;
    while (t < e) {
      const k = p < plen ? tok[p]! : 0;
      if (p < plen && k >= 0 && b[t] === k) {
        p++;
        t++;
      } else if (p < plen && k === ANY) {
        t++;
        while (t < e && (b[t]! & 0xc0) === 0x80) t++;
        p++;
      } else if (p < plen && k === STAR) {
        starP = p++;
        starT = t;
      } else if (starP >= 0) {
        p = starP + 1;
        starT++;
        while (starT < e && (b[starT]! & 0xc0) === 0x80) starT++;
        t = starT;
      } else return false;
    }
    while (p < plen && tok[p] === STAR) p++;
    return p === plen;
  }
}

/** Matcher cache for non-constant patterns. */
export class DynamicLike {
  private last = '';
  private lastEsc: string | null = null;
  private m: LikeMatcher | null = null;
  get(pattern: string, escapeChar: string | null): LikeMatcher {
    if (this.m === null || pattern !== this.last || escapeChar !== this.lastEsc) {
      this.m = new LikeMatcher(pattern, escapeChar);
      this.last = pattern;
      this.lastEsc = escapeChar;
    }
    return this.m;
  }
}

// ---- decimals (BigInt path) ----

export function pow10(n: number): bigint {
  return POW10_BIG[n] as bigint;
}

/** Rescales a bigint decimal to `to` scale (half away from zero) and checks precision. */
export function decFit(v: bigint, from: number, to: number, precision: number): number | bigint {
  let r = v;
  if (to > from) r = v * pow10(to - from);
  else if (to < from) r = divRoundHalfAway(v, pow10(from - to));
  return fitDecimal(r, precision, to);
}

export function decDivide(
  a: bigint,
  sa: number,
  b: bigint,
  sb: number,
  rs: number,
  precision: number,
): number | bigint {
  if (b === 0n) divisionByZero();
  // a/10^sa / (b/10^sb) * 10^rs = a * 10^(rs - sa + sb) / b
  const k = rs - sa + sb;
  const num = k >= 0 ? a * pow10(k) : a;
  const den = k >= 0 ? b : b * pow10(-k);
  return fitDecimal(divRoundHalfAway(num, den), precision, rs);
}

export function decModulus(
  a: bigint,
  sa: number,
  b: bigint,
  sb: number,
  rs: number,
  precision: number,
): number | bigint {
  if (b === 0n) divisionByZero();
  const s = Math.max(sa, sb);
  const x = a * pow10(s - sa);
  const y = b * pow10(s - sb);
  return decFit(x % y, s, rs, precision);
}

/** round(x, d) for a decimal of scale s (kept), half away from zero. */
export function decRound(v: bigint, s: number, d: number): bigint {
  if (d >= s) return v;
  const unit = pow10(Math.min(s - d, 78));
  return divRoundHalfAway(v, unit) * unit;
}

export function decCeilFloor(v: bigint, s: number, ceil: boolean): bigint {
  if (s === 0) return v;
  const unit = pow10(s);
  let q = v / unit;
  const r = v % unit;
  if (r !== 0n) {
    if (ceil && v > 0n) q += 1n;
    if (!ceil && v < 0n) q -= 1n;
  }
  return q;
}

export function roundDouble(x: number, d: number): number {
  if (!Number.isFinite(x)) return x;
  if (d === 0) return roundHalfAway(x);
  const f = 10 ** d;
  return roundHalfAway(x * f) / f;
}

export function toBig(x: number | bigint): bigint {
  return typeof x === 'bigint' ? x : BigInt(x);
}
