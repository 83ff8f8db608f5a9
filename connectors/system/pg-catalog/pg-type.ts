import { PG_TYPES, PgOid } from '../../../common/pg-types.js';
import { pgColumns } from './columns.js';
import { C_COLLATION_OID, DEFAULT_COLLATION_OID, OWNER_OID, PG_CATALOG_NAMESPACE_OID } from './oids.js';
import type { PgCatalogTable } from './table.js';

const COLUMNS = pgColumns(`
  oid oid, typname name, typnamespace oid, typowner oid, typlen int2, typbyval bool, typtype char,
  typcategory char, typispreferred bool, typisdefined bool, typdelim char, typrelid oid,
  typsubscript regproc, typelem oid, typarray oid, typinput regproc, typoutput regproc,
  typreceive regproc, typsend regproc, typmodin regproc, typmodout regproc, typanalyze regproc,
  typalign char, typstorage char, typnotnull bool, typbasetype oid, typtypmod int4, typndims int4,
  typcollation oid, typdefaultbin pg_node_tree, typdefault text, typacl array`);

const PREFERRED = new Set<number>([
  PgOid.bool,
  PgOid.text,
  PgOid.oid,
  PgOid.float8,
  PgOid.inet,
  PgOid.timestamptz,
  PgOid.interval,
  PgOid.varbit,
]);
const COLLATABLE = new Set<number>([PgOid.text, PgOid.varchar, PgOid.bpchar]);
/** Fixed-length types that PostgreSQL subscripts as arrays of their element. */
const ELEMENT_OF: ReadonlyMap<number, number> = new Map([
  [PgOid.name, PgOid.char],
  [PgOid.int2vector, PgOid.int2],
  [PgOid.oidvector, PgOid.oid],
  [PgOid.point, PgOid.float8],
]);

/** typstorage / attstorage: plain for fixed length, main for numeric, extended for other varlena. */
export function storageOf(typeOid: number, len: number): 'p' | 'm' | 'x' {
  if (len !== -1) return 'p';
  return typeOid === PgOid.numeric ? 'm' : 'x';
}

/** pg_attribute.attcollation / pg_type.typcollation of a type (arrays: of their element). */
export function collationOf(typeOid: number): number {
  if (COLLATABLE.has(typeOid)) return DEFAULT_COLLATION_OID;
  if (typeOid === PgOid.name) return C_COLLATION_OID;
  return 0;
}

/** PostgreSQL's built-in types (common/pg-types.ts), the ones Tributary sends among them. */
export const pgType: PgCatalogTable = {
  name: 'pg_type',
  relkind: 'r',
  columns: COLUMNS,
  async rows() {
    return PG_TYPES.map((t) => {
      const isArray = t.category === 'A' && t.elem !== 0;
      const io = (suffix: string) => (isArray ? `array_${suffix}` : `${t.name}${suffix}`);
      return [
        t.oid,
        t.name,
        PG_CATALOG_NAMESPACE_OID,
        OWNER_OID,
        t.len,
        t.byVal,
        t.typtype,
        t.category,
        PREFERRED.has(t.oid),
        true,
        t.delim,
        0,
        isArray ? 'array_subscript_handler' : '-',
        ELEMENT_OF.get(t.oid) ?? t.elem,
        t.array,
        isArray ? 'array_in' : io('in'),
        isArray ? 'array_out' : io('out'),
        isArray ? 'array_recv' : io('recv'),
        isArray ? 'array_send' : io('send'),
        '-',
        '-',
        isArray ? 'array_typanalyze' : '-',
        t.align,
        storageOf(t.oid, t.len),
        false,
        0,
        -1,
        0,
        collationOf(isArray ? t.elem : t.oid),
        null,
        null,
        null,
      ];
    });
  },
};
