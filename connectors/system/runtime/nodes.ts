import { BOOLEAN, type ColumnSchema, VARCHAR } from '../../../common/types.js';
import type { SystemTable } from '../table.js';

const COLUMNS: readonly ColumnSchema[] = [
  { name: 'node_id', type: VARCHAR, nullable: false },
  { name: 'http_uri', type: VARCHAR, nullable: false },
  { name: 'node_version', type: VARCHAR, nullable: false },
  { name: 'coordinator', type: BOOLEAN, nullable: false },
  { name: 'state', type: VARCHAR, nullable: false },
];

/** The coordinator and the workers it currently knows (Trino's system.runtime.nodes). */
export const nodesTable: SystemTable = {
  schema: 'runtime',
  name: 'nodes',
  columns: COLUMNS,
  async rows(ctx) {
    return ctx.engine.nodes().map((n) => [n.nodeId, n.httpUri, n.nodeVersion, n.coordinator, n.state]);
  },
};
