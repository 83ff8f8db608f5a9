// Walks a table's directory: Parquet data files, possibly under nested `key=value/` partition
// directories. Names starting with `_` or `.` (staging, _table.json, hidden files) are skipped.
// `keep` prunes a partition directory before anything below it is listed.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePartitionDir } from './partitions.js';

export interface DataFile {
  /** Path relative to the lake root, with `/` separators. */
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** Partition key -> raw value (null for the hive default partition), outermost first. */
  readonly partition: Readonly<Record<string, string | null>>;
}

export type PartitionFilter = (key: string, value: string | null) => boolean;

export function isDataFileName(name: string): boolean {
  return !name.startsWith('_') && !name.startsWith('.') && name.endsWith('.parquet');
}

function isListed(name: string): boolean {
  return !name.startsWith('_') && !name.startsWith('.');
}

/** Every data file of a table directory `rel` (relative to `root`), pruned by `keep`. */
export async function listDataFiles(
  root: string,
  rel: string,
  keep?: PartitionFilter,
): Promise<{ files: DataFile[]; prunedDirs: number }> {
  const files: DataFile[] = [];
  let prunedDirs = 0;
  async function walk(dir: string, partition: Record<string, string | null>): Promise<void> {
    const entries = await readdir(join(root, dir), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (!isListed(e.name)) continue;
      const child = `${dir}/${e.name}`;
      if (e.isDirectory()) {
        const kv = parsePartitionDir(e.name);
        if (!kv) continue;
        if (keep && !keep(kv[0], kv[1])) {
          prunedDirs++;
          continue;
        }
        await walk(child, { ...partition, [kv[0]]: kv[1] });
      } else if (e.isFile() && e.name.endsWith('.parquet')) {
        const s = await stat(join(root, child));
        files.push({ path: child, size: s.size, mtimeMs: s.mtimeMs, partition });
      }
    }
  }
  await walk(rel, {});
  return { files, prunedDirs };
}

/** Partition keys in directory order (outermost first), over all files. */
export function partitionKeys(files: readonly DataFile[]): string[] {
  const keys: string[] = [];
  for (const f of files) for (const k of Object.keys(f.partition)) if (!keys.includes(k)) keys.push(k);
  return keys;
}
