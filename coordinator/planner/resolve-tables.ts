// Table names -> connector tables, before binding. Metadata calls are async and binding is
// not, so every RangeVar of a statement is looked up first.
//   table            -> session catalog and schema
//   schema.table     -> session catalog
//   catalog.schema.table
// `<catalog>.information_schema.<t>` is served by the system catalog, restricted to <catalog>.
// `pg_catalog.<t>`, `<catalog>.pg_catalog.<t>` and unqualified pg_catalog table names (pg_catalog
// comes first on PostgreSQL's search path) are served by the system catalog, describing the
// session's catalog (or <catalog>) as the database.
import type { Node } from '@pgsql/types';
import { SqlError } from '../../common/errors.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { MetaContext } from '../../connectors/spi.js';
import { informationSchemaTable, isPgCatalogTable, PG_CATALOG, pgCatalogTable } from '../../connectors/system/index.js';
import type { CatalogManager } from '../catalog/catalog-manager.js';
import type { Session } from '../session.js';
import type { ResolvedTable } from './bind-select.js';

export interface TableLookup {
  resolveTable(parts: readonly string[], position: number | undefined): ResolvedTable;
}

export interface QualifiedName {
  readonly catalog: string;
  readonly schema: string;
  readonly table: string;
}

export function qualify(parts: readonly string[], session: Session, position?: number): QualifiedName {
  const [a, b, c] = parts;
  if (parts.length === 3) return { catalog: a!, schema: b!, table: c! };
  if (parts.length === 2) {
    if (!session.catalog) throw noCatalog(parts, position);
    return { catalog: session.catalog, schema: a!, table: b! };
  }
  if (parts.length === 1) {
    if (!session.catalog || !session.schema) throw noCatalog(parts, position);
    return { catalog: session.catalog, schema: session.schema, table: a! };
  }
  throw SqlError.syntax(`improper qualified name (too many dotted names): ${parts.join('.')}`, position);
}

/**
 * `pg_catalog.t` and an unqualified pg_catalog table name, in the session's catalog (or none:
 * pg_catalog then describes an empty database); undefined for other names.
 */
export function pgCatalogName(parts: readonly string[], session: Session): QualifiedName | undefined {
  const table = parts.length === 1 ? parts[0]! : parts.length === 2 && parts[0] === PG_CATALOG ? parts[1]! : undefined;
  if (table === undefined || (parts.length === 1 && !isPgCatalogTable(table))) return undefined;
  return { catalog: session.catalog ?? '', schema: PG_CATALOG, table };
}

function noCatalog(parts: readonly string[], position: number | undefined): SqlError {
  return new SqlError(SqlStates.undefinedTable, `relation "${parts.join('.')}" does not exist`, position, {
    hint: 'No current catalog/schema: write catalog.schema.table, connect with database "catalog.schema", or run USE catalog.schema.',
  });
}

export async function lookupTable(
  name: QualifiedName,
  catalogs: CatalogManager,
  ctx: MetaContext,
  position?: number,
  /** The session's schema, which pg_catalog tables put on the search path. */
  currentSchema?: string,
): Promise<ResolvedTable> {
  const missing = () =>
    new SqlError(
      SqlStates.undefinedTable,
      `relation "${name.catalog === '' ? '' : `${name.catalog}.`}${name.schema}.${name.table}" does not exist`,
      position,
    );
  if (name.schema === 'information_schema' && name.catalog !== 'system') {
    if (!catalogs.config(name.catalog)) throw missing();
    const info = informationSchemaTable(name.table, name.catalog);
    if (!info) throw missing();
    return { catalog: 'system', schema: name.schema, table: name.table, handle: info.handle, columns: info.columns };
  }
  if (name.schema === PG_CATALOG) {
    if (name.catalog !== '' && !catalogs.config(name.catalog)) throw missing();
    const info = pgCatalogTable(name.table, name.catalog || undefined, currentSchema);
    if (!info) throw missing();
    return { catalog: 'system', schema: name.schema, table: name.table, handle: info.handle, columns: info.columns };
  }
  const meta = catalogs.metadataOf(name.catalog);
  if (!meta) throw missing();
  const info = await meta.getTable(name.schema, name.table, ctx);
  if (!info) throw missing();
  const stats = meta.getStatistics ? await meta.getStatistics(info.handle, ctx) : undefined;
  return {
    catalog: name.catalog,
    schema: name.schema,
    table: name.table,
    handle: info.handle,
    columns: info.columns,
    ...(stats?.rowCount === undefined ? {} : { rowCount: stats.rowCount }),
  };
}

/** Finds every RangeVar in a statement and resolves it. */
export async function resolveAllTables(
  ast: Node,
  session: Session,
  catalogs: CatalogManager,
  ctx: MetaContext,
): Promise<TableLookup> {
  const found = new Map<string, ResolvedTable>();
  const pending: Promise<void>[] = [];
  const cteNames = new Set<string>();
  collectCteNames(ast, cteNames);
  visit(ast, (rv) => {
    const parts = [rv.catalogname, rv.schemaname, rv.relname].filter((p): p is string => !!p);
    if (parts.length === 1 && cteNames.has(parts[0]!)) return; // a WITH query, bound by the binder
    const key = parts.join('\u0000');
    if (found.has(key)) return;
    const position = rv.location === undefined ? undefined : rv.location + 1;
    let name = pgCatalogName(parts, session) ?? qualify(parts, session, position);
    // pg_catalog of a session whose database is no catalog: an empty database, as psql expects.
    if (name.schema === PG_CATALOG && parts.length < 3 && !catalogs.config(name.catalog))
      name = { ...name, catalog: '' };
    pending.push(
      lookupTable(name, catalogs, ctx, position, session.schema).then((t) => {
        found.set(key, t);
      }),
    );
    found.set(key, undefined as never);
  });
  await Promise.all(pending);
  return {
    resolveTable(parts, position) {
      const t = found.get(parts.join('\u0000'));
      if (!t) throw SqlError.internal(`table ${parts.join('.')} was not resolved before binding (at ${position})`);
      return t;
    },
  };
}

interface RangeVarBody {
  catalogname?: string;
  schemaname?: string;
  relname?: string;
  location?: number;
}

function visit(node: unknown, onRangeVar: (rv: RangeVarBody) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) visit(n, onRangeVar);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'RangeVar') onRangeVar(v as RangeVarBody);
    else visit(v, onRangeVar);
  }
}

function collectCteNames(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) collectCteNames(n, into);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'CommonTableExpr') {
      const name = (v as { ctename?: string }).ctename;
      if (name) into.add(name);
    }
    collectCteNames(v, into);
  }
}
