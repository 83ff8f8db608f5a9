// The `system` catalog: information_schema over every catalog, and runtime views of the
// engine (nodes). Always present; never configured by a file.
import type { Connector, ConnectorContext, ConnectorFactory } from '../spi.js';
import { systemMetadata } from './metadata.js';
import { systemPageSource } from './reader.js';
import { systemSplitManager } from './splits.js';

export type { SystemTableHandle } from './handle.js';
export { INFORMATION_SCHEMA } from './information-schema/index.js';
export { informationSchemaTable } from './metadata.js';

export const SYSTEM_CATALOG = 'system';

export const systemConnectorFactory: ConnectorFactory = {
  name: 'system',
  knownProperties: [],
  requiredProperties: [],
  create(ctx: ConnectorContext): Connector {
    return {
      metadata: systemMetadata,
      splits: systemSplitManager(ctx.catalog.name, ctx.introspection),
      pageSource: systemPageSource,
    };
  },
};
