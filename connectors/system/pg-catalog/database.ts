// The database a pg_catalog table describes: the session's current catalog, whose schemas are
// PostgreSQL's namespaces (plus pg_catalog and information_schema) and whose tables are its
// relations. Listed lazily and once per table scan.
import type { ColumnSchema } from '../../../common/types.js';
import type { ConnectorMetadata } from '../../spi.js';
import { INFORMATION_SCHEMA_DEFINITIONS } from '../information-schema/definitions.js';
import type { SystemTableContext } from '../table.js';
import { INFORMATION_SCHEMA, namespaceOid, PG_CATALOG, relationOid } from './oids.js';

export interface PgNamespace {
  readonly oid: number;
  readonly name: string;
}

export interface PgRelation {
  readonly oid: number;
  readonly name: string;
  readonly namespace: PgNamespace;
  readonly relkind: 'r' | 'v';
  /** Columns, or undefined when the table vanished since it was listed. */
  columns(): Promise<readonly ColumnSchema[] | undefined>;
  /** The connector's row count estimate, when it has one. */
  rowCount(): Promise<number | undefined>;
}

export interface DatabaseSnapshot {
  /** The catalog described as "the database"; undefined when the session has none. */
  readonly catalog: string | undefined;
  /** The session's current schema (search_path). */
  readonly currentSchema: string | undefined;
  /** The session user, shown as the owner of everything. */
  readonly user: string;
  namespaces(): Promise<readonly PgNamespace[]>;
  relations(): Promise<readonly PgRelation[]>;
}

/** pg_catalog's own tables, as the snapshot lists them. */
export interface CatalogRelationDef {
  readonly name: string;
  readonly relkind: 'r' | 'v';
  readonly columns: readonly ColumnSchema[];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function once<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    p ??= f();
    return p;
  };
}

export function databaseSnapshot(
  ctx: SystemTableContext,
  catalogTables: readonly CatalogRelationDef[],
): DatabaseSnapshot {
  const catalog = ctx.catalogFilter;
  const key = catalog ?? '';
  const metadata: ConnectorMetadata | undefined = catalog === undefined ? undefined : ctx.engine.metadataOf(catalog);
  const ns = (name: string): PgNamespace => ({ oid: namespaceOid(key, name), name });

  const connectorSchemas = once(async () => {
    if (!metadata) return [];
    const listed = await metadata.listSchemas(ctx.meta);
    return [...new Set(listed)].filter((s) => s !== PG_CATALOG && s !== INFORMATION_SCHEMA).sort(compare);
  });

  const namespaces = once(async () => [ns(PG_CATALOG), ns(INFORMATION_SCHEMA), ...(await connectorSchemas()).map(ns)]);

  const relations = once(async () => {
    const out: PgRelation[] = [];
    const fixed = (namespace: PgNamespace, name: string, relkind: 'r' | 'v', columns: readonly ColumnSchema[]) =>
      out.push({
        oid: relationOid(key, namespace.name, name),
        name,
        namespace,
        relkind,
        columns: async () => columns,
        rowCount: async () => undefined,
      });
    for (const t of catalogTables) fixed(ns(PG_CATALOG), t.name, t.relkind, t.columns);
    for (const [name, columns] of INFORMATION_SCHEMA_DEFINITIONS) fixed(ns(INFORMATION_SCHEMA), name, 'v', columns);
    if (!metadata) return out;
    const schemas = await connectorSchemas();
    const listed = await Promise.all(schemas.map((s) => metadata.listTables(s, ctx.meta)));
    schemas.forEach((schema, i) => {
      const namespace = ns(schema);
      for (const table of [...new Set(listed[i])].sort(compare)) {
        const info = once(() => metadata.getTable(schema, table, ctx.meta));
        out.push({
          oid: relationOid(key, schema, table),
          name: table,
          namespace,
          relkind: 'r',
          columns: async () => (await info())?.columns,
          rowCount: async () => {
            const t = await info();
            if (!t || !metadata.getStatistics) return undefined;
            return (await metadata.getStatistics(t.handle, ctx.meta)).rowCount;
          },
        });
      }
    });
    return out;
  });

  return { catalog, currentSchema: ctx.currentSchema, user: ctx.meta.session.user, namespaces, relations };
}
