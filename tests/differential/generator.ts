// Random typed SQL expressions for differential testing (Tributary vs PostgreSQL).
//
// Every node knows its SQL type, so every generated expression is valid in both engines. Nodes are
// a small generic tree (children + a render function) so the shrinker can replace any subtree by a
// child of the same type or by a literal without knowing what the node is.
import { COLUMNS, type ColumnType } from './table.js';

/** A small, fast, seedable PRNG (mulberry32). */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }
}

export type SqlType = ColumnType;
export type Dialect = 'tributary' | 'postgres';

export interface Node {
  readonly t: SqlType;
  readonly kids: readonly Node[];
  /** Renders this node from its rendered children. */
  readonly render: (kids: readonly string[], dialect: Dialect) => string;
  /** A column reference (leaf). */
  readonly column?: string;
  /** A literal (leaf). */
  readonly literal?: boolean;
  /**
   * The node may raise an error (overflow, division by zero, bad substring length). PostgreSQL folds
   * constant subtrees at plan time, even in CASE branches that never run, so such a node must have a
   * column below it (see isValid).
   */
  readonly mayError?: boolean;
  /** A lazily evaluated construct (CASE, COALESCE, AND, OR): errors below it depend on evaluation order. */
  readonly lazy?: boolean;
  /**
   * PostgreSQL folds the node to NULL at plan time when a kid is a NULL literal, so its other kids are
   * never evaluated (see isValid).
   */
  readonly strict?: boolean;
  /** What the node is, for the rules that excuse known semantic differences ('*', 'AND', 'OR', ...). */
  readonly tag?: string;
}

/**
 * Generator features that are off by default because today they always disagree for reasons that are
 * not engine bugs (documented semantic differences) or are too noisy. Turn them on from the CLI
 * (`--feature decimalDivision`) to explore.
 */
export interface Features {
  /** decimal / decimal: Tributary follows Trino (result scale max(s1, s2)), PostgreSQL keeps more digits. */
  decimalDivision: boolean;
  /** sum(bigint): Trino's result is bigint (overflow error), PostgreSQL's numeric (no overflow). */
  sumBigint: boolean;
  /** sum(double): summation order differs between engines, cancellation makes results incomparable. */
  sumDouble: boolean;
  /** round(double): PostgreSQL rounds half to even (rint), Tributary half away from zero like Trino. */
  roundDouble: boolean;
  /** CAST(double AS DECIMAL): PostgreSQL keeps only 15 significant digits, Trino converts the shortest repr. */
  castDoubleToDecimal: boolean;
}

export const DEFAULT_FEATURES: Features = {
  decimalDivision: false,
  sumBigint: false,
  sumDouble: false,
  roundDouble: false,
  castDoubleToDecimal: false,
};

export interface GenOptions {
  readonly maxDepth: number;
  readonly features: Features;
}

const NUMERIC: readonly SqlType[] = ['int', 'bigint', 'dec', 'double'];
const ALL_TYPES: readonly SqlType[] = ['bool', 'int', 'bigint', 'dec', 'double', 'varchar', 'date'];

export function isNumeric(t: SqlType): boolean {
  return t === 'int' || t === 'bigint' || t === 'dec' || t === 'double';
}

/** The type of a numeric binary operation or a CASE/COALESCE over both types. */
export function unify(a: SqlType, b: SqlType): SqlType {
  const rank = (t: SqlType) => NUMERIC.indexOf(t);
  return rank(a) >= rank(b) ? a : b;
}

export function sqlTypeName(t: SqlType): string {
  switch (t) {
    case 'bool':
      return 'BOOLEAN';
    case 'int':
      return 'INTEGER';
    case 'bigint':
      return 'BIGINT';
    case 'dec':
      return 'DECIMAL(12,3)';
    case 'double':
      return 'DOUBLE PRECISION';
    case 'varchar':
      return 'VARCHAR';
    case 'date':
      return 'DATE';
  }
}

// ---------------------------------------------------------------------------------------------
// Leaves

export function lit(t: SqlType, sql: string): Node {
  return { t, kids: [], literal: true, render: () => sql };
}

export function nullLit(t: SqlType): Node {
  return lit(t, `CAST(NULL AS ${sqlTypeName(t)})`);
}

function col(name: string, t: SqlType): Node {
  return { t, kids: [], column: name, render: () => name };
}

