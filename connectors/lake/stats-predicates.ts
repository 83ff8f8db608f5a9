// Row-group pruning from footer statistics. WHERE conjuncts on non-partition columns
// (=, <>, <, <=, >, >=, IN, IS [NOT] NULL against literals) become predicates carried in the
// table handle; they are inexact (the engine still filters rows), they only let the split
// manager skip row groups whose min/max or null counts show that no row can match.
// Values in the handle: number for integer/double/date, decimal digits for bigint/timestamp and
// for decimals (unscaled, at the column's scale), the string itself for varchar.
import type { Expr } from '../../common/expr/expr.js';
import type { DataType } from '../../common/types.js';
import { type ChunkStats, type FileStats, type LeafColumn, Physical, type RowGroupStats } from './footer-stats.js';
import type { PartitionPredicate } from './handle.js';
import { toColumnPredicate } from './predicates.js';

export type StatsPredicate = PartitionPredicate;
type Comparable = number | bigint | Uint8Array;

/** Column types whose statistics we can compare. */
function prunable(t: DataType): boolean {
  return ['integer', 'bigint', 'double', 'date', 'timestamp', 'timestamptz', 'decimal', 'varchar'].includes(t.kind);
}

function literalFor(e: Expr, t: DataType): number | string | null | undefined {
  if (e.kind !== 'literal') return undefined;
  if (e.value === null) return null;
  const v = e.value;
  switch (t.kind) {
    case 'integer':
    case 'date':
      return e.type.kind === t.kind && typeof v === 'number' ? v : undefined;
    case 'double':
      return e.type.kind === 'double' && typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    case 'bigint':
    case 'timestamp':
    case 'timestamptz':
      return e.type.kind === t.kind && typeof v === 'string' && /^-?\d+$/.test(v) ? v : undefined;
    case 'decimal': {
      if (e.type.kind !== 'decimal' || typeof v !== 'string' || !/^-?\d+$/.test(v)) return undefined;
      const diff = t.scale - e.type.scale;
      if (diff < 0) return undefined;
      return (BigInt(v) * 10n ** BigInt(diff)).toString();
    }
    case 'varchar':
      return e.type.kind === 'varchar' && typeof v === 'string' ? v : undefined;
    default:
      return undefined;
  }
}

/** The statistics predicate a conjunct implies, when it compares one column with literals. */
export function toStatsPredicate(e: Expr, types: ReadonlyMap<string, DataType>): StatsPredicate | undefined {
  const prunableTypes = new Map([...types].filter(([, t]) => prunable(t)));
  return toColumnPredicate(e, prunableTypes, literalFor);
}

const utf8 = new TextEncoder();

function handleValue(v: number | string, t: DataType): Comparable {
  switch (t.kind) {
    case 'bigint':
    case 'timestamp':
    case 'timestamptz':
    case 'decimal':
      return BigInt(v);
    case 'varchar':
      return utf8.encode(String(v));
    default:
      return Number(v);
  }
}

function compare(a: Comparable, b: Comparable): number {
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array)) return Number.NaN;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.length - b.length;
  }
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : x === y ? 0 : Number.NaN;
}

function signedBigEndian(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return b[0]! & 0x80 ? v - (1n << BigInt(b.length * 8)) : v;
}

