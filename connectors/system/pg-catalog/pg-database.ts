import { pgColumns } from './columns.js';
import { DEFAULT_TABLESPACE_OID, databaseOid, OWNER_OID, UTF8_ENCODING } from './oids.js';
import type { PgCatalogTable } from './table.js';

const COLUMNS = pgColumns(`
  oid oid, datname name, datdba oid, encoding int4, datlocprovider char, datistemplate bool,
  datallowconn bool, datconnlimit int4, datfrozenxid xid, datminmxid xid, dattablespace oid,
  datcollate text, datctype text, daticulocale text, datcollversion text, datacl array`);

/** Every catalog is a database (connect with database "catalog" or "catalog.schema"). */
export const pgDatabase: PgCatalogTable = {
  name: 'pg_database',
  relkind: 'r',
  columns: COLUMNS,
  async rows(ctx) {
    return [...ctx.engine.catalogNames()]
      .sort()
      .map((name) => [
        databaseOid(name),
        name,
        OWNER_OID,
        UTF8_ENCODING,
        'c',
        false,
        true,
        -1,
        0,
        1,
        DEFAULT_TABLESPACE_OID,
        'C',
        'C',
        null,
        null,
        null,
      ]);
  },
};
