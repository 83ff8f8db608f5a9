import { typeToSql } from '../../../common/types.js';
import type { SystemTable, SystemValue } from '../table.js';
import { COLUMNS_COLUMNS, INFORMATION_SCHEMA } from './definitions.js';
import { columnsOf, listAllTables } from './walk.js';

export const columnsTable: SystemTable = {
  schema: INFORMATION_SCHEMA,
  name: 'columns',
  columns: COLUMNS_COLUMNS,
  async rows(ctx) {
    const rows: SystemValue[][] = [];
    for (const t of await listAllTables(ctx)) {
      const columns = await columnsOf(t, ctx);
      if (!columns) continue;
      columns.forEach((c, i) => {
        rows.push([
          t.catalog,
          t.schema,
          t.table,
          c.name,
          i + 1,
          typeToSql(c.type),
          c.nullable === false ? 'NO' : 'YES',
        ]);
      });
    }
    return rows;
  },
};
