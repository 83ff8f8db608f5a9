// The mysql connector (MySQL and MariaDB): each database of the server is a schema; read through
// remote-sql/ with the MySQL dialect (`identifiers`, ? parameters) and type map (types.ts).
import { SqlError } from '../../common/errors.js';
import { type SqlState, SqlStates } from '../../common/sqlstate.js';
import type { DataType } from '../../common/types.js';
import { REMOTE_PROPERTIES, type RemoteConfig, remoteConfig } from '../remote-sql/config.js';
import { remoteConnector } from '../remote-sql/connector.js';
import type { RemoteBackend, RemoteDialect } from '../remote-sql/dialect.js';
import { messageOf, networkState, remoteError } from '../remote-sql/errors.js';
import { OPTION_PROPERTIES, remoteOptions } from '../remote-sql/options.js';
import type { Connector, ConnectorContext, ConnectorFactory } from '../spi.js';
import { MysqlClient } from './client.js';
import { mysqlAggregate, mysqlSortKey } from './pushdown.js';
import { mysqlSplitSource } from './splits.js';

function mysqlParameter(_index: number, type: DataType): string {
  switch (type.kind) {
    case 'integer':
    case 'bigint':
      return 'CAST(? AS SIGNED)';
    case 'decimal':
      return `CAST(? AS DECIMAL(${Math.min(type.precision, 65)},${type.scale}))`;
    case 'date':
      return 'CAST(? AS DATE)';
    case 'timestamp':
      return 'CAST(? AS DATETIME(6))';
    case 'boolean':
      return "(? = 'true')";
    case 'double':
    case 'varchar':
    case 'unknown':
    // Never bound (canBind): MySQL has no column type they compare with.
    case 'timestamptz':
    case 'interval':
      return '?';
  }
}

export const mysqlDialect: RemoteDialect = {
  name: 'mysql',
  quoteIdentifier: (name) => `\`${name.replaceAll('`', '``')}\``,
  parameter: mysqlParameter,
  canBind: (type) => type.kind !== 'unknown' && type.kind !== 'timestamptz' && type.kind !== 'interval',
  sortKey: mysqlSortKey,
  aggregate: mysqlAggregate,
};

const BY_ERRNO: ReadonlyMap<number, SqlState> = new Map([
  [1044, SqlStates.invalidAuthorizationSpecification], // ER_DBACCESS_DENIED_ERROR
  [1045, SqlStates.invalidAuthorizationSpecification], // ER_ACCESS_DENIED_ERROR
  [1698, SqlStates.invalidAuthorizationSpecification], // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
  [1049, SqlStates.sqlclientUnableToEstablishConnection], // ER_BAD_DB_ERROR (database in the URL)
  [1040, SqlStates.sqlclientUnableToEstablishConnection], // ER_CON_COUNT_ERROR
  [1317, SqlStates.queryCanceled], // ER_QUERY_INTERRUPTED
  [1969, SqlStates.queryCanceled], // MariaDB ER_STATEMENT_TIMEOUT
  [3024, SqlStates.queryCanceled], // MySQL ER_QUERY_TIMEOUT
  [1146, SqlStates.undefinedTable],
  [1054, SqlStates.undefinedColumn],
  [1927, SqlStates.connectionFailure], // ER_CONNECTION_KILLED (KILL CONNECTION, server shutdown)
  [2013, SqlStates.connectionFailure],
  [2006, SqlStates.connectionFailure],
]);

export function mysqlError(config: RemoteConfig, e: unknown, doing: string): SqlError {
  if (e instanceof SqlError) return e;
  const err = e as { code?: unknown; errno?: unknown; sqlState?: unknown; fatal?: unknown };
  const message = messageOf(e);
  let state = networkState(err.code) ?? (typeof err.errno === 'number' ? BY_ERRNO.get(err.errno) : undefined);
  if (state === undefined) {
    if (typeof err.code === 'string' && err.code.startsWith('PROTOCOL_')) state = SqlStates.connectionFailure;
    else if (typeof err.sqlState === 'string' && err.sqlState.startsWith('08')) state = SqlStates.connectionFailure;
    else if (typeof err.sqlState === 'string' && err.sqlState.startsWith('28'))
      state = SqlStates.invalidAuthorizationSpecification;
    else if (err.fatal === true) state = SqlStates.connectionFailure;
    else state = SqlStates.systemError;
  }
  return remoteError(config.catalog, state, `MySQL ${doing}`, message, e, config.password);
}

export const mysqlConnectorFactory: ConnectorFactory = {
  name: 'mysql',
  knownProperties: [...REMOTE_PROPERTIES, ...OPTION_PROPERTIES],
  requiredProperties: ['connection-url'],
  create(ctx: ConnectorContext): Connector {
    const config = remoteConfig(ctx.catalog, {
      schemes: ['mysql', 'mariadb'],
      defaultPort: 3306,
      databaseRequired: false,
      dialect: 'mysql',
    });
    const client = new MysqlClient(config);
    const backend: RemoteBackend = {
      dialect: mysqlDialect,
      client,
      toSqlError: (e, doing) => mysqlError(config, e, doing),
      splitSource: mysqlSplitSource(client, mysqlDialect.quoteIdentifier),
    };
    return remoteConnector(config.catalog, backend, remoteOptions(ctx.catalog));
  },
};
