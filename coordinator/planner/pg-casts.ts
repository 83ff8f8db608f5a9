// PostgreSQL syntax that catalog queries use around OIDs and arrays:
//   'nation'::regclass, 'int4'::regtype, x::oid     -> integer OIDs (regclass names resolved up front)
//   'pg_catalog.array_in'::regproc                   -> the function name (regproc columns hold names)
//   x = ANY (current_schemas(true)), x <> ALL ('{a,b}')  -> IN lists over constant arrays
//   (current_schemas(true))[1]                       -> an element of a constant array
//   x COLLATE pg_catalog.default / "C" / "POSIX"     -> x (Tributary compares by code point)
import type { Node, TypeName } from '@pgsql/types';
import { SqlError } from '../../common/errors.js';
import type { Expr } from '../../common/expr/expr.js';
import { pgTypeByName } from '../../common/pg-types.js';
import { SqlStates } from '../../common/sqlstate.js';
import { BOOLEAN, INTEGER, VARCHAR } from '../../common/types.js';
import { namespaceOid, OWNER_OID } from '../../connectors/system/index.js';
import { as, stringsOf } from '../sql/ast.js';
import { castIfNeeded } from './coercion.js';
import { constantArray, constantOf } from './pg-functions.js';
import type { PgSession } from './pg-session.js';

const lit = (value: string | number | boolean | null, type = INTEGER): Expr => ({ kind: 'literal', value, type });

const OID_TYPES = new Set([
  'oid',
  'regclass',
  'regtype',
  'regnamespace',
  'regrole',
  'regoper',
  'regoperator',
  'regconfig',
  'regdictionary',
  'regcollation',
  'xid',
  'cid',
]);
const PROC_TYPES = new Set(['regproc', 'regprocedure']);

/** Type names as PostgreSQL's parser normalizes them, for 'name'::regtype. */
const TYPE_ALIASES: Readonly<Record<string, string>> = {
  integer: 'int4',
  int: 'int4',
  smallint: 'int2',
  bigint: 'int8',
  real: 'float4',
  float: 'float8',
  'double precision': 'float8',
  boolean: 'bool',
  'character varying': 'varchar',
  character: 'bpchar',
  char: 'bpchar',
  decimal: 'numeric',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  'time without time zone': 'time',
  'time with time zone': 'timetz',
  'bit varying': 'varbit',
  '"char"': 'char',
};

function typeOidOf(text: string, position: number | undefined): number {
  let name = text
    .trim()
    .toLowerCase()
    .replace(/^pg_catalog\./, '');
  let array = false;
  if (name.endsWith('[]')) {
    array = true;
    name = name.slice(0, -2).trim();
  }
  name = name.replace(/\s*\([^)]*\)/, '').trim();
  name = TYPE_ALIASES[name] ?? name;
  const t = pgTypeByName(array ? `_${name}` : name);
  if (!t) throw new SqlError(SqlStates.undefinedObject, `type "${text}" does not exist`, position);
  return t.oid;
}

/**
 * `arg::<oid-like type>`, or undefined when the target is not one (the binder casts as usual).
 * `bind` binds the argument.
 */
export function bindPgCast(
  typeName: TypeName | undefined,
  argNode: Node,
  bind: (n: Node) => Expr,
  pg: PgSession | undefined,
  position: number | undefined,
): Expr | undefined {
  const names = stringsOf(typeName?.names).filter((n) => n !== 'pg_catalog');
  const type = names.length === 1 ? names[0]! : '';
  if (!OID_TYPES.has(type) && !PROC_TYPES.has(type)) return undefined;
  if (typeName?.arrayBounds && typeName.arrayBounds.length > 0) {
    throw SqlError.unsupported(`array type ${type}[]`, position);
  }
  const arg = bind(argNode);
  if (PROC_TYPES.has(type)) {
    // regproc values are function names here (pg_type.typinput & co. hold names).
    const v = arg.type.kind === 'unknown' ? constantOf(arg) : undefined;
    if (typeof v === 'string') return lit(v.replace(/^pg_catalog\./, ''), VARCHAR);
    return castIfNeeded(arg, VARCHAR);
  }
  if (arg.type.kind === 'integer') return arg;
  if (arg.type.kind === 'bigint' || arg.type.kind === 'decimal') return castIfNeeded(arg, INTEGER);
  const text = arg.kind === 'literal' && arg.type.kind === 'unknown' ? arg.value : undefined;
  if (arg.kind === 'literal' && arg.value === null) return lit(null);
  if (typeof text !== 'string') {
    if (arg.kind === 'param') return castIfNeeded(arg, INTEGER); // a literal at execution
    throw SqlError.unsupportedPlural(`casts of non-constant text to ${type}`, position);
  }
  if (/^\s*\d+\s*$/.test(text)) return lit(Number(text));
  switch (type) {
    case 'regclass': {
      const oid = pg?.regclass.get(text);
      if (oid === undefined)
        throw new SqlError(SqlStates.undefinedTable, `relation "${text}" does not exist`, position);
      return lit(oid);
    }
    case 'regtype':
      return lit(typeOidOf(text, position));
    case 'regnamespace':
      return lit(namespaceOid(pg?.database ?? '', text.replace(/^"|"$/g, '')));
    case 'regrole':
      if (pg && text === pg.user) return lit(OWNER_OID);
      throw new SqlError(SqlStates.undefinedObject, `role "${text}" does not exist`, position);
    default:
      throw SqlError.unsupportedPlural(`casts of names to ${type}`, position);
  }
}

