// Catalog properties for pushdown and parallel reads, shared by postgresql and mysql
// (connection properties are in config.ts):
//   filter-pushdown.enabled=true        push WHERE conjuncts (and run-time dynamic filters)
//   join-pushdown.enabled=true          push inner/left equi-joins of two tables of the catalog
//   aggregation-pushdown.enabled=true   push GROUP BY with count/sum/avg/min/max
//   topn-pushdown.enabled=true          push ORDER BY ... LIMIT n
//   split.max-count=<2 per worker>      most splits (parallel reads) per table scan; 1 = never split
//   split.target-rows=1000000           rows per split; tables estimated below 2x this are read whole
// The join/aggregation/top-N names are Trino's (base-jdbc); filter-pushdown.enabled and the split
// properties are Tributary's own (switching pushdown off is for comparisons and benchmarks).
import { SqlError } from '../../common/errors.js';
import type { CatalogConfig } from '../../common/plan/task.js';
import { SqlStates } from '../../common/sqlstate.js';

export const FILTER_PUSHDOWN = 'filter-pushdown.enabled';
export const JOIN_PUSHDOWN = 'join-pushdown.enabled';
export const AGGREGATION_PUSHDOWN = 'aggregation-pushdown.enabled';
export const TOPN_PUSHDOWN = 'topn-pushdown.enabled';
export const SPLIT_MAX_COUNT = 'split.max-count';
export const SPLIT_TARGET_ROWS = 'split.target-rows';

export const OPTION_PROPERTIES: readonly string[] = [
  FILTER_PUSHDOWN,
  JOIN_PUSHDOWN,
  AGGREGATION_PUSHDOWN,
  TOPN_PUSHDOWN,
  SPLIT_MAX_COUNT,
  SPLIT_TARGET_ROWS,
];

export interface RemoteOptions {
  readonly filterPushdown: boolean;
  readonly joinPushdown: boolean;
  readonly aggregationPushdown: boolean;
  readonly topNPushdown: boolean;
  /** undefined: two splits per live worker. */
  readonly splitMaxCount: number | undefined;
  readonly splitTargetRows: number;
}

export const DEFAULT_SPLIT_TARGET_ROWS = 1_000_000;

export const DEFAULT_OPTIONS: RemoteOptions = {
  filterPushdown: true,
  joinPushdown: true,
  aggregationPushdown: true,
  topNPushdown: true,
  splitMaxCount: undefined,
  splitTargetRows: DEFAULT_SPLIT_TARGET_ROWS,
};

function optionError(catalog: string, message: string): SqlError {
  return new SqlError(SqlStates.configFileError, `catalog '${catalog}': ${message}`);
}

export function remoteOptions(catalog: CatalogConfig): RemoteOptions {
  const props = catalog.properties;
  const flag = (key: string): boolean => {
    const raw = props[key];
    if (raw === undefined) return true;
    const v = raw.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw optionError(catalog.name, `property '${key}' must be true or false: '${raw}'`);
  };
  const count = (key: string, min: number): number | undefined => {
    const raw = props[key];
    if (raw === undefined) return undefined;
    const n = Number(raw.trim());
    if (!Number.isSafeInteger(n) || n < min) {
      throw optionError(catalog.name, `property '${key}' must be an integer of at least ${min}: '${raw}'`);
    }
    return n;
  };
  return {
    filterPushdown: flag(FILTER_PUSHDOWN),
    joinPushdown: flag(JOIN_PUSHDOWN),
    aggregationPushdown: flag(AGGREGATION_PUSHDOWN),
    topNPushdown: flag(TOPN_PUSHDOWN),
    splitMaxCount: count(SPLIT_MAX_COUNT, 1),
    splitTargetRows: count(SPLIT_TARGET_ROWS, 1) ?? DEFAULT_SPLIT_TARGET_ROWS,
  };
}
