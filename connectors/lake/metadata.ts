// Coordinator side of the lake: schemas are directories of the root, tables are directories
// (or single `.parquet` files) in them. What a table looks like (files, columns, row groups)
// is cached for `lake.metadata-ttl`, so new files appear without a restart. Writes are staged
// under `<table>/_staging/<insertId>/` and renamed into the table by finishInsert (staging.ts).
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SqlError } from '../../common/errors.js';
import type { Expr } from '../../common/expr/expr.js';
import type { JsonValue } from '../../common/json.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { ColumnSchema, DataType } from '../../common/types.js';
import type { ConnectorMetadata, MetaContext, Pushed, TableHandle, TableInfo, TableStats } from '../spi.js';
import type { LakeConfig } from './config.js';
import { type FileStats, fileStatsOf } from './footer-stats.js';
import {
  columnsFromJson,
  columnsToJson,
  type LakeInsertHandle,
  type LakeTableHandle,
  type PartitionPredicate,
  parseFragment,
  parseInsertHandle,
  parseTableHandle,
} from './handle.js';
import { type DataFile, listDataFiles, partitionKeys } from './listing.js';
import { footerOf } from './parquet-file.js';
import { typedPartitionValue } from './partitions.js';
import { describePredicate, satisfies, toPartitionPredicate } from './predicates.js';
import { removeStaged, runningInserts, STAGING_DIR, sweepLake, sweepTable } from './staging.js';
import { selectRowGroups, toStatsPredicate } from './stats-predicates.js';
import { tableProperties } from './table-properties.js';
import { declaredJson, mergeFileColumns, partitionColumns, readDeclared, TABLE_JSON } from './table-schema.js';

export { STAGING_DIR } from './staging.js';

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_\-.]*$/;

export interface TableFile extends DataFile {
  readonly rowGroups: readonly number[];
  readonly stats: FileStats;
}

export interface TableState {
  readonly handle: LakeTableHandle;
  readonly columns: readonly ColumnSchema[];
  readonly files: readonly TableFile[];
  readonly rowCount: number;
}

