// Walks the metadata of every catalog (or of the filtered one): its schemas and tables. Every
// catalog has an `information_schema` schema (served by the system connector), as in Trino.
import type { ColumnSchema } from '../../../common/types.js';
import type { SystemTableContext } from '../table.js';
import { INFORMATION_SCHEMA, INFORMATION_SCHEMA_DEFINITIONS } from './definitions.js';

export interface SchemaRef {
  readonly catalog: string;
  readonly schema: string;
}

export interface TableRef extends SchemaRef {
  readonly table: string;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function catalogsOf(ctx: SystemTableContext): string[] {
  const names = [...ctx.engine.catalogNames()].sort(compare);
  return ctx.catalogFilter === undefined ? names : names.filter((n) => n === ctx.catalogFilter);
}

export async function listAllSchemas(ctx: SystemTableContext): Promise<SchemaRef[]> {
  const out: SchemaRef[] = [];
  for (const catalog of catalogsOf(ctx)) {
    const metadata = ctx.engine.metadataOf(catalog);
    if (!metadata) continue;
    const schemas = new Set(await metadata.listSchemas(ctx.meta));
    schemas.add(INFORMATION_SCHEMA);
    for (const schema of [...schemas].sort(compare)) out.push({ catalog, schema });
  }
  return out;
}

export async function listAllTables(ctx: SystemTableContext): Promise<TableRef[]> {
  const out: TableRef[] = [];
  for (const { catalog, schema } of await listAllSchemas(ctx)) {
    const tables =
      schema === INFORMATION_SCHEMA
        ? [...INFORMATION_SCHEMA_DEFINITIONS.keys()]
        : await ctx.engine.metadataOf(catalog)!.listTables(schema, ctx.meta);
    for (const table of [...tables].sort(compare)) out.push({ catalog, schema, table });
  }
  return out;
}

/** Columns of a listed table; undefined when it vanished between listing and lookup. */
export async function columnsOf(t: TableRef, ctx: SystemTableContext): Promise<readonly ColumnSchema[] | undefined> {
  if (t.schema === INFORMATION_SCHEMA) return INFORMATION_SCHEMA_DEFINITIONS.get(t.table);
  const info = await ctx.engine.metadataOf(t.catalog)?.getTable(t.schema, t.table, ctx.meta);
  return info?.columns;
}
