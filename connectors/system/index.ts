// The `system` catalog: information_schema over every catalog, runtime views of the engine
// (nodes), and pg_catalog (PostgreSQL's system catalog over the session's current catalog). Always present; never configured by a file.
import type { Connector, ConnectorContext, ConnectorFactory } from '../spi.js';
import { systemMetadata } from './metadata.js';
import { systemPageSource } from './reader.js';
import { systemSplitManager } from './splits.js';

export type { SystemTableHandle } from './handle.js';
export { INFORMATION_SCHEMA, INFORMATION_SCHEMA_TABLE_NAMES } from './information-schema/index.js';
export { informationSchemaTable, pgCatalogTable } from './metadata.js';
export {
  databaseOid,
  hasUniqueOid,
  isAlwaysEmptyPgCatalogTable,
  isPgCatalogTable,
  namespaceOid,
  OWNER_OID,
  PG_CATALOG,
  PG_CATALOG_NAMESPACE_OID,
  PG_CATALOG_NULL_ARRAY_COLUMNS,
  PG_CATALOG_TABLE_NAMES,
  relationOid,
  UTF8_ENCODING,
} from './pg-catalog/index.js';

export const SYSTEM_CATALOG = 'system';

export const systemConnectorFactory: ConnectorFactory = {
  name: 'system',
  knownProperties: [],
  requiredProperties: [],
  create(ctx: ConnectorContext): Connector {
    return {
      metadata: systemMetadata,
      splits: systemSplitManager(ctx.catalog.name, ctx.introspection),
      pageSource: systemPageSource,
    };
  },
};
