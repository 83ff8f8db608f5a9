// Parses sqllogictest files (the sqllogictest-rs dialect that DataFusion uses):
//
//   # comment
//   skipif postgresql            conditions apply to the next record (engines: tributary, postgresql)
//   statement ok                 SQL follows, up to a blank line
//   statement error 42P01        a SQLSTATE (5 chars), else a regex on the message, else any error
//   statement count 3            the command affected 3 rows
//   query IT rowsort [label]     types (one letter per column), sort mode nosort|rowsort|valuesort;
//   SELECT ...                   the SQL, then `----`, then the expected rows up to a blank line:
//   ----                         values separated by one space, NULL, (empty) for ''
//   1 alice
//
//   query error 22012            a query that must fail
//   halt                         stop reading the file here
//   hash-threshold N             accepted and ignored
//
// Records keep their line positions so `--complete` can rewrite the expected results in place.

export type Engine = 'tributary' | 'postgresql';
export const ENGINES: readonly Engine[] = ['tributary', 'postgresql'];

export type SortMode = 'nosort' | 'rowsort' | 'valuesort';

export type ErrorPattern =
  | { readonly kind: 'any' }
  | { readonly kind: 'sqlstate'; readonly code: string }
  | { readonly kind: 'regex'; readonly source: string }
  /** A `----` block after `statement error`: the exact message. */
  | { readonly kind: 'message'; readonly text: string };

export interface Condition {
  readonly kind: 'skipif' | 'onlyif';
  readonly engine: string;
}

interface RecordBase {
  /** 1-based line of the header (`statement ...`, `query ...`). */
  readonly line: number;
  readonly conditions: readonly Condition[];
  /** 0-based index of the header line. */
  readonly headerIndex: number;
  /** 0-based index just past the record (its terminating blank line or the end of the file). */
  readonly endIndex: number;
}

export interface StatementRecord extends RecordBase {
  readonly kind: 'statement';
  readonly sql: string;
  /** 0-based [start, end) of the SQL lines, kept verbatim on rewrite. */
  readonly sqlStart: number;
  readonly sqlEnd: number;
  readonly expect:
    | { readonly kind: 'ok' }
    | { readonly kind: 'count'; readonly count: number }
    | { readonly kind: 'error'; readonly pattern: ErrorPattern };
}

export interface QueryRecord extends RecordBase {
  readonly kind: 'query';
  readonly sql: string;
  readonly sqlStart: number;
  readonly sqlEnd: number;
  /** One letter per column (T text, I integer, R float/decimal, B boolean, D date/time, ...). Empty for `query error`. */
  readonly types: string;
  readonly sortMode: SortMode;
  readonly label: string | undefined;
  /** Expected result lines (after `----`). */
  readonly expected: readonly string[];
  /** Set for `query error ...`. */
  readonly error: ErrorPattern | undefined;
}

export interface HaltRecord extends RecordBase {
  readonly kind: 'halt';
}

export type SltRecord = StatementRecord | QueryRecord | HaltRecord;

export interface SltFile {
  readonly path: string;
  /** The file's lines (without line terminators). */
  readonly lines: readonly string[];
  readonly records: readonly SltRecord[];
}

export class SltParseError extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    message: string,
  ) {
    super(`${path}:${line}: ${message}`);
    this.name = 'SltParseError';
  }
}

const SORT_MODES: readonly string[] = ['nosort', 'rowsort', 'valuesort'];
const SQLSTATE = /^[0-9A-Z]{5}$/;

export function parseErrorPattern(text: string): ErrorPattern {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'any' };
  if (SQLSTATE.test(trimmed)) return { kind: 'sqlstate', code: trimmed };
  return { kind: 'regex', source: trimmed };
}

