// Catalog properties of the memory connector.
import { SqlError } from '../../common/errors.js';
import type { CatalogConfig } from '../../common/plan/task.js';
import { SqlStates } from '../../common/sqlstate.js';

export const MAX_DATA_PER_NODE = 'memory.max-data-per-node';

export interface MemoryConfig {
  /** Bytes of table data one node may hold (over all memory catalogs of the process). */
  readonly maxDataPerNode: number;
}

const UNITS: Readonly<Record<string, number>> = {
  B: 1,
  kB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
  TB: 1024 ** 4,
  PB: 1024 ** 5,
};

/** Parses an airlift DataSize such as `128MB`, `1.5GB`, `512kB`, `100B`. */
export function parseDataSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(B|kB|MB|GB|TB|PB)$/.exec(text.trim());
  if (!m) return undefined;
  return Math.floor(Number(m[1]) * UNITS[m[2]!]!);
}

export function memoryConfig(catalog: CatalogConfig): MemoryConfig {
  const raw = catalog.properties[MAX_DATA_PER_NODE] ?? '1GB';
  const maxDataPerNode = parseDataSize(raw);
  if (maxDataPerNode === undefined) {
    throw new SqlError(
      SqlStates.configFileError,
      `catalog '${catalog.name}': property '${MAX_DATA_PER_NODE}' is not a data size (like 128MB): '${raw}'`,
    );
  }
  return { maxDataPerNode };
}
