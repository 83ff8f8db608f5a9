// The lake connector: Parquet files under `lake.root`, `<schema>/<table>/` (optionally under
// hive-style `key=value/` partition directories) or `<schema>/<table>.parquet`. Reads decode
// only the needed columns and row groups (parquet-wasm, byte ranges); partition predicates
// prune directories before listing; INSERT/CTAS write zstd Parquet staged, then renamed in.
import type { Connector, ConnectorContext, ConnectorFactory } from '../spi.js';
import { LAKE_PROPERTIES, LAKE_ROOT, lakeConfig } from './config.js';
import { ensureDemoLake } from './demo.js';
import { LakeMetadata } from './metadata.js';
import { lakePageSource } from './reader.js';
import { lakePageSink } from './sink.js';
import { lakeSplitManager } from './splits.js';

export const lakeConnectorFactory: ConnectorFactory = {
  name: 'lake',
  knownProperties: LAKE_PROPERTIES,
  requiredProperties: [LAKE_ROOT],
  create(ctx: ConnectorContext): Connector {
    const config = lakeConfig(ctx.catalog);
    const prepare =
      config.demo && ctx.role === 'coordinator'
        ? async () => {
            await ensureDemoLake(config.root);
          }
        : undefined;
    const metadata = new LakeMetadata(config, prepare);
    return {
      metadata,
      splits: lakeSplitManager(metadata),
      pageSource: lakePageSource(config.root),
      pageSink: lakePageSink(config),
    };
  },
};
