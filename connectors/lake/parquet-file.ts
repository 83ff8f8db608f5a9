// parquet-wasm access: opening a file by byte ranges (fs.openAsBlob), its Arrow schema and
// row-group sizes (cached per path+size+mtime), and decoding chosen row groups and columns.
// Errors name the file; parquet-wasm's Rust panics surface as SqlError 58000, never a crash.
import { openAsBlob } from 'node:fs';
import { type Field, type Table, tableFromIPC } from 'apache-arrow';
import { ParquetFile } from 'parquet-wasm';
import { SqlError } from '../../common/errors.js';
import { SqlStates } from '../../common/sqlstate.js';

export interface FooterInfo {
  readonly fields: readonly Field[];
  /** Rows per row group. */
  readonly rowGroups: readonly number[];
}

const FOOTER_CACHE_LIMIT = 4096;
const footers = new Map<string, FooterInfo>();

export function fileError(path: string, what: string, cause: unknown): SqlError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new SqlError(SqlStates.systemError, `lake: ${what} ${path}: ${detail}`, undefined, { cause });
}

export async function openParquet(absPath: string): Promise<ParquetFile> {
  try {
    return await ParquetFile.fromFile(await openAsBlob(absPath));
  } catch (e) {
    throw fileError(absPath, 'cannot open Parquet file', e);
  }
}

/** Schema and row-group sizes of a file; cached while its size and mtime stay the same. */
export async function footerOf(absPath: string, size: number, mtimeMs: number): Promise<FooterInfo> {
  const key = `${absPath}\0${size}\0${mtimeMs}`;
  const hit = footers.get(key);
  if (hit) return hit;
  const pf = await openParquet(absPath);
  try {
    const info = footerFromFile(pf, absPath);
    if (footers.size >= FOOTER_CACHE_LIMIT) footers.delete(footers.keys().next().value as string);
    footers.set(key, info);
    return info;
  } finally {
    pf.free();
  }
}

export function footerFromFile(pf: ParquetFile, absPath: string): FooterInfo {
  try {
    const schema = tableFromIPC(pf.schema().intoIPCStream()).schema;
    const md = pf.metadata();
    const rowGroups: number[] = [];
    const n = md.numRowGroups();
    for (let i = 0; i < n; i++) {
      const rg = md.rowGroup(i);
      rowGroups.push(rg.numRows());
      rg.free();
    }
    md.free();
    return { fields: schema.fields, rowGroups };
  } catch (e) {
    throw fileError(absPath, 'cannot read the footer of', e);
  }
}

/** Decodes one row group, only `columns` (file column names), as an apache-arrow Table. */
export async function readRowGroup(
  pf: ParquetFile,
  absPath: string,
  rowGroup: number,
  columns: readonly string[],
  batchSize: number,
): Promise<Table> {
  try {
    const t = await pf.read({ rowGroups: [rowGroup], columns: [...columns], batchSize });
    // intoIPCStream consumes (frees) the wasm table
    return tableFromIPC(t.intoIPCStream());
  } catch (e) {
    throw fileError(absPath, `cannot decode row group ${rowGroup} of`, e);
  }
}
