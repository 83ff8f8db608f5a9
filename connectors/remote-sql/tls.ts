// TLS to the source, from the connection URL's parameters as the JDBC drivers spell them, so a
// Trino catalog file works unchanged:
//   PostgreSQL (pgjdbc):  ?sslmode=disable|allow|prefer|require|verify-ca|verify-full
//                         ?ssl=true (= verify-full, as in pgjdbc), &sslrootcert=/ca.pem,
//                         &sslcert=/client.pem&sslkey=/client.key
//   MySQL (Connector/J):  ?sslMode=DISABLED|PREFERRED|REQUIRED|VERIFY_CA|VERIFY_IDENTITY
//                         ?useSSL=true (= REQUIRED), &serverSslCert=/ca.pem (MariaDB's name) or
//                         &sslrootcert=/ca.pem, &sslcert=...&sslkey=...
// Without any of these, connections are plain (as before). Paths are read when the catalog loads,
// so a missing file is a start-up error naming the catalog and the parameter.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { SqlError } from '../../common/errors.js';
import { SqlStates } from '../../common/sqlstate.js';

/**
 * disable: plain. prefer: TLS without verification if the server offers it, else plain.
 * require: TLS, certificate not verified. verify-ca: the chain must lead to the given CA (or the
 * system's). verify-full: verify-ca and the host name must match the certificate.
 */
export type TlsMode = 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

export interface RemoteTls {
  readonly mode: TlsMode;
  /** PEM text of the CA certificate(s) that sign the server's certificate. */
  readonly ca?: string;
  /** PEM client certificate and key, for servers that authenticate clients by certificate. */
  readonly cert?: string;
  readonly key?: string;
}

const PG_MODES: Readonly<Record<string, TlsMode>> = {
  disable: 'disable',
  allow: 'prefer',
  prefer: 'prefer',
  require: 'require',
  'verify-ca': 'verify-ca',
  'verify-full': 'verify-full',
};

const MYSQL_MODES: Readonly<Record<string, TlsMode>> = {
  disabled: 'disable',
  preferred: 'prefer',
  required: 'require',
  verify_ca: 'verify-ca',
  verify_identity: 'verify-full',
  // MariaDB Connector/J spellings
  disable: 'disable',
  trust: 'require',
  'verify-ca': 'verify-ca',
  'verify-full': 'verify-full',
};

function tlsError(catalog: string, message: string): SqlError {
  return new SqlError(SqlStates.configFileError, `catalog '${catalog}': ${message}`);
}

/** Looks up a URL parameter case-insensitively (JDBC drivers accept either case). */
function param(params: URLSearchParams, ...names: readonly string[]): string | undefined {
  const wanted = names.map((n) => n.toLowerCase());
  for (const [key, value] of params) if (wanted.includes(key.toLowerCase())) return value;
  return undefined;
}

function readPem(catalog: string, name: string, path: string | undefined): string | undefined {
  if (path === undefined || path === '') return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw tlsError(catalog, `cannot read the file of URL parameter '${name}' (${String(code ?? 'error')}): ${path}`);
  }
}

export function parseTls(catalog: string, dialect: 'postgresql' | 'mysql', params: URLSearchParams): RemoteTls {
  let mode: TlsMode = 'disable';
  if (dialect === 'postgresql') {
    const ssl = param(params, 'ssl');
    const sslmode = param(params, 'sslmode');
    if (ssl !== undefined && ssl !== 'false') mode = 'verify-full';
    if (sslmode !== undefined) {
      const m = PG_MODES[sslmode.toLowerCase()];
      if (m === undefined) {
        throw tlsError(
          catalog,
          `URL parameter 'sslmode' must be one of ${Object.keys(PG_MODES).join(', ')}: '${sslmode}'`,
        );
      }
      mode = m;
    }
  } else {
    const useSsl = param(params, 'useSSL', 'requireSSL');
    const sslMode = param(params, 'sslMode');
    if (useSsl !== undefined && useSsl.toLowerCase() === 'true') mode = 'require';
    if (sslMode !== undefined) {
      const m = MYSQL_MODES[sslMode.toLowerCase()];
      if (m === undefined) {
        throw tlsError(
          catalog,
          `URL parameter 'sslMode' must be one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY: '${sslMode}'`,
        );
      }
      mode = m;
    }
  }
  const caName = dialect === 'postgresql' ? 'sslrootcert' : 'serverSslCert';
  const ca = readPem(catalog, caName, param(params, 'sslrootcert', 'serverSslCert'));
  const cert = readPem(catalog, 'sslcert', param(params, 'sslcert'));
  const key = readPem(catalog, 'sslkey', param(params, 'sslkey'));
  return {
    mode,
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
  };
}

/** Node TLS options for a mode other than 'disable' ('prefer' first tries these). */
export function tlsOptions(tls: RemoteTls, host: string): ConnectionOptions {
  const verify = tls.mode === 'verify-ca' || tls.mode === 'verify-full';
  const options: ConnectionOptions = { rejectUnauthorized: verify };
  if (tls.ca !== undefined) options.ca = tls.ca;
  if (tls.cert !== undefined) options.cert = tls.cert;
  if (tls.key !== undefined) options.key = tls.key;
  // verify-ca checks the chain only; verify-full also the host name (Node's default check).
  if (tls.mode === 'verify-ca') options.checkServerIdentity = () => undefined;
  else if (tls.mode === 'verify-full' && !/^[\d.]+$|:/.test(host)) options.servername = host;
  return options;
}

/** The server said it does not speak TLS: with 'prefer' the connector then connects in plain text. */
export function isTlsUnsupported(e: unknown): boolean {
  const message = e instanceof Error ? e.message : String(e);
  return /does not support SSL|not support secure connection|SSL is not enabled|HANDSHAKE_NO_SSL_SUPPORT/i.test(
    message,
  );
}
