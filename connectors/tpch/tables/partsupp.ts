// partsupp: four suppliers per part (dbgen's spread formula), availability, cost, comment.
import { buildColumns, type Chunk, float64, int32 } from '../chunk.js';
import { drawPerLine } from '../random.js';
import { SUPPLIER_BASE, scaledCount } from '../schema.js';
import { commentColumn } from '../text.js';

export const SUPPLIERS_PER_PART = 4;

/** dbgen's supplier of a part's `supplierNumber`-th (0..3) supply line. */
export function selectPartSupplier(partKey: number, supplierNumber: number, supplierCount: number): number {
  return (
    ((partKey +
      supplierNumber * (Math.floor(supplierCount / SUPPLIERS_PER_PART) + Math.floor((partKey - 1) / supplierCount))) %
      supplierCount) +
    1
  );
}

export function generatePartSupp(sf: number, start: number, end: number, columns: readonly string[]): Chunk {
  const parts = end - start;
  const n = parts * SUPPLIERS_PER_PART;
  const counts = new Uint8Array(parts).fill(SUPPLIERS_PER_PART);
  const perLine = (seed: number, low: number, high: number) =>
    drawPerLine(seed, SUPPLIERS_PER_PART, start, counts, low, high, new Int32Array(n));
  return buildColumns('partsupp', n, columns, {
    ps_partkey: () => {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = start + 1 + Math.floor(i / SUPPLIERS_PER_PART);
      return int32(out);
    },
    ps_suppkey: () => {
      const suppliers = scaledCount(SUPPLIER_BASE, sf);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = selectPartSupplier(start + 1 + Math.floor(i / SUPPLIERS_PER_PART), i % SUPPLIERS_PER_PART, suppliers);
      }
      return int32(out);
    },
    ps_availqty: () => int32(perLine(1671059989, 1, 9999)),
    ps_supplycost: () => float64(new Float64Array(perLine(1051288424, 100, 100000))),
    ps_comment: () => commentColumn(1961692154, 124, SUPPLIERS_PER_PART, start, parts, SUPPLIERS_PER_PART, n).finish(),
  });
}
