// Runs the records of a parsed .slt file over one PostgreSQL-protocol connection (node-pg, text
// format, simple query protocol unless `extended`) and checks each against its expectation.
import pg from 'pg';
import { expectedLines, resultLines, sameLines, typeLetter } from './format.js';
import {
  appliesTo,
  assertNever,
  type Engine,
  type ErrorPattern,
  type QueryRecord,
  type SltFile,
  type SltRecord,
  type StatementRecord,
} from './parser.js';

export interface ServerError {
  /** SQLSTATE; undefined for errors that are not the server's (connection lost, timeout). */
  readonly code: string | undefined;
  readonly message: string;
}

export type Actual =
  | { readonly kind: 'rows'; readonly types: string; readonly rows: readonly (readonly (string | null)[])[] }
  | { readonly kind: 'command'; readonly rowCount: number | null }
  | { readonly kind: 'error'; readonly error: ServerError };

export type Outcome =
  | { readonly status: 'pass'; readonly record: SltRecord; readonly actual: Actual }
  | { readonly status: 'fail'; readonly record: SltRecord; readonly actual: Actual; readonly message: string }
  | { readonly status: 'skip'; readonly record: SltRecord };

export interface FileResult {
  readonly path: string;
  readonly engine: Engine;
  readonly outcomes: readonly Outcome[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Set when the run stopped early (connection lost, timeout). */
  readonly aborted: string | undefined;
}

export interface ExecuteOptions {
  readonly engine: Engine;
  /** Per-record time limit (default 60 s). A timed-out record ends the file: the connection is busy. */
  readonly recordTimeoutMs?: number;
  /** Use the extended query protocol (Parse/Bind/Execute) instead of simple Query messages. */
  readonly extended?: boolean;
}

/** All values stay text: the .slt file compares the server's own text output. */
const textTypes = { getTypeParser: () => (value: string) => value };

type PgResult = pg.QueryArrayResult<(string | null)[]>;

async function run(client: pg.Client, sql: string, options: ExecuteOptions): Promise<Actual> {
  const config: pg.QueryArrayConfig = { text: sql, rowMode: 'array', types: textTypes };
  const timeoutMs = options.recordTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RecordTimeout(timeoutMs)), timeoutMs);
  });
  try {
    const query = options.extended
      ? client.query({ ...config, queryMode: 'extended' } as pg.QueryArrayConfig)
      : client.query(config);
    const result = (await Promise.race([query, timeout])) as PgResult | PgResult[];
    // A multi-statement simple query yields one result per statement; the last one counts.
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    if (last === undefined) return { kind: 'command', rowCount: null };
    if (last.fields.length === 0) return { kind: 'command', rowCount: last.rowCount };
    return {
      kind: 'rows',
      types: last.fields.map((f) => typeLetter(f.dataTypeID)).join(''),
      rows: last.rows,
    };
  } catch (err) {
    if (err instanceof RecordTimeout) throw err;
    if (err instanceof pg.DatabaseError) return { kind: 'error', error: { code: err.code, message: err.message } };
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

class RecordTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

export function errorMatches(pattern: ErrorPattern, error: ServerError): boolean {
  switch (pattern.kind) {
    case 'any':
      return true;
    case 'sqlstate':
      return error.code === pattern.code;
    case 'regex':
      return new RegExp(pattern.source).test(error.message);
    case 'message':
      return error.message.trim() === pattern.text.trim();
    default:
      return assertNever(pattern);
  }
}

function describeError(error: ServerError): string {
  return `${error.code ?? '-----'}: ${error.message}`;
}

function describePattern(pattern: ErrorPattern): string {
  switch (pattern.kind) {
    case 'any':
      return 'an error';
    case 'sqlstate':
      return `SQLSTATE ${pattern.code}`;
    case 'regex':
      return `an error matching /${pattern.source}/`;
    case 'message':
      return `the error message ${JSON.stringify(pattern.text)}`;
    default:
      return assertNever(pattern);
  }
}

function checkStatement(record: StatementRecord, actual: Actual): string | undefined {
  const expect = record.expect;
  switch (expect.kind) {
    case 'ok':
      return actual.kind === 'error' ? `statement failed: ${describeError(actual.error)}` : undefined;
    case 'count':
      if (actual.kind === 'error') return `statement failed: ${describeError(actual.error)}`;
      if (actual.kind === 'command' && actual.rowCount === expect.count) return undefined;
      if (actual.kind === 'rows' && actual.rows.length === expect.count) return undefined;
      return `expected ${expect.count} rows affected, got ${actual.kind === 'command' ? actual.rowCount : actual.rows.length}`;
    case 'error':
      if (actual.kind !== 'error') return `statement succeeded, expected ${describePattern(expect.pattern)}`;
      return errorMatches(expect.pattern, actual.error)
        ? undefined
        : `expected ${describePattern(expect.pattern)}, got ${describeError(actual.error)}`;
    default:
      return assertNever(expect);
  }
}

function indent(lines: readonly string[]): string {
  return lines.length === 0 ? '    (no rows)' : lines.map((l) => `    ${l}`).join('\n');
}

function checkQuery(record: QueryRecord, actual: Actual): string | undefined {
  if (record.error !== undefined) {
    if (actual.kind !== 'error') return `query succeeded, expected ${describePattern(record.error)}`;
    return errorMatches(record.error, actual.error)
      ? undefined
      : `expected ${describePattern(record.error)}, got ${describeError(actual.error)}`;
  }
  if (actual.kind === 'error') return `query failed: ${describeError(actual.error)}`;
  if (actual.kind === 'command') return 'query returned no result set (use statement ok)';
  if (actual.types.length !== record.types.length) {
    return `expected ${record.types.length} columns (query ${record.types}), got ${actual.types.length} (${actual.types})`;
  }
  const expected = expectedLines(record.expected, record.sortMode);
  const got = resultLines(actual.rows, record.sortMode);
  if (sameLines(expected, got)) return undefined;
  return `query result mismatch (${record.sortMode})\n  expected:\n${indent(expected)}\n  actual:\n${indent(got)}`;
}

export async function executeSlt(file: SltFile, client: pg.Client, options: ExecuteOptions): Promise<FileResult> {
  const outcomes: Outcome[] = [];
  let aborted: string | undefined;
  for (let index = 0; index < file.records.length; index++) {
    const record = file.records[index]!;
    if (!appliesTo(record, options.engine)) {
      outcomes.push({ status: 'skip', record });
      continue;
    }
    if (record.kind === 'halt') break;
    let actual: Actual;
    try {
      actual = await run(client, record.sql, options);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      aborted = `${file.path}:${record.line}: ${message}; the rest of the file was not run`;
      const error: Actual = { kind: 'error', error: { code: undefined, message } };
      outcomes.push({ status: 'fail', record, actual: error, message: `connection failed: ${message}` });
      break;
    }
    const message = record.kind === 'statement' ? checkStatement(record, actual) : checkQuery(record, actual);
    outcomes.push(
      message === undefined ? { status: 'pass', record, actual } : { status: 'fail', record, actual, message },
    );
  }
  const count = (s: Outcome['status']) => outcomes.filter((o) => o.status === s).length;
  return {
    path: file.path,
    engine: options.engine,
    outcomes,
    passed: count('pass'),
    failed: count('fail'),
    skipped: count('skip'),
    aborted,
  };
}

/** A readable report of the failures: `file:line: message`, the SQL, expected vs actual. */
export function formatFailures(result: FileResult): string {
  const parts: string[] = [];
  for (const outcome of result.outcomes) {
    if (outcome.status !== 'fail') continue;
    const record = outcome.record;
    const sql =
      record.kind === 'halt'
        ? ''
        : record.sql
            .split('\n')
            .map((l) => `    ${l}`)
            .join('\n');
    parts.push(`${result.path}:${record.line}: [${result.engine}] ${outcome.message}\n  sql:\n${sql}`);
  }
  if (result.aborted !== undefined) parts.push(result.aborted);
  return parts.join('\n\n');
}
