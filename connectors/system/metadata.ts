// Coordinator side of the system connector: the fixed set of system tables.
import { SqlError } from '../../common/errors.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { ConnectorMetadata, MetaContext, TableHandle, TableInfo } from '../spi.js';
import { type SystemTableHandle, toSystemHandle } from './handle.js';
import { INFORMATION_SCHEMA } from './information-schema/index.js';
import { PG_CATALOG } from './pg-catalog/index.js';
import { systemSchemas, systemTable } from './tables.js';

/**
 * The handle and columns of `information_schema.<name>`, optionally restricted to one catalog.
 * The engine routes `<catalog>.information_schema.<name>` here with `catalogFilter = catalog`.
 */
export function informationSchemaTable(name: string, catalogFilter?: string): TableInfo | undefined {
  const t = systemTable(INFORMATION_SCHEMA, name);
  if (!t) return undefined;
  const handle: SystemTableHandle =
    catalogFilter === undefined
      ? { schema: INFORMATION_SCHEMA, table: name }
      : { schema: INFORMATION_SCHEMA, table: name, catalogFilter };
  return { handle, columns: t.columns };
}

/**
 * The handle and columns of `pg_catalog.<name>` describing `catalog` as the database (undefined:
 * no current catalog, only pg_catalog and information_schema), with `currentSchema` on the search path.
 */
export function pgCatalogTable(name: string, catalog?: string, currentSchema?: string): TableInfo | undefined {
  const t = systemTable(PG_CATALOG, name);
  if (!t) return undefined;
  const handle: SystemTableHandle = {
    schema: PG_CATALOG,
    table: name,
    ...(catalog === undefined ? {} : { catalogFilter: catalog }),
    ...(currentSchema === undefined ? {} : { currentSchema }),
  };
  return { handle, columns: t.columns };
}

export const systemMetadata: ConnectorMetadata = {
  async listSchemas(_ctx: MetaContext): Promise<readonly string[]> {
    return [...systemSchemas.keys()].sort();
  },
  async listTables(schema: string, _ctx: MetaContext): Promise<readonly string[]> {
    const tables = systemSchemas.get(schema);
    if (!tables) throw new SqlError(SqlStates.invalidSchemaName, `schema system.${schema} does not exist`);
    return [...tables.keys()].sort();
  },
  async getTable(schema: string, table: string, _ctx: MetaContext): Promise<TableInfo | undefined> {
    const t = systemTable(schema, table);
    if (!t) return undefined;
    const handle: SystemTableHandle = { schema, table };
    return { handle, columns: t.columns };
  },
  describeHandle(handle: TableHandle): string {
    const h = toSystemHandle(handle);
    return h.catalogFilter === undefined ? '' : `catalog=${h.catalogFilter}`;
  },
};
