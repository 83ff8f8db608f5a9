// The postgresql connector: tables of one PostgreSQL database, read through remote-sql/ with the
// PostgreSQL dialect ("identifiers", $n parameters) and type map (types.ts).
import { SqlError } from '../../common/errors.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { DataType } from '../../common/types.js';
import { REMOTE_PROPERTIES, type RemoteConfig, remoteConfig } from '../remote-sql/config.js';
import { remoteConnector } from '../remote-sql/connector.js';
import type { RemoteBackend, RemoteDialect } from '../remote-sql/dialect.js';
import { isKnownSqlState, messageOf, networkState, remoteError } from '../remote-sql/errors.js';
import { OPTION_PROPERTIES, remoteOptions } from '../remote-sql/options.js';
import type { Connector, ConnectorContext, ConnectorFactory } from '../spi.js';
import { PgClient } from './client.js';
import { pgAggregate, pgPageRange, pgSortKey } from './pushdown.js';
import { pgSplitSource } from './splits.js';

const PG_CASTS: Readonly<Record<DataType['kind'], string>> = {
  boolean: 'boolean',
  integer: 'int4',
  bigint: 'int8',
  double: 'float8',
  decimal: 'numeric',
  varchar: 'text',
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  interval: 'interval',
  unknown: 'text',
};

export const postgresDialect: RemoteDialect = {
  name: 'postgresql',
  quoteIdentifier: (name) => `"${name.replaceAll('"', '""')}"`,
  parameter: (index, type) => `$${index}::${PG_CASTS[type.kind]}`,
  canBind: (type) => type.kind !== 'unknown',
  sortKey: pgSortKey,
  aggregate: pgAggregate,
  pageRange: pgPageRange,
};

export function postgresError(config: RemoteConfig, e: unknown, doing: string): SqlError {
  if (e instanceof SqlError) return e;
  const err = e as { code?: unknown; message?: unknown };
  const net = networkState(err.code);
  const message = messageOf(e);
  let state: SqlError['sqlState'];
  if (net !== undefined) state = net;
  // The server ended the session (pg_terminate_backend, shutdown, crash): the connection is lost.
  else if (err.code === '57P01' || err.code === '57P02' || err.code === '57P03') state = SqlStates.connectionFailure;
  else if (isKnownSqlState(err.code)) state = err.code;
  else if (typeof err.code === 'string' && /^(08|28|57|53)/.test(err.code)) {
    state = err.code.startsWith('28')
      ? SqlStates.invalidAuthorizationSpecification
      : err.code.startsWith('57')
        ? SqlStates.queryCanceled
        : err.code.startsWith('53')
          ? SqlStates.insufficientResources
          : SqlStates.connectionFailure;
  } else if (/timeout/i.test(message) && /connect/i.test(message))
    state = SqlStates.sqlclientUnableToEstablishConnection;
  else if (/Connection terminated|connection ended|not queryable/i.test(message)) state = SqlStates.connectionFailure;
  else if (typeof err.code === 'string' && err.code.length === 5) state = SqlStates.systemError;
  else state = SqlStates.connectionFailure;
  if (state === SqlStates.invalidCatalogName) state = SqlStates.sqlclientUnableToEstablishConnection; // database missing
  return remoteError(config.catalog, state, `PostgreSQL ${doing}`, message, e, config.password);
}

export const postgresConnectorFactory: ConnectorFactory = {
  name: 'postgresql',
  knownProperties: [...REMOTE_PROPERTIES, ...OPTION_PROPERTIES],
  requiredProperties: ['connection-url'],
  create(ctx: ConnectorContext): Connector {
    const config = remoteConfig(ctx.catalog, {
      schemes: ['postgresql', 'postgres'],
      defaultPort: 5432,
      databaseRequired: true,
      dialect: 'postgresql',
    });
    const client = new PgClient(config);
    const backend: RemoteBackend = {
      dialect: postgresDialect,
      client,
      toSqlError: (e, doing) => postgresError(config, e, doing),
      splitSource: pgSplitSource(client, postgresDialect.quoteIdentifier),
    };
    return remoteConnector(config.catalog, backend, remoteOptions(ctx.catalog));
  },
};