export function formatErrorPattern(pattern: ErrorPattern): string {
  switch (pattern.kind) {
    case 'any':
    case 'message':
      return '';
    case 'sqlstate':
      return pattern.code;
    case 'regex':
      return pattern.source;
    default:
      return assertNever(pattern);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}

const isBlank = (line: string) => line.trim() === '';
const isComment = (line: string) => line.trimStart().startsWith('#');

export function parseSlt(text: string, path = '<input>'): SltFile {
  const lines = text.split(/\r?\n/);
  // A trailing newline is not an extra (blank) line of content.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const records: SltRecord[] = [];
  let conditions: Condition[] = [];
  let i = 0;

  const fail = (index: number, message: string): never => {
    throw new SltParseError(path, index + 1, message);
  };

  /** Reads SQL lines from `start` up to a blank line or `----`; comment lines are dropped from the SQL. */
  const readSql = (start: number) => {
    let end = start;
    const sql: string[] = [];
    while (end < lines.length && !isBlank(lines[end]!) && lines[end]!.trim() !== '----') {
      if (!isComment(lines[end]!)) sql.push(lines[end]!);
      end++;
    }
    if (sql.length === 0) fail(start - 1, 'record has no SQL');
    return { sql: sql.join('\n'), end };
  };

  /** Reads result lines from `start` up to a blank line. */
  const readBlock = (start: number) => {
    let end = start;
    while (end < lines.length && !isBlank(lines[end]!)) end++;
    return { block: lines.slice(start, end), end };
  };

  while (i < lines.length) {
    const raw = lines[i]!;
    if (isBlank(raw) || isComment(raw)) {
      i++;
      continue;
    }
    const words = raw.trim().split(/\s+/);
    const directive = words[0]!;
    const headerIndex = i;
    switch (directive) {
      case 'skipif':
      case 'onlyif': {
        const engine = words[1];
        if (engine === undefined) fail(i, `${directive} needs an engine name`);
        conditions.push({ kind: directive, engine: engine! });
        i++;
        continue;
      }
      case 'halt':
        records.push({ kind: 'halt', line: i + 1, headerIndex, endIndex: i + 1, conditions });
        conditions = [];
        i++;
        continue;
      case 'hash-threshold':
      case 'control':
        i++;
        continue;
      case 'statement': {
        const mode = words[1];
        const { sql, end: sqlEnd } = readSql(i + 1);
        let end = sqlEnd;
        let expect: StatementRecord['expect'];
        if (mode === 'ok') {
          expect = { kind: 'ok' };
        } else if (mode === 'count') {
          const count = Number(words[2]);
          if (!Number.isInteger(count) || count < 0) fail(i, `statement count needs a row count, got '${words[2]}'`);
          expect = { kind: 'count', count };
        } else if (mode === 'error') {
          const rest = raw.trim().slice(raw.trim().indexOf('error') + 'error'.length);
          let pattern = parseErrorPattern(rest);
          if (end < lines.length && lines[end]!.trim() === '----') {
            const { block, end: blockEnd } = readBlock(end + 1);
            pattern = { kind: 'message', text: block.join('\n') };
            end = blockEnd;
          }
          expect = { kind: 'error', pattern };
        } else {
          return fail(i, `expected 'statement ok', 'statement error' or 'statement count N', got '${raw.trim()}'`);
        }
        if (mode !== 'error' && end < lines.length && lines[end]!.trim() === '----') {
          fail(end, `'----' after 'statement ${mode}': use 'query' for statements returning rows`);
        }
        records.push({
          kind: 'statement',
          line: i + 1,
          headerIndex,
          endIndex: end,
          conditions,
          sql,
          sqlStart: i + 1,
          sqlEnd,
          expect,
        });
        conditions = [];
        i = end;
        continue;
      }
      case 'query': {
        const { sql, end: sqlEnd } = readSql(i + 1);
        let end = sqlEnd;
        let expected: string[] = [];
        if (end < lines.length && lines[end]!.trim() === '----') {
          const { block, end: blockEnd } = readBlock(end + 1);
          expected = block;
          end = blockEnd;
        }
        const common = {
          kind: 'query' as const,
          line: i + 1,
          headerIndex,
          endIndex: end,
          conditions,
          sql,
          sqlStart: i + 1,
          sqlEnd,
        };
        if (words[1] === 'error') {
          const rest = raw.trim().slice(raw.trim().indexOf('error') + 'error'.length);
          records.push({
            ...common,
            types: '',
            sortMode: 'nosort',
            label: undefined,
            expected,
            error: parseErrorPattern(rest),
          });
        } else {
          const types = words[1];
          if (types === undefined || !/^[A-Za-z]+$/.test(types)) {
            return fail(i, `query needs column types (e.g. 'query IT'), got '${raw.trim()}'`);
          }
          const sortMode = words[2] ?? 'nosort';
          if (!SORT_MODES.includes(sortMode)) fail(i, `unknown sort mode '${sortMode}' (nosort, rowsort, valuesort)`);
          if (words.length > 4) fail(i, `unexpected words after the label: '${words.slice(4).join(' ')}'`);
          records.push({
            ...common,
            types,
            sortMode: sortMode as SortMode,
            label: words[3],
            expected,
            error: undefined,
          });
        }
        conditions = [];
        i = end;
        continue;
      }
      default:
        return fail(i, `unknown record '${directive}'`);
    }
  }
  return { path, lines, records };
}

/** Whether a record runs on `engine` given its skipif/onlyif conditions. */
export function appliesTo(record: SltRecord, engine: Engine): boolean {
  for (const c of record.conditions) {
    if (c.kind === 'skipif' && c.engine === engine) return false;
    if (c.kind === 'onlyif' && c.engine !== engine) return false;
  }
  return true;
}
