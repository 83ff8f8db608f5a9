// What differs between PostgreSQL and MySQL: quoting, placeholders, the driver, the type map and
// error codes. Everything else (SQL generation, pushdown rules, Arrow conversion) is shared.
import type { SqlError } from '../../common/errors.js';
import type { DataType } from '../../common/types.js';
import type { RemoteAggregateFn, RemoteColumn } from './handle.js';

export interface RemoteDialect {
  /** 'postgresql' | 'mysql', for messages. */
  readonly name: string;
  quoteIdentifier(name: string): string;
  /**
   * The SQL for bound parameter number `index` (1-based) whose text value has type `type`, with a
   * cast so that the source compares with the literal's own type (e.g. `$1::int8`, `CAST(? AS SIGNED)`).
   */
  parameter(index: number, type: DataType): string;
  /** Whether a literal of this type can be bound (e.g. MySQL cannot hold years before 1000 in DATE). */
  canBind(type: DataType): boolean;
  /**
   * An ORDER BY item for the quoted column `sql` that orders exactly as Tributary does (NULLs
   * placed as asked); undefined when the source cannot (collations, missing NULLS FIRST/LAST).
   */
  sortKey(sql: string, column: RemoteColumn, ascending: boolean, nullsFirst: boolean): string | undefined;
  /**
   * A SELECT item computing `fn` over `arg` (a quoted column; null for count(*)) whose value, read
   * back, is exactly Tributary's result of type `type`; undefined when the source cannot.
   */
  aggregate(
    fn: RemoteAggregateFn,
    arg: { sql: string; column: RemoteColumn } | null,
    type: DataType,
  ): string | undefined;
  /**
   * A predicate restricting a table scan to heap pages [fromPage, toPage) (PostgreSQL: ctid
   * ranges); `bind` adds a text parameter and returns its number. Absent: no page splits.
   */
  pageRange?(bind: (text: string) => number, fromPage: number, toPage: number | null): string;
}

/** A connection source: one pool per catalog per process. */
export interface RemoteClient {
  listSchemas(): Promise<readonly string[]>;
  listTables(schema: string): Promise<readonly string[]>;
  /** undefined when the table or view does not exist. */
  getColumns(schema: string, table: string): Promise<readonly RemoteColumn[] | undefined>;
  /** Estimated rows, when the source keeps statistics. */
  rowCount(schema: string, table: string): Promise<number | undefined>;
  /**
   * Runs `sql` with text parameters and yields chunks of rows (arrays of values in select-list
   * order; values are strings, numbers, bigints, Buffers or null) of at most `fetchSize` rows.
   * Stops reading when the consumer stops; releases the connection in `finally`.
   */
  stream(
    sql: string,
    params: readonly (string | null)[],
    fetchSize: number,
    signal: AbortSignal,
  ): AsyncIterable<readonly (readonly unknown[])[]>;
  /** Rows of a catalog query with bound text parameters (metadata and split planning only). */
  query(sql: string, params?: readonly unknown[]): Promise<readonly (readonly unknown[])[]>;
  close(): Promise<void>;
}

export interface RemoteBackend {
  readonly dialect: RemoteDialect;
  readonly client: RemoteClient;
  /** Maps a driver error to a SqlError naming the catalog (never containing the password). */
  toSqlError(e: unknown, doing: string): SqlError;
  /** How a large table can be divided into splits (see splits.ts); absent: one split per table. */
  splitSource?: SplitSource;
}

/** What the source says about dividing a table into splits. */
export interface SplitSource {
  /** Estimated rows and heap pages (from the source's statistics), and an integer key to range over. */
  describe(
    schema: string,
    table: string,
  ): Promise<{
    readonly rows: number | undefined;
    readonly pages: number | undefined;
    readonly key: string | undefined;
  }>;
  /** min and max of the key column as decimal text (null for an empty table). */
  keyRange(schema: string, table: string, key: string): Promise<{ min: string | null; max: string | null }>;
}
