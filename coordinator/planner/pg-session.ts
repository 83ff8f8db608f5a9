// What PostgreSQL's catalog functions need to know about the session, gathered before binding
// (binding is synchronous, metadata is not): the current catalog ("database") and schema, the
// user, settings, and for the statement at hand the relations visible on the search path
// (pg_table_is_visible) and the relations named by 'name'::regclass literals.
import type { Node } from '@pgsql/types';
import { SqlError } from '../../common/errors.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { MetaContext } from '../../connectors/spi.js';
import {
  INFORMATION_SCHEMA_TABLE_NAMES,
  isPgCatalogTable,
  PG_CATALOG,
  PG_CATALOG_TABLE_NAMES,
  relationOid,
} from '../../connectors/system/index.js';
import type { CatalogManager } from '../catalog/catalog-manager.js';
import type { Session } from '../session.js';
import { stringsOf } from '../sql/ast.js';
import { lookupTable } from './resolve-tables.js';

export interface PgSession {
  /** current_database(): the session's catalog ('' when there is none). */
  readonly database: string;
  /** current_schema(): the session's schema. */
  readonly schema: string | undefined;
  readonly user: string;
  readonly pid: number;
  /** current_setting(name): as SHOW shows it; undefined when unknown. */
  setting(name: string): string | undefined;
  /** pg_class OIDs visible on the search path; set when the statement calls pg_table_is_visible. */
  readonly visibleRelations?: readonly number[];
  /** 'name'::regclass literals of the statement -> the relation's OID. */
  readonly regclass: ReadonlyMap<string, number>;
}

const REGCLASS_CASTS = new Set(['regclass']);

/** Names of the functions and casts in `ast` that need metadata. */
function scan(ast: Node): { visibility: boolean; regclass: Set<string> } {
  let visibility = false;
  const regclass = new Set<string>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
      return;
    }
    if (typeof n !== 'object' || n === null) return;
    for (const [k, v] of Object.entries(n)) {
      if (k === 'FuncCall') {
        const name = stringsOf((v as { funcname?: Node[] }).funcname).at(-1);
        if (name === 'pg_table_is_visible') visibility = true;
      } else if (k === 'TypeCast') {
        const c = v as { arg?: Node; typeName?: { names?: Node[] } };
        const type = stringsOf(c.typeName?.names).at(-1) ?? '';
        const text = (c.arg as { A_Const?: { sval?: { sval?: string } } } | undefined)?.A_Const?.sval?.sval;
        if (REGCLASS_CASTS.has(type) && text !== undefined) regclass.add(text);
      }
      walk(v);
    }
  };
  walk(ast);
  return { visibility, regclass };
}

/** Splits a relation name as regclass input does: dots separate, double quotes keep case and dots. */
export function splitQualifiedName(text: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') {
      quoted = true;
      wasQuoted = true;
    } else if (ch === '.') {
      parts.push(wasQuoted ? cur : cur.trim().toLowerCase());
      cur = '';
      wasQuoted = false;
    } else cur += ch;
  }
  parts.push(wasQuoted ? cur : cur.trim().toLowerCase());
  return parts;
}

async function regclassOid(
  text: string,
  session: Session,
  catalogs: CatalogManager,
  ctx: MetaContext,
): Promise<number> {
  const parts = splitQualifiedName(text);
  const missing = () => new SqlError(SqlStates.undefinedTable, `relation "${text}" does not exist`);
  if (parts.some((p) => p === '') || parts.length > 3) throw missing();
  const table = parts.at(-1)!;
  const schema = parts.length >= 2 ? parts.at(-2)! : undefined;
  const catalog = parts.length === 3 ? parts[0]! : (session.catalog ?? '');
  if (schema === PG_CATALOG || (schema === undefined && isPgCatalogTable(table))) {
    if (!isPgCatalogTable(table)) throw missing();
    return relationOid(catalog, PG_CATALOG, table);
  }
  const resolvedSchema = schema ?? session.schema;
  if (!catalog || !resolvedSchema) throw missing();
  try {
    await lookupTable({ catalog, schema: resolvedSchema, table }, catalogs, ctx);
  } catch (e) {
    if (e instanceof SqlError && e.sqlState === SqlStates.undefinedTable) throw missing();
    throw e;
  }
  return relationOid(catalog, resolvedSchema, table);
}

/** pg_catalog's tables, then those of the current schema that no pg_catalog table hides. */
async function visibleRelations(session: Session, catalogs: CatalogManager, ctx: MetaContext): Promise<number[]> {
  const oids = PG_CATALOG_TABLE_NAMES.map((t) => relationOid('', PG_CATALOG, t));
  const { catalog, schema } = session;
  if (!catalog || !schema) return oids;
  let tables: readonly string[] = [];
  if (schema === 'information_schema') tables = INFORMATION_SCHEMA_TABLE_NAMES;
  else {
    try {
      tables = (await catalogs.metadataOf(catalog)?.listTables(schema, ctx)) ?? [];
    } catch {
      tables = []; // the current schema may not exist (any more)
    }
  }
  for (const t of tables) if (!isPgCatalogTable(t)) oids.push(relationOid(catalog, schema, t));
  return oids;
}

export async function pgSessionFor(
  ast: Node,
  session: Session,
  catalogs: CatalogManager,
  ctx: MetaContext,
  setting: (name: string) => string | undefined,
): Promise<PgSession> {
  const needs = scan(ast);
  const regclass = new Map<string, number>();
  await Promise.all(
    [...needs.regclass].map(async (text) => {
      regclass.set(text, await regclassOid(text, session, catalogs, ctx));
    }),
  );
  const base: PgSession = {
    database: session.catalog ?? '',
    schema: session.schema,
    user: session.user,
    pid: session.id,
    setting,
    regclass,
  };
  return needs.visibility ? { ...base, visibleRelations: await visibleRelations(session, catalogs, ctx) } : base;
}

/** Used by the binder for names it meets that the scan did not (never expected). */
export function unresolvedRegclass(text: string, position: number | undefined): SqlError {
  return new SqlError(SqlStates.undefinedTable, `relation "${text}" does not exist`, position);
}
