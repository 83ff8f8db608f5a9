// string_agg and array_agg: per group a growing byte buffer (UTF-8), emitted as varchar.
// array_agg has no array type to return yet: it returns PostgreSQL's array text form,
// '{1,2,NULL}', '{"a b","",x}', as varchar.
import { formatValue, type KernelValue } from '../../common/expr/literal.js';
import { formatInterval, nanosWordsToMicros } from '../../common/time/interval.js';
import type { DataType } from '../../common/types.js';
import { bitmapBytes, type Col, d128Get, type Layout, layoutOf } from '../expressions/vector.js';
import { growU8, type MultiAccumulator } from './agg-states.js';

/** Byte strings per group, appended to. */
class GroupBytes {
  bufs: Uint8Array[] = [];
  lens: Int32Array = new Int32Array(16);
  has: Uint8Array = new Uint8Array(16);

  resize(groups: number): void {
    if (this.lens.length < groups) {
      const l = new Int32Array(Math.max(groups, this.lens.length * 2));
      l.set(this.lens);
      this.lens = l;
    }
    this.has = growU8(this.has, groups);
    while (this.bufs.length < groups) this.bufs.push(EMPTY);
  }

  append(g: number, src: Uint8Array, s: number, e: number): void {
    const len = this.lens[g]!;
    const need = len + e - s;
    let b = this.bufs[g]!;
    if (need > b.length) {
      const nb = new Uint8Array(Math.max(need, b.length * 2, 16));
      nb.set(b.subarray(0, len));
      this.bufs[g] = nb;
      b = nb;
    }
    b.set(src.subarray(s, e), len);
    this.lens[g] = need;
  }

  appendByte(g: number, x: number): void {
    ONE[0] = x;
    this.append(g, ONE, 0, 1);
  }

  /** varchar column of the groups' bytes from `skip[g]` on (NULL when nothing was added). */
  output(groups: number, skip: Int32Array | null, prefix = -1, suffix = -1): Col {
    let total = 0;
    for (let g = 0; g < groups; g++) {
      if (this.has[g]) total += this.lens[g]! - (skip ? skip[g]! : 0) + (prefix >= 0 ? 1 : 0) + (suffix >= 0 ? 1 : 0);
    }
    const values = new Uint8Array(total);
    const offsets = new Int32Array(groups + 1);
    const validity = new Uint8Array(bitmapBytes(groups));
    let nulls = 0;
    let p = 0;
    for (let g = 0; g < groups; g++) {
      if (this.has[g]) {
        validity[g >> 3]! |= 1 << (g & 7);
        if (prefix >= 0) values[p++] = prefix;
        const from = skip ? skip[g]! : 0;
        values.set(this.bufs[g]!.subarray(from, this.lens[g]!), p);
        p += this.lens[g]! - from;
        if (suffix >= 0) values[p++] = suffix;
      } else nulls++;
      offsets[g + 1] = p;
    }
    return { values, offsets, validity: nulls ? validity : null };
  }
}

const EMPTY = new Uint8Array(0);
const ONE = new Uint8Array(1);

function isValidAt(m: Uint8Array | null, i: number): boolean {
  return m === null || ((m[i >> 3]! >> (i & 7)) & 1) === 1;
}

/**
 * string_agg(value, delimiter): the non-NULL values, each after the first preceded by its row's
 * delimiter (none when NULL). The state keeps every value's delimiter, also the first one, and the
 * first one's length, so that partial states concatenate.
 */
export class StringAggAcc implements MultiAccumulator {
  private readonly bytes = new GroupBytes();
  private firstSep: Int32Array = new Int32Array(16);

  constructor(private readonly merge: boolean) {}

  resize(groups: number): void {
    this.bytes.resize(groups);
    if (this.firstSep.length < groups) {
      const f = new Int32Array(Math.max(groups, this.firstSep.length * 2));
      f.set(this.firstSep);
      this.firstSep = f;
    }
  }

  update(cols: readonly Col[], n: number, gids: Int32Array, sel: Int32Array | null): void {
    const val = cols[0]!;
    const vv = val.values as Uint8Array;
    const vo = val.offsets!;
    const vm = val.validity;
    const b = this.bytes;
    if (this.merge) {
      const fs = cols[1]!.values as Int32Array;
      for (let k = 0; k < n; k++) {
        const i = sel === null ? k : sel[k]!;
        if (!isValidAt(vm, i)) continue;
        const g = gids[i]!;
        if (b.has[g] === 0) {
          b.has[g] = 1;
          this.firstSep[g] = fs[i]!;
        }
        b.append(g, vv, vo[i]!, vo[i + 1]!);
      }
      return;
    }
    const sep = cols[1]!;
    const sv = sep.values as Uint8Array;
    const so = sep.offsets;
    const sm = sep.validity;
    for (let k = 0; k < n; k++) {
      const i = sel === null ? k : sel[k]!;
      if (!isValidAt(vm, i)) continue;
      const g = gids[i]!;
      const sepLen = so !== null && isValidAt(sm, i) ? so[i + 1]! - so[i]! : 0;
      if (b.has[g] === 0) {
        b.has[g] = 1;
        this.firstSep[g] = sepLen;
      }
      if (sepLen > 0) b.append(g, sv, so![i]!, so![i + 1]!);
      b.append(g, vv, vo[i]!, vo[i + 1]!);
    }
  }

