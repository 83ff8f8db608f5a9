// Catalogs of the engine: one `<name>.properties` file per catalog in the catalog directory
// (like Trino's etc/catalog), plus the built-in `system` catalog. Files are validated at
// start-up against the connector's declared properties; connectors are created lazily.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqlError } from '../../common/errors.js';
import type { CatalogConfig, NodeInfo } from '../../common/plan/task.js';
import { SqlStates } from '../../common/sqlstate.js';
import { connectorFactories, createConnector } from '../../connectors/registry.js';
import type { Connector, ConnectorFactory, ConnectorMetadata, EngineIntrospection } from '../../connectors/spi.js';
import { parseProperties, substituteEnv } from './properties.js';

export const SYSTEM_CATALOG = 'system';
export const CONNECTOR_NAME_KEY = 'connector.name';
/** The catalog directory shipped with Tributary (memory, tpch). */
export const DEFAULT_CATALOG_DIR = fileURLToPath(new URL('../../catalogs/', import.meta.url));

const PROPERTIES_SUFFIX = '.properties';
const CATALOG_NAME = /^[a-z_][a-z0-9_]*$/;

export interface LoadOptions {
  readonly factories?: ReadonlyMap<string, ConnectorFactory>;
  /** For `${ENV:NAME}`; defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

function configError(message: string, cause?: unknown): SqlError {
  return new SqlError(SqlStates.configFileError, message, undefined, cause === undefined ? undefined : { cause });
}

export function systemCatalogConfig(configDir: string): CatalogConfig {
  return { name: SYSTEM_CATALOG, connectorName: SYSTEM_CATALOG, properties: {}, configDir };
}

/**
 * Reads every `<name>.properties` in `dir` (other files are ignored), sorted by catalog name,
 * with the implicit `system` catalog. Any problem is a SqlError F0000 naming file and key.
 */
export async function loadCatalogs(dir: string, options: LoadOptions = {}): Promise<CatalogConfig[]> {
  const factories = options.factories ?? connectorFactories;
  const env = options.env ?? process.env;
  let entries: { name: string; isFile(): boolean }[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw configError(`catalog directory ${dir} cannot be read: ${e instanceof Error ? e.message : String(e)}`, e);
  }
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith(PROPERTIES_SUFFIX))
    .map((e) => e.name)
    .sort();
  const byName = new Map<string, CatalogConfig>();
  const pathOf = new Map<string, string>();
  for (const file of files) {
    const path = join(dir, file);
    const name = file.slice(0, -PROPERTIES_SUFFIX.length).toLowerCase();
    if (!CATALOG_NAME.test(name)) {
      throw configError(
        `${path}: catalog name '${name}' is not a valid identifier (letters, digits and underscores, not starting with a digit)`,
      );
    }
    if (name === SYSTEM_CATALOG) {
      throw configError(`${path}: the '${SYSTEM_CATALOG}' catalog is built in and cannot be configured`);
    }
    const other = pathOf.get(name);
    if (other !== undefined) throw configError(`${path}: catalog '${name}' is already defined by ${other}`);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      throw configError(`${path}: cannot be read: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    byName.set(name, catalogFromProperties(name, path, dir, parseProperties(text, path), factories, env));
    pathOf.set(name, path);
  }
  byName.set(SYSTEM_CATALOG, systemCatalogConfig(dir));
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Validates one catalog file's properties against its connector. */
export function catalogFromProperties(
  name: string,
  path: string,
  configDir: string,
  props: ReadonlyMap<string, string>,
  factories: ReadonlyMap<string, ConnectorFactory>,
  env: Readonly<Record<string, string | undefined>>,
): CatalogConfig {
  const connectorName = props.get(CONNECTOR_NAME_KEY);
  if (connectorName === undefined || connectorName === '') {
    throw configError(`${path}: missing required property '${CONNECTOR_NAME_KEY}'`);
  }
  if (connectorName === SYSTEM_CATALOG) {
    throw configError(`${path}: connector '${SYSTEM_CATALOG}' cannot be configured; the system catalog is built in`);
  }
  const factory = factories.get(connectorName);
  if (!factory) {
    const known = [...factories.keys()].filter((k) => k !== SYSTEM_CATALOG).sort();
    throw configError(
      `${path}: unknown connector '${connectorName}' in property '${CONNECTOR_NAME_KEY}' (known: ${known.join(', ')})`,
    );
  }
  const known = new Set(factory.knownProperties);
  for (const key of props.keys()) {
    if (key !== CONNECTOR_NAME_KEY && !known.has(key)) {
      throw configError(`${path}: unknown property '${key}' for connector ${connectorName}`);
    }
  }
  for (const key of factory.requiredProperties) {
    if (!props.has(key))
      throw configError(`${path}: missing required property '${key}' for connector ${connectorName}`);
  }
  const properties: Record<string, string> = {};
  for (const [key, value] of props) {
    if (key !== CONNECTOR_NAME_KEY) properties[key] = substituteEnv(value, env, path, key);
  }
  return { name, connectorName, properties, configDir };
}

export interface CatalogManagerOptions {
  /** This coordinator's node id (given to coordinator-role connectors). */
  readonly nodeId: string;
  /** The live nodes (coordinator and workers), for system.runtime.nodes. */
  readonly nodes: () => readonly NodeInfo[];
  readonly factories?: ReadonlyMap<string, ConnectorFactory>;
}

/** The coordinator's catalogs and their coordinator-role connectors (created on first use). */
export class CatalogManager implements EngineIntrospection {
  private readonly configsByName: ReadonlyMap<string, CatalogConfig>;
  private readonly names: readonly string[];
  private readonly connectors = new Map<string, Connector>();
  private readonly factories: ReadonlyMap<string, ConnectorFactory>;

  constructor(
    configs: readonly CatalogConfig[],
    private readonly options: CatalogManagerOptions,
  ) {
    const byName = new Map(configs.map((c) => [c.name, c]));
    if (!byName.has(SYSTEM_CATALOG)) byName.set(SYSTEM_CATALOG, systemCatalogConfig(configs[0]?.configDir ?? ''));
    this.configsByName = byName;
    this.names = [...byName.keys()].sort();
    this.factories = options.factories ?? connectorFactories;
  }

  static async load(dir: string, options: CatalogManagerOptions & LoadOptions): Promise<CatalogManager> {
    return new CatalogManager(await loadCatalogs(dir, options), options);
  }

  catalogNames(): readonly string[] {
    return this.names;
  }

  config(name: string): CatalogConfig | undefined {
    return this.configsByName.get(name);
  }

  /** Every catalog's config, sorted by name. */
  configs(): readonly CatalogConfig[] {
    return this.names.map((n) => this.configsByName.get(n)!);
  }

  /** The coordinator-role connector of a catalog; 3D000 when there is no such catalog. */
  connector(name: string): Connector {
    const cached = this.connectors.get(name);
    if (cached) return cached;
    const config = this.configsByName.get(name);
    if (!config) throw new SqlError(SqlStates.invalidCatalogName, `catalog '${name}' does not exist`);
    const connector = createConnector(config, 'coordinator', this.options.nodeId, this, this.factories);
    this.connectors.set(name, connector);
    return connector;
  }

  metadataOf(name: string): ConnectorMetadata | undefined {
    return this.configsByName.has(name) ? this.connector(name).metadata : undefined;
  }

  nodes(): readonly NodeInfo[] {
    return this.options.nodes();
  }

  async close(): Promise<void> {
    const all = [...this.connectors.values()];
    this.connectors.clear();
    await Promise.allSettled(all.map((c) => c.close?.()));
  }
}
