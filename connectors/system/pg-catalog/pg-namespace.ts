import { pgColumns } from './columns.js';
import { OWNER_OID } from './oids.js';
import type { PgCatalogTable } from './table.js';

/** The current catalog's schemas, plus pg_catalog and information_schema. */
export const pgNamespace: PgCatalogTable = {
  name: 'pg_namespace',
  relkind: 'r',
  columns: pgColumns('oid oid, nspname name, nspowner oid, nspacl array'),
  async rows(ctx) {
    return (await ctx.db.namespaces()).map((n) => [n.oid, n.name, OWNER_OID, null]);
  },
};
