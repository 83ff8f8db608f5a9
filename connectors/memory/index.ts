// The memory connector: tables whose rows live in the memory of the workers that wrote them
// (like Trino's). The coordinator keeps the metadata and which node holds which fragment;
// a worker that leaves takes its fragments with it (reads then fail with 08006).
import type { Connector, ConnectorContext, ConnectorFactory } from '../spi.js';
import { MAX_DATA_PER_NODE, memoryConfig } from './config.js';
import { MemoryMetadata } from './metadata.js';
import { memoryPageSource } from './reader.js';
import { memoryPageSink } from './sink.js';
import { memorySplitManager } from './splits.js';

export const memoryConnectorFactory: ConnectorFactory = {
  name: 'memory',
  knownProperties: [MAX_DATA_PER_NODE],
  requiredProperties: [],
  create(ctx: ConnectorContext): Connector {
    const config = memoryConfig(ctx.catalog);
    const metadata = new MemoryMetadata(ctx.catalog.name);
    return {
      metadata,
      splits: memorySplitManager(metadata),
      pageSource: memoryPageSource,
      pageSink: memoryPageSink(config),
    };
  },
};
