// A remote SQL connector (postgresql, mysql) built from a dialect backend: metadata with filter,
// limit, top-N, aggregation and join pushdown on the coordinator (pushdown.ts), splits of large
// tables (splits.ts), a streaming page source on workers.
import type { RecordBatch } from 'apache-arrow';
import type { Expr } from '../../common/expr/expr.js';
import type { SortKey } from '../../common/plan/physical.js';
import type { Split } from '../../common/plan/task.js';
import type { ColumnSchema } from '../../common/types.js';
import type {
  AggregationSpec,
  Connector,
  ConnectorMetadata,
  JoinSpec,
  MetaContext,
  PageSource,
  Pushed,
  ReadContext,
  SplitManager,
  TableHandle,
  TableInfo,
  TableStats,
} from '../spi.js';
import type { RemoteBackend } from './dialect.js';
import { fromRemoteHandle, isPlainTable, type RemoteTableHandle, toRemoteHandle } from './handle.js';
import { DEFAULT_OPTIONS, type RemoteOptions } from './options.js';
import { hasSupersetFilters, pushAggregation, pushedSummary, pushJoin, pushTopN } from './pushdown.js';
import { planSplits, splitRangeOf } from './splits.js';
import { buildSelect, pushability } from './sql-builder.js';
import { rowsToBatch } from './to-arrow.js';

export const FETCH_SIZE = 10_000;

export class RemoteMetadata implements ConnectorMetadata {
  constructor(
    private readonly catalog: string,
    private readonly backend: RemoteBackend,
    private readonly options: RemoteOptions = DEFAULT_OPTIONS,
  ) {}

  async listSchemas(_ctx: MetaContext): Promise<readonly string[]> {
    return this.guard('listing schemas', () => this.backend.client.listSchemas());
  }

  async listTables(schema: string, _ctx: MetaContext): Promise<readonly string[]> {
    return this.guard(`listing tables of schema ${schema}`, () => this.backend.client.listTables(schema));
  }

  async getTable(schema: string, table: string, _ctx: MetaContext): Promise<TableInfo | undefined> {
    const columns = await this.guard(`reading columns of ${schema}.${table}`, () =>
      this.backend.client.getColumns(schema, table),
    );
    if (columns === undefined) return undefined;
    const handle: RemoteTableHandle = { schema, table, columns, filters: [], limit: null };
    return { handle: fromRemoteHandle(handle), columns: columns.map((c) => ({ name: c.name, type: c.type })) };
  }

  async getStatistics(handle: TableHandle, _ctx: MetaContext): Promise<TableStats> {
    const h = toRemoteHandle(handle);
    try {
      const rows = await this.backend.client.rowCount(h.schema, h.table);
      if (rows === undefined) return {};
      return { rowCount: h.limit === null ? rows : Math.min(rows, h.limit) };
    } catch {
      return {}; // statistics are a hint; the scan itself reports a failing source
    }
  }

  applyFilter(handle: TableHandle, conjuncts: readonly Expr[]): Pushed | undefined {
    if (!this.options.filterPushdown) return undefined;
    const h = toRemoteHandle(handle);
    if (h.limit !== null) return undefined; // a filter above a limit is not a filter below it
    const known = new Set(h.filters.map((f) => JSON.stringify(f)));
    const added: Expr[] = [];
    const accepted: Expr[] = [];
    const remaining: Expr[] = [];
    for (const c of conjuncts) {
      const p = pushability(this.backend.dialect, h, c);
      const key = JSON.stringify(c);
      if (p === 'exact') accepted.push(c);
      else remaining.push(c);
      if (p !== 'no' && !known.has(key)) {
        added.push(c);
        known.add(key);
      }
    }
    if (added.length === 0) return undefined;
    const next: RemoteTableHandle = { ...h, filters: [...h.filters, ...added] };
    return { handle: fromRemoteHandle(next), accepted, remaining };
  }

