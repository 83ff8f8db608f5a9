// The staging area of writes: `<table>/_staging/<insertId>/` holds the files of an INSERT or
// CTAS until the coordinator renames them into the table (metadata.ts finishInsert); readers
// never look inside it. A failed or cancelled statement removes its directory; what a crash
// left behind (a killed coordinator, a removal that raced with a late write) is swept when the
// coordinator starts and whenever an insert into that table ends.
import { readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

export const STAGING_DIR = '_staging';

const running = new Map<string, Set<string>>();

/** The inserts running in this process into the lake at `root` (shared by catalogs on one root). */
export function runningInserts(root: string): Set<string> {
  let s = running.get(root);
  if (!s) {
    s = new Set();
    running.set(root, s);
  }
  return s;
}

/** Removes one insert's staging directory (retrying while a late writer still adds to it). */
export async function removeStaged(tableDir: string, insertId: string): Promise<void> {
  await rm(join(tableDir, STAGING_DIR, insertId), { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  await rmdir(join(tableDir, STAGING_DIR)).catch(() => undefined);
}

async function dirs(path: string): Promise<string[]> {
  try {
    return (await readdir(path, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

/** Removes the staging directories of a table except those of inserts still running; returns how many. */
export async function sweepTable(tableDir: string, running: ReadonlySet<string>): Promise<number> {
  let removed = 0;
  for (const id of await dirs(join(tableDir, STAGING_DIR))) {
    if (running.has(id)) continue;
    await removeStaged(tableDir, id).catch(() => undefined);
    removed++;
  }
  await rmdir(join(tableDir, STAGING_DIR)).catch(() => undefined);
  // a CTAS that died before its first file leaves an empty directory that is no table
  if (removed > 0) await rmdir(tableDir).catch(() => undefined);
  return removed;
}

/** Sweeps every table of the lake (`<root>/<schema>/<table>/_staging`); returns how many were removed. */
export async function sweepLake(root: string, running: ReadonlySet<string>): Promise<number> {
  let removed = 0;
  for (const schema of await dirs(root)) {
    if (schema.startsWith('.') || schema.startsWith('_')) continue;
    for (const table of await dirs(join(root, schema))) {
      removed += await sweepTable(join(root, schema, table), running);
    }
  }
  return removed;
}
