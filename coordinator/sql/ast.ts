// Small readers over libpg-query's JSON AST (a Node is a one-key object: { SelectStmt: {...} }).
import type { Node, TypeName } from '@pgsql/types';
import { SqlError } from '../../common/errors.js';
import { type DataType, decimal, parseTypeName } from '../../common/types.js';

export function tagOf(n: Node): string {
  for (const k in n) return k;
  return 'unknown';
}

/** The body of a node of the given tag, or undefined. */
export function as<K extends string>(n: Node | undefined, tag: K): (Node & Record<K, unknown>)[K] | undefined {
  if (!n || !(tag in n)) return undefined;
  return (n as Record<string, unknown>)[tag] as (Node & Record<K, unknown>)[K];
}

export function stringOf(n: Node | undefined): string | undefined {
  const s = as(n, 'String');
  return s ? ((s as { sval?: string }).sval ?? '') : undefined;
}

export function stringsOf(nodes: readonly Node[] | undefined): string[] {
  return (nodes ?? []).map((n) => stringOf(n) ?? '');
}

export function locationOf(n: Node | undefined): number | undefined {
  if (!n) return undefined;
  const body = (n as Record<string, { location?: number } | undefined>)[tagOf(n)];
  const loc = body?.location;
  return loc === undefined || loc < 0 ? undefined : loc + 1;
}

/** SQL type of a TypeName node (`numeric(15,2)`, `pg_catalog.int4`, `varchar(10)`...). */
export function typeOfTypeName(t: TypeName | undefined, position?: number): DataType {
  const names = stringsOf(t?.names).filter((n) => n !== 'pg_catalog');
  const name = names.join('.');
  const mods = (t?.typmods ?? []).map((m) => {
    const c = as(m, 'A_Const') as { ival?: { ival?: number } } | undefined;
    return c?.ival ? (c.ival.ival ?? 0) : undefined;
  });
  if (t?.arrayBounds && t.arrayBounds.length > 0) throw SqlError.unsupported(`array type ${name}[]`, position);
  if (name === 'numeric' || name === 'decimal') {
    if (mods.length === 0) return decimal(38, 0);
    return decimal(mods[0] ?? 38, mods[1] ?? 0);
  }
  const alias: Record<string, string> = {
    int4: 'integer',
    int: 'integer',
    int2: 'integer',
    smallint: 'integer',
    tinyint: 'integer',
    int8: 'bigint',
    float8: 'double',
    float4: 'double',
    real: 'double',
    float: 'double',
    'double precision': 'double',
    bool: 'boolean',
    text: 'varchar',
    bpchar: 'varchar',
    char: 'varchar',
    character: 'varchar',
    'character varying': 'varchar',
    string: 'varchar',
    name: 'varchar',
  };
  const parsed = parseTypeName(alias[name] ?? name);
  if (!parsed || parsed.kind === 'unknown') {
    throw SqlError.unsupported(`type ${name}`, position);
  }
  return parsed;
}
