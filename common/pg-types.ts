// PostgreSQL type identity of SQL types: OIDs, typlen and typmod for the wire protocol
// (RowDescription, ParameterDescription) and the rows of pg_catalog.pg_type. Shared so that
// connectors/system never imports the coordinator.
import { assertNever } from './assert.js';
import {
  BIGINT,
  BOOLEAN,
  DATE,
  type DataType,
  DOUBLE,
  INTEGER,
  INTERVAL,
  TIMESTAMP,
  TIMESTAMPTZ,
  VARCHAR,
} from './types.js';

/** OIDs of the built-in PostgreSQL types we name somewhere (values from pg_type.dat). */
export const PgOid = {
  bool: 16,
  bytea: 17,
  char: 18,
  name: 19,
  int8: 20,
  int2: 21,
  int2vector: 22,
  int4: 23,
  regproc: 24,
  text: 25,
  oid: 26,
  tid: 27,
  xid: 28,
  cid: 29,
  oidvector: 30,
  json: 114,
  xml: 142,
  point: 600,
  float4: 700,
  float8: 701,
  unknown: 705,
  money: 790,
  macaddr: 829,
  inet: 869,
  cidr: 650,
  aclitem: 1033,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  timetz: 1266,
  bit: 1560,
  varbit: 1562,
  numeric: 1700,
  regprocedure: 2202,
  regoper: 2203,
  regoperator: 2204,
  regclass: 2205,
  regtype: 2206,
  cstring: 2275,
  any: 2276,
  anyarray: 2277,
  void: 2278,
  trigger: 2279,
  anyelement: 2283,
  record: 2249,
  uuid: 2950,
  pgLsn: 3220,
  regconfig: 3734,
  regdictionary: 3769,
  jsonb: 3802,
  regnamespace: 4089,
  regrole: 4096,
} as const;

/** Type modifier "no modifier". */
export const NO_TYPMOD = -1;

/** OID of the PostgreSQL type a SQL type is sent as. `unknown` (bare NULL) goes out as text. */
export function pgTypeOid(t: DataType): number {
  switch (t.kind) {
    case 'boolean':
      return PgOid.bool;
    case 'integer':
      return PgOid.int4;
    case 'bigint':
      return PgOid.int8;
    case 'double':
      return PgOid.float8;
    case 'decimal':
      return PgOid.numeric;
    case 'varchar':
      return PgOid.varchar;
    case 'date':
      return PgOid.date;
    case 'timestamp':
      return PgOid.timestamp;
    case 'timestamptz':
      return PgOid.timestamptz;
    case 'interval':
      return PgOid.interval;
    case 'unknown':
      return PgOid.text;
    default:
      return assertNever(t, 'type');
  }
}

/** pg_type.typlen: fixed byte size, or -1 for variable length. */
export function pgTypeLen(t: DataType): number {
  switch (t.kind) {
    case 'boolean':
      return 1;
    case 'integer':
    case 'date':
      return 4;
    case 'bigint':
    case 'double':
    case 'timestamp':
    case 'timestamptz':
      return 8;
    case 'interval':
      return 16;
    case 'decimal':
    case 'varchar':
    case 'unknown':
      return -1;
    default:
      return assertNever(t, 'type');
  }
}

/** atttypmod: numeric(p,s) is ((p << 16) | s) + 4 (VARHDRSZ), everything else -1. */
export function pgTypeMod(t: DataType): number {
  return t.kind === 'decimal' ? ((t.precision << 16) | t.scale) + 4 : NO_TYPMOD;
}

/**
 * The SQL type of a parameter declared by OID in a Parse message, or undefined when the OID is
 * 0 / unknown / not one we map (the engine then infers it from the statement). Unconstrained
 * `numeric` has no fixed scale, so it is left to inference too.
 */
