// What one pg_catalog table is: PostgreSQL's columns (the ones clients read), its relkind, and
// its rows computed from a snapshot of the database being described (the session's catalog).
import type { ColumnSchema } from '../../../common/types.js';
import type { SystemTableContext, SystemValue } from '../table.js';
import type { DatabaseSnapshot } from './database.js';

export interface PgCatalogContext extends SystemTableContext {
  readonly db: DatabaseSnapshot;
}

export interface PgCatalogTable {
  readonly name: string;
  /** pg_class.relkind: 'r' catalog table, 'v' system view. */
  readonly relkind: 'r' | 'v';
  readonly columns: readonly ColumnSchema[];
  /**
   * The table never has rows in Tributary (no indexes, constraints, triggers, policies...). A query
   * block that inner-joins it returns no rows whatever its expressions, which lets the planner skip
   * binding expressions it does not support there (coordinator/planner/prune-empty-catalog.ts).
   */
  readonly alwaysEmpty?: boolean;
  /** Rows in `columns` order. */
  rows(ctx: PgCatalogContext): Promise<SystemValue[][]>;
}

/** A table without rows. */
export function emptyTable(name: string, relkind: 'r' | 'v', columns: readonly ColumnSchema[]): PgCatalogTable {
  return { name, relkind, columns, alwaysEmpty: true, rows: async () => [] };
}