const LITERALS: Record<SqlType, readonly string[]> = {
  bool: ['TRUE', 'FALSE'],
  int: ['0', '1', '2', '3', '7', '10', '100', '(-1)', '(-7)', '2147483647', '(-2147483647)', '46341'],
  bigint: [
    '3000000000',
    '(-3000000000)',
    '9223372036854775807',
    '(-9223372036854775807)',
    'CAST(5 AS BIGINT)',
    'CAST(0 AS BIGINT)',
    'CAST(-1 AS BIGINT)',
  ],
  dec: [
    '0.0',
    '1.5',
    '(-1.5)',
    '0.01',
    '(-0.01)',
    '2.50',
    '99999999.99',
    '123.456',
    '0.000001',
    '1234567890123456.7891',
  ],
  double: [
    'CAST(0 AS DOUBLE PRECISION)',
    'CAST(1.5 AS DOUBLE PRECISION)',
    'CAST(-2.5 AS DOUBLE PRECISION)',
    'CAST(0.1 AS DOUBLE PRECISION)',
    'CAST(1e10 AS DOUBLE PRECISION)',
    'CAST(-3 AS DOUBLE PRECISION)',
  ],
  varchar: ["''", "'a'", "'abc'", "'ABC'", "'O''Brien'", "' pad '", "'é'", "'中文'", "'a%b'", "'zz'", "'100'"],
  date: ["DATE '2020-02-29'", "DATE '1970-01-01'", "DATE '1969-12-31'", "DATE '2000-01-01'", "DATE '2024-12-31'"],
};

/** A simple literal of a type, for shrinking. */
export function simpleLiteral(t: SqlType): Node {
  return lit(t, LITERALS[t][t === 'int' || t === 'bigint' ? 4 : 1] ?? LITERALS[t][0]!);
}

// ---------------------------------------------------------------------------------------------
// Inner nodes

function node(
  t: SqlType,
  kids: readonly Node[],
  render: Node['render'],
  flags: { mayError?: boolean; lazy?: boolean; strict?: boolean; tag?: string } = {},
): Node {
  // Most SQL operators and functions are strict (NULL in, NULL out); the others say so.
  return { t, kids, render, strict: true, ...flags };
}

const paren =
  (op: string) =>
  (k: readonly string[]): string =>
    `(${k[0]} ${op} ${k[1]})`;

function fn(name: string) {
  return (k: readonly string[]) => `${name}(${k.join(', ')})`;
}

// ---------------------------------------------------------------------------------------------
// The generator

export class ExprGenerator {
  private readonly cols: Map<SqlType, string[]> = new Map();

  constructor(
    private readonly rng: Rng,
    private readonly options: GenOptions,
  ) {
    for (const c of COLUMNS) {
      if (c.name === 'id') continue;
      const list = this.cols.get(c.type) ?? [];
      list.push(c.name);
      this.cols.set(c.type, list);
    }
  }

  randomType(): SqlType {
    return this.rng.pick(ALL_TYPES);
  }

  /** An expression of type t, at most `depth` levels deep. */
  expr(t: SqlType, depth = this.options.maxDepth): Node {
    const r = this.rng;
    if (depth <= 0 || r.chance(0.25)) return this.leaf(t);
    switch (t) {
      case 'bool':
        return this.boolExpr(depth);
      case 'int':
      case 'bigint':
      case 'dec':
      case 'double':
        return this.numericExpr(t, depth);
      case 'varchar':
        return this.varcharExpr(depth);
      case 'date':
        return this.dateExpr(depth);
    }
  }

  leaf(t: SqlType): Node {
    const r = this.rng;
    const cols = this.cols.get(t) ?? [];
    if (cols.length > 0 && r.chance(0.65)) return col(r.pick(cols), t);
    if (r.chance(0.12)) return nullLit(t);
    return lit(t, r.pick(LITERALS[t]));
  }

  /** A leaf that is a column when the type has one. */
  column(t: SqlType): Node {
    const cols = this.cols.get(t) ?? [];
    return cols.length > 0 ? col(this.rng.pick(cols), t) : this.leaf(t);
  }

  private anyNumeric(): SqlType {
    return this.rng.pick(NUMERIC);
  }

  /** A type comparable with t (numerics mix; others compare with themselves). */
  private comparableWith(t: SqlType): SqlType {
    return isNumeric(t) && this.rng.chance(0.4) ? this.anyNumeric() : t;
  }

