// The TaskInputs a fragment run reads from: remote exchanges, connector splits, page sinks.
import type { RecordBatch } from 'apache-arrow';
import { SqlError } from '../../common/errors.js';
import type { JsonValue } from '../../common/json.js';
import type { PhysicalNode } from '../../common/plan/physical.js';
import type { TaskSpec } from '../../common/plan/task.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { ColumnSchema } from '../../common/types.js';
import type { PageSinkWriter, ReadContext } from '../../connectors/spi.js';
import { exchangeClient } from '../exchange/exchange-client.js';
import type { MutableStats } from '../operators/operator.js';
import type { TaskInputs } from './api.js';
import type { ConnectorCache } from './connector-cache.js';
import { dynamicallyFilteredScan } from './dynamic-filter-scan.js';
import type { TaskDynamicFilters } from './dynamic-filters.js';

export function taskInputs(
  spec: TaskSpec,
  connectors: ConnectorCache,
  ctx: ReadContext,
  dynamicFilters?: TaskDynamicFilters,
): TaskInputs {
  const catalogConfig = (name: string) => {
    const c = spec.catalogs.find((x) => x.name === name);
    if (!c) throw SqlError.internal(`task ${spec.taskId} has no config for catalog ${name}`);
    return c;
  };
  return {
    ...(dynamicFilters ? { dynamicFilters } : {}),
    remote(fragmentId: number): AsyncIterable<RecordBatch> {
      const sources = spec.sources[fragmentId];
      if (!sources) throw SqlError.internal(`task ${spec.taskId} has no sources for fragment ${fragmentId}`);
      return exchangeClient(sources, spec.partition, { signal: ctx.signal });
    },
    async *scan(node: Extract<PhysicalNode, { kind: 'table_scan' }>, stats?: MutableStats): AsyncIterable<RecordBatch> {
      const connector = await connectors.get(catalogConfig(node.catalog));
      const columns: ColumnSchema[] = node.columns.map((name, i) => {
        const out = node.output[i];
        if (!out) throw SqlError.internal(`table_scan column ${name} has no output schema`);
        return { ...out, name };
      });
      if (node.dynamicFilters && node.dynamicFilters.length > 0) {
        yield* dynamicallyFilteredScan({
          node,
          connector,
          splits: spec.splits,
          columns,
          ctx,
          filters: dynamicFilters,
          stats,
        });
        return;
      }
      for (const split of spec.splits) {
        if (split.catalog !== node.catalog) continue;
        ctx.signal.throwIfAborted();
        yield* connector.pageSource.open(split, node.handle, columns, ctx);
      }
    },
    sink(catalog: string, insertHandle: JsonValue, columns: readonly ColumnSchema[]): PageSinkWriter {
      // The connector is created asynchronously; the writer defers to it on first use.
      const writer = connectors.get(catalogConfig(catalog)).then((c) => {
        if (!c.pageSink)
          throw new SqlError(SqlStates.featureNotSupported, `catalog ${catalog} does not support writes`);
        return c.pageSink.create(insertHandle, columns, ctx);
      });
      writer.catch(() => undefined);
      return {
        append: async (batch) => (await writer).append(batch),
        finish: async () => (await writer).finish(),
        abort: async () => (await writer).abort(),
      };
    },
  };
}
