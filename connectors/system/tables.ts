// Every system table, by schema.
import { informationSchemaTables } from './information-schema/index.js';
import { runtimeTables } from './runtime/index.js';
import type { SystemTable } from './table.js';

export const systemSchemas: ReadonlyMap<string, ReadonlyMap<string, SystemTable>> = new Map(
  Object.entries({ information_schema: informationSchemaTables, runtime: runtimeTables }).map(([schema, tables]) => [
    schema,
    new Map(tables.map((t) => [t.name, t])),
  ]),
);

export function systemTable(schema: string, table: string): SystemTable | undefined {
  return systemSchemas.get(schema)?.get(table);
}
