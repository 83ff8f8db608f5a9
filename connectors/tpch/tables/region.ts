// region: the five regions of dists.dss, with generated comments.
import { buildColumns, type Chunk, int32, sequence } from '../chunk.js';
import { REGIONS } from '../distributions.js';
import { commentColumn, encodeAll, vocabularyColumn } from '../text.js';

const NAMES = encodeAll(REGIONS);

export function generateRegion(_sf: number, start: number, end: number, columns: readonly string[]): Chunk {
  const n = end - start;
  return buildColumns('region', n, columns, {
    r_regionkey: () => int32(sequence(start, end, start)),
    r_name: () => vocabularyColumn(NAMES, sequence(start, end, start)).finish(),
    r_comment: () => commentColumn(1500869201, 72, 1, start, n, 1, n).finish(),
  });
}
