// pg_catalog: PostgreSQL's system catalog over the session's current catalog, so that psql's
// backslash commands and JDBC/ODBC metadata calls work unchanged. Reached as `pg_catalog.<t>`,
// `<catalog>.pg_catalog.<t>`, or unqualified (pg_catalog is first on PostgreSQL's search path).
import type { SystemTable } from '../table.js';
import { type CatalogRelationDef, databaseSnapshot } from './database.js';
import { emptyTables } from './empty-tables.js';
import { pgAm, pgTablespace } from './minimal-tables.js';
import { PG_CATALOG } from './oids.js';
import { pgAttribute } from './pg-attribute.js';
import { pgClass } from './pg-class.js';
import { pgDatabase } from './pg-database.js';
import { pgNamespace } from './pg-namespace.js';
import { pgRoles, pgUser } from './pg-roles.js';
import { pgSettings } from './pg-settings.js';
import { pgStatUserTables, pgTables, pgViews } from './pg-tables.js';
import { pgType } from './pg-type.js';
import type { PgCatalogTable } from './table.js';

export {
  databaseOid,
  INFORMATION_SCHEMA,
  namespaceOid,
  OWNER_OID,
  PG_CATALOG,
  PG_CATALOG_NAMESPACE_OID,
  relationOid,
  UTF8_ENCODING,
} from './oids.js';

const TABLES: readonly PgCatalogTable[] = [
  pgAm,
  pgAttribute,
  pgClass,
  pgDatabase,
  pgNamespace,
  pgRoles,
  pgSettings,
  pgStatUserTables,
  pgTables,
  pgTablespace,
  pgType,
  pgUser,
  pgViews,
  ...emptyTables,
].sort((a, b) => (a.name < b.name ? -1 : 1));

const BY_NAME = new Map(TABLES.map((t) => [t.name, t]));

const RELATIONS: readonly CatalogRelationDef[] = TABLES.map((t) => ({
  name: t.name,
  relkind: t.relkind,
  columns: t.columns,
}));

/** The pg_catalog tables as system tables: each scan describes the handle's catalog afresh. */
export const pgCatalogTables: readonly SystemTable[] = TABLES.map((t) => ({
  schema: PG_CATALOG,
  name: t.name,
  columns: t.columns,
  rows: (ctx) => t.rows({ ...ctx, db: databaseSnapshot(ctx, RELATIONS) }),
}));

export function isPgCatalogTable(name: string): boolean {
  return BY_NAME.has(name);
}

/** True for pg_catalog tables that never have rows (pg_index, pg_constraint, ...). */
export function isAlwaysEmptyPgCatalogTable(name: string): boolean {
  return BY_NAME.get(name)?.alwaysEmpty === true;
}

/**
 * Columns of pg_catalog tables that hold arrays or expression trees (relacl, reloptions, ...):
 * always NULL in Tributary's rows.
 */
export const PG_CATALOG_NULL_ARRAY_COLUMNS: ReadonlySet<string> = new Set(
  TABLES.flatMap((t) => t.columns.filter((c) => c.nullable === true).map((c) => c.name)),
);

/** Whether a pg_catalog table has an `oid` column, unique like PostgreSQL's. */
export function hasUniqueOid(name: string): boolean {
  return BY_NAME.get(name)?.columns.some((c) => c.name === 'oid') === true;
}

/** Names of pg_catalog's relations, for pg_table_is_visible. */
export const PG_CATALOG_TABLE_NAMES: readonly string[] = TABLES.map((t) => t.name);
