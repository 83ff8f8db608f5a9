import { pgTypeByOid, pgTypeOid } from '../../../common/pg-types.js';
import { type DataType, typeToSql } from '../../../common/types.js';
import type { SystemTable, SystemValue } from '../table.js';
import { COLUMNS_COLUMNS, INFORMATION_SCHEMA } from './definitions.js';
import { columnsOf, listAllTables } from './walk.js';

export const columnsTable: SystemTable = {
  schema: INFORMATION_SCHEMA,
  name: 'columns',
  columns: COLUMNS_COLUMNS,
  async rows(ctx) {
    const rows: SystemValue[][] = [];
    for (const t of await listAllTables(ctx)) {
      const columns = await columnsOf(t, ctx);
      if (!columns) continue;
      columns.forEach((c, i) => {
        rows.push([
          t.catalog,
          t.schema,
          t.table,
          c.name,
          i + 1,
          typeToSql(c.type),
          c.nullable === false ? 'NO' : 'YES',
          null,
          null,
          ...numericPrecision(c.type),
          datetimePrecision(c.type),
          t.catalog,
          'pg_catalog',
          pgTypeByOid(pgTypeOid(c.type))?.name ?? 'text',
          'NO',
          'NEVER',
        ]);
      });
    }
    return rows;
  },
};

/** numeric_precision, numeric_precision_radix, numeric_scale as PostgreSQL reports them. */
function numericPrecision(t: DataType): [number | null, number | null, number | null] {
  switch (t.kind) {
    case 'integer':
      return [32, 2, 0];
    case 'bigint':
      return [64, 2, 0];
    case 'double':
      return [53, 2, null];
    case 'decimal':
      return [t.precision, 10, t.scale];
    default:
      return [null, null, null];
  }
}

function datetimePrecision(t: DataType): number | null {
  if (t.kind === 'date') return 0;
  if (t.kind === 'timestamp' || t.kind === 'timestamptz' || t.kind === 'interval') return 6;
  return null;
}
