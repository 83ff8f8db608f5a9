// What the wire protocol (and the HTTP API) needs from the engine: a session per client
// connection, statements described and executed, results as Arrow batches.
import type { RecordBatch } from 'apache-arrow';
import type { ColumnSchema, DataType } from '../common/types.js';

export interface Session {
  readonly id: number;
  readonly user: string;
  /** Current catalog and schema (from the startup database name `catalog` or `catalog.schema`, or USE). */
  catalog: string | undefined;
  schema: string | undefined;
  /** IANA zone name or offset; SET TIME ZONE changes it. */
  timeZone: string;
  /** Client startup parameters and SET values (application_name, DateStyle, ...), lower-case keys. */
  readonly settings: Map<string, string>;
}

export interface StatementText {
  readonly sql: string;
  /** 0-based offset of `sql` in the text the client sent (for error positions). */
  readonly offset: number;
}

export interface StatementDescription {
  /** Types of $1..$n as inferred (unknown when the statement gives no hint). */
  readonly paramTypes: readonly DataType[];
  /** Result columns, or null when the statement returns no rows (DDL, INSERT, SET). */
  readonly columns: readonly ColumnSchema[] | null;
}

export type QueryResult =
  | {
      readonly kind: 'rows';
      readonly columns: readonly ColumnSchema[];
      /** Consumed once; `return()` on the iterator cancels the query. */
      readonly batches: AsyncIterable<RecordBatch>;
      /** Command tag verb; the protocol appends the row count ("SELECT 3"). */
      readonly tag: string;
    }
  | {
      readonly kind: 'command';
      /** Complete command tag: "CREATE TABLE", "INSERT 0 5", "SET", "BEGIN". */
      readonly tag: string;
    };

export interface Engine {
  /** Splits a simple-query string into statements; throws SqlError 42601 with the position on bad syntax. */
  splitStatements(text: string): readonly StatementText[];
  describe(
    sql: string,
    session: Session,
    declaredParamTypes: readonly (DataType | undefined)[],
  ): Promise<StatementDescription>;
  /** Params are text-format values (null = SQL NULL); errors are SqlErrors. */
  execute(sql: string, session: Session, params: readonly (string | null)[], signal: AbortSignal): Promise<QueryResult>;
}
