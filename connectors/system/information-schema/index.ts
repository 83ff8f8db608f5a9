import type { SystemTable } from '../table.js';
import { columnsTable } from './columns.js';
import { INFORMATION_SCHEMA_DEFINITIONS } from './definitions.js';
import { schemataTable } from './schemata.js';
import { tablesTable } from './tables.js';

export { INFORMATION_SCHEMA } from './definitions.js';

export const INFORMATION_SCHEMA_TABLE_NAMES: readonly string[] = [...INFORMATION_SCHEMA_DEFINITIONS.keys()];

export const informationSchemaTables: readonly SystemTable[] = [columnsTable, schemataTable, tablesTable];
