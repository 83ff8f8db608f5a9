// PostgreSQL's catalog and session functions (pg_catalog.format_type, pg_table_is_visible,
// current_schemas, version, ...), for psql's backslash commands and JDBC/ODBC metadata queries.
// Each becomes a constant or an expression over the engine's existing kernels; functions about
// things Tributary does not have (comments, defaults, index definitions, sizes) return NULL, and
// privilege checks return true (Tributary checks no privileges).
import { SqlError } from '../../common/errors.js';
import type { Expr } from '../../common/expr/expr.js';
import { PG_TYPES, pgTypeByOid, pgTypeOid } from '../../common/pg-types.js';
import { PG_VERSION_TEXT } from '../../common/pg-version.js';
import { SqlStates } from '../../common/sqlstate.js';
import { BIGINT, BOOLEAN, type DataType, INTEGER, typeToSql, VARCHAR } from '../../common/types.js';
import { OWNER_OID, PG_CATALOG, UTF8_ENCODING } from '../../connectors/system/index.js';
import { foldExpr } from '../optimizer/rules/fold-constants.js';
import { castIfNeeded } from './coercion.js';
import type { ArgTools } from './function-resolver.js';
import { formatArrayText, parseArrayText } from './pg-arrays.js';
import type { PgSession } from './pg-session.js';

const lit = (value: string | number | boolean | null, type: DataType): Expr => ({ kind: 'literal', value, type });
const call = (fn: string, args: readonly Expr[], type: DataType): Expr => ({ kind: 'call', fn, args, type });
const isNull = (e: Expr): Expr => ({ kind: 'is_null', arg: e, negated: false, type: BOOLEAN });
const eq = (a: Expr, b: Expr): Expr => call('eq', [a, b], BOOLEAN);
const text = (e: Expr): Expr => castIfNeeded(e, VARCHAR);

const isIntegral = (e: Expr) => e.type.kind === 'bigint' || e.type.kind === 'integer';

/** NULL when `arg` is NULL, else `then` (PostgreSQL's strict functions). */
function strict(arg: Expr, then: Expr): Expr {
  return {
    kind: 'case',
    whens: [{ when: isNull(arg), result: lit(null, then.type) }],
    otherwise: then,
    type: then.type,
  };
}

/** The constant value of an expression, or undefined when it is not constant. */
export function constantOf(e: Expr): string | number | boolean | null | undefined {
  const f = foldExpr(e);
  return f.kind === 'literal' ? f.value : undefined;
}

/** A constant array (see pg-arrays.ts): the elements of a varchar literal in array form. */
export function constantArray(e: Expr): (string | null)[] | undefined {
  if (e.type.kind !== 'varchar' && e.type.kind !== 'unknown') return undefined;
  const v = constantOf(e);
  return typeof v === 'string' ? parseArrayText(v) : undefined;
}

// ---- format_type ----

/** SQL names format_type prints for built-in types (others print their pg_type name). */
const SQL_NAMES: Readonly<Record<string, string>> = {
  bool: 'boolean',
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  varchar: 'character varying',
  bpchar: 'character',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  time: 'time without time zone',
  timetz: 'time with time zone',
  varbit: 'bit varying',
  char: '"char"',
};

/** format_type(oid, typmod) of constants, as PostgreSQL prints it. */
export function formatType(oid: number, typmod: number): string {
  const t = pgTypeByOid(oid);
  if (!t) return '???';
  if (t.elem !== 0 && t.category === 'A' && t.name.startsWith('_')) return `${formatType(t.elem, typmod)}[]`;
  const name = SQL_NAMES[t.name] ?? t.name;
  switch (t.name) {
    case 'numeric':
      return typmod >= 4 ? `numeric(${((typmod - 4) >> 16) & 0xffff},${(typmod - 4) & 0xffff})` : 'numeric';
    case 'varchar':
      return typmod >= 4 ? `${name}(${typmod - 4})` : name;
    case 'bpchar':
      return typmod >= 4 ? `${name}(${typmod - 4})` : 'bpchar';
    case 'bit':
    case 'varbit':
      return typmod >= 0 ? `${name}(${typmod})` : name;
    case 'timestamp':
    case 'timestamptz':
    case 'time':
    case 'timetz': {
      if (typmod < 0) return name;
      const [base, zone] = name.split(/ (?=with)/);
      return `${base}(${typmod}) ${zone}`;
    }
    default:
      return name;
  }
}