  private common(t: SqlType, depth: number): Node | undefined {
    const r = this.rng;
    const d = depth - 1;
    switch (r.int(6)) {
      case 0: {
        const whens: Node[] = [];
        const n = 1 + r.int(2);
        for (let i = 0; i < n; i++) whens.push(this.expr('bool', d), this.expr(t, d));
        const hasElse = r.chance(0.7);
        const kids = hasElse ? [...whens, this.expr(t, d)] : whens;
        return node(
          t,
          kids,
          (k) => {
            let s = 'CASE';
            for (let i = 0; i + 1 < (hasElse ? k.length - 1 : k.length); i += 2) s += ` WHEN ${k[i]} THEN ${k[i + 1]}`;
            if (hasElse) s += ` ELSE ${k[k.length - 1]}`;
            return `${s} END`;
          },
          { lazy: true, strict: false, tag: 'CASE' },
        );
      }
      case 1: {
        const n = 2 + r.int(2);
        const kids: Node[] = [];
        for (let i = 0; i < n; i++) kids.push(this.expr(t, d));
        return node(t, kids, fn('COALESCE'), { lazy: true, strict: false });
      }
      case 2:
        return node(t, [this.expr(t, d), this.expr(t, d)], fn('NULLIF'), { strict: true });
      default:
        return undefined;
    }
  }

  private boolExpr(depth: number): Node {
    const r = this.rng;
    const d = depth - 1;
    const common = r.chance(0.12) ? this.common('bool', depth) : undefined;
    if (common) return common;
    switch (r.int(11)) {
      case 0:
      case 1: {
        const a = this.anyType(d);
        const b = this.expr(this.comparableWith(a.t), d);
        const ops = a.t === 'bool' ? ['=', '<>'] : ['=', '<>', '<', '<=', '>', '>='];
        return node('bool', [a, b], paren(r.pick(ops)), { strict: true });
      }
      case 2:
        return node('bool', [this.expr('bool', d), this.expr('bool', d)], paren('AND'), {
          lazy: true,
          strict: false,
          tag: 'AND',
        });
      case 3:
        return node('bool', [this.expr('bool', d), this.expr('bool', d)], paren('OR'), {
          lazy: true,
          strict: false,
          tag: 'OR',
        });
      case 4:
        return node('bool', [this.expr('bool', d)], (k) => `(NOT ${k[0]})`);
      case 5: {
        const neg = r.chance(0.5) ? ' NOT' : '';
        return node('bool', [this.anyType(d)], (k) => `(${k[0]} IS${neg} NULL)`, { strict: false });
      }
      case 6: {
        const a = this.anyType(d);
        const neg = r.chance(0.5) ? ' NOT' : '';
        return node('bool', [a, this.expr(this.comparableWith(a.t), d)], paren(`IS${neg} DISTINCT FROM`), {
          strict: false,
        });
      }
      case 7: {
        const a = this.anyType(d, true);
        const neg = r.chance(0.3) ? ' NOT' : '';
        return node(
          'bool',
          [a, this.expr(this.comparableWith(a.t), d), this.expr(this.comparableWith(a.t), d)],
          (k) => `(${k[0]}${neg} BETWEEN ${k[1]} AND ${k[2]})`,
          { strict: true },
        );
      }
      case 8: {
        const a = this.anyType(d, true);
        const n = 1 + r.int(4);
        const items: Node[] = [];
        // IN lists mix types only among numerics of one kind, to keep PostgreSQL's resolution simple.
        for (let i = 0; i < n; i++) items.push(r.chance(0.7) ? this.leafLiteral(a.t) : this.expr(a.t, d));
        const neg = r.chance(0.3) ? ' NOT' : '';
        return node('bool', [a, ...items], (k) => `(${k[0]}${neg} IN (${k.slice(1).join(', ')}))`, {
          strict: true,
        });
      }
      case 9: {
        const neg = r.chance(0.3) ? ' NOT' : '';
        const pattern = r.pick(LIKE_PATTERNS);
        return node('bool', [this.expr('varchar', d)], (k) => `(${k[0]}${neg} LIKE ${pattern})`);
      }
      default:
        return this.leaf('bool');
    }
  }

  private leafLiteral(t: SqlType): Node {
    return this.rng.chance(0.1) ? nullLit(t) : lit(t, this.rng.pick(LITERALS[t]));
  }

  /** An expression of a random type (not bool when noBool, for BETWEEN / IN). */
  private anyType(depth: number, noBool = false): Node {
    const types = noBool ? ALL_TYPES.filter((t) => t !== 'bool') : ALL_TYPES;
    return this.expr(this.rng.pick(types), depth);
  }

