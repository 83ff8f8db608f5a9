// Row-group statistics straight from a Parquet footer (the last 8 bytes: footer length + "PAR1";
// the FileMetaData before them in Thrift compact protocol, see ./thrift.ts). Only what pruning
// needs: per leaf column its physical and logical type; per row group its row count and per
// column chunk min/max (raw plain-encoded bytes), null count and value count. Cached per file
// (path, size, mtime). parquet-wasm does not expose statistics, hence this reader.
import { open } from 'node:fs/promises';
import { SqlError } from '../../common/errors.js';
import { fileError } from './parquet-file.js';
import { decodeStruct, type ThriftStruct, type ThriftValue } from './thrift.js';

/** Parquet physical types. */
export const Physical = {
  BOOLEAN: 0,
  INT32: 1,
  INT64: 2,
  INT96: 3,
  FLOAT: 4,
  DOUBLE: 5,
  BYTE_ARRAY: 6,
  FIXED_LEN_BYTE_ARRAY: 7,
} as const;

/** What the logical / converted type of a leaf says about decoding its statistics. */
export type LogicalKind =
  | { readonly kind: 'plain' }
  | { readonly kind: 'string' }
  | { readonly kind: 'int'; readonly signed: boolean }
  | { readonly kind: 'decimal'; readonly scale: number; readonly precision: number }
  | { readonly kind: 'date' }
  | { readonly kind: 'timestamp'; readonly unit: 'ms' | 'us' | 'ns' }
  | { readonly kind: 'other' };

export interface LeafColumn {
  /** Dotted path, lower case (`a` for a top-level column). */
  readonly path: string;
  readonly physical: number;
  readonly logical: LogicalKind;
}

export interface ChunkStats {
  readonly numValues: number;
  readonly nullCount?: number;
  /** Plain-encoded bounds (min_value/max_value, or the legacy min/max for signed orders). */
  readonly min?: Uint8Array;
  readonly max?: Uint8Array;
}

export interface RowGroupStats {
  readonly rows: number;
  /** Leaf path (lower case) -> statistics of its chunk. */
  readonly columns: ReadonlyMap<string, ChunkStats>;
}

export interface FileStats {
  readonly numRows: number;
  readonly leaves: ReadonlyMap<string, LeafColumn>;
  /** Top-level column names (lower case), nested ones included. */
  readonly topLevel: ReadonlySet<string>;
  readonly rowGroups: readonly RowGroupStats[];
}

const MAGIC = 'PAR1';

