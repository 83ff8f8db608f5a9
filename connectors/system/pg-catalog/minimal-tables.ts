// pg_catalog tables with a few fixed rows.
import { pgColumns } from './columns.js';
import { DEFAULT_TABLESPACE_OID, GLOBAL_TABLESPACE_OID, OWNER_OID } from './oids.js';
import type { PgCatalogTable } from './table.js';

/** Access methods exist (clients join pg_class.relam to them), but no relation uses one (relam 0). */
export const pgAm: PgCatalogTable = {
  name: 'pg_am',
  relkind: 'r',
  columns: pgColumns('oid oid, amname name, amhandler regproc, amtype char'),
  async rows() {
    return [
      [2, 'heap', 'heap_tableam_handler', 't'],
      [403, 'btree', 'bthandler', 'i'],
      [405, 'hash', 'hashhandler', 'i'],
    ];
  },
};

export const pgTablespace: PgCatalogTable = {
  name: 'pg_tablespace',
  relkind: 'r',
  columns: pgColumns('oid oid, spcname name, spcowner oid, spcacl array, spcoptions array'),
  async rows() {
    return [
      [DEFAULT_TABLESPACE_OID, 'pg_default', OWNER_OID, null, null],
      [GLOBAL_TABLESPACE_OID, 'pg_global', OWNER_OID, null, null],
    ];
  },
};
