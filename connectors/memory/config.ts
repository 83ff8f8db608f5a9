// Catalog properties of the memory connector.
import { parseDataSize } from '../../common/data-size.js';
import { SqlError } from '../../common/errors.js';
import type { CatalogConfig } from '../../common/plan/task.js';
import { SqlStates } from '../../common/sqlstate.js';

export const MAX_DATA_PER_NODE = 'memory.max-data-per-node';

export interface MemoryConfig {
  /** Bytes of table data one node may hold (over all memory catalogs of the process). */
  readonly maxDataPerNode: number;
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
