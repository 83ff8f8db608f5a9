// Starts a coordinator: catalogs, the HTTP endpoint workers announce to, the scheduler, the
// engine, and the PostgreSQL wire protocol server clients connect to.
import { randomUUID } from 'node:crypto';
import { CatalogManager, DEFAULT_CATALOG_DIR } from './catalog/catalog-manager.js';
import { TributaryEngine } from './engine.js';
import { dynamicFilterRoutes } from './http/dynamic-filter-routes.js';
import { startCoordinatorHttp } from './http/server.js';
import { serveUi } from './http/ui.js';
import { startPgServer } from './protocol/server.js';
import { DynamicFilterService } from './scheduler/dynamic-filters.js';
import { createScheduler } from './scheduler/scheduler.js';

export interface CoordinatorOptions {
  readonly host: string;
  readonly pgPort: number;
  readonly httpPort: number;
  /** Directory of <name>.properties catalog files; default: the embedded catalogs/. */
  readonly catalogsDir?: string;
  readonly nodeId?: string;
}

export interface Coordinator {
  readonly pgPort: number;
  readonly httpPort: number;
  readonly httpUri: string;
  close(): Promise<void>;
}

export async function startCoordinator(opts: CoordinatorOptions): Promise<Coordinator> {
  const nodeId = opts.nodeId ?? `coordinator-${randomUUID().slice(0, 8)}`;
  const http = await startCoordinatorHttp({ host: opts.host, port: opts.httpPort, nodeId });
  const dynamicFilters = new DynamicFilterService();
  http.addHandler(dynamicFilterRoutes(dynamicFilters));
  http.addHandler(serveUi);
  try {
    const catalogs = await CatalogManager.load(opts.catalogsDir ?? DEFAULT_CATALOG_DIR, {
      nodeId,
      nodes: () => http.registry.nodes(),
    });
    const scheduler = createScheduler(http.registry, { dynamicFilters });
    const engine = await TributaryEngine.create({
      catalogs,
      scheduler,
      workers: () => http.registry.activeWorkers(),
    });
    const pg = await startPgServer({ host: opts.host, port: opts.pgPort, engine });
    return {
      pgPort: pg.port,
      httpPort: http.port,
      httpUri: http.uri,
      async close() {
        await pg.close();
        await catalogs.close();
        await http.close();
      },
    };
  } catch (e) {
    await http.close();
    throw e;
  }
}
