// What one system table is: its columns, and how the coordinator computes its rows.
import type { ColumnSchema } from '../../common/types.js';
import type { EngineIntrospection, MetaContext } from '../spi.js';

/** A cell of a system table row; integers and bigints are JS numbers (all are small counts). */
export type SystemValue = string | number | boolean | null;

export interface SystemTableContext {
  readonly meta: MetaContext;
  readonly engine: EngineIntrospection;
  /** information_schema only: restrict rows to this catalog (`<catalog>.information_schema.*`). */
  readonly catalogFilter: string | undefined;
  /** pg_catalog only: the session's current schema. */
  readonly currentSchema?: string | undefined;
}

export interface SystemTable {
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly ColumnSchema[];
  /** Rows in `columns` order, computed on the coordinator at split time. */
  rows(ctx: SystemTableContext): Promise<SystemValue[][]>;
}
