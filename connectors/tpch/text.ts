// Generated text columns: comments (slices of the text pool), dbgen's random alphanumeric
// addresses and phone numbers, all written straight into Utf8 buffers.
import { advanceSeed, MODULUS, mulMod, multiplierPower, nextSeed } from './random.js';
import { textPool } from './text-pool.js';
import { Utf8Builder, writeDigits } from './utf8-builder.js';

/**
 * A comment column (dbgen's RandomText: two draws per value, offset then length) for units
 * [startUnit, startUnit + units). `perUnit` is the number of values of each unit (a constant,
 * or per-unit counts for lineitem); `maxPerUnit` the stream's values per unit.
 */
export function commentColumn(
  seed: number,
  averageLength: number,
  maxPerUnit: number,
  startUnit: number,
  units: number,
  perUnit: number | Uint8Array,
  totalRows: number,
  pool: Uint8Array = textPool(),
): Utf8Builder {
  const minLength = Math.trunc(averageLength * 0.4);
  const maxLength = Math.trunc(averageLength * 1.6);
  const offsetRange = pool.length - maxLength + 1;
  const lengthRange = maxLength - minLength + 1;
  const usage = 2 * maxPerUnit;
  const step = multiplierPower(usage);
  // Pass 1: every value's slice of the pool, and the exact output size.
  const starts = new Int32Array(totalRows);
  const offsets = new Int32Array(totalRows + 1);
  let rowSeed = advanceSeed(seed, usage * startUnit);
  let k = 0;
  let bytes = 0;
  for (let u = 0; u < units; u++) {
    const n = typeof perUnit === 'number' ? perUnit : (perUnit[u] ?? 0);
    let s = rowSeed;
    for (let j = 0; j < n; j++, k++) {
      s = nextSeed(s);
      starts[k] = Math.trunc((s / MODULUS) * offsetRange);
      s = nextSeed(s);
      bytes += minLength + Math.trunc((s / MODULUS) * lengthRange);
      offsets[k + 1] = bytes;
    }
    rowSeed = mulMod(rowSeed, step);
  }
  // Pass 2: copy. The pool is far bigger than the caches and each slice is a cache miss, so
  // each block of slices is touched first in a tight loop (many misses in flight at once).
  const out = new Utf8Builder(0, 0);
  out.bytes = new Uint8Array(bytes);
  const dest = out.bytes;
  let touched = 0;
  for (let block = 0; block < totalRows; block += PREFETCH_BLOCK) {
    const blockEnd = Math.min(block + PREFETCH_BLOCK, totalRows);
    for (let r = block; r < blockEnd; r++) {
      const from = starts[r] ?? 0;
      touched ^= (pool[from] ?? 0) ^ (pool[from + maxLength - 1] ?? 0);
    }
    for (let r = block; r < blockEnd; r++) {
      const from = starts[r] ?? 0;
      const at = offsets[r] ?? 0;
      const n = (offsets[r + 1] ?? 0) - at;
      for (let i = 0; i < n; i++) dest[at + i] = pool[from + i] ?? 0;
    }
  }
  prefetchSink = touched;
  out.adopt(offsets, totalRows, bytes);
  return out;
}

const PREFETCH_BLOCK = 2048;
/** Keeps the touch loop's result alive so it is not optimized away. */
export let prefetchSink = 0;

const ALPHA_NUMERIC = new TextEncoder().encode('0123456789abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ,');

/** dbgen's RandomAlphaNumeric (addresses): 9 draws per row, 6 bits per character. */
export function alphaNumericColumn(seed: number, averageLength: number, startRow: number, rows: number): Utf8Builder {
  const minLength = Math.trunc(averageLength * 0.4);
  const maxLength = Math.trunc(averageLength * 1.6);
  const usage = 9;
  const step = multiplierPower(usage);
  const out = new Utf8Builder(rows, averageLength);
  let rowSeed = advanceSeed(seed, usage * startRow);
  for (let r = 0; r < rows; r++) {
    let s = nextSeed(rowSeed);
    const length = minLength + Math.trunc((s / MODULUS) * (maxLength - minLength + 1));
    const at = out.reserve(length);
    const bytes = out.bytes;
    let charIndex = 0;
    for (let i = 0; i < length; i++) {
      if (i % 5 === 0) {
        s = nextSeed(s);
        // nextInt(0, Integer.MAX_VALUE): the 32-bit range overflows to -2^31, values are <= 0.
        charIndex = Math.trunc((s / MODULUS) * -2147483648) | 0;
      }
      bytes[at + i] = ALPHA_NUMERIC[charIndex & 0x3f] ?? 0;
      charIndex >>= 6;
    }
    out.endValue(at + length);
    rowSeed = mulMod(rowSeed, step);
  }
  return out;
}

/** dbgen's phone numbers "CC-ddd-ddd-dddd", CC = 10 + nation key; 3 draws per row. */
export function phoneColumn(seed: number, startRow: number, nationKeys: Int32Array): Utf8Builder {
  const step = multiplierPower(3);
  const out = new Utf8Builder(nationKeys.length, 15);
  let rowSeed = advanceSeed(seed, 3 * startRow);
  for (let r = 0; r < nationKeys.length; r++) {
    const at = out.reserve(15);
    const b = out.bytes;
    writeDigits(b, at, 10 + ((nationKeys[r] ?? 0) % 90), 2);
    b[at + 2] = 0x2d;
    let s = nextSeed(rowSeed);
    writeDigits(b, at + 3, 100 + Math.trunc((s / MODULUS) * 900), 3);
    b[at + 6] = 0x2d;
    s = nextSeed(s);
    writeDigits(b, at + 7, 100 + Math.trunc((s / MODULUS) * 900), 3);
    b[at + 10] = 0x2d;
    s = nextSeed(s);
    writeDigits(b, at + 11, 1000 + Math.trunc((s / MODULUS) * 9000), 4);
    out.endValue(at + 15);
    rowSeed = mulMod(rowSeed, step);
  }
  return out;
}

/** A column of `prefix` + zero-padded number (Customer#000000001, Clerk#000000951, ...). */
export function labelColumn(prefix: string, width: number, numbers: ArrayLike<number>): Utf8Builder {
  const p = new TextEncoder().encode(prefix);
  const len = p.length + width;
  const out = new Utf8Builder(numbers.length, len);
  for (let r = 0; r < numbers.length; r++) {
    const at = out.reserve(len);
    const b = out.bytes;
    for (let i = 0; i < p.length; i++) b[at + i] = p[i] ?? 0;
    writeDigits(b, at + p.length, numbers[r] ?? 0, width);
    out.endValue(at + len);
  }
  return out;
}

/** A column whose values are picked from a small vocabulary by index. */
export function vocabularyColumn(vocabulary: readonly Uint8Array[], indexes: ArrayLike<number>): Utf8Builder {
  const out = new Utf8Builder(indexes.length, vocabulary[0]?.length ?? 8);
  for (let r = 0; r < indexes.length; r++) {
    const w = vocabulary[indexes[r] ?? 0];
    if (w) out.append(w);
  }
  return out;
}

export function encodeAll(values: readonly string[]): readonly Uint8Array[] {
  const enc = new TextEncoder();
  return values.map((v) => enc.encode(v));
}
