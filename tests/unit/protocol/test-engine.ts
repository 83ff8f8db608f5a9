// A small in-test Engine: the wire protocol is what is tested, the engine is stubbed. Results
// are real Arrow batches built with makeBatch.
import type { RecordBatch } from 'apache-arrow';
import { type ColumnBuffers, makeBatch } from '../../../common/arrow/batch.js';
import { SqlError } from '../../../common/errors.js';
import { SqlStates } from '../../../common/sqlstate.js';
import {
  BIGINT,
  BOOLEAN,
  type ColumnSchema,
  DATE,
  type DataType,
  DOUBLE,
  decimal,
  INTEGER,
  TIMESTAMP,
  UNKNOWN,
  VARCHAR,
} from '../../../common/types.js';
import type {
  Engine,
  QueryResult,
  Session,
  StatementDescription,
  StatementText,
} from '../../../coordinator/session.js';

export function varchar(values: readonly (string | null)[]): ColumnBuffers {
  const enc = new TextEncoder();
  const parts = values.map((v) => enc.encode(v ?? ''));
  const offsets = new Int32Array(values.length + 1);
  for (let i = 0; i < parts.length; i++) offsets[i + 1] = offsets[i]! + parts[i]!.length;
  const bytes = new Uint8Array(offsets[values.length]!);
  parts.forEach((p, i) => {
    bytes.set(p, offsets[i]!);
  });
  return { values: bytes, offsets, validity: validity(values) };
}

export function validity(values: readonly unknown[]): Uint8Array | null {
  if (!values.includes(null)) return null;
  const v = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((x, i) => {
    if (x !== null) v[i >> 3]! |= 1 << (i & 7);
  });
  return v;
}

export function ints(values: readonly (number | null)[]): ColumnBuffers {
  return { values: Int32Array.from(values, (v) => v ?? 0), validity: validity(values) };
}

async function* once(batch: RecordBatch): AsyncIterable<RecordBatch> {
  yield batch;
}

function rows(columns: ColumnSchema[], batches: AsyncIterable<RecordBatch>, tag = 'SELECT'): QueryResult {
  return { kind: 'rows', columns, batches, tag };
}

const TYPES_COLUMNS: ColumnSchema[] = [
  { name: 'b', type: BOOLEAN },
  { name: 'i', type: INTEGER },
  { name: 'l', type: BIGINT },
  { name: 'd', type: DOUBLE },
  { name: 'n', type: decimal(10, 2) },
  { name: 'ln', type: decimal(30, 3) },
  { name: 's', type: VARCHAR },
  { name: 'dt', type: DATE },
  { name: 'ts', type: TIMESTAMP },
  { name: 'u', type: UNKNOWN },
];

/** Row 0: values; row 1: all NULL. */
function typesBatch(): RecordBatch {
  const nullRow1 = new Uint8Array([1]);
  const long = new Uint32Array(8);
  long.set([0xfffffc18, 0xffffffff, 0xffffffff, 0xffffffff]); // -1000 -> -1.000 at scale 3
  return makeBatch(TYPES_COLUMNS, 2, [
    { values: new Uint8Array([1]), validity: nullRow1 },
    { values: new Int32Array([-42, 0]), validity: nullRow1 },
    { values: new BigInt64Array([9007199254740993n, 0n]), validity: nullRow1 },
    { values: new Float64Array([0.1, 0]), validity: nullRow1 },
    { values: new Float64Array([-12345, 0]), validity: nullRow1 },
    { values: long, validity: nullRow1 },
    varchar(['héllo', null]),
    { values: new Int32Array([-1, 0]), validity: nullRow1 },
    { values: new BigInt64Array([1_700_000_000_123_400n, 0n]), validity: nullRow1 },
    { values: new Uint8Array(0), validity: null },
  ]);
}

export interface TestEngineState {
  /** Signals of statements started, to check cancellation reached the engine. */
  readonly aborted: string[];
  readonly executed: string[];
}

