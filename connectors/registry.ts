// Every connector the engine knows, by `connector.name`.

import { SqlError } from '../common/errors.js';
import type { CatalogConfig } from '../common/plan/task.js';
import { SqlStates } from '../common/sqlstate.js';
import { lakeConnectorFactory } from './lake/index.js';
import { memoryConnectorFactory } from './memory/index.js';
import { mysqlConnectorFactory } from './mysql/index.js';
import { postgresConnectorFactory } from './postgresql/index.js';
import type { Connector, ConnectorContext, ConnectorFactory, EngineIntrospection } from './spi.js';
import { systemConnectorFactory } from './system/index.js';
import { tpchConnectorFactory } from './tpch/index.js';

export const connectorFactories: ReadonlyMap<string, ConnectorFactory> = new Map(
  [
    lakeConnectorFactory,
    memoryConnectorFactory,
    systemConnectorFactory,
    tpchConnectorFactory,
    postgresConnectorFactory,
    mysqlConnectorFactory,
  ].map((f) => [f.name, f]),
);

/** A connector instance for one catalog; `introspection` only on the coordinator (system connector). */
export function createConnector(
  config: CatalogConfig,
  role: 'coordinator' | 'worker',
  nodeId: string,
  introspection?: EngineIntrospection,
  factories: ReadonlyMap<string, ConnectorFactory> = connectorFactories,
): Connector {
  const factory = factories.get(config.connectorName);
  if (!factory) {
    throw new SqlError(
      SqlStates.configFileError,
      `catalog '${config.name}': unknown connector '${config.connectorName}'`,
    );
  }
  const ctx: ConnectorContext =
    introspection === undefined ? { catalog: config, role, nodeId } : { catalog: config, role, nodeId, introspection };
  return factory.create(ctx);
}
