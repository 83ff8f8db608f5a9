// The rows of a system table are computed here, on the coordinator, and shipped inside the
// one split, so any worker can serve them without access to the engine's state.
import { SqlError } from '../../common/errors.js';
import type { Split } from '../../common/plan/task.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { EngineIntrospection, MetaContext, SplitManager, TableHandle } from '../spi.js';
import { encodeRows } from './encode.js';
import { toSystemHandle } from './handle.js';
import { systemTable } from './tables.js';

export function systemSplitManager(catalog: string, engine: EngineIntrospection | undefined): SplitManager {
  return {
    async getSplits(handle: TableHandle, ctx: MetaContext): Promise<readonly Split[]> {
      if (!engine) throw SqlError.internal('system connector: splits requested outside the coordinator');
      const h = toSystemHandle(handle);
      const table = systemTable(h.schema, h.table);
      if (!table) throw new SqlError(SqlStates.undefinedTable, `table system.${h.schema}.${h.table} does not exist`);
      const rows = await table.rows({
        meta: ctx,
        engine,
        catalogFilter: h.catalogFilter,
        currentSchema: h.currentSchema,
      });
      return [{ catalog, payload: encodeRows(table.columns, rows), addresses: [] }];
    },
  };
}
