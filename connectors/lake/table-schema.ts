// A table's columns: declared in `<table>/_table.json` ({"columns":[{"name","type"}]}, written
// by CREATE TABLE), else merged over the files' schemas (a column missing from a file reads as
// NULL; integer -> bigint -> double widen), then the partition columns with inferred types.
import { readFile } from 'node:fs/promises';
import type { Field } from 'apache-arrow';
import { SqlError } from '../../common/errors.js';
import { SqlStates } from '../../common/sqlstate.js';
import { type ColumnSchema, type DataType, parseTypeName, typeToSql } from '../../common/types.js';
import { canWiden, sqlTypeOfField } from './arrow-types.js';
import { inferPartitionType } from './partitions.js';

export const TABLE_JSON = '_table.json';

export interface DeclaredTable {
  readonly columns: readonly ColumnSchema[];
  /** Partition columns (`partitioned_by`), when the table was created partitioned. */
  readonly partitionedBy?: readonly string[];
}

/** The declared schema of a table directory, undefined when there is no `_table.json`. */
export async function readDeclared(absTableJson: string): Promise<DeclaredTable | undefined> {
  let text: string;
  try {
    text = await readFile(absTableJson, 'utf8');
  } catch {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new SqlError(SqlStates.systemError, `lake: ${absTableJson} is not valid JSON`, undefined, { cause: e });
  }
  const cols = (parsed as { columns?: unknown }).columns;
  if (!Array.isArray(cols)) throw new SqlError(SqlStates.systemError, `lake: ${absTableJson} has no "columns" array`);
  const columns = cols.map((c: unknown): ColumnSchema => {
    const { name, type } = (c ?? {}) as { name?: unknown; type?: unknown };
    const t = typeof type === 'string' ? parseTypeName(type) : undefined;
    if (typeof name !== 'string' || !t) {
      throw new SqlError(SqlStates.systemError, `lake: ${absTableJson}: bad column ${JSON.stringify(c)}`);
    }
    return { name: name.toLowerCase(), type: t, nullable: true };
  });
  const pb = (parsed as { partitionedBy?: unknown }).partitionedBy;
  if (pb === undefined) return { columns };
  if (!Array.isArray(pb) || !pb.every((k) => typeof k === 'string' && columns.some((c) => c.name === k))) {
    throw new SqlError(SqlStates.systemError, `lake: ${absTableJson}: bad "partitionedBy"`);
  }
  return { columns, partitionedBy: pb as string[] };
}

export function declaredJson(columns: readonly ColumnSchema[], partitionedBy?: readonly string[]): string {
  const cols = columns.map((c) => ({ name: c.name, type: typeToSql(c.type) }));
  const body = partitionedBy && partitionedBy.length > 0 ? { columns: cols, partitionedBy } : { columns: cols };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** Merges the columns of one more file into `into` (name -> type, in first-seen order). */
export function mergeFileColumns(into: Map<string, DataType>, fields: readonly Field[], file: string): void {
  for (const f of fields) {
    const name = f.name.toLowerCase();
    const t = sqlTypeOfField(f);
    const prev = into.get(name);
    if (!prev || canWiden(t, prev)) {
      if (!prev) into.set(name, t);
      continue;
    }
    if (canWiden(prev, t)) {
      into.set(name, t);
      continue;
    }
    throw new SqlError(
      SqlStates.datatypeMismatch,
      `lake: file ${file} column ${f.name} has type ${typeToSql(t)}, incompatible with ${typeToSql(prev)} in other files of the table`,
    );
  }
}

/** Partition columns with types inferred from their directory values. */
export function partitionColumns(
  keys: readonly string[],
  values: ReadonlyMap<string, readonly (string | null)[]>,
): ColumnSchema[] {
  return keys.map((k) => ({ name: k, type: inferPartitionType(values.get(k) ?? []), nullable: true }));
}
