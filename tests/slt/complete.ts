// `--complete`: rewrites a .slt file's expectations from what the server actually did. The SQL,
// comments, conditions and records that were skipped stay as written; review the diff.
import type { Actual, FileResult } from './executor.js';
import { resultLines } from './format.js';
import type { QueryRecord, SltFile, StatementRecord } from './parser.js';

function errorHeader(prefix: string, actual: Actual): string {
  const code = actual.kind === 'error' ? (actual.error.code ?? '') : '';
  return `${prefix} error${code === '' ? '' : ` ${code}`}`;
}

function statementLines(file: SltFile, record: StatementRecord, actual: Actual): string[] {
  const sql = file.lines.slice(record.sqlStart, record.sqlEnd);
  if (actual.kind === 'error') return [errorHeader('statement', actual), ...sql];
  if (record.expect.kind === 'count') {
    const count = actual.kind === 'command' ? (actual.rowCount ?? 0) : actual.rows.length;
    return [`statement count ${count}`, ...sql];
  }
  return ['statement ok', ...sql];
}

function queryLines(file: SltFile, record: QueryRecord, actual: Actual): string[] {
  const sql = file.lines.slice(record.sqlStart, record.sqlEnd);
  if (actual.kind === 'error') return [errorHeader('query', actual), ...sql];
  if (actual.kind === 'command') return ['statement ok', ...sql];
  const types = record.types.length === actual.types.length ? record.types : actual.types;
  const header = ['query', types];
  // A sort mode or label already there stays; nosort without a label reads better as plain `query T`.
  if (record.sortMode !== 'nosort' || record.label !== undefined) header.push(record.sortMode);
  if (record.label !== undefined) header.push(record.label);
  return [header.join(' '), ...sql, '----', ...resultLines(actual.rows, record.sortMode)];
}

/** The file's new text with every executed record's expectation replaced by its actual result. */
export function completeSlt(file: SltFile, result: FileResult): string {
  const replacements = new Map<number, { end: number; lines: string[] }>();
  for (const outcome of result.outcomes) {
    // Passing records stay exactly as written; so do failures that are not the server's answer.
    if (outcome.status !== 'fail') continue;
    const record = outcome.record;
    if (record.kind === 'halt') continue;
    if (outcome.actual.kind === 'error' && outcome.actual.error.code === undefined) continue;
    const lines =
      record.kind === 'statement'
        ? statementLines(file, record, outcome.actual)
        : queryLines(file, record, outcome.actual);
    replacements.set(record.headerIndex, { end: record.endIndex, lines });
  }
  const out: string[] = [];
  for (let i = 0; i < file.lines.length; ) {
    const replacement = replacements.get(i);
    if (replacement === undefined) {
      out.push(file.lines[i]!);
      i++;
    } else {
      out.push(...replacement.lines);
      i = replacement.end;
    }
  }
  return `${out.join('\n')}\n`;
}
