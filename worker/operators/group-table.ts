// Open-addressing hash table (linear probing) mapping key tuples to dense group ids, with the
// keys stored column-wise in growable typed arrays (PERFORMANCE.md rule 4). NULL is a key value.

import { eqBytes } from '../expressions/runtime.js';
import { type Col, type Layout, takeCol } from '../expressions/vector.js';
import { hashColumns, rowEquals } from './hash.js';

class KeyStore {
  values: Uint8Array | Int32Array | Float64Array | BigInt64Array | Uint32Array;
  offsets: Int32Array | null = null;
  validity: Uint8Array;
  bytes = 0;
  constructor(
    readonly layout: Layout,
    cap: number,
  ) {
    this.values = alloc(layout, cap);
    if (layout === 'utf8') {
      this.offsets = new Int32Array(cap + 1);
      this.values = new Uint8Array(cap * 8);
    }
    this.validity = new Uint8Array((cap + 7) >> 3);
  }

  grow(cap: number): void {
    const old = this.values;
    if (this.layout === 'utf8') {
      const o = new Int32Array(cap + 1);
      o.set(this.offsets!);
      this.offsets = o;
    } else if (this.layout !== 'null') {
      const v = alloc(this.layout, cap);
      // biome-ignore lint/suspicious/noExplicitAny: same typed array kind
      (v as any).set(old as any);
      this.values = v;
    }
    const m = new Uint8Array((cap + 7) >> 3);
    m.set(this.validity);
    this.validity = m;
  }

  append(g: number, src: Col, i: number): void {
    const m = src.validity;
    const valid = m === null || ((m[i >> 3]! >> (i & 7)) & 1) === 1;
    if (valid) this.validity[g >> 3]! |= 1 << (g & 7);
    switch (this.layout) {
      case 'null':
        return;
      case 'bool': {
        const sv = src.values as Uint8Array;
        if (valid && ((sv[i >> 3]! >> (i & 7)) & 1) === 1) (this.values as Uint8Array)[g >> 3]! |= 1 << (g & 7);
        return;
      }
      case 'd128':
      case 'iv': {
        const sv = src.values as Uint32Array | Int32Array;
        const dv = this.values as Uint32Array | Int32Array;
        for (let w = 0; w < 4; w++) dv[g * 4 + w] = sv[i * 4 + w]!;
        return;
      }
      case 'utf8': {
        const so = src.offsets!;
        const s = valid ? so[i]! : 0;
        const e = valid ? so[i + 1]! : 0;
        const need = this.bytes + e - s;
        if (need > this.values.length) {
          const nb = new Uint8Array(Math.max(need, this.values.length * 2));
          nb.set(this.values as Uint8Array);
          this.values = nb;
        }
        const dv = this.values as Uint8Array;
        const sv = src.values as Uint8Array;
        for (let q = s; q < e; q++) dv[this.bytes++] = sv[q]!;
        this.offsets![g + 1] = this.bytes;
        return;
      }
      default:
        // biome-ignore lint/suspicious/noExplicitAny: numeric typed arrays of the same kind
        (this.values as any)[g] = valid ? src.values[i] : this.layout === 'i64' ? 0n : 0;
    }
  }

  private cached: Col | null = null;
  col(): Col {
    const c = this.cached;
    if (c !== null && c.values === this.values && c.offsets === this.offsets && c.validity === this.validity) return c;
    this.cached = { values: this.values, offsets: this.offsets, validity: this.validity };
    return this.cached;
  }
}

function alloc(layout: Layout, cap: number): Uint8Array | Int32Array | Float64Array | BigInt64Array | Uint32Array {
  switch (layout) {
    case 'bool':
      return new Uint8Array((cap + 7) >> 3);
    case 'i32':
      return new Int32Array(cap);
    case 'f64':
      return new Float64Array(cap);
    case 'i64':
      return new BigInt64Array(cap);
    case 'd128':
      return new Uint32Array(cap * 4);
    case 'iv':
      return new Int32Array(cap * 4);
    default:
      return new Uint8Array(0);
  }
}

export class GroupTable {
  private slots: Int32Array;
  private mask: number;
  private groupHashes: Uint32Array;
  private readonly stores: KeyStore[];
  private cap: number;
  size = 0;
  private hashes = new Uint32Array(0);

  constructor(private readonly layouts: readonly Layout[]) {
    this.probe = compileProbe(layouts);
    this.cap = 1024;
    this.slots = new Int32Array(2048).fill(-1);
    this.mask = 2047;
    this.groupHashes = new Uint32Array(this.cap);
    this.stores = layouts.map((l) => new KeyStore(l, this.cap));
  }

  /** Writes the group id of each row [0, n) into `gids`; `isNew[k]` = 1 when row k created its group. */
  findOrInsert(cols: readonly Col[], n: number, gids: Int32Array, isNew: Uint8Array | null = null): void {
    if (this.hashes.length < n) this.hashes = new Uint32Array(n);
    const hashes = this.hashes;
    hashColumns(cols, this.layouts, n, hashes);
    this.probe(this, cols, n, hashes, gids, isNew);
  }

