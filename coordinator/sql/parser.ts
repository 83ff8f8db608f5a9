// SQL text -> statement. PostgreSQL's own grammar (libpg-query, WASM) parses everything it
// knows; the Trino-only statements it rejects (SHOW CATALOGS/SCHEMAS/TABLES/COLUMNS, DESCRIBE,
// USE) are recognised first by a small front (./trino-front.ts).
import type { Node } from '@pgsql/types';
import { loadModule, parseSync, scanSync } from 'libpg-query';
import { SqlError } from '../../common/errors.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { StatementText } from '../session.js';
import { parseTrinoStatement, type TrinoStatement } from './trino-front.js';

export type Statement = { readonly kind: 'pg'; readonly ast: Node } | TrinoStatement;

let loaded: Promise<void> | undefined;

/** Loads the WASM parser once; call before the first parse. */
export function initParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

interface PgParseError {
  message: string;
  sqlDetails?: { cursorPosition?: number };
}

export function parseStatement(sql: string): Statement {
  const trino = parseTrinoStatement(sql);
  if (trino) return trino;
  let result: { stmts?: { stmt?: Node }[] };
  try {
    result = parseSync(sql) as { stmts?: { stmt?: Node }[] };
  } catch (e) {
    throw pgSyntaxError(e);
  }
  const stmts = result.stmts ?? [];
  if (stmts.length !== 1 || !stmts[0]?.stmt) {
    if (stmts.length === 0) return { kind: 'empty' };
    throw SqlError.syntax('expected exactly one statement');
  }
  return { kind: 'pg', ast: stmts[0].stmt };
}

function pgSyntaxError(e: unknown): SqlError {
  const err = e as PgParseError;
  const pos = err.sqlDetails?.cursorPosition;
  const message = err.message ?? String(e);
  const position = pos === undefined ? undefined : pos + 1;
  // The grammar's checks of frame clauses are windowing errors in PostgreSQL, not syntax errors.
  if (/^frame (start|end|starting from)/.test(message))
    return new SqlError(SqlStates.windowingError, message, position);
  return SqlError.syntax(message, position);
}

/**
 * Splits a simple-query string at top-level semicolons using PostgreSQL's lexer, so quoted
 * semicolons and comments are respected. Empty statements are dropped.
 */
export function splitStatements(text: string): StatementText[] {
  // One statement without semicolons or comments (what drivers send): no need for the lexer.
  if (!/;|--|\/\*/.test(text) && /\S/.test(text)) return [{ sql: text, offset: 0 }];
  let tokens: { start: number; end: number; text: string; tokenName: string }[];
  try {
    tokens = scanSync(text).tokens;
  } catch (e) {
    throw pgSyntaxError(e);
  }
  const out: StatementText[] = [];
  let start = 0;
  let sawToken = false;
  for (const t of tokens) {
    if (t.text === ';' && t.tokenName === 'ASCII_59') {
      if (sawToken) out.push({ sql: text.slice(start, t.start), offset: start });
      start = t.end;
      sawToken = false;
    } else if (t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT') {
      sawToken = true;
    }
  }
  if (sawToken) out.push({ sql: text.slice(start), offset: start });
  return out;
}
