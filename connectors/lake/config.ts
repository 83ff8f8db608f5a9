// Catalog properties of the lake connector.
import { availableParallelism, totalmem } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { parseDataSize } from '../../common/data-size.js';
import { SqlError } from '../../common/errors.js';
import type { CatalogConfig } from '../../common/plan/task.js';
import { SqlStates } from '../../common/sqlstate.js';

export const LAKE_ROOT = 'lake.root';
export const LAKE_METADATA_TTL = 'lake.metadata-ttl';
export const LAKE_DEMO = 'lake.demo';
export const LAKE_SPLIT_ROWS = 'lake.target-split-rows';
export const LAKE_FILE_ROWS = 'lake.writer.max-file-rows';
export const LAKE_THREADS = 'lake.threads';
export const LAKE_COLUMN_CACHE = 'lake.column-cache-size';

export const LAKE_PROPERTIES = [
  LAKE_ROOT,
  LAKE_METADATA_TTL,
  LAKE_DEMO,
  LAKE_SPLIT_ROWS,
  LAKE_FILE_ROWS,
  LAKE_THREADS,
  LAKE_COLUMN_CACHE,
] as const;

export interface LakeConfig {
  readonly catalog: string;
  /** Absolute directory holding `<schema>/<table>/...`. */
  readonly root: string;
  /** How long listings and footers are trusted before the file system is asked again. */
  readonly metadataTtlMs: number;
  /** Create the demo lake (clickstream + TPC-H tiny) on first use when missing. */
  readonly demo: boolean;
  /** Consecutive row groups of one file are grouped into splits of about this many rows. */
  readonly targetSplitRows: number;
  /** A page sink starts a new file after this many rows. */
  readonly maxFileRows: number;
  /** Threads per worker process decoding and encoding Parquet (0: on the main thread). */
  readonly threads: number;
  /** Bytes of decoded column chunks each worker process keeps for later queries (0: none). */
  readonly columnCacheBytes: number;
}

function configError(catalog: string, key: string, raw: string, what: string): SqlError {
  return new SqlError(SqlStates.configFileError, `catalog '${catalog}': property '${key}' ${what}: '${raw}'`);
}

/** Parses `500ms`, `5s`, `2m`, `1h` or a bare number of milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return undefined;
  const unit = m[2] ?? 'ms';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return Math.round(Number(m[1]) * factor);
}

function positiveInt(catalog: string, key: string, raw: string | undefined, dflt: number): number {
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw configError(catalog, key, raw, 'must be a positive integer');
  return n;
}

function threadCount(catalog: string, raw: string | undefined): number {
  if (raw === undefined) return Math.min(2, availableParallelism());
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 64) {
    throw configError(catalog, LAKE_THREADS, raw, 'must be a whole number from 0 to 64');
  }
  return n;
}

/** Default: 1 GB, or an eighth of the machine's memory when that is less. */
function columnCacheBytes(catalog: string, raw: string | undefined): number {
  if (raw === undefined) return Math.min(1024 ** 3, Math.floor(totalmem() / 8));
  const n = raw.trim() === '0' ? 0 : parseDataSize(raw);
  if (n === undefined) throw configError(catalog, LAKE_COLUMN_CACHE, raw, 'is not a data size such as 512MB or 0');
  return n;
}

export function lakeConfig(catalog: CatalogConfig): LakeConfig {
  const p = catalog.properties;
  const rawRoot = p[LAKE_ROOT];
  if (rawRoot === undefined || rawRoot.trim() === '') {
    throw new SqlError(SqlStates.configFileError, `catalog '${catalog.name}': missing property '${LAKE_ROOT}'`);
  }
  const root = isAbsolute(rawRoot) ? rawRoot : resolve(catalog.configDir, rawRoot);
  const rawTtl = p[LAKE_METADATA_TTL] ?? '5s';
  const metadataTtlMs = parseDuration(rawTtl);
  if (metadataTtlMs === undefined) throw configError(catalog.name, LAKE_METADATA_TTL, rawTtl, 'is not a duration');
  const rawDemo = (p[LAKE_DEMO] ?? 'false').trim().toLowerCase();
  if (rawDemo !== 'true' && rawDemo !== 'false')
    throw configError(catalog.name, LAKE_DEMO, rawDemo, 'is not a boolean');
  return {
    catalog: catalog.name,
    root,
    metadataTtlMs,
    demo: rawDemo === 'true',
    targetSplitRows: positiveInt(catalog.name, LAKE_SPLIT_ROWS, p[LAKE_SPLIT_ROWS], 262_144),
    maxFileRows: positiveInt(catalog.name, LAKE_FILE_ROWS, p[LAKE_FILE_ROWS], 4_000_000),
    threads: threadCount(catalog.name, p[LAKE_THREADS]),
    columnCacheBytes: columnCacheBytes(catalog.name, p[LAKE_COLUMN_CACHE]),
  };
}
