// One connector instance per catalog (name + properties) per worker process.
import type { CatalogConfig } from '../../common/plan/task.js';
import type { Connector } from '../../connectors/spi.js';

export type CreateConnector = (config: CatalogConfig, role: 'coordinator' | 'worker', nodeId: string) => Connector;

export class ConnectorCache {
  private readonly connectors = new Map<string, Promise<Connector>>();

  constructor(
    private readonly nodeId: string,
    private readonly create?: CreateConnector,
  ) {}

  get(config: CatalogConfig): Promise<Connector> {
    const key = JSON.stringify([config.name, config.connectorName, config.configDir, sortedEntries(config.properties)]);
    let c = this.connectors.get(key);
    if (!c) {
      c = this.factory().then((create) => create(config, 'worker', this.nodeId));
      c.catch(() => this.connectors.delete(key));
      this.connectors.set(key, c);
    }
    return c;
  }

  async close(): Promise<void> {
    const all = [...this.connectors.values()];
    this.connectors.clear();
    await Promise.allSettled(all.map(async (c) => (await c).close?.()));
  }

  private async factory(): Promise<CreateConnector> {
    if (this.create) return this.create;
    const mod = await import('../../connectors/registry.js');
    return mod.createConnector as CreateConnector;
  }
}

function sortedEntries(props: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(props).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
