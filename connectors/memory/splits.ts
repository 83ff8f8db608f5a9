// One split per committed fragment, pinned to the node that holds it.
import { SqlError } from '../../common/errors.js';
import type { Split } from '../../common/plan/task.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { MetaContext, SplitManager, TableHandle } from '../spi.js';
import type { MemoryMetadata } from './metadata.js';
import type { MemorySplitPayload } from './types.js';

export function memorySplitManager(metadata: MemoryMetadata): SplitManager {
  return {
    async getSplits(handle: TableHandle, ctx: MetaContext): Promise<readonly Split[]> {
      const t = metadata.tableOf(handle);
      const live = new Set(ctx.workers.map((w) => w.nodeId));
      const free = [...metadata.freeList()];
      return t.fragments.map((f): Split => {
        if (!live.has(f.nodeId)) {
          throw new SqlError(
            SqlStates.connectionFailure,
            `memory table ${metadata.catalogName()}.${t.schema}.${t.name}: its data on node ${f.nodeId} was lost (the node left the cluster)`,
          );
        }
        const payload: MemorySplitPayload = { tableId: t.tableId, dataId: f.dataId, rows: f.rows, free };
        return { catalog: metadata.catalogName(), payload, addresses: [f.nodeId] };
      });
    },
  };
}
