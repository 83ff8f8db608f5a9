// supplier: names, alphanumeric addresses, nation keys, phones, balances, and comments where
// 10 in 10,000 suppliers carry "Customer ... Complaints/Recommends" (TPC-H Q16's filter).
import { buildColumns, type Chunk, float64, int32, lazy, sequence } from '../chunk.js';
import { NATIONS } from '../distributions.js';
import { drawPerRow } from '../random.js';
import { alphaNumericColumn, commentColumn, labelColumn, phoneColumn } from '../text.js';

const BBB_BASE = new TextEncoder().encode('Customer ');
const BBB_COMPLAINT = new TextEncoder().encode('Complaints');
const BBB_RECOMMEND = new TextEncoder().encode('Recommends');
const BBB_COMMENT_LENGTH = BBB_BASE.length + BBB_COMPLAINT.length;
const BBB_COMMENTS_PER_SCALE_BASE = 10;

function supplierComments(start: number, n: number) {
  const comments = commentColumn(1341315363, 63, 1, start, n, 1, n);
  const bbb = drawPerRow(202794285, 1, start, 1, 10_000, new Int32Array(n));
  const bytes = comments.bytes;
  const offsets = comments.offsets;
  for (let r = 0; r < n; r++) {
    if ((bbb[r] ?? 0) > BBB_COMMENTS_PER_SCALE_BASE) continue;
    // Rare: draw this row's junk, offset and type values directly from their streams.
    const begin = offsets[r] ?? 0;
    const length = (offsets[r + 1] ?? 0) - begin;
    const noise = drawPerRow(263032577, 1, start + r, 0, length - BBB_COMMENT_LENGTH, new Int32Array(1))[0] ?? 0;
    const offset =
      drawPerRow(715851524, 1, start + r, 0, length - (BBB_COMMENT_LENGTH + noise), new Int32Array(1))[0] ?? 0;
    const type =
      (drawPerRow(753643799, 1, start + r, 0, 100, new Int32Array(1))[0] ?? 0) < 50 ? BBB_COMPLAINT : BBB_RECOMMEND;
    bytes.set(BBB_BASE, begin + offset);
    bytes.set(type, begin + BBB_BASE.length + offset + noise);
  }
  return comments.finish();
}

export function generateSupplier(_sf: number, start: number, end: number, columns: readonly string[]): Chunk {
  const n = end - start;
  const keys = lazy(() => sequence(start, end));
  const nationKeys = lazy(() => drawPerRow(110356601, 1, start, 0, NATIONS.length - 1, new Int32Array(n)));
  return buildColumns('supplier', n, columns, {
    s_suppkey: () => int32(keys()),
    s_name: () => labelColumn('Supplier#', 9, keys()).finish(),
    s_address: () => alphaNumericColumn(706178559, 25, start, n).finish(),
    s_nationkey: () => int32(nationKeys()),
    s_phone: () => phoneColumn(884434366, start, nationKeys()).finish(),
    s_acctbal: () => float64(new Float64Array(drawPerRow(962338209, 1, start, -99999, 999999, new Int32Array(n)))),
    s_comment: () => supplierComments(start, n),
  });
}