/** A plain-encoded statistic of `leaf` as a value comparable with handle values of column type `t`. */
export function statValue(leaf: LeafColumn, raw: Uint8Array, t: DataType): Comparable | undefined {
  const { physical, logical } = leaf;
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const signedInt = logical.kind === 'plain' || (logical.kind === 'int' && logical.signed);
  switch (t.kind) {
    case 'integer':
    case 'double':
    case 'bigint': {
      let v: number | bigint | undefined;
      if (physical === Physical.INT32 && raw.length >= 4 && signedInt) v = dv.getInt32(0, true);
      else if (physical === Physical.INT64 && raw.length >= 8 && signedInt) v = dv.getBigInt64(0, true);
      else if (physical === Physical.FLOAT && raw.length >= 4 && t.kind === 'double') v = dv.getFloat32(0, true);
      else if (physical === Physical.DOUBLE && raw.length >= 8 && t.kind === 'double') v = dv.getFloat64(0, true);
      if (v === undefined) return undefined;
      if (t.kind === 'bigint') return typeof v === 'bigint' ? v : BigInt(v);
      const n = Number(v);
      return Number.isNaN(n) ? undefined : n;
    }
    case 'date':
      return physical === Physical.INT32 && logical.kind === 'date' && raw.length >= 4
        ? dv.getInt32(0, true)
        : undefined;
    case 'timestamp':
    case 'timestamptz': {
      if (physical !== Physical.INT64 || logical.kind !== 'timestamp' || raw.length < 8) return undefined;
      const v = dv.getBigInt64(0, true);
      if (logical.unit === 'us') return v;
      if (logical.unit === 'ms') return v * 1000n;
      const q = v / 1000n;
      return v < 0n && q * 1000n !== v ? q - 1n : q;
    }
    case 'decimal': {
      if (logical.kind !== 'decimal' || logical.scale !== t.scale) return undefined;
      if (physical === Physical.INT32 && raw.length >= 4) return BigInt(dv.getInt32(0, true));
      if (physical === Physical.INT64 && raw.length >= 8) return dv.getBigInt64(0, true);
      if (physical === Physical.BYTE_ARRAY || physical === Physical.FIXED_LEN_BYTE_ARRAY) return signedBigEndian(raw);
      return undefined;
    }
    case 'varchar':
      return physical === Physical.BYTE_ARRAY && logical.kind === 'string' ? raw : undefined;
    default:
      return undefined;
  }
}

/** Whether a row group may hold a row satisfying `p` (false only when the statistics prove it cannot). */
function chunkMayMatch(
  p: StatsPredicate,
  rows: number,
  leaf: LeafColumn | undefined,
  chunk: ChunkStats | undefined,
  t: DataType,
  inFile: boolean,
): boolean {
  if (!inFile) {
    // the column is not in this file: every value reads as NULL
    return p.op === 'is_null';
  }
  if (!leaf) return true;
  if (!chunk) return true;
  const allNull = chunk.nullCount !== undefined && chunk.nullCount >= rows && rows > 0;
  if (p.op === 'is_null') return chunk.nullCount === undefined || chunk.nullCount > 0;
  if (p.op === 'not_null') return !allNull;
  if (allNull) return false;
  if (p.op === 'in' && p.values.length === 0) return false;
  if (!chunk.min || !chunk.max) return true;
  const min = statValue(leaf, chunk.min, t);
  const max = statValue(leaf, chunk.max, t);
  if (min === undefined || max === undefined) return true;
  const inRange = (v: Comparable) => !(compare(v, min) < 0) && !(compare(v, max) > 0);
  const values = p.values.map((v) => handleValue(v, t));
  const x = values[0];
  if (x === undefined) return true;
  switch (p.op) {
    case 'eq':
      return inRange(x);
    case 'in':
      return values.some(inRange);
    case 'ne':
      return !(compare(min, x) === 0 && compare(max, x) === 0);
    case 'lt':
      return !(compare(min, x) >= 0);
    case 'le':
      return !(compare(min, x) > 0);
    case 'gt':
      return !(compare(max, x) <= 0);
    case 'ge':
      return !(compare(max, x) < 0);
    default:
      return true;
  }
}

export function rowGroupMayMatch(
  rg: RowGroupStats,
  stats: FileStats,
  predicates: readonly StatsPredicate[],
  types: ReadonlyMap<string, DataType>,
): boolean {
  for (const p of predicates) {
    const t = types.get(p.column);
    if (!t) continue;
    const name = p.column.toLowerCase();
    const chunk = rg.columns.get(name);
    if (!chunkMayMatch(p, rg.rows, stats.leaves.get(name), chunk, t, stats.topLevel.has(name))) return false;
  }
  return true;
}

/** Indexes of the row groups of a file that the predicates do not exclude. */
export function selectRowGroups(
  stats: FileStats,
  predicates: readonly StatsPredicate[],
  types: ReadonlyMap<string, DataType>,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < stats.rowGroups.length; i++) {
    if (predicates.length === 0 || rowGroupMayMatch(stats.rowGroups[i]!, stats, predicates, types)) out.push(i);
  }
  return out;
}
