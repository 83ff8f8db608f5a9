import { type SqlState, SqlStates } from './sqlstate.js';

/**
 * The one error class of the engine. Everything that reaches a client is turned into a
 * PostgreSQL ErrorResponse from these fields; anything else is reported as XX000.
 */
export class SqlError extends Error {
  constructor(
    readonly sqlState: SqlState,
    message: string,
    /** 1-based character offset into the statement text, for syntax and name errors. */
    readonly position?: number,
    options?: { cause?: unknown; detail?: string; hint?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SqlError';
    if (options?.detail !== undefined) this.detail = options.detail;
    if (options?.hint !== undefined) this.hint = options.hint;
  }
  detail?: string;
  hint?: string;

  static internal(message: string, cause?: unknown): SqlError {
    return new SqlError(SqlStates.internalError, message, undefined, { cause });
  }
  /** 0A000 "<feature> is not supported"; `feature` names one thing ('LATERAL', 'DISTINCT ON'). */
  static unsupported(feature: string, position?: number): SqlError {
    return new SqlError(SqlStates.featureNotSupported, `${feature} is not supported`, position);
  }
  /** 0A000 "<features> are not supported", for a plural ('correlated subqueries outside WHERE'). */
  static unsupportedPlural(features: string, position?: number): SqlError {
    return new SqlError(SqlStates.featureNotSupported, `${features} are not supported`, position);
  }
  static syntax(message: string, position?: number): SqlError {
    return new SqlError(SqlStates.syntaxError, message, position);
  }

  /** Plain-JSON form for crossing process boundaries (worker -> coordinator). */
  toJSON(): SerializedSqlError {
    return {
      sqlState: this.sqlState,
      message: this.message,
      ...(this.position === undefined ? {} : { position: this.position }),
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      ...(this.hint === undefined ? {} : { hint: this.hint }),
    };
  }
  static fromJSON(e: SerializedSqlError): SqlError {
    return new SqlError(e.sqlState, e.message, e.position, {
      ...(e.detail === undefined ? {} : { detail: e.detail }),
      ...(e.hint === undefined ? {} : { hint: e.hint }),
    });
  }
}

export interface SerializedSqlError {
  readonly sqlState: SqlState;
  readonly message: string;
  readonly position?: number;
  readonly detail?: string;
  readonly hint?: string;
}

/** Any thrown value as a SqlError: unexpected ones become XX000 with the original as cause. */
export function toSqlError(e: unknown): SqlError {
  if (e instanceof SqlError) return e;
  if (e instanceof Error && e.name === 'AbortError') {
    return new SqlError(SqlStates.queryCanceled, 'canceling statement due to user request', undefined, { cause: e });
  }
  const message = e instanceof Error ? e.message : String(e);
  return SqlError.internal(`internal error: ${message}`, e);
}
