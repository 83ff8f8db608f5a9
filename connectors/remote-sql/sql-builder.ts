// Remote SQL from a handle: SELECT <quoted columns> FROM <quoted table> WHERE <pushed conjuncts>
// [ORDER BY keys] [LIMIT n]; a pushed join or aggregation is the FROM instead, its inputs nested
// as derived tables: SELECT .. FROM (SELECT .. FROM a WHERE ..) AS "l" INNER JOIN (..) AS "r" ON ..
// Every literal becomes a bound parameter; identifiers are quoted by the dialect. The Translator
// decides per expression whether the source evaluates it with the same result.
import { SqlError } from '../../common/errors.js';
import { type Expr, refsOf } from '../../common/expr/expr.js';
import type { DataType } from '../../common/types.js';
import type { RemoteDialect } from './dialect.js';
import {
  type PushdownClass,
  type RemoteColumn,
  type RemoteRelation,
  type RemoteTableHandle,
  relationOf,
} from './handle.js';
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
    t.kind === 'timestamptz' ||
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
        if (e.fn === 'like') return this.like(e.args, top);
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

  /**
   * `col LIKE 'pattern'` over a string column. Both sources and Tributary default to `\` as the
   * escape character, so only that escape is pushed. PostgreSQL matches exactly (LIKE does not
   * depend on the collation's order); MySQL's collations match case-insensitively, so there the
   * source returns a superset ('superset' columns) and the engine applies LIKE again.
   */
  private like(args: readonly Expr[], top: boolean): string | undefined {
    const [col, pattern, escapeChar] = args;
    if (col === undefined || pattern === undefined || args.length > 3) return undefined;
    if (pattern.kind !== 'literal' || typeof pattern.value !== 'string') return undefined;
    if (escapeChar !== undefined && !(escapeChar.kind === 'literal' && escapeChar.value === '\\')) return undefined;
    const need: PushdownClass = top ? 'superset' : 'equality';
    if (col.type.kind !== 'varchar') return undefined;
    const c = this.value(col, need);
    const p = c === undefined ? undefined : this.value(pattern, need);
    return p === undefined ? undefined : `(${c} LIKE ${p})`;
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

/** The part of a plain table one split reads (see splits.ts); rendered as one more WHERE conjunct. */
export type SplitRange =
  /** lower <= key < upper (either bound open when null); `nulls`: rows with a NULL key too. */
  | {
      readonly kind: 'key';
      readonly column: string;
      readonly lower: string | null;
      readonly upper: string | null;
      readonly nulls: boolean;
    }
  /** Heap pages [fromPage, toPage) (PostgreSQL ctid ranges); toPage null: to the end. */
  | { readonly kind: 'pages'; readonly fromPage: number; readonly toPage: number | null };

/**
 * The statement reading `columns` (output column names of `h`, in this order) of the handle, for
 * one split. Identifiers are quoted by the dialect; every value is a bound parameter.
 */
export function buildSelect(
  dialect: RemoteDialect,
  h: RemoteTableHandle,
  columns: readonly string[],
  split?: SplitRange,
): RemoteQuery {
  const w = new SqlWriter(dialect);
  const sql = w.select(h, columns, split);
  return { sql, params: w.params };
}

/** Renders handles to SQL, collecting the bound parameters in order. */
class SqlWriter {
  readonly params: (string | null)[] = [];
  private readonly q: (name: string) => string;

  constructor(private readonly dialect: RemoteDialect) {
    this.q = (name) => dialect.quoteIdentifier(name);
  }

  /** `SELECT columns FROM <relation> [WHERE] [ORDER BY] [LIMIT]`. */
  select(h: RemoteTableHandle, columns: readonly string[], split?: SplitRange): string {
    const rel = relationOf(h);
    const list = columns.length === 0 ? '1' : columns.map(this.q).join(', ');
    // Parameters are collected in text order (MySQL's ? placeholders are positional).
    let from: string;
    if (rel.kind === 'table') from = `${this.q(h.schema)}.${this.q(h.table)}`;
    else if (h.filters.length === 0 && split === undefined && h.limit === null) return this.relation(rel, columns);
    else {
      // Filters / top-N over a join or aggregation: over it as a derived table, which must also
      // produce the columns the WHERE and ORDER BY read.
      const needed = new Set(columns);
      for (const f of h.filters) refsOf(f, needed);
      for (const k of h.orderBy ?? []) needed.add(k.column);
      from = `(${this.relation(rel, [...needed])}) ${this.alias('t')}`;
    }
    const where = this.filters(h);
    if (split !== undefined) where.push(this.splitPredicate(h, split));
    const tail = `${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}${this.orderBy(h)}${h.limit !== null ? ` LIMIT ${h.limit}` : ''}`;
    return `SELECT ${list} FROM ${from}${tail}`;
  }

  private alias(name: string): string {
    return `AS ${this.q(name)}`;
  }

  /** The pushed conjuncts of `h` as SQL (over its own columns). */
  private filters(h: RemoteTableHandle): string[] {
    const where: string[] = [];
    const cols = columnMap(h);
    for (const f of h.filters) {
      const t = new Translator(this.dialect, cols, this.params.length);
      const s = t.predicate(f, true);
      if (s === undefined) continue; // cannot happen for accepted filters; the engine would re-check remaining ones
      this.params.push(...t.params);
      where.push(s);
    }
    return where;
  }

  private bind(text: string, type: DataType): string {
    this.params.push(text);
    return this.dialect.parameter(this.params.length, type);
  }

  private splitPredicate(h: RemoteTableHandle, split: SplitRange): string {
    if (split.kind === 'pages') {
      if (!this.dialect.pageRange) throw SqlError.internal(`${this.dialect.name}: page-range splits are not supported`);
      return this.dialect.pageRange(
        (text) => {
          this.params.push(text);
          return this.params.length;
        },
        split.fromPage,
        split.toPage,
      );
    }
    const c = columnMap(h).get(split.column);
    if (c === undefined) throw SqlError.internal(`split column ${split.column} is not a column of ${h.table}`);
    const key = this.q(c.name);
    const parts: string[] = [];
    if (split.lower !== null) parts.push(`${key} >= ${this.bind(split.lower, c.type)}`);
    if (split.upper !== null) parts.push(`${key} < ${this.bind(split.upper, c.type)}`);
    const range = parts.length === 0 ? `${key} IS NOT NULL` : parts.join(' AND ');
    return split.nulls ? `(${range} OR ${key} IS NULL)` : `(${range})`;
  }

  private orderBy(h: RemoteTableHandle): string {
    const keys = h.orderBy ?? [];
    if (keys.length === 0) return '';
    const cols = columnMap(h);
    const items = keys.map((k) => {
      const c = cols.get(k.column);
      const s = c && this.dialect.sortKey(this.q(c.name), c, k.ascending, k.nullsFirst);
      if (s === undefined) throw SqlError.internal(`top-N key ${k.column} cannot be ordered at the source`);
      return s;
    });
    return ` ORDER BY ${items.join(', ')}`;
  }

  /** A join or aggregation producing `columns` (of its outputs). */
  private relation(rel: Exclude<RemoteRelation, { kind: 'table' }>, columns: readonly string[]): string {
    return rel.kind === 'join' ? this.join(rel, columns) : this.aggregate(rel, columns);
  }

  private join(rel: Extract<RemoteRelation, { kind: 'join' }>, columns: readonly string[]): string {
    const byName = new Map(rel.outputs.map((o) => [o.name, o]));
    const need = { left: new Set<string>(), right: new Set<string>() };
    const items: string[] = [];
    for (const name of columns) {
      const o = byName.get(name);
      if (o === undefined) throw SqlError.internal(`join output ${name} is unknown`);
      need[o.side].add(o.column);
      items.push(`${this.q(o.side === 'left' ? 'l' : 'r')}.${this.q(o.column)} ${this.alias(o.name)}`);
    }
    for (const p of rel.on) {
      need.left.add(p.left);
      need.right.add(p.right);
    }
    const left = this.select(rel.left, [...need.left]);
    const right = this.select(rel.right, [...need.right]);
    const on = rel.on.map((p) => `${this.q('l')}.${this.q(p.left)} = ${this.q('r')}.${this.q(p.right)}`);
    const list = items.length === 0 ? '1' : items.join(', ');
    const kind = rel.joinType === 'inner' ? 'INNER JOIN' : 'LEFT JOIN';
    return `SELECT ${list} FROM (${left}) ${this.alias('l')} ${kind} (${right}) ${this.alias('r')} ON ${on.join(' AND ')}`;
  }

  private aggregate(rel: Extract<RemoteRelation, { kind: 'aggregate' }>, columns: readonly string[]): string {
    const input = rel.input;
    const inputCols = columnMap(input);
    const aggs = new Map(rel.aggregates.map((a) => [a.name, a]));
    const need = new Set<string>(rel.groupBy);
    const items: string[] = [];
    for (const name of columns) {
      const a = aggs.get(name);
      if (a === undefined) {
        items.push(this.q(name)); // a group key
        continue;
      }
      const arg = a.arg === null ? null : inputCols.get(a.arg);
      if (arg === undefined) throw SqlError.internal(`aggregate argument ${a.arg} is unknown`);
      if (arg !== null) need.add(arg.name);
      const s = this.dialect.aggregate(a.fn, arg === null ? null : { sql: this.q(arg.name), column: arg }, a.type);
      if (s === undefined) throw SqlError.internal(`aggregate ${a.fn} cannot be computed at the source`);
      items.push(`${s} ${this.alias(a.name)}`);
    }
    // A global aggregation always has one row: keep an aggregate when no output is read.
    if (items.length === 0) items.push(rel.groupBy.length === 0 ? 'count(*)' : '1');
    let from: string;
    if (relationOf(input).kind === 'table' && input.limit === null) {
      const where = this.filters(input);
      from = `${this.q(input.schema)}.${this.q(input.table)}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`;
    } else {
      from = `(${this.select(input, [...need])}) ${this.alias('t')}`;
    }
    const group = rel.groupBy.length > 0 ? ` GROUP BY ${rel.groupBy.map(this.q).join(', ')}` : '';
    return `SELECT ${items.join(', ')} FROM ${from}${group}`;
  }
}