  /** Called by the generated probe loop for a new key; returns its group id. */
  insertAt(cols: readonly Col[], k: number, h: number, slot: number): number {
    return this.insert(cols, k, h, slot);
  }
  storeCol(c: number): Col {
    return this.stores[c]!.col();
  }
  get slotArray(): Int32Array {
    return this.slots;
  }
  get slotMask(): number {
    return this.mask;
  }
  get hashArray(): Uint32Array {
    return this.groupHashes;
  }

  private readonly probe: ProbeFn;

  private insert(cols: readonly Col[], k: number, h: number, slot: number): number {
    const g = this.size++;
    if (g >= this.cap) {
      this.cap *= 2;
      const gh = new Uint32Array(this.cap);
      gh.set(this.groupHashes);
      this.groupHashes = gh;
      for (const s of this.stores) s.grow(this.cap);
    }
    this.groupHashes[g] = h;
    for (let c = 0; c < cols.length; c++) this.stores[c]!.append(g, cols[c]!, k);
    this.slots[slot] = g;
    if (this.size * 2 > this.slots.length) this.rehash();
    return g;
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    const slots = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let g = 0; g < this.size; g++) {
      let s = this.groupHashes[g]! & mask;
      while (slots[s] !== -1) s = (s + 1) & mask;
      slots[s] = g;
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** The key columns of groups [start, end). */
  keyColumns(start: number, end: number): Col[] {
    const idx = new Int32Array(end - start);
    for (let k = 0; k < idx.length; k++) idx[k] = start + k;
    return this.stores.map((s, c) => takeCol(s.col(), this.layouts[c]!, idx, idx.length));
  }
}

type ProbeFn = (
  t: GroupTable,
  cols: readonly Col[],
  n: number,
  hashes: Uint32Array,
  gids: Int32Array,
  isNew: Uint8Array | null,
) => void;

const probeCache = new Map<string, ProbeFn>();

/** The probe loop generated for the key layouts, with key equality inlined. */
function compileProbe(layouts: readonly Layout[]): ProbeFn {
  const key = layouts.join(',');
  const hit = probeCache.get(key);
  if (hit) return hit;
  const load: string[] = [];
  const reload: string[] = [];
  const eq: string[] = [];
  layouts.forEach((l, c) => {
    load.push(`const i${c} = cols[${c}], i${c}v = i${c}.values, i${c}m = i${c}.validity, i${c}o = i${c}.offsets;`);
    load.push(`let s${c} = t.storeCol(${c}), s${c}v = s${c}.values, s${c}m = s${c}.validity, s${c}o = s${c}.offsets;`);
    reload.push(`s${c} = t.storeCol(${c}); s${c}v = s${c}.values; s${c}m = s${c}.validity; s${c}o = s${c}.offsets;`);
    const inNull = `(i${c}m !== null && ((i${c}m[k >> 3] >> (k & 7)) & 1) === 0)`;
    const stNull = `(((s${c}m[g >> 3] >> (g & 7)) & 1) === 0)`;
    let same: string;
    switch (l) {
      case 'i32':
      case 'i64':
        same = `i${c}v[k] === s${c}v[g]`;
        break;
      case 'f64':
        same = `(i${c}v[k] === s${c}v[g] || (i${c}v[k] !== i${c}v[k] && s${c}v[g] !== s${c}v[g]))`;
        break;
      case 'utf8':
        same = `H.eqBytes(i${c}v, i${c}o[k], i${c}o[k + 1], s${c}v, s${c}o[g], s${c}o[g + 1])`;
        break;
      default:
        same = `H.rowEquals(i${c}, k, s${c}, g, ${JSON.stringify(l)})`;
    }
    eq.push(l === 'bool' || l === 'd128' || l === 'null' ? same : `(${inNull} ? ${stNull} : (!${stNull} && ${same}))`);
  });
  const src = `"use strict";
return function probe(t, cols, n, hashes, gids, isNew) {
  ${load.join('\n  ')}
  let slots = t.slotArray, mask = t.slotMask, gh = t.hashArray;
  for (let k = 0; k < n; k++) {
    const h = hashes[k];
    let slot = h & mask;
    let g;
    for (;;) {
      g = slots[slot];
      if (g === -1) {
        g = t.insertAt(cols, k, h, slot);
        slots = t.slotArray; mask = t.slotMask; gh = t.hashArray;
        ${reload.join('\n        ')}
        if (isNew !== null) isNew[k] = 1;
        break;
      }
      if (gh[g] === h && ${eq.join(' && ') || 'true'}) {
        if (isNew !== null) isNew[k] = 0;
        break;
      }
      slot = (slot + 1) & mask;
    }
    gids[k] = g;
  }
};`;
  const fn = (new Function('H', src) as (h: unknown) => ProbeFn)({ eqBytes, rowEquals });
  probeCache.set(key, fn);
  return fn;
}
