// Remote SQL from a handle: SELECT <quoted columns> FROM <quoted table> WHERE <pushed conjuncts>
// LIMIT n. Every literal becomes a bound parameter; identifiers are quoted by the dialect.
// translateConjunct decides per expression whether the source evaluates it with the same result.
import type { Expr } from '../../common/expr/expr.js';
import type { DataType } from '../../common/types.js';
import type { RemoteDialect } from './dialect.js';
import type { PushdownClass, RemoteColumn, RemoteTableHandle } from './handle.js';
import { literalText } from './literals.js';

export interface RemoteQuery {
  readonly sql: string;
  readonly params: readonly (string | null)[];
}

/** How a pushed conjunct relates to the engine's predicate. */
export type Pushability = 'exact' | 'superset' | 'no';

const COMPARISONS: Readonly<Record<string, string>> = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };

/** Types whose comparison semantics match in PostgreSQL, MySQL and Tributary. */
function comparableKind(t: DataType): boolean {
  return (
    t.kind === 'integer' ||
    t.kind === 'bigint' ||
    t.kind === 'double' ||
    t.kind === 'decimal' ||
    t.kind === 'date' ||
    t.kind === 'timestamp' ||
    t.kind === 'boolean'
  );
}

class Translator {
  readonly params: (string | null)[] = [];
  /** Set when a 'superset' column was used: the engine must re-check the conjunct. */
  superset = false;

  constructor(
    private readonly dialect: RemoteDialect,
    private readonly columns: ReadonlyMap<string, RemoteColumn>,
    private readonly paramBase: number,
  ) {}

  /** SQL for a boolean expression at conjunct level (`top`: not under OR/NOT). */
  predicate(e: Expr, top: boolean): string | undefined {
    switch (e.kind) {
      case 'and':
      case 'or': {
        const parts: string[] = [];
        for (const a of e.args) {
          const s = this.predicate(a, top && e.kind === 'and');
          if (s === undefined) return undefined;
          parts.push(s);
        }
        return `(${parts.join(e.kind === 'and' ? ' AND ' : ' OR ')})`;
      }
      case 'not': {
        const s = this.predicate(e.arg, false);
        return s === undefined ? undefined : `(NOT ${s})`;
      }
      case 'is_null': {
        const s = this.value(e.arg, 'none');
        return s === undefined ? undefined : `(${s} IS ${e.negated ? 'NOT ' : ''}NULL)`;
      }
      case 'in': {
        if (e.list.length === 0 || e.list.length > 1000) return undefined;
        const need: PushdownClass = top && !e.negated ? 'superset' : 'equality';
        const arg = this.value(e.arg, need);
        if (arg === undefined) return undefined;
        const items: string[] = [];
        for (const item of e.list) {
          if (item.kind !== 'literal' || item.value === null) return undefined;
          const s = this.value(item, need);
          if (s === undefined) return undefined;
          items.push(s);
        }
        return `(${arg} ${e.negated ? 'NOT IN' : 'IN'} (${items.join(', ')}))`;
      }
      case 'call': {
        const op = COMPARISONS[e.fn];
        if (op === undefined || e.args.length !== 2) return undefined;
        const [l, r] = e.args as [Expr, Expr];
        const need: PushdownClass =
          e.fn === 'eq' ? (top ? 'superset' : 'equality') : e.fn === 'ne' ? 'equality' : 'all';
        if (!comparableKind(l.type) && l.type.kind !== 'varchar') return undefined;
        const ls = this.value(l, need);
        const rs = ls === undefined ? undefined : this.value(r, need);
        return rs === undefined ? undefined : `(${ls} ${op} ${rs})`;
      }
      case 'ref': {
        if (e.type.kind !== 'boolean') return undefined;
        return this.value(e, 'all');
      }
      case 'literal':
        return typeof e.value === 'boolean' ? (e.value ? '(1 = 1)' : '(1 = 0)') : undefined;
      default:
        return undefined;
    }
  }

  /** SQL for a scalar operand; `need` is the pushdown class its columns must allow. */
  private value(e: Expr, need: PushdownClass): string | undefined {
    switch (e.kind) {
      case 'ref': {
        const c = this.columns.get(e.id);
        if (c === undefined) return undefined;
        if (!allows(c.pushdown, need)) return undefined;
        if (c.pushdown === 'superset') this.superset = true;
        if (need !== 'none' && !comparableKind(c.type) && c.type.kind !== 'varchar') return undefined;
        return this.dialect.quoteIdentifier(c.name);
      }
      case 'literal': {
        if (!this.dialect.canBind(e.type)) return undefined;
        const text = literalText(e.value, e.type);
        if (text === undefined) return undefined;
        this.params.push(text);
        return this.dialect.parameter(this.paramBase + this.params.length, e.type);
      }
      case 'cast': {
        // Widening casts the binder inserts for comparisons (int -> bigint/decimal/double,
        // date -> timestamp): the sources compare mixed types the same way, so drop the cast.
        const from = e.arg.type.kind;
        const to = e.type.kind;
        const widening =
          ((from === 'integer' || from === 'bigint') && (to === 'bigint' || to === 'decimal' || to === 'double')) ||
          (from === 'decimal' && (to === 'decimal' || to === 'double')) ||
          (from === 'date' && to === 'timestamp');
        if (!widening || e.arg.kind !== 'ref') return undefined;
        if (from === 'decimal' && to === 'decimal') {
          const a = e.arg.type as { precision: number; scale: number };
          const b = e.type as { precision: number; scale: number };
          if (b.scale < a.scale || b.precision - b.scale < a.precision - a.scale) return undefined;
        }
        return this.value(e.arg, need);
      }
      default:
        return undefined;
    }
  }
}

function allows(has: PushdownClass, need: PushdownClass): boolean {
  switch (need) {
    case 'none':
      return true;
    case 'superset':
      return has !== 'none';
    case 'equality':
      return has === 'all' || has === 'equality';
    case 'all':
      return has === 'all';
  }
}

function columnMap(h: RemoteTableHandle): Map<string, RemoteColumn> {
  return new Map(h.columns.map((c) => [c.name, c]));
}

/** Whether the source can evaluate `conjunct`, and whether exactly or as a superset. */
export function pushability(dialect: RemoteDialect, h: RemoteTableHandle, conjunct: Expr): Pushability {
  const t = new Translator(dialect, columnMap(h), 0);
  const sql = t.predicate(conjunct, true);
  if (sql === undefined) return 'no';
  return t.superset ? 'superset' : 'exact';
}

export function buildSelect(dialect: RemoteDialect, h: RemoteTableHandle, columns: readonly string[]): RemoteQuery {
  const q = dialect.quoteIdentifier.bind(dialect);
  const select = columns.length === 0 ? '1' : columns.map(q).join(', ');
  let sql = `SELECT ${select} FROM ${q(h.schema)}.${q(h.table)}`;
  const params: (string | null)[] = [];
  const where: string[] = [];
  const cols = columnMap(h);
  for (const f of h.filters) {
    const t = new Translator(dialect, cols, params.length);
    const s = t.predicate(f, true);
    if (s === undefined) continue; // cannot happen for accepted filters; the engine would re-check remaining ones
    params.push(...t.params);
    where.push(s);
  }
  if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
  if (h.limit !== null) sql += ` LIMIT ${h.limit}`;
  return { sql, params };
}
