// nation: the 25 nations of dists.dss, their region keys, and generated comments.
import { buildColumns, type Chunk, int32, sequence } from '../chunk.js';
import { NATIONS } from '../distributions.js';
import { commentColumn, encodeAll, vocabularyColumn } from '../text.js';

const NAMES = encodeAll(NATIONS.map((n) => n.name));

export function generateNation(_sf: number, start: number, end: number, columns: readonly string[]): Chunk {
  const n = end - start;
  return buildColumns('nation', n, columns, {
    n_nationkey: () => int32(sequence(start, end, start)),
    n_name: () => vocabularyColumn(NAMES, sequence(start, end, start)).finish(),
    n_regionkey: () => int32(Int32Array.from(NATIONS.slice(start, end), (x) => x.regionKey)),
    n_comment: () => commentColumn(606179079, 72, 1, start, n, 1, n).finish(),
  });
}