export function testEngine(): Engine & { state: TestEngineState } {
  const state: TestEngineState = { aborted: [], executed: [] };
  return {
    state,
    splitStatements(text: string): readonly StatementText[] {
      const out: StatementText[] = [];
      let start = 0;
      let quote = false;
      for (let i = 0; i <= text.length; i++) {
        const ch = text[i];
        if (ch === "'") quote = !quote;
        if (ch === undefined || (ch === ';' && !quote)) {
          const raw = text.slice(start, i);
          const lead = raw.length - raw.trimStart().length;
          const sql = raw.trim();
          if (sql !== '') out.push({ sql, offset: start + lead });
          start = i + 1;
        }
      }
      if (quote) throw SqlError.syntax('unterminated quoted string', text.lastIndexOf("'") + 1);
      return out;
    },

    async describe(
      sql: string,
      _session: Session,
      declared: readonly (DataType | undefined)[],
    ): Promise<StatementDescription> {
      const n = (sql.match(/\$\d+/g) ?? []).length;
      const paramTypes = Array.from({ length: n }, (_, i) => declared[i] ?? VARCHAR);
      if (/^select/i.test(sql)) {
        if (/^select \$/i.test(sql))
          return { paramTypes, columns: paramTypes.map((_, i) => ({ name: `p${i + 1}`, type: VARCHAR })) };
        return { paramTypes, columns: [{ name: '?column?', type: INTEGER }] };
      }
      return { paramTypes, columns: null };
    },

    async execute(
      sql: string,
      session: Session,
      params: readonly (string | null)[],
      signal: AbortSignal,
    ): Promise<QueryResult> {
      state.executed.push(sql);
      const q = sql.trim().toLowerCase();
      let m = /^select (-?\d+)$/.exec(q);
      if (m) {
        const columns = [{ name: '?column?', type: INTEGER }];
        return rows(columns, once(makeBatch(columns, 1, [ints([Number(m[1])])])));
      }
      if (/^select \$/.test(q)) {
        // echo: one varchar column per parameter
        const columns = params.map((_, i) => ({ name: `p${i + 1}`, type: VARCHAR }));
        return rows(
          columns,
          once(
            makeBatch(
              columns,
              1,
              params.map((p) => varchar([p])),
            ),
          ),
        );
      }
      if (q === 'select types') return rows(TYPES_COLUMNS, once(typesBatch()));
      m = /^select series (\d+)(?: batch (\d+))?$/.exec(q);
      if (m) {
        const total = Number(m[1]);
        const size = Number(m[2] ?? 1000);
        const columns = [
          { name: 'n', type: INTEGER },
          { name: 's', type: VARCHAR },
        ];
        async function* gen(): AsyncIterable<RecordBatch> {
          for (let start = 0; start < total; start += size) {
            const len = Math.min(size, total - start);
            const ns = Array.from({ length: len }, (_, i) => start + i);
            yield makeBatch(columns, len, [ints(ns), varchar(ns.map((x) => `row ${x}`))]);
            await new Promise((r) => setImmediate(r));
          }
        }
        return rows(columns, gen());
      }
      if (q === 'select nothing') return rows([{ name: 'x', type: INTEGER }], (async function* () {})());
      if (q === 'select sleep') {
        const columns = [{ name: 'x', type: INTEGER }];
        async function* sleeper(): AsyncIterable<RecordBatch> {
          try {
            await new Promise<void>((_, reject) => {
              if (signal.aborted) reject(signal.reason);
              signal.addEventListener('abort', () => reject(signal.reason), { once: true });
            });
            yield makeBatch(columns, 1, [ints([1])]);
          } finally {
            if (signal.aborted) state.aborted.push(sql);
          }
        }
        return rows(columns, sleeper());
      }
      if (q === 'select boom') throw new Error('boom');
      m = /^select 1 (frm.*)$/.exec(q);
      if (m) throw SqlError.syntax(`syntax error at or near "frm"`, sql.indexOf('frm') + 1);
      if (q.startsWith('select * from missing')) {
        throw new SqlError(SqlStates.undefinedTable, 'relation "missing" does not exist', sql.indexOf('missing') + 1, {
          detail: 'some detail',
          hint: 'some hint',
        });
      }
      if (q === 'begin' || q === 'start transaction') return { kind: 'command', tag: 'BEGIN' };
      if (q === 'commit' || q === 'end') return { kind: 'command', tag: 'COMMIT' };
      if (q === 'rollback') return { kind: 'command', tag: 'ROLLBACK' };
      m = /^set (\w+) (?:=|to) '?([^']*)'?$/.exec(sql.trim());
      if (m) {
        const key = m[1]!.toLowerCase();
        if (key === 'timezone') session.timeZone = m[2]!;
        else session.settings.set(key, m[2]!);
        return { kind: 'command', tag: 'SET' };
      }
      if (q.startsWith('create table')) return { kind: 'command', tag: 'CREATE TABLE' };
      if (q === 'show catalog') {
        const columns = [
          { name: 'catalog', type: VARCHAR },
          { name: 'schema', type: VARCHAR },
          { name: 'user', type: VARCHAR },
        ];
        return rows(
          columns,
          once(
            makeBatch(columns, 1, [
              varchar([session.catalog ?? null]),
              varchar([session.schema ?? null]),
              varchar([session.user]),
            ]),
          ),
        );
      }
      throw SqlError.syntax(`syntax error at or near "${sql.split(/\s+/)[0]}"`, 1);
    },
  };
}
