// INSERT INTO t [(cols)] <query>: the query's columns are matched to the target columns by
// position, cast to their types; target columns not listed get NULL.
import { SqlError } from '../../common/errors.js';
import type { JsonValue } from '../../common/json.js';
import { SqlStates } from '../../common/sqlstate.js';
import { BIGINT, type ColumnSchema, typeToSql, VARCHAR } from '../../common/types.js';
import { castIfNeeded, commonSuperType } from './coercion.js';
import { type LogicalPlan, outputOf, refTo, type SymbolAllocator } from './logical.js';

export function planInsert(
  source: LogicalPlan,
  target: readonly ColumnSchema[],
  listed: readonly string[],
  name: { catalog: string; schema: string; table: string },
  insertHandle: JsonValue,
  symbols: SymbolAllocator,
): LogicalPlan {
  const columns = listed.length > 0 ? listed : target.map((c) => c.name);
  for (const c of columns) {
    if (!target.some((t) => t.name === c)) {
      throw new SqlError(SqlStates.undefinedColumn, `column "${c}" of relation "${name.table}" does not exist`);
    }
  }
  const out = outputOf(source);
  if (out.length > columns.length) throw SqlError.syntax('INSERT has more expressions than target columns');
  if (out.length < columns.length) throw SqlError.syntax('INSERT has more target columns than expressions');
  const items = target.map((t) => {
    const i = columns.indexOf(t.name);
    const symbol = symbols.new(t.name, t.type);
    if (i < 0) return { symbol, expr: castIfNeeded({ kind: 'literal', value: null, type: t.type }, t.type) };
    const s = out[i]!;
    if (s.type.kind !== 'unknown' && s.type.kind !== 'varchar' && !commonSuperType(s.type, t.type)) {
      throw new SqlError(
        SqlStates.datatypeMismatch,
        `column "${t.name}" is of type ${typeToSql(t.type)} but expression is of type ${typeToSql(s.type)}`,
      );
    }
    return { symbol, expr: castIfNeeded(refTo(s), t.type) };
  });
  const projected: LogicalPlan = { kind: 'project', input: source, items };
  return {
    kind: 'insert',
    input: projected,
    catalog: name.catalog,
    table: `${name.catalog}.${name.schema}.${name.table}`,
    insertHandle,
    output: [symbols.new('rows', BIGINT), symbols.new('fragment', VARCHAR)],
  };
}