function isVisible(name: string): boolean {
  return !name.startsWith('_') && !name.startsWith('.');
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

export class LakeMetadata implements ConnectorMetadata {
  private readonly cache = new Map<string, { readonly at: number; readonly state: TableState | undefined }>();
  /** Inserts begun and not yet finished or aborted (their staging directories are in use). */
  private readonly running: Set<string>;

  constructor(
    readonly config: LakeConfig,
    /** Runs once before the first metadata call (creates the demo lake when configured). */
    private readonly prepare: () => Promise<void> = async () => {},
  ) {
    this.running = runningInserts(config.root);
  }

  private prepared: Promise<void> | undefined;

  /** Removes what failed or interrupted writes left in staging directories (the coordinator, at start). */
  sweepStaging(): Promise<number> {
    return sweepLake(this.config.root, this.running);
  }

  async ready(): Promise<void> {
    this.prepared ??= this.prepare();
    await this.prepared;
  }

  async listSchemas(_ctx: MetaContext): Promise<readonly string[]> {
    await this.ready();
    let entries: { name: string; isDirectory(): boolean }[];
    try {
      entries = await readdir(this.config.root, { withFileTypes: true });
    } catch {
      return [];
    }
    return entries
      .filter((e) => e.isDirectory() && isVisible(e.name))
      .map((e) => e.name.toLowerCase())
      .sort();
  }

  async listTables(schema: string, _ctx: MetaContext): Promise<readonly string[]> {
    await this.ready();
    let entries: { name: string; isDirectory(): boolean; isFile(): boolean }[];
    try {
      entries = await readdir(join(this.config.root, schema), { withFileTypes: true });
    } catch {
      return [];
    }
    const names = new Set<string>();
    for (const e of entries) {
      if (!isVisible(e.name)) continue;
      if (e.isDirectory() && !e.name.includes('=')) names.add(e.name.toLowerCase());
      else if (e.isFile() && e.name.endsWith('.parquet')) names.add(e.name.slice(0, -8).toLowerCase());
    }
    return [...names].sort();
  }

  async getTable(schema: string, table: string, _ctx: MetaContext): Promise<TableInfo | undefined> {
    await this.ready();
    const state = await this.tableState(schema, table);
    return state ? { handle: state.handle, columns: state.columns } : undefined;
  }

  async getStatistics(handle: TableHandle, _ctx: MetaContext): Promise<TableStats> {
    const h = parseTableHandle(handle);
    const state = await this.tableState(h.schema, h.table);
    if (!state) return {};
    const selected = this.selectedFiles(h, state);
    let rowCount = 0;
    for (const f of selected) for (const r of f.rowGroups) rowCount += r;
    return { rowCount };
  }

  /**
   * Conjuncts on partition columns are accepted (exact: whole directories pass or fail).
   * Comparisons on other columns stay in `remaining` but are recorded in the handle so the
   * split manager can skip row groups by their min/max statistics and null counts.
   */
  applyFilter(handle: TableHandle, conjuncts: readonly Expr[]): Pushed | undefined {
    const h = parseTableHandle(handle);
    const types = partitionTypes(h);
    const others = dataColumnTypes(h);
    const accepted: Expr[] = [];
    const remaining: Expr[] = [];
    const predicates = [...h.predicates];
    const statsPredicates = [...(h.statsPredicates ?? [])];
    const seen = new Set(predicates.map((p) => JSON.stringify(p)));
    const seenStats = new Set(statsPredicates.map((p) => JSON.stringify(p)));
    let changed = false;
    for (const c of conjuncts) {
      const p = types.size > 0 ? toPartitionPredicate(c, types) : undefined;
      if (p) {
        accepted.push(c);
        const key = JSON.stringify(p);
        if (!seen.has(key)) {
          seen.add(key);
          predicates.push(p);
        }
        continue;
      }
      remaining.push(c);
      const sp = toStatsPredicate(c, others);
      if (!sp) continue;
      const key = JSON.stringify(sp);
      if (!seenStats.has(key)) {
        seenStats.add(key);
        statsPredicates.push(sp);
        changed = true;
      }
    }
    if (accepted.length === 0 && !changed) return undefined;
    const next: LakeTableHandle = {
      ...h,
      predicates,
      ...(statsPredicates.length > 0 ? { statsPredicates } : {}),
    };
    return { handle: next as unknown as JsonValue, accepted, remaining };
  }

  /** Each split stops after `limit` rows and only enough splits are made; the engine keeps its Limit. */
  applyLimit(handle: TableHandle, limit: number): { handle: TableHandle; guaranteed: boolean } | undefined {
    const h = parseTableHandle(handle);
    if (h.limit !== undefined && h.limit <= limit) return undefined;
    const next: LakeTableHandle = { ...h, limit };
    return { handle: next as unknown as JsonValue, guaranteed: false };
  }

  describeHandle(handle: TableHandle): string {
    const h = parseTableHandle(handle);
    const pushed =
      h.predicates.length > 0 ? ` partition filter=[${h.predicates.map(describePredicate).join(' AND ')}]` : '';
    const stats =
      h.statsPredicates && h.statsPredicates.length > 0
        ? ` statistics filter=[${h.statsPredicates.map(describePredicate).join(' AND ')}]`
        : '';
    const limit = h.limit !== undefined ? ` limit=${h.limit}` : '';
    const hit = this.cache.get(cacheKey(h.schema, h.table))?.state;
    if (!hit) return `lake ${h.path}${pushed}${stats}${limit}`;
    const selected = this.selectedFiles(h, hit);
    const others = dataColumnTypes(h);
    let rgTotal = 0;
    let rgSelected = 0;
    for (const f of hit.files) rgTotal += f.rowGroups.length;
    for (const f of selected) rgSelected += selectRowGroups(f.stats, h.statsPredicates ?? [], others).length;
    return `lake ${h.path}${pushed}${stats}${limit} files=${selected.length}/${hit.files.length} row groups=${rgSelected}/${rgTotal}`;
  }

  /** The files of a (cached) table state that pass the handle's partition predicates. */
  selectedFiles(h: LakeTableHandle, state: TableState): readonly TableFile[] {
    if (h.predicates.length === 0) return state.files;
    const types = partitionTypes(h);
    return state.files.filter((f) => filePasses(f.partition, h.predicates, types));
  }

  // ---- DDL and writes ----

  async createSchema(schema: string, _ctx: MetaContext): Promise<void> {
    await this.ready();
    checkName(schema, 'schema');
    const dir = join(this.config.root, schema);
    if (await isDir(dir))
      throw new SqlError(SqlStates.duplicateSchema, `schema ${this.config.catalog}.${schema} already exists`);
    await mkdir(dir, { recursive: true });
  }

  async dropSchema(schema: string, ctx: MetaContext): Promise<void> {
    await this.ready();
    const dir = join(this.config.root, schema);
    if (!(await isDir(dir)))
      throw new SqlError(SqlStates.invalidSchemaName, `schema ${this.config.catalog}.${schema} does not exist`);
    const tables = await this.listTables(schema, ctx);
    if (tables.length > 0) {
      throw new SqlError(
        SqlStates.dependentObjectsStillExist,
        `cannot drop schema ${this.config.catalog}.${schema}: it still has ${tables.length} table(s)`,
      );
    }
    await rm(dir, { recursive: true, force: true });
  }

  async createTable(
    schema: string,
    table: string,
    columns: readonly ColumnSchema[],
    _ctx: MetaContext,
    properties?: Readonly<Record<string, JsonValue>>,
  ): Promise<void> {
    await this.ready();
    checkName(table, 'table');
    const props = tableProperties(properties ?? {}, columns);
    const schemaDir = join(this.config.root, schema);
    if (!(await isDir(schemaDir))) {
      throw new SqlError(SqlStates.invalidSchemaName, `schema ${this.config.catalog}.${schema} does not exist`);
    }
    this.cache.delete(cacheKey(schema, table));
    if (await this.tableState(schema, table)) {
      throw new SqlError(SqlStates.duplicateTable, `table ${this.config.catalog}.${schema}.${table} already exists`);
    }
    const dir = join(schemaDir, table);
    await mkdir(dir, { recursive: true });
    // written under a temporary name and renamed, so a reader never sees half a file
    const tmp = join(dir, `_table.json.${randomUUID()}`);
    await writeFile(tmp, declaredJson(columns, props.partitionedBy));
    await rename(tmp, join(dir, TABLE_JSON));
    this.cache.delete(cacheKey(schema, table));
  }

  async dropTable(handle: TableHandle, _ctx: MetaContext): Promise<void> {
    const h = parseTableHandle(handle);
    await rm(join(this.config.root, h.path), { recursive: true, force: true });
    this.cache.delete(cacheKey(h.schema, h.table));
  }

  async beginInsert(handle: TableHandle, _ctx: MetaContext): Promise<JsonValue> {
    const h = parseTableHandle(handle);
    if (h.single) throw SqlError.unsupported(`INSERT into the single-file lake table ${h.schema}.${h.table}`);
    const insertId = `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
    this.running.add(insertId);
    await mkdir(join(this.config.root, h.path, STAGING_DIR, insertId), { recursive: true });
    const insert: LakeInsertHandle = {
      schema: h.schema,
      table: h.table,
      path: h.path,
      insertId,
      columns: h.columns,
      ...(h.partitionKeys.length > 0 ? { partitionKeys: h.partitionKeys } : {}),
    };
    return insert as unknown as JsonValue;
  }

  async finishInsert(insertHandle: JsonValue, fragments: readonly JsonValue[], _ctx: MetaContext): Promise<void> {
    const h = parseInsertHandle(insertHandle);
    const tableDir = join(this.config.root, h.path);
    const staging = join(tableDir, STAGING_DIR, h.insertId);
    this.running.delete(h.insertId);
    if (!(await isDir(tableDir))) {
      await rm(staging, { recursive: true, force: true });
      throw new SqlError(
        SqlStates.undefinedTable,
        `table ${h.schema}.${h.table} was dropped while rows were being inserted`,
      );
    }
    const files = fragments.flatMap((f) => parseFragment(f).files);
    // every file is complete in staging; each rename is atomic, readers skip _staging
    for (const f of files) {
      const slash = f.lastIndexOf('/');
      const dir = slash < 0 ? tableDir : join(tableDir, f.slice(0, slash));
      if (slash >= 0) await mkdir(dir, { recursive: true });
      await rename(join(staging, f), join(dir, `part-${h.insertId}-${f.slice(slash + 1)}`));
    }
    await removeStaged(tableDir, h.insertId);
    this.cache.delete(cacheKey(h.schema, h.table));
  }

  async abortInsert(insertHandle: JsonValue, _ctx: MetaContext): Promise<void> {
    const h = parseInsertHandle(insertHandle);
    const tableDir = join(this.config.root, h.path);
    this.running.delete(h.insertId);
    await removeStaged(tableDir, h.insertId);
    // and whatever earlier failures of this table left behind
    await sweepTable(tableDir, this.running);
    this.cache.delete(cacheKey(h.schema, h.table));
  }

  // ---- table state ----

  /** The (cached) state of a table; undefined when it does not exist. */
  async tableState(schema: string, table: string): Promise<TableState | undefined> {
    const key = cacheKey(schema, table);
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.config.metadataTtlMs) return hit.state;
    const state = await this.loadTable(schema, table);
    this.cache.set(key, { at: Date.now(), state });
    return state;
  }

  private async resolve(schema: string, table: string): Promise<{ path: string; single: boolean } | undefined> {
    const root = this.config.root;
    let entries: { name: string; isDirectory(): boolean; isFile(): boolean }[];
    let schemaName = schema;
    try {
      const schemas = await readdir(root, { withFileTypes: true });
      const s =
        schemas.find((e) => e.isDirectory() && e.name === schema) ??
        schemas.find((e) => e.isDirectory() && e.name.toLowerCase() === schema.toLowerCase());
      if (!s) return undefined;
      schemaName = s.name;
      entries = await readdir(join(root, schemaName), { withFileTypes: true });
    } catch {
      return undefined;
    }
    const lower = table.toLowerCase();
    const match = (e: { name: string }, n: string) => e.name === n || e.name.toLowerCase() === n.toLowerCase();
    const dir = entries.find((e) => e.isDirectory() && isVisible(e.name) && match(e, lower));
    if (dir) return { path: `${schemaName}/${dir.name}`, single: false };
    const file = entries.find((e) => e.isFile() && isVisible(e.name) && match(e, `${lower}.parquet`));
    if (file) return { path: `${schemaName}/${file.name}`, single: true };
    return undefined;
  }

  private async loadTable(schema: string, table: string): Promise<TableState | undefined> {
    const where = await this.resolve(schema, table);
    if (!where) return undefined;
    const root = this.config.root;
    let dataFiles: DataFile[];
    if (where.single) {
      const s = await stat(join(root, where.path));
      dataFiles = [{ path: where.path, size: s.size, mtimeMs: s.mtimeMs, partition: {} }];
    } else {
      dataFiles = (await listDataFiles(root, where.path)).files;
    }
    const files: TableFile[] = [];
    const merged = new Map<string, DataType>();
    for (const f of dataFiles) {
      const abs = join(root, f.path);
      const footer = await footerOf(abs, f.size, f.mtimeMs);
      mergeFileColumns(merged, footer.fields, f.path);
      const stats = await fileStatsOf(abs, f.size, f.mtimeMs);
      files.push({ ...f, rowGroups: footer.rowGroups, stats });
    }
    const declared = where.single ? undefined : await readDeclared(join(root, where.path, TABLE_JSON));
    const found = partitionKeys(dataFiles);
    const keys = declared?.partitionedBy
      ? [...declared.partitionedBy, ...found.filter((k) => !declared.partitionedBy?.includes(k))]
      : found;
    if (!declared && dataFiles.length === 0) return undefined;
    const values = new Map<string, (string | null)[]>();
    for (const k of keys)
      values.set(
        k,
        dataFiles.map((f) => f.partition[k] ?? null),
      );
    const partCols = partitionColumns(keys, values);
    let columns: ColumnSchema[];
    if (declared) {
      const declaredNames = new Set(declared.columns.map((c) => c.name));
      columns = [...declared.columns, ...partCols.filter((c) => !declaredNames.has(c.name))];
    } else {
      const partNames = new Set(keys);
      columns = [
        ...[...merged].filter(([n]) => !partNames.has(n)).map(([name, type]) => ({ name, type, nullable: true })),
        ...partCols,
      ];
    }
    const handle: LakeTableHandle = {
      schema: schema.toLowerCase(),
      table: table.toLowerCase(),
      path: where.path,
      single: where.single,
      columns: columnsToJson(columns),
      partitionKeys: keys,
      predicates: [],
    };
    let rowCount = 0;
    for (const f of files) for (const r of f.rowGroups) rowCount += r;
    return { handle, columns, files, rowCount };
  }
}

function cacheKey(schema: string, table: string): string {
  return `${schema.toLowerCase()}\0${table.toLowerCase()}`;
}

function checkName(name: string, what: string): void {
  if (!NAME.test(name) || name.includes('=')) {
    throw new SqlError(SqlStates.invalidParameterValue, `lake: invalid ${what} name '${name}' for a directory`);
  }
}

export function partitionTypes(h: LakeTableHandle): Map<string, DataType> {
  const cols = columnsFromJson(h.columns);
  const out = new Map<string, DataType>();
  for (const k of h.partitionKeys) {
    const c = cols.find((x) => x.name === k);
    if (c) out.set(k, c.type);
  }
  return out;
}

/** Types of the columns stored in the files (not partition columns). */
export function dataColumnTypes(h: LakeTableHandle): Map<string, DataType> {
  const out = new Map<string, DataType>();
  for (const c of columnsFromJson(h.columns)) if (!h.partitionKeys.includes(c.name)) out.set(c.name, c.type);
  return out;
}

export function filePasses(
  partition: Readonly<Record<string, string | null>>,
  predicates: readonly PartitionPredicate[],
  types: ReadonlyMap<string, DataType>,
): boolean {
  for (const p of predicates) {
    const t = types.get(p.column);
    if (!t) continue;
    if (!satisfies(p, typedPartitionValue(partition[p.column] ?? null, t))) return false;
  }
  return true;
}