  applyLimit(handle: TableHandle, limit: number): { handle: TableHandle; guaranteed: boolean } | undefined {
    const h = toRemoteHandle(handle);
    if (h.limit !== null && h.limit <= limit) return undefined;
    if (!Number.isSafeInteger(limit) || limit < 0) return undefined;
    // Superset filters are re-checked by the engine above the scan: a limit below them could drop rows.
    if (hasSupersetFilters(this.backend.dialect, h)) return undefined;
    // Guaranteed: a handle with a limit is read as one split (splits.ts).
    return { handle: fromRemoteHandle({ ...h, limit }), guaranteed: true };
  }

  applyTopN(
    handle: TableHandle,
    limit: number,
    keys: readonly (SortKey & { readonly column: string })[],
  ): { handle: TableHandle; guaranteed: boolean } | undefined {
    if (!this.options.topNPushdown) return undefined;
    const next = pushTopN(this.backend.dialect, toRemoteHandle(handle), limit, keys);
    // Guaranteed: a handle with a top-N is read as one split, in order (splits.ts).
    return next && { handle: fromRemoteHandle(next), guaranteed: true };
  }

  applyAggregation(
    handle: TableHandle,
    spec: AggregationSpec,
  ): { handle: TableHandle; outputs: readonly string[] } | undefined {
    if (!this.options.aggregationPushdown) return undefined;
    const r = pushAggregation(this.backend.dialect, toRemoteHandle(handle), spec);
    return r && { handle: fromRemoteHandle(r.handle), outputs: r.outputs };
  }

  applyJoin(
    left: TableHandle,
    right: TableHandle,
    spec: JoinSpec,
  ): { handle: TableHandle; left: ReadonlyMap<string, string>; right: ReadonlyMap<string, string> } | undefined {
    if (!this.options.joinPushdown) return undefined;
    const r = pushJoin(this.backend.dialect, toRemoteHandle(left), toRemoteHandle(right), spec);
    return r && { handle: fromRemoteHandle(r.handle), left: r.left, right: r.right };
  }

  /**
   * What was pushed and the remote SQL with its placeholders; the parameters are the query's own
   * literals (split bounds are added per split at run time and not shown).
   */
  describeHandle(handle: TableHandle, columns?: readonly string[]): string {
    const h = toRemoteHandle(handle);
    const q = buildSelect(this.backend.dialect, h, columns ?? h.columns.map((c) => c.name));
    const params = q.params.length === 0 ? '' : ` params=${JSON.stringify(q.params)}`;
    const pushed = pushedSummary(h);
    const summary = pushed.length === 0 ? '' : `pushed: ${pushed.join(' ')}${isPlainTable(h) ? '' : ' (one split)'}; `;
    return `${summary}remote: ${q.sql}${params}`;
  }

  private async guard<T>(doing: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      throw this.backend.toSqlError(e, doing);
    }
  }

  catalogName(): string {
    return this.catalog;
  }
}

export function remoteSplitManager(
  catalog: string,
  backend: RemoteBackend,
  options: RemoteOptions = DEFAULT_OPTIONS,
): SplitManager {
  return {
    async getSplits(handle: TableHandle, ctx: MetaContext): Promise<readonly Split[]> {
      return planSplits(catalog, backend, options, toRemoteHandle(handle), ctx);
    },
  };
}

export function remotePageSource(catalog: string, backend: RemoteBackend): PageSource {
  return {
    async *open(
      split: Split,
      handle: TableHandle,
      columns: readonly ColumnSchema[],
      ctx: ReadContext,
    ): AsyncIterable<RecordBatch> {
      const h = toRemoteHandle(handle);
      const q = buildSelect(
        backend.dialect,
        h,
        columns.map((c) => c.name),
        splitRangeOf(split.payload),
      );
      try {
        for await (const rows of backend.client.stream(q.sql, q.params, FETCH_SIZE, ctx.signal)) {
          ctx.signal.throwIfAborted();
          yield rowsToBatch(catalog, columns, rows);
        }
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        throw backend.toSqlError(e, `reading ${h.schema}.${h.table}`);
      }
    },
  };
}

export function remoteConnector(
  catalog: string,
  backend: RemoteBackend,
  options: RemoteOptions = DEFAULT_OPTIONS,
): Connector {
  return {
    metadata: new RemoteMetadata(catalog, backend, options),
    splits: remoteSplitManager(catalog, backend, options),
    pageSource: remotePageSource(catalog, backend),
    close: () => backend.client.close(),
  };
}