/** format_type over non-constant arguments: a CASE on the OID; typmods matter for numeric and varchar. */
function formatTypeExpr(oid: Expr, typmod: Expr): Expr {
  const mod = (sub: number): Expr => call('subtract', [typmod, lit(sub, INTEGER)], INTEGER);
  const hasMod = (min: number): Expr => call('ge', [typmod, lit(min, INTEGER)], BOOLEAN);
  const withMod = (min: number, modified: Expr, plain: string): Expr => ({
    kind: 'case',
    whens: [{ when: hasMod(min), result: modified }],
    otherwise: lit(plain, VARCHAR),
    type: VARCHAR,
  });
  const whens = PG_TYPES.map((t) => {
    let result: Expr = lit(formatType(t.oid, -1), VARCHAR);
    if (t.name === 'numeric') {
      const m = mod(4);
      result = withMod(
        4,
        call(
          'concat',
          [
            lit('numeric(', VARCHAR),
            text(call('divide', [m, lit(65536, INTEGER)], INTEGER)),
            lit(',', VARCHAR),
            text(call('modulus', [m, lit(65536, INTEGER)], INTEGER)),
            lit(')', VARCHAR),
          ],
          VARCHAR,
        ),
        'numeric',
      );
    } else if (t.name === 'varchar' || t.name === 'bpchar') {
      result = withMod(
        4,
        call('concat', [lit(`${SQL_NAMES[t.name]}(`, VARCHAR), text(mod(4)), lit(')', VARCHAR)], VARCHAR),
        formatType(t.oid, -1),
      );
    }
    return { when: eq(oid, lit(t.oid, INTEGER)), result };
  });
  return strict(oid, { kind: 'case', whens, otherwise: lit('???', VARCHAR), type: VARCHAR });
}

// ---- pg_size_pretty ----

/** pg_size_pretty(bigint) of a constant: PostgreSQL's units (up to PB), truncating division and half rounding. */
export function sizePretty(bytes: bigint): string {
  // [unit, limit, half-rounded, bits]
  const units = [
    ['bytes', 10n * 1024n, false, 0],
    ['kB', 20n * 1024n - 1n, true, 10],
    ['MB', 20n * 1024n - 1n, true, 20],
    ['GB', 20n * 1024n - 1n, true, 30],
    ['TB', 20n * 1024n - 1n, true, 40],
    ['PB', 20n * 1024n - 1n, true, 50],
  ] as const;
  const half = (x: bigint) => (x + (x < 0n ? -1n : 1n)) / 2n;
  let size = bytes;
  for (let i = 0; i < units.length; i++) {
    const [name, limit, round, bits] = units[i]!;
    const next = units[i + 1];
    if (!next || (size < 0n ? -size : size) < limit) return `${round ? half(size) : size} ${name}`;
    size /= 1n << BigInt(next[3] - bits - (next[2] ? 1 : 0) + (round ? 1 : 0));
  }
  return `${size} bytes`;
}

