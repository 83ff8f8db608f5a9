import type { SystemTable } from '../table.js';
import { INFORMATION_SCHEMA, SCHEMATA_COLUMNS } from './definitions.js';
import { listAllSchemas } from './walk.js';

export const schemataTable: SystemTable = {
  schema: INFORMATION_SCHEMA,
  name: 'schemata',
  columns: SCHEMATA_COLUMNS,
  async rows(ctx) {
    return (await listAllSchemas(ctx)).map((s) => [s.catalog, s.schema]);
  },
};