  private numericExpr(t: SqlType, depth: number): Node {
    const r = this.rng;
    const d = depth - 1;
    const common = r.chance(0.15) ? this.common(t, depth) : undefined;
    if (common) return common;
    switch (r.int(8)) {
      case 0:
      case 1:
      case 2: {
        // a op b with unify(a.t, b.t) == t: one operand of type t, the other of a type not wider.
        const narrower = NUMERIC.slice(0, NUMERIC.indexOf(t) + 1);
        let a = this.expr(t, d);
        let b = this.expr(r.pick(narrower), d);
        if (r.chance(0.5)) [a, b] = [b, a];
        const ops = ['+', '-', '*', '/', '%'].filter((op) => {
          if (op === '%' && (a.t === 'double' || b.t === 'double')) return false;
          if (op === '/' && t === 'dec' && !this.options.features.decimalDivision) return false;
          return true;
        });
        const op = r.pick(ops);
        return this.needColumn(node(t, [a, b], paren(op), { mayError: true, strict: true, tag: op }));
      }
      case 3:
        return this.needColumn(node(t, [this.expr(t, d)], (k) => `(- ${k[0]})`, { mayError: true }));
      case 4: {
        // ceil/floor/round of an integer: PostgreSQL converts to double or numeric, Trino keeps the type.
        const names = t === 'int' || t === 'bigint' ? ['abs'] : ['abs', 'ceil', 'floor', 'round'];
        if (t === 'double' && !this.options.features.roundDouble) names.pop();
        const name = r.pick(names);
        if (name === 'round' && t === 'dec' && r.chance(0.5)) {
          const places = r.pick(['0', '1', '2', '(-1)']);
          return node(t, [this.expr(t, d)], (k) => `round(${k[0]}, ${places})`);
        }
        return this.needColumn(node(t, [this.expr(t, d)], fn(name), { mayError: name === 'abs' }));
      }
      case 5: {
        if (t === 'int' || t === 'bigint') {
          return node(t, [this.expr('varchar', d)], (k) =>
            t === 'int' ? `length(${k[0]})` : `CAST(length(${k[0]}) AS BIGINT)`,
          );
        }
        return this.castTo(t, d);
      }
      case 6:
        return this.castTo(t, d);
      default:
        if (t === 'int' && r.chance(0.5)) {
          // EXTRACT is numeric in PostgreSQL, bigint in Trino: cast to one type.
          const field = r.pick(['YEAR', 'MONTH', 'DAY']);
          return node('int', [this.expr('date', d)], (k) => `CAST(EXTRACT(${field} FROM ${k[0]}) AS INTEGER)`);
        }
        return this.leaf(t);
    }
  }

  /** CAST(x AS t) from a source type both engines convert the same way. */
  private castTo(t: SqlType, d: number): Node {
    const r = this.rng;
    const sources: Record<SqlType, readonly SqlType[]> = {
      bool: ['int'],
      int: ['bigint', 'dec', 'double', 'bool'],
      bigint: ['int', 'dec', 'double'],
      dec: ['int', 'bigint', 'dec', 'double'],
      double: ['int', 'bigint', 'dec'],
      varchar: ['int', 'bigint', 'dec', 'date', 'bool', 'varchar'],
      date: ['date'],
    };
    let from = r.pick(sources[t]);
    if (t === 'dec' && from === 'double' && !this.options.features.castDoubleToDecimal) from = 'int';
    const target =
      t === 'dec' ? r.pick(['DECIMAL(12,3)', 'DECIMAL(5,1)', 'DECIMAL(20,4)', 'DECIMAL(30,10)']) : sqlTypeName(t);
    return this.needColumn(node(t, [this.expr(from, d)], (k) => `CAST(${k[0]} AS ${target})`, { mayError: true }));
  }