export function dataTypeFromOid(oid: number): DataType | undefined {
  switch (oid) {
    case PgOid.bool:
      return BOOLEAN;
    case PgOid.int2:
    case PgOid.int4:
      return INTEGER;
    case PgOid.int8:
    case PgOid.oid:
      return BIGINT;
    case PgOid.float4:
    case PgOid.float8:
      return DOUBLE;
    case PgOid.text:
    case PgOid.varchar:
    case PgOid.bpchar:
    case PgOid.name:
    case PgOid.char:
      return VARCHAR;
    case PgOid.date:
      return DATE;
    case PgOid.timestamp:
      return TIMESTAMP;
    case PgOid.timestamptz:
      return TIMESTAMPTZ;
    case PgOid.interval:
      return INTERVAL;
    default:
      return undefined;
  }
}

/** One row of pg_catalog.pg_type (the columns clients actually read). */
export interface PgTypeInfo {
  readonly oid: number;
  readonly name: string;
  /** -1 variable length, -2 C string. */
  readonly len: number;
  readonly byVal: boolean;
  /** 'b' base, 'p' pseudo. */
  readonly typtype: 'b' | 'p';
  /** typcategory: B boolean, N numeric, S string, D datetime, A array, U user, P pseudo, ... */
  readonly category: string;
  /** Element type of an array type, else 0. */
  readonly elem: number;
  /** The array type of this type, else 0. */
  readonly array: number;
  /** typalign: c char, s short, i int, d double. */
  readonly align: 'c' | 's' | 'i' | 'd';
  readonly delim: string;
}