function isStruct(v: ThriftValue | undefined): v is ThriftStruct {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function num(v: ThriftValue | undefined): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function list(v: ThriftValue | undefined): readonly ThriftValue[] {
  return Array.isArray(v) ? v : [];
}

function bytes(v: ThriftValue | undefined): Uint8Array | undefined {
  return v instanceof Uint8Array ? v : undefined;
}

const text = new TextDecoder();

function logicalOf(el: ThriftStruct): LogicalKind {
  const lt = el[10];
  if (isStruct(lt)) {
    if (isStruct(lt[1]) || isStruct(lt[4]) || isStruct(lt[12])) return { kind: 'string' };
    const dec = lt[5];
    if (isStruct(dec)) return { kind: 'decimal', scale: num(dec[1]) ?? 0, precision: num(dec[2]) ?? 0 };
    if (isStruct(lt[6])) return { kind: 'date' };
    const ts = lt[8];
    if (isStruct(ts)) {
      const unit = ts[2];
      if (isStruct(unit)) {
        if (isStruct(unit[1])) return { kind: 'timestamp', unit: 'ms' };
        if (isStruct(unit[2])) return { kind: 'timestamp', unit: 'us' };
        if (isStruct(unit[3])) return { kind: 'timestamp', unit: 'ns' };
      }
      return { kind: 'other' };
    }
    const it = lt[10];
    if (isStruct(it)) return { kind: 'int', signed: it[2] === true };
    return { kind: 'other' };
  }
  const ct = num(el[6]);
  if (ct === undefined) return { kind: 'plain' };
  switch (ct) {
    case 0: // UTF8
    case 4: // ENUM
    case 19: // JSON
      return { kind: 'string' };
    case 5:
      return { kind: 'decimal', scale: num(el[7]) ?? 0, precision: num(el[8]) ?? 0 };
    case 6:
      return { kind: 'date' };
    case 9:
      return { kind: 'timestamp', unit: 'ms' };
    case 10:
      return { kind: 'timestamp', unit: 'us' };
    case 11:
    case 12:
    case 13:
    case 14:
      return { kind: 'int', signed: false };
    case 15:
    case 16:
    case 17:
    case 18:
      return { kind: 'int', signed: true };
    default:
      return { kind: 'other' };
  }
}

/** Whether the legacy min/max fields (signed comparison) are valid bounds for this leaf. */
function legacyStatsUsable(leaf: LeafColumn): boolean {
  const { physical, logical } = leaf;
  if (physical !== Physical.INT32 && physical !== Physical.INT64) {
    return (physical === Physical.FLOAT || physical === Physical.DOUBLE) && logical.kind === 'plain';
  }
  return logical.kind !== 'other' && !(logical.kind === 'int' && !logical.signed);
}

/** Decodes a FileMetaData (the footer bytes without length and magic). */
export function decodeFileStats(footer: Uint8Array): FileStats {
  const fm = decodeStruct(footer);
  const schema = list(fm[2]).filter(isStruct);
  const leaves = new Map<string, LeafColumn>();
  // schema[0] is the root; the rest is a depth-first tree given by num_children
  let at = 1;
  function walk(prefix: string, count: number): void {
    for (let i = 0; i < count && at < schema.length; i++) {
      const el = schema[at++]!;
      const name = text.decode(bytes(el[4]) ?? new Uint8Array(0)).toLowerCase();
      const path = prefix ? `${prefix}.${name}` : name;
      const children = num(el[5]) ?? 0;
      if (children > 0) walk(path, children);
      else leaves.set(path, { path, physical: num(el[1]) ?? -1, logical: logicalOf(el) });
    }
  }
  walk('', num(schema[0]?.[5]) ?? schema.length - 1);
  const rowGroups: RowGroupStats[] = [];
  for (const rg of list(fm[4])) {
    if (!isStruct(rg)) continue;
    const columns = new Map<string, ChunkStats>();
    for (const cc of list(rg[1])) {
      if (!isStruct(cc)) continue;
      const md = cc[3];
      if (!isStruct(md)) continue;
      const path = list(md[3])
        .map((p) => text.decode(bytes(p) ?? new Uint8Array(0)).toLowerCase())
        .join('.');
      const leaf = leaves.get(path);
      const st = md[12];
      let stats: ChunkStats = { numValues: num(md[5]) ?? 0 };
      if (isStruct(st)) {
        let min = bytes(st[6]);
        let max = bytes(st[5]);
        if ((min === undefined || max === undefined) && leaf && legacyStatsUsable(leaf)) {
          min = bytes(st[2]);
          max = bytes(st[1]);
        }
        const nullCount = num(st[3]);
        stats = {
          ...stats,
          ...(nullCount !== undefined ? { nullCount } : {}),
          ...(min !== undefined && max !== undefined ? { min, max } : {}),
        };
      }
      columns.set(path, stats);
    }
    rowGroups.push({ rows: num(rg[3]) ?? 0, columns });
  }
  const topLevel = new Set([...leaves.keys()].map((p) => p.split('.')[0]!));
  return { numRows: num(fm[3]) ?? 0, leaves, topLevel, rowGroups };
}

/** Reads and decodes the footer of a Parquet file. */
export async function readFileStats(absPath: string): Promise<FileStats> {
  const fh = await open(absPath, 'r').catch((e: unknown) => {
    throw fileError(absPath, 'cannot open Parquet file', e);
  });
  try {
    const { size } = await fh.stat();
    if (size < 12) throw new Error('file too small to be Parquet');
    const tail = new Uint8Array(8);
    await fh.read(tail, 0, 8, size - 8);
    if (new TextDecoder().decode(tail.subarray(4)) !== MAGIC) throw new Error('missing PAR1 magic at the end');
    const len = new DataView(tail.buffer).getUint32(0, true);
    if (len <= 0 || len > size - 12) throw new Error(`bad footer length ${len}`);
    const footer = new Uint8Array(len);
    await fh.read(footer, 0, len, size - 8 - len);
    return decodeFileStats(footer);
  } catch (e) {
    if (e instanceof SqlError) throw e;
    throw fileError(absPath, 'cannot read the footer statistics of', e);
  } finally {
    await fh.close();
  }
}

const CACHE_LIMIT = 4096;
const cache = new Map<string, Promise<FileStats>>();

/** Footer statistics of a file, cached while its size and mtime stay the same. */
export function fileStatsOf(absPath: string, size: number, mtimeMs: number): Promise<FileStats> {
  const key = `${absPath}\0${size}\0${mtimeMs}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const p = readFileStats(absPath);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, p);
  p.catch(() => cache.delete(key));
  return p;
}
