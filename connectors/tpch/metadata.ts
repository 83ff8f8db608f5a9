// Coordinator side: schemas are scale factors, every schema has the eight tables.
import type { ConnectorMetadata, TableInfo } from '../spi.js';
import { handleJson, parseHandle } from './handle.js';
import {
  checkScaleFactor,
  estimatedRowCount,
  isTableName,
  LISTED_SCHEMAS,
  scaleFactorOf,
  TABLE_COLUMNS,
  TABLE_NAMES,
} from './schema.js';

export function createMetadata(): ConnectorMetadata {
  return {
    async listSchemas() {
      return LISTED_SCHEMAS;
    },
    async listTables(schema) {
      return scaleFactorOf(schema) === undefined ? [] : TABLE_NAMES;
    },
    async getTable(schema, table): Promise<TableInfo | undefined> {
      const sf = scaleFactorOf(schema);
      const name = table.toLowerCase();
      if (sf === undefined || !isTableName(name)) return undefined;
      checkScaleFactor(sf);
      return { handle: handleJson({ schema: schema.toLowerCase(), table: name, sf }), columns: TABLE_COLUMNS[name] };
    },
    async getStatistics(handle) {
      const h = parseHandle(handle);
      return { rowCount: estimatedRowCount(h.table, h.sf) };
    },
    describeHandle(handle) {
      const h = parseHandle(handle);
      return `tpch ${h.schema}.${h.table} (sf ${h.sf})`;
    },
  };
}
