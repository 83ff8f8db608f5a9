// Object identifiers of pg_catalog rows. Tributary keeps no OID counter: the OID of a schema or
// table is a hash of its qualified name into PostgreSQL's user range (>= 16384), so it is the same
// in every query and on every coordinator, and `pg_class.oid = pg_attribute.attrelid` joins work.
// pg_catalog's own tables and namespace keep PostgreSQL's fixed OIDs.
import { fnv1a } from '../../../common/hash.js';

export const PG_CATALOG = 'pg_catalog';
export const INFORMATION_SCHEMA = 'information_schema';

/** pg_namespace.oid of pg_catalog (PG_CATALOG_NAMESPACE). */
export const PG_CATALOG_NAMESPACE_OID = 11;
/** The bootstrap superuser: owner of every object, shown as the session's user. */
export const OWNER_OID = 10;
/** pg_database.encoding of UTF8. */
export const UTF8_ENCODING = 6;
/** pg_tablespace rows. */
export const DEFAULT_TABLESPACE_OID = 1663;
export const GLOBAL_TABLESPACE_OID = 1664;
/** pg_collation "default". */
export const DEFAULT_COLLATION_OID = 100;
/** pg_collation "C" (the collation of type name). */
export const C_COLLATION_OID = 950;

const FIRST_NORMAL_OID = 16384;
const OID_RANGE = 0x7fffffff - FIRST_NORMAL_OID;

/** PostgreSQL's OIDs of the catalog tables that have one fixed in pg_class.dat. */
const FIXED_RELATION_OIDS: Readonly<Record<string, number>> = {
  pg_type: 1247,
  pg_attribute: 1249,
  pg_proc: 1255,
  pg_class: 1259,
  pg_database: 1262,
  pg_tablespace: 1213,
  pg_am: 2601,
  pg_attrdef: 2604,
  pg_constraint: 2606,
  pg_description: 2609,
  pg_index: 2610,
  pg_inherits: 2611,
  pg_namespace: 2615,
  pg_trigger: 2620,
  pg_auth_members: 1261,
  pg_shdescription: 2396,
  pg_collation: 3456,
  pg_policy: 3256,
  pg_statistic_ext: 3381,
  pg_publication: 6104,
  pg_publication_rel: 6106,
  pg_publication_namespace: 6237,
  pg_extension: 3079,
  pg_enum: 3501,
};

/** FNV-1a of the UTF-16 code units, folded into [16384, 2^31 - 1]: fits int4 and never clashes with built-in OIDs. */
export function stableOid(key: string): number {
  return FIRST_NORMAL_OID + (fnv1a(key) % OID_RANGE);
}

export function databaseOid(catalog: string): number {
  return stableOid(`database:${catalog}`);
}

export function namespaceOid(catalog: string, schema: string): number {
  return schema === PG_CATALOG ? PG_CATALOG_NAMESPACE_OID : stableOid(`namespace:${catalog}.${schema}`);
}

/** pg_class.oid of catalog.schema.table (pg_catalog tables: the same in every catalog). */
export function relationOid(catalog: string, schema: string, table: string): number {
  if (schema === PG_CATALOG) return FIXED_RELATION_OIDS[table] ?? stableOid(`relation:pg_catalog.${table}`);
  return stableOid(`relation:${catalog}.${schema}.${table}`);
}
