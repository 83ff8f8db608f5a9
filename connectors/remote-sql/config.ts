// Catalog properties shared by the postgresql and mysql connectors (Trino's base-jdbc names):
//   connection-url=jdbc:postgresql://host:5432/db | postgres://host/db | jdbc:mysql://host:3306[/db] | mysql://...
//   connection-user, connection-password   (${ENV:NAME} is substituted by the catalog loader)
//   connection-pool.max-size=4              connections per process (coordinator and each worker)
//   connection-timeout=10s                  time to open a connection
//   statement-timeout=5m                    longest a statement may run at the source (57014 after)
//   TLS: connection-url parameters as the JDBC drivers name them (see tls.ts)
// The password lives only in RemoteConfig; nothing here formats it into a message.
import { SqlError } from '../../common/errors.js';
import type { CatalogConfig } from '../../common/plan/task.js';
import { SqlStates } from '../../common/sqlstate.js';
import { parseTls, type RemoteTls } from './tls.js';

export const CONNECTION_URL = 'connection-url';
export const CONNECTION_USER = 'connection-user';
export const CONNECTION_PASSWORD = 'connection-password';
export const POOL_MAX_SIZE = 'connection-pool.max-size';
export const CONNECTION_TIMEOUT = 'connection-timeout';
export const STATEMENT_TIMEOUT = 'statement-timeout';

export const REMOTE_PROPERTIES: readonly string[] = [
  CONNECTION_URL,
  CONNECTION_USER,
  CONNECTION_PASSWORD,
  POOL_MAX_SIZE,
  CONNECTION_TIMEOUT,
  STATEMENT_TIMEOUT,
];

export interface RemoteConfig {
  readonly catalog: string;
  readonly host: string;
  readonly port: number;
  /** Database named in the URL ('' when none: mysql without a default database). */
  readonly database: string;
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly poolSize: number;
  readonly connectTimeoutMs: number;
  /** 0 = no limit. */
  readonly statementTimeoutMs: number;
  readonly tls: RemoteTls;
}

export interface UrlScheme {
  /** Accepted URL schemes, without `jdbc:` and `://`: ['postgresql', 'postgres']. */
  readonly schemes: readonly string[];
  readonly defaultPort: number;
  readonly databaseRequired: boolean;
  /** Whose JDBC spelling of the TLS parameters the URL uses. */
  readonly dialect: 'postgresql' | 'mysql';
}

function configError(catalog: string, message: string): SqlError {
  return new SqlError(SqlStates.configFileError, `catalog '${catalog}': ${message}`);
}

/** Parses `10s`, `500ms`, `1m` or a bare number of milliseconds. */
export function parseDurationMs(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  return Math.round(unit === 'ms' ? n : unit === 's' ? n * 1000 : n * 60_000);
}

export function remoteConfig(catalog: CatalogConfig, scheme: UrlScheme): RemoteConfig {
  const name = catalog.name;
  const props = catalog.properties;
  const raw = props[CONNECTION_URL];
  if (raw === undefined || raw === '') throw configError(name, `missing required property '${CONNECTION_URL}'`);
  const text = raw.startsWith('jdbc:') ? raw.slice('jdbc:'.length) : raw;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Never echo the URL: it may carry a password.
    throw configError(name, `property '${CONNECTION_URL}' is not a valid URL`);
  }
  const protocol = url.protocol.replace(/:$/, '');
  if (!scheme.schemes.includes(protocol)) {
    throw configError(
      name,
      `property '${CONNECTION_URL}' must start with ${scheme.schemes.map((s) => `${s}://`).join(' or ')} (optionally prefixed by jdbc:)`,
    );
  }
  if (url.hostname === '') throw configError(name, `property '${CONNECTION_URL}' has no host`);
  const port = url.port === '' ? scheme.defaultPort : Number(url.port);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (scheme.databaseRequired && database === '') {
    throw configError(name, `property '${CONNECTION_URL}' must name a database (…://host:port/database)`);
  }
  // Query parameters (?user=..&password=..) as JDBC allows; the properties win.
  const user =
    props[CONNECTION_USER] ??
    (url.username !== '' ? decodeURIComponent(url.username) : (url.searchParams.get('user') ?? undefined));
  const password =
    props[CONNECTION_PASSWORD] ??
    (url.password !== '' ? decodeURIComponent(url.password) : (url.searchParams.get('password') ?? undefined));
  const poolRaw = props[POOL_MAX_SIZE] ?? '4';
  const poolSize = Number(poolRaw);
  if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 1000) {
    throw configError(name, `property '${POOL_MAX_SIZE}' must be an integer from 1 to 1000: '${poolRaw}'`);
  }
  const timeoutRaw = props[CONNECTION_TIMEOUT] ?? '10s';
  const connectTimeoutMs = parseDurationMs(timeoutRaw);
  if (connectTimeoutMs === undefined || connectTimeoutMs <= 0) {
    throw configError(name, `property '${CONNECTION_TIMEOUT}' is not a duration (like 10s): '${timeoutRaw}'`);
  }
  const statementRaw = props[STATEMENT_TIMEOUT] ?? '0';
  const statementTimeoutMs = parseDurationMs(statementRaw);
  if (statementTimeoutMs === undefined) {
    throw configError(name, `property '${STATEMENT_TIMEOUT}' is not a duration (like 5m): '${statementRaw}'`);
  }
  const tls = parseTls(name, scheme.dialect, url.searchParams);
  return {
    catalog: name,
    host: url.hostname,
    port,
    database,
    user,
    password,
    poolSize,
    connectTimeoutMs,
    statementTimeoutMs,
    tls,
  };
}