/** pg_size_pretty over a non-constant bigint: sizePretty's steps as one CASE (nested truncating divisions are one). */
function sizePrettyExpr(x: Expr): Expr {
  const big = (v: bigint): Expr => lit(v.toString(), BIGINT);
  const abs = (e: Expr): Expr => call('abs', [e], BIGINT);
  const div = (d: bigint): Expr => (d === 1n ? x : call('divide', [x, big(d)], BIGINT));
  const half = (e: Expr): Expr => ({
    kind: 'case',
    whens: [
      {
        when: call('lt', [e, big(0n)], BOOLEAN),
        result: call('divide', [call('subtract', [e, big(1n)], BIGINT), big(2n)], BIGINT),
      },
    ],
    otherwise: call('divide', [call('add', [e, big(1n)], BIGINT), big(2n)], BIGINT),
    type: BIGINT,
  });
  const shown = (e: Expr, unit: string): Expr => call('concat', [text(e), lit(` ${unit}`, VARCHAR)], VARCHAR);
  const steps = [
    { unit: 'kB', divisor: 1n << 9n },
    { unit: 'MB', divisor: 1n << 19n },
    { unit: 'GB', divisor: 1n << 29n },
    { unit: 'TB', divisor: 1n << 39n },
  ];
  const limit = 20n * 1024n - 1n;
  return strict(x, {
    kind: 'case',
    whens: [
      { when: call('lt', [abs(x), big(10n * 1024n)], BOOLEAN), result: shown(x, 'bytes') },
      ...steps.map((st) => ({
        when: call('lt', [abs(div(st.divisor)), big(limit)], BOOLEAN),
        result: shown(half(div(st.divisor)), st.unit),
      })),
    ],
    otherwise: shown(half(div(1n << 49n)), 'PB'),
    type: VARCHAR,
  });
}

// ---- the functions ----

const NULL_TEXT_FUNCTIONS = new Set([
  'obj_description',
  'col_description',
  'shobj_description',
  'pg_get_expr',
  'pg_get_indexdef',
  'pg_get_constraintdef',
  'pg_get_viewdef',
  'pg_get_triggerdef',
  'pg_get_ruledef',
  'pg_get_functiondef',
  'pg_get_function_result',
  'pg_get_function_arguments',
  'pg_get_function_identity_arguments',
  'pg_get_partkeydef',
  'pg_get_statisticsobjdef_columns',
  'pg_get_serial_sequence',
]);
const NULL_SIZE_FUNCTIONS = new Set([
  'pg_table_size',
  'pg_relation_size',
  'pg_total_relation_size',
  'pg_indexes_size',
  'pg_database_size',
]);
const TRUE_FUNCTIONS = new Set([
  'has_table_privilege',
  'has_schema_privilege',
  'has_database_privilege',
  'has_column_privilege',
  'has_any_column_privilege',
  'has_function_privilege',
  'has_sequence_privilege',
  'has_tablespace_privilege',
  'pg_has_role',
]);
const VISIBLE_IF_NOT_NULL = new Set([
  'pg_function_is_visible',
  'pg_collation_is_visible',
  'pg_conversion_is_visible',
  'pg_opclass_is_visible',
  'pg_operator_is_visible',
  'pg_opfamily_is_visible',
  'pg_ts_config_is_visible',
]);

/**
 * A PostgreSQL catalog/session function call, or undefined when `name` is not one of them (the
 * caller then tries the engine's scalar functions).
 */
