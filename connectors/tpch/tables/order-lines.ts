// What orders and lineitem share: dbgen's per-order streams (line count, order date, and the line
// streams that o_totalprice/o_orderstatus re-derive), and the sparse order keys.
import { MIN_GENERATE_DATE, TOTAL_DATE_RANGE } from '../dates.js';
import { drawPerLine, drawPerRow } from '../random.js';

/** Values each per-line stream reserves per order (the maximum line count). */
export const LINE_COUNT_MAX = 7;
export const ORDER_DATE_MIN = MIN_GENERATE_DATE;
/** Orders leave room for the longest ship (121) + receipt (30) delay inside the date range. */
export const ORDER_DATE_MAX = ORDER_DATE_MIN + (TOTAL_DATE_RANGE - 151 - 1);

export const Seeds = {
  lineCount: 1434868289,
  orderDate: 1066728069,
  quantity: 209208115,
  discount: 554590007,
  tax: 721958466,
  partKey: 1808217256,
  supplierNumber: 2095021727,
  shipDate: 1769349045,
  commitDate: 904914315,
  receiptDate: 373135028,
  returnFlag: 717419739,
  shipInstructions: 1371272478,
  shipMode: 675466456,
  lineComment: 1095462486,
  customerKey: 851767375,
  orderPriority: 591449447,
  clerk: 1171034773,
  orderComment: 276090261,
} as const;

/** Lines (1..7) of orders [start, start + orders). */
export function lineCounts(start: number, orders: number): Uint8Array {
  return Uint8Array.from(drawPerRow(Seeds.lineCount, 1, start, 1, LINE_COUNT_MAX, new Int32Array(orders)));
}

/** Order dates (dbgen day numbers) of orders [start, start + orders). */
export function orderDates(start: number, orders: number): Int32Array {
  return drawPerRow(Seeds.orderDate, 1, start, ORDER_DATE_MIN, ORDER_DATE_MAX, new Int32Array(orders));
}

/** One value per line of orders starting at `start`, from a per-line stream. */
export function perLine(
  seed: number,
  start: number,
  counts: Uint8Array,
  rows: number,
  low: number,
  high: number,
): Int32Array {
  return drawPerLine(seed, LINE_COUNT_MAX, start, counts, low, high, new Int32Array(rows));
}

export function sum(counts: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < counts.length; i++) n += counts[i] ?? 0;
  return n;
}

/** dbgen's sparse order keys: of every 32 keys only the first 8 are used. */
export function orderKey(orderIndex: number): number {
  return Math.floor(orderIndex / 8) * 32 + (orderIndex % 8);
}

/** Ship dates (dbgen day numbers) of each line: order date + 1..121. */
export function shipDates(start: number, counts: Uint8Array, rows: number, dates: Int32Array): Int32Array {
  const out = perLine(Seeds.shipDate, start, counts, rows, 1, 121);
  let k = 0;
  for (let o = 0; o < counts.length; o++) {
    const d = dates[o] ?? 0;
    for (let j = counts[o] ?? 0; j > 0; j--, k++) out[k] = (out[k] ?? 0) + d;
  }
  return out;
}
