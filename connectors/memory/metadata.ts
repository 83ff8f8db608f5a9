// Coordinator side of the memory connector: schemas, tables and, per table, the list of
// committed data fragments (which node holds which chunk of rows). The rows themselves live
// on the workers (store.ts). An INSERT's fragments become visible all at once in
// finishInsert; until then nothing lists them, so an aborted INSERT leaves nothing visible.
import { randomUUID } from 'node:crypto';
import { SqlError } from '../../common/errors.js';
import type { JsonValue } from '../../common/json.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { ColumnSchema } from '../../common/types.js';
import type { ConnectorMetadata, MetaContext, TableHandle, TableInfo, TableStats } from '../spi.js';
import {
  columnsToJson,
  insertIdOf,
  type MemoryFragment,
  type MemoryInsertHandle,
  type MemoryTableHandle,
  toFragment,
  toInsertHandle,
  toTableHandle,
} from './types.js';

export const DEFAULT_SCHEMA = 'default';
/** How many dropped/aborted inserts the coordinator keeps asking workers to free (store.ts). */
const FREE_LIST_LIMIT = 256;

export interface MemoryTable {
  readonly tableId: string;
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly ColumnSchema[];
  /** Committed fragments, in commit order. */
  readonly fragments: MemoryFragment[];
}

export class MemoryMetadata implements ConnectorMetadata {
  private readonly schemas = new Map<string, Map<string, MemoryTable>>([[DEFAULT_SCHEMA, new Map()]]);
  private readonly tablesById = new Map<string, MemoryTable>();
  /** insertId -> tableId of inserts begun and neither finished nor aborted. */
  private readonly openInserts = new Map<string, string>();
  private readonly toFree: string[] = [];
  /** Ids start with a random prefix so that ids of a restarted coordinator never collide. */
  private readonly idPrefix = randomUUID().slice(0, 8);
  private nextId = 1;

  constructor(private readonly catalog: string) {}

  async listSchemas(_ctx: MetaContext): Promise<readonly string[]> {
    return [...this.schemas.keys()].sort();
  }

  async listTables(schema: string, _ctx: MetaContext): Promise<readonly string[]> {
    return [...this.requireSchema(schema).keys()].sort();
  }

  async getTable(schema: string, table: string, _ctx: MetaContext): Promise<TableInfo | undefined> {
    const t = this.schemas.get(schema)?.get(table);
    if (!t) return undefined;
    const handle: MemoryTableHandle = { schema: t.schema, table: t.name, tableId: t.tableId };
    return { handle, columns: t.columns };
  }

  async getStatistics(handle: TableHandle, _ctx: MetaContext): Promise<TableStats> {
    const t = this.tableOf(handle);
    let rowCount = 0;
    for (const f of t.fragments) rowCount += f.rows;
    return { rowCount };
  }

  describeHandle(handle: TableHandle): string {
    const t = this.tablesById.get(toTableHandle(handle).tableId);
    return t ? `fragments=${t.fragments.length}` : 'dropped';
  }

  async createSchema(schema: string, _ctx: MetaContext): Promise<void> {
    if (this.schemas.has(schema)) {
      throw new SqlError(SqlStates.duplicateSchema, `schema ${this.catalog}.${schema} already exists`);
    }
    this.schemas.set(schema, new Map());
  }

  async dropSchema(schema: string, _ctx: MetaContext): Promise<void> {
    const tables = this.requireSchema(schema);
    if (tables.size > 0) {
      throw new SqlError(
        SqlStates.dependentObjectsStillExist,
        `cannot drop schema ${this.catalog}.${schema}: it still has ${tables.size} table(s)`,
      );
    }
    this.schemas.delete(schema);
  }

  async createTable(schema: string, table: string, columns: readonly ColumnSchema[], _ctx: MetaContext): Promise<void> {
    const tables = this.requireSchema(schema);
    if (tables.has(table)) {
      throw new SqlError(SqlStates.duplicateTable, `table ${this.catalog}.${schema}.${table} already exists`);
    }
    const seen = new Set<string>();
    for (const c of columns) {
      if (seen.has(c.name))
        throw new SqlError(SqlStates.duplicateColumn, `column "${c.name}" specified more than once`);
      seen.add(c.name);
    }
    const t: MemoryTable = { tableId: this.newId('t'), schema, name: table, columns: [...columns], fragments: [] };
    tables.set(table, t);
    this.tablesById.set(t.tableId, t);
  }

  /** The table's data on the workers is freed lazily (see store.ts). */
  async dropTable(handle: TableHandle, _ctx: MetaContext): Promise<void> {
    const t = this.tableOf(handle);
    this.schemas.get(t.schema)?.delete(t.name);
    this.tablesById.delete(t.tableId);
    const inserts = new Set(t.fragments.map((f) => insertIdOf(f.dataId)));
    for (const id of inserts) this.free(id);
  }

  async beginInsert(handle: TableHandle, _ctx: MetaContext): Promise<JsonValue> {
    const t = this.tableOf(handle);
    const insertId = this.newId('i');
    this.openInserts.set(insertId, t.tableId);
    const insert: MemoryInsertHandle = {
      tableId: t.tableId,
      insertId,
      columns: columnsToJson(t.columns),
      free: [...this.toFree],
    };
    return insert;
  }

  async finishInsert(insertHandle: JsonValue, fragments: readonly JsonValue[], _ctx: MetaContext): Promise<void> {
    const h = toInsertHandle(insertHandle);
    if (this.openInserts.get(h.insertId) !== h.tableId) {
      throw SqlError.internal(`memory connector: insert ${h.insertId} is not in progress`);
    }
    this.openInserts.delete(h.insertId);
    const parsed = fragments.map(toFragment);
    const t = this.tablesById.get(h.tableId);
    if (!t) {
      this.free(h.insertId);
      throw new SqlError(SqlStates.undefinedTable, `table was dropped while rows were being inserted into it`);
    }
    for (const f of parsed) {
      if (insertIdOf(f.dataId) !== h.insertId) {
        throw SqlError.internal(`memory connector: fragment ${f.dataId} does not belong to insert ${h.insertId}`);
      }
    }
    for (const f of parsed) if (f.rows > 0) t.fragments.push(f);
  }

  async abortInsert(insertHandle: JsonValue, _ctx: MetaContext): Promise<void> {
    const h = toInsertHandle(insertHandle);
    this.openInserts.delete(h.insertId);
    this.free(h.insertId);
  }

  /** The live table a handle names; 42P01 when it was dropped (or re-created since). */
  tableOf(handle: TableHandle): MemoryTable {
    const h = toTableHandle(handle);
    const t = this.tablesById.get(h.tableId);
    if (!t) throw new SqlError(SqlStates.undefinedTable, `table ${this.catalog}.${h.schema}.${h.table} does not exist`);
    return t;
  }

  /** Inserts whose data workers should free, shipped with splits and insert handles. */
  freeList(): readonly string[] {
    return this.toFree;
  }

  catalogName(): string {
    return this.catalog;
  }

  private free(insertId: string): void {
    this.toFree.push(insertId);
    if (this.toFree.length > FREE_LIST_LIMIT) this.toFree.splice(0, this.toFree.length - FREE_LIST_LIMIT);
  }

  private requireSchema(schema: string): Map<string, MemoryTable> {
    const tables = this.schemas.get(schema);
    if (!tables) throw new SqlError(SqlStates.invalidSchemaName, `schema ${this.catalog}.${schema} does not exist`);
    return tables;
  }

  private newId(kind: 't' | 'i'): string {
    return `${this.idPrefix}-${kind}${this.nextId++}`;
  }
}
