// part: names are 5 distinct colours (a partial shuffle), manufacturer/brand/type/size/container
// drawn from their streams, the retail price a function of the key.
import { buildColumns, type Chunk, float64, int32, lazy, sequence } from '../chunk.js';
import { PART_COLORS, PART_CONTAINERS, PART_TYPES } from '../distributions.js';
import { advanceSeed, drawPerRow, MODULUS, mulMod, multiplierPower, nextSeed } from '../random.js';
import { commentColumn, encodeAll, vocabularyColumn } from '../text.js';
import { Utf8Builder, writeBytes, writeNumber } from '../utf8-builder.js';

const COLORS = encodeAll(PART_COLORS);
const TYPES = encodeAll(PART_TYPES.values);
const CONTAINERS = encodeAll(PART_CONTAINERS.values);
const MANUFACTURER = new TextEncoder().encode('Manufacturer#');
const BRAND = new TextEncoder().encode('Brand#');

/** dbgen's retail price in cents: 90000 + ((key / 10) mod 20001) + 100 * (key mod 1000). */
export function partPrice(partKey: number): number {
  return 90000 + (Math.floor(partKey / 10) % 20001) + (partKey % 1000) * 100;
}

/** p_name: dbgen's RandomStringSequence over the colours (92 draws per row, 5 used). */
function nameColumn(start: number, rows: number): Utf8Builder {
  const usage = COLORS.length;
  const step = multiplierPower(usage);
  const out = new Utf8Builder(rows, 40);
  const order = new Uint8Array(COLORS.length);
  let rowSeed = advanceSeed(709314158, usage * start);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < order.length; i++) order[i] = i;
    let s = rowSeed;
    const at = out.reserve(5 * 12);
    let pos = at;
    for (let i = 0; i < 5; i++) {
      s = nextSeed(s);
      const swap = i + Math.trunc((s / MODULUS) * (order.length - i));
      const picked = order[swap] ?? 0;
      order[swap] = order[i] ?? 0;
      order[i] = picked;
      if (i > 0) out.bytes[pos++] = 0x20;
      pos = writeBytes(out.bytes, pos, COLORS[picked] ?? new Uint8Array(0));
    }
    out.endValue(pos);
    rowSeed = mulMod(rowSeed, step);
  }
  return out;
}

function prefixedNumbers(prefix: Uint8Array, numbers: Int32Array): Utf8Builder {
  const out = new Utf8Builder(numbers.length, prefix.length + 2);
  for (let r = 0; r < numbers.length; r++) {
    const at = out.reserve(prefix.length + 11);
    out.endValue(writeNumber(out.bytes, writeBytes(out.bytes, at, prefix), numbers[r] ?? 0));
  }
  return out;
}

export function generatePart(_sf: number, start: number, end: number, columns: readonly string[]): Chunk {
  const n = end - start;
  const keys = lazy(() => sequence(start, end));
  const manufacturer = lazy(() => drawPerRow(1, 1, start, 1, 5, new Int32Array(n)));
  return buildColumns('part', n, columns, {
    p_partkey: () => int32(keys()),
    p_name: () => nameColumn(start, n).finish(),
    p_mfgr: () => prefixedNumbers(MANUFACTURER, manufacturer()).finish(),
    p_brand: () => {
      const brand = drawPerRow(46831694, 1, start, 1, 5, new Int32Array(n));
      const m = manufacturer();
      for (let i = 0; i < n; i++) brand[i] = (m[i] ?? 0) * 10 + (brand[i] ?? 0);
      return prefixedNumbers(BRAND, brand).finish();
    },
    p_type: () =>
      vocabularyColumn(TYPES, drawPerRow(1841581359, 1, start, 0, TYPES.length - 1, new Int32Array(n))).finish(),
    p_size: () => int32(drawPerRow(1193163244, 1, start, 1, 50, new Int32Array(n))),
    p_container: () =>
      vocabularyColumn(
        CONTAINERS,
        drawPerRow(727633698, 1, start, 0, CONTAINERS.length - 1, new Int32Array(n)),
      ).finish(),
    p_retailprice: () => {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = partPrice(start + 1 + i);
      return float64(out);
    },
    p_comment: () => commentColumn(804159733, 14, 1, start, n, 1, n).finish(),
  });
}
