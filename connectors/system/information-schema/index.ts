import type { SystemTable } from '../table.js';
import { columnsTable } from './columns.js';
import { schemataTable } from './schemata.js';
import { tablesTable } from './tables.js';

export { INFORMATION_SCHEMA } from './definitions.js';

export const informationSchemaTables: readonly SystemTable[] = [columnsTable, schemataTable, tablesTable];