// [name, oid, len, byVal, category, array oid, align, typtype]
type BaseRow = readonly [string, number, number, boolean, string, number, 'c' | 's' | 'i' | 'd', 'b' | 'p'];
const BASE_TYPES: readonly BaseRow[] = [
  ['bool', 16, 1, true, 'B', 1000, 'c', 'b'],
  ['bytea', 17, -1, false, 'U', 1001, 'i', 'b'],
  ['char', 18, 1, true, 'Z', 1002, 'c', 'b'],
  ['name', 19, 64, false, 'S', 1003, 'c', 'b'],
  ['int8', 20, 8, true, 'N', 1016, 'd', 'b'],
  ['int2', 21, 2, true, 'N', 1005, 's', 'b'],
  ['int2vector', 22, -1, false, 'A', 1006, 'i', 'b'],
  ['int4', 23, 4, true, 'N', 1007, 'i', 'b'],
  ['regproc', 24, 4, true, 'N', 1008, 'i', 'b'],
  ['text', 25, -1, false, 'S', 1009, 'i', 'b'],
  ['oid', 26, 4, true, 'N', 1028, 'i', 'b'],
  ['tid', 27, 6, false, 'U', 1010, 's', 'b'],
  ['xid', 28, 4, true, 'U', 1011, 'i', 'b'],
  ['cid', 29, 4, true, 'U', 1012, 'i', 'b'],
  ['oidvector', 30, -1, false, 'A', 1013, 'i', 'b'],
  ['json', 114, -1, false, 'U', 199, 'i', 'b'],
  ['xml', 142, -1, false, 'U', 143, 'i', 'b'],
  ['point', 600, 16, false, 'G', 1017, 'd', 'b'],
  ['cidr', 650, -1, false, 'I', 651, 'i', 'b'],
  ['float4', 700, 4, true, 'N', 1021, 'i', 'b'],
  ['float8', 701, 8, true, 'N', 1022, 'd', 'b'],
  ['unknown', 705, -2, false, 'X', 0, 'c', 'p'],
  ['money', 790, 8, true, 'N', 791, 'd', 'b'],
  ['macaddr', 829, 6, false, 'U', 1040, 'i', 'b'],
  ['inet', 869, -1, false, 'I', 1041, 'i', 'b'],
  ['aclitem', 1033, 12, false, 'U', 1034, 'i', 'b'],
  ['bpchar', 1042, -1, false, 'S', 1014, 'i', 'b'],
  ['varchar', 1043, -1, false, 'S', 1015, 'i', 'b'],
  ['date', 1082, 4, true, 'D', 1182, 'i', 'b'],
  ['time', 1083, 8, true, 'D', 1183, 'd', 'b'],
  ['timestamp', 1114, 8, true, 'D', 1115, 'd', 'b'],
  ['timestamptz', 1184, 8, true, 'D', 1185, 'd', 'b'],
  ['interval', 1186, 16, false, 'T', 1187, 'd', 'b'],
  ['timetz', 1266, 12, false, 'D', 1270, 'd', 'b'],
  ['bit', 1560, -1, false, 'V', 1561, 'i', 'b'],
  ['varbit', 1562, -1, false, 'V', 1563, 'i', 'b'],
  ['numeric', 1700, -1, false, 'N', 1231, 'i', 'b'],
  ['regprocedure', 2202, 4, true, 'N', 2207, 'i', 'b'],
  ['regoper', 2203, 4, true, 'N', 2208, 'i', 'b'],
  ['regoperator', 2204, 4, true, 'N', 2209, 'i', 'b'],
  ['regclass', 2205, 4, true, 'N', 2210, 'i', 'b'],
  ['regtype', 2206, 4, true, 'N', 2211, 'i', 'b'],
  ['record', 2249, -1, false, 'P', 2287, 'd', 'p'],
  ['cstring', 2275, -2, false, 'P', 1263, 'c', 'p'],
  ['any', 2276, 4, true, 'P', 0, 'i', 'p'],
  ['anyarray', 2277, -1, false, 'P', 0, 'd', 'p'],
  ['void', 2278, 4, true, 'P', 0, 'i', 'p'],
  ['trigger', 2279, 4, true, 'P', 0, 'i', 'p'],
  ['anyelement', 2283, 4, true, 'P', 0, 'i', 'p'],
  ['uuid', 2950, 16, false, 'U', 2951, 'c', 'b'],
  ['pg_lsn', 3220, 8, true, 'U', 3221, 'd', 'b'],
  ['regconfig', 3734, 4, true, 'N', 3735, 'i', 'b'],
  ['regdictionary', 3769, 4, true, 'N', 3770, 'i', 'b'],
  ['jsonb', 3802, -1, false, 'U', 3807, 'i', 'b'],
  ['regnamespace', 4089, 4, true, 'N', 4090, 'i', 'b'],
  ['regrole', 4096, 4, true, 'N', 4097, 'i', 'b'],
];

function buildTypeTable(): readonly PgTypeInfo[] {
  const out: PgTypeInfo[] = [];
  for (const [name, oid, len, byVal, category, array, align, typtype] of BASE_TYPES) {
    out.push({ oid, name, len, byVal, typtype, category, elem: 0, array, align, delim: ',' });
  }
  for (const [name, oid, , , , array, align] of BASE_TYPES) {
    if (array === 0) continue;
    const arrayAlign = align === 'd' ? 'd' : 'i';
    out.push({
      oid: array,
      name: `_${name}`,
      len: -1,
      byVal: false,
      typtype: 'b',
      category: 'A',
      elem: oid,
      array: 0,
      align: arrayAlign,
      delim: ',',
    });
  }
  return out.sort((a, b) => a.oid - b.oid);
}

/** pg_catalog.pg_type rows for the built-in types, sorted by OID. */
export const PG_TYPES: readonly PgTypeInfo[] = buildTypeTable();

const BY_OID = new Map<number, PgTypeInfo>(PG_TYPES.map((t) => [t.oid, t]));
const BY_NAME = new Map<string, PgTypeInfo>(PG_TYPES.map((t) => [t.name, t]));

export function pgTypeByOid(oid: number): PgTypeInfo | undefined {
  return BY_OID.get(oid);
}

export function pgTypeByName(name: string): PgTypeInfo | undefined {
  return BY_NAME.get(name);
}
