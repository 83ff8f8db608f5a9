// customer: names, alphanumeric addresses, nation keys, phones, balances, market segments, comments.
import { buildColumns, type Chunk, float64, int32, lazy, sequence } from '../chunk.js';
import { MARKET_SEGMENTS, NATIONS } from '../distributions.js';
import { drawPerRow } from '../random.js';
import { alphaNumericColumn, commentColumn, encodeAll, labelColumn, phoneColumn, vocabularyColumn } from '../text.js';

const SEGMENTS = encodeAll(MARKET_SEGMENTS.values);

export function generateCustomer(_sf: number, start: number, end: number, columns: readonly string[]): Chunk {
  const n = end - start;
  const keys = lazy(() => sequence(start, end));
  const nationKeys = lazy(() => drawPerRow(1489529863, 1, start, 0, NATIONS.length - 1, new Int32Array(n)));
  return buildColumns('customer', n, columns, {
    c_custkey: () => int32(keys()),
    c_name: () => labelColumn('Customer#', 9, keys()).finish(),
    c_address: () => alphaNumericColumn(881155353, 25, start, n).finish(),
    c_nationkey: () => int32(nationKeys()),
    c_phone: () => phoneColumn(1521138112, start, nationKeys()).finish(),
    c_acctbal: () => float64(new Float64Array(drawPerRow(298370230, 1, start, -99999, 999999, new Int32Array(n)))),
    c_mktsegment: () =>
      vocabularyColumn(SEGMENTS, drawPerRow(1140279430, 1, start, 0, SEGMENTS.length - 1, new Int32Array(n))).finish(),
    c_comment: () => commentColumn(1335826707, 73, 1, start, n, 1, n).finish(),
  });
}