/** The elements of an array operand: a constant array, or ARRAY[...] of expressions. */
function arrayElements(n: Node | undefined, bind: (n: Node) => Expr): Expr[] | undefined {
  const arr = as(n, 'A_ArrayExpr') as { elements?: Node[] } | undefined;
  if (arr) return (arr.elements ?? []).map(bind);
  if (!n) return undefined;
  return constantArray(bind(n))?.map((i) => lit(i, VARCHAR));
}

/**
 * `x op ANY (array)` / `x op ALL (array)` over a constant array or ARRAY[...]: = ANY is IN, <> ALL is
 * NOT IN; other operators are 0A000.
 */
export function bindArrayComparison(
  kind: 'AEXPR_OP_ANY' | 'AEXPR_OP_ALL',
  op: string,
  left: Node | undefined,
  right: Node | undefined,
  bind: (n: Node) => Expr,
  position: number | undefined,
): { readonly arg: Expr; readonly list: readonly Expr[]; readonly negated: boolean } {
  const any = kind === 'AEXPR_OP_ANY';
  if (!((any && op === '=') || (!any && (op === '<>' || op === '!=')))) {
    throw SqlError.unsupported(`${op} ${any ? 'ANY' : 'ALL'} (array)`, position);
  }
  const items = arrayElements(right, bind);
  if (!items) throw SqlError.unsupported(`${op} ${any ? 'ANY' : 'ALL'} over a non-constant array`, position);
  if (!left) throw SqlError.syntax(`${op} ${any ? 'ANY' : 'ALL'} without a left operand`, position);
  return { arg: bind(left), list: items, negated: !any };
}

/** `array[i]` on a constant array: the element (a CASE over i when i is not constant). */
export function bindArraySubscript(
  argNode: Node | undefined,
  indirection: readonly Node[],
  bind: (n: Node) => Expr,
  resolveInt: (e: Expr) => Expr,
  position: number | undefined,
): Expr {
  const [first, ...rest] = indirection;
  const idx = as(first, 'A_Indices') as { is_slice?: boolean; uidx?: Node } | undefined;
  if (!argNode || !idx || idx.is_slice || !idx.uidx || rest.length > 0) {
    throw SqlError.unsupportedPlural('field selection and array slices', position);
  }
  const base = bind(argNode);
  const items = constantArray(base);
  if (!items) {
    if (constantOf(base) === null) return lit(null, VARCHAR);
    throw SqlError.unsupportedPlural('subscripts of non-constant arrays', position);
  }
  const index = castIfNeeded(resolveInt(bind(idx.uidx)), INTEGER);
  const k = constantOf(index);
  if (typeof k === 'number') return lit(items[k - 1] ?? null, VARCHAR);
  if (k === null) return lit(null, VARCHAR);
  return {
    kind: 'case',
    whens: items.map((v, i) => ({
      when: { kind: 'call', fn: 'eq', args: [index, lit(i + 1)], type: BOOLEAN },
      result: lit(v, VARCHAR),
    })),
    otherwise: null,
    type: VARCHAR,
  };
}

const COLLATIONS = new Set(['default', 'C', 'POSIX', 'ucs_basic']);

/** `x COLLATE c`: only the code-point collations Tributary always uses. */
export function checkCollation(collname: readonly Node[] | undefined, position: number | undefined): void {
  const name = stringsOf(collname)
    .filter((n) => n !== 'pg_catalog')
    .join('.');
  if (!COLLATIONS.has(name)) throw SqlError.unsupported(`collation "${name}"`, position);
}
