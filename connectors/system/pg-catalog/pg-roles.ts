// One role: the session's user, as PostgreSQL's bootstrap superuser (OID 10), owner of everything.
// Tributary does not check privileges (has_table_privilege & co. answer true).
import { pgColumns } from './columns.js';
import { OWNER_OID } from './oids.js';
import type { PgCatalogTable } from './table.js';

export const pgRoles: PgCatalogTable = {
  name: 'pg_roles',
  relkind: 'v',
  columns: pgColumns(`
    rolname name, rolsuper bool, rolinherit bool, rolcreaterole bool, rolcreatedb bool,
    rolcanlogin bool, rolreplication bool, rolconnlimit int4, rolpassword text,
    rolvaliduntil timestamptz, rolbypassrls bool, rolconfig array, oid oid`),
  async rows(ctx) {
    return [[ctx.db.user, true, true, true, true, true, false, -1, '********', null, false, null, OWNER_OID]];
  },
};

export const pgUser: PgCatalogTable = {
  name: 'pg_user',
  relkind: 'v',
  columns: pgColumns(`
    usename name, usesysid oid, usecreatedb bool, usesuper bool, userepl bool, usebypassrls bool,
    passwd text, valuntil timestamptz, useconfig array`),
  async rows(ctx) {
    return [[ctx.db.user, OWNER_OID, true, true, false, false, '********', null, null]];
  },
};
