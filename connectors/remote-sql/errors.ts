// Driver errors as SqlErrors that name the catalog. The source's SQLSTATE is kept when it is
// one Tributary knows (28P01, 57014, 42P01...); connection problems become 08001/08006.
import { SqlError } from '../../common/errors.js';
import { type SqlState, SqlStates } from '../../common/sqlstate.js';

const KNOWN: ReadonlySet<string> = new Set(Object.values(SqlStates));

export function isKnownSqlState(code: unknown): code is SqlState {
  return typeof code === 'string' && KNOWN.has(code);
}

/** Socket-level failures (Node error codes) before a connection exists. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);
/** Socket-level failures of an open connection. */
const LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'PROTOCOL_CONNECTION_LOST']);

/** The server's TLS certificate was rejected (Node's codes: SELF_SIGNED_CERT_IN_CHAIN, ERR_TLS_CERT_ALTNAME_INVALID, ...). */
const CERTIFICATE_CODE = /CERT|^ERR_TLS_|^ERR_SSL_|UNABLE_TO_(GET|VERIFY)/;

export function networkState(code: unknown): SqlState | undefined {
  if (typeof code !== 'string') return undefined;
  if (CONNECT_CODES.has(code) || CERTIFICATE_CODE.test(code)) return SqlStates.sqlclientUnableToEstablishConnection;
  if (LOST_CODES.has(code)) return SqlStates.connectionFailure;
  return undefined;
}

export function remoteError(
  catalog: string,
  state: SqlState,
  doing: string,
  detail: string,
  cause: unknown,
  password: string | undefined,
): SqlError {
  let text = detail;
  if (password !== undefined && password !== '') text = text.replaceAll(password, '***');
  return new SqlError(state, `catalog '${catalog}': ${doing}: ${text}`, undefined, { cause: redactCause(cause) });
}

/** The cause chain may be serialized; keep only a message (never config objects holding the password). */
function redactCause(cause: unknown): unknown {
  if (cause instanceof SqlError) return cause;
  return undefined;
}

export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
