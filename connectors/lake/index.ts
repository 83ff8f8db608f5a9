// The lake connector: Parquet files under `lake.root`, `<schema>/<table>/` (optionally under
// hive-style `key=value/` partition directories) or `<schema>/<table>.parquet`. Reads decode
// only the needed columns and row groups (parquet-wasm, byte ranges); partition predicates
// prune directories before listing; INSERT/CTAS write zstd Parquet staged, then renamed in.
// Decoding and encoding run in `lake.threads` worker threads per worker process (codec-pool.ts).
import type { Connector, ConnectorContext, ConnectorFactory } from '../spi.js';
import { acquireCodec } from './codec-pool.js';
import { ColumnCache, cachingCodec } from './column-cache.js';
import { LAKE_PROPERTIES, LAKE_ROOT, lakeConfig } from './config.js';
import { ensureDemoLake } from './demo.js';
import { LakeMetadata } from './metadata.js';
import { lakePageSource } from './reader.js';
import { withSplitPruning } from './runtime-pruning.js';
import { lakePageSink } from './sink.js';
import { lakeSplitManager } from './splits.js';

export const lakeConnectorFactory: ConnectorFactory = {
  name: 'lake',
  knownProperties: LAKE_PROPERTIES,
  requiredProperties: [LAKE_ROOT],
  create(ctx: ConnectorContext): Connector {
    const config = lakeConfig(ctx.catalog);
    // the coordinator, before its first use of the lake: the demo lake, and a sweep of the
    // staging directories a crash left behind (one coordinator per lake root)
    const prepare =
      ctx.role === 'coordinator'
        ? async () => {
            if (config.demo) await ensureDemoLake(config.root);
            await metadata.sweepStaging();
          }
        : undefined;
    const metadata: LakeMetadata = new LakeMetadata(config, prepare);
    // the coordinator never decodes: its pool is never started
    const codec = acquireCodec(config.threads);
    // decoded column chunks kept for later queries of this catalog (reads only; writes bypass it)
    const cache = new ColumnCache(config.columnCacheBytes);
    const get = () => codec.get();
    const read = () => cachingCodec(codec.get(), cache);
    return {
      metadata,
      splits: lakeSplitManager(metadata),
      pageSource: withSplitPruning(lakePageSource(config.root, read), config.root),
      pageSink: lakePageSink(config, get),
      close: () => {
        cache.clear();
        return codec.release();
      },
    };
  },
};
