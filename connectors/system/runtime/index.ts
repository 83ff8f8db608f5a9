import type { SystemTable } from '../table.js';
import { nodesTable } from './nodes.js';

export const runtimeTables: readonly SystemTable[] = [nodesTable];
