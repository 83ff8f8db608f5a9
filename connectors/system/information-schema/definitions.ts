// Columns of the information_schema tables (SQL standard names, Trino's subset). Kept apart
// from the row builders because the builders list information_schema itself.
import { type ColumnSchema, INTEGER, VARCHAR } from '../../../common/types.js';

export const INFORMATION_SCHEMA = 'information_schema';

function col(name: string, type = VARCHAR): ColumnSchema {
  return { name, type, nullable: false };
}

function nullableCol(name: string, type = VARCHAR): ColumnSchema {
  return { name, type, nullable: true };
}

export const SCHEMATA_COLUMNS: readonly ColumnSchema[] = [col('catalog_name'), col('schema_name')];

export const TABLES_COLUMNS: readonly ColumnSchema[] = [
  col('table_catalog'),
  col('table_schema'),
  col('table_name'),
  col('table_type'),
];

export const COLUMNS_COLUMNS: readonly ColumnSchema[] = [
  col('table_catalog'),
  col('table_schema'),
  col('table_name'),
  col('column_name'),
  col('ordinal_position', INTEGER),
  col('data_type'),
  col('is_nullable'),
  // What PostgreSQL's information_schema adds and BI tools read (Metabase, DBeaver, Superset).
  nullableCol('column_default'),
  nullableCol('character_maximum_length', INTEGER),
  nullableCol('numeric_precision', INTEGER),
  nullableCol('numeric_precision_radix', INTEGER),
  nullableCol('numeric_scale', INTEGER),
  nullableCol('datetime_precision', INTEGER),
  col('udt_catalog'),
  col('udt_schema'),
  col('udt_name'),
  col('is_identity'),
  col('is_generated'),
];

/** Table name -> columns, in name order. */
export const INFORMATION_SCHEMA_DEFINITIONS: ReadonlyMap<string, readonly ColumnSchema[]> = new Map([
  ['columns', COLUMNS_COLUMNS],
  ['schemata', SCHEMATA_COLUMNS],
  ['tables', TABLES_COLUMNS],
]);
