import type { SystemTable } from '../table.js';
import { INFORMATION_SCHEMA, TABLES_COLUMNS } from './definitions.js';
import { listAllTables } from './walk.js';

export const tablesTable: SystemTable = {
  schema: INFORMATION_SCHEMA,
  name: 'tables',
  columns: TABLES_COLUMNS,
  async rows(ctx) {
    return (await listAllTables(ctx)).map((t) => [t.catalog, t.schema, t.table, 'BASE TABLE']);
  },
};
