// Every system table, by schema.
import { informationSchemaTables } from './information-schema/index.js';
import { PG_CATALOG, pgCatalogTables } from './pg-catalog/index.js';
import { runtimeTables } from './runtime/index.js';
import type { SystemTable } from './table.js';

export const systemSchemas: ReadonlyMap<string, ReadonlyMap<string, SystemTable>> = new Map(
  Object.entries({ information_schema: informationSchemaTables, runtime: runtimeTables }).map(([schema, tables]) => [
    schema,
    new Map(tables.map((t) => [t.name, t])),
  ]),
);

/** pg_catalog is not listed as a schema of `system`: every catalog has it (see pg-catalog/index.ts). */
const pgCatalog: ReadonlyMap<string, SystemTable> = new Map(pgCatalogTables.map((t) => [t.name, t]));

export function systemTable(schema: string, table: string): SystemTable | undefined {
  if (schema === PG_CATALOG) return pgCatalog.get(table);
  return systemSchemas.get(schema)?.get(table);
}
