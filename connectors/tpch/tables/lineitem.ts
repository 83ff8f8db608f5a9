// lineitem: 1-7 lines per order, generated per order range so any split reproduces exactly the
// lines a full generation gives those orders. Each column reads only the streams it needs.
import type { ColumnBuffers } from '../../../common/arrow/batch.js';
import { buildColumns, type Chunk, float64, int32, lazy } from '../chunk.js';
import { LAST_PAST_DATE, toEpochDay } from '../dates.js';
import { SHIP_INSTRUCTIONS, SHIP_MODES } from '../distributions.js';
import { advanceSeed, MODULUS, mulMod, multiplierPower, nextSeed } from '../random.js';
import { PART_BASE, SUPPLIER_BASE, scaledCount } from '../schema.js';
import { commentColumn, encodeAll, vocabularyColumn } from '../text.js';
import { LINE_COUNT_MAX, lineCounts, orderDates, orderKey, perLine, Seeds, shipDates, sum } from './order-lines.js';
import { partPrice } from './part.js';
import { selectPartSupplier } from './partsupp.js';

const INSTRUCTIONS = encodeAll(SHIP_INSTRUCTIONS.values);
const MODES = encodeAll(SHIP_MODES.values);
const R = 0x52;
const A = 0x41;
const N = 0x4e;
const F = 0x46;
const O = 0x4f;

/** A one-character-per-row Utf8 column. */
function charColumn(chars: Uint8Array): ColumnBuffers {
  const offsets = new Int32Array(chars.length + 1);
  for (let i = 0; i <= chars.length; i++) offsets[i] = i;
  return { values: chars, offsets, validity: null };
}

function toEpochDays(dates: Int32Array): ColumnBuffers {
  const out = new Int32Array(dates.length);
  for (let i = 0; i < out.length; i++) out[i] = toEpochDay(dates[i] ?? 0);
  return int32(out);
}

/** l_returnflag: R or A (drawn) once received, else N; the stream is drawn only for received lines. */
function returnFlags(start: number, counts: Uint8Array, receipts: Int32Array): Uint8Array {
  const out = new Uint8Array(receipts.length);
  const step = multiplierPower(LINE_COUNT_MAX);
  let rowSeed = advanceSeed(Seeds.returnFlag, LINE_COUNT_MAX * start);
  let k = 0;
  for (let o = 0; o < counts.length; o++) {
    let s = rowSeed;
    for (let j = counts[o] ?? 0; j > 0; j--, k++) {
      if ((receipts[k] ?? 0) <= LAST_PAST_DATE) {
        s = nextSeed(s);
        out[k] = Math.trunc((s / MODULUS) * 2) === 0 ? R : A;
      } else {
        out[k] = N;
      }
    }
    rowSeed = mulMod(rowSeed, step);
  }
  return out;
}

export function generateLineitem(sf: number, start: number, end: number, columns: readonly string[]): Chunk {
  const orders = end - start;
  const counts = lineCounts(start, orders);
  const n = sum(counts);
  const line = (seed: number, low: number, high: number) => perLine(seed, start, counts, n, low, high);
  const dates = lazy(() => orderDates(start, orders));
  const partKeys = lazy(() => line(Seeds.partKey, 1, scaledCount(PART_BASE, sf)));
  const quantities = lazy(() => line(Seeds.quantity, 1, 50));
  const ships = lazy(() => shipDates(start, counts, n, dates()));
  const receipts = lazy(() => {
    const out = line(Seeds.receiptDate, 1, 30);
    const s = ships();
    for (let i = 0; i < n; i++) out[i] = (out[i] ?? 0) + (s[i] ?? 0);
    return out;
  });
  /** Per line: the order's position in this range (0-based). */
  const perOrder = (f: (order: number, lineNumber: number) => number) => {
    const out = new Int32Array(n);
    let k = 0;
    for (let o = 0; o < orders; o++) for (let j = 1; j <= (counts[o] ?? 0); j++) out[k++] = f(o, j);
    return out;
  };
  return buildColumns('lineitem', n, columns, {
    l_orderkey: () => int32(perOrder((o) => orderKey(start + o + 1))),
    l_partkey: () => int32(partKeys()),
    l_suppkey: () => {
      const suppliers = scaledCount(SUPPLIER_BASE, sf);
      const out = line(Seeds.supplierNumber, 0, 3);
      const p = partKeys();
      for (let i = 0; i < n; i++) out[i] = selectPartSupplier(p[i] ?? 0, out[i] ?? 0, suppliers);
      return int32(out);
    },
    l_linenumber: () => int32(perOrder((_o, j) => j)),
    l_quantity: () => {
      const q = quantities();
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = (q[i] ?? 0) * 100;
      return float64(out);
    },
    l_extendedprice: () => {
      const q = quantities();
      const p = partKeys();
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = partPrice(p[i] ?? 0) * (q[i] ?? 0);
      return float64(out);
    },
    l_discount: () => float64(new Float64Array(line(Seeds.discount, 0, 10))),
    l_tax: () => float64(new Float64Array(line(Seeds.tax, 0, 8))),
    l_returnflag: () => charColumn(returnFlags(start, counts, receipts())),
    l_linestatus: () => {
      const s = ships();
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = (s[i] ?? 0) <= LAST_PAST_DATE ? F : O;
      return charColumn(out);
    },
    l_shipdate: () => toEpochDays(ships()),
    l_commitdate: () => {
      const out = line(Seeds.commitDate, 30, 90);
      const d = dates();
      let k = 0;
      for (let o = 0; o < orders; o++)
        for (let j = counts[o] ?? 0; j > 0; j--, k++) out[k] = (out[k] ?? 0) + (d[o] ?? 0);
      return toEpochDays(out);
    },
    l_receiptdate: () => toEpochDays(receipts()),
    l_shipinstruct: () =>
      vocabularyColumn(INSTRUCTIONS, line(Seeds.shipInstructions, 0, INSTRUCTIONS.length - 1)).finish(),
    l_shipmode: () => vocabularyColumn(MODES, line(Seeds.shipMode, 0, MODES.length - 1)).finish(),
    l_comment: () => commentColumn(Seeds.lineComment, 27, LINE_COUNT_MAX, start, orders, counts, n).finish(),
  });
}