  output(groups: number, partial: boolean): Col[] {
    if (partial) {
      return [
        this.bytes.output(groups, null),
        { values: this.firstSep.slice(0, groups), offsets: null, validity: null },
      ];
    }
    return [this.bytes.output(groups, this.firstSep)];
  }
}

const enc = new TextEncoder();
const Q = 0x22; // "
const BS = 0x5c; // \

/** Whether an array element's text needs double quotes (PostgreSQL's array_out rules). */
function needsQuotes(v: Uint8Array, s: number, e: number): boolean {
  if (s === e) return true;
  if (e - s === 4) {
    const w = String.fromCharCode(v[s]!, v[s + 1]!, v[s + 2]!, v[s + 3]!).toUpperCase();
    if (w === 'NULL') return true;
  }
  for (let q = s; q < e; q++) {
    const c = v[q]!;
    if (c === 0x7b || c === 0x7d || c === 0x2c || c === Q || c === BS || c === 0x20 || (c >= 0x09 && c <= 0x0d))
      return true;
  }
  return false;
}

/** array_agg(x): all values (NULLs too) in array text form; the state is the text without braces. */
export class ArrayAggAcc implements MultiAccumulator {
  private readonly bytes = new GroupBytes();
  private readonly layout: Layout;

  constructor(
    private readonly type: DataType,
    private readonly merge: boolean,
  ) {
    this.layout = layoutOf(type);
  }

  resize(groups: number): void {
    this.bytes.resize(groups);
  }

  private appendElement(g: number, v: Uint8Array, s: number, e: number): void {
    const b = this.bytes;
    if (!needsQuotes(v, s, e)) {
      b.append(g, v, s, e);
      return;
    }
    b.appendByte(g, Q);
    for (let q = s; q < e; q++) {
      const c = v[q]!;
      if (c === Q || c === BS) b.appendByte(g, BS);
      b.appendByte(g, c);
    }
    b.appendByte(g, Q);
  }

  update(cols: readonly Col[], n: number, gids: Int32Array, sel: Int32Array | null): void {
    const col = cols[0]!;
    const m = col.validity;
    const b = this.bytes;
    if (this.merge) {
      const v = col.values as Uint8Array;
      const o = col.offsets!;
      for (let k = 0; k < n; k++) {
        const i = sel === null ? k : sel[k]!;
        if (!isValidAt(m, i)) continue;
        const g = gids[i]!;
        if (b.has[g]) b.appendByte(g, 0x2c);
        b.has[g] = 1;
        b.append(g, v, o[i]!, o[i + 1]!);
      }
      return;
    }
    for (let k = 0; k < n; k++) {
      const i = sel === null ? k : sel[k]!;
      const g = gids[i]!;
      if (b.has[g]) b.appendByte(g, 0x2c);
      b.has[g] = 1;
      if (!isValidAt(m, i)) {
        b.append(g, NULL_TEXT, 0, 4);
        continue;
      }
      if (this.layout === 'utf8') {
        this.appendElement(g, col.values as Uint8Array, col.offsets![i]!, col.offsets![i + 1]!);
        continue;
      }
      const t = elementText(col, this.layout, this.type, i);
      const bytes = enc.encode(t);
      this.appendElement(g, bytes, 0, bytes.length);
    }
  }

  output(groups: number, partial: boolean): Col[] {
    return [partial ? this.bytes.output(groups, null) : this.bytes.output(groups, null, 0x7b, 0x7d)];
  }
}

const NULL_TEXT = enc.encode('NULL');

function elementText(col: Col, layout: Layout, type: DataType, i: number): string {
  let v: KernelValue;
  switch (layout) {
    case 'bool':
      return (((col.values as Uint8Array)[i >> 3]! >> (i & 7)) & 1) === 1 ? 't' : 'f';
    case 'd128':
      v = d128Get(col.values as Uint32Array, i);
      break;
    case 'null':
      return 'NULL';
    case 'iv': {
      const w = col.values as Int32Array;
      return formatInterval(w[4 * i]!, w[4 * i + 1]!, nanosWordsToMicros(w[4 * i + 2]!, w[4 * i + 3]!));
    }
    default:
      v = (col.values as Int32Array | Float64Array | BigInt64Array)[i]!;
  }
  return formatValue(v, type) ?? 'NULL';
}