export function resolvePgFunction(
  name: string,
  args: readonly Expr[],
  pg: PgSession,
  tools: ArgTools,
  position: number | undefined,
): Expr | undefined {
  const fail = (): never => {
    throw new SqlError(
      SqlStates.undefinedFunction,
      `function ${name}(${args.map((a) => typeToSql(a.type)).join(', ')}) does not exist`,
      position,
    );
  };
  const arity = (min: number, max = min) => {
    if (args.length < min || args.length > max) fail();
  };
  const int = (e: Expr): Expr => {
    const x = tools.resolve(e, INTEGER);
    if (x.type.kind === 'integer') return x;
    if (x.type.kind === 'bigint') return castIfNeeded(x, INTEGER);
    return fail();
  };
  const str = (e: Expr): Expr => {
    const x = tools.resolve(e, VARCHAR);
    if (x.type.kind !== 'varchar') fail();
    return x;
  };
  if (NULL_TEXT_FUNCTIONS.has(name)) {
    arity(1, 3);
    return lit(null, VARCHAR);
  }
  if (NULL_SIZE_FUNCTIONS.has(name)) {
    arity(0, 2);
    return lit(null, BIGINT);
  }
  if (TRUE_FUNCTIONS.has(name)) {
    arity(1, 4);
    return lit(true, BOOLEAN);
  }
  if (VISIBLE_IF_NOT_NULL.has(name)) {
    arity(1);
    return strict(args[0]!, lit(true, BOOLEAN));
  }
  switch (name) {
    case 'version':
      arity(0);
      return lit(PG_VERSION_TEXT, VARCHAR);
    case 'current_database':
      arity(0);
      return lit(pg.database, VARCHAR);
    case 'current_schema':
      arity(0);
      return lit(pg.schema ?? null, VARCHAR);
    case 'current_schemas': {
      arity(1);
      const implicit = constantOf(tools.resolve(args[0]!, BOOLEAN));
      if (typeof implicit !== 'boolean') {
        throw SqlError.unsupported('current_schemas with a non-constant argument', position);
      }
      const schemas = [...(implicit ? [PG_CATALOG] : []), ...(pg.schema ? [pg.schema] : [])];
      return lit(formatArrayText(schemas), VARCHAR);
    }
    case 'current_user':
    case 'session_user':
      arity(0);
      return lit(pg.user, VARCHAR);
    case 'pg_backend_pid':
      arity(0);
      return lit(pg.pid, INTEGER);
    case 'pg_is_in_recovery':
      arity(0);
      return lit(false, BOOLEAN);
    case 'pg_relation_is_publishable':
      arity(1);
      return lit(false, BOOLEAN);
    case 'pg_tablespace_location':
      arity(1);
      return strict(args[0]!, lit('', VARCHAR));
    case 'current_setting': {
      arity(1, 2);
      const n = constantOf(str(args[0]!));
      if (typeof n !== 'string') throw SqlError.unsupported('current_setting with a non-constant name', position);
      const missingOk = args[1] ? constantOf(tools.resolve(args[1], BOOLEAN)) === true : false;
      const value = pg.setting(n.toLowerCase());
      if (value === undefined && !missingOk) {
        throw new SqlError(SqlStates.undefinedObject, `unrecognized configuration parameter "${n}"`, position);
      }
      return lit(value ?? null, VARCHAR);
    }
    case 'pg_get_userbyid': {
      arity(1);
      const id = int(args[0]!);
      return strict(id, {
        kind: 'case',
        whens: [{ when: eq(id, lit(OWNER_OID, INTEGER)), result: lit(pg.user, VARCHAR) }],
        otherwise: call('concat', [lit('unknown (OID=', VARCHAR), text(id), lit(')', VARCHAR)], VARCHAR),
        type: VARCHAR,
      });
    }
    case 'pg_encoding_to_char': {
      arity(1);
      const e = int(args[0]!);
      return strict(e, {
        kind: 'case',
        whens: [
          { when: eq(e, lit(UTF8_ENCODING, INTEGER)), result: lit('UTF8', VARCHAR) },
          { when: eq(e, lit(0, INTEGER)), result: lit('SQL_ASCII', VARCHAR) },
        ],
        otherwise: lit('', VARCHAR),
        type: VARCHAR,
      });
    }
    case 'pg_table_is_visible': {
      arity(1);
      if (!pg.visibleRelations) throw SqlError.internal('pg_table_is_visible: visible relations were not listed');
      const oid = int(args[0]!);
      const list = pg.visibleRelations.map((o) => lit(o, INTEGER));
      if (list.length === 0) return strict(oid, lit(false, BOOLEAN));
      return { kind: 'in', arg: oid, list, negated: false, type: BOOLEAN };
    }
    case 'pg_type_is_visible': {
      arity(1);
      const oid = int(args[0]!);
      return { kind: 'in', arg: oid, list: PG_TYPES.map((t) => lit(t.oid, INTEGER)), negated: false, type: BOOLEAN };
    }
    case 'format_type': {
      arity(2);
      const oid = int(args[0]!);
      const typmod = castIfNeeded(tools.resolve(args[1]!, INTEGER), INTEGER);
      const o = constantOf(oid);
      const m = constantOf(typmod);
      if (o === null) return lit(null, VARCHAR);
      if (typeof o === 'number' && (typeof m === 'number' || m === null)) return lit(formatType(o, m ?? -1), VARCHAR);
      return formatTypeExpr(oid, castIfNeeded(call('coalesce', [typmod, lit(-1, INTEGER)], INTEGER), INTEGER));
    }
    case 'pg_typeof':
      arity(1);
      return lit(formatType(pgTypeOid(args[0]!.type), -1), VARCHAR);
    case 'pg_size_pretty': {
      arity(1);
      const x = castIfNeeded(tools.resolve(args[0]!, BIGINT), BIGINT);
      if (!isIntegral(x)) fail();
      const v = constantOf(x);
      if (v === null) return lit(null, VARCHAR);
      return v === undefined ? sizePrettyExpr(x) : lit(sizePretty(BigInt(v)), VARCHAR);
    }
    case 'quote_ident': {
      arity(1);
      const s = str(args[0]!);
      const quoted = call(
        'concat_op',
        [
          call(
            'concat_op',
            [lit('"', VARCHAR), call('replace', [s, lit('"', VARCHAR), lit('""', VARCHAR)], VARCHAR)],
            VARCHAR,
          ),
          lit('"', VARCHAR),
        ],
        VARCHAR,
      );
      return {
        kind: 'case',
        whens: [{ when: call('regexp_like', [s, lit('^[a-z_][a-z0-9_$]*$', VARCHAR)], BOOLEAN), result: s }],
        otherwise: quoted,
        type: VARCHAR,
      };
    }
    case 'array_to_string': {
      arity(2, 3);
      const sep = str(args[1]!);
      const items = constantArray(args[0]!);
      const sepValue = constantOf(sep);
      const nullText = args[2] ? constantOf(str(args[2])) : null;
      if (items && typeof sepValue === 'string') {
        const shown = items.flatMap((i) => (i === null ? (typeof nullText === 'string' ? [nullText] : []) : [i]));
        return lit(shown.join(sepValue), VARCHAR);
      }
      const arr = str(args[0]!);
      if (constantOf(arr) === null) return lit(null, VARCHAR);
      // Non-constant: the catalog's array columns, always NULL in Tributary. Elements are split
      // at commas without PostgreSQL's quoting rules.
      return strict(
        arr,
        call('replace', [call('trim', [arr, lit('{}', VARCHAR)], VARCHAR), lit(',', VARCHAR), sep], VARCHAR),
      );
    }
    case 'array_upper':
    case 'array_length': {
      arity(2);
      const items = constantArray(args[0]!);
      if (constantOf(args[0]!) === null) return lit(null, INTEGER);
      if (!items) throw SqlError.unsupported(`${name} of a non-constant array`, position);
      return lit(items.length === 0 ? null : items.length, INTEGER);
    }
    case 'array_lower': {
      arity(2);
      const items = constantArray(args[0]!);
      if (!items) throw SqlError.unsupported(`${name} of a non-constant array`, position);
      return lit(items.length === 0 ? null : 1, INTEGER);
    }
    default:
      return undefined;
  }
}

/** current_catalog, current_user, session_user, user, current_role (SQLValueFunction ops). */
export function resolvePgValueFunction(op: string | undefined, pg: PgSession): Expr | undefined {
  switch (op) {
    case 'SVFOP_CURRENT_CATALOG':
      return lit(pg.database, VARCHAR);
    case 'SVFOP_CURRENT_SCHEMA':
      return lit(pg.schema ?? null, VARCHAR);
    case 'SVFOP_CURRENT_USER':
    case 'SVFOP_CURRENT_ROLE':
    case 'SVFOP_SESSION_USER':
    case 'SVFOP_USER':
      return lit(pg.user, VARCHAR);
    default:
      return undefined;
  }
}
