// The JSON that the memory connector ships between coordinator and workers, with checks for
// what comes back from the wire (handles inside plans, fragments returned by sinks).
import { SqlError } from '../../common/errors.js';
import type { JsonValue } from '../../common/json.js';
import { type ColumnSchema, parseTypeName, typeToSql } from '../../common/types.js';

/** A table handle. `tableId` tells a re-created table apart from a dropped one of the same name. */
export type MemoryTableHandle = {
  readonly schema: string;
  readonly table: string;
  readonly tableId: string;
};

/** A column as JSON: the type in its SQL spelling (typeToSql). */
export type MemoryColumnJson = {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
};

export type MemoryInsertHandle = {
  readonly tableId: string;
  readonly insertId: string;
  readonly columns: readonly MemoryColumnJson[];
  /** Inserts whose data workers should free (dropped tables, aborted inserts); see store.ts. */
  readonly free: readonly string[];
};

/** What a sink's finish() returns: one stored chunk of rows on one node. */
export type MemoryFragment = {
  readonly nodeId: string;
  readonly dataId: string;
  readonly rows: number;
};

export type MemorySplitPayload = {
  readonly tableId: string;
  readonly dataId: string;
  readonly rows: number;
  readonly free: readonly string[];
};

function isRecord(v: JsonValue | undefined): v is { readonly [k: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(what: string): SqlError {
  return SqlError.internal(`memory connector: malformed ${what}`);
}

function str(o: { readonly [k: string]: JsonValue }, k: string, what: string): string {
  const v = o[k];
  if (typeof v !== 'string') throw bad(what);
  return v;
}

function num(o: { readonly [k: string]: JsonValue }, k: string, what: string): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(what);
  return v;
}

function strings(o: { readonly [k: string]: JsonValue }, k: string, what: string): string[] {
  const v = o[k];
  if (!Array.isArray(v)) throw bad(what);
  return v.map((x) => {
    if (typeof x !== 'string') throw bad(what);
    return x;
  });
}

export function toTableHandle(h: JsonValue): MemoryTableHandle {
  if (!isRecord(h)) throw bad('table handle');
  return {
    schema: str(h, 'schema', 'table handle'),
    table: str(h, 'table', 'table handle'),
    tableId: str(h, 'tableId', 'table handle'),
  };
}

export function toInsertHandle(h: JsonValue): MemoryInsertHandle {
  const what = 'insert handle';
  if (!isRecord(h)) throw bad(what);
  const cols = h.columns;
  if (!Array.isArray(cols)) throw bad(what);
  const columns = cols.map((c: JsonValue): MemoryColumnJson => {
    if (!isRecord(c) || typeof c.nullable !== 'boolean') throw bad(what);
    return { name: str(c, 'name', what), type: str(c, 'type', what), nullable: c.nullable };
  });
  return {
    tableId: str(h, 'tableId', what),
    insertId: str(h, 'insertId', what),
    columns,
    free: strings(h, 'free', what),
  };
}

export function toFragment(f: JsonValue): MemoryFragment {
  const what = 'insert fragment';
  if (!isRecord(f)) throw bad(what);
  return { nodeId: str(f, 'nodeId', what), dataId: str(f, 'dataId', what), rows: num(f, 'rows', what) };
}

export function toSplitPayload(p: JsonValue): MemorySplitPayload {
  const what = 'split';
  if (!isRecord(p)) throw bad(what);
  return {
    tableId: str(p, 'tableId', what),
    dataId: str(p, 'dataId', what),
    rows: num(p, 'rows', what),
    free: strings(p, 'free', what),
  };
}

export function columnsToJson(columns: readonly ColumnSchema[]): MemoryColumnJson[] {
  return columns.map((c) => ({ name: c.name, type: typeToSql(c.type), nullable: c.nullable ?? true }));
}

export function columnsFromJson(columns: readonly MemoryColumnJson[]): ColumnSchema[] {
  return columns.map((c) => {
    const type = parseTypeName(c.type);
    if (!type) throw bad(`column type '${c.type}'`);
    return { name: c.name, type, nullable: c.nullable };
  });
}

/** A data id names its insert: `<insertId>/<n>`, so freeing an insert frees all its chunks. */
export function insertIdOf(dataId: string): string {
  const slash = dataId.lastIndexOf('/');
  return slash < 0 ? dataId : dataId.slice(0, slash);
}