  private varcharExpr(depth: number): Node {
    const r = this.rng;
    const d = depth - 1;
    const common = r.chance(0.15) ? this.common('varchar', depth) : undefined;
    if (common) return common;
    switch (r.int(8)) {
      case 0:
        return node('varchar', [this.expr('varchar', d), this.expr('varchar', d)], paren('||'));
      case 1: {
        const n = 2 + r.int(2);
        const kids: Node[] = [];
        for (let i = 0; i < n; i++) kids.push(this.expr('varchar', d));
        return node('varchar', kids, fn('concat'), { strict: false });
      }
      case 2: {
        const name = r.pick(['lower', 'upper']);
        // PostgreSQL's test cluster runs in the C locale, whose lower/upper only map ASCII; C.utf8 maps
        // all of Unicode, as Tributary does.
        return node('varchar', [this.expr('varchar', d)], (k, dialect) =>
          dialect === 'postgres' ? `${name}(${k[0]} COLLATE "C.utf8")` : `${name}(${k[0]})`,
        );
      }
      case 3:
        return node('varchar', [this.expr('varchar', d)], fn('trim'));
      case 4: {
        const from = r.pick(['1', '2', '3', '0', '(-1)', '5']);
        const len = r.chance(0.3) ? undefined : r.pick(['0', '1', '2', '3', '10']);
        return node('varchar', [this.expr('varchar', d)], (k) =>
          len === undefined ? `substring(${k[0]} FROM ${from})` : `substring(${k[0]} FROM ${from} FOR ${len})`,
        );
      }
      case 5:
      case 6:
        return this.castTo('varchar', d);
      default:
        return this.leaf('varchar');
    }
  }

  private dateExpr(depth: number): Node {
    const common = this.rng.chance(0.5) ? this.common('date', depth) : undefined;
    return common ?? this.leaf('date');
  }

  /** Makes sure a node that may raise an error has a column below it (PostgreSQL folds constants). */
  private needColumn(n: Node): Node {
    if (hasColumn(n)) return n;
    const kids = [...n.kids];
    const i = this.rng.int(kids.length);
    kids[i] = this.column(kids[i]!.t);
    return { ...n, kids };
  }
}

const LIKE_PATTERNS = ["'a%'", "'%b%'", "'_'", "'%'", "''", "'A%'", "'%é%'", "'__%'", "'%c'", "'O%n'", "'%100'"];

export function hasColumn(n: Node): boolean {
  return n.column !== undefined || n.kids.some(hasColumn);
}

/** Every erroring node has a column below it (else PostgreSQL may fail at plan time on dead code). */
export function isValid(n: Node): boolean {
  if (n.mayError && !hasColumn(n)) return false;
  // PostgreSQL folds a strict node with a NULL literal kid to NULL: its other kids never run there.
  // The fold propagates: (NULL - i) + 5 / i is NULL at plan time too.
  if (n.strict && n.kids.some(foldsToNull) && n.kids.some(mayFail)) return false;
  return n.kids.every(isValid);
}

/** PostgreSQL's planner turns the node into a NULL constant. */
function foldsToNull(n: Node): boolean {
  if (n.literal === true) return n.render([], 'postgres').startsWith('CAST(NULL');
  // CASE WHEN TRUE THEN NULL ... is folded to its first branch.
  if (n.tag === 'CASE') return n.kids[0]?.render([], 'postgres') === 'TRUE' && foldsToNull(n.kids[1]!);
  return n.strict === true && n.kids.some(foldsToNull);
}

/** The subtree contains a node that may raise an error. */
export function mayFail(n: Node): boolean {
  return n.mayError === true || n.kids.some(mayFail);
}

/** Some node tagged `tag` has a failing node below it. */
export function hasTaggedAboveError(n: Node, tags: readonly string[]): boolean {
  if (n.tag !== undefined && tags.includes(n.tag) && n.kids.some(mayFail)) return true;
  return n.kids.some((k) => hasTaggedAboveError(k, tags));
}

export function hasTag(n: Node, tag: string, t?: SqlType): boolean {
  if (n.tag === tag && (t === undefined || n.t === t)) return true;
  return n.kids.some((k) => hasTag(k, tag, t));
}

export function render(n: Node, dialect: Dialect): string {
  return n.render(
    n.kids.map((k) => render(k, dialect)),
    dialect,
  );
}

export function size(n: Node): number {
  return 1 + n.kids.reduce((s, k) => s + size(k), 0);
}

/** Smaller variants of n (each a single replacement of one subtree), largest reductions first. */
export function* shrinkCandidates(n: Node): Generator<Node> {
  // Replace the whole node by one of its children of the same type, then by literals.
  for (const k of n.kids) if (k.t === n.t) yield k;
  if (!n.literal) {
    if (n.kids.length > 0 || n.column !== undefined) yield nullLit(n.t);
    yield simpleLiteral(n.t);
  }
  // Or shrink inside one child.
  for (let i = 0; i < n.kids.length; i++) {
    for (const smaller of shrinkCandidates(n.kids[i]!)) {
      const kids = [...n.kids];
      kids[i] = smaller;
      yield { ...n, kids };
    }
  }
}
