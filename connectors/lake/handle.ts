// The JSON the lake connector ships: table handle (with pushed partition predicates), split,
// insert handle and the fragments sinks return. Parsed back with checks on the other side.
import { SqlError } from '../../common/errors.js';
import type { JsonValue } from '../../common/json.js';
import { type ColumnSchema, parseTypeName, typeToSql } from '../../common/types.js';

export type ColumnJson = { readonly name: string; readonly type: string };

/** A pushed predicate on a partition column; values are typed (number for integer/bigint/date). */
export type PartitionPredicate = {
  readonly column: string;
  readonly op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'in' | 'is_null' | 'not_null';
  readonly values: readonly (number | string)[];
};

export type LakeTableHandle = {
  readonly schema: string;
  readonly table: string;
  /** Relative to the root: the table directory, or the single `.parquet` file. */
  readonly path: string;
  readonly single: boolean;
  readonly columns: readonly ColumnJson[];
  /** The columns that come from `key=value` directories, in directory order. */
  readonly partitionKeys: readonly string[];
  readonly predicates: readonly PartitionPredicate[];
  /** Inexact predicates on non-partition columns, used to skip row groups by their statistics. */
  readonly statsPredicates?: readonly PartitionPredicate[];
  /** A LIMIT pushed into the scan (not guaranteed: each split stops after this many rows). */
  readonly limit?: number;
};

export type LakeSplit = {
  /** File relative to the root. */
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly rowGroups: readonly number[];
  readonly rows: number;
  readonly partition: Readonly<Record<string, string | null>>;
};

export type LakeInsertHandle = {
  readonly schema: string;
  readonly table: string;
  readonly path: string;
  readonly insertId: string;
  readonly columns: readonly ColumnJson[];
  /** Columns written as `key=value/` directories (not stored in the files), outermost first. */
  readonly partitionKeys?: readonly string[];
};

export type LakeFragment = { readonly files: readonly string[]; readonly rows: number };

type Obj = { readonly [k: string]: JsonValue };

function isObj(v: JsonValue | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(what: string): SqlError {
  return SqlError.internal(`lake connector: malformed ${what}`);
}

function str(o: Obj, k: string, what: string): string {
  const v = o[k];
  if (typeof v !== 'string') throw bad(what);
  return v;
}

function num(o: Obj, k: string, what: string): number {
  const v = o[k];
  if (typeof v !== 'number') throw bad(what);
  return v;
}

function arr(o: Obj, k: string, what: string): readonly JsonValue[] {
  const v = o[k];
  if (!Array.isArray(v)) throw bad(what);
  return v;
}

function columnsOf(o: Obj, what: string): ColumnJson[] {
  return arr(o, 'columns', what).map((c) => {
    if (!isObj(c)) throw bad(what);
    return { name: str(c, 'name', what), type: str(c, 'type', what) };
  });
}

const OPS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'is_null', 'not_null']);

function predicatesOf(v: readonly JsonValue[], what: string): PartitionPredicate[] {
  return v.map((p): PartitionPredicate => {
    if (!isObj(p)) throw bad(what);
    const op = str(p, 'op', what);
    if (!OPS.has(op)) throw bad(what);
    const values = arr(p, 'values', what).map((x) => {
      if (typeof x !== 'number' && typeof x !== 'string') throw bad(what);
      return x;
    });
    return { column: str(p, 'column', what), op: op as PartitionPredicate['op'], values };
  });
}

function strings(o: Obj, k: string, what: string): string[] {
  return arr(o, k, what).map((x) => {
    if (typeof x !== 'string') throw bad(what);
    return x;
  });
}

export function parseTableHandle(h: JsonValue): LakeTableHandle {
  const what = 'table handle';
  if (!isObj(h) || typeof h.single !== 'boolean') throw bad(what);
  const limit = h.limit;
  if (limit !== undefined && (typeof limit !== 'number' || !(limit >= 0))) throw bad(what);
  return {
    ...(h.statsPredicates !== undefined
      ? { statsPredicates: predicatesOf(arr(h, 'statsPredicates', what), what) }
      : {}),
    ...(typeof limit === 'number' ? { limit } : {}),
    schema: str(h, 'schema', what),
    table: str(h, 'table', what),
    path: str(h, 'path', what),
    single: h.single,
    columns: columnsOf(h, what),
    partitionKeys: arr(h, 'partitionKeys', what).map((k) => {
      if (typeof k !== 'string') throw bad(what);
      return k;
    }),
    predicates: predicatesOf(arr(h, 'predicates', what), what),
  };
}

export function parseSplit(s: JsonValue): LakeSplit {
  const what = 'split';
  if (!isObj(s)) throw bad(what);
  const part = s.partition;
  if (!isObj(part)) throw bad(what);
  const partition: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(part)) {
    if (v !== null && typeof v !== 'string') throw bad(what);
    partition[k] = v;
  }
  return {
    file: str(s, 'file', what),
    size: num(s, 'size', what),
    mtimeMs: num(s, 'mtimeMs', what),
    rowGroups: arr(s, 'rowGroups', what).map((g) => {
      if (typeof g !== 'number') throw bad(what);
      return g;
    }),
    rows: num(s, 'rows', what),
    partition,
  };
}

export function parseInsertHandle(h: JsonValue): LakeInsertHandle {
  const what = 'insert handle';
  if (!isObj(h)) throw bad(what);
  return {
    schema: str(h, 'schema', what),
    table: str(h, 'table', what),
    path: str(h, 'path', what),
    insertId: str(h, 'insertId', what),
    columns: columnsOf(h, what),
    ...(h.partitionKeys !== undefined ? { partitionKeys: strings(h, 'partitionKeys', what) } : {}),
  };
}

export function parseFragment(f: JsonValue): LakeFragment {
  const what = 'insert fragment';
  if (!isObj(f)) throw bad(what);
  return {
    files: arr(f, 'files', what).map((x) => {
      if (typeof x !== 'string' || !isFragmentFile(x)) throw bad(what);
      return x;
    }),
    rows: num(f, 'rows', what),
  };
}

/** A staged file name, possibly under `key=value/` partition directories; nothing else. */
export function isFragmentFile(x: string): boolean {
  if (x.includes('\\')) return false;
  const parts = x.split('/');
  const name = parts.pop() ?? '';
  if (name === '' || name.startsWith('.')) return false;
  return parts.every((d) => d.indexOf('=') > 0 && !d.startsWith('.') && !d.startsWith('_') && d !== '..');
}

export function columnsToJson(columns: readonly ColumnSchema[]): ColumnJson[] {
  return columns.map((c) => ({ name: c.name, type: typeToSql(c.type) }));
}

export function columnsFromJson(columns: readonly ColumnJson[]): ColumnSchema[] {
  return columns.map((c) => {
    const type = parseTypeName(c.type);
    if (!type) throw bad(`column type '${c.type}'`);
    return { name: c.name, type, nullable: true };
  });
}
