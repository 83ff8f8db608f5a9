import { pgColumns } from './columns.js';
import { OWNER_OID } from './oids.js';
import type { PgCatalogTable } from './table.js';

const COLUMNS = pgColumns(`
  oid oid, relname name, relnamespace oid, reltype oid, reloftype oid, relowner oid, relam oid,
  relfilenode oid, reltablespace oid, relpages int4, reltuples float4, relallvisible int4,
  reltoastrelid oid, relhasindex bool, relisshared bool, relpersistence char, relkind char,
  relnatts int2, relchecks int2, relhasrules bool, relhastriggers bool, relhassubclass bool,
  relrowsecurity bool, relforcerowsecurity bool, relispopulated bool, relreplident char,
  relispartition bool, relrewrite oid, relfrozenxid xid, relminmxid xid, relacl array,
  reloptions array, relpartbound pg_node_tree`);

/**
 * Every table of the current catalog (relkind 'r'), information_schema's views and pg_catalog's
 * own tables. No indexes, rules, triggers or access method (relam 0); reltuples is the
 * connector's estimate, or -1 (PostgreSQL's "never analyzed").
 */
export const pgClass: PgCatalogTable = {
  name: 'pg_class',
  relkind: 'r',
  columns: COLUMNS,
  async rows(ctx) {
    const relations = await ctx.db.relations();
    return Promise.all(
      relations.map(async (r) => {
        const [columns, rowCount] = await Promise.all([r.columns(), r.rowCount()]);
        return [
          r.oid,
          r.name,
          r.namespace.oid,
          0,
          0,
          OWNER_OID,
          0,
          0,
          0,
          0,
          rowCount ?? -1,
          0,
          0,
          false,
          false,
          'p',
          r.relkind,
          columns?.length ?? 0,
          0,
          false,
          false,
          false,
          false,
          false,
          true,
          r.relkind === 'r' ? 'd' : 'n',
          false,
          0,
          0,
          0,
          null,
          null,
          null,
        ];
      }),
    );
  },
};
